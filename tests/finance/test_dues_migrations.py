"""Migration 0016: dues lines already paid and not yet posted go to an open batch of their
unit and month (the one the next posting fills in); going back takes them out again.

The entry of the posted batch is a draft: on SQLite a committed posted entry cannot be flushed
after the test (migration 0003), and which lines the migration moves does not depend on it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.migrations import migrate_to

BEFORE = [("finance", "0015_union_fee_entries_on_the_payments")]
AFTER = [("finance", "0016_dues_lines_join_their_batch_when_paid")]
JUNE, JULY = dt.date(2025, 6, 1), dt.date(2025, 7, 1)


@pytest.mark.django_db(transaction=True)
def test_paid_lines_waiting_to_be_posted_join_an_open_batch_of_their_unit_and_month(
    tree, admit, reset_database
):
    union, other = tree.grassroots_a1.pk, tree.grassroots_a2.pk
    members = [admit().pk for _ in range(4)]
    try:
        apps = migrate_to(BEFORE)
        line = apps.get_model("finance", "DuesLine")
        batch = apps.get_model("finance", "DuesBatch")
        entry = apps.get_model("finance", "JournalEntry")
        posted_entry = entry.objects.create(
            unit_id=union, date=JUNE, kind="dues", description="Dues of 06/2025"
        )
        posted = batch.objects.create(
            unit_id=union, month=JUNE, total=50_000, kept=50_000, upper_share=0,
            entry=posted_entry,
        )  # fmt: skip

        def dues(member, unit, month, paid_on=None, batch=None):
            return line.objects.create(
                member_id=member, unit_id=unit, month=month, salary=5_000_000, rate="0.01",
                cap=234_000, amount=50_000, paid_on=paid_on, batch=batch,
            ).pk  # fmt: skip

        in_books = dues(members[0], union, JUNE, paid_on=JUNE, batch=posted)
        waiting = [dues(members[1], union, JUNE, JUNE), dues(members[2], union, JUNE, JUNE)]
        elsewhere = dues(members[3], other, JULY, JULY)
        unpaid = dues(members[0], union, JULY)

        apps = migrate_to(AFTER)
        line = apps.get_model("finance", "DuesLine")
        batch = apps.get_model("finance", "DuesBatch")
        assert line.objects.get(pk=in_books).batch_id == posted.pk
        opened = {(b.unit_id, b.month): b.pk for b in batch.objects.filter(entry=None)}
        assert set(opened) == {(union, JUNE), (other, JULY)}
        assert [line.objects.get(pk=pk).batch_id for pk in waiting] == [opened[union, JUNE]] * 2
        assert line.objects.get(pk=elsewhere).batch_id == opened[other, JULY]
        assert line.objects.get(pk=unpaid).batch_id is None

        apps = migrate_to(BEFORE)
        line = apps.get_model("finance", "DuesLine")
        batch = apps.get_model("finance", "DuesBatch")
        assert list(batch.objects.values_list("pk", flat=True)) == [posted.pk]
        assert [line.objects.get(pk=pk).batch_id for pk in (*waiting, elsewhere)] == [None] * 3
        assert line.objects.get(pk=in_books).batch_id == posted.pk
    finally:
        # Every app's latest state again, for the later tests of this process: a copy of
        # the run's migrated database (tests/databases.py), not every app migrated forward.
        reset_database()
