"""Demo movements: the province's creative-labour campaign with entries from its unions scored
by two jurors, the awards decided in a numbered decision (the first announced at the ceremony),
support for members proposed by their unions and decided above them, a shelter house handed
over, and the year-end classification of the province's grassroots unions."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from unionhub.core.types import User
from unionhub.dispatch import services as dispatch
from unionhub.dispatch.models import DocumentType, TargetKind
from unionhub.members.models import Member, MemberState
from unionhub.movements import awards, care, classification, services
from unionhub.orgs.models import Level, RoleAssignment, Unit

ENTRIES = [
    ("Cải tiến băng chuyền đóng gói, giảm 20% thời gian", 120_000_000),
    ("Phần mềm quản lý hồ sơ học sinh bằng mã QR", 35_000_000),
    ("Quy trình tiếp đón người bệnh một cửa", None),
    ("Tận dụng nhiệt thừa lò hơi để sấy sản phẩm", 260_000_000),
]
SUPPORT = [
    ("sickness", "social_fund", 2_000_000, ""),
    ("accident", "sponsors", 5_000_000, ""),
    ("hardship", "social_fund", None, "10 kg gạo, 1 thùng mì"),
    ("bereavement", "social_fund", 1_000_000, ""),
    ("tet", "sponsors", 500_000, ""),
]
GRADES = [
    ("Vững mạnh xuất sắc", 90, 2),
    ("Vững mạnh", 75, None),
    ("Hoàn thành nhiệm vụ", 50, None),
    ("Không hoàn thành nhiệm vụ", 0, None),
]
CRITERIA = [
    ("Đại diện, bảo vệ quyền lợi đoàn viên", 30),
    ("Chăm lo đời sống đoàn viên", 25),
    ("Phát triển đoàn viên, xây dựng tổ chức", 25),
    ("Tài chính công đoàn", 20),
]


def _pdf() -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("quyet-dinh.pdf", out.getvalue(), content_type="application/pdf")


def _members(union: Unit, count: int) -> list[Member]:
    return list(Member.objects.filter(unit=union, state=MemberState.ACTIVE).order_by("pk")[:count])


def populate(*, province: Any, rng: random.Random, by: User, log=print) -> None:
    top: Unit = province.province
    today = timezone.localdate()
    unions = list(
        Unit.objects.filter(
            path__startswith=top.path, level=Level.GRASSROOTS, dissolved__isnull=True
        )
        .filter(members__state=MemberState.ACTIVE)
        .distinct()
        .order_by("sort_key")[:8]
    )
    if not unions:
        log("  movements: no grassroots union with members; skipped")
        return
    campaign = services.campaign_create(
        unit=top, title=f"Phong trào Lao động sáng tạo năm {today.year}",
        starts=today - dt.timedelta(days=60), ends=today + dt.timedelta(days=30),
        participants="units", rule="trimmed_mean",
        criteria=[("Tính mới, sáng tạo", 40, Decimal(1)), ("Hiệu quả kinh tế - xã hội", 60,
                                                          Decimal(1))],
        description="Khuyến khích sáng kiến, cải tiến kỹ thuật trong đoàn viên, người lao động.",
        by=by,
    )  # fmt: skip
    officers = list(
        RoleAssignment.objects.filter(unit=top).select_related("user").order_by("pk")[:2]
    )
    jurors = [a.user for a in officers] or [by]
    for juror in jurors:
        services.juror_appoint(campaign=campaign, user=juror, by=by)
    entries = []
    for union, (title, benefit) in zip(unions, ENTRIES, strict=False):
        registration = services.register(campaign=campaign, unit=union, today=today, by=by)
        entry = services.entry_submit(
            registration=registration, title=title, text=f"{title}: mô tả giải pháp.",
            benefit=Decimal(benefit) if benefit else None, today=today, by=by,
        )  # fmt: skip
        entries.append(entry)
    criteria = list(campaign.criteria.all())
    for juror in jurors:
        for entry in entries:
            points = {c.pk: Decimal(rng.randint(c.max_points // 2, c.max_points)) for c in criteria}
            services.scores_save(campaign=campaign, entry=entry, points=points, by=juror)

    level = awards.level_add(
        unit=top, name="Giấy khen Lao động sáng tạo", certificate_title="GIẤY KHEN", by=by
    )
    draft = dispatch.document_draft(
        unit=top, by=by, doc_type=DocumentType.DECISION,
        summary="Về việc khen thưởng Phong trào Lao động sáng tạo", signer="Nguyễn Văn Hùng",
        signer_title="Chủ tịch", department="TC",
    )  # fmt: skip
    # Sent to the unions whose people it rewards.
    for union in {e.registration.unit for e in entries} | {unions[-1]}:
        dispatch.target_add(document=draft, unit=union, kind=TargetKind.UNIT, by=by)
    dispatch.attachment_add(document=draft, upload=_pdf(), by=by)
    decision = dispatch.document_issue(document=draft, by=by)
    given = 0
    for entry in entries[:2]:
        member = next(iter(_members(entry.registration.unit, 1)), None)
        awards.award_grant(
            level=level, decision=decision, reason=entry.title, member=member,
            unit=None if member else entry.registration.unit, campaign=campaign, by=by,
        )  # fmt: skip
        given += 1
    awards.award_grant(
        level=level, decision=decision, reason="Đơn vị có nhiều sáng kiến", unit=unions[-1],
        campaign=campaign, by=by,
    )  # fmt: skip
    awards.announce_next(campaign=campaign, by=by)

    deciding = top  # the province decides for every union below it
    records = 0
    for index, (kind, fund, amount, goods) in enumerate(SUPPORT):
        member = rng.choice(_members(unions[index % len(unions)], 20))
        record = care.support_propose(
            member=member, kind=kind, date=today - dt.timedelta(days=rng.randint(1, 90)),
            fund=fund, amount=amount, goods=goods, by=by,
        )  # fmt: skip
        records += 1
        if index < 3:
            care.support_approve(record=record, deciding_unit=deciding, paid_on=today, by=by)
        elif index == 3:
            care.support_reject(record=record, deciding_unit=deciding, by=by)
    beneficiary = _members(unions[1 % len(unions)], 5)[-1]
    house = care.shelter_propose(
        member=beneficiary, address="Thôn Trung Tiến, xã Cẩm Xuyên", cost=80_000_000,
        contributions=[("Công ty Cổ phần Xi măng Hà Tĩnh", 50_000_000),
                       ("Liên đoàn Lao động tỉnh", 30_000_000)],
        note="Đoàn viên có hoàn cảnh đặc biệt khó khăn", by=by,
    )  # fmt: skip
    built = today - dt.timedelta(days=20)
    care.shelter_decide(house=house, deciding_unit=deciding, approve=True,
                        on=today - dt.timedelta(days=80), by=by)  # fmt: skip
    care.shelter_progress(house=house, on=built, today=today, by=by)
    care.shelter_progress(house=house, on=today - dt.timedelta(days=5), today=today, by=by)

    scheme = classification.classification_create(
        unit=top, year=today.year, title=f"Phân loại công đoàn cơ sở năm {today.year}",
        criteria=CRITERIA, grades=GRADES, by=by,
    )  # fmt: skip
    scheme_criteria = list(scheme.criteria.all())
    top_class, quota = GRADES[0][1], GRADES[0][2] or 0
    classed = held = 0
    for union in unions:
        points = {
            c.pk: Decimal(rng.randint(int(c.max_points * 0.45), c.max_points))
            for c in scheme_criteria
        }
        total = sum(points.values())
        if held >= quota and total >= top_class:
            # The top class's quota is used up: the demo scores below it, never into a refusal.
            points[scheme_criteria[0].pk] -= total - top_class + 1
        assessment = classification.assessment_score(
            classification=scheme, unit=union, points=points, by=by
        )
        held += assessment.grade.min_points == top_class
        classed += 1
    log(
        f"  movements: a campaign with {len(entries)} entries, {given + 1} awards, "
        f"{records} support records, a shelter house, {classed} unions classified"
    )
