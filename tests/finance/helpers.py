"""Builders for finance tests: salaries entered, dues computed, paid and posted through the
real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from unionhub.finance import services
from unionhub.orgs.models import Unit


def collect(
    unit: Unit, month: dt.date, salaries: dict[Any, int], by: Any, *, post: bool = True
) -> None:
    """Salaries of `month` entered, the roll computed, every listed member paid, and posted."""
    for member, amount in salaries.items():
        services.salary_set(member=member, month=month, amount=amount, by=by)
    services.dues_compute(unit=unit, month=month, by=by)
    services.dues_mark_paid(
        unit=unit, month=month, member_ids=[m.pk for m in salaries], paid_on=month, by=by
    )
    if post:
        services.dues_post(unit=unit, month=month, on=month, by=by)
