"""Demo documents: the province federation's clerk issues a few documents to the new tree, and
the demo officers of some grassroots unions have opened them."""

from __future__ import annotations

import io
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from unionhub.core.types import User
from unionhub.dispatch import services
from unionhub.dispatch.models import DocumentType, Recipient, TargetKind, Urgency
from unionhub.orgs.models import RoleAssignment


def _pdf(name: str, pages: int) -> SimpleUploadedFile:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def populate(*, province: Any, rng: random.Random, by: User, options: dict, log=print) -> None:
    top = province.province
    clerk = get_user_model().objects.filter(username="tinh.vanthu").first() or by
    communes = list(province.communes_2025)
    plans = [
        (
            DocumentType.PLAN,
            "Kế hoạch tổ chức Tháng Công nhân năm 2026",
            [(top, TargetKind.GRASSROOTS)],
            Urgency.NORMAL,
        ),
        (
            DocumentType.OFFICIAL_LETTER,
            "Về việc rà soát, cập nhật dữ liệu đoàn viên sau sắp xếp tổ chức công đoàn",
            [(top, TargetKind.SUBTREE)],
            Urgency.URGENT,
        ),
        (
            DocumentType.NOTICE,
            "Thông báo lịch tiếp công dân của Thường trực Liên đoàn Lao động tỉnh",
            [(c, TargetKind.UNIT) for c in rng.sample(communes, min(5, len(communes)))],
            Urgency.NORMAL,
        ),
    ]
    issued = []
    for doc_type, summary, targets, urgency in plans:
        draft = services.document_draft(
            unit=top,
            by=clerk,
            doc_type=doc_type,
            summary=summary,
            signer="Nguyễn Văn Hùng",
            signer_title="Chủ tịch",
            department="TC" if doc_type == DocumentType.OFFICIAL_LETTER else "",
            urgency=urgency,
        )
        for unit, kind in targets:
            services.target_add(document=draft, unit=unit, kind=kind, by=clerk)
        services.attachment_add(
            document=draft, upload=_pdf("van-ban.pdf", rng.randint(1, 4)), by=clerk
        )
        issued.append(services.document_issue(document=draft, by=clerk))
    # Officers of a few grassroots unions have opened the plan already.
    readers = RoleAssignment.objects.filter(
        unit__incoming__document=issued[0], user__username__startswith="coso"
    ).select_related("user", "unit")
    for assignment in list(readers)[:5]:
        entry = Recipient.objects.get(document=issued[0], unit=assignment.unit)
        services.recipient_open(recipient=entry, by=assignment.user)
    log(f"  {len(issued)} documents issued by the province: " + ", ".join(d.symbol for d in issued))
    # Reports sent up by a few commune unions, not yet opened at the province: its officers'
    # inbox and to-do list show documents unread.
    upward = 0
    for commune in communes[:3]:
        draft = services.document_draft(
            unit=commune,
            by=by,
            doc_type=DocumentType.REPORT,
            summary=f"Báo cáo kết quả rà soát dữ liệu đoàn viên của {commune.name}",
            signer="Đặng Văn An",
            signer_title="Chủ tịch",
            urgency=Urgency.NORMAL,
        )
        services.target_add(document=draft, unit=top, kind=TargetKind.UNIT, by=by)
        services.attachment_add(document=draft, upload=_pdf("bao-cao.pdf", 1), by=by)
        services.document_issue(document=draft, by=by)
        upward += 1
    log(f"  {upward} reports sent up to the province, unread")
