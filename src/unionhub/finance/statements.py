"""The annual estimate and the half-year and annual final accounts of a union, after the
B14-TLĐ layout, computed from the posted ledger and rolled up the tree: every figure is the
unit's own books and, beside it, its own plus every union under it.

The estimate of a year starts from the actual figures of the year before (the basis the
guidance asks for); the final accounts of a period are its actual figures. Reads only, scoped
like every finance read: a finance role reaching the unit.

The final accounts also check the spending ratios: each expense category's spending as a share
of the revenue the union kept in the period, against the dated rule in force on the period's
last day (an "at least" or an "at most" share; none is checked where no rule is in force).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.types import User
from unionhub.finance import money
from unionhub.finance.models import Account, EntryStatus, Posting, Rule
from unionhub.finance.rules import SPENDING_BOUNDS, spending_rules_on
from unionhub.orgs.models import Unit

ESTIMATE = "estimate"
HALF_YEAR = "half"
YEAR = "year"
KINDS = {
    ESTIMATE: gettext_lazy("Estimate"),
    HALF_YEAR: gettext_lazy("Final accounts, first half-year"),
    YEAR: gettext_lazy("Final accounts, year"),
}
# Final accounts are checked against the spending ratios; an estimate's figures are last year's.
RATIO_KINDS = (HALF_YEAR, YEAR)
FUNDS = (Account.CASH, Account.BANK)


@dataclass(frozen=True)
class LineSpec:
    """A line of the statement: its number, label and how its figure comes from the sums of
    the period (`flows`: account → (debits, credits), both positive)."""

    key: str
    number: str
    label: Promise
    figure: Callable[[dict[str, tuple[int, int]]], int] | None  # None: a heading only
    level: int = 1  # 0: a section (with its total, if it has a figure), 1: a line under it


def _credit(*accounts: str) -> Callable[[dict[str, tuple[int, int]]], int]:
    """Revenue: what was credited, less what was debited back (a reversal)."""
    return lambda flows: sum(flows.get(a, (0, 0))[1] - flows.get(a, (0, 0))[0] for a in accounts)


def _debit(*accounts: str) -> Callable[[dict[str, tuple[int, int]]], int]:
    return lambda flows: sum(flows.get(a, (0, 0))[0] - flows.get(a, (0, 0))[1] for a in accounts)


def _gross(account: str, side: int) -> Callable[[dict[str, tuple[int, int]]], int]:
    return lambda flows: flows.get(account, (0, 0))[side]


REVENUE = (
    Account.DUES_REVENUE,
    Account.DUES_SHARE_REVENUE,
    Account.FEE_REVENUE,
    Account.OTHER_REVENUE,
)
EXPENSE = (Account.SUPPORT_EXPENSE, Account.ACTIVITY_EXPENSE, Account.ADMIN_EXPENSE)
# The statement's line of each expense account, and the line of the revenue kept: the figures a
# spending ratio compares.
EXPENSE_LINE = {
    Account.SUPPORT_EXPENSE: "support",
    Account.ACTIVITY_EXPENSE: "activities",
    Account.ADMIN_EXPENSE: "administration",
}
REVENUE_LINE = "revenue"

LINES = (
    LineSpec("revenue", "B", gettext_lazy("Revenue"), _credit(*REVENUE), 0),
    LineSpec("dues_kept", "1", gettext_lazy("Members' dues kept"), _credit(Account.DUES_REVENUE)),
    LineSpec(
        "dues_share",
        "2",
        gettext_lazy("Dues share from lower levels"),
        _credit(Account.DUES_SHARE_REVENUE),
    ),
    LineSpec("fee", "3", gettext_lazy("Union fee"), _credit(Account.FEE_REVENUE)),
    LineSpec("other_revenue", "4", gettext_lazy("Other revenue"), _credit(Account.OTHER_REVENUE)),
    LineSpec("expenses", "C", gettext_lazy("Expenses"), _debit(*EXPENSE), 0),
    LineSpec("support", "1", gettext_lazy("Support to members"), _debit(Account.SUPPORT_EXPENSE)),
    LineSpec("activities", "2", gettext_lazy("Union activities"), _debit(Account.ACTIVITY_EXPENSE)),
    # A context: Django's admin translates a bare "Administration" as the site's administration.
    LineSpec(
        "administration",
        "3",
        pgettext_lazy("expense", "Administration"),
        _debit(Account.ADMIN_EXPENSE),
    ),
    LineSpec("upper", "D", gettext_lazy("With the upper level"), None, 0),
    LineSpec(
        "due_to_upper",
        "1",
        gettext_lazy("Dues share due to the upper level"),
        _gross(Account.PAYABLE_UPPER, 1),
    ),
    LineSpec(
        "remitted",
        "2",
        gettext_lazy("Remitted to the upper level"),
        _gross(Account.PAYABLE_UPPER, 0),
    ),
    LineSpec("lower", "E", gettext_lazy("With lower levels"), None, 0),
    LineSpec(
        "due_from_lower",
        "1",
        gettext_lazy("Dues share due from lower levels"),
        _gross(Account.RECEIVABLE_LOWER, 0),
    ),
    LineSpec(
        "received_from_lower",
        "2",
        gettext_lazy("Received from lower levels"),
        _gross(Account.RECEIVABLE_LOWER, 1),
    ),
)


@dataclass
class StatementLine:
    key: str
    number: str
    label: str
    own: int | None
    total: int | None
    level: int


@dataclass
class Statement:
    """One union's statement for a period: the funds (cash and bank) at its start and end and
    the lines between, each for the unit's own books and rolled up over its subtree."""

    unit: Unit
    kind: str
    year: int
    first: dt.date  # the period the figures come from (the year before, for an estimate)
    last: dt.date
    opening: tuple[int, int]  # (own, total)
    closing: tuple[int, int]
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])

    def figures(self) -> dict[str, tuple[int | None, int | None]]:
        """{line key: (own, total)}."""
        return {line.key: (line.own, line.total) for line in self.lines}


