"""Two app hosts behind one PostgreSQL, one Redis and one S3-compatible store: the browser's
requests alternate between them and every step still works, so nothing lives in one process's
memory or on one host's disk (sessions, cache, rate limits, job progress, uploaded files).

Host A and host B are two gunicorn instances with their own local folders; the background
jobs run on a separate RQ worker with a third. Runs in the PostgreSQL pass of the suite, when
CI gives it PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import psycopg
import pytest
from moto.server import ThreadedMotoServer
from playwright.sync_api import expect

FILES = Path(__file__).resolve().parent.parent / "tests" / "imports" / "files"
KEYS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}

SEED = """
import datetime as dt, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from unionhub.congress import services as congress
from unionhub.display import services as display
from unionhub.orgs import services as orgs
admin = get_user_model().objects.create_superuser("root", "root@x.test", "pw-root")
province = orgs.unit_found(code="HT", name="Liên đoàn Lao động tỉnh Hà Tĩnh", level=20,
                           parent=None, founded=dt.date(2000, 1, 1), by=admin)
union = orgs.unit_found(code="HT-0001", name="Công đoàn Trường THCS Tùng Ảnh", level=40,
                        parent=province, founded=dt.date(2000, 1, 1), by=admin)
meeting = congress.congress_create(unit=province, name="Đại hội XIX", term="2023–2028", by=admin)
now = timezone.now()
session = congress.session_add(congress=meeting, kind="official", title="Phiên chính thức",
                               starts_at=now - dt.timedelta(hours=1),
                               ends_at=now + dt.timedelta(hours=3), by=admin)
for name in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"):
    congress.delegate_add(congress=meeting, category="elected", full_name=name, by=admin)
screen, token = display.screen_create(unit=province, name="LED", by=admin)
display.slide_add(screen=screen, kind="attendance", congress=meeting, duration=600, by=admin)
from unionhub.core import signing
signing.private_key()  # the one key every host signs with (SIGNING_KEY_FILE)
print("SEED", json.dumps({"union": union.pk, "session": session.pk, "token": token}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture
def stack(tmp_path):
    """A database of its own on the suite's PostgreSQL, a Redis database, a local S3 server,
    an RQ worker and two gunicorn hosts, each host with its own folder."""
    base = os.environ.get("DATABASE_URL", "")
    redis = os.environ.get("TEST_REDIS_URL", "")
    if not base.startswith("postgres") or not redis:
        pytest.skip("two hosts run in the PostgreSQL pass, with Redis (TEST_REDIS_URL)")
    server = base.rsplit("/", 1)[0]
    name = f"unionhub_two_hosts_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    s3_port = _free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS).create_bucket(
        Bucket="unionhub"
    )
    # Another Redis database than the RQ job tests' (the last number of TEST_REDIS_URL + 1).
    prefix, _sep, number = redis.rpartition("/")
    redis_url = f"{prefix}/{(int(number) + 1) % 16 if number.isdigit() else 13}"
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=False, capture_output=True)
    common = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionhub.settings",
        "DATABASE_URL": f"{server}/{name}",
        "SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
        "REDIS_URL": redis_url,
        "TASK_BACKEND": "rq",
        "S3_BUCKET": "unionhub",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_ADDRESSING_STYLE": "path",
        "SECRET_KEY": "two-hosts-share-one-secret-" + uuid.uuid4().hex,
    }
    for key in ("DJANGO_ALLOW_ASYNC_UNSAFE", "RQ_REDIS_URL"):
        common.pop(key, None)

    def env(folder: str) -> dict[str, str]:
        (tmp_path / folder).mkdir(exist_ok=True)
        return {**common, "UNIONHUB_VAR": str(tmp_path / folder)}

    bin_dir = Path(sys.executable).parent
    unionhub = str(bin_dir / "unionhub")
    subprocess.run([unionhub, "migrate", "-v0"], env=env("setup"), check=True)
    subprocess.run(
        [unionhub, "collectstatic", "--noinput", "-v0"],
        env={**env("setup"), "STATIC_ROOT": str(tmp_path / "static")},
        check=True,
    )
    seeded = subprocess.run(
        [unionhub, "shell", "-c", SEED],
        env=env("setup"),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    world = json.loads(seeded.split("SEED", 1)[1])
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "unionhub", "rqworker", "--job-class", "django_tasks_rq.Job",
             "default"],
            env=env("worker"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    hosts = []
    for folder in ("host-a", "host-b"):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [str(bin_dir / "gunicorn"), "unionhub.wsgi:application", "--bind",
                 f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
                env={**env(folder), "STATIC_ROOT": str(tmp_path / "static")},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
        hosts.append(f"http://127.0.0.1:{port}")
    try:
        for host in hosts:
            _wait_for_port(int(host.rsplit(":", 1)[1]))
        yield {"a": hosts[0], "b": hosts[1], **world, "folders": tmp_path}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        moto.stop()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_requests_alternate_between_two_hosts(page, stack):
    a, b = stack["a"], stack["b"]
    # Logged in on A; the session is in the shared database, the cookie is the host's name's.
    page.goto(f"{a}/accounts/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "pw-root")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The member list is uploaded to A, checked by the worker, previewed and committed on B.
    page.goto(f"{a}/imports/?unit={stack['union']}")
    page.set_input_files("input[name=file]", str(FILES / "merged_title.xlsx"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    batch = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{b}/imports/{batch}/")
    expect(page.get_by_test_id("count-new")).to_have_text("2", timeout=30_000)
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("imported-members")).to_contain_text("Võ Thị Dung", timeout=30_000)
    page.goto(f"{a}/members/?q=dang van em")
    expect(page.locator("main")).to_contain_text("Đặng Văn Em")

    # The wall opens on A; the station checks a delegate in on B; the wall follows.
    wall = page.context.new_page()
    wall.goto(f"{a}/screen/{stack['token']}/")
    expect(wall.get_by_test_id("attendance-present")).to_have_text("0")
    page.goto(f"{b}/congress/sessions/{stack['session']}/station/")
    page.get_by_test_id("name-search").fill("tran thi binh")
    page.get_by_test_id("search-results").get_by_role("button", name="Điểm danh").click()
    expect(page.get_by_test_id("scan-result")).to_have_attribute("data-status", "checked_in")
    expect(wall.get_by_test_id("attendance-present")).to_have_text("1", timeout=10_000)

    # No host kept a file of its own: the upload went to the object store.
    for folder in ("host-a", "host-b", "worker"):
        media = stack["folders"] / folder / "media"
        assert not media.exists() or not any(media.rglob("*.xlsx"))
