"""The fluctuation report in the official layout: XLSX (openpyxl) and PDF (ReportLab).

Layout: title block (upper unit and the national motto), report title, unit and period, two
rows of column headings (groups, then columns), one line per row unit and the total, the
definitions as footnotes, then place and date and the two signature lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from unionhub.core import official, pdf, tablepdf
from unionhub.core.xlsx import text_cell
from unionhub.reports import fluctuation as f
from unionhub.reports.fluctuation import FluctuationReport

# Labels are lazy: an export speaks the language active when it is made, not at start-up.
GROUPS = (
    (gettext_lazy("Members"), (f.START,)),
    (
        gettext_lazy("Increases"),
        (
            f.ADMITTED,
            f.RECORDED,
            f.TRANSFERRED_IN,
            f.TRANSFERRED_IN_REORG,
            f.TRANSFERRED_IN_WITHIN,
            f.OTHER_INCREASE,
            f.INCREASES,
        ),
    ),
    (
        gettext_lazy("Decreases"),
        (
            f.TRANSFERRED_OUT,
            f.TRANSFERRED_OUT_REORG,
            f.TRANSFERRED_OUT_WITHIN,
            *f.DECREASE_COLUMNS[1:],
            f.DECREASES,
        ),
    ),
    (gettext_lazy("Members"), (f.END, f.END_WOMEN)),
    (gettext_lazy("Grassroots unions"), f.UNIT_COLUMNS),
    (gettext_lazy("Cards"), (f.CARDS_ISSUED, f.CARDS_REISSUED)),
)
COLUMNS = [column for _group, columns in GROUPS for column in columns]


@dataclass
class Line:
    """One line of an export: its number ("2", "2.3"), name, figures and outline level (0: a
    group with its subtotal, 1: a line under it, None: the total)."""

    number: str
    name: str
    values: list[int]
    level: int | None


def _name(row: f.Row, parent) -> str:
    if row.own:
        return _("%(unit)s (own members)") % {"unit": parent.name}
    if not row.at_end:
        return _("%(unit)s (until it moved or closed)") % {"unit": row.unit.name}
    return row.unit.name


def lines(report: FluctuationReport) -> list[Line]:
    """The report's lines as the page groups them (every group open), then the total."""
    result = []
    for index, group in enumerate(report.groups(), start=1):
        name = _name(group.row, report.unit) if group.row else group.label
        result.append(Line(str(index), name, [group.figures[c] for c in COLUMNS], 0))
        parent = group.row.unit if group.row else report.unit
        for sub_index, row in enumerate(group.rows, start=1):
            result.append(
                Line(
                    f"{index}.{sub_index}",
                    _name(row, parent),
                    [row.figures[c] for c in COLUMNS],
                    1,
                )
            )
    result.append(Line("", _("Total"), [report.total[c] for c in COLUMNS], None))
    return result


def _titles(report: FluctuationReport) -> list[str]:
    return [
        _("MEMBERSHIP FLUCTUATION REPORT"),
        _("Unit: %(unit)s (%(code)s)") % {"unit": report.unit.name, "code": report.unit.code},
        _("Period: from %(first)s to %(last)s")
        % {"first": f"{report.first:%d/%m/%Y}", "last": f"{report.last:%d/%m/%Y}"},
    ]


