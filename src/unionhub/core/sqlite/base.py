"""Django's SQLite backend, with writers that queue instead of sleeping.

SQLite admits one writer at a time. A second writer's BEGIN IMMEDIATE waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10, 15, 20, 25… ms between attempts and so often wakes long
after the lock is free: under a burst of writes (a congress door at opening time) those sleeps,
not the writes, made the slowest answers. Here the threads of one process queue on a lock that
wakes the next one the moment a transaction ends, and only the thread at the head of that queue
tries BEGIN, every fraction of a millisecond while another process (the other web worker, the
task worker) writes. The configured `timeout` still bounds the whole wait, as before.

In-memory databases (the test suite's) keep Django's behaviour: they live in one process, and a
test holds its transaction open for its whole length while its threads write.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from django.db.backends.sqlite3 import base

# One lock per database file and process: each thread has its own connection, all to one file.
_write_locks: dict[str, threading.Lock] = {}
_write_locks_guard = threading.Lock()
# The pause between two attempts at BEGIN while another process writes: short at first, as
# most transactions last about a millisecond, and never long enough to oversleep by much.
FIRST_RETRY_S = 0.0002
LONGEST_RETRY_S = 0.002


def _write_lock(name: str) -> threading.Lock:
    with _write_locks_guard:
        return _write_locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _held_write_lock: threading.Lock | None = None

    def _busy_timeout_s(self) -> float:
        return float(self.settings_dict["OPTIONS"].get("timeout", 5))

    def _start_transaction_under_autocommit(self) -> None:
        if self.is_in_memory_db():
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private Django API, not in django-stubs
            return
        timeout = self._busy_timeout_s()
        deadline = time.monotonic() + timeout
        lock = _write_lock(str(self.settings_dict["NAME"]))
        with self.wrap_database_errors:
            if not lock.acquire(timeout=timeout):
                raise self.Database.OperationalError("database is locked")
            try:
                self._begin(deadline)
            except BaseException:
                lock.release()
                raise
        self._held_write_lock = lock

    def _begin(self, deadline: float) -> None:
        # Django 5.1's OPTIONS["transaction_mode"], not yet in django-stubs
        statement = f"BEGIN {self.transaction_mode or ''}"  # type: ignore[attr-defined]
        raw = self.connection
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            pause = FIRST_RETRY_S
            while True:
                try:
                    raw.execute(statement)
                    return
                except sqlite3.OperationalError as error:
                    if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                        raise
                time.sleep(pause)
                pause = min(2 * pause, LONGEST_RETRY_S)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_s() * 1000)}")

    def _release_write_lock(self) -> None:
        lock, self._held_write_lock = self._held_write_lock, None
        if lock is not None:
            lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private Django API, not in django-stubs
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private Django API, not in django-stubs
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private Django API, not in django-stubs
        finally:
            self._release_write_lock()
