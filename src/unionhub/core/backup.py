"""Backups of the database and the media files together, and their restore.

One archive (a tar file) holds the database as the engine's own tools write it — SQLite through
its online backup API, PostgreSQL through `pg_dump` in its custom format, both a consistent
snapshot while the site keeps running — then every media file read through the storage API (so
local disk and S3 alike), and a manifest with each file's SHA-256.

The database is taken first and the media after: files are only ever added under new names
(an upload never replaces another's file), so every file the snapshot refers to is in the
archive; a file added meanwhile is carried along unreferenced, which does no harm.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_url() -> str:
    """libpq's connection string for the configured database (password through the environment
    below, never on a command line that `ps` shows)."""
    s = connection.settings_dict
    parts = [f"dbname={s['NAME']}"]
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user")):
        if s.get(key):
            parts.append(f"{name}={s[key]}")
    return " ".join(parts)


def _pg_env() -> dict[str, str]:
    env = dict(os.environ)
    if password := connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = password
    return env


def media_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder not made yet holds nothing
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from media_names(storage, f"{folder}/{sub}" if folder else sub)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(engine: str, into: Path) -> str:
    if engine == "sqlite":
        target = into / SQLITE_MEMBER
        connection.ensure_connection()
        source: sqlite3.Connection = connection.connection
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot, even with writers under WAL.
            source.backup(copy)
        finally:
            copy.close()
        return SQLITE_MEMBER
    target = into / POSTGRES_MEMBER
    done = subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            _pg_url(),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return POSTGRES_MEMBER


def backup(archive: Path, *, storage: Storage = default_storage) -> dict[str, Any]:
    """Write the database and every media file into `archive`; returns the manifest."""
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        member = _dump_database(engine, workdir)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database": {"member": member, "sha256": _sha256(workdir / member)},
            "media": {},
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(workdir / member, arcname=member)
            for name in media_names(storage):
                digest = hashlib.sha256()
                # Through a spool: tar needs the size first, and S3 gives no local file.
                with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
                    with storage.open(name, "rb") as f:
                        while block := f.read(1 << 20):
                            digest.update(block)
                            spool.write(block)
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = spool.tell()
                    spool.seek(0)
                    tar.addfile(info, spool)
                manifest["media"][name] = digest.hexdigest()
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        # A backup that stopped halfway never stands under the final name.
        partial.replace(archive)
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    """A regular file of the archive; a backup missing it, or holding a link there, is damaged."""
    try:
        member = tar.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"the backup has no file {name}; it is damaged")
    return member


def restore(archive: Path, *, storage: Storage = default_storage) -> dict[str, Any]:
    """Restore `archive` into the configured (empty) database and storage; returns its manifest.

    Refuses a database that already has tables or a storage that already has files: a restore
    never mixes with what is there."""
    engine = _engine()
    with tarfile.open(archive, "r:gz") as tar:
        manifest: dict[str, Any] = json.load(_member(tar, MANIFEST))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        if manifest["engine"] != engine:
            raise BackupError(
                f"this backup is of {manifest['engine']}; the configured database is {engine}"
            )
        if not _database_is_empty():
            raise BackupError("the database is not empty; restore only into an empty one")
        if next(media_names(storage), None) is not None:
            raise BackupError("the media storage is not empty; restore only into an empty one")
        with tempfile.TemporaryDirectory() as work:
            member = manifest["database"]["member"]
            tar.extract(member, work, filter="data")
            dump = Path(work) / member
            if _sha256(dump) != manifest["database"]["sha256"]:
                raise BackupError("the database in the backup is damaged (checksum differs)")
            _load_database(engine, dump)
        for name, sha in manifest["media"].items():
            data = _member(tar, f"media/{name}").read()
            if hashlib.sha256(data).hexdigest() != sha:
                raise BackupError(f"media file {name} in the backup is damaged")
            saved = storage.save(name, ContentFile(data))
            if saved != name:
                raise BackupError(f"media file {name} was stored as {saved}")
    return manifest


def _load_database(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        connection.close()
        source = sqlite3.connect(dump)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    connection.close()
    done = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            _pg_url(),
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def prune(folder: Path, *, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete old archives in `folder`: the newest `keep_daily`, and the newest of each of the
    last `keep_monthly` months, stay. Returns what was deleted."""
    archives = sorted(folder.glob("unionhub-*.tar.gz"), reverse=True)
    keep = set(archives[:keep_daily])
    months: dict[str, Path] = {}
    for path in archives:  # newest first: the first seen of a month is its newest
        months.setdefault(path.name[len("unionhub-") :][:6], path)
    keep |= set(list(months.values())[:keep_monthly])
    deleted = [path for path in archives if path not in keep]
    for path in deleted:
        path.unlink()
    return deleted


def archive_name(now: Any = None) -> str:
    """Names sort by time, which `prune` relies on."""
    return f"unionhub-{(now or timezone.now()).strftime('%Y%m%d-%H%M%S')}.tar.gz"
