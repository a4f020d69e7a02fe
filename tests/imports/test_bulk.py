"""The import's write path: keys reserved before the insert, and inserts applied in a thread."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from unionhub.audit.models import AuditEvent
from unionhub.imports import bulk
from unionhub.orgs.models import Unit

pytestmark = pytest.mark.django_db


COLUMNS = ("target_id", "target_repr", "data")


def audit_rows(tree, count: int, start: int = 0) -> list[tuple]:
    return [(str(tree.province.pk), f"row {start + n}", "{}") for n in range(count)]


@pytest.fixture
def constants(tree):
    return {
        "action": "test.bulk",
        "at": timezone.now(),
        "actor_id": None,
        "target_type_id": ContentType.objects.get_for_model(Unit).pk,
    }


def insert(writer, columns, rows, constants):
    """Stage `rows` of audit events and queue their insert, column for column."""
    fields = [(c, AuditEvent._meta.get_field(c)) for c in columns]
    staged = writer.stage(fields, rows)
    writer.insert_from(staged, AuditEvent, {c: c for c in columns}, constants=constants)


def stage(writer, tree, constants, count, start=0):
    insert(writer, COLUMNS, audit_rows(tree, count, start), constants)


def test_reserved_keys_are_new_distinct_and_taken_by_the_inserts(tree, constants):
    existing = set(AuditEvent.objects.values_list("pk", flat=True))
    with transaction.atomic():
        [first] = bulk.reserve_ids(AuditEvent, count=3)
        second, units = bulk.reserve_ids(AuditEvent, Unit, count=2)
        with bulk.Writer() as writer:
            insert(
                writer,
                ("id", *COLUMNS),
                [(pk, *row) for pk, row in zip(first + second, audit_rows(tree, 5), strict=True)],
                constants,
            )
            writer.apply()
        # A key taken by a plain insert afterwards comes after the reserved ones.
        later = AuditEvent.objects.create(
            action="test.later", target_type_id=constants["target_type_id"], target_id="0"
        )

    assert len(set(first + second)) == 5 and not set(first + second) & existing
    assert min(first + second) > max(existing, default=0)
    inserted = dict(AuditEvent.objects.filter(action="test.bulk").values_list("target_repr", "pk"))
    assert inserted == {f"row {n}": pk for n, pk in enumerate(first + second)}
    assert later.pk > max(first + second)
    assert len(units) == 2 and min(units) > max(Unit.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_reserving_keys_needs_a_transaction():
    with pytest.raises(RuntimeError):
        bulk.reserve_ids(AuditEvent, count=1)


def test_rows_are_in_the_database_after_wait_and_then_runs_after_them(tree, constants):
    seen = []
    with transaction.atomic(), bulk.Writer() as writer:
        stage(writer, tree, constants, 4)
        writer.then(lambda: seen.append(AuditEvent.objects.filter(action="test.bulk").count()))
        writer.apply()
        assert seen == []  # `then` waits for the writer
        writer.wait()
        assert seen == [4]
        assert AuditEvent.objects.filter(action="test.bulk").count() == 4


def test_a_failure_in_the_writer_is_raised_in_the_caller_and_undoes_everything(tree, constants):
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.Writer() as writer:
        stage(writer, tree, constants, 2)
        writer.apply()
        writer.wait()
        # A NULL action breaks the NOT NULL constraint in the thread, not here.
        stage(writer, tree, {**constants, "action": None}, 2, start=2)
        writer.apply()
        writer.wait()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("applied", [True, False])
def test_leaving_the_block_applies_what_is_queued_and_waits(tree, constants, applied):
    with transaction.atomic():
        with bulk.Writer() as writer:
            stage(writer, tree, constants, 3)
            if applied:
                writer.apply()
        assert writer.running is None
        assert AuditEvent.objects.filter(action="test.bulk").count() == 3


def test_leaving_the_block_on_an_error_writes_nothing_more(tree, constants):
    with pytest.raises(ZeroDivisionError), transaction.atomic(), bulk.Writer() as writer:
        stage(writer, tree, constants, 3)
        raise ZeroDivisionError
    assert writer.statements  # still queued: never applied
    assert AuditEvent.objects.filter(action="test.bulk").count() == 0
