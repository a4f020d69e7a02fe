"""Shared set-up for benchmarks: a throw-away database, timing, and the RESULT line.

Each benchmark is `python bench/<scenario>.py [--quick]`; its last line is `RESULT {json}`.
SQLite runs go to a temporary file; PostgreSQL runs (when `BENCH_PG_URL` or a local server
with trust auth is there) go to a database created and dropped by the benchmark;
`BENCH_DB_SUFFIX` is appended to its name, so that two runs on one server do not drop each
other's database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: finishes in under a minute"
    )
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL part")
    return parser.parse_args()


def pg_available() -> bool:
    probe = subprocess.run(
        ["psql", PG_SERVER + "/postgres", "-tAc", "SELECT 1"], capture_output=True, text=True
    )
    return probe.returncode == 0


@contextmanager
def database(kind: str, name: str = "unionhub_bench") -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh, empty database of `kind` ("sqlite" or "pg")."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name += os.environ.get("BENCH_DB_SUFFIX", "")
    admin = PG_SERVER + "/postgres"
    subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True
    )
    subprocess.run(
        ["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True
    )
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        subprocess.run(
            ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            capture_output=True,
        )


def run_in_child(script: Path, database_url: str, *args: str) -> dict:
    """Run `script --child ARGS` with its own Django on `database_url`; returns its RESULT json."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "unionhub.settings",
    }
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{script.name} child failed on {database_url}")
    sys.stderr.write(done.stderr)
    last = [line for line in done.stdout.splitlines() if line.startswith("CHILD ")][-1]
    return json.loads(last.removeprefix("CHILD "))


def django_setup(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def percentiles_ms(samples_s: list[float]) -> dict[str, float]:
    ordered = sorted(samples_s)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {
        "p50": round(statistics.median(ordered) * 1000, 3),
        "p95": round(pick(0.95), 3),
        "p99": round(pick(0.99), 3),
    }


def child_result(data: dict) -> None:
    print("CHILD " + json.dumps(data), flush=True)


def result(data: dict) -> None:
    print("RESULT " + json.dumps(data), flush=True)
