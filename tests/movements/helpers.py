"""Builders for movement tests: a running campaign of a unit, with its jury."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from unionhub.movements import services

TODAY = dt.date(2026, 12, 5)


def campaign(unit: Any, by: Any, *, rule: str = "mean", participants: str = "units", **extra):
    return services.campaign_create(
        unit=unit,
        title=extra.pop("title", "Phong trào Lao động sáng tạo"),
        starts=TODAY - dt.timedelta(days=30),
        ends=TODAY + dt.timedelta(days=30),
        participants=participants,
        rule=rule,
        criteria=extra.pop(
            "criteria", [("Tính sáng tạo", 40, Decimal(1)), ("Hiệu quả", 60, Decimal(2))]
        ),
        by=by,
        **extra,
    )


def entry(campaign: Any, unit: Any, by: Any, *, title: str = "Sáng kiến tiết kiệm điện"):
    registration = services.register(campaign=campaign, unit=unit, today=TODAY, by=by)
    return services.entry_submit(
        registration=registration, title=title, text="Mô tả sáng kiến", benefit=Decimal(5_000_000),
        today=TODAY, by=by,
    )  # fmt: skip
