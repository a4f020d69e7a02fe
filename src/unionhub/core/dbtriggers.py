"""Database-side rules written once per engine, for migrations: the statements a migration runs
on SQLite and on PostgreSQL (other engines get none, and keep only the services' checks).

Apps that make rows immutable with triggers (dispatch's issued documents, finance's posted
journal entries) go through `per_vendor`, so the forward and backward SQL for each engine is
chosen in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _run(statements: dict[str, list[str]]) -> Callable[[Any, BaseDatabaseSchemaEditor], None]:
    def run(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def per_vendor(
    forward: dict[str, list[str]], backward: dict[str, list[str]]
) -> migrations.RunPython:
    """A migration operation running `forward[vendor]` (and, unapplied, `backward[vendor]`),
    vendor being the connection's ("sqlite", "postgresql")."""
    return migrations.RunPython(_run(forward), _run(backward))
