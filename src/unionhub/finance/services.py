"""Every write of the finance app: salaries, the dues roll, the ledger and remittances.

The dues of a unit's subtree for a month are computed in one INSERT … SELECT over the membership
periods (never a loop over members), and posted in a fixed number of bulk queries whatever the
number of units. Posted entries are immutable here and in the database (migration 0003).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    Exists,
    F,
    Field,
    Max,
    Model,
    OuterRef,
    QuerySet,
    Sum,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.finance import money
from unionhub.finance.actions import Action
from unionhub.finance.models import (
    Account,
    DuesBatch,
    DuesLine,
    EmployerFee,
    EmployerFeePayment,
    EntryKind,
    EntryStatus,
    FeeStatus,
    JournalEntry,
    MemberGroup,
    Posting,
    Remittance,
    SalaryBase,
)
from unionhub.finance.rules import Terms, fee_terms_for, month_end, terms_for
from unionhub.finance.selectors import (
    FeeCollectors,
    RollFilters,
    keeps_books,
    remittance_outstanding,
    require_books,
    roll_lines,
    upper_level,
    upper_levels,
)
from unionhub.members.models import Member, MembershipPeriod
from unionhub.members.selectors import held_on
from unionhub.orgs.models import Unit

# Above this a monthly salary is a typing error (an extra zero or two), not a salary.
MAX_MONTHLY_SALARY = 1_000_000_000


def _month(value: dt.date) -> dt.date:
    if value.day != 1:
        raise DomainError("month_not_first_day", _("A month is given by its first day."))
    return value


def _label(month: dt.date) -> str:
    return month.strftime("%m/%Y")


# The first day a booking (an entry, a payment, a remittance) may carry. The books kept here
# begin in this century: the oldest dated rule they apply is of 2016, and a date before 2000
# is a slip rather than an old entry (01/01/0001 from an empty date, a year typed as 25 and
# read as 0025). Today is the other end: a day that has not come has nothing to book.
BOOKS_BEGIN = dt.date(2000, 1, 1)


def _day(value: dt.date) -> str:
    # Written out by hand: strftime drops the leading zeros of a year before 1000.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _check_booking_date(value: dt.date, *, field: str, label: str) -> None:
    """Refuse a booking dated in the future or before the books begin, naming the field (its
    form label) in the message, so that the pages and the API refuse alike."""
    if value > timezone.localdate():
        raise DomainError(
            "date_in_future",
            _("%(field)s: %(date)s is in the future; the books hold only days that have come.")
            % {"field": label, "date": _day(value)},
            field=field,
        )
    if value < BOOKS_BEGIN:
        raise DomainError(
            "date_before_books",
            _("%(field)s: %(date)s is before %(first)s, when the books kept here begin.")
            % {"field": label, "date": _day(value), "first": _day(BOOKS_BEGIN)},
            field=field,
        )


# Salaries --------------------------------------------------------------------------------


def _check_salary(amount: int) -> None:
    if amount < 0:
        raise DomainError("salary_negative", _("A salary cannot be negative."), field="amount")
    if amount > MAX_MONTHLY_SALARY:
        raise DomainError(
            "salary_absurd",
            _("%(amount)s a month is not a plausible salary.") % {"amount": money.vnd(amount)},
            field="amount",
        )


def _refuse_if_paid(member_ids: Iterable[int], month: dt.date) -> None:
    lines = DuesLine.objects.filter(member__id__one_of=list(member_ids), month=month)
    if lines.exclude(paid_on=None).exists():
        raise DomainError(
            "month_already_paid",
            _("Dues for %(month)s are already paid: the salary of that month can no longer change.")
            % {"month": _label(month)},
        )


@transaction.atomic
def salary_set(
    *, member: Member, month: dt.date, amount: int, by: User, group: str = MemberGroup.ALL
) -> SalaryBase:
    """Enter (or correct, until the month's dues are paid) one member's salary for a month."""
    require_books(by, member.unit)
    month = _month(month)
    _check_salary(amount)
    _refuse_if_paid([member.pk], month)
    salary, _created = SalaryBase.objects.update_or_create(
        member=member, month=month, defaults={"amount": amount, "group": group, "entered_by": by}
    )
    log(by, Action.SALARY_SET, member, {"month": month, "amount": amount})
    return salary


@dataclass(frozen=True)
class SalaryRow:
    member_id: int
    amount: int
    group: str = MemberGroup.ALL


@transaction.atomic
def salaries_store(*, unit: Unit, month: dt.date, rows: list[SalaryRow], by: User) -> int:
    """Store checked salary rows of members of `unit`'s subtree for `month` in bulk (the
    payroll import's last step): replaced where the month's dues are not yet paid."""
    require_books(by, unit)
    month = _month(month)
    ids = [row.member_id for row in rows]
    _refuse_if_paid(ids, month)
    SalaryBase.objects.filter(month=month, member__id__one_of=ids).delete()
    SalaryBase.objects.bulk_create(
        SalaryBase(
            member_id=r.member_id, month=month, amount=r.amount, group=r.group, entered_by=by
        )
        for r in rows
    )
    log(by, Action.SALARIES_IMPORTED, unit, {"month": month, "rows": len(rows)})
    return len(rows)


# The dues roll ---------------------------------------------------------------------------

_LINE_COLUMNS = ("member_id", "unit_id", "month", "salary", "rate", "cap", "amount")


def _roll_source(*, unit: Unit, terms: Terms) -> tuple[str, list[Any]]:
    """The dues lines of the month, as one SELECT (SQL and parameters) in the order of
    _LINE_COLUMNS: every member held in `unit`'s subtree at the end of the month (suspended
    members hold no membership period, so they owe nothing), with the salary of the month and
    the dues from the rules. A member who has a line already (a paid one) is skipped by the
    insert itself (see dues_compute).

    The salary row is joined to the period by its member's key: through the ORM's relation it
    was joined through the member's row, a look-up in the registry's widest table for every
    line (on SQLite a third of computing a province's month)."""
    month = terms.month
    periods = (
        MembershipPeriod.objects.filter(held_on(month_end(month)))
        .filter(scope.subtree_q(unit.path, via="unit"))
        .values_list("member_id", "unit_id")
    )
    periods_sql, periods_params = periods.query.sql_with_params()
    quote = connection.ops.quote_name
    group = f"COALESCE(salary.{quote('group')}, '')"
    others = [g for g in terms.rates if g]

    def by_group(value: Any) -> tuple[str, list[Any]]:
        """`value(rate)` of the salary's group: a CASE when a group has a rate of its own."""
        if not others:
            return "%s", [value(terms.rate())]
        whens = " ".join(["WHEN %s THEN %s"] * len(others))
        params = [item for g in others for item in (g, value(terms.rate(g)))]
        return f"CASE {group} {whens} ELSE %s END", [*params, value(terms.rate())]

    rate_sql, rate_params = by_group(lambda rate: rate)
    units_sql, units_params = by_group(money.rate_units)
    # money.share in SQL with the group's rate: integers only, rounded half up. No salary, no
    # dues: the NULL made 0 before the cap, as PostgreSQL's LEAST skips NULLs.
    scale = 10**money.RATE_PLACES
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    amount_sql = f"{least}(COALESCE((salary.amount * {units_sql} + %s) / %s, 0), %s)"
    cast = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"SELECT held.member_id, held.unit_id, {cast}, salary.amount,"
        f" CAST({rate_sql} AS {DuesLine._meta.get_field('rate').db_type(connection)}),"
        f" %s, {amount_sql}"
        f" FROM ({periods_sql}) held"
        f" LEFT JOIN {quote(SalaryBase._meta.db_table)} salary"
        " ON salary.member_id = held.member_id AND salary.month = %s"
        # WHERE true: SQLite would read the ON of an upsert as the join's (its manual).
        " WHERE true"
        # In the order of the (month, member) key: the month's lines go at the end of that
        # index one after the other, leaf after leaf.
        " ORDER BY held.member_id"
    )
    month_value = connection.ops.adapt_datefield_value(month)
    params = [
        month_value,
        *rate_params,
        terms.cap,
        *units_params,
        scale // 2,
        scale,
        terms.cap,
        *periods_params,
        month_value,
    ]
    return sql, params


