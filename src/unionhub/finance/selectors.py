"""Reads of the finance app, scoped: a finance role reaches its unit's subtree, so the finance
officer of a unit reads its books and every upper level reads down. Writing a unit's books
(`keeps_books`) takes a finance role held at that unit itself."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import AnyUser, User
from unionhub.finance.models import (
    Account,
    DuesBatch,
    DuesLine,
    EmployerFee,
    EntryStatus,
    FeeCollector,
    FeeStatus,
    JournalEntry,
    Posting,
    Remittance,
)
from unionhub.finance.rules import FeeTerms, fee_terms_for, month_end
from unionhub.members.models import Member
from unionhub.orgs.models import Level, Unit
from unionhub.orgs.selectors import parents_as_of

ROLL_SORTS = {
    "name": ("member__sort_key", "member_id"),
    "-name": ("-member__sort_key", "-member_id"),
    "unit": ("unit__sort_key", "member__sort_key", "member_id"),
    "salary": ("salary", "member__sort_key", "member_id"),
    "-salary": ("-salary", "member__sort_key", "member_id"),
    "amount": ("amount", "member__sort_key", "member_id"),
    "-amount": ("-amount", "member__sort_key", "member_id"),
    "paid_on": ("paid_on", "member__sort_key", "member_id"),
}
PAID = "paid"
UNPAID = "unpaid"
NO_SALARY = "no_salary"


def finance_units(*, user: User) -> QuerySet[Unit]:
    """The units whose books the user reads, highest first."""
    return scope.top_units(user, role=scope.FINANCE).order_by("path")


def books_unit(*, user: User, pk: Any) -> Unit:
    """A unit whose books the user may read (a finance role reaching it); OutOfScope otherwise,
    the same whether or not the unit exists."""
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    return unit


def keeps_books(user: User, unit: Unit) -> bool:
    """May `user` write `unit`'s books: a finance (or unit admin) role held at the unit itself.
    Upper levels read down, they do not write their lower levels' books."""
    if scope.is_unrestricted(user):
        return True
    return any(
        g.unit_id == unit.pk and g.role in (scope.FINANCE, scope.UNIT_ADMIN)
        for g in scope.grants(user)
    )


def require_books(user: User, unit: Unit) -> None:
    if not keeps_books(user, unit):
        raise OutOfScope()


@dataclass
class RollFilters:
    status: str = ""  # PAID, UNPAID, NO_SALARY or "" for every line
    query: str = ""
    sort: str = "name"


def dues_roll(
    *, user: User, unit: Unit, month: dt.date, filters: RollFilters
) -> QuerySet[DuesLine]:
    """The dues lines of `unit`'s subtree for `month`, filtered and sorted."""
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    return (
        roll_lines(unit=unit, month=month, filters=filters)
        .select_related("member", "unit")
        .order_by(*ROLL_SORTS.get(filters.sort, ROLL_SORTS["name"]))
    )


def roll_lines(*, unit: Unit, month: dt.date, filters: RollFilters) -> QuerySet[DuesLine]:
    """The lines of the roll that `filters` show, unscoped and unordered: for `dues_roll` and
    for the service that marks a filtered roll paid in one UPDATE."""
    # The units as a subquery rather than a join: marking the whole roll paid is then a plain
    # UPDATE of the lines, not of the lines found again by id through a join of the table.
    units = Unit.objects.filter(scope.subtree_q(unit.path)).values("pk")
    qs = DuesLine.objects.filter(unit_id__in=units, month=month)
    if filters.status == PAID:
        qs = qs.exclude(paid_on=None)
    elif filters.status == UNPAID:
        qs = qs.filter(paid_on=None)
    elif filters.status == NO_SALARY:
        qs = qs.filter(salary=None)
    if filters.query:
        # The members as a subquery too: the lines stay the query's only table, so that the
        # service can mark them paid in an UPDATE joined to their batches.
        found = Member.objects.filter(
            Q(name_folded__contains=fold(filters.query)) | Q(id_number=filters.query.strip())
        )
        qs = qs.filter(member_id__in=found.values("pk"))
    return qs


def roll_totals(lines: QuerySet[DuesLine]) -> dict[str, int]:
    """Lines, dues, paid and unpaid of a roll (one aggregate query)."""
    totals = lines.order_by().aggregate(
        lines=Count("pk"),
        due=Sum("amount", default=0),
        paid=Sum("amount", filter=~Q(paid_on=None), default=0),
        unpaid=Sum("amount", filter=Q(paid_on=None), default=0),
        no_salary=Count("pk", filter=Q(salary=None)),
    )
    return totals


@dataclass
class Arrears:
    member_id: int
    name: str
    unit: str
    months: int
    amount: int


