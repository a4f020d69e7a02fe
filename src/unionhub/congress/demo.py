"""Demo data: the 19th provincial union congress of 25–26 September 2023 (DESIGN §1) — 250
elected delegates in one delegation per upper unit, ex officio delegates and invited guests,
about 300 cards, three sessions and the documents delegates read on their phones.

Called by `unionhub demo` after the province is built. Names are drawn here rather than from
the demo app's lists: congress sits below the demo app and must not import from it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from unionhub.congress import services
from unionhub.congress.models import Congress, StreamStatus
from unionhub.core.types import User
from unionhub.members.models import Member

ELECTED = 250
EX_OFFICIO = 30
INVITED = 20
_FAMILY = (
    ["Nguyễn"] * 31
    + ["Trần"] * 10
    + ["Lê"] * 9
    + ["Phan"] * 6
    + ["Võ"] * 5
    + [
        "Hoàng",
        "Phạm",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Dương",
        "Đinh",
        "Thái",
        "Đào",
    ]
)
_MIDDLE = {
    "male": ["Văn", "Đình", "Hữu", "Quang", "Xuân", "Minh"],
    "female": ["Thị", "Thị", "Thị", "Thu", "Thanh", "Hồng"],
}
_GIVEN = {
    "male": ["Hùng", "Minh", "Dũng", "Tuấn", "Hải", "Sơn", "Thắng", "Long", "Nam", "Bình"],
    "female": ["Hoa", "Lan", "Hương", "Hà", "Mai", "Thủy", "Nga", "Linh", "Hằng", "Dung"],
}
_DOCUMENTS = [
    ("public", "Chương trình Đại hội"),
    ("delegates", "Dự thảo Báo cáo chính trị Ban Chấp hành khóa XVIII"),
    ("delegates", "Báo cáo kiểm điểm của Ban Chấp hành"),
    ("delegates", "Dự thảo Nghị quyết Đại hội"),
    ("presidium", "Kịch bản điều hành Đại hội"),
]


def _name(rng: random.Random) -> str:
    gender = rng.choice(["male", "female"])
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE[gender])} {rng.choice(_GIVEN[gender])}"


def _pdf(title: str) -> ContentFile:
    """A one-page PDF with the title, so the demo's documents open on a phone."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from unionhub.core.pdf import FONT_BOLD, register_fonts

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawString(60, 760, title)
    canvas.save()
    return ContentFile(out.getvalue(), name="document.pdf")


