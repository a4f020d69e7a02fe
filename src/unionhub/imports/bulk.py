"""Fast multi-row INSERT for the import's write path, inside the caller's transaction.

Rows go into a temporary staging table (executemany on SQLite, COPY on PostgreSQL) and then into
the real table with one INSERT … SELECT. Measured on 20,000 members: `bulk_create` ≈ 3,000
rows/s; executemany straight into `members_member` ≈ 7,000 rows/s, because the search index's
FTS5 trigger pays a per-statement cost on every row; staging + INSERT … SELECT ≈ 29,000 rows/s
with the trigger still firing (one statement). The database keeps doing everything it does on
any insert (triggers, generated columns, constraints, indexes): nothing is bypassed.

Values that are the same on every row (the import's timestamp, its officer, a member's first
state) are passed once as `constants` and added by the INSERT … SELECT rather than staged per row:
on SQLite every staged value is bound one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

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


def _field(model: type[Model], column: str) -> Any:
    return next(f for f in model._meta.concrete_fields if f.attname == column)


def adapter(model: type[Model], column: str) -> Callable[[Any], Any] | None:
    """How the database wants this column's Python values (dates as ISO text on SQLite, UUIDs
    as hex, aware datetimes in UTC), or None when it takes them as they are: the backend's own
    adaptation, looked up once per column rather than through Field.get_db_prep_save per value
    (a third of the write time)."""
    connection = connections[DEFAULT_DB_ALIAS]
    field = _field(model, column)
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


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys of `model`, taken as inserts take them, so that rows referring
    to new rows can be built before those are inserted (nothing waits on a RETURNING).

    Inside the caller's transaction. PostgreSQL hands them out from the key's sequence; on
    SQLite they continue the AUTOINCREMENT counter (keys are never reused) and are claimed in
    it at once, which no other writer can do meanwhile: the transaction holds the write lock."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_ids needs the caller's transaction")
    table, key = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, key, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        if found is None:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT COALESCE(MAX({quote(key)}), 0) FROM {quote(table)}")
            last = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count]
            )
        else:
            last = found[0]
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last + count, table]
            )
    return list(range(last + 1, last + 1 + count))


class Writer:
    """Multi-row inserts in two steps, so the database's work overlaps the caller's.

    `insert` stages rows at once (Python's work: executemany or COPY into a temporary table);
    `apply` hands the INSERT … SELECTs from the staging tables (the database's work: indexes,
    triggers, constraints) to a thread, which waits on the database with the GIL released, and
    returns: the caller goes on preparing the next rows. `wait` waits for them, raises their
    error if there was one, then runs the `then` callbacks given to `apply` (work that needs
    the rows in the database, in the caller's thread).

    Between `apply` and `wait` the connection is the thread's: the caller must `wait` before
    any query of its own (`insert` waits by itself). Use as a context manager, inside the
    caller's transaction: leaving the block waits for the thread, whatever happened.
    """

    def __init__(self) -> None:
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.statements: list[tuple[str, list[Any]]] = []
        self.then: list[Callable[[], None]] = []
        self.running: Future | None = None
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-apply")

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        try:
            if kind is None:
                self.wait()
            elif self.running is not None:
                futures.wait([self.running])  # the first error is the one that propagates
        finally:
            self.pool.shutdown()

    def insert(
        self,
        model: type[Model],
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        constants: dict[str, Any] | None = None,
    ) -> None:
        """Stage `rows` (tuples in the order of `columns`, attnames) for `model`'s table, each
        to be inserted with the `constants` (attname → value) by the next `apply`."""
        self.wait()
        connection = self.connection
        constants = constants or {}
        adapters = [
            (index, function)
            for index, column in enumerate(columns)
            if (function := adapter(model, column)) is not None
        ]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        staged = ", ".join(quote(c) for c in columns)
        stage = quote(f"import_stage_{uuid.uuid4().hex[:12]}")

        def adapt(row: Sequence[Any]) -> Sequence[Any]:
            if not adapters:
                return row
            row = list(row)
            for index, function in adapters:
                row[index] = function(row[index])
            return row

        fixed_values = []
        fixed_sql = []
        for column, value in constants.items():
            function = adapter(model, column)
            fixed_values.append(value if function is None else function(value))
            if connection.vendor == "postgresql":
                # A bare parameter in a SELECT list is text to PostgreSQL, which will not
                # assign text to a date or integer column; SQLite's column affinity converts.
                fixed_sql.append(f"CAST(%s AS {_field(model, column).db_type(connection)})")
            else:
                fixed_sql.append("%s")
        names = ", ".join([staged, *(quote(c) for c in constants)])
        selected = ", ".join([staged, *fixed_sql])
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TEMP TABLE {stage} AS SELECT {staged} FROM {table} WITH NO DATA"
                )
                _copy(cursor, stage, staged, map(adapt, rows))
            else:
                cursor.execute(f"CREATE TEMP TABLE {stage} AS SELECT {staged} FROM {table} WHERE 0")
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {stage} ({staged}) VALUES ({placeholders})"
                for chunk in _chunks(map(adapt, rows), STAGE_CHUNK):
                    cursor.executemany(sql, chunk)
        self.statements += [
            (f"INSERT INTO {table} ({names}) SELECT {selected} FROM {stage}", fixed_values),
            (f"DROP TABLE {stage}", []),
        ]

    def apply(self, *, then: Callable[[], None] | None = None) -> None:
        """Start inserting what is staged, in the thread; `then` runs at the next `wait`."""
        self.wait()
        statements, self.statements = self.statements, []
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
        if then is not None:
            self.then.append(then)

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
        while self.then:
            self.then.pop(0)()


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