def _columns(model: type[Model], names: tuple[str, ...]) -> str:
    """The quoted columns of `model`'s concrete fields `names`, for hand-built INSERTs."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = [f.column for f in fields if isinstance(f, Field) and f.column]
    if len(columns) != len(names):
        raise ValueError(f"not every one of {names} is a column of {model.__name__}")
    return ", ".join(quote(column) for column in columns)


def _insert_select(
    model: type[Model],
    columns: tuple[str, ...],
    source: QuerySet[Any] | tuple[str, list[Any]],
    *,
    unless_present: tuple[str, ...] = (),
) -> int:
    """INSERT INTO `model` (`columns`) the rows of `source` (a values_list in the same order)
    or a SELECT's SQL and parameters) in one statement; returns the number of rows written.
    With `unless_present` (the columns of a unique constraint), a row whose key is there
    already is skipped (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike; `source` must
    have a WHERE clause for SQLite)."""
    sql, params = source if isinstance(source, tuple) else source.query.sql_with_params()
    quote = connection.ops.quote_name
    names = _columns(model, columns)
    skip = f" ON CONFLICT ({_columns(model, unless_present)}) DO NOTHING" if unless_present else ""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}{skip}", params)
        written: int = cursor.rowcount
    return written


def _insert_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` of plain values (in `columns` order) into `model`'s table in one
    executemany, without a model instance per row: the ORM's bulk_create spent most of posting
    a province's month preparing its 2,000 instances. Columns left out must be nullable."""
    quote = connection.ops.quote_name
    names = _columns(model, columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})", rows
        )


