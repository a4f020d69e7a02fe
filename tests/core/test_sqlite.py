"""The embedded backend's writer queue: writers wait their turn, for as long as the timeout."""

import sqlite3
import threading
from contextlib import contextmanager, nullcontext

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from unionhub.core.sqlite import base


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker):
    """These tests open their own databases, not the suite's test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    """A file database in WAL mode; `connect()` gives each thread its own Django connection."""
    name = str(tmp_path / "gate.sqlite3")
    with sqlite3.connect(name) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, who TEXT)")
    opened = []

    def connect(timeout: float = 5):
        handler = ConnectionHandler(
            {
                "default": {
                    "ENGINE": "unionhub.core.sqlite",
                    "NAME": name,
                    "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
                }
            }
        )
        connection = handler["default"]
        opened.append(connection)
        return connection

    connect.name = name
    yield connect
    for connection in opened:
        connection.inc_thread_sharing()  # some were opened by the tests' threads
        connection.close()


def entries(name: str) -> list[str]:
    with sqlite3.connect(name) as reader:
        return [who for (who,) in reader.execute("SELECT who FROM entry ORDER BY id")]


@contextmanager
def atomic(connection):
    """transaction.atomic's outermost block, on a connection outside django.db.connections."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.set_autocommit(True)


def write(connection, who: str, inside=None) -> None:
    with atomic(connection):
        connection.cursor().execute("INSERT INTO entry (who) VALUES (%s)", [who])
        if inside:
            inside()


def test_a_second_writer_waits_for_the_first_to_commit(database):
    inside_first, second_started = threading.Event(), threading.Event()

    def hold():
        inside_first.set()
        assert second_started.wait(5)
        # The second writer is queued now; it cannot have written anything yet.
        assert entries(database.name) == []

    holder = threading.Thread(target=lambda: write(database(), "first", hold))
    holder.start()
    assert inside_first.wait(5)
    waiter = threading.Thread(
        target=lambda: (second_started.set(), write(database(), "second")), daemon=True
    )
    waiter.start()
    holder.join(5)
    waiter.join(5)

    assert entries(database.name) == ["first", "second"]


def test_a_writer_gives_up_after_the_timeout(database):
    holding, done = threading.Event(), threading.Event()

    def hold():
        holding.set()
        assert done.wait(5)

    holder = threading.Thread(target=lambda: write(database(), "holder", hold))
    holder.start()
    assert holding.wait(5)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            write(database(timeout=0.2), "late")
    finally:
        done.set()
        holder.join(5)

    assert entries(database.name) == ["holder"]


def test_a_writer_waits_for_another_process_then_writes(database):
    """Another process's writer is seen as SQLITE_BUSY; the retries outlast it."""
    other = sqlite3.connect(database.name, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO entry (who) VALUES ('other process')")
    release = threading.Timer(0.2, other.execute, args=["COMMIT"])
    release.start()
    try:
        write(database(), "after")
    finally:
        release.join()
        other.close()

    assert entries(database.name) == ["other process", "after"]


def test_a_writer_gives_up_on_another_process_after_the_timeout(database):
    other = sqlite3.connect(database.name, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            write(database(timeout=0.1), "late")
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_the_queue_moves_on_however_a_transaction_ends(database, ending):
    connection = database(timeout=0.5)
    if ending == "close":
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        connection.cursor().execute("INSERT INTO entry (who) VALUES ('abandoned')")
        connection.close()
    else:
        with pytest.raises(ZeroDivisionError) if ending == "rollback" else nullcontext():
            write(connection, ending, inside=(lambda: 1 / 0) if ending == "rollback" else None)

    write(database(timeout=0.5), "next")  # would time out if the lock were still held

    assert entries(database.name) == (["commit", "next"] if ending == "commit" else ["next"])


def test_memory_databases_keep_djangos_behaviour(database):
    handler = ConnectionHandler({"default": {"ENGINE": "unionhub.core.sqlite", "NAME": ":memory:"}})
    connection = handler["default"]
    with atomic(connection):
        assert connection._held_write_lock is None
    assert base._write_locks.get(":memory:") is None