def populate(
    *, province: Any, rng: random.Random, by: User, log: Callable[[str], None], **options: Any
) -> Congress:
    unit = province.province
    congress = services.congress_create(
        unit=unit,
        name="Đại hội Công đoàn tỉnh Hà Tĩnh lần thứ XIX",
        term="2023–2028",
        venue="Trung tâm Văn hóa – Hội nghị tỉnh",
        notices="Đại biểu có mặt tại hội trường trước 7 giờ 30 để điểm danh.",
        by=by,
    )
    day = dt.date(2023, 9, 25)

    def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute))
        )

    for kind, title, start, end in [
        ("preparatory", "Phiên trù bị", at(0, 14), at(0, 17)),
        ("official", "Phiên chính thức", at(1, 7, 30), at(1, 11, 30)),
        ("closing", "Phiên bế mạc", at(1, 14), at(1, 16)),
    ]:
        services.session_add(
            congress=congress,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=end,
            place="Hội trường lớn",
            by=by,
        )
    delegations = [u.name.replace("Liên đoàn Lao động", "Đoàn") for u in province.uppers.values()]
    delegations = delegations or ["Đoàn đại biểu tỉnh"]
    # Some elected delegates are members of the demo registry, when it was generated.
    members = list(
        Member.objects.filter(unit__path__startswith=unit.path, state="active")
        .select_related("unit")
        .order_by("id")[: ELECTED // 2]
    )
    for number in range(ELECTED):
        member = members[number] if number < len(members) else None
        services.delegate_add(
            congress=congress,
            category="elected",
            member=member,
            full_name="" if member else _name(rng),
            delegation=delegations[number % len(delegations)],
            seat=f"{chr(65 + number // 25)}{number % 25 + 1}",
            presidium=number < 15,
            by=by,
        )
    for _number in range(EX_OFFICIO):
        services.delegate_add(
            congress=congress,
            category="ex_officio",
            full_name=_name(rng),
            delegation="Đoàn cơ quan Liên đoàn Lao động tỉnh",
            position="Ủy viên Ban Chấp hành",
            by=by,
        )
    for _number in range(INVITED):
        services.delegate_add(
            congress=congress,
            category="invited",
            full_name=_name(rng),
            organisation=rng.choice(
                [
                    "Tỉnh ủy Hà Tĩnh",
                    "UBND tỉnh Hà Tĩnh",
                    "Sở Nội vụ",
                    "Tổng Liên đoàn Lao động Việt Nam",
                ]
            ),
            by=by,
        )
    for order, (visibility, title) in enumerate(_DOCUMENTS):
        services.document_upload(
            congress=congress,
            title=title,
            file=_pdf(title),
            visibility=visibility,
            order=order,
            by=by,
        )
    total = ELECTED + EX_OFFICIO + INVITED
    log(f"  congress: {total} delegates, 3 sessions, {len(_DOCUMENTS)} documents")
    sitting_today(province=province, rng=rng, by=by, log=log)
    return congress


TODAY_DELEGATES = 80
TODAY_PRESENT = 57


def sitting_today(*, province: Any, rng: random.Random, by: User, log: Callable[[str], None]):
    """A commune union's first congress sitting today, whenever the demo is built, with most
    delegates checked in to the session on now: the check-in station, the live attendance on
    the home page and on the LED screen all have something to show."""
    unit = province.communes_2025[0] if province.communes_2025 else province.province
    congress = services.congress_create(
        unit=unit,
        name=f"Đại hội {unit.name} lần thứ I",
        term="2025–2030",
        venue="Hội trường UBND xã",
        by=by,
    )
    today = timezone.localdate()

    def at(hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today, dt.time(hour, minute)))

    # The official session runs all day, so "now" falls in it whenever the demo is opened.
    sessions = [
        services.session_add(
            congress=congress,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=end,
            place="Hội trường UBND xã",
            by=by,
        )
        for kind, title, start, end in [
            ("preparatory", "Phiên trù bị", at(0, 0), at(0, 30)),
            ("official", "Phiên chính thức", at(0, 30), at(23, 0)),
            ("closing", "Phiên bế mạc", at(23, 0), at(23, 59)),
        ]
    ]
    members = list(
        Member.objects.filter(unit__path__startswith=unit.path, state="active").order_by("id")[
            :TODAY_DELEGATES
        ]
    )
    delegates = [
        services.delegate_add(
            congress=congress,
            category="elected",
            member=members[number] if number < len(members) else None,
            full_name="" if number < len(members) else _name(rng),
            delegation="Đoàn đại biểu xã",
            seat=f"{chr(65 + number // 20)}{number % 20 + 1}",
            by=by,
        )
        for number in range(TODAY_DELEGATES)
    ]
    for delegate in rng.sample(delegates, TODAY_PRESENT):
        services.checkin_manual(session=sessions[1], delegate=delegate, by=by)
    # Streamed on the union's page and the newspaper's platform: the first session's recording is
    # up, the one on now is live (the delegates' page, the public page and the LED wall show it).
    services.session_stream_set(
        session=sessions[0],
        stream_status=StreamStatus.RECORDING,
        stream_facebook="https://www.facebook.com/congdoan.demo/live",
        recording_url="https://www.youtube.com/@congdoan-demo/videos",
        by=by,
    )
    services.session_stream_set(
        session=sessions[1],
        stream_status=StreamStatus.LIVE,
        stream_facebook="https://www.facebook.com/congdoan.demo/live",
        stream_newspaper="https://baodientu.example.vn/truc-tuyen/dai-hoi",
        by=by,
    )
    for order, (visibility, title) in enumerate(_DOCUMENTS[:3]):
        services.document_upload(
            congress=congress,
            title=title,
            file=_pdf(title),
            visibility=visibility,
            order=order,
            by=by,
        )
    log(
        f"  congress sitting today: {congress.name}, "
        f"{TODAY_PRESENT} of {TODAY_DELEGATES} delegates checked in"
    )
