"""A list as a PDF, the printed twin of core.xlsx's download: a title, a header row repeated
on every page, and the rows, in the vendored Vietnamese font on A4.

The official layout of a report is here too, for every app that prints one: the title block
(the upper unit and the unit on the left, the national motto on the right), then place and
date and the two signature lines under the table (`official_head`, `signature_block`), and a
table of figures per unit in that layout (`write_official_pdf`)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from unionhub.core import pdf

MARGIN = 15 * pdf.MM
PORTRAIT_COLUMNS = 8
CELL_PAD = 6  # reportlab's default padding of a table cell, each side, in points


def _grid(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    usable: float,
    figure: Callable[[int | float], Any] = lambda value: value,
) -> tuple[Table, list[tuple[Any, ...]], int]:
    """The table and its style commands: long cells wrap within their column, numbers are
    right-aligned (written by `figure`), each column's share of the width follows its longest
    text (a word of the header at least), so names wrap less than codes and counts."""
    regular, bold = pdf.register_fonts()
    cell = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    data: list[list[Any]] = [[Paragraph(escape(h), head) for h in headers]]
    numeric = [True] * len(headers)
    longest = [max(len(word) for word in str(h).split() or [""]) for h in headers]
    for row in rows:
        data.append(
            [
                figure(value)
                if isinstance(value, int | float)
                else Paragraph(escape(str(value)), cell)
                for value in row
            ]
        )
        numeric = [n and isinstance(v, int | float) for n, v in zip(numeric, row, strict=True)]
        longest = [max(n, len(str(v))) for n, v in zip(longest, row, strict=True)]
    table = Table(data, repeatRows=1, colWidths=_widths(headers, data, numeric, longest, usable))
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, flag in enumerate(numeric) if flag]
    return table, style, len(data) - 1


def _widths(
    headers: Sequence[str],
    data: list[list[Any]],
    numeric: list[bool],
    longest: list[int],
    usable: float,
) -> list[float]:
    """A column of figures is as wide as its widest figure or heading word (a heading word is
    never cut in two: "Đoàn" over "Đo/àn"); the text columns share what is left after their
    longest texts. When that does not fit, every column's share follows its longest text."""
    bold = pdf.register_fonts()[1]

    def wide(text: str, font: str) -> float:
        words = text.split() or [""]
        return float(max(pdfmetrics.stringWidth(w, font, 9) for w in words)) + 2 * CELL_PAD

    least = [wide(str(h), bold) for h in headers]
    for i, flag in enumerate(numeric):
        if flag:
            least[i] = max([least[i], *(wide(str(row[i]), bold) for row in data[1:])])
    weights = [max(n, 4) for n in longest]
    text = [i for i, flag in enumerate(numeric) if not flag]
    spare = usable - sum(least[i] for i, flag in enumerate(numeric) if flag)
    if not text or spare < sum(least[i] for i in text):
        return [usable * w / sum(weights) for w in weights]
    share = sum(weights[i] for i in text)
    widths = list(least)
    for i in text:
        widths[i] = spare * weights[i] / share
    if any(widths[i] < least[i] for i in text):
        return [usable * w / sum(weights) for w in weights]
    return widths


