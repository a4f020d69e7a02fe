"""`unionhub serve`: gunicorn and the background-task worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def _stop(signum, frame):
    raise SystemExit(0)


def child_environment(host: str, port: int, environ: dict[str, str]) -> dict[str, str]:
    """The environment for gunicorn and the worker: unless SITE_URL is set, links in e-mails
    point at the port we serve on, not at the default one."""
    env = dict(environ)
    if not env.get("SITE_URL"):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        env["SITE_URL"] = f"http://{shown}:{port}"
    return env


class Command(BaseCommand):
    help = "Serve UnionHub with gunicorn and run the task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument(
            "--login", default="", help="a line about the login to print once serving"
        )

    def handle(self, *args, host: str, port: int, workers: int, login: str, **options):
        # A service manager stops us with SIGTERM: leave through `finally` as Ctrl-C does, so
        # gunicorn and the worker stop too instead of living on without their parent.
        signal.signal(signal.SIGTERM, _stop)
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
            ],
            env=env,
        )
        worker = None
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            worker = subprocess.Popen(
                [sys.executable, "-m", "unionhub", "db_worker", "--interval", "0.5"], env=env
            )
        self.stdout.write(self.style.SUCCESS(f"\nUnionHub is serving at http://{host}:{port}/"))
        if login:
            self.stdout.write(self.style.SUCCESS(login))
        self.stdout.write("Press Ctrl-C to stop.\n")
        processes = [p for p in (web, worker) if p]
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
