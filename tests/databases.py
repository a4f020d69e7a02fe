"""The test database migrated once per run and copied to every test process.

pytest-django gives each xdist process a test database of its own and migrates each: on two
processes per database engine that was two full migrations per run (about half a minute of CPU
each, a sixth of the SQLite run's test time with the subprocess migrations below). Now the
first process migrates, leaves a template of the result in the run's shared folder, and the
others start from a copy:

- SQLite: the template is a file written with SQLite's backup API from the migrated in-memory
  database; a process loads it into its own in-memory database before Django opens it.
- PostgreSQL: the template is a database created from the migrated one (a file copy in the
  server); a process's database is created from it.

Either way Django's `migrate` still runs over the copy and finds nothing to do: what it checks
and what its post_migrate handlers add are as in a migrated database. The template also serves
the tests that start UnionHub in subprocesses on a SQLite file (`migrated_sqlite`).
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import setup_databases, teardown_databases

_STATE = "test-database.json"


def _server_url() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0]


def _admin_execute(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


@contextmanager
def _locked(shared: Path) -> Iterator[None]:
    with open(shared / "test-database.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def template_file(shared: Path) -> Path | None:
    """The run's migrated SQLite database as a file, once a process has migrated one."""
    state = shared / _STATE
    if not state.exists():
        return None
    fields = json.loads(state.read_text())
    return Path(fields["template"]) if fields["vendor"] == "sqlite" else None


def setup(shared: Path, *, verbosity: int, aliases: set[str], serialized: set[str]) -> Any:
    """Set up this process's test database: migrated by the first process of the run, a copy
    of its template in the others. Returns what `teardown` needs."""
    state = shared / _STATE
    with _locked(shared):
        if not state.exists():
            config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized,
            )
            state.write_text(json.dumps(_leave_template(shared)))
            return config, None
        fields = json.loads(state.read_text())
        keep = _copy_template(fields)
    config = setup_databases(
        verbosity=verbosity,
        interactive=False,
        aliases=aliases,
        serialized_aliases=serialized,
        keepdb=True,
    )
    return config, keep


def _leave_template(shared: Path) -> dict[str, str]:
    if connection.vendor == "postgresql":
        own = connection.settings_dict["NAME"]
        template = f"{own}_template"
        quoted = connection.ops.quote_name
        connection.close()  # a template's source may hold no open session
        _admin_execute(
            f"DROP DATABASE IF EXISTS {quoted(template)} WITH (FORCE)",
            f"CREATE DATABASE {quoted(template)} TEMPLATE {quoted(own)}",
        )
        return {"vendor": "postgresql", "template": template}
    template_path = shared / "migrated.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(template_path) as copy:
        connection.connection.backup(copy)
    return {"vendor": "sqlite", "template": str(template_path)}


def _copy_template(fields: dict[str, str]) -> Any:
    """Put a copy of the template where Django's keepdb set-up will find this process's test
    database. Returns what must stay open for it to live (the in-memory SQLite database lives
    as long as one connection to it is open), or the PostgreSQL database to drop at the end."""
    name = connection.creation._get_test_db_name()
    if fields["vendor"] == "postgresql":
        quoted = connection.ops.quote_name
        _admin_execute(
            f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)",
            f"CREATE DATABASE {quoted(name)} TEMPLATE {quoted(fields['template'])}",
        )
        return name
    if connection.creation.is_in_memory_db(name):
        keeper = sqlite3.connect(name, uri=True, check_same_thread=False)
    else:
        keeper = sqlite3.connect(name)
    with sqlite3.connect(fields["template"]) as template:
        template.backup(keeper)
    return keeper


def teardown(config: Any, *, verbosity: int) -> None:
    databases, keep = config
    if keep is None:
        teardown_databases(databases, verbosity=verbosity)
        return
    # keepdb left the copy in place: it goes here.
    for test_connection, old_name, _destroy in databases:
        test_connection.close()
        test_connection.settings_dict["NAME"] = old_name
    if isinstance(keep, str):
        quoted = connection.ops.quote_name
        _admin_execute(f"DROP DATABASE IF EXISTS {quoted(keep)} WITH (FORCE)")
    else:
        keep.close()


def drop_template(shared: Path) -> None:
    """At the end of a run on PostgreSQL: the template database goes."""
    state = shared / _STATE
    if not state.exists():
        return
    fields = json.loads(state.read_text())
    if fields["vendor"] == "postgresql":
        _admin_execute(f'DROP DATABASE IF EXISTS "{fields["template"]}" WITH (FORCE)')


def reset(shared: Path) -> None:
    """This process's test database back to the run's migrated template: after a test that
    migrated it backwards, a copy instead of migrating every app forward again."""
    fields = json.loads((shared / _STATE).read_text())
    if fields["vendor"] == "postgresql":
        own = connection.settings_dict["NAME"]
        quoted = connection.ops.quote_name
        connection.close()
        _admin_execute(
            f"DROP DATABASE IF EXISTS {quoted(own)} WITH (FORCE)",
            f"CREATE DATABASE {quoted(own)} TEMPLATE {quoted(fields['template'])}",
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(fields["template"]) as template:
        template.backup(connection.connection)
