"""Builders for training tests: a district's course with one session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from unionhub.training import services

STARTS = timezone.make_aware(dt.datetime(2027, 1, 15, 8, 0))


def session_of(unit: Any, by: Any, *, capacity: int, unit_quota: int | None = None) -> Any:
    course = services.course_create(
        unit=unit, title="Gửi nhận văn bản trên hệ thống", topic="Văn bản điện tử", by=by
    )
    return services.session_add(
        course=course,
        starts=STARTS,
        capacity=capacity,
        unit_quota=unit_quota,
        place="Hội trường LĐLĐ huyện",
        by=by,
    )


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