# A province's month is a million lines: hashing its salaries, grouping its lines by unit or
# batch spilled to disk in 4 MB (PostgreSQL's default work_mem), for each statement; and the
# planner's cost estimates of such statements called for JIT compilation, which cost more
# than it saved.
BULK_WORK_MEM = "64MB"
# After writing this many lines the table's statistics are refreshed (PostgreSQL): a month
# just written is not in them, the planner took its lines for a few dozen, and marking them
# paid fetched them one unit at a time through the index (11 s instead of 4 at 1 M members);
# lines just marked paid were not in a batch for it, and posting sorted a month's lines on
# disk to sum them per batch.
ANALYZE_AFTER = 10_000


def _bulk_statements() -> None:
    """Let this transaction's statements over a month's lines hash and sort in memory."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{BULK_WORK_MEM}'")
            # Compiling the plan of summing a month's lines took a second, running it two.
            cursor.execute("SET LOCAL jit = off")


def _refresh_statistics(written: int) -> None:
    """After many lines were written or marked paid, the table's statistics are brought up to
    date (PostgreSQL samples the table, rows of this transaction included)."""
    if connection.vendor == "postgresql" and written >= ANALYZE_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(DuesLine._meta.db_table)}")


@transaction.atomic
def dues_compute(*, unit: Unit, month: dt.date, by: User) -> int:
    """(Re)compute the dues roll of `unit`'s subtree for `month`: lines not yet paid are
    replaced from the registry and the salaries; paid lines stay as they were. Returns the
    number of lines added."""
    require_books(by, unit)
    month = _month(month)
    terms = terms_for(month)
    _bulk_statements()
    subtree = scope.subtree_q(unit.path, via="unit")
    DuesLine.objects.filter(subtree, month=month, paid_on=None).delete()
    # The paid lines stay: the insert skips their members by the (month, member) key rather
    # than by NOT EXISTS over the table it writes, which PostgreSQL planned, on statistics
    # older than a bulk load, as a scan of that growing table per row (minutes at 1 M).
    source = _roll_source(unit=unit, terms=terms)
    key = ("month", "member")
    if connection.vendor != "postgresql" or DuesLine.objects.filter(month=month).exists():
        added = _insert_select(DuesLine, _LINE_COLUMNS, source, unless_present=key)
    else:
        # No line of the month anywhere: nothing to skip, and a plain INSERT spares each line
        # PostgreSQL's look-up and confirmation of a speculative insertion (a third of the
        # insert's buffer accesses, a quarter of its time at 1 M members). Should a line turn
        # up all the same (a member held twice at the month's end, a compute of the same
        # month committed meanwhile), the insert is undone and made again skipping.
        try:
            with transaction.atomic():
                added = _insert_select(DuesLine, _LINE_COLUMNS, source)
        except IntegrityError:
            added = _insert_select(DuesLine, _LINE_COLUMNS, source, unless_present=key)
    _refresh_statistics(added)
    log(by, Action.DUES_COMPUTED, unit, {"month": month, "lines": added})
    return added


@transaction.atomic
def dues_mark_paid(
    *,
    unit: Unit,
    month: dt.date,
    paid_on: dt.date,
    by: User,
    member_ids: Iterable[int] | None = None,
    filters: RollFilters | None = None,
) -> int:
    """Mark dues of `month` in `unit`'s subtree paid on `paid_on`: of the members selected one
    by one (`member_ids`), or of every unpaid line the roll shows under `filters` (the whole
    roll with no filter). Either way one UPDATE, whatever the number of lines, which also puts
    each line in the open batch of its unit that dues_post will post; returns how many were
    marked."""
    require_books(by, unit)
    if (member_ids is None) == (filters is None):
        raise ValueError("give either member_ids or filters")
    _check_booking_date(paid_on, field="paid_on", label=_("Paid on"))
    month = _month(month)
    _bulk_statements()
    selection: dict[str, Any]
    if filters is not None:
        lines = roll_lines(unit=unit, month=month, filters=filters)
        selection = {"filter": {"status": filters.status, "query": filters.query}}
    else:
        ids = sorted(set(member_ids or ()))
        if not ids:
            raise DomainError("nothing_selected", _("Select the members who paid."))
        lines = roll_lines(unit=unit, month=month, filters=RollFilters())
        lines = lines.filter(member__id__one_of=ids)
        # Members ticked one by one are a page of the roll in the pages; an API caller who
        # sends more gets them all recorded: the selection is theirs.
        selection = {"members": ids}
    marked = _pay_into_open_batches(lines.filter(paid_on=None), unit, month, paid_on)
    _refresh_statistics(marked)
    # One audit row naming the selection and the count: which lines it paid is in the roll
    # (their payment date), and a province's whole roll is not copied into the trail.
    log(by, Action.DUES_PAID, unit, {"month": month, "paid_on": paid_on, "count": marked,
                                     **selection})  # fmt: skip
    return marked


def _pay_into_open_batches(
    lines: QuerySet[DuesLine], unit: Unit, month: dt.date, paid_on: dt.date
) -> int:
    """Date the payment of `lines` (of `month` in `unit`'s subtree, a query of the lines table
    alone) and put each in the open batch of its unit and month, opened here where there is
    none: one UPDATE of the lines, joined to their batches. Returns the number marked."""
    quote = connection.ops.quote_name
    table, batches = quote(DuesLine._meta.db_table), quote(DuesBatch._meta.db_table)
    where, params = lines.query.get_compiler(connection=connection).compile(lines.query.where)
    # The units that have a line to mark, each found by its first line in the (unit, month)
    # index: the distinct units of the lines read the whole month (0.8 s at 1 M members).
    marking = (
        Unit.objects.filter(scope.subtree_q(unit.path))
        .filter(Exists(lines.filter(unit_id=OuterRef("pk"))))
        .values_list("pk", Value(month, output_field=DateField()))
    )
    units_sql, units_params = marking.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {batches} (unit_id, month, total, kept, upper_share) "
            # WHERE true: SQLite would read the ON of the upsert as the join's (its manual).
            f"SELECT *, 0, 0, 0 FROM ({units_sql}) marking WHERE true "
            "ON CONFLICT (unit_id, month) WHERE entry_id IS NULL DO NOTHING",
            units_params,
        )
        # Locked until the commit: a posting of the same month waits for these lines. Joined
        # as a list of values, whose size the planner knows: from the batches table, whose
        # statistics predate the batches just opened, it expected one and fetched the lines
        # unit by unit through the index (8 s at 1 M members, against 4).
        open_batches = DuesBatch.objects.select_for_update(of=("self",)).filter(
            scope.subtree_q(unit.path, via="unit"), month=month, entry=None
        )
        pairs = list(open_batches.values_list("id", "unit_id"))
        if not pairs:  # nothing selected, so nothing opened
            return 0
        values = ", ".join(["(%s, %s)"] * len(pairs))
        cursor.execute(
            f"UPDATE {table} SET paid_on = %s, batch_id = b.column1 FROM (VALUES {values}) b "
            f"WHERE {table}.unit_id = b.column2 AND {where}",
            [
                connection.ops.adapt_datefield_value(paid_on),
                *(value for pair in pairs for value in pair),
                *params,
            ],
        )
        marked: int = cursor.rowcount
    return marked


# The ledger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    account: str
    amount: int  # debit positive, credit negative
    counterpart: Unit | None = None
    member: Member | None = None


def _post(entry_ids: list[int], by: User) -> None:
    """Flip drafts whose postings are written to posted (the database checks the balance)."""
    JournalEntry.objects.filter(pk__one_of=entry_ids).update(
        status=EntryStatus.POSTED, posted_by=by, posted_at=timezone.now()
    )


def _entry(
    *,
    unit: Unit,
    date: dt.date,
    kind: str,
    description: str,
    lines: list[Line],
    by: User,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    if len(lines) < 2 or sum(line.amount for line in lines) != 0:
        raise DomainError(
            "entry_unbalanced", _("The debits and credits of an entry must be equal.")
        )
    if any(line.amount == 0 for line in lines):
        raise DomainError("posting_zero", _("A line of an entry cannot be zero."))
    entry = JournalEntry.objects.create(
        unit=unit, date=date, kind=kind, description=description, reverses=reverses
    )
    Posting.objects.bulk_create(
        Posting(
            entry=entry,
            account=line.account,
            amount=line.amount,
            counterpart=line.counterpart,
            member=line.member,
        )
        for line in lines
    )
    _post([entry.pk], by)
    entry.status = EntryStatus.POSTED
    log(by, Action.ENTRY_POSTED, entry, {"kind": kind})
    return entry


@transaction.atomic
def entry_record(
    *, unit: Unit, date: dt.date, description: str, lines: list[Line], by: User
) -> JournalEntry:
    """Post an entry in `unit`'s books (spending, other revenue…); it balances or is refused."""
    require_books(by, unit)
    _check_booking_date(date, field="date", label=_("Date"))
    return _entry(
        unit=unit, date=date, kind=EntryKind.MANUAL, description=description, lines=lines, by=by
    )


