"""A list as a PDF, the printed twin of core.xlsx's download: a title, a header row repeated
on every page, and the rows, in the vendored Vietnamese font on A4.

A table of figures per unit in the official layout of a report (`write_official_pdf`) is here
too, framed by core.official's heading and signatures."""

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
    Spacer,
    Table,
    TableStyle,
)

from unionhub.core import official, pdf

MARGIN_MM = 15
MARGIN = MARGIN_MM * pdf.MM
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
    doc = official.document(out, title=title, margin_mm=MARGIN_MM)
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
def figure(value: int | float) -> str:
    """A figure as printed in a report: 1.234.567."""
    return f"{value:,}".replace(",", ".")


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
    doc = official.document(out, title=title, page=page, margin_mm=MARGIN_MM)
    head = official.pdf_heading(
        upper=official.upper_name(unit), unit=unit.name, width=usable, style=centred
    )
    story: list[Any] = [head, Spacer(1, 4 * pdf.MM)]
    story.append(Paragraph(escape(title), heading))
    story += [Paragraph(escape(line), centred) for line in lines]
    story.append(Spacer(1, 3 * pdf.MM))
    table, style, count = _grid(headers, rows, usable=usable, figure=figure)
    style.append(("FONTNAME", (0, count), (-1, count), bold))
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(
        KeepTogether(
            [
                Spacer(1, 6 * pdf.MM),
                official.pdf_signatures(
                    place_and_date=official.place_date(unit.address, today),
                    width=usable,
                    style=centred,
                ),
            ]
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
