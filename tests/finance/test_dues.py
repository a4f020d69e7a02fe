import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from tests.finance.helpers import collect
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.finance import selectors, services
from unionhub.finance.actions import Action
from unionhub.finance.models import Account, DuesLine, MemberGroup, Rule, RuleKind
from unionhub.finance.rules import terms_for
from unionhub.members import services as member_services
from unionhub.members.models import MembershipPeriod

JUNE = dt.date(2025, 6, 1)
JULY = dt.date(2025, 7, 1)


def _line(member, month):
    return DuesLine.objects.get(member=member, month=month)


def test_seeded_rules_give_the_first_of_july_2025_change(db):
    june, july = terms_for(JUNE), terms_for(JULY)
    assert june.rate() == Decimal("0.01") and july.rate() == Decimal("0.005")
    assert june.cap == july.cap == 234_000  # 10 % of 2,340,000 VND since 1 July 2024
    assert terms_for(dt.date(2024, 6, 1)).cap == 180_000  # 10 % of 1,800,000 before


def test_same_member_pays_one_percent_in_june_and_half_a_percent_in_july(tree, admit):
    member = admit()
    for month in (JUNE, JULY):
        services.salary_set(member=member, month=month, amount=8_500_000, by=tree.admin)
        services.dues_compute(unit=tree.grassroots_a1, month=month, by=tree.admin)
    assert _line(member, JUNE).amount == 85_000
    assert _line(member, JULY).amount == 42_500
    assert _line(member, JULY).rate == Decimal("0.005")


def test_cap_applies_to_high_salaries(tree, admit):
    member = admit()
    services.salary_set(member=member, month=JUNE, amount=40_000_000, by=tree.admin)
    services.salary_set(member=member, month=JULY, amount=60_000_000, by=tree.admin)
    for month in (JUNE, JULY):
        services.dues_compute(unit=tree.grassroots_a1, month=month, by=tree.admin)
    assert _line(member, JUNE).amount == 234_000  # 1 % would be 400,000
    assert _line(member, JULY).amount == 234_000  # 0.5 % would be 300,000


def test_half_dong_rounds_up(tree, admit):
    member = admit()
    services.salary_set(member=member, month=JULY, amount=4_999_901, by=tree.admin)
    services.dues_compute(unit=tree.grassroots_a1, month=JULY, by=tree.admin)
    assert _line(member, JULY).amount == 25_000  # 24,999.505 → 25,000


def test_a_new_rule_row_changes_the_dues_without_code(tree, admit):
    member = admit()
    Rule.objects.create(
        kind=RuleKind.DUES_RATE, effective_from=dt.date(2026, 1, 1), rate=Decimal("0.004")
    )
    month = dt.date(2026, 1, 1)
    services.salary_set(member=member, month=month, amount=10_000_000, by=tree.admin)
    services.dues_compute(unit=tree.grassroots_a1, month=month, by=tree.admin)
    assert _line(member, month).amount == 40_000


def test_a_group_with_a_rate_of_its_own_pays_that_rate_and_the_others_the_general_one(tree, admit):
    month = dt.date(2026, 2, 1)
    for group, rate in ((MemberGroup.STATE_ENTERPRISE, "0.01"), (MemberGroup.STATE_SCALE, "0.007")):
        Rule.objects.create(
            kind=RuleKind.DUES_RATE, group=group, effective_from=month, rate=Decimal(rate)
        )
    enterprise, scale, other, unpaid = admit(), admit(), admit(), admit()
    for member, group in (
        (enterprise, MemberGroup.STATE_ENTERPRISE),
        (scale, MemberGroup.STATE_SCALE),
        (other, MemberGroup.OTHER_EMPLOYER),
    ):
        services.salary_set(
            member=member, month=month, amount=9_000_001, by=tree.admin, group=group
        )
    services.dues_compute(unit=tree.grassroots_a1, month=month, by=tree.admin)
    lines = {line.member_id: line for line in DuesLine.objects.filter(month=month)}
    assert (lines[enterprise.pk].rate, lines[enterprise.pk].amount) == (Decimal("0.01"), 90_000)
    assert (lines[scale.pk].rate, lines[scale.pk].amount) == (Decimal("0.007"), 63_000)
    assert (lines[other.pk].rate, lines[other.pk].amount) == (Decimal("0.005"), 45_000)
    assert (lines[unpaid.pk].salary, lines[unpaid.pk].amount) == (None, 0)
    terms = terms_for(month)
    for member, group in ((enterprise, MemberGroup.STATE_ENTERPRISE), (other, "")):
        assert lines[member.pk].amount == terms.dues(9_000_001, group)


