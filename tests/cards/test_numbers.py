"""Card numbers: the MOD 97-10 check digits catch every single-digit error and every swap of
adjacent digits; numbers carry their series and are allocated from a locked counter."""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from unionhub.cards import numbers, services
from unionhub.cards.models import CardSeries

prefixes = st.from_regex(r"\A[0-9]{3}\Z")
serials = st.integers(min_value=1, max_value=numbers.MAX_SERIAL)


@given(prefixes, serials)
def test_composed_numbers_are_valid_and_carry_their_series(prefix, serial):
    number = numbers.compose(prefix, serial)
    assert len(number) == 13
    assert number.startswith(prefix)
    assert int(number[3:11]) == serial
    assert numbers.is_valid(number)


@given(prefixes, serials, st.integers(0, 12), st.integers(1, 9))
def test_every_single_digit_error_is_caught(prefix, serial, position, shift):
    number = numbers.compose(prefix, serial)
    wrong = str((int(number[position]) + shift) % 10)
    mistyped = number[:position] + wrong + number[position + 1 :]
    assert not numbers.is_valid(mistyped)


@given(prefixes, serials, st.integers(0, 11))
def test_every_adjacent_transposition_is_caught(prefix, serial, position):
    number = numbers.compose(prefix, serial)
    a, b = number[position], number[position + 1]
    swapped = number[:position] + b + a + number[position + 2 :]
    if a != b:
        assert not numbers.is_valid(swapped)


def test_display_groups_and_normalise_reads_them_back():
    number = numbers.compose("042", 1234)
    shown = numbers.display(number)
    assert shown == f"042 0000 1234 {number[-2:]}"
    assert numbers.is_valid(shown)
    assert numbers.normalise("042-0000.1234 " + number[-2:]) == number


def test_series_code_is_unique_across_provinces(tree, series):
    from unionhub.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.card_series_set(unit=tree.district_b, code="042", by=tree.admin)
    assert error.value.code == "series_code_taken"


def test_series_code_cannot_change_once_numbers_were_issued(tree, issued_card):
    from unionhub.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.card_series_set(unit=tree.province, code="043", by=tree.admin)
    assert error.value.code == "series_in_use"


def test_province_officer_cannot_set_its_own_series(tree, officer_at):
    from unionhub.core.errors import OutOfScope

    admin = officer_at(tree.province, "unit_admin")
    with pytest.raises(OutOfScope):
        services.card_series_set(unit=tree.province, code="042", by=admin)


WORKER = """
import json, os, sys, time
import django
django.setup()
from django.db import transaction
from unionhub.cards.models import CardSeries
from unionhub.cards.services import allocate_numbers
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.005)
series = CardSeries.objects.get(code="042")
got = []
for _ in range(int(sys.argv[2])):
    with transaction.atomic():
        got += allocate_numbers(series=series, count=1)
print(json.dumps(got))
"""


def _database_url_for_workers(tmp: Path) -> tuple[str, Path | None]:
    """A DATABASE_URL other processes can open: the test database itself on PostgreSQL; for
    SQLite's in-memory test database, a file copy of it (written back afterwards)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{settings['NAME']}", None
    path = tmp / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    # In WAL mode before the workers open it: two processes switching a fresh file's journal
    # at the same moment makes SQLite refuse one of them ("database is locked").
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return f"sqlite:///{path}", path


@pytest.mark.django_db(transaction=True)
def test_two_processes_allocating_at_once_never_share_a_number(tree):
    services.card_series_set(unit=tree.province, code="042", by=tree.admin)
    per_worker = 40
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url, sqlite_file = _database_url_for_workers(tmp)
        go = tmp / "go"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "unionhub.settings"}
        env.pop("TEST_DATABASE_NAME", None)
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(go), str(per_worker)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        time.sleep(1.0)  # both workers are importing Django and waiting for the signal
        go.touch()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results.append(json.loads(out))
        if sqlite_file:
            with sqlite3.connect(sqlite_file) as db:
                last = db.execute("SELECT last_serial FROM cards_cardseries").fetchone()[0]
        else:
            last = CardSeries.objects.get(code="042").last_serial
    everything = results[0] + results[1]
    assert len(everything) == len(set(everything)) == 2 * per_worker
    assert sorted(int(n[3:11]) for n in everything) == list(range(1, 2 * per_worker + 1))
    assert all(numbers.is_valid(n) for n in everything)
    assert last == 2 * per_worker
