"""Demo data: the LED screen in front of the hall, with a playlist that shows every kind of
slide, and its kiosk link kept in var/ so that `make run` can print it on every start (only
the link's hash is in the database)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from unionhub.congress.models import Congress
from unionhub.core import scope
from unionhub.core.types import User
from unionhub.display import services

# Read by the Makefile's `run` target: the kiosk path, appended to the address it serves on.
KIOSK_PATH_FILE = "demo-kiosk-path.txt"


def sitting_today(unit: Any) -> Congress | None:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (
        Congress.objects.filter(
            scope.subtree_q(unit.path, via="unit"),
            sessions__starts_at__gte=start,
            sessions__starts_at__lt=start + dt.timedelta(days=1),
        )
        .order_by("-pk")
        .first()
    )


def populate(*, province: Any, rng: random.Random, by: User, log: Callable[[str], None]) -> None:
    unit = province.province
    screen, token = services.screen_create(unit=unit, name="Màn hình LED trước hội trường", by=by)
    services.slide_add(screen=screen, kind="membership", unit=unit, duration=12, by=by)
    services.slide_add(
        screen=screen, kind="breakdown", unit=unit, breakdown="units", duration=12, by=by
    )
    if congress := sitting_today(unit):
        services.slide_add(screen=screen, kind="attendance", congress=congress, duration=12, by=by)
        services.slide_add(screen=screen, kind="programme", congress=congress, duration=10, by=by)
    services.slide_add(
        screen=screen,
        kind="text",
        title="Tháng Công nhân năm 2026",
        body="Đoàn viên công đoàn chung tay xây dựng quan hệ lao động hài hòa, ổn định, tiến bộ.",
        duration=10,
        by=by,
    )
    services.slide_add(
        screen=screen,
        kind="qr",
        title="Tra cứu thẻ đoàn viên",
        url=f"{settings.SITE_URL}/",
        body="Quét mã để mở UnionHub.",
        duration=10,
        by=by,
    )
    path = reverse("display_kiosk", kwargs={"token": token})
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    (settings.VAR_DIR / KIOSK_PATH_FILE).write_text(path + "\n", encoding="utf-8")
    log(f"  LED screen: {settings.SITE_URL}{path}")