def test_suspended_member_owes_nothing_and_who_left_is_not_on_the_roll(tree, admit):
    stays, suspended, left = admit(), admit(), admit()
    member_services.member_suspend(member=suspended, date=dt.date(2025, 5, 10), by=tree.admin)
    member_services.member_leave(
        member=left, date=dt.date(2025, 6, 15), reason="resigned", by=tree.admin
    )
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    assert set(DuesLine.objects.values_list("member_id", flat=True)) == {stays.pk}


def test_a_member_held_twice_at_the_end_of_the_month_gets_one_line(tree, admit):
    """Periods that overlap (not written so by the services, but found in imported data) give
    the member one line, as before: the first compute of a month inserts without skipping
    on PostgreSQL, and falls back to skipping."""
    member = admit()
    MembershipPeriod.objects.create(
        member=member, unit=tree.grassroots_a2, start=dt.date(2024, 1, 1), end=JULY
    )
    services.salary_set(member=member, month=JUNE, amount=5_000_000, by=tree.admin)
    assert services.dues_compute(unit=tree.district_a, month=JUNE, by=tree.admin) == 1
    assert _line(member, JUNE).amount == 50_000


def test_dues_go_to_the_unit_holding_the_member_at_the_end_of_the_month(tree, admit):
    from tests.factories import transfer

    member = admit()
    transfer(member, tree.grassroots_b1, dt.date(2025, 6, 20), tree.admin)
    services.dues_compute(unit=tree.province, month=JUNE, by=tree.admin)
    assert _line(member, JUNE).unit == tree.grassroots_b1


def test_member_without_salary_owes_zero_until_the_salary_is_entered(tree, admit):
    member = admit()
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    assert _line(member, JUNE).salary is None and _line(member, JUNE).amount == 0
    services.salary_set(member=member, month=JUNE, amount=5_000_000, by=tree.admin)
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    assert _line(member, JUNE).amount == 50_000


def test_paid_lines_survive_recomputation_and_salary_is_then_frozen(tree, admit):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 5_000_000}, tree.admin, post=False)
    assert services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin) == 0
    assert _line(member, JUNE).paid_on == JUNE
    with pytest.raises(DomainError) as error:
        services.salary_set(member=member, month=JUNE, amount=6_000_000, by=tree.admin)
    assert error.value.code == "month_already_paid"


def test_mark_paid_takes_an_explicit_selection(tree, admit):
    first, second = admit(), admit()
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    with pytest.raises(DomainError):
        services.dues_mark_paid(
            unit=tree.grassroots_a1, month=JUNE, member_ids=[], paid_on=JUNE, by=tree.admin
        )
    services.dues_mark_paid(
        unit=tree.grassroots_a1, month=JUNE, member_ids=[first.pk], paid_on=JUNE, by=tree.admin
    )
    assert _line(first, JUNE).paid_on == JUNE and _line(second, JUNE).paid_on is None


