"""Helpers for document tests: PDFs, and drafting and issuing in one call."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from unionhub.dispatch import services
from unionhub.dispatch.models import Document, DocumentType


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "van-ban.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def draft_and_issue(
    *,
    unit: Any,
    by: Any,
    targets: list[tuple[Any, str]],
    summary: str = "Về việc tổ chức Tháng Công nhân năm 2026",
    doc_type: str = DocumentType.OFFICIAL_LETTER,
    department: str = "TC",
) -> Document:
    document = services.document_draft(
        unit=unit,
        by=by,
        doc_type=doc_type,
        summary=summary,
        signer="Nguyễn Văn Hùng",
        signer_title="Chủ tịch",
        department=department,
    )
    for target_unit, kind in targets:
        services.target_add(document=document, unit=target_unit, kind=kind, by=by)
    services.attachment_add(document=document, upload=pdf_upload(), by=by)
    return services.document_issue(document=document, by=by)