def period(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """The dates the figures of a statement come from."""
    if kind == ESTIMATE:
        return dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    if kind == HALF_YEAR:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def statement(*, user: User, unit: Unit, kind: str, year: int) -> Statement:
    """`unit`'s statement of `kind` for `year`; OutOfScope for a user whose finance role does
    not reach the unit (an officer of a sibling union, say)."""
    if not scope.can(user, scope.FINANCE, unit) or kind not in KINDS:
        raise OutOfScope()
    first, last = period(kind, year)
    postings = Posting.objects.filter(
        scope.subtree_q(unit.path, via="entry__unit"), entry__status=EntryStatus.POSTED
    )
    own = Q(entry__unit=unit)
    # Four sums per account in one query: debits and credits, the unit's own and the subtree's.
    sums = (
        postings.filter(entry__date__gte=first, entry__date__lte=last)
        .values("account")
        .annotate(
            debits=Sum("amount", filter=Q(amount__gt=0), default=0),
            credits=Sum("amount", filter=Q(amount__lt=0), default=0),
            own_debit=Sum("amount", filter=Q(amount__gt=0) & own, default=0),
            own_credit=Sum("amount", filter=Q(amount__lt=0) & own, default=0),
        )
        .order_by()
    )
    flows_total = {r["account"]: (r["debits"], -r["credits"]) for r in sums}
    flows_own = {r["account"]: (r["own_debit"], -r["own_credit"]) for r in sums}

    def funds(until: dt.date) -> tuple[int, int]:
        balances = postings.filter(account__in=FUNDS, entry__date__lte=until).aggregate(
            total=Sum("amount", default=0), own=Sum("amount", filter=own, default=0)
        )
        return balances["own"], balances["total"]

    result = Statement(
        unit=unit,
        kind=kind,
        year=year,
        first=first,
        last=last,
        opening=funds(first - dt.timedelta(days=1)),
        closing=funds(last),
    )
    result.lines.append(StatementLine("opening", "A", _("Funds at the start"), *result.opening, 0))
    for spec in LINES:
        own_figure = spec.figure(flows_own) if spec.figure else None
        total_figure = spec.figure(flows_total) if spec.figure else None
        result.lines.append(
            StatementLine(
                spec.key, spec.number, str(spec.label), own_figure, total_figure, spec.level
            )
        )
    result.lines.append(StatementLine("closing", "F", _("Funds at the end"), *result.closing, 0))
    return result


@dataclass(frozen=True)
class Ratio:
    """One category's spending against the revenue kept, in one set of books (the union's own,
    or rolled up over its subtree)."""

    spent: int
    kept: int
    bound: Decimal | None  # the rule's share; None when no rule is in force
    at_least: bool

    @property
    def share(self) -> Decimal | None:
        """spent / kept rounded half up to a millionth (the rules' precision), in integers;
        None when the union kept nothing."""
        if self.kept <= 0:
            return None
        scale = 10**money.RATE_PLACES
        millionths = (2 * self.spent * scale + self.kept) // (2 * self.kept)
        return Decimal(millionths).scaleb(-money.RATE_PLACES)

    @property
    def respected(self) -> bool | None:
        """Whether the spending keeps to the bound, compared exactly in integers rather than
        through the rounded share (which could let a fraction of a đồng over the bound pass);
        None without a rule. Nothing kept: any spending breaks a maximum, a minimum holds."""
        if self.bound is None:
            return None
        spent = self.spent * 10**money.RATE_PLACES
        limit = money.rate_units(self.bound) * self.kept
        return spent >= limit if self.at_least else spent <= limit


@dataclass(frozen=True)
class SpendingRatio:
    """One category of the spending ratios: the rule in force (if any), own and rolled up."""

    kind: str
    label: str
    at_least: bool
    rule: Rule | None
    own: Ratio
    total: Ratio


def spending_ratios(*, user: User, unit: Unit, kind: str, year: int) -> list[SpendingRatio]:
    """The spending ratios of `unit`'s final accounts of `kind` (half-year or year) for `year`;
    OutOfScope like `statement`."""
    return ratios_of(statement(user=user, unit=unit, kind=kind, year=year))


def ratios_of(result: Statement) -> list[SpendingRatio]:
    """The spending ratios of a final-accounts statement already read: each category's spending
    from the statement's lines against its revenue kept, with the rule in force on the
    period's last day (a decision from the middle of a year governs that year's accounts)."""
    if result.kind not in RATIO_KINDS:
        raise ValueError("spending ratios are checked on final accounts, not on an estimate")
    in_force = spending_rules_on(result.last)
    lines = {line.key: line for line in result.lines}
    kept = lines[REVENUE_LINE]
    ratios = []
    for spec in SPENDING_BOUNDS:
        line = lines[EXPENSE_LINE[spec.account]]
        rule = in_force.get(spec.kind)
        bound = rule.rate if rule is not None else None
        own, total = (
            Ratio(spent=spent or 0, kept=revenue or 0, bound=bound, at_least=spec.at_least)
            for spent, revenue in ((line.own, kept.own), (line.total, kept.total))
        )
        ratios.append(
            SpendingRatio(
                kind=spec.kind,
                label=line.label,
                at_least=spec.at_least,
                rule=rule,
                own=own,
                total=total,
            )
        )
    return ratios
