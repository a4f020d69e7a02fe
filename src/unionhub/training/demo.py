"""Demo training: the province's course on the membership software with a past session (its
participants attended and hold certificates) and a coming one with a quota per union and a
waiting list; a district's course on publishing news."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from unionhub.core.types import User
from unionhub.members.models import Member, MemberState
from unionhub.orgs.models import Level, Unit
from unionhub.training import services


def _people(top: Unit, rng: random.Random, count: int) -> list[Member]:
    unions = list(
        Unit.objects.filter(
            path__startswith=top.path, level=Level.GRASSROOTS, dissolved__isnull=True
        ).order_by("sort_key")[:6]
    )
    people: list[Member] = []
    for union in unions:
        members = list(
            Member.objects.filter(unit=union, state=MemberState.ACTIVE).order_by("pk")[:20]
        )
        people += rng.sample(members, min(len(members), count // max(len(unions), 1) + 1))
    return people[:count]


def populate(*, province: Any, rng: random.Random, by: User, log=print) -> None:
    top: Unit = province.province
    now = timezone.now()
    course = services.course_create(
        unit=top,
        title="Cập nhật phần mềm quản lý đoàn viên",
        topic="Phần mềm quản lý đoàn viên",
        audience="Cán bộ công đoàn cơ sở phụ trách đoàn viên",
        description="Nhập danh sách, cấp thẻ, báo cáo biến động đoàn viên trên hệ thống.",
        by=by,
    )
    past = services.session_add(
        course=course, starts=now - dt.timedelta(days=30), capacity=30, unit_quota=5,
        place="Hội trường Liên đoàn Lao động tỉnh", trainer="Ban Tổ chức LĐLĐ tỉnh", by=by,
    )  # fmt: skip
    coming = services.session_add(
        course=course, starts=now + dt.timedelta(days=14), capacity=8, unit_quota=2,
        place="Phòng họp tầng 3, LĐLĐ tỉnh", trainer="Ban Tổ chức LĐLĐ tỉnh", by=by,
    )  # fmt: skip
    people = _people(top, rng, 24)
    rng.shuffle(people)
    attended = 0
    for person in people[:12]:
        enrolment = services.enrol(session=past, member=person, by=by)
        if enrolment.state == "confirmed" and rng.random() < 0.85:
            services.attendance_set(enrolment=enrolment, present=True, by=by)
            attended += 1
    for person in people[12:]:
        services.enrol(session=coming, member=person, by=by)
    district = Unit.objects.filter(parent=top, dissolved__isnull=True).order_by("sort_key").first()
    if district is not None:
        news_course = services.course_create(
            unit=district, title="Viết tin, chụp ảnh bằng điện thoại thông minh",
            topic="Truyền thông", by=by,
        )  # fmt: skip
        services.session_add(
            course=news_course, starts=now + dt.timedelta(days=21), capacity=40,
            online_link="https://hop.congdoan.example/tap-huan", by=by,
        )  # fmt: skip
    log(f"  training: 2 courses, {attended} people trained, a coming session with a waiting list")
