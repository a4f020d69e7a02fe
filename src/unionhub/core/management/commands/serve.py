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
            ]
        )
        worker = None
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            worker = subprocess.Popen(
                [sys.executable, "-m", "unionhub", "db_worker", "--interval", "0.5"]
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
