"""Demo data: the province's reporting round for the last half-year that is over, its deadline
passed, with a few units' reports in and the rest late (the round page and the officers'
to-do lists have something to show)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from unionhub.core.types import User
from unionhub.reports import services
from unionhub.reports.selectors import round_children

SUBMITTED = 12


def _last_half_year(today: dt.date) -> tuple[dt.date, dt.date]:
    if today.month > 6:
        return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)
    return dt.date(today.year - 1, 7, 1), dt.date(today.year - 1, 12, 31)


def populate(*, province: Any, rng: random.Random, by: User, log: Callable[[str], None]) -> None:
    first, last = _last_half_year(timezone.localdate())
    report_round = services.round_open(
        unit=province.province,
        first=first,
        last=last,
        deadline=last + dt.timedelta(days=15),
        note="Báo cáo biến động đoàn viên 6 tháng",
        by=by,
    )
    children = round_children(report_round)
    units = {u.pk: u for u in province.province.children.filter(pk__in=children)}
    chosen = rng.sample(sorted(units), min(SUBMITTED, len(units)))
    for pk in chosen:
        services.report_submit(report_round=report_round, unit=units[pk], by=by)
    log(
        f"  reporting round {first:%d/%m/%Y}–{last:%d/%m/%Y}: {len(chosen)} of "
        f"{len(children)} units reported, the rest are late"
    )