def write_xlsx(report: FluctuationReport, out: IO[bytes], *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Fluctuation")[:31]
    width = 2 + len(COLUMNS)
    bold, thin = Font(bold=True), Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    merged = partial(official.xlsx_merged, sheet)
    official.xlsx_heading(
        sheet, upper=official.upper_name(report.unit), unit=report.unit.name, width=width
    )
    title, unit_line, period_line = _titles(report)
    merged(4, 1, width, title, font=Font(bold=True, size=14))
    merged(5, 1, width, unit_line)
    merged(6, 1, width, period_line)

    head = 8
    for col, label in ((1, _("No.")), (2, _("Unit"))):
        sheet.merge_cells(start_row=head, start_column=col, end_row=head + 1, end_column=col)
        cell = sheet.cell(row=head, column=col, value=label)
        cell.font, cell.alignment, cell.border = bold, centre, box
    col = 3
    for group, columns in GROUPS:
        merged(head, col, col + len(columns) - 1, str(group), font=bold, border=box)
        for column in columns:
            cell = sheet.cell(row=head + 1, column=col, value=str(f.LABELS[column]))
            cell.font, cell.alignment, cell.border = bold, centre, box
            col += 1
    row = head + 2
    for line in lines(report):
        cells = [line.number, line.name, *line.values]
        for index, value in enumerate(cells, start=1):
            cell = text_cell(sheet.cell(row=row, column=index, value=value))
            cell.border = box
            if line.level != 1:
                cell.font = bold
            if line.level == 1 and index == 2:
                cell.alignment = Alignment(indent=2)
        if line.level == 1:
            # Excel's outline: the lines under a group fold into it with its +/- button.
            sheet.row_dimensions[row].outline_level = 1
        row += 1
    row += 1
    for note in f.FOOTNOTES:
        merged(row, 1, width, f"* {note}", alignment=Alignment(wrap_text=True, vertical="top"))
        sheet.row_dimensions[row].height = 30
        row += 1
    row += 1
    official.xlsx_signatures(
        sheet, row=row, width=width, place_and_date=official.place_date(report.unit.address, today)
    )

    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 40
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    sheet.row_dimensions[head + 1].height = 45
    sheet.freeze_panes = sheet.cell(row=head + 2, column=3)
    sheet.sheet_properties.outlinePr.summaryBelow = False  # a group's subtotal heads its lines
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(out)


# The PDF table's type sizes (points) and cell padding on each side.
PDF_HEADING_SIZE, PDF_FIGURE_SIZE, PDF_PAD = 5.8, 6.5, 2.2
PDF_MARGIN = 10  # mm


def _fits(words: list[str], font: str, size: float) -> float:
    """The narrowest cell that shows each of `words` whole, in points."""
    return max(pdfmetrics.stringWidth(word, font, size) for word in words) + 2 * PDF_PAD


def _column_widths(report_lines: list[Line], regular: str, bold: str) -> list[float]:
    """Each figure column as wide as its widest word of heading or its widest number, so that
    headings wrap between words and never inside one, and every number fits its cell."""
    widths = []
    for index, column in enumerate(COLUMNS):
        words = str(f.LABELS[column]).split()
        numbers = [tablepdf.figure(line.values[index]) for line in report_lines]
        widths.append(
            max(
                _fits(words, bold, PDF_HEADING_SIZE),
                _fits(numbers, bold, PDF_FIGURE_SIZE),
                8 * pdf.MM,
            )
        )
    return widths


def write_pdf(report: FluctuationReport, out: IO[bytes], *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    regular, bold = pdf.register_fonts()
    normal = ParagraphStyle("n", fontName=regular, fontSize=8, leading=10)
    centred = ParagraphStyle("c", parent=normal, alignment=1)
    heading = ParagraphStyle("h", parent=centred, fontName=bold, fontSize=13, leading=16)
    # splitLongWords off: a heading word that did not fit would overflow, never be cut in two
    # ("Đoà n vi ên"); the widths below make every word fit.
    small = ParagraphStyle(
        "s",
        parent=normal,
        fontName=bold,
        fontSize=PDF_HEADING_SIZE,
        leading=PDF_HEADING_SIZE + 1,
        alignment=1,
        splitLongWords=0,
    )
    cell = ParagraphStyle("cell", parent=normal, fontSize=6.5, leading=8)
    sub_cell = ParagraphStyle("sub", parent=cell, leftIndent=3 * pdf.MM)
    report_lines = lines(report)
    number_width, name_width = 9 * pdf.MM, 46 * pdf.MM
    widths = _column_widths(report_lines, regular, bold)
    # A4 landscape when the columns fit it, else A3 landscape: never squeeze a column below
    # its widest word.
    page = landscape(A4)
    if number_width + name_width + sum(widths) > page[0] - 2 * PDF_MARGIN * pdf.MM:
        page = landscape(A3)
    usable = page[0] - 2 * PDF_MARGIN * pdf.MM
    spare = usable - number_width - name_width - sum(widths)
    name_width += max(spare, 0)
    doc = official.document(out, title=_titles(report)[0], page=page, margin_mm=PDF_MARGIN)
    head = official.pdf_heading(
        upper=official.upper_name(report.unit), unit=report.unit.name, width=usable, style=centred
    )
    title, unit_line, period_line = _titles(report)
    story = [head, Spacer(1, 4 * pdf.MM), Paragraph(title, heading)]
    story += [Paragraph(unit_line, centred), Paragraph(period_line, centred), Spacer(1, 3 * pdf.MM)]

    groups_row = [Paragraph(_("No."), small), Paragraph(_("Unit"), small)]
    labels_row = ["", ""]
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    col = 2
    for group, columns in GROUPS:
        groups_row += [Paragraph(str(group), small)] + [""] * (len(columns) - 1)
        spans.append(("SPAN", (col, 0), (col + len(columns) - 1, 0)))
        labels_row += [Paragraph(str(f.LABELS[c]), small) for c in columns]
        col += len(columns)
    col_widths = [number_width, name_width, *widths]

    def body(data_lines: list[Line], header: bool) -> Table:
        data = [groups_row, labels_row] if header else []
        style = [
            ("FONT", (0, 0), (-1, -1), regular, PDF_FIGURE_SIZE),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PDF_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PDF_PAD),
        ]
        if header:
            style += [*spans, ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.9, 0.9, 0.9))]
        first = len(data)
        for offset, line in enumerate(data_lines):
            index = first + offset
            name = Paragraph(line.name, sub_cell if line.level == 1 else cell)
            data.append([line.number, name, *[tablepdf.figure(v) for v in line.values]])
            style.append(("ALIGN", (2, index), (-1, index), "RIGHT"))
            if line.level != 1:  # a group's subtotal or the total
                style.append(("FONT", (0, index), (-1, index), bold, PDF_FIGURE_SIZE))
                style.append(
                    ("BACKGROUND", (0, index), (-1, index), colors.Color(0.96, 0.96, 0.96))
                )
        table = Table(data, colWidths=col_widths, repeatRows=2 if header else 0)
        table.setStyle(TableStyle(style))
        return table

    # The last lines, the notes and the signatures stay on one page: never a page holding only
    # the signature captions.
    tail_size = min(3, len(report_lines) - 1)
    head_lines, tail_lines = report_lines[:-tail_size], report_lines[-tail_size:]
    story.append(body(head_lines, header=True))
    notes = ParagraphStyle("fn", parent=normal, fontSize=6.5)
    tail = [body(tail_lines, header=False), Spacer(1, 3 * pdf.MM)]
    tail += [Paragraph(f"* {note}", notes) for note in f.FOOTNOTES]
    tail.append(Spacer(1, 4 * pdf.MM))
    tail.append(
        official.pdf_signatures(
            place_and_date=official.place_date(report.unit.address, today),
            width=usable,
            style=centred,
        )
    )
    story.append(KeepTogether(tail))
    doc.build(story)


# The members behind a number, as a list to export ------------------------------------------

MEMBER_HEADERS = (
    lambda: _("Full name"),
    lambda: _("Date of birth"),
    lambda: _("Gender"),
    lambda: _("Unit now"),
    lambda: _("Status now"),
)


def member_rows(members):
    for m in members.iterator(chunk_size=2000):
        yield [
            m.full_name,
            m.birth_date,
            m.get_gender_display(),
            m.unit.name,
            m.get_state_display(),
        ]
