"""Benchmark: a year of monthly dues (2025, across the 1 July rate change) for the province's
70,000 members computed from the registry, every member marked paid and the dues posted to the
ledger (the unions' receipts, the upper levels' shares); 1,000,000 members on PostgreSQL; and a
naïve per-member ORM loop as the baseline, measured in the same run.

    python bench/finance.py [--quick] [--no-pg]

The province is the reports benchmark's (1,500 unions, the 2025 reorganisation), loaded the same
way; salaries are written by one INSERT … SELECT before timing. The timed year is, per month:
`dues_compute`, `dues_mark_paid` of the whole roll (its filter, one UPDATE), and `dues_post`, all
through the services (scope check, audit rows included). The baseline runs the obvious
per-member code (find the member's membership period, the salary and the rules, save a line,
mark it paid, then post per union with per-row saves) on a sample of members for one month, and
is extrapolated to the whole year and province: `naive_sample` says how many members it ran.
The trial balance of the province over everything posted must be zero.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import reports as province_data  # the reports benchmark's province, generated and bulk-loaded

YEAR = 2025
MONTHS = [dt.date(YEAR, m, 1) for m in range(1, 13)]
NAIVE_MONTH = dt.date(2024, 6, 1)


def _salaries(months: list[dt.date]) -> None:
    """Every member's salary of each month, set-based (not timed): 3.5 to 23 million VND."""
    from django.db import connection

    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        for month in months:
            cursor.execute(
                'INSERT INTO finance_salarybase (member_id, month, amount, "group", entered_at)'
                " SELECT id, %s, 3500000 + ((id * 7919 + %s) %% 40) * 490000, '', %s"
                " FROM members_member",
                [month, month.month, now],
            )


def _year(province, admin) -> dict:
    from unionhub.finance import services
    from unionhub.finance.rules import month_end
    from unionhub.finance.selectors import RollFilters

    lines, phases = 0, {"compute_s": 0.0, "mark_paid_s": 0.0, "post_s": 0.0}
    for month in MONTHS:
        started = time.perf_counter()
        lines += services.dues_compute(unit=province, month=month, by=admin)
        phases["compute_s"] += time.perf_counter() - started
        started = time.perf_counter()
        services.dues_mark_paid(
            unit=province, month=month, filters=RollFilters(), paid_on=month_end(month), by=admin
        )
        phases["mark_paid_s"] += time.perf_counter() - started
        started = time.perf_counter()
        services.dues_post(unit=province, month=month, on=month_end(month), by=admin)
        phases["post_s"] += time.perf_counter() - started
    return {"lines": lines, **{k: round(v, 2) for k, v in phases.items()}}


