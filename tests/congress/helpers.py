"""The province congress of the congress tests and the browser tests, built by the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from unionhub.congress import services
from unionhub.congress.models import Congress, Delegate, Document, Session
from unionhub.congress.tokens import card_token
from unionhub.core import scope

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(text: str = "v1") -> ContentFile:
    return ContentFile(PDF + text.encode(), name="doc.pdf")


def token_of(delegate: Delegate) -> str:
    return card_token(
        congress_id=delegate.congress_id, delegate_id=delegate.pk, serial=delegate.token_serial
    )


@dataclass
class Setup:
    congress: Congress
    organiser: Any
    opening: Session
    closing: Session
    elected: list[Delegate]
    ex_officio: Delegate
    guest: Delegate
    presidium: Delegate
    public_doc: Document
    delegates_doc: Document
    presidium_doc: Document
    other_congress: Congress
    other_delegate: Delegate
    other_doc: Document
    other_organiser: Any


def build_setup(tree: Any, officer_at: Any) -> Setup:
    """The province congress (and the district one); also used by the browser tests."""
    organiser = officer_at(tree.province, scope.CONGRESS_ORGANISER)
    congress = services.congress_create(
        unit=tree.province,
        name="Đại hội Công đoàn tỉnh lần thứ XIX",
        term="2023–2028",
        venue="Trung tâm Hội nghị tỉnh",
        notices="Đại biểu có mặt lúc 7 giờ 30.",
        by=organiser,
    )
    start = timezone.make_aware(dt.datetime(2023, 9, 25, 8, 0))
    opening = services.session_add(
        congress=congress,
        kind="official",
        title="Phiên chính thức",
        starts_at=start,
        place="Hội trường A",
        by=organiser,
    )
    closing = services.session_add(
        congress=congress,
        kind="closing",
        title="Phiên bế mạc",
        starts_at=start + dt.timedelta(days=1),
        by=organiser,
    )
    elected = [
        services.delegate_add(
            congress=congress,
            category="elected",
            full_name=name,
            delegation="Đoàn huyện Đức Thọ" if i % 2 else "Đoàn huyện Can Lộc",
            by=organiser,
        )
        for i, name in enumerate(
            [
                "Nguyễn Văn An",
                "Trần Thị Bình",
                "Lê Văn Cường",
                "Phạm Thị Dung",
                "Hoàng Văn Em",
                "Võ Thị Giang",
            ]
        )
    ]
    ex_officio = services.delegate_add(
        congress=congress,
        category="ex_officio",
        full_name="Đặng Văn Hùng",
        delegation="Đoàn cơ quan tỉnh",
        by=organiser,
    )
    guest = services.delegate_add(
        congress=congress,
        category="invited",
        full_name="Bùi Thị Khách",
        organisation="Sở Lao động",
        by=organiser,
    )
    presidium = services.delegate_add(
        congress=congress,
        category="elected",
        full_name="Đỗ Văn Chủ Tịch",
        delegation="Đoàn cơ quan tỉnh",
        presidium=True,
        by=organiser,
    )
    docs = {
        visibility: services.document_upload(
            congress=congress,
            title=title,
            file=pdf_file(title),
            visibility=visibility,
            order=order,
            by=organiser,
        )
        for order, (visibility, title) in enumerate(
            [
                ("public", "Chương trình Đại hội"),
                ("delegates", "Dự thảo Báo cáo chính trị"),
                ("presidium", "Kịch bản điều hành"),
            ]
        )
    }
    other_organiser = officer_at(tree.district_b, scope.CONGRESS_ORGANISER)
    other = services.congress_create(
        unit=tree.district_b,
        name="Đại hội Công đoàn huyện Can Lộc",
        term="2023–2028",
        by=other_organiser,
    )
    other_delegate = services.delegate_add(
        congress=other, category="elected", full_name="Người Huyện Khác", by=other_organiser
    )
    other_doc = services.document_upload(
        congress=other,
        title="Báo cáo huyện",
        file=pdf_file("other"),
        visibility="public",
        by=other_organiser,
    )
    return Setup(
        congress=congress,
        organiser=organiser,
        opening=opening,
        closing=closing,
        elected=[*elected, presidium],
        ex_officio=ex_officio,
        guest=guest,
        presidium=presidium,
        public_doc=docs["public"],
        delegates_doc=docs["delegates"],
        presidium_doc=docs["presidium"],
        other_congress=other,
        other_delegate=other_delegate,
        other_doc=other_doc,
        other_organiser=other_organiser,
    )


def refetched(setup: Setup) -> Setup:
    """The same congress read back as fresh instances (see tests.world.refetched)."""
    User = get_user_model()
    users = User.objects.in_bulk([setup.organiser.pk, setup.other_organiser.pk])
    congresses = Congress.objects.in_bulk([setup.congress.pk, setup.other_congress.pk])
    sessions = Session.objects.in_bulk([setup.opening.pk, setup.closing.pk])
    delegate_ids = [d.pk for d in setup.elected] + [
        setup.ex_officio.pk,
        setup.guest.pk,
        setup.other_delegate.pk,
    ]
    delegates = Delegate.objects.in_bulk(delegate_ids)
    documents = Document.objects.in_bulk(
        [
            d.pk
            for d in (setup.public_doc, setup.delegates_doc, setup.presidium_doc, setup.other_doc)
        ]
    )
    return Setup(
        congress=congresses[setup.congress.pk],
        organiser=users[setup.organiser.pk],
        opening=sessions[setup.opening.pk],
        closing=sessions[setup.closing.pk],
        elected=[delegates[d.pk] for d in setup.elected],
        ex_officio=delegates[setup.ex_officio.pk],
        guest=delegates[setup.guest.pk],
        presidium=delegates[setup.presidium.pk],
        public_doc=documents[setup.public_doc.pk],
        delegates_doc=documents[setup.delegates_doc.pk],
        presidium_doc=documents[setup.presidium_doc.pk],
        other_congress=congresses[setup.other_congress.pk],
        other_delegate=delegates[setup.other_delegate.pk],
        other_doc=documents[setup.other_doc.pk],
        other_organiser=users[setup.other_organiser.pk],
    )