def arrears(*, user: User, unit: Unit, until: dt.date) -> list[Arrears]:
    """Members of `unit`'s subtree with unpaid dues for months up to `until`, most owed first."""
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    rows = (
        DuesLine.objects.filter(
            scope.subtree_q(unit.path, via="unit"), paid_on=None, amount__gt=0, month__lte=until
        )
        .values("member_id", "member__full_name", "unit__name")
        .annotate(months=Count("pk"), amount=Sum("amount"))
        .order_by("-amount", "member_id")
    )
    return [
        Arrears(r["member_id"], r["member__full_name"], r["unit__name"], r["months"], r["amount"])
        for r in rows
    ]


def unit_arrears(*, user: User, unit: Unit, until: dt.date) -> int:
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    arrears: int = DuesLine.objects.filter(
        scope.subtree_q(unit.path, via="unit"), paid_on=None, month__lte=until
    ).aggregate(s=Sum("amount", default=0))["s"]
    return arrears


def member_finance(*, user: User, member: Any, months: int = 12) -> dict[str, Any] | None:
    """A member's dues of the last `months` months on the roll and the support postings naming
    them, for the member page; None for a user without a finance role reaching the member."""
    if not scope.can(user, scope.FINANCE, member.unit):
        return None
    lines = list(member_lines(member).order_by("-month")[:months])
    support = list(
        Posting.objects.filter(member=member, entry__status=EntryStatus.POSTED, amount__gt=0)
        .select_related("entry", "entry__unit")
        .order_by("-entry__date")[:months]
    )
    return {
        "lines": lines,
        "support": support,
        "owed": sum(line.amount for line in lines if line.paid_on is None),
    }


def member_lines(member: Member) -> QuerySet[DuesLine]:
    """The dues lines of `member`, unscoped: looked up month by month, from the first month
    on any roll to the last, through the unique (month, member) index (a line's member is in
    no index of its own, see DuesLine)."""
    # Two queries, each one end of the index: SQLite reads the whole table for MIN and MAX in
    # one query.
    on_rolls = DuesLine.objects.order_by("month").values_list("month", flat=True)
    months, month, last = [], on_rolls.first(), on_rolls.last()
    if month is not None and last is not None:
        # Up to the last month, not past it: December 9999 has no following month.
        while month < last:
            months.append(month)
            month = month_end(month) + dt.timedelta(days=1)
        months.append(last)
    return DuesLine.objects.filter(month__one_of=months, member=member)


def member_of(*, unit: Unit, pk: int) -> Member | None:
    """A member of `unit`'s subtree by number (for support records); None if not there."""
    return (
        Member.objects.filter(scope.subtree_q(unit.path, via="unit"), pk=pk)
        .select_related("unit")
        .first()
    )


# The ledger ------------------------------------------------------------------------------


# AnyUser: the API's viewset lists it, also when drawing the schema for an anonymous reader.
def entries(*, user: AnyUser, unit: Unit | None = None) -> QuerySet[JournalEntry]:
    """Posted entries of the units whose books the user reads (of `unit` only, when given)."""
    qs = scope.restrict(JournalEntry.objects.all(), user, role=scope.FINANCE, via="unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return (
        qs.filter(status=EntryStatus.POSTED)
        .select_related("unit")
        .prefetch_related("postings__counterpart", "postings__member")
        .order_by("-date", "-id")
    )


@dataclass
class BookLine:
    date: dt.date
    entry_id: int
    description: str
    receipt: int
    payment: int
    balance: int


@dataclass
class Book:
    unit: Unit
    account: str
    year: int
    opening: int
    lines: list[BookLine] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening

    @property
    def receipts(self) -> int:
        return sum(line.receipt for line in self.lines)

    @property
    def payments(self) -> int:
        return sum(line.payment for line in self.lines)


def cash_book(*, user: User, unit: Unit, year: int, account: str = Account.CASH) -> Book:
    """The cash (or bank) book of `unit` for `year`: opening balance, each receipt and payment,
    and the running balance."""
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    postings = Posting.objects.filter(
        entry__unit=unit, entry__status=EntryStatus.POSTED, account=account
    )
    start = dt.date(year, 1, 1)
    opening = postings.filter(entry__date__lt=start).aggregate(s=Sum("amount", default=0))["s"]
    book = Book(unit=unit, account=account, year=year, opening=opening)
    balance = opening
    rows = (
        postings.filter(entry__date__gte=start, entry__date__lte=dt.date(year, 12, 31))
        .order_by("entry__date", "entry_id", "id")
        .values_list("entry__date", "entry_id", "entry__description", "amount")
    )
    for date, entry_id, description, amount in rows:
        balance += amount
        book.lines.append(
            BookLine(date, entry_id, description, max(amount, 0), max(-amount, 0), balance)
        )
    return book


