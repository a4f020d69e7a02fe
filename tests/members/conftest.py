"""Member factories on top of the shared `tree`."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from unionhub.core import scope
from unionhub.members import services

_serial = itertools.count(1)


def cccd(serial: int, *, female: bool = False, year: int = 1990) -> str:
    """A plausible Hà Tĩnh CCCD: province 042, gender/century digit, birth year, serial."""
    return f"042{1 if female else 0}{year % 100:02d}{serial:06d}"


@pytest.fixture
def registrar_a(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.REGISTRAR)


@pytest.fixture
def registrar_b(tree, officer_at):
    return officer_at(tree.grassroots_b1, scope.REGISTRAR)


@pytest.fixture
def admit(tree):
    """admit(unit=…, **profile) → a member admitted by the superuser, with sensible defaults."""

    def make(unit=None, by=None, joined=dt.date(2020, 3, 1), **profile):
        serial = next(_serial)
        female = profile.get("gender", "male") == "female"
        defaults = {
            "full_name": "Nguyễn Văn Trọng",
            "gender": "male",
            "birth_date": dt.date(1990, 5, 17),
            "id_number": cccd(serial, female=female),
        }
        return services.member_admit(
            unit=unit or tree.grassroots_a1,
            by=by or tree.admin,
            joined=joined,
            **{**defaults, **profile},
        )

    return make
