"""Fast multi-row INSERT for the import's write path, inside the caller's transaction.

Rows go into a temporary staging table (executemany on SQLite, COPY on PostgreSQL) and then into
the real tables with INSERT … SELECT. Measured on 20,000 members: `bulk_create` ≈ 3,000 rows/s;
executemany straight into `members_member` ≈ 7,000 rows/s, because the search index's FTS5
trigger pays a per-statement cost on every row; staging + INSERT … SELECT ≈ 29,000 rows/s with
the trigger still firing (one statement). The database keeps doing everything it does on any
insert (triggers, generated columns, constraints, indexes): nothing is bypassed.

Values that are the same on every row (the import's timestamp, its officer, a member's first
state) are passed once as `constants` and added by the INSERT … SELECT rather than staged per row:
on SQLite every staged value is bound one by one.

`Writer` runs the INSERT … SELECTs in a thread while the caller prepares the next rows (the
database works with the GIL released: PostgreSQL in its own process, SQLite inside its C
library), and `reserve_ids` hands out the new rows' keys beforehand, so rows that refer to them
are built without waiting on a RETURNING.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model

STAGE_CHUNK = 5000
# SQLite's page cache while an import writes (KiB; SQLite's default is 2 MiB). A 70,000-member
# import touches ~100 MiB of table, index and search-index pages in one transaction; with the
# default cache most of them are spilled to the WAL and read back several times.
IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def large_writes() -> Iterator[None]:
    """A larger SQLite page cache for the connection while a big import writes; the setting
    is put back afterwards. Nothing changes on PostgreSQL (shared buffers are the server's)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _field(model: type[Model], column: str) -> Field:
    return next(f for f in model._meta.concrete_fields if f.attname == column)


def adapter(field: Field) -> Callable[[Any], Any] | None:
    """How the database wants this field's Python values (dates as ISO text on SQLite, UUIDs
    as hex, aware datetimes in UTC), or None when it takes them as they are: the backend's own
    adaptation, looked up once per column rather than through Field.get_db_prep_save per value
    (a third of the write time)."""
    connection = connections[DEFAULT_DB_ALIAS]
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateField":
        # Rows share dates (days of birth, of joining): each is adapted once.
        adapted: dict[Any, Any] = {None: None}

        def adapt_date(value: Any) -> Any:
            try:
                return adapted[value]
            except KeyError:
                result = adapted[value] = ops.adapt_datefield_value(value)
                return result

        return adapt_date
    if kind == "DateTimeField":
        last: list = [None, None]

        def adapt_datetime(value: Any) -> Any:
            if value is not last[0]:  # rows of one import share one timestamp
                last[:] = [value, ops.adapt_datetimefield_value(value)]
            return last[1]

        return adapt_datetime
    if kind == "UUIDField":
        return None if connection.features.has_native_uuid_field else lambda value: value.hex
    if kind in ("BooleanField", "DecimalField"):
        return lambda value: None if value is None else field.get_db_prep_save(value, connection)
    return None


def reserve_ids(*models: type[Model], count: int) -> list[list[int]]:
    """`count` new primary keys of each of `models`, taken as inserts take them, so that rows
    referring to new rows can be built before those are inserted (nothing waits on a
    RETURNING). One list per model, in the order given.

    Inside the caller's transaction. PostgreSQL hands them out from the keys' sequences, in one
    query; on SQLite they continue the AUTOINCREMENT counters (keys are never reused) and are
    claimed in them at once, which no other writer can do meanwhile: the transaction holds the
    write lock."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_ids needs the caller's transaction")
    tables = [(model._meta.db_table, _pk_column(model)) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            lookups = ", ".join(["pg_get_serial_sequence(%s, %s)"] * len(tables))
            cursor.execute(f"SELECT {lookups}", [name for table in tables for name in table])
            sequences = cursor.fetchone()
            # The names as parameters, not the look-ups inside nextval: those would run once
            # per key (ten times slower).
            taken = ", ".join(["nextval(%s::regclass)"] * len(tables))
            cursor.execute(f"SELECT {taken} FROM generate_series(1, %s)", [*sequences, count])
            return [list(keys) for keys in zip(*cursor.fetchall(), strict=True)]
        return [_reserve_sqlite(cursor, table, key, count) for table, key in tables]


def _pk_column(model: type[Model]) -> str:
    column = model._meta.pk.column
    if column is None:  # only a field that is not a column (a relation's reverse) lacks one
        raise TypeError(f"{model.__name__} has no primary key column")
    return column


def _reserve_sqlite(cursor: Any, table: str, key: str, count: int) -> list[int]:
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    found = cursor.fetchone()
    if found is None:
        quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(key)}), 0) FROM {quote(table)}")
        last = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count]
        )
    else:
        last = found[0]
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last + count, table])
    return list(range(last + 1, last + 1 + count))


@dataclass(frozen=True)
class Stage:
    """A staging table of a Writer, with its columns in order."""

    table: str  # quoted
    columns: tuple[str, ...]


class Writer:
    """Multi-row inserts in two steps, so the database's work overlaps the caller's.

    `stage` fills a temporary table at once (Python's work: executemany or COPY); `insert_from`
    queues an INSERT … SELECT from it into a model's table (one staging table may feed several
    tables); `then` queues work that needs those rows in the database. `apply` hands the
    queued statements (the database's work: indexes, triggers, constraints) to a thread,
    which waits on the database with the GIL released, and returns: the caller goes on
    preparing the next rows. `wait` waits for them, raises their error if
    there was one, then runs their `then` callbacks, in the caller's thread.

    Between `apply` and `wait` the connection is the thread's: the caller must `wait` before
    any query of its own (`stage` waits by itself). Use as a context manager, inside the
    caller's transaction: leaving the block applies what is still queued and waits for it;
    after an error it only waits for the thread.
    """

    def __init__(self) -> None:
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.statements: list[tuple[str, list[Any]]] = []
        self.stages: list[Stage] = []
        self.queued_then: list[Callable[[], None]] = []
        self.applied_then: list[Callable[[], None]] = []
        self.running: Future | None = None
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-apply")

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        try:
            if kind is None:
                self.apply()
                self.wait()
            elif self.running is not None:
                futures.wait([self.running])  # the first error is the one that propagates
        finally:
            self.pool.shutdown()

    def stage(self, fields: Sequence[tuple[str, Field]], rows: Iterable[Sequence[Any]]) -> Stage:
        """A temporary table of the named columns, each typed as its field, filled with `rows`
        (tuples in that order, the fields' Python values); dropped by the next `apply`."""
        self.wait()
        connection = self.connection
        quote = connection.ops.quote_name
        adapters = [
            (index, function)
            for index, (_name, field) in enumerate(fields)
            if (function := adapter(field)) is not None
        ]

        def adapt(row: Sequence[Any]) -> Sequence[Any]:
            if not adapters:
                return row
            row = list(row)
            for index, function in adapters:
                row[index] = function(row[index])
            return row

        stage = Stage(
            quote(f"import_stage_{uuid.uuid4().hex[:12]}"), tuple(name for name, _f in fields)
        )
        typed = ", ".join(f"{quote(name)} {field.db_type(connection)}" for name, field in fields)
        names = ", ".join(quote(name) for name in stage.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {stage.table} ({typed})")
            if connection.vendor == "postgresql":
                _copy(cursor, stage.table, names, map(adapt, rows))
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {stage.table} ({names}) VALUES ({placeholders})"
                for chunk in _chunks(map(adapt, rows), STAGE_CHUNK):
                    cursor.executemany(sql, chunk)
        self.stages.append(stage)
        return stage

    def insert_from(
        self,
        stage: Stage,
        model: type[Model],
        columns: dict[str, str],
        *,
        constants: dict[str, Any] | None = None,
    ) -> None:
        """Queue the insert of a row of `model` per row of `stage`: `columns` maps the model's
        attnames to the stage's columns, and `constants` (attname → value) are the same on
        every row, bound once rather than staged per row."""
        connection = self.connection
        quote = connection.ops.quote_name
        fixed_values, fixed_sql = [], []
        for column, value in (constants or {}).items():
            field = _field(model, column)
            function = adapter(field)
            fixed_values.append(value if function is None else function(value))
            if connection.vendor == "postgresql":
                # A bare parameter in a SELECT list is text to PostgreSQL, which will not
                # assign text to a date or integer column; SQLite's column affinity converts.
                fixed_sql.append(f"CAST(%s AS {field.db_type(connection)})")
            else:
                fixed_sql.append("%s")
        targets = ", ".join(quote(c) for c in [*columns, *(constants or {})])
        sources = ", ".join([*(quote(c) for c in columns.values()), *fixed_sql])
        self.statements.append(
            (
                f"INSERT INTO {quote(model._meta.db_table)} ({targets})"
                f" SELECT {sources} FROM {stage.table}",
                fixed_values,
            )
        )

    def then(self, callback: Callable[[], None]) -> None:
        """Run `callback` (in the caller's thread) once the queued rows are in the database."""
        self.queued_then.append(callback)

    def apply(self) -> None:
        """Start the queued inserts in the thread; their `then` callbacks run at `wait`."""
        self.wait()
        if not self.statements and not self.stages:
            self.applied_then += self.queued_then
            self.queued_then = []
            return
        statements = self.statements + [(f"DROP TABLE {s.table}", []) for s in self.stages]
        self.statements, self.stages = [], []
        if self.connection.vendor == "postgresql":
            # The foreign keys of the rows just inserted are checked here, in the thread,
            # rather than all at the commit, which nothing overlaps: what Django's
            # check_constraints does (every constraint of the schema is deferrable and
            # initially deferred, so DEFERRED afterwards is the mode they had).
            statements += [
                ("SET CONSTRAINTS ALL IMMEDIATE", []),
                ("SET CONSTRAINTS ALL DEFERRED", []),
            ]
        self.running = self.pool.submit(self._run_and_close, self.connection.cursor(), statements)
        self.applied_then += self.queued_then
        self.queued_then = []

    def _run_and_close(self, cursor: Any, statements: list[tuple[str, list[Any]]]) -> None:
        with cursor:
            self._run(cursor, statements)

    @staticmethod
    def _run(cursor: Any, statements: list[tuple[str, list[Any]]]) -> None:
        for sql, params in statements:
            cursor.execute(sql, params)

    def wait(self) -> None:
        if self.running is not None:
            running, self.running = self.running, None
            running.result()
        while self.applied_then:
            self.applied_then.pop(0)()


def _copy(cursor: Any, stage: str, names: str, rows: Iterable[Sequence[Any]]) -> None:
    raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
    with raw.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterable[list[Sequence[Any]]]:
    chunk: list[Sequence[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