def test_mark_paid_by_filter_pays_the_unpaid_lines_the_roll_shows_in_one_audit_row(tree, admit):
    lan, binh, other = (
        admit(full_name="Trần Thị Lan"),
        admit(full_name="Lê Văn Bình"),
        admit(unit=tree.grassroots_a2),
    )
    services.dues_compute(unit=tree.district_a, month=JUNE, by=tree.admin)
    marked = services.dues_mark_paid(
        unit=tree.grassroots_a1,
        month=JUNE,
        filters=selectors.RollFilters(query="lan"),
        paid_on=JUNE,
        by=tree.admin,
    )
    assert marked == 1
    assert _line(lan, JUNE).paid_on == JUNE
    assert _line(binh, JUNE).paid_on is None and _line(other, JUNE).paid_on is None
    whole_roll = services.dues_mark_paid(
        unit=tree.grassroots_a1, month=JUNE, filters=selectors.RollFilters(), paid_on=JUNE,
        by=tree.admin,
    )  # fmt: skip
    assert whole_roll == 1  # Bình; Lan was already paid, and a2 is outside the subtree
    assert _line(other, JUNE).paid_on is None
    rows = AuditEvent.objects.filter(action=Action.DUES_PAID).order_by("pk")
    assert [r.data for r in rows] == [
        {"month": "2025-06-01", "paid_on": "2025-06-01", "count": 1,
         "filter": {"status": "", "query": "lan"}},
        {"month": "2025-06-01", "paid_on": "2025-06-01", "count": 1,
         "filter": {"status": "", "query": ""}},
    ]  # fmt: skip


def test_posting_keeps_one_audit_row_and_links_every_line_to_its_batch(tree, admit):
    first, second = admit(), admit(unit=tree.grassroots_a2)
    services.salary_set(member=first, month=JUNE, amount=5_000_000, by=tree.admin)
    services.salary_set(member=second, month=JUNE, amount=7_000_000, by=tree.admin)
    services.dues_compute(unit=tree.district_a, month=JUNE, by=tree.admin)
    services.dues_mark_paid(
        unit=tree.district_a, month=JUNE, filters=selectors.RollFilters(), paid_on=JUNE,
        by=tree.admin,
    )  # fmt: skip
    batches = services.dues_post(unit=tree.district_a, month=JUNE, on=JUNE, by=tree.admin)
    assert [(b.unit_id, b.total) for b in batches] == [
        (tree.grassroots_a1.pk, 50_000),
        (tree.grassroots_a2.pk, 70_000),
    ]
    assert _line(first, JUNE).batch == batches[0] and _line(second, JUNE).batch == batches[1]
    assert all(b.entry.status == "posted" and b.upper_entry.status == "posted" for b in batches)
    row = AuditEvent.objects.get(action=Action.DUES_POSTED)
    assert row.data == {"month": "2025-06-01", "units": 2, "total": 120_000,
                        "upper_share": 15_000 + 21_000}  # fmt: skip


def test_lines_paid_after_a_posting_are_posted_next_in_a_batch_of_their_own(tree, admit):
    first, second = admit(), admit()
    for member, salary in ((first, 5_000_000), (second, 7_000_000)):
        services.salary_set(member=member, month=JUNE, amount=salary, by=tree.admin)
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    pay = {"unit": tree.grassroots_a1, "month": JUNE, "paid_on": JUNE, "by": tree.admin}
    services.dues_mark_paid(member_ids=[first.pk], **pay)
    (earlier,) = services.dues_post(unit=tree.grassroots_a1, month=JUNE, on=JUNE, by=tree.admin)
    services.dues_mark_paid(member_ids=[second.pk], **pay)
    (later,) = services.dues_post(unit=tree.grassroots_a1, month=JUNE, on=JULY, by=tree.admin)
    assert (earlier.total, later.total) == (50_000, 70_000)
    assert _line(first, JUNE).batch == earlier and _line(second, JUNE).batch == later
    assert later.entry.date == JULY and later.upper_share == 21_000
    with pytest.raises(DomainError) as nothing:
        services.dues_post(unit=tree.grassroots_a1, month=JUNE, on=JULY, by=tree.admin)
    assert nothing.value.code == "nothing_to_post"
    book = selectors.trial_balance(user=tree.admin, unit=tree.grassroots_a1)
    assert book[Account.CASH] == 120_000


