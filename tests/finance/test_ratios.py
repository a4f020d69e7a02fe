"""Spending ratios of the final accounts: each expense category's spending as a share of the
revenue the union kept, against the dated rule in force on the period's last day, for the
union's own books and rolled up over the unions under it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.finance.helpers import collect
from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.finance import services, statements
from unionhub.finance.models import Account, Rule, RuleKind
from unionhub.finance.statements import Ratio

MARCH = dt.date(2025, 3, 1)
SPENT_ON = dt.date(2025, 3, 20)
A_NEW_DECISION = dt.date(2025, 7, 1)


def _rule(kind: str, day: dt.date, rate: str, basis: str = "Test decision") -> Rule:
    return Rule.objects.create(kind=kind, effective_from=day, rate=Decimal(rate), basis=basis)


def _spend(unit, account: str, amount: int, by, member=None) -> None:
    services.cash_record(
        unit=unit, date=SPENT_ON, account=account, amount=amount, description="Chi",
        member=member, by=by,
    )  # fmt: skip


@pytest.fixture
def books(tree, admit):
    """March 2025 (dues at 1 %, 70 % kept): a1 keeps 70,000 of 100,000 dues, a2 49,000 of
    70,000, the district 51,000 of dues shares. Spending: a1 20,000 of support, 30,000 of
    activities, 10,000 of administration; a2 5,000 of support, 10,000 of administration; the
    district 3,000 of administration.

    Rules: support at least 25 % and administration at most 10 % since 2016; from 1 July 2025
    administration at most 20 % and activities at most 50 % (none before)."""
    first, second = admit(), admit(unit=tree.grassroots_a2)
    collect(tree.grassroots_a1, MARCH, {first: 10_000_000}, tree.admin)
    collect(tree.grassroots_a2, MARCH, {second: 7_000_000}, tree.admin)
    _spend(tree.grassroots_a1, Account.SUPPORT_EXPENSE, 20_000, tree.admin, member=first)
    _spend(tree.grassroots_a1, Account.ACTIVITY_EXPENSE, 30_000, tree.admin)
    _spend(tree.grassroots_a1, Account.ADMIN_EXPENSE, 10_000, tree.admin)
    _spend(tree.grassroots_a2, Account.SUPPORT_EXPENSE, 5_000, tree.admin, member=second)
    _spend(tree.grassroots_a2, Account.ADMIN_EXPENSE, 10_000, tree.admin)
    _spend(tree.district_a, Account.ADMIN_EXPENSE, 3_000, tree.admin)
    _rule(RuleKind.SUPPORT_MIN, dt.date(2016, 1, 1), "0.25")
    _rule(RuleKind.ADMIN_MAX, dt.date(2016, 1, 1), "0.10", basis="First decision")
    _rule(RuleKind.ADMIN_MAX, A_NEW_DECISION, "0.20", basis="Second decision")
    _rule(RuleKind.ACTIVITY_MAX, A_NEW_DECISION, "0.50")
    return tree


def _ratios(tree, unit, kind: str = statements.YEAR) -> dict[str, statements.SpendingRatio]:
    rows = statements.spending_ratios(user=tree.admin, unit=unit, kind=kind, year=2025)
    return {row.kind: row for row in rows}


def test_spent_and_kept_and_their_exact_shares_per_category(books):
    tree = books
    a1 = _ratios(tree, tree.grassroots_a1)
    support = a1[RuleKind.SUPPORT_MIN].own
    assert (support.spent, support.kept) == (20_000, 70_000)
    assert support.share == Decimal("0.285714")  # 2/7, half up at the millionth
    assert a1[RuleKind.ACTIVITY_MAX].own.share == Decimal("0.428571")
    assert a1[RuleKind.ADMIN_MAX].own.share == Decimal("0.142857")
    a2 = _ratios(tree, tree.grassroots_a2)
    assert a2[RuleKind.SUPPORT_MIN].own.share == Decimal("0.102041")  # 5/49
    assert a2[RuleKind.ACTIVITY_MAX].own.share == Decimal(0)
    district = _ratios(tree, tree.district_a)
    assert district[RuleKind.SUPPORT_MIN].own == Ratio(0, 51_000, Decimal("0.25"), True)
    total = district[RuleKind.ADMIN_MAX].total
    assert (total.spent, total.kept) == (23_000, 170_000)
    assert total.share == Decimal("0.135294")  # 23/170 = 0.1352941…


def test_the_rule_in_force_on_the_periods_last_day_governs(books):
    tree = books
    half = _ratios(tree, tree.grassroots_a1, statements.HALF_YEAR)
    year = _ratios(tree, tree.grassroots_a1, statements.YEAR)
    # Administration 14.3 %: over the 10 % of the first decision, within the 20 % of July's.
    assert half[RuleKind.ADMIN_MAX].rule.basis == "First decision"
    assert half[RuleKind.ADMIN_MAX].own.respected is False
    assert year[RuleKind.ADMIN_MAX].rule.basis == "Second decision"
    assert year[RuleKind.ADMIN_MAX].own.respected is True
    # No activities rule before July: nothing checked in the half-year, checked in the year.
    assert half[RuleKind.ACTIVITY_MAX].rule is None
    assert half[RuleKind.ACTIVITY_MAX].own.respected is None
    assert year[RuleKind.ACTIVITY_MAX].own.respected is True
    # A past period recomputes as the rules then stood, whatever was decided since.
    _rule(RuleKind.ADMIN_MAX, dt.date(2026, 1, 1), "0.01")
    again = _ratios(tree, tree.grassroots_a1, statements.YEAR)
    assert again[RuleKind.ADMIN_MAX].own.respected is True


def test_a_broken_bound_is_flagged_and_a_respected_one_is_not(books):
    tree = books
    a1 = _ratios(tree, tree.grassroots_a1)
    a2 = _ratios(tree, tree.grassroots_a2)
    assert a1[RuleKind.SUPPORT_MIN].own.respected is True  # 28.6 % ≥ 25 %
    assert a2[RuleKind.SUPPORT_MIN].own.respected is False  # 10.2 % < 25 %
    assert a2[RuleKind.ADMIN_MAX].own.respected is False  # 20.4 % > 20 %
    district = _ratios(tree, tree.district_a)
    assert district[RuleKind.SUPPORT_MIN].own.respected is False  # nothing spent on support
    assert district[RuleKind.SUPPORT_MIN].total.respected is False  # 25,000 of 170,000
    assert district[RuleKind.ADMIN_MAX].own.respected is True


def test_the_bound_is_compared_exactly_not_through_the_rounded_share():
    third = Decimal("0.333333")
    over = Ratio(spent=1, kept=3, bound=third, at_least=False)
    assert over.share == third and over.respected is False  # 1/3 is over 0.333333
    assert Ratio(spent=1, kept=3, bound=third, at_least=True).respected is True
    exactly = Ratio(spent=25, kept=100, bound=Decimal("0.25"), at_least=False)
    assert exactly.respected is True
    assert Ratio(spent=25, kept=100, bound=Decimal("0.25"), at_least=True).respected is True
    # Nothing kept: no share; any spending breaks a maximum, a minimum of nothing holds.
    assert Ratio(spent=1, kept=0, bound=Decimal("0.5"), at_least=False).share is None
    assert Ratio(spent=1, kept=0, bound=Decimal("0.5"), at_least=False).respected is False
    assert Ratio(spent=0, kept=0, bound=Decimal("0.5"), at_least=True).respected is True


def test_rolled_up_figures_are_the_sum_of_the_unions_own(books):
    tree = books
    units = (tree.district_a, tree.grassroots_a1, tree.grassroots_a2)
    own = [_ratios(tree, unit) for unit in units]
    district = own[0]
    for kind, row in district.items():
        assert row.total.spent == sum(ratios[kind].own.spent for ratios in own)
        assert row.total.kept == sum(ratios[kind].own.kept for ratios in own)
    leaf = own[1][RuleKind.SUPPORT_MIN]
    assert leaf.own == leaf.total


def test_a_sibling_unions_officer_is_refused(books, officer_at):
    tree = books
    sibling = officer_at(tree.grassroots_a2, scope.FINANCE)
    with pytest.raises(OutOfScope):
        statements.spending_ratios(
            user=sibling, unit=tree.grassroots_a1, kind=statements.YEAR, year=2025
        )
    upper = officer_at(tree.district_a, scope.FINANCE)  # reads down
    rows = statements.spending_ratios(
        user=upper, unit=tree.grassroots_a1, kind=statements.YEAR, year=2025
    )
    assert len(rows) == 3


def test_the_rules_table_refuses_a_ratio_outside_zero_and_one(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        _rule(RuleKind.SUPPORT_MIN, dt.date(2025, 1, 1), "1.5")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rule.objects.create(kind=RuleKind.ADMIN_MAX, effective_from=dt.date(2025, 1, 1), amount=1)


@pytest.mark.parametrize(
    ("language", "title", "broken", "none_in_force"),
    [
        ("en", "Spending ratios", "Not respected", "No ratio in force"),
        ("vi", "Tỷ lệ chi", "Không đạt", "Chưa có tỷ lệ nào có hiệu lực"),
    ],
)
def test_the_page_shows_the_ratios_in_both_languages(
    books, officer_at, client, language, title, broken, none_in_force
):
    tree = books
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("finance:accounts", args=[tree.grassroots_a2.pk, 2025])
    page = client.get(url, {"kind": "half"}).content.decode()
    assert 'data-testid="ratios"' in page and title in page
    assert page.count('data-testid="ratio-broken"') == 4  # support and administration, twice
    assert none_in_force in page  # activities: no rule before July
    assert broken in page
    assert "10,2 %" in page or "10.2 %" in page
    estimate = client.get(url, {"kind": "estimate"}).content.decode()
    assert 'data-testid="ratios"' not in estimate


def test_the_ratios_in_the_xlsx_and_the_pdf(books, officer_at, client):
    tree = books
    client.force_login(officer_at(tree.grassroots_a2, scope.FINANCE))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("finance:accounts", args=[tree.grassroots_a2.pk, 2025])
    xlsx = client.get(url, {"kind": "year", "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = workbook["Spending ratios"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    support = rows["Support to members"]
    assert support[1:4] == ("at least 25 %", dt.datetime(2016, 1, 1), "Test decision")
    assert support[4:7] == (5_000, 0.102041, "Not respected")  # a number in the sheet
    assert rows["Administration"][4:7] == (10_000, 0.204082, "Not respected")
    assert rows["Union activities"][4:7] == (0, 0, "Respected")
    pdf = client.get(url, {"kind": "year", "export": "pdf"})
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


# Properties ---------------------------------------------------------------------------------

EXPENSES = (Account.SUPPORT_EXPENSE, Account.ACTIVITY_EXPENSE, Account.ADMIN_EXPENSE)
spending = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(EXPENSES), st.integers(1, 10**9)), max_size=8
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    revenue=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 10**9)), max_size=4),
    spent=spending,
    bounds=st.lists(st.decimals(0, 1, places=6), min_size=3, max_size=3),
)
def test_random_books_give_the_shares_of_an_independent_recount(
    tree, admit, revenue, spent, bounds
):
    """Other revenue and spending at the district and its two unions: every share and check
    equals a recount in Fraction and Decimal from the amounts themselves."""
    units = [tree.district_a, tree.grassroots_a1, tree.grassroots_a2]
    with transaction.atomic():
        people = [None, admit(), admit(unit=tree.grassroots_a2)]
        for kind, rate in zip((b.kind for b in statements.SPENDING_BOUNDS), bounds, strict=True):
            _rule(kind, dt.date(2016, 1, 1), str(rate))
        for index, amount in revenue:
            _spend(units[index], Account.OTHER_REVENUE, amount, tree.admin)
        for index, account, amount in spent:
            member = people[index] or people[1]  # the district's support goes to a1's member
            _spend(units[index], account, amount, tree.admin, member=member)
        for index, unit in enumerate(units):
            subtree = range(3) if index == 0 else [index]
            for row in _ratios(tree, unit).values():
                account = next(b.account for b in statements.SPENDING_BOUNDS if b.kind == row.kind)
                for books, which in ((row.own, [index]), (row.total, subtree)):
                    kept = sum(a for i, a in revenue if i in which)
                    out = sum(a for i, acc, a in spent if i in which and acc == account)
                    assert (books.spent, books.kept) == (out, kept)
                    if kept == 0:
                        assert books.share is None
                    else:
                        exact = Fraction(out, kept)
                        rounded = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
                            Decimal("0.000001"), rounding=ROUND_HALF_UP
                        )
                        assert books.share == rounded
                    bound = Fraction(row.rule.rate)
                    limit = bound * kept
                    assert books.respected == (out >= limit if row.at_least else out <= limit)
        transaction.set_rollback(True)
