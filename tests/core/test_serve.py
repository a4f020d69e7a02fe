"""`unionhub serve` stops gunicorn and the task worker when it is stopped with SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_sigterm_stops_gunicorn_and_the_worker(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionhub.settings",
        "UNIONHUB_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    subprocess.run([sys.executable, "-m", "unionhub", "migrate", "-v0"], env=env, check=True)
    serve = subprocess.Popen(
        [sys.executable, "-m", "unionhub", "serve", "--port", str(free_port())],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    children: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len(children_of(serve.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        children = children_of(serve.pid)
        assert len(children) == 2  # gunicorn's master and the task worker
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=45) == 0  # a 15 s grace, then a kill, on a loaded machine
        deadline = time.monotonic() + 15
        while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [c for c in children if Path(f"/proc/{c}").exists()]
    finally:
        for pid in [serve.pid, *children]:  # nothing outlives a failed test
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
        serve.wait()


def test_site_url_follows_the_port_unless_it_is_set():
    from unionhub.core.management.commands.serve import child_environment

    assert child_environment("127.0.0.1", 8123, {})["SITE_URL"] == "http://127.0.0.1:8123"
    assert child_environment("0.0.0.0", 9000, {"A": "1"}) == {
        "A": "1",
        "SITE_URL": "http://127.0.0.1:9000",
    }
    given = {"SITE_URL": "https://union.example.vn"}
    assert child_environment("127.0.0.1", 8123, given)["SITE_URL"] == "https://union.example.vn"