def test_posting_writes_the_unit_receipt_and_the_upper_levels_share(tree, admit):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_001}, tree.admin)  # dues 100,000
    unit_book = selectors.trial_balance(user=tree.admin, unit=tree.grassroots_a1)
    assert unit_book == {
        Account.CASH: 100_000,
        Account.DUES_REVENUE: -70_000,
        Account.PAYABLE_UPPER: -30_000,
    }
    district = selectors.trial_balance(user=tree.admin, unit=tree.district_a)
    assert district[Account.RECEIVABLE_LOWER] == 30_000
    assert district[Account.DUES_SHARE_REVENUE] == -30_000
    assert sum(district.values()) == 0


def test_arrears_list_unpaid_months_per_member(tree, admit):
    member = admit()
    for month in (JUNE, JULY):
        services.salary_set(member=member, month=month, amount=6_000_000, by=tree.admin)
        services.dues_compute(unit=tree.grassroots_a1, month=month, by=tree.admin)
    owed = selectors.arrears(user=tree.admin, unit=tree.district_a, until=JULY)
    assert [(a.member_id, a.months, a.amount) for a in owed] == [(member.pk, 2, 90_000)]


def test_member_lines_are_every_month_of_that_member_and_no_one_else(tree, admit):
    member, other = admit(), admit()
    # Across a year's end, with a month no roll was computed for, and a month that only the
    # other member is on.
    months = [dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 2, 1)]
    for month in months:
        services.dues_compute(unit=tree.grassroots_a1, month=month, by=tree.admin)
    member_services.member_leave(
        member=member, date=dt.date(2025, 2, 10), reason="resigned", by=tree.admin
    )
    services.dues_compute(unit=tree.grassroots_a1, month=dt.date(2025, 3, 1), by=tree.admin)
    assert sorted(selectors.member_lines(member).values_list("month", flat=True)) == months
    assert selectors.member_lines(other).count() == 4
    assert not selectors.member_lines(admit()).exists()


def test_officer_writes_own_books_and_upper_level_only_reads(tree, admit, officer_at):
    admit()
    own = officer_at(tree.grassroots_a1, scope.FINANCE)
    upper = officer_at(tree.district_a, scope.FINANCE)
    sibling = officer_at(tree.grassroots_a2, scope.FINANCE)
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=own)
    with pytest.raises(OutOfScope):
        services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=upper)
    with pytest.raises(OutOfScope):
        services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=sibling)
    filters = selectors.RollFilters()
    assert selectors.dues_roll(user=upper, unit=tree.grassroots_a1, month=JUNE, filters=filters)
    with pytest.raises(OutOfScope):
        selectors.dues_roll(user=sibling, unit=tree.grassroots_a1, month=JUNE, filters=filters)


def test_a_member_unit_or_batch_with_dues_lines_cannot_be_deleted(tree, admit):
    """The lines carry no foreign-key constraint (DuesLine's docstring says why): the ORM's
    PROTECT is what keeps them from pointing at nobody."""
    member = admit()
    services.salary_set(member=member, month=JUNE, amount=5_000_000, by=tree.admin)
    services.dues_compute(unit=tree.grassroots_a1, month=JUNE, by=tree.admin)
    services.dues_mark_paid(
        unit=tree.grassroots_a1, month=JUNE, member_ids=[member.pk], paid_on=JUNE, by=tree.admin
    )
    (batch,) = services.dues_post(unit=tree.grassroots_a1, month=JUNE, on=JUNE, by=tree.admin)
    for owner in (member, tree.grassroots_a1, batch):
        with pytest.raises(ProtectedError) as refused, transaction.atomic():
            owner.delete()
        assert _line(member, JUNE) in refused.value.protected_objects
    assert _line(member, JUNE).unit == tree.grassroots_a1
