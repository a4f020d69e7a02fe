"""Properties: for random member histories, salaries and months, made through the real services,
every member-month's dues equal a recomputation from the dated rules (Decimal arithmetic, not
the integer code path), every entry balances, a child union's payable equals its upper level's
receivable, and the province's trial balance is zero."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import admit, cccd, transfer
from unionhub.core.errors import DomainError
from unionhub.finance import money, selectors, services
from unionhub.finance.models import Account, DuesLine, JournalEntry, Posting, Rule, RuleKind
from unionhub.finance.rules import month_end
from unionhub.members import services as members
from unionhub.members.models import MembershipPeriod

pytestmark = pytest.mark.django_db

MONTHS = [
    dt.date(2024, 5, 1),
    dt.date(2024, 7, 1),
    dt.date(2025, 6, 1),
    dt.date(2025, 7, 1),
    dt.date(2025, 8, 1),
]
START = dt.date(2024, 1, 1)
SPAN = 620  # days of history: into September 2025


@given(amount=st.integers(0, 10**10), rate=st.decimals(0, 1, places=6))
def test_share_is_the_half_up_rounding_of_the_product(amount, rate):
    exact = (Decimal(amount) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert money.share(amount, rate) == int(exact)


def _rule(rules, kind, day):
    return max(
        (r for r in rules if r.kind == kind and r.effective_from <= day),
        key=lambda r: r.effective_from,
    )


def _expected(month: dt.date, salary: int | None) -> int:
    """The dues from the rule rows, in Decimal: the recount the code must agree with."""
    if salary is None:
        return 0
    rules = [r for r in Rule.objects.all() if not r.group]
    rate = _rule(rules, RuleKind.DUES_RATE, month).rate
    base = _rule(rules, RuleKind.BASE_SALARY, month).amount
    cap = (base * _rule(rules, RuleKind.DUES_CAP, month).rate).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(min((salary * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP), cap))


member_history = st.tuples(
    st.integers(0, 2),  # unit
    st.integers(0, SPAN // 2),  # admitted
    st.sampled_from(["", "suspend", "suspend_resume", "leave", "transfer"]),
    st.integers(1, SPAN // 2),  # days after admission of the change
    st.integers(1, 120),  # days to resumption
)
salary = st.one_of(st.none(), st.integers(0, 80_000_000))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(member_history, min_size=1, max_size=6),
    salaries=st.lists(salary, min_size=30, max_size=30),
    paid=st.lists(st.booleans(), min_size=30, max_size=30),
    remit=st.lists(st.integers(0, 100), min_size=5, max_size=5),
)
def test_dues_ledger_and_remittances_agree(tree, histories, salaries, paid, remit):
    units = [tree.grassroots_a1, tree.grassroots_a2, tree.grassroots_b1]
    today = dt.date.today()
    with transaction.atomic():
        people = []
        for i, (unit, start, change, after, back) in enumerate(histories):
            joined = START + dt.timedelta(days=start)
            member = admit(units[unit], tree.admin, joined, id_number=cccd(9000 + i))
            people.append(member)
            day = joined + dt.timedelta(days=after)
            try:
                if change.startswith("suspend"):
                    members.member_suspend(member=member, date=day, by=tree.admin)
                    if change == "suspend_resume":
                        member.refresh_from_db()
                        members.member_resume(
                            member=member, date=day + dt.timedelta(days=back), by=tree.admin
                        )
                elif change == "leave":
                    members.member_leave(member=member, date=day, reason="resigned", by=tree.admin)
                elif change == "transfer":
                    transfer(member, units[(unit + 1) % 3], day, tree.admin)
            except DomainError:
                pass
        cells = iter(zip(salaries, paid, strict=True))
        for month in MONTHS:
            expected = {}
            for member in people:
                amount, pays = next(cells)
                if amount is not None:
                    services.salary_set(member=member, month=month, amount=amount, by=tree.admin)
                expected[member.pk] = (amount, pays)
            services.dues_compute(unit=tree.province, month=month, by=tree.admin)
            end = month_end(month)
            held = {
                p.member_id: p.unit_id
                for p in MembershipPeriod.objects.all()
                if p.start <= end and (p.end is None or p.end > end)
            }
            lines = {line.member_id: line for line in DuesLine.objects.filter(month=month)}
            assert set(lines) == set(held)
            for member_id, line in lines.items():
                assert line.unit_id == held[member_id]
                assert line.amount == _expected(month, expected[member_id][0])
            payers = [m for m in lines if expected[m][1]]
            if payers:
                services.dues_mark_paid(
                    unit=tree.province,
                    month=month,
                    member_ids=payers,
                    paid_on=min(end, today),
                    by=tree.admin,
                )
                try:
                    services.dues_post(unit=tree.province, month=month, on=end, by=tree.admin)
                except DomainError as error:
                    assert error.code == "nothing_to_post"  # every payer owed 0
        for unit, share in zip(units, remit, strict=False):
            for month in MONTHS:
                due, sent = selectors.remittance_outstanding(unit=unit, month=month)
                amount = (due - sent) * share // 100
                if amount:
                    services.remittance_record(
                        unit=unit, month=month, amount=amount, date=month_end(month), by=tree.admin
                    )
        for entry in JournalEntry.objects.all():
            assert sum(entry.postings.values_list("amount", flat=True)) == 0
        for unit in units:
            payable = Posting.objects.filter(entry__unit=unit, account=Account.PAYABLE_UPPER)
            receivable = Posting.objects.filter(
                entry__unit=unit.parent, account=Account.RECEIVABLE_LOWER, counterpart=unit
            )
            assert (
                payable.aggregate(s=Sum("amount", default=0))["s"]
                == -receivable.aggregate(s=Sum("amount", default=0))["s"]
            )
            for row in selectors.remittance_overview(user=tree.admin, unit=unit.parent, year=2025):
                assert 0 <= row.remitted <= row.due
        balance = selectors.trial_balance(user=tree.admin, unit=tree.province)
        assert sum(balance.values()) == 0
        assert balance.get(Account.RECEIVABLE_LOWER, 0) == -balance.get(Account.PAYABLE_UPPER, 0)
        transaction.set_rollback(True)
