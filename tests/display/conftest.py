"""Members in the small tree, a province congress sitting now, and a screen of the province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import admit
from unionhub.congress import services as congress_services
from unionhub.congress.models import Congress, Delegate, Session
from unionhub.core import scope
from unionhub.display import services
from unionhub.display.models import Screen


@pytest.fixture(autouse=True)
def private_storage_and_cache(settings, tmp_path):
    """Figures are cached a minute: each test gets an empty cache of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    tree: Any
    organiser: Any
    congress: Congress
    session: Session
    later: Session
    delegates: list[Delegate]
    screen: Screen
    token: str


@pytest.fixture
def world(tree, officer_at) -> World:
    today = timezone.localdate()
    long_ago = today.replace(year=today.year - 3)
    admit(tree.grassroots_a1, tree.admin, long_ago, full_name="Nguyễn Văn An")
    admit(tree.grassroots_a1, tree.admin, long_ago, full_name="Trần Thị Bình", female=True)
    admit(tree.grassroots_a2, tree.admin, long_ago, full_name="Lê Thị Cúc", female=True)
    admit(tree.grassroots_b1, tree.admin, long_ago, full_name="Phạm Văn Dũng")
    organiser = officer_at(tree.province, scope.CONGRESS_ORGANISER)
    congress = congress_services.congress_create(
        unit=tree.province,
        name="Đại hội Công đoàn tỉnh lần thứ XIX",
        term="2023–2028",
        by=organiser,
    )
    now = timezone.now()
    session = congress_services.session_add(
        congress=congress,
        kind="official",
        title="Phiên chính thức",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        by=organiser,
    )
    later = congress_services.session_add(
        congress=congress,
        kind="closing",
        title="Phiên bế mạc",
        starts_at=now + dt.timedelta(hours=3),
        by=organiser,
    )
    delegates = [
        congress_services.delegate_add(
            congress=congress, category=category, full_name=name, by=organiser
        )
        for category, name in [
            ("elected", "Đại biểu Một"),
            ("elected", "Đại biểu Hai"),
            ("elected", "Đại biểu Ba"),
            ("ex_officio", "Đại biểu Bốn"),
            ("invited", "Khách Mời"),
        ]
    ]
    screen, token = services.screen_create(
        unit=tree.province, name="Màn hình LED cổng hội trường", by=organiser
    )
    return World(tree, organiser, congress, session, later, delegates, screen, token)
