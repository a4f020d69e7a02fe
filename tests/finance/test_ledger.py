import datetime as dt

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from tests.finance.helpers import collect
from unionhub.core.errors import DomainError
from unionhub.finance import selectors, services
from unionhub.finance.models import Account, EntryStatus, JournalEntry, Posting, Remittance
from unionhub.finance.services import Line

JUNE = dt.date(2025, 6, 1)
# The triggers abort with IntegrityError on SQLite and PostgreSQL; some drivers report a
# RAISE in a trigger as an internal error.
REFUSED = (IntegrityError, InternalError)


@pytest.fixture
def posted(tree, admit):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    return JournalEntry.objects.get(unit=tree.grassroots_a1)


def test_an_unbalanced_entry_is_refused(tree):
    with pytest.raises(DomainError) as error:
        services.entry_record(
            unit=tree.grassroots_a1,
            date=JUNE,
            description="Chi hỗ trợ",
            by=tree.admin,
            lines=[Line(Account.SUPPORT_EXPENSE, 500_000), Line(Account.CASH, -400_000)],
        )
    assert error.value.code == "entry_unbalanced"
    assert not JournalEntry.objects.exists()


def test_every_entry_balances(posted, tree):
    for entry in JournalEntry.objects.all():
        assert sum(entry.postings.values_list("amount", flat=True)) == 0
        assert entry.status == EntryStatus.POSTED


def test_reversal_negates_and_leaves_the_entry_as_it_was(posted, tree):
    before = list(posted.postings.values_list("account", "amount"))
    reversal = services.entry_reverse(entry=posted, date=JUNE, by=tree.admin)
    assert sorted(reversal.postings.values_list("account", "amount")) == sorted(
        (account, -amount) for account, amount in before
    )
    assert list(posted.postings.values_list("account", "amount")) == before
    with pytest.raises(DomainError):
        services.entry_reverse(entry=posted, date=JUNE, by=tree.admin)
    book = selectors.trial_balance(user=tree.admin, unit=tree.grassroots_a1)
    assert set(book.values()) == {0}


def _refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except REFUSED:
        return True
    return False


def test_database_refuses_changing_a_posted_posting(posted):
    posting = posted.postings.first()
    assert _refused("UPDATE finance_posting SET amount = amount + 1 WHERE id = %s", [posting.pk])
    assert _refused("DELETE FROM finance_posting WHERE id = %s", [posting.pk])
    assert _refused(
        "INSERT INTO finance_posting (entry_id, account, amount) VALUES (%s, '111', 5)",
        [posted.pk],
    )
    assert Posting.objects.get(pk=posting.pk).amount == posting.amount


def test_database_refuses_changing_or_deleting_a_posted_entry(posted):
    assert _refused("UPDATE finance_journalentry SET description = 'x' WHERE id = %s", [posted.pk])
    assert _refused("UPDATE finance_journalentry SET status = 'draft' WHERE id = %s", [posted.pk])
    assert _refused("DELETE FROM finance_journalentry WHERE id = %s", [posted.pk])


def test_database_refuses_posting_an_unbalanced_draft(tree):
    draft = JournalEntry.objects.create(
        unit=tree.grassroots_a1, date=JUNE, kind="manual", description="Nháp"
    )
    Posting.objects.create(entry=draft, account=Account.CASH, amount=100)
    Posting.objects.create(entry=draft, account=Account.OTHER_REVENUE, amount=-90)
    assert _refused("UPDATE finance_journalentry SET status = 'posted' WHERE id = %s", [draft.pk])
    assert _refused(
        "INSERT INTO finance_journalentry (unit_id, date, kind, description, status) "
        "VALUES (%s, %s, 'manual', 'x', 'posted')",
        [tree.grassroots_a1.pk, JUNE],
    )
    Posting.objects.filter(entry=draft, account=Account.OTHER_REVENUE).update(amount=-100)
    assert not _refused(
        "UPDATE finance_journalentry SET status = 'posted' WHERE id = %s", [draft.pk]
    )


def test_remittance_appears_on_both_sides(posted, tree):
    services.remittance_record(
        unit=tree.grassroots_a1,
        month=JUNE,
        amount=20_000,
        date=dt.date(2025, 7, 5),
        by=tree.admin,
    )
    child = selectors.trial_balance(user=tree.admin, unit=tree.grassroots_a1)
    upper_entries = JournalEntry.objects.filter(unit=tree.district_a)
    upper = {
        a: sum(p.amount for e in upper_entries for p in e.postings.all() if p.account == a)
        for a in (Account.RECEIVABLE_LOWER, Account.BANK)
    }
    assert child[Account.PAYABLE_UPPER] == -10_000
    assert upper == {Account.RECEIVABLE_LOWER: 10_000, Account.BANK: 20_000}
    [row] = selectors.remittance_overview(user=tree.admin, unit=tree.district_a, year=2025)
    assert (row.unit, row.due, row.remitted, row.difference) == (
        tree.grassroots_a1,
        30_000,
        20_000,
        10_000,
    )


def test_remittance_above_what_is_due_is_refused(posted, tree):
    with pytest.raises(DomainError) as error:
        services.remittance_record(
            unit=tree.grassroots_a1, month=JUNE, amount=30_001, date=JUNE, by=tree.admin
        )
    assert error.value.code == "remittance_exceeds_due"
    assert "30.000 ₫" in str(error.value)
    assert not Remittance.objects.exists()


def test_a_month_before_a_move_goes_to_the_upper_level_of_that_month(tree, admit):
    """June 2025's share of a union moved to another district on 1 July is due to, posted to and
    remitted to the district it was under in June, even when posted and sent afterwards."""
    from unionhub.orgs import services as org_services

    member = admit()
    org_services.unit_move(
        unit=tree.grassroots_a1,
        new_parent=tree.district_b,
        effective=dt.date(2025, 7, 1),
        by=tree.admin,
    )
    tree.grassroots_a1.refresh_from_db()  # its path is under district B now
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    share = Posting.objects.get(account=Account.RECEIVABLE_LOWER)
    assert share.entry.unit == tree.district_a
    assert selectors.upper_level(unit=tree.grassroots_a1, month=JUNE) == tree.district_a
    due, _sent = selectors.remittance_outstanding(unit=tree.grassroots_a1, month=JUNE)
    remittance = services.remittance_record(
        unit=tree.grassroots_a1, month=JUNE, amount=due, date=dt.date(2025, 7, 20), by=tree.admin
    )
    assert remittance.to_unit == tree.district_a
    assert selectors.upper_level(unit=tree.grassroots_a1, month=dt.date(2025, 7, 1)) == (
        tree.district_b
    )
