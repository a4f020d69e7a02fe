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

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log, log_many
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.finance import money
from unionhub.finance.actions import Action
from unionhub.finance.models import (
    Account,
    DuesBatch,
    DuesLine,
    EmployerFee,
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
    remittance_outstanding,
    require_books,
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
    *, member: Member, month: dt.date, amount: int, by: Any, group: str = MemberGroup.ALL
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
def salaries_store(*, unit: Unit, month: dt.date, rows: list[SalaryRow], by: Any) -> int:
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


def _roll_source(*, unit: Unit, terms: Terms) -> QuerySet[MembershipPeriod, tuple[Any, ...]]:
    """The dues lines to add, as one query: every member held in `unit`'s subtree at the end of
    the month (suspended members hold no membership period, so they owe nothing) who has no
    line for the month yet, with the salary of the month and the dues from the rules."""
    month = terms.month
    salaries = SalaryBase.objects.filter(member_id=OuterRef("member_id"), month=month)
    salary = Subquery(salaries.values("amount")[:1], output_field=BigIntegerField())
    group = Subquery(salaries.values("group")[:1])
    others = [g for g in terms.rates if g]
    rate_units = Case(
        *[When(group_=g, then=Value(money.rate_units(terms.rate(g)))) for g in others],
        default=Value(money.rate_units(terms.rate())),
        output_field=BigIntegerField(),
    )
    rate = Case(
        *[When(group_=g, then=Value(terms.rate(g))) for g in others],
        default=Value(terms.rate()),
        output_field=DecimalField(max_digits=9, decimal_places=6),
    )
    # money.share in SQL with the group's rate: integers only, rounded half up.
    scale = 10**money.RATE_PLACES
    dues = (F("salary_") * rate_units + Value(scale // 2)) / Value(scale)
    return (
        MembershipPeriod.objects.filter(held_on(month_end(month)))
        .filter(scope.subtree_q(unit.path, via="unit"))
        .exclude(Exists(DuesLine.objects.filter(member_id=OuterRef("member_id"), month=month)))
        .annotate(
            group_=Coalesce(group, Value("")),
            member_id_=F("member_id"),
            unit_id_=F("unit_id"),
            month_=Value(month, output_field=DateField()),
            salary_=salary,
            rate_=rate,
            cap_=Value(terms.cap, output_field=BigIntegerField()),
            # No salary, no dues: the NULL made 0 before LEAST, which skips NULLs on PostgreSQL.
            amount_=Least(
                Coalesce(dues, Value(0), output_field=BigIntegerField()), Value(terms.cap)
            ),
        )
        .values_list(*[f"{c}_" for c in _LINE_COLUMNS])
    )


@transaction.atomic
def dues_compute(*, unit: Unit, month: dt.date, by: Any) -> int:
    """(Re)compute the dues roll of `unit`'s subtree for `month`: lines not yet paid are
    replaced from the registry and the salaries; paid lines stay as they were. Returns the
    number of lines added."""
    require_books(by, unit)
    month = _month(month)
    terms = terms_for(month)
    subtree = scope.subtree_q(unit.path, via="unit")
    DuesLine.objects.filter(subtree, month=month, paid_on=None).delete()
    sql, params = _roll_source(unit=unit, terms=terms).query.sql_with_params()
    table = DuesLine._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(DuesLine._meta.get_field(c).column) for c in _LINE_COLUMNS)  # type: ignore[union-attr,arg-type]  # concrete fields, each with its column
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(table)} ({columns}) {sql}", params)
        added: int = cursor.rowcount
    log(by, Action.DUES_COMPUTED, unit, {"month": month, "lines": added})
    return added


@transaction.atomic
def dues_mark_paid(
    *, unit: Unit, month: dt.date, member_ids: Iterable[int], paid_on: dt.date, by: Any
) -> int:
    """Mark the selected members' dues of `month` in `unit`'s subtree paid on `paid_on`.
    An explicit selection only: there is no "mark everything"."""
    require_books(by, unit)
    ids = sorted(set(member_ids))
    if not ids:
        raise DomainError("nothing_selected", _("Select the members who paid."))
    if paid_on > timezone.localdate():
        raise DomainError("paid_in_future", _("A payment cannot be dated in the future."))
    lines = DuesLine.objects.filter(
        scope.subtree_q(unit.path, via="unit"),
        month=_month(month),
        member__id__one_of=ids,
        paid_on=None,
    )
    marked = list(lines.values_list("member_id", flat=True))
    lines.update(paid_on=paid_on)
    # One audit row for the whole selection, naming every member: a row per line made marking
    # a province's month paid spend most of its time writing the audit trail.
    log(by, Action.DUES_PAID, unit, {"month": month, "paid_on": paid_on, "members": marked})
    return len(marked)


# The ledger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    account: str
    amount: int  # debit positive, credit negative
    counterpart: Unit | None = None
    member: Member | None = None


def _post(entries: list[JournalEntry], by: Any) -> None:
    """Flip drafts whose postings are written to posted (the database checks the balance)."""
    JournalEntry.objects.filter(pk__one_of=[e.pk for e in entries]).update(
        status=EntryStatus.POSTED, posted_by=by, posted_at=timezone.now()
    )
    for entry in entries:
        entry.status = EntryStatus.POSTED


def _entry(
    *,
    unit: Unit,
    date: dt.date,
    kind: str,
    description: str,
    lines: list[Line],
    by: Any,
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
    _post([entry], by)
    log(by, Action.ENTRY_POSTED, entry, {"kind": kind})
    return entry


@transaction.atomic
def entry_record(
    *, unit: Unit, date: dt.date, description: str, lines: list[Line], by: Any
) -> JournalEntry:
    """Post an entry in `unit`'s books (spending, other revenue…); it balances or is refused."""
    require_books(by, unit)
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
    by: Any,
    via: str = Account.CASH,
    member: Member | None = None,
) -> JournalEntry:
    """A payment (expense) or receipt (other revenue) in cash or by bank; support to a member
    names the member, who must belong to the unit, and shows on the member's page."""
    require_books(by, unit)
    if account not in CASH_COUNTER_ACCOUNTS or via not in (Account.CASH, Account.BANK):
        raise DomainError("account_not_allowed", _("This account cannot be used here."))
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
def entry_reverse(*, entry: JournalEntry, date: dt.date, by: Any) -> JournalEntry:
    """Correct a posted entry: a new entry with every posting negated. The entry itself never
    changes, and it is reversed once at most."""
    require_books(by, entry.unit)
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
def dues_post(*, unit: Unit, month: dt.date, on: dt.date, by: Any) -> list[DuesBatch]:
    """Post the paid, not yet posted dues of `month` of every unit in `unit`'s subtree: per unit,
    the cash received, the share kept as revenue and the upper level's share as payable; and in
    the upper level's books the same share as receivable. Bulk queries, whatever the number of
    units."""
    require_books(by, unit)
    month = _month(month)
    terms = terms_for(month)
    pending = DuesLine.objects.filter(
        scope.subtree_q(unit.path, via="unit"), month=month, batch=None
    ).exclude(paid_on=None)
    totals = [
        (unit_id, total)
        for unit_id, total in pending.values("unit_id")
        .annotate(total=Sum("amount"))
        .order_by("unit_id")
        .values_list("unit_id", "total")
        if total
    ]
    if not totals:
        raise DomainError(
            "nothing_to_post",
            _("No paid dues of %(month)s wait to be posted.") % {"month": _label(month)},
        )
    units = Unit.objects.in_bulk([u for u, _t in totals])
    upper_of = upper_levels(month)
    label = _label(month)
    entries, upper_entries = [], []
    for unit_id, _total in totals:
        child = units[unit_id]
        upper_id = upper_of(child)
        entries.append(
            JournalEntry(
                unit=child,
                date=on,
                kind=EntryKind.DUES,
                description=_("Dues of %(month)s") % {"month": label},
            )
        )
        if upper_id:
            upper_entries.append(
                JournalEntry(
                    unit_id=upper_id,
                    date=on,
                    kind=EntryKind.DUES_SHARE,
                    description=_("Dues share of %(month)s from %(unit)s")
                    % {"month": label, "unit": child.name},
                )
            )
    JournalEntry.objects.bulk_create(entries + upper_entries)
    upper_by_child = iter(upper_entries)
    postings, batches = [], []
    for (unit_id, total), entry in zip(totals, entries, strict=True):
        child = units[unit_id]
        upper_id = upper_of(child)
        upper = terms.upper_share(total) if upper_id else 0
        upper_entry = next(upper_by_child) if upper_id else None
        postings += [
            Posting(entry=entry, account=Account.CASH, amount=total),
            Posting(entry=entry, account=Account.DUES_REVENUE, amount=-(total - upper)),
        ]
        if upper:
            postings += [
                Posting(
                    entry=entry,
                    account=Account.PAYABLE_UPPER,
                    amount=-upper,
                    counterpart_id=upper_id,
                ),
                Posting(
                    entry=upper_entry,
                    account=Account.RECEIVABLE_LOWER,
                    amount=upper,
                    counterpart=child,
                ),
                Posting(entry=upper_entry, account=Account.DUES_SHARE_REVENUE, amount=-upper),
            ]
        elif upper_entry is not None:  # nothing to share (a kept share of 100 %): no entry
            upper_entry.delete()
            upper_entry = None
        batches.append(
            DuesBatch(
                unit=child,
                month=month,
                total=total,
                kept=total - upper,
                upper_share=upper,
                upper_unit_id=upper_id,
                entry=entry,
                upper_entry=upper_entry,
            )
        )
    # A zero posting is not a posting: a unit keeping everything writes no revenue line of 0.
    Posting.objects.bulk_create([p for p in postings if p.amount])
    _post(entries + [e for e in upper_entries if e.pk], by)
    DuesBatch.objects.bulk_create(batches)
    # Each line goes to its unit's newest batch of the month: the one just written.
    newest = DuesBatch.objects.filter(unit_id=OuterRef("unit_id"), month=month).order_by("-pk")
    pending.update(batch_id=Subquery(newest.values("pk")[:1]))
    log_many(by, Action.DUES_POSTED, batches, {"month": month})
    return batches


# Remittances -----------------------------------------------------------------------------


@transaction.atomic
def remittance_record(
    *,
    unit: Unit,
    month: dt.date,
    amount: int,
    date: dt.date,
    by: Any,
    account: str = Account.BANK,
) -> Remittance:
    """`unit` sends `amount` of its dues share of `month` to its upper level: recorded once and
    written in both books (sender: payable settled; upper level: receivable settled)."""
    require_books(by, unit)
    month = _month(month)
    if account not in (Account.CASH, Account.BANK):
        raise DomainError("remittance_account", _("A remittance is paid in cash or by bank."))
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
    by: Any,
    status: str = FeeStatus.DUE,
    rate: Decimal | None = None,
    note: str = "",
) -> EmployerFee:
    """Record (or correct, while nothing is paid) the union fee an employer owes `unit` for
    `month`: the rule's rate of `payroll`, or a reduced `rate`, or waived, or suspended."""
    require_books(by, unit)
    month = _month(month)
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
def fee_pay(*, fee: EmployerFee, amount: int, paid_on: dt.date, by: Any) -> EmployerFee:
    """A payment of the employer's fee; a suspended month paid is a back-payment."""
    fee = EmployerFee.objects.select_for_update().select_related("unit").get(pk=fee.pk)
    require_books(by, fee.unit)
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
    log(by, Action.FEE_PAID, fee, {"amount": amount, "paid_on": paid_on, "total": fee.paid})
    return fee
