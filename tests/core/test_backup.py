"""`unionhub backup` → `unionhub restore` into an empty database and media storage gives back
every table's rows and every media file, byte for byte; on SQLite, and on PostgreSQL when the
suite runs there. The data is the demo province: every app's tables, photos and PDFs."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_snapshot import Snapshot
from unionhub.core import backup

pytestmark = pytest.mark.long

UNIONHUB = [sys.executable, "-m", "unionhub"]


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*UNIONHUB, *args], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def sqlite_tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {name: _rows(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


def postgres_tables(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        tables = {name: _rows(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}
        # Sequences too: a restored database must not hand out an id it already holds.
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        tables["(sequences)"] = sorted(sequences)
        return tables


def _rows(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


def media(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def postgres_pair(demo_snapshot):
    """Two databases beside the suite's own PostgreSQL one: the source, a copy of the run's demo
    (tests/demo_snapshot.py), and the target, empty."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        pytest.skip("the PostgreSQL round trip runs when the suite runs on PostgreSQL")
    import psycopg

    server, name = base.rsplit("/", 1)
    names = [f"{name}_backup_source", f"{name}_backup_target"]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for db in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.execute(f'CREATE DATABASE "{names[0]}" TEMPLATE "{demo_snapshot.database}"')
        admin.execute(f'CREATE DATABASE "{names[1]}"')
    yield [f"{server}/{db}" for db in names]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for db in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def round_trip(tmp_path: Path, source_url: str, target_url: str, demo: Snapshot) -> None:
    """Back up the demo in `source_url` (a copy of the run's) and its media, restore them into
    the empty `target_url`."""
    demo.copy_media(tmp_path / "media")
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    base |= {"UNIONHUB_VAR": str(tmp_path), "S3_BUCKET": ""}
    source = base | {"DATABASE_URL": source_url, "MEDIA_ROOT": str(tmp_path / "media")}
    target = base | {"DATABASE_URL": target_url, "MEDIA_ROOT": str(tmp_path / "restored")}
    run(source, "backup", "--to", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("unionhub-*.tar.gz")
    run(target, "restore", str(archive))

    assert media(tmp_path / "restored") == media(tmp_path / "media")
    assert any(name.startswith("members/") for name in media(tmp_path / "media"))

    # Restoring twice would mix two states: refused.
    again = subprocess.run(
        [*UNIONHUB, "restore", str(archive)], env=target, capture_output=True, text=True
    )
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.own_sqlite
def test_backup_restores_every_row_and_file_on_sqlite(tmp_path, demo_snapshot):
    source = shutil.copyfile(demo_snapshot.database, tmp_path / "source.sqlite3")
    round_trip(tmp_path, f"sqlite:///{source}", f"sqlite:///{tmp_path / 't'}", demo_snapshot)
    before, after = sqlite_tables(tmp_path / "source.sqlite3"), sqlite_tables(tmp_path / "t")
    assert before == after
    assert len(before["members_member"]) > 0 and len(before["django_migrations"]) > 0


def test_backup_restores_every_row_and_file_on_postgresql(tmp_path, postgres_pair, demo_snapshot):
    source, target = postgres_pair
    round_trip(tmp_path, source, target, demo_snapshot)
    before, after = postgres_tables(source), postgres_tables(target)
    assert before == after
    assert len(before["members_member"]) > 0 and len(before["django_migrations"]) > 0


def test_prune_keeps_the_newest_and_one_a_month(tmp_path):
    names = [
        "unionhub-20260105-020000.tar.gz",
        "unionhub-20260120-020000.tar.gz",
        "unionhub-20260201-020000.tar.gz",
        "unionhub-20260301-020000.tar.gz",
        "unionhub-20260302-020000.tar.gz",
        "unionhub-20260303-020000.tar.gz",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    deleted = backup.prune(tmp_path, keep_daily=2, keep_monthly=3)
    # The two newest, and the newest of each of the last three months (March, February, January).
    assert sorted(p.name for p in deleted) == [names[0], names[3]]
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == [names[1], names[2], names[4], names[5]]