def naive(province, sample: int) -> float:
    """The per-member ORM loop for NAIVE_MONTH over `sample` members: seconds per member."""
    from django.db import transaction

    from unionhub.finance import money
    from unionhub.finance.models import (
        Account,
        DuesLine,
        EntryKind,
        EntryStatus,
        JournalEntry,
        Posting,
        SalaryBase,
    )
    from unionhub.finance.rules import month_end, terms_for
    from unionhub.members.models import Member, MembershipPeriod

    end = month_end(NAIVE_MONTH)
    members = list(Member.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    started = time.perf_counter()
    with transaction.atomic():
        by_unit: dict[int, list[DuesLine]] = {}
        for pk in members:
            member = Member.objects.get(pk=pk)
            period = (
                MembershipPeriod.objects.filter(member=member, start__lte=end)
                .exclude(end__lte=end)
                .first()
            )
            if period is None:
                continue
            salary = SalaryBase.objects.filter(member=member, month=NAIVE_MONTH).first()
            terms = terms_for(NAIVE_MONTH)
            amount = terms.dues(salary.amount if salary else None)
            line = DuesLine.objects.create(
                member=member, unit_id=period.unit_id, month=NAIVE_MONTH,
                salary=salary.amount if salary else None, rate=terms.rate(), cap=terms.cap,
                amount=amount,
            )  # fmt: skip
            line.paid_on = end
            line.save()
            by_unit.setdefault(period.unit_id, []).append(line)
        for unit_id, unit_lines in by_unit.items():
            total = sum(line.amount for line in unit_lines)
            if not total:
                continue
            upper = total - money.share(total, terms_for(NAIVE_MONTH).dues_kept)
            entry = JournalEntry.objects.create(
                unit_id=unit_id, date=end, kind=EntryKind.DUES, description="naive"
            )
            Posting.objects.create(entry=entry, account=Account.CASH, amount=total)
            Posting.objects.create(entry=entry, account=Account.DUES_REVENUE, amount=upper - total)
            if upper:
                Posting.objects.create(entry=entry, account=Account.PAYABLE_UPPER, amount=-upper)
            entry.status = EntryStatus.POSTED
            entry.save()
        transaction.set_rollback(True)
    return (time.perf_counter() - started) / len(members)


def child(quick: bool, kind: str) -> None:
    common.django_setup()
    from django.contrib.auth import get_user_model

    from unionhub.finance import selectors
    from unionhub.finance.models import Account, JournalEntry
    from unionhub.members.models import Member
    from unionhub.orgs.models import Unit

    count = {("sqlite", True): 4_000, ("sqlite", False): 70_000}.get(
        (kind, quick), 15_000 if quick else 1_000_000
    )
    started = time.perf_counter()
    province_data.load(province_data.Data(count))
    _salaries([NAIVE_MONTH, *MONTHS])
    loaded = time.perf_counter() - started
    admin = get_user_model().objects.create_superuser("bench", password="x")
    province = Unit.objects.get(code="HT")
    started, started_cpu = time.perf_counter(), time.process_time()
    year = _year(province, admin)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    balance = selectors.trial_balance(user=admin, unit=province)
    result = {
        "members": Member.objects.count(),
        "dues_lines": year["lines"],
        "entries": JournalEntry.objects.count(),
        "load_s": round(loaded, 1),
        "year_s": round(wall, 2),
        "year_cpu_s": round(cpu, 2),
        "phases": {k: v for k, v in year.items() if k.endswith("_s")},
        "trial_balance_zero": sum(balance.values()) == 0
        and balance.get(Account.RECEIVABLE_LOWER, 0) == -balance.get(Account.PAYABLE_UPPER, 0),
        "collected": balance.get(Account.CASH, 0),
    }
    if kind == "sqlite":
        sample = 300 if quick else 2_000
        per_member = naive(province, sample)
        result["naive_sample"] = sample
        result["naive_s_per_member_month"] = round(per_member, 6)
        result["naive_year_s_extrapolated"] = round(per_member * year["lines"], 1)
    common.child_result(result)


def main() -> None:
    if "--child" in sys.argv:
        child("--quick" in sys.argv, sys.argv[sys.argv.index("--child") + 1])
        return
    args = common.arguments(__doc__.splitlines()[0])
    extra = ["--quick"] if args.quick else []
    with common.database("sqlite") as url:
        sqlite = common.run_in_child(Path(__file__), url, "sqlite", *extra)
    print(f"SQLite: {sqlite}", file=sys.stderr)
    pg = None
    if not args.no_pg and common.pg_available():
        with common.database("pg", "unionhub_bench_finance") as url:
            pg = common.run_in_child(Path(__file__), url, "pg", *extra)
        print(f"PostgreSQL: {pg}", file=sys.stderr)
    common.result(
        {
            "year_dues_70k_s": sqlite["year_s"],
            "year_dues_1m_s_pg": pg["year_s"] if pg else None,
            "pg_members": pg["members"] if pg else None,
            "speedup_vs_naive": round(sqlite["naive_year_s_extrapolated"] / sqlite["year_s"], 1),
            "naive_year_s_extrapolated": sqlite["naive_year_s_extrapolated"],
            "naive_sample": sqlite["naive_sample"],
            "dues_lines_sqlite": sqlite["dues_lines"],
            "sqlite_members": sqlite["members"],
            "trial_balance_zero": sqlite["trial_balance_zero"]
            and (pg["trial_balance_zero"] if pg else True),
            "quick": args.quick,
        }
    )


if __name__ == "__main__":
    main()
