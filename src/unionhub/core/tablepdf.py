"""A list as a PDF, the printed twin of core.xlsx's download: a title, a header row repeated
on every page, and the rows, in the vendored Vietnamese font on A4."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from unionhub.core import pdf

MARGIN = 15 * pdf.MM


def write_table_pdf(
    out: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    subtitle: str = "",
) -> int:
    """Write the table to `out`; returns the number of rows. Long cells wrap within their
    column; numbers are right-aligned."""
    regular, bold = pdf.register_fonts()
    cell = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    heading = ParagraphStyle("title", fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    note = ParagraphStyle("note", parent=cell, textColor=colors.grey)
    data: list[list[Any]] = [[Paragraph(escape(h), head) for h in headers]]
    numeric = [True] * len(headers)
    # Each column's share of the page follows its longest text (a word of the header at
    # least), so names wrap less than codes and counts.
    longest = [max(len(word) for word in str(h).split() or [""]) for h in headers]
    for row in rows:
        data.append(
            [
                value if isinstance(value, int | float) else Paragraph(escape(str(value)), cell)
                for value in row
            ]
        )
        numeric = [n and isinstance(v, int | float) for n, v in zip(numeric, row, strict=True)]
        longest = [max(n, len(str(v))) for n, v in zip(longest, row, strict=True)]
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="UnionHub",
    )
    usable = A4[0] - 2 * MARGIN
    weights = [max(n, 4) for n in longest]
    table = Table(data, repeatRows=1, colWidths=[usable * w / sum(weights) for w in weights])
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, flag in enumerate(numeric) if flag]
    table.setStyle(TableStyle(style))
    printed = _("Printed on %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}
    story = [Paragraph(escape(title), heading)]
    if subtitle:
        story.append(Paragraph(escape(subtitle), note))
    story += [Paragraph(printed, note), Spacer(1, 4 * pdf.MM), table]
    doc.build(story)
    return len(data) - 1


def pdf_table_response(
    filename: str,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    subtitle: str = "",
) -> FileResponse:
    """A PDF download of a list, as core.xlsx.xlsx_response gives it as a spreadsheet."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_table_pdf(spool, title=title, headers=headers, rows=rows, subtitle=subtitle)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/pdf"
    )
