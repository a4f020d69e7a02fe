"""Helpers every test directory shares: users, members admitted through the real service, a
transfer carried through, a JPEG upload. Plain functions, so conftests never import each other."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

_serial = itertools.count(1)


def make_user(username: str, **extra: Any) -> Any:
    """A user whose password is "pw-" + username."""
    return get_user_model().objects.create_user(
        username=username, password="pw-" + username, **extra
    )


def cccd(serial: int, *, female: bool = False, year: int = 1990) -> str:
    """A plausible Hà Tĩnh CCCD: province 042, gender/century digit, birth year, serial."""
    return f"042{1 if female else 0}{year % 100:02d}{serial:06d}"


def admit(
    unit: Any, by: Any, joined: dt.date = dt.date(2020, 3, 1), *, female: bool = False, **profile
) -> Any:
    """A member admitted through the real service; a numbered name unless one is given."""
    from unionhub.members import services

    number = next(_serial)
    profile.setdefault("full_name", f"Nguyễn Văn Thành {number}")
    profile.setdefault("gender", "female" if female else "male")
    return services.member_admit(unit=unit, by=by, joined=joined, **profile)


def record(
    unit: Any, by: Any, joined: dt.date, books_open: dt.date, *, female: bool = False, **profile
) -> Any:
    """An existing member (in the union since `joined`) recorded through the real service."""
    from unionhub.members import services

    number = next(_serial)
    profile.setdefault("full_name", f"Trần Thị Hoa {number}")
    profile.setdefault("gender", "female" if female else "male")
    return services.member_record(unit=unit, by=by, joined=joined, books_open=books_open, **profile)


def transfer(member: Any, to_unit: Any, effective: dt.date, by: Any) -> Any:
    """A transfer requested and accepted: the member is in `to_unit` from `effective`."""
    from unionhub.members import services

    request = services.transfer_request(member=member, to_unit=to_unit, effective=effective, by=by)
    return services.transfer_accept(transfer=request, by=by)


def jpeg(colour=(180, 120, 90), size=(600, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def tampered(token: str) -> str:
    """`token` with one character of its signature changed: always a different token (cutting
    and appending fixed characters gives the same token back when it already ends in them)."""
    at = len(token) - 10
    return token[:at] + ("B" if token[at] != "B" else "C") + token[at + 1 :]