# What a cash or bank movement may be booked against from the cash book page.
CASH_COUNTER_ACCOUNTS = (
    Account.SUPPORT_EXPENSE,
    Account.ACTIVITY_EXPENSE,
    Account.ADMIN_EXPENSE,
    Account.OTHER_REVENUE,
)


@transaction.atomic
def cash_record(
    *,
    unit: Unit,
    date: dt.date,
    account: str,
    amount: int,
    description: str,
    by: User,
    via: str = Account.CASH,
    member: Member | None = None,
) -> JournalEntry:
    """A payment (expense) or receipt (other revenue) in cash or by bank; support to a member
    names the member, who must belong to the unit, and shows on the member's page."""
    require_books(by, unit)
    if account not in CASH_COUNTER_ACCOUNTS or via not in (Account.CASH, Account.BANK):
        raise DomainError("account_not_allowed", _("This account cannot be used here."))
    _check_booking_date(date, field="date", label=_("Date"))
    if amount <= 0:
        raise DomainError("amount_not_positive", _("The amount must be more than zero."))
    if account == Account.SUPPORT_EXPENSE:
        if member is None or not member.unit.path.startswith(unit.path):
            raise DomainError(
                "support_needs_member",
                _("Support is recorded for a member of this union."),
                field="member",
            )
    else:
        member = None
    sign = -1 if account == Account.OTHER_REVENUE else 1
    return _entry(
        unit=unit,
        date=date,
        kind=EntryKind.MANUAL,
        description=description,
        by=by,
        lines=[Line(account, sign * amount, member=member), Line(via, -sign * amount)],
    )


