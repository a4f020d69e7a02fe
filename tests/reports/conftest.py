from __future__ import annotations

import datetime as dt
import itertools

import pytest

from unionhub.members import services as members
from unionhub.members.models import Gender

_serial = itertools.count(1)


def admit(unit, by, joined: dt.date, *, female: bool = False, **profile):
    """A member admitted through the real service."""
    number = next(_serial)
    return members.member_admit(
        unit=unit,
        by=by,
        joined=joined,
        full_name=profile.pop("full_name", f"Nguyễn Văn Thành {number}"),
        gender=Gender.FEMALE if female else Gender.MALE,
        **profile,
    )


def record(unit, by, joined: dt.date, books_open: dt.date, *, female: bool = False, **profile):
    """An existing member (in the union since `joined`) recorded through the real service."""
    number = next(_serial)
    return members.member_record(
        unit=unit,
        by=by,
        joined=joined,
        books_open=books_open,
        full_name=profile.pop("full_name", f"Trần Thị Hoa {number}"),
        gender=Gender.FEMALE if female else Gender.MALE,
        **profile,
    )


def transfer(member, to_unit, effective: dt.date, by):
    request = members.transfer_request(member=member, to_unit=to_unit, effective=effective, by=by)
    return members.transfer_accept(transfer=request, by=by)


@pytest.fixture
def admit_member(tree):
    def make(unit, joined, **kwargs):
        return admit(unit, tree.admin, joined, **kwargs)

    return make
