"""`unionhub serve`: gunicorn and the background-task worker together; Ctrl-C stops both.

The worker is the one the configured task backend needs: `db_worker` for the database backend,
an RQ worker (django-rq's `rqworker`) for `TASK_BACKEND=rq`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def stop_all(processes: list[subprocess.Popen[bytes]], *, grace_seconds: float) -> None:
    """Ask every process to stop, give them one shared grace period, then kill what is left;
    every child is waited for, so none is left as a zombie for an init that may never reap it."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def child_environment(host: str, port: int, environ: dict[str, str]) -> dict[str, str]:
    """The environment for gunicorn and the worker: unless SITE_URL is set, links in e-mails
    point at the port we serve on, not at the default one."""
    env = dict(environ)
    if not env.get("SITE_URL"):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        env["SITE_URL"] = f"http://{shown}:{port}"
    return env


def worker_command(tasks: dict[str, Any]) -> list[str] | None:
    """The command that runs background jobs for the configured task backend; None when the
    backend needs no worker (e.g. the immediate backend runs them in the request)."""
    backend = tasks["default"]["BACKEND"]
    queues = list(tasks["default"].get("QUEUES") or ["default"])
    if backend == "django_tasks_db.DatabaseBackend":
        return [sys.executable, "-m", "unionhub", "db_worker", "--interval", "0.5"]
    if backend == "django_tasks_rq.RQBackend":
        # The job class turns an RQ job back into the django-tasks task it carries.
        return [
            sys.executable,
            "-m",
            "unionhub",
            "rqworker",
            "--job-class",
            "django_tasks_rq.Job",
            *queues,
        ]
    return None


class Command(BaseCommand):
    help = "Serve UnionHub with gunicorn and run the task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument(
            "--login", default="", help="a line about the login to print once serving"
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, login: str, **options: Any
    ) -> None:
        # SIGTERM (a service manager) and Ctrl-C only raise a flag: an exception raised between
        # starting a child and watching it would leave that child running without its parent.
        stopping = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        bin_dir = os.path.dirname(sys.executable)
        env = child_environment(host, port, dict(os.environ))
        web = subprocess.Popen(
            [
                os.path.join(bin_dir, "gunicorn"),
                "unionhub.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
                # Gunicorn 27 otherwise opens one control socket in the home directory, shared by
                # every instance on the machine; nothing here uses it.
                "--no-control-socket",
            ],
            env=env,
        )
        command = worker_command(settings.TASKS)
        worker = subprocess.Popen(command, env=env) if command else None
        self.stdout.write(self.style.SUCCESS(f"\nUnionHub is serving at http://{host}:{port}/"))
        if login:
            self.stdout.write(self.style.SUCCESS(login))
        self.stdout.write("Press Ctrl-C to stop.\n")
        processes = [p for p in (web, worker) if p]
        while not stopping.wait(0.5) and all(p.poll() is None for p in processes):
            pass
        stop_all(processes, grace_seconds=15)