@transaction.atomic
def entry_reverse(*, entry: JournalEntry, date: dt.date, by: User) -> JournalEntry:
    """Correct a posted entry: a new entry with every posting negated. The entry itself never
    changes, and it is reversed once at most."""
    require_books(by, entry.unit)
    _check_booking_date(date, field="date", label=_("Date"))
    if JournalEntry.objects.filter(reverses=entry).exists() or entry.reverses_id:
        raise DomainError("already_reversed", _("This entry is already reversed or a reversal."))
    lines = [
        Line(p.account, -p.amount, p.counterpart, p.member)
        for p in entry.postings.select_related("counterpart", "member")
    ]
    reversal = _entry(
        unit=entry.unit,
        date=date,
        kind=EntryKind.REVERSAL,
        reverses=entry,
        lines=lines,
        by=by,
        description=_("Reversal of: %(description)s") % {"description": entry.description},
    )
    log(by, Action.ENTRY_REVERSED, entry, {"reversal": reversal.pk})
    return reversal


@transaction.atomic
def dues_post(*, unit: Unit, month: dt.date, on: dt.date, by: User) -> list[DuesBatch]:
    """Post the paid, not yet posted dues of `month` of every unit in `unit`'s subtree: per unit,
    the cash received, the share kept as revenue and the upper level's share as payable; and in
    the upper level's books the same share as receivable. A fixed number of queries whatever the
    number of units: the sums per open batch in SQL, the entries written as plain rows and the
    open batches filled in, the postings by INSERT … SELECT from the batches. The lines are in
    their batches since they were marked paid: posting writes none of them."""
    require_books(by, unit)
    _check_booking_date(on, field="on", label=_("Entry date"))
    month = _month(month)
    terms = terms_for(month)
    _bulk_statements()
    # The open batches of the month, locked: a marking paid of these units waits until they
    # are posted, and then opens new ones.
    open_batches = DuesBatch.objects.select_for_update(of=("self",)).filter(
        scope.subtree_q(unit.path, via="unit"), month=month, entry=None
    )
    batch_units = {
        batch_id: (unit_id, parent_id, name)
        for batch_id, unit_id, parent_id, name in open_batches.values_list(
            "pk", "unit_id", "unit__parent_id", "unit__name"
        )
    }
    # The batches joined as a query: compared with the list of their keys, each of the month's
    # lines was looked for in that list (1.7 s at 1 M members, against 0.5).
    posting = DuesBatch.objects.filter(pk__one_of=list(batch_units)).values("pk")
    sums = (
        DuesLine.objects.filter(month=month, batch_id__in=posting)
        .values("batch_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("batch_id", "total")
    )
    # A batch whose lines owe nothing (no salary) stays open: there is nothing to post.
    totals = sorted((*batch_units[batch_id], total, batch_id) for batch_id, total in sums if total)
    if not totals:
        raise DomainError(
            "nothing_to_post",
            _("No paid dues of %(month)s wait to be posted.") % {"month": _label(month)},
        )
    upper_of = upper_levels(month)
    label = _label(month)
    day = connection.ops.adapt_datefield_value(on)
    own = _("Dues of %(month)s") % {"month": label}
    # The shares are worked out before anything is written: a unit with no upper level, or
    # keeping everything, gets no entry in an upper level's books.
    shares, batch_ids = [], []
    for unit_id, parent_id, name, total, batch_id in totals:
        upper_id = upper_of(unit_id, parent_id)
        shares.append((unit_id, name, total, upper_id, terms.upper_share(total) if upper_id else 0))
        batch_ids.append(batch_id)
    draft = EntryStatus.DRAFT
    entry_rows: list[tuple[Any, ...]] = [
        (u, day, EntryKind.DUES, own, draft) for u, _n, _t, _up, _s in shares
    ]
    entry_rows += [
        (
            upper_id,
            day,
            EntryKind.DUES_SHARE,
            _("Dues share of %(month)s from %(unit)s") % {"month": label, "unit": name},
            draft,
        )
        for _unit_id, name, _total, upper_id, upper in shares
        if upper
    ]
    # The new entries' keys, in the order written: ids only grow, and the only drafts are this
    # transaction's (every service posts its entries before it commits).
    before = JournalEntry.objects.aggregate(last=Max("pk", default=0))["last"]
    _insert_rows(JournalEntry, ("unit", "date", "kind", "description", "status"), entry_rows)
    entry_ids = list(
        JournalEntry.objects.filter(pk__gt=before, status=EntryStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(entry_ids) != len(entry_rows):
        raise RuntimeError(f"wrote {len(entry_rows)} dues entries, found {len(entry_ids)} drafts")
    child_ids, upper_ids = iter(entry_ids[: len(shares)]), iter(entry_ids[len(shares) :])
    filled = zip(shares, batch_ids, strict=True)
    _fill_batches(
        [
            (total, total - upper, upper, upper_id, next(child_ids),
             next(upper_ids) if upper else None, batch_id)
            for (_unit_id, _name, total, upper_id, upper), batch_id in filled
        ]
    )  # fmt: skip
    batches = list(DuesBatch.objects.filter(pk__one_of=batch_ids).order_by("unit_id"))
    _dues_postings(batches)
    _post(entry_ids, by)
    # One row for the whole posting, as for marking paid: the batches are its detail.
    log(by, Action.DUES_POSTED, unit,
        {"month": month, "units": len(batches), "total": sum(b.total for b in batches),
         "upper_share": sum(b.upper_share for b in batches)})  # fmt: skip
    return batches


def _fill_batches(rows: list[tuple[Any, ...]]) -> None:
    """Post open batches: each row is (total, kept, upper_share, upper_unit, entry,
    upper_entry, batch id), written in one executemany. Their lines are in them already."""
    quote = connection.ops.quote_name
    columns = ("total", "kept", "upper_share", "upper_unit", "entry", "upper_entry")
    assignments = ", ".join(f"{_columns(DuesBatch, (name,))} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(DuesBatch._meta.db_table)} SET {assignments} WHERE id = %s", rows
        )


def _dues_postings(batches: list[DuesBatch]) -> None:
    """The postings of freshly written dues batches, by INSERT … SELECT from the batches: the
    unit's cash, kept revenue and payable to the upper level, and in the upper level's entry
    the receivable and the share's revenue. A zero line is no line (the database refuses it)."""
    rows = DuesBatch.objects.filter(pk__one_of=[b.pk for b in batches]).order_by()
    nobody = Value(None, output_field=BigIntegerField())

    def lines(entry: str, account: str, amount: Any, counterpart: Any, **when: Any) -> None:
        source = rows.filter(**when).values_list(
            entry, Value(account, output_field=CharField()), amount, counterpart
        )
        _insert_select(Posting, ("entry", "account", "amount", "counterpart"), source)

    lines("entry_id", Account.CASH, F("total"), nobody)
    lines("entry_id", Account.DUES_REVENUE, -F("kept"), nobody, kept__gt=0)
    lines("entry_id", Account.PAYABLE_UPPER, -F("upper_share"), F("upper_unit_id"),
          upper_share__gt=0)  # fmt: skip
    lines("upper_entry_id", Account.RECEIVABLE_LOWER, F("upper_share"), F("unit_id"),
          upper_share__gt=0)  # fmt: skip
    lines("upper_entry_id", Account.DUES_SHARE_REVENUE, -F("upper_share"), nobody,
          upper_share__gt=0)  # fmt: skip


# Remittances -----------------------------------------------------------------------------


@transaction.atomic
def remittance_record(
    *,
    unit: Unit,
    month: dt.date,
    amount: int,
    date: dt.date,
    by: User,
    account: str = Account.BANK,
) -> Remittance:
    """`unit` sends `amount` of its dues share of `month` to its upper level: recorded once and
    written in both books (sender: payable settled; upper level: receivable settled)."""
    require_books(by, unit)
    month = _month(month)
    if account not in (Account.CASH, Account.BANK):
        raise DomainError("remittance_account", _("A remittance is paid in cash or by bank."))
    _check_booking_date(date, field="date", label=_("Date"))
    upper = upper_level(unit=unit, month=month)
    if upper is None:
        raise DomainError("no_upper_level", _("This unit has no upper level to remit to."))
    if amount <= 0:
        raise DomainError(
            "remittance_not_positive", _("A remittance must be more than zero."), field="amount"
        )
    # Locks the sender's row: two officers recording at once must not both pass the check below.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    due, sent = remittance_outstanding(unit=unit, month=month)
    if amount > due - sent:
        raise DomainError(
            "remittance_exceeds_due",
            _(
                "%(amount)s is more than the %(outstanding)s still due to the upper level for "
                "%(month)s (due %(due)s, already remitted %(sent)s)."
            )
            % {
                "amount": money.vnd(amount),
                "outstanding": money.vnd(due - sent),
                "month": _label(month),
                "due": money.vnd(due),
                "sent": money.vnd(sent),
            },
            field="amount",
        )
    entry = _entry(
        unit=unit,
        date=date,
        kind=EntryKind.REMITTANCE,
        by=by,
        description=_("Dues share of %(month)s remitted to %(unit)s")
        % {"month": _label(month), "unit": upper.name},
        lines=[Line(Account.PAYABLE_UPPER, amount, counterpart=upper), Line(account, -amount)],
    )
    upper_entry = _entry(
        unit=upper,
        date=date,
        kind=EntryKind.REMITTANCE_RECEIVED,
        by=by,
        description=_("Dues share of %(month)s received from %(unit)s")
        % {"month": _label(month), "unit": unit.name},
        lines=[Line(account, amount), Line(Account.RECEIVABLE_LOWER, -amount, counterpart=unit)],
    )
    remittance = Remittance.objects.create(
        from_unit=unit,
        to_unit=upper,
        month=month,
        amount=amount,
        date=date,
        entry=entry,
        upper_entry=upper_entry,
        by=by,
    )
    log(by, Action.REMITTANCE_RECORDED, remittance, {"month": month, "amount": amount})
    return remittance


# The employer's union fee (kinh phí công đoàn) -------------------------------------------

# The 2024 Trade Union Law suspends the fee for at most 12 months; the 13th is refused.
MAX_SUSPENDED_MONTHS = 12
# A payroll beyond this is a typing slip (a million workers on 100 million đồng a month).
MAX_PAYROLL = 10**14


@transaction.atomic
def fee_record(
    *,
    unit: Unit,
    month: dt.date,
    payroll: int,
    by: User,
    status: str = FeeStatus.DUE,
    rate: Decimal | None = None,
    note: str = "",
) -> EmployerFee:
    """Record (or correct, while nothing is paid) the union fee an employer owes `unit` for
    `month`: the rule's rate of `payroll`, or a reduced `rate`, or waived, or suspended."""
    require_books(by, unit)
    month = _month(month)
    if month > timezone.localdate().replace(day=1):
        raise DomainError(
            "fee_month_future",
            _("The union fee of %(month)s cannot be recorded yet: that month has not come.")
            % {"month": _label(month)},
            field="month",
        )
    terms = fee_terms_for(month)
    if not 0 <= payroll <= MAX_PAYROLL:
        raise DomainError(
            "fee_payroll_invalid",
            _("The payroll must be an amount in đồng between 0 and %(max)s.")
            % {"max": money.vnd(MAX_PAYROLL)},
            field="payroll",
        )
    if status not in (FeeStatus.DUE, FeeStatus.WAIVED, FeeStatus.REDUCED, FeeStatus.SUSPENDED):
        raise DomainError("fee_status_invalid", _("Choose how the fee applies."), field="status")
    if status == FeeStatus.REDUCED:
        if rate is None or not 0 < rate < terms.rate:
            raise DomainError(
                "fee_rate_invalid",
                _("A reduced rate is more than 0 and less than %(rate)s.")
                % {"rate": f"{terms.rate * 100:g} %"},
                field="rate",
            )
    else:
        rate = terms.rate
    if status == FeeStatus.SUSPENDED:
        _check_suspension(unit, month)
    fee = EmployerFee.objects.select_for_update().filter(unit=unit, month=month).first()
    if fee is not None and fee.paid:
        raise DomainError(
            "fee_already_paid",
            _("The fee of %(month)s has payments recorded and can no longer be changed.")
            % {"month": _label(month)},
        )
    fee = fee or EmployerFee(unit=unit, month=month)
    fee.payroll, fee.rate, fee.status, fee.note, fee.by = payroll, rate, status, nfc(note), by
    fee.due = 0 if status == FeeStatus.WAIVED else terms.due(payroll, rate)
    fee.save()
    log(by, Action.FEE_RECORDED, fee,
        {"month": month, "payroll": payroll, "status": status, "rate": str(rate),
         "due": fee.due})  # fmt: skip
    return fee


def _check_suspension(unit: Unit, month: dt.date) -> None:
    """Refuse a suspension that would make more than MAX_SUSPENDED_MONTHS months in a row."""
    run = 0
    previous = month
    suspended = set(
        EmployerFee.objects.filter(
            unit=unit, status=FeeStatus.SUSPENDED, month__lt=month
        ).values_list("month", flat=True)
    )
    while True:
        previous = (previous - dt.timedelta(days=1)).replace(day=1)
        if previous not in suspended:
            break
        run += 1
    if run >= MAX_SUSPENDED_MONTHS:
        raise DomainError(
            "fee_suspension_too_long",
            _("The fee can be suspended for at most %(months)d months in a row.")
            % {"months": MAX_SUSPENDED_MONTHS},
            field="status",
        )


@transaction.atomic
def fee_pay(*, fee: EmployerFee, amount: int, paid_on: dt.date, by: User) -> EmployerFee:
    """A payment of the employer's fee; a suspended month paid is a back-payment."""
    fee = EmployerFee.objects.select_for_update().select_related("unit").get(pk=fee.pk)
    require_books(by, fee.unit)
    _check_booking_date(paid_on, field="paid_on", label=_("Paid on"))
    if fee.status == FeeStatus.WAIVED:
        raise DomainError("fee_waived", _("The fee of this month is waived: nothing is due."))
    if amount <= 0 or amount > fee.due - fee.paid:
        raise DomainError(
            "fee_payment_invalid",
            _("A payment is more than zero and at most the %(outstanding)s still due.")
            % {"outstanding": money.vnd(fee.due - fee.paid)},
            field="amount",
        )
    if fee.status == FeeStatus.SUSPENDED:
        fee.back_paid = True
    fee.paid += amount
    fee.paid_on = paid_on
    if fee.paid == fee.due:
        fee.status = FeeStatus.PAID
    fee.save()
    EmployerFeePayment.objects.create(fee=fee, amount=amount, paid_on=paid_on, by=by)
    log(by, Action.FEE_PAID, fee, {"amount": amount, "paid_on": paid_on, "total": fee.paid})
    return fee


@transaction.atomic
def fee_post(*, fee: EmployerFee, on: dt.date, by: User) -> list[EmployerFeePayment]:
    """Post the payments of a fee not yet in the books, each once: the level that collects it
    (the dated rule of the fee's month says which: the unit's upper level then, or the province
    federation above it then) receives each payment, keeps its part as revenue and passes the
    grassroots share (the dated rule's 75 %) down; the grassroots union receives that share as
    its revenue. Both entries name each other's unit on the share, so the two books agree on
    what was passed down. Returns the payments posted."""
    fee = EmployerFee.objects.select_for_update().select_related("unit").get(pk=fee.pk)
    terms = fee_terms_for(fee.month)
    # Every payment of a fee goes to one collector: the one its first posting named.
    collector = FeeCollectors().of(fee)
    if keeps_books(by, fee.unit) and not keeps_books(by, collector):
        # The union's own treasurer, who may not write the collector's books: told who posts.
        raise OutOfScope(
            _(
                "The union fee is posted by %(collector)s, which collects it; the union's "
                "share then comes into its books."
            )
            % {"collector": collector.name}
        )
    require_books(by, collector)
    _check_booking_date(on, field="on", label=_("Entry date"))
    label = _label(fee.month)
    payments = list(fee.payments.filter(entry=None).order_by("paid_on", "pk"))
    if not payments:
        if fee.paid:
            raise DomainError(
                "fee_already_posted",
                _(
                    "Every payment of the union fee of %(month)s for %(unit)s is already posted "
                    "(%(posted)s): there is nothing new to post; a correction is a reversing "
                    "entry."
                )
                % {"month": label, "unit": fee.unit.name, "posted": money.vnd(fee.posted)},
            )
        raise DomainError(
            "fee_not_paid",
            _("No payment of the union fee of %(month)s for %(unit)s is recorded yet.")
            % {"month": label, "unit": fee.unit.name},
        )
    passed_down = collector.pk != fee.unit_id
    posted, shared = fee.posted, fee.share or 0
    for payment in payments:
        # The share of what is posted so far, less what was passed down before: the shares of
        # the payments add up to the share of their total, whatever the rounding of each.
        posted += payment.amount
        share = terms.grassroots_share(posted) - shared if passed_down else 0
        shared += share
        _fee_payment_entries(payment, fee=fee, collector=collector, share=share, on=on, by=by)
    fee.collector, fee.share, fee.posted = collector, shared, posted
    fee.save(update_fields=["collector", "share", "posted"])
    data = {"month": fee.month, "payments": len(payments),
            "amount": sum(p.amount for p in payments),
            "share": sum(p.share or 0 for p in payments), "collector": collector.code}  # fmt: skip
    log(by, Action.FEE_POSTED, fee, data)
    return payments


def _fee_payment_entries(
    payment: EmployerFeePayment,
    *,
    fee: EmployerFee,
    collector: Unit,
    share: int,
    on: dt.date,
    by: User,
) -> None:
    """One payment in the collector's books and, for its share, in the grassroots union's."""
    label, paid_on = _label(fee.month), payment.paid_on.strftime("%d/%m/%Y")
    lines = [
        Line(Account.BANK, payment.amount),
        Line(Account.FEE_REVENUE, -(payment.amount - share)),
    ]
    if share:
        lines.append(Line(Account.BANK, -share, counterpart=fee.unit))
    payment.entry = _entry(
        unit=collector,
        date=on,
        kind=EntryKind.FEE,
        by=by,
        description=_("Union fee of %(month)s from the employer at %(unit)s, paid %(paid_on)s")
        % {"month": label, "unit": fee.unit.name, "paid_on": paid_on},
        lines=[line for line in lines if line.amount],
    )
    if share:
        payment.grassroots_entry = _entry(
            unit=fee.unit,
            date=on,
            kind=EntryKind.FEE_SHARE,
            by=by,
            description=_(
                "Grassroots share of the union fee of %(month)s paid %(paid_on)s, from %(unit)s"
            )
            % {"month": label, "unit": collector.name, "paid_on": paid_on},
            lines=[
                Line(Account.BANK, share, counterpart=collector),
                Line(Account.FEE_REVENUE, -share),
            ],
        )
    payment.collector, payment.share = collector, share
    payment.save(update_fields=["collector", "share", "entry", "grassroots_entry"])
