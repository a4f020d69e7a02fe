"""The demo province built once per test run and database engine, for the modules that read it.

Building the demo (`unionhub demo`) takes tens of seconds, most of it in the 2025 reorganisation
and two years of finance over 1,473 unions. The permission matrix, the demo-province report and
the backup round trip each built it for themselves, on every database the suite runs on; now the
first of them to need it builds it in a `unionhub demo` subprocess, on a copy of the migrated
test database, while the other test processes of the run wait for it; every module then gets a
copy of its own:

- SQLite: the demo is a database file; a module's in-memory test database is replaced with it
  through SQLite's backup API (a page copy) and given back its own content afterwards.
- PostgreSQL: the demo is a template database; a module runs on a database created from it (a
  file copy in the server) and dropped afterwards.

Media files (photos, PDFs) are copied for each module too: a test may add or remove some.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings

# Enough members for the report's every column to be non-trivial; the tree has its full size.
MEMBERS = 3000
_STATE = "demo-snapshot.json"


@dataclass(frozen=True)
class Snapshot:
    database: str  # SQLite: the file; PostgreSQL: the template database's name
    media: Path
    url: str  # DATABASE_URL of the snapshot itself, for subprocesses that copy it

    def copy_media(self, into: Path) -> Path:
        shutil.copytree(self.media, into, dirs_exist_ok=True)
        return into


def postgresql() -> bool:
    return connection.vendor == "postgresql"


def _server_url() -> str:
    """The suite's PostgreSQL server, as the DATABASE_URL the suite was given names it."""
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0]


def template_name() -> str:
    """The demo's template database of this run: the test database's name without xdist's
    worker suffix, so that every process of a run finds the same one."""
    name = connection.settings_dict["NAME"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and name.endswith(f"_{worker}"):
        name = name[: -len(worker) - 1]
    return f"{name}_demo"


def _admin_execute(*statements: str) -> None:
    """Statements that may not run in a transaction (CREATE/DROP DATABASE), on the server's
    maintenance database; straight through psycopg, as the test run's controller, which drops
    the template at the end, is not allowed a Django connection."""
    import psycopg

    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


def build(shared: Path) -> Snapshot:
    """The run's snapshot: built by the first process that asks, read by the others."""
    state = shared / _STATE
    with open(shared / "demo-snapshot.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not state.exists():
            state.write_text(json.dumps(_build(shared / "demo-snapshot")))
    fields = json.loads(state.read_text())
    return Snapshot(database=fields["database"], media=Path(fields["media"]), url=fields["url"])


def _build(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    if postgresql():
        database, own = template_name(), connection.settings_dict["NAME"]
        quoted = connection.ops.quote_name
        # A template copies the test database, already migrated; it may hold no open session.
        connection.close()
        _admin_execute(
            f"DROP DATABASE IF EXISTS {quoted(database)} WITH (FORCE)",
            f"CREATE DATABASE {quoted(database)} TEMPLATE {quoted(own)}",
        )
        url = f"{_server_url()}/{database}"
    else:
        database = str(folder / "demo.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(database) as copy:
            connection.connection.backup(copy)
        url = f"sqlite:///{database}"
    media = folder / "media"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "UNIONHUB_VAR": str(folder),
        "MEDIA_ROOT": str(media),
        # Signed links and tokens in the demo must verify with the suite's key.
        "SECRET_KEY": settings.SECRET_KEY,
        "S3_BUCKET": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "unionhub", "demo", "--members", str(MEMBERS)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the demo snapshot could not be built:\n{done.stdout}{done.stderr}")
    media.mkdir(exist_ok=True)
    return {"database": database, "media": str(media), "url": url}


def drop(shared: Path) -> None:
    """At the end of a run on PostgreSQL: the template database goes."""
    state = shared / _STATE
    if not state.exists() or not postgresql():
        return
    database = json.loads(state.read_text())["database"]
    _admin_execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(database)} WITH (FORCE)")


@contextlib.contextmanager
def installed(snapshot: Snapshot, media: Path) -> Iterator[None]:
    """The test database holds a copy of the demo while the block runs, and its own content
    again afterwards; MEDIA_ROOT is a copy of the demo's files in `media`."""
    snapshot.copy_media(media)
    switch = _on_postgresql if postgresql() else _on_sqlite
    with switch(snapshot), override_settings(MEDIA_ROOT=media):
        # Content type ids are cached per process; the demo's were made in another process.
        ContentType.objects.clear_cache()
        try:
            yield
        finally:
            ContentType.objects.clear_cache()


@contextlib.contextmanager
def _on_sqlite(snapshot: Snapshot) -> Iterator[None]:
    connection.ensure_connection()
    own = sqlite3.connect(":memory:")
    try:
        connection.connection.backup(own)
        with sqlite3.connect(snapshot.database) as demo:
            demo.backup(connection.connection)
        try:
            yield
        finally:
            own.backup(connection.connection)
    finally:
        own.close()


@contextlib.contextmanager
def _on_postgresql(snapshot: Snapshot) -> Iterator[None]:
    quoted = connection.ops.quote_name
    own_name = connection.settings_dict["NAME"]
    copy = f"{own_name}_demo_copy"
    connection.close()
    _admin_execute(
        f"DROP DATABASE IF EXISTS {quoted(copy)} WITH (FORCE)",
        f"CREATE DATABASE {quoted(copy)} TEMPLATE {quoted(snapshot.database)}",
    )
    connection.settings_dict["NAME"] = copy
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = own_name
        _admin_execute(f"DROP DATABASE IF EXISTS {quoted(copy)} WITH (FORCE)")
