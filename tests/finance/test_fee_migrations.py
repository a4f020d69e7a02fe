"""Migrations 0013–0015: every union fee already paid becomes a payment, a posted one keeping
its entries; going back puts the entries back on the fees.

The entries here are drafts: on SQLite a committed posted entry cannot be flushed after the
test (migration 0003), and which entries the migration links does not depend on their status."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.migrations import migrate_to

BEFORE = [("finance", "0012_fee_collector_rules_seeded")]
AFTER = [("finance", "0015_union_fee_entries_on_the_payments")]
JUNE, JULY, AUGUST = dt.date(2025, 6, 1), dt.date(2025, 7, 1), dt.date(2025, 8, 1)


@pytest.mark.django_db(transaction=True)
def test_paid_fees_become_payments_and_posted_ones_keep_their_entries(tree, reset_database):
    union, district = tree.grassroots_a1.pk, tree.district_a.pk
    try:
        apps = migrate_to(BEFORE)
        fee = apps.get_model("finance", "EmployerFee")
        entry = apps.get_model("finance", "JournalEntry")

        def draft(unit_id):
            return entry.objects.create(
                unit_id=unit_id, date=dt.date(2025, 7, 8), kind="fee", description="—"
            )

        common = {"unit_id": union, "payroll": 10_000_000, "rate": "0.02", "due": 200_000}
        collected, received = draft(district), draft(union)
        posted = fee.objects.create(
            month=JUNE, status="paid", paid=200_000, paid_on=dt.date(2025, 7, 3),
            collector_id=district, share=150_000, entry=collected, grassroots_entry=received,
            **common,
        )  # fmt: skip
        paid = fee.objects.create(month=JULY, paid=50_000, paid_on=dt.date(2025, 8, 2), **common)
        unpaid = fee.objects.create(month=AUGUST, **common)

        apps = migrate_to(AFTER)
        fee = apps.get_model("finance", "EmployerFee")
        payment = apps.get_model("finance", "EmployerFeePayment")
        moved = payment.objects.get(fee_id=posted.pk)
        assert (moved.amount, moved.paid_on, moved.share, moved.collector_id) == (
            200_000, dt.date(2025, 7, 3), 150_000, district
        )  # fmt: skip
        assert (moved.entry_id, moved.grassroots_entry_id) == (collected.pk, received.pk)
        assert fee.objects.get(pk=posted.pk).posted == 200_000
        waiting = payment.objects.get(fee_id=paid.pk)
        assert (waiting.amount, waiting.entry_id, waiting.share) == (50_000, None, None)
        assert fee.objects.get(pk=paid.pk).posted == 0
        assert not payment.objects.filter(fee_id=unpaid.pk).exists()

        apps = migrate_to(BEFORE)
        fee = apps.get_model("finance", "EmployerFee")
        back = fee.objects.get(pk=posted.pk)
        assert (back.entry_id, back.grassroots_entry_id) == (collected.pk, received.pk)
        assert fee.objects.get(pk=paid.pk).entry_id is None
    finally:
        # Every app's latest state again, for the later tests of this process: a copy of
        # the run's migrated database (tests/databases.py), not every app migrated forward.
        reset_database()