def _document(out: IO[bytes], title: str, page: tuple[float, float] = A4) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="UnionHub",
    )


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
    heading = ParagraphStyle("title", fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    note = ParagraphStyle("note", parent=cell, textColor=colors.grey)
    doc = _document(out, title)
    table, style, count = _grid(headers, rows, usable=A4[0] - 2 * MARGIN)
    table.setStyle(TableStyle(style))
    printed = _("Printed on %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}
    story = [Paragraph(escape(title), heading)]
    if subtitle:
        story.append(Paragraph(escape(subtitle), note))
    story += [Paragraph(printed, note), Spacer(1, 4 * pdf.MM), table]
    doc.build(story)
    return count


# The official layout ---------------------------------------------------------------------

# Each signature's caption and the note under it, translated when printed.
SIGNATURES: tuple[tuple[Callable[[], str], Callable[[], str]], ...] = (
    (lambda: _("PREPARED BY"), lambda: _("(signature, full name)")),
    (lambda: _("FOR THE STANDING COMMITTEE"), lambda: _("(signature, seal, full name)")),
)


def upper_name(unit: Any) -> str:
    """The managing unit's name in capitals, over the unit's own in the title block."""
    parent = unit.parent
    return str((parent.name if parent else unit.name).upper())


def place_date(unit: Any, today: dt.date) -> str:
    """Where and when the report is signed ("Hà Tĩnh, ngày 10 tháng 01 năm 2026"); the place
    is the last part of the unit's address."""
    return _("%(place)s, day %(day)02d month %(month)02d year %(year)d") % {
        "place": unit.address.split(",")[-1].strip() or "……",
        "day": today.day,
        "month": today.month,
        "year": today.year,
    }


def figure(value: int | float) -> str:
    """A figure as printed in a report: 1.234.567."""
    return f"{value:,}".replace(",", ".")


def official_head(unit: Any, *, width: float, style: ParagraphStyle) -> Table:
    """The title block: the upper unit and the unit (left), the national motto (right)."""
    return Table(
        [
            [
                Paragraph(escape(upper_name(unit)), style),
                Paragraph(f"<b>{_('SOCIALIST REPUBLIC OF VIETNAM')}</b>", style),
            ],
            [
                Paragraph(f"<b>{escape(unit.name.upper())}</b>", style),
                Paragraph(f"<b>{_('Independence – Freedom – Happiness')}</b>", style),
            ],
        ],
        colWidths=[width / 2, width / 2],
    )


def signature_block(unit: Any, today: dt.date, *, width: float, style: ParagraphStyle) -> Table:
    """Place and date, then who prepared the report and who signs for the standing committee."""
    (left_title, left_note), (right_title, right_note) = SIGNATURES
    return Table(
        [
            ["", Paragraph(f"<i>{escape(place_date(unit, today))}</i>", style)],
            [
                Paragraph(f"<b>{left_title()}</b>", style),
                Paragraph(f"<b>{right_title()}</b>", style),
            ],
            [Paragraph(left_note(), style), Paragraph(right_note(), style)],
        ],
        colWidths=[width / 2, width / 2],
    )


def write_official_pdf(
    out: IO[bytes],
    *,
    unit: Any,
    title: str,
    lines: Sequence[str],
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    today: dt.date | None = None,
) -> None:
    """A report of `unit` in the official layout: the title block, the title and its `lines`
    (unit, period), the table (its last row, the total, in bold), place and date and the
    signatures, which stay on the page of the table's end."""
    today = today or timezone.localdate()
    regular, bold = pdf.register_fonts()
    centred = ParagraphStyle("c", fontName=regular, fontSize=9, leading=11, alignment=1)
    heading = ParagraphStyle("h", parent=centred, fontName=bold, fontSize=13, leading=16)
    # A4 upright, or lying when the columns are many (more than a name and seven figures).
    page = A4 if len(headers) <= PORTRAIT_COLUMNS else landscape(A4)
    usable = page[0] - 2 * MARGIN
    doc = _document(out, title, page)
    story: list[Any] = [official_head(unit, width=usable, style=centred), Spacer(1, 4 * pdf.MM)]
    story.append(Paragraph(escape(title), heading))
    story += [Paragraph(escape(line), centred) for line in lines]
    story.append(Spacer(1, 3 * pdf.MM))
    table, style, count = _grid(headers, rows, usable=usable, figure=figure)
    style.append(("FONTNAME", (0, count), (-1, count), bold))
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(
        KeepTogether(
            [Spacer(1, 6 * pdf.MM), signature_block(unit, today, width=usable, style=centred)]
        )
    )
    doc.build(story)


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


def pdf_official_response(
    filename: str,
    *,
    unit: Any,
    title: str,
    lines: Sequence[str],
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> FileResponse:
    """A PDF download of a report in the official layout (see `write_official_pdf`)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_official_pdf(spool, unit=unit, title=title, lines=lines, headers=headers, rows=rows)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/pdf"
    )