def trial_balance(*, user: User, unit: Unit) -> dict[str, int]:
    """Balance of every account over the posted entries of `unit`'s subtree; they sum to zero."""
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    rows = (
        Posting.objects.filter(
            scope.subtree_q(unit.path, via="entry__unit"), entry__status=EntryStatus.POSTED
        )
        .values("account")
        .annotate(balance=Sum("amount"))
        .order_by("account")
    )
    return {r["account"]: r["balance"] for r in rows}


# Remittances -----------------------------------------------------------------------------


def upper_levels(month: dt.date) -> Callable[[int, int | None], int | None]:
    """Who manages each union's finance for `month`: its parent as the tree stood at the end of
    the month (at the start, for a union dissolved during it), not today's parent: a share posted
    for June 2025 goes to the district that managed the union before the reorganisation."""
    at_end = parents_as_of(month_end(month))
    at_start = parents_as_of(month)

    def upper(unit_id: int, parent_id: int | None) -> int | None:
        """The upper level of the unit `unit_id`, whose parent today is `parent_id`."""
        if unit_id in at_end:
            return at_end[unit_id]
        return at_start.get(unit_id, parent_id)

    return upper


def upper_level(
    *,
    unit: Unit,
    month: dt.date,
    upper_of: Callable[[int, int | None], int | None] | None = None,
) -> Unit | None:
    """The upper level `unit` remits its dues share of `month` to: the one its posted dues of
    that month named, else its parent as the tree stood in that month (`upper_of`: that
    month's `upper_levels`, when the caller has it already)."""
    batch = (
        DuesBatch.objects.filter(unit=unit, month=month)
        .exclude(upper_unit=None)
        .select_related("upper_unit")
        .order_by("-pk")
        .first()
    )
    if batch is not None:
        return batch.upper_unit
    upper_id = (upper_of or upper_levels(month))(unit.pk, unit.parent_id)
    return Unit.objects.filter(pk=upper_id).first() if upper_id else None


def fee_collector(
    *,
    unit: Unit,
    month: dt.date,
    level: FeeCollector,
    upper_of: Callable[[int, int | None], int | None] | None = None,
) -> Unit | None:
    """The unit that collects the union fee recorded at `unit` for `month`, at the `level` the
    month's rule names: the direct upper level, or the province federation above the unit (the
    first ancestor at province level or higher, as the tree stood in that month). `upper_of`:
    that month's `upper_levels`, when the caller has it already."""
    if level == FeeCollector.UPPER_LEVEL:
        return upper_level(unit=unit, month=month, upper_of=upper_of)
    if unit.level <= Level.PROVINCE:
        return unit
    upper_of = upper_of or upper_levels(month)
    node = upper_level(unit=unit, month=month, upper_of=upper_of)
    while node is not None and node.level > Level.PROVINCE:
        parent_id = upper_of(node.pk, node.parent_id)
        node = Unit.objects.filter(pk=parent_id).first() if parent_id else None
    return node


def remittance_outstanding(*, unit: Unit, month: dt.date) -> tuple[int, int]:
    """(due, remitted) of `unit` to its upper level for `month`. Unscoped: for the services."""
    due = DuesBatch.objects.filter(unit=unit, month=month).aggregate(s=Sum("upper_share"))["s"]
    sent = Remittance.objects.filter(from_unit=unit, month=month).aggregate(s=Sum("amount"))["s"]
    return due or 0, sent or 0


@dataclass
class RemittanceRow:
    unit: Unit
    month: dt.date
    due: int = 0
    remitted: int = 0

    @property
    def difference(self) -> int:
        return self.due - self.remitted


