"""The frame of an official report, shared by every app that prints one (the fluctuation
report, the finance estimate and final accounts, the tables of core.tablepdf's
`write_official_pdf`): the heading (the upper unit and the unit on
the left, the national name and motto on the right), the place and date, and the two signature
blocks, in XLSX (openpyxl) and PDF (ReportLab).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import IO, Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from unionhub.core import pdf
from unionhub.core.xlsx import text_cell

SIGNATURES: tuple[tuple[Callable[[], str], Callable[[], str]], ...] = (
    (lambda: _("PREPARED BY"), lambda: _("(signature, full name)")),
    (lambda: _("FOR THE STANDING COMMITTEE"), lambda: _("(signature, seal, full name)")),
)


def document(
    out: IO[bytes], *, title: str, page: tuple[float, float] = A4, margin_mm: float = 15
) -> SimpleDocTemplate:
    """The PDF document of an official report: `page` with the same margin on every side."""
    margin = margin_mm * pdf.MM
    return SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author="UnionHub",
    )


def upper_name(unit: Any) -> str:
    """The unit that manages `unit` (its parent), named over it in the heading; the top unit
    names itself."""
    parent = unit.parent
    return str(parent.name if parent else unit.name)


def place_date(address: str, today: dt.date) -> str:
    """ "Hà Tĩnh, day 05 month 12 year 2026": the place is the last part of the address."""
    return _("%(place)s, day %(day)02d month %(month)02d year %(year)d") % {
        "place": address.split(",")[-1].strip() or "……",
        "day": today.day,
        "month": today.month,
        "year": today.year,
    }


def xlsx_merged(
    sheet: Any, row: int, first_col: int, last_col: int, value: str, **style: Any
) -> Any:
    """One text cell spanning `first_col`..`last_col` of `row`, centred (and styled)."""
    sheet.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    cell = text_cell(sheet.cell(row=row, column=first_col, value=value))
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def xlsx_heading(sheet: Any, *, upper: str, unit: str, width: int) -> None:
    """Rows 1 and 2 of a sheet `width` columns wide."""
    bold, half = Font(bold=True), width // 2
    xlsx_merged(sheet, 1, 1, half, upper.upper())
    xlsx_merged(sheet, 2, 1, half, unit.upper(), font=bold)
    xlsx_merged(sheet, 1, half + 1, width, _("SOCIALIST REPUBLIC OF VIETNAM"), font=bold)
    xlsx_merged(sheet, 2, half + 1, width, _("Independence – Freedom – Happiness"), font=bold)


def xlsx_signatures(sheet: Any, *, row: int, width: int, place_and_date: str) -> int:
    """The place and date, then the two signature blocks, from `row`; returns the next row."""
    bold, half = Font(bold=True), width // 2
    xlsx_merged(sheet, row, half + 1, width, place_and_date)
    (left_title, left_note), (right_title, right_note) = SIGNATURES
    xlsx_merged(sheet, row + 1, 1, half, left_title(), font=bold)
    xlsx_merged(sheet, row + 1, half + 1, width, right_title(), font=bold)
    xlsx_merged(sheet, row + 2, 1, half, left_note())
    xlsx_merged(sheet, row + 2, half + 1, width, right_note())
    return row + 3


def pdf_heading(*, upper: str, unit: str, width: float, style: ParagraphStyle) -> Table:
    """The heading as a two-column table across `width` points."""
    return Table(
        [
            [
                Paragraph(escape(upper.upper()), style),
                Paragraph(f"<b>{_('SOCIALIST REPUBLIC OF VIETNAM')}</b>", style),
            ],
            [
                Paragraph(f"<b>{escape(unit.upper())}</b>", style),
                Paragraph(f"<b>{_('Independence – Freedom – Happiness')}</b>", style),
            ],
        ],
        colWidths=[width / 2, width / 2],
    )


def pdf_signatures(*, place_and_date: str, width: float, style: ParagraphStyle) -> Table:
    """The place and date over the two signature blocks, across `width` points."""
    (left_title, left_note), (right_title, right_note) = SIGNATURES
    return Table(
        [
            ["", Paragraph(f"<i>{escape(place_and_date)}</i>", style)],
            [
                Paragraph(f"<b>{left_title()}</b>", style),
                Paragraph(f"<b>{right_title()}</b>", style),
            ],
            [Paragraph(left_note(), style), Paragraph(right_note(), style)],
        ],
        colWidths=[width / 2, width / 2],
    )
