"""Demo finance: two years of dues for the demo province, agreeing with its registry.

For each of the last 24 whole months: every member's salary (stable per member, with a raise
each January), the roll computed from the registry through the services, most members paid,
the month posted, and a sample of unions remitting their upper level's share (some in part,
so the upper levels' overview shows differences). A few unions record support to a member and
spend on activities and administration.

Spending-ratio rules: no migration seeds them (their official figures could not be confirmed
against the confederation's decision), so the demo adds example rows whose legal basis says
plainly that they are example values, unless an administrator has entered rules of these kinds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.finance import services
from unionhub.finance.models import (
    Account,
    DuesLine,
    EmployerFee,
    FeeStatus,
    Rule,
    RuleKind,
    SalaryBase,
)
from unionhub.finance.rules import SPENDING_BOUNDS, month_end
from unionhub.members.models import Member
from unionhub.orgs.models import Level, Unit

MONTHS = 24
EMPLOYER_FEE_UNIONS = 10
REMITTING_UNIONS_PER_MONTH = 12
EXAMPLE_BASIS = "Giá trị ví dụ của bản demo, không phải quy định của Tổng Liên đoàn"
EXAMPLE_RATIOS = {
    RuleKind.SUPPORT_MIN: Decimal("0.30"),
    RuleKind.ACTIVITY_MAX: Decimal("0.50"),
    RuleKind.ADMIN_MAX: Decimal("0.10"),
}


def _months(today: dt.date) -> list[dt.date]:
    month = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return sorted(months)


def populate(*, province: Any, rng: random.Random, by: User, log=print) -> None:
    top = province.province
    months = _months(timezone.localdate())
    members = list(
        Member.objects.filter(scope.subtree_q(top.path, via="unit")).values_list("pk", flat=True)
    )
    if not members:
        log("  finance: no members, no dues")
        return
    base = {pk: rng.randrange(4_000, 22_000) * 1_000 for pk in members}
    SalaryBase.objects.bulk_create(
        (
            SalaryBase(
                member_id=pk, month=month, amount=base[pk] * (100 + 5 * (month.year - 2024)) // 100
            )
            for month in months
            for pk in members
        ),
        batch_size=5_000,
    )
    remitted = 0
    for month in months:
        services.dues_compute(unit=top, month=month, by=by)
        owing = list(DuesLine.objects.filter(month=month).values_list("member_id", flat=True))
        payers = [pk for pk in owing if rng.random() < 0.93]
        if not payers:
            continue
        paid_on = month_end(month)
        services.dues_mark_paid(unit=top, month=month, member_ids=payers, paid_on=paid_on, by=by)
        try:
            batches = services.dues_post(unit=top, month=month, on=paid_on, by=by)
        except DomainError:  # every payer owed nothing
            continue
        sharing = [b for b in batches if b.upper_share]
        for batch in rng.sample(sharing, min(REMITTING_UNIONS_PER_MONTH, len(sharing))):
            share = batch.upper_share if rng.random() < 0.8 else batch.upper_share // 2
            if share:
                # A few days after the month's end, but never after today: the books refuse a
                # day that has not come.
                sent = min(paid_on + dt.timedelta(days=rng.randrange(3, 20)), timezone.localdate())
                services.remittance_record(
                    unit=batch.unit, month=month, amount=share, date=sent, by=by
                )
                remitted += 1
    supported = rng.sample(members, min(5, len(members)))
    for member in Member.objects.filter(pk__in=supported).select_related("unit"):
        services.cash_record(
            unit=member.unit, date=months[-1] + dt.timedelta(days=rng.randrange(0, 25)),
            account=Account.SUPPORT_EXPENSE, amount=rng.choice([500_000, 1_000_000, 2_000_000]),
            description="Thăm hỏi đoàn viên ốm đau", member=member, by=by,
        )  # fmt: skip
    spending = rng.sample(members, min(5, len(members)))
    for member in Member.objects.filter(pk__in=spending).select_related("unit"):
        day = months[-1] + dt.timedelta(days=rng.randrange(0, 25))
        for account, amount, description in (
            (Account.ACTIVITY_EXPENSE, rng.randrange(1, 6) * 500_000, "Hội thao công nhân"),
            (Account.ADMIN_EXPENSE, rng.randrange(1, 4) * 200_000, "Văn phòng phẩm"),
        ):
            services.cash_record(
                unit=member.unit, date=day, account=account, amount=amount,
                description=description, by=by,
            )  # fmt: skip
    _example_ratios(months[0])
    fees = _employer_fees(top, months, rng, by)
    log(f"  finance: dues of {len(months)} months, {remitted} remittances, {fees} union fees")


def _employer_fees(top: Any, months: list[dt.date], rng: random.Random, by: User) -> int:
    """A sample of unions' employers and their union fee, month by month: most paid, a few
    paid late or at a reduced rate, one suspended for half a year then paid back."""
    unions = list(
        Unit.objects.filter(
            scope.subtree_q(top.path), level=Level.GRASSROOTS, dissolved=None
        ).order_by("code")[:EMPLOYER_FEE_UNIONS]
    )
    recorded = 0
    for number, union in enumerate(unions):
        payroll = rng.randrange(200, 5_000) * 1_000_000
        for index, month in enumerate(months):
            status, rate = FeeStatus.DUE, None
            if number == 0 and 6 <= index < 12:
                status = FeeStatus.SUSPENDED
            elif number == 1:
                status, rate = FeeStatus.REDUCED, Decimal("0.01")
            fee = services.fee_record(
                unit=union, month=month, payroll=payroll, status=status, rate=rate, by=by
            )
            recorded += 1
            late = status == FeeStatus.SUSPENDED or index == len(months) - 1
            if not late and rng.random() < 0.9:
                fee = services.fee_pay(fee=fee, amount=fee.due, paid_on=month_end(month), by=by)
                if fee.due:  # the collector the month's rule names passes the share down a week on
                    services.fee_post(fee=fee, on=month_end(month) + dt.timedelta(days=7), by=by)
        if number == 0:  # the suspension over, the months are paid back
            for fee in EmployerFee.objects.filter(unit=union, status=FeeStatus.SUSPENDED):
                services.fee_pay(fee=fee, amount=fee.due, paid_on=months[-1], by=by)
    return recorded


def _example_ratios(start: dt.date) -> None:
    """Example spending-ratio rules from the demo's first month, when none of these kinds
    exists: the basis names them as the demo's example values, not a decision."""
    if Rule.objects.filter(kind__in=[bound.kind for bound in SPENDING_BOUNDS]).exists():
        return
    Rule.objects.bulk_create(
        Rule(kind=kind, effective_from=start, rate=rate, basis=EXAMPLE_BASIS)
        for kind, rate in EXAMPLE_RATIOS.items()
    )