def remittance_overview(*, user: User, unit: Unit, year: int) -> list[RemittanceRow]:
    """For an upper level: per lower union and month of `year`, the dues share due to it, what
    was remitted, and the difference."""
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    figures: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for r in (
        DuesBatch.objects.filter(upper_unit=unit, month__year=year)
        .values("unit_id", "month")
        .annotate(s=Sum("upper_share"))
        .order_by()
    ):
        figures[r["unit_id"], r["month"]][0] += r["s"]
    for sent in (
        Remittance.objects.filter(to_unit=unit, month__year=year)
        .values("from_unit_id", "month")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        figures[sent["from_unit_id"], sent["month"]][1] += sent["s"]
    units = Unit.objects.in_bulk({unit_id for unit_id, _month in figures})
    rows = [
        RemittanceRow(units[unit_id], month, due, remitted)
        for (unit_id, month), (due, remitted) in figures.items()
    ]
    return sorted(rows, key=lambda r: (r.unit.sort_key, r.month))


# AnyUser: the API's viewset lists it, also when drawing the schema for an anonymous reader.
def remittances(*, user: AnyUser) -> QuerySet[Remittance]:
    """Remittances sent or received by units whose books the user reads."""
    sent = scope.q(user, role=scope.FINANCE, via="from_unit")
    received = scope.q(user, role=scope.FINANCE, via="to_unit")
    qs = Remittance.objects.all()
    if sent is not None and received is not None:  # None: the user reads every book
        qs = qs.filter(sent | received)
    return qs.select_related("from_unit", "to_unit").order_by("-date", "-id")


# AnyUser: the API's viewset lists it, also when drawing the schema for an anonymous reader.
def dues_lines(*, user: AnyUser) -> QuerySet[DuesLine]:
    return scope.restrict(DuesLine.objects.all(), user, role=scope.FINANCE, via="unit")


@dataclass(frozen=True)
class FeeTotals:
    due: int
    paid: int
    outstanding: int
    grassroots_share: int  # of what was paid: the share the grassroots unions keep


def employer_fees(*, user: User, unit: Unit, year: int, status: str = "") -> QuerySet[EmployerFee]:
    """The union fees recorded at `unit` and the units under it in `year` (upper levels read
    down); optionally of one status."""
    if not scope.can(user, scope.FINANCE, unit):
        raise OutOfScope()
    qs = EmployerFee.objects.filter(scope.subtree_q(unit.path, via="unit"), month__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "collector").order_by("unit__sort_key", "month")


def employer_fee_get(*, user: User, pk: int) -> EmployerFee:
    fee = EmployerFee.objects.select_related("unit").filter(pk=pk).first()
    if fee is None or not scope.can(user, scope.FINANCE, fee.unit):
        raise OutOfScope()
    return fee


def employer_fee_totals(fees: QuerySet[EmployerFee]) -> FeeTotals:
    rows = list(fees.values_list("month", "due", "paid", "status"))
    due = sum(d for _m, d, _p, _s in rows)
    paid = sum(p for _m, _d, p, _s in rows)
    waived = sum(d - p for _m, d, p, s in rows if s == FeeStatus.WAIVED)
    terms = {month: fee_terms_for(month) for month in {m for m, _d, p, _s in rows if p}}
    share = sum(terms[month].grassroots_share(p) for month, _d, p, _s in rows if p)
    return FeeTotals(due=due, paid=paid, outstanding=due - paid - waived, grassroots_share=share)


# AnyUser: the API's viewset lists it, also when drawing the schema for an anonymous reader.
def employer_fee_records(*, user: AnyUser) -> QuerySet[EmployerFee]:
    """The union fees recorded at the units whose books the user reads, with their payments."""
    return (
        scope.restrict(EmployerFee.objects.all(), user, role=scope.FINANCE, via="unit")
        .select_related("unit", "collector")
        .prefetch_related("payments")
    )


@dataclass(frozen=True)
class FeePosting:
    """Who posts the payments of a fee not yet in the books, and whether the user may."""

    collector: Unit
    may_post: bool


class FeeCollectors:
    """Who collects each fee (`of(fee)`): the unit its first posting named, else the one the
    dated rule of the fee's month names (`fee_collector`), else the fee's own unit. The one
    rule `fee_post` follows and a page of fees shows; the rule and the tree of a month are read
    once for all the fees of that month."""

    def __init__(self) -> None:
        self._terms: dict[dt.date, FeeTerms] = {}
        self._uppers: dict[dt.date, Callable[[int, int | None], int | None]] = {}

    def of(self, fee: EmployerFee) -> Unit:
        if fee.collector is not None:
            return fee.collector
        month = fee.month
        if month not in self._terms:
            self._terms[month] = fee_terms_for(month)
            self._uppers[month] = upper_levels(month)
        level = self._terms[month].collector
        found = fee_collector(unit=fee.unit, month=month, level=level, upper_of=self._uppers[month])
        return found or fee.unit


def fee_postings(*, user: User, fees: Iterable[EmployerFee]) -> dict[int, FeePosting]:
    """For each of `fees` with payments awaiting posting: the unit that collects it
    (`FeeCollectors`) and whether `user` writes that unit's books, so that a page offers "Post"
    only to those who may."""
    collectors = FeeCollectors()
    found: dict[int, FeePosting] = {}
    for fee in fees:
        if not fee.awaiting_posting:
            continue
        collector = collectors.of(fee)
        found[fee.pk] = FeePosting(collector=collector, may_post=keeps_books(user, collector))
    return found
