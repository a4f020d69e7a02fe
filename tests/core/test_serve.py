"""`unionhub serve` stops gunicorn and the task worker when it is stopped with SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.long

# A Redis database of its own, so the test never touches a real queue.
RQ_TEST_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def command_line(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:  # gone meanwhile
        return []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def processes_marked(marker: bytes) -> list[int]:
    """Every process whose environment holds `marker`: serve's children and theirs (gunicorn's
    workers), wherever they were reparented."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile, or not ours to read
                pass
    return found


@pytest.mark.own_sqlite
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    "backend, children_before_stop", [("database", 2), ("rq", 2), ("database", 1)]
)
def test_sigterm_stops_gunicorn_and_the_worker(
    tmp_path, migrated_sqlite, backend, children_before_stop
):
    """Stopped once both children run, or while the second is still being started (the moment
    a service manager's SIGTERM once left both running without their parent)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionhub.settings",
        "UNIONHUB_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    env.pop("TASK_BACKEND", None)
    if backend == "rq":
        # An RQ worker only starts when it reaches its Redis.
        env |= {"TASK_BACKEND": "rq", "RQ_REDIS_URL": RQ_TEST_REDIS}
    marker = f"UNIONHUB_VAR={tmp_path}".encode()
    migrated_sqlite(tmp_path / "serve.sqlite3")
    serve = subprocess.Popen(
        [sys.executable, "-m", "unionhub", "serve", "--port", str(free_port())],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(children_of(serve.pid)) < children_before_stop and time.monotonic() < deadline:
            time.sleep(0.05)
        children = children_of(serve.pid)
        assert len(children) >= children_before_stop
        if children_before_stop == 2:  # gunicorn's master and the task worker
            # The kernel lists children in no promised order, and a child just forked still
            # shows serve's command line until it execs: look at each one's until it does.
            worker = b"rqworker" if backend == "rq" else b"db_worker"
            while not any(worker in command_line(c) for c in children):
                assert time.monotonic() < deadline, "no task worker among serve's children"
                time.sleep(0.05)
                children = children_of(serve.pid)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=45) == 0  # a 15 s grace, then a kill, on a loaded machine
        deadline = time.monotonic() + 15
        while processes_marked(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_marked(marker) == []
    finally:
        for pid in processes_marked(marker):  # nothing outlives a failed test
            os.kill(pid, signal.SIGKILL)
        serve.kill()
        serve.wait()


def test_the_worker_is_the_one_the_task_backend_needs():
    from unionhub.core.management.commands.serve import worker_command

    database = worker_command({"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    assert database[-3:] == ["db_worker", "--interval", "0.5"]
    rq = worker_command({"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["a"]}})
    assert rq[-4:] == ["rqworker", "--job-class", "django_tasks_rq.Job", "a"]
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert worker_command(immediate) is None


def test_site_url_follows_the_port_unless_it_is_set():
    from unionhub.core.management.commands.serve import child_environment

    assert child_environment("127.0.0.1", 8123, {})["SITE_URL"] == "http://127.0.0.1:8123"
    assert child_environment("0.0.0.0", 9000, {"A": "1"}) == {
        "A": "1",
        "SITE_URL": "http://127.0.0.1:9000",
    }
    given = {"SITE_URL": "https://union.example.vn"}
    assert child_environment("127.0.0.1", 8123, given)["SITE_URL"] == "https://union.example.vn"
