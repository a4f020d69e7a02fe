"""The estimate and final accounts in the official layout (B14-TLĐ): XLSX and PDF, in the
frame every official report shares (core.official: heading, place and date, signatures). The
final accounts carry their spending ratios: a sheet of their own in the workbook (the form's
sheet stays as the form is), a table after the statement in the PDF."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from unionhub.core import official, pdf
from unionhub.core.xlsx import text_cell
from unionhub.finance import money
from unionhub.finance.statements import ESTIMATE, Ratio, SpendingRatio, Statement

MARGIN = 15  # mm


def _titles(statement: Statement) -> list[str]:
    if statement.kind == ESTIMATE:
        title = _("FINANCE ESTIMATE OF THE UNION FOR %(year)s") % {"year": statement.year}
        basis = _("From the actual figures of %(year)s") % {"year": statement.year - 1}
    else:
        title = _("FINAL ACCOUNTS OF THE UNION: %(period)s") % {"period": statement.title}
        basis = _("Period: from %(first)s to %(last)s") % {
            "first": f"{statement.first:%d/%m/%Y}",
            "last": f"{statement.last:%d/%m/%Y}",
        }
    unit = _("Unit: %(unit)s (%(code)s)") % {
        "unit": statement.unit.name,
        "code": statement.unit.code,
    }
    return [title, unit, basis, _("Form B14-TLĐ · amounts in đồng")]


def _headers() -> list[str]:
    return [_("No."), _("Item"), _("The union's own books"), _("With the unions under it")]


def _bound(row: SpendingRatio) -> str:
    if row.rule is None or row.rule.rate is None:
        return _("No ratio in force")
    share = money.percent(row.rule.rate)
    if row.at_least:
        return _("at least %(share)s") % {"share": share}
    return _("at most %(share)s") % {"share": share}


def _check(ratio: Ratio) -> str:
    if ratio.respected is None:
        return ""
    return _("Respected") if ratio.respected else _("Not respected")


def _ratio_headers() -> list[str]:
    own, total = _("Own books"), _("With the unions under it")
    return [pgettext("spending ratio", "Category"), _("Rule"), _("From"), _("Legal basis")] + [
        f"{books}: {column}"
        for books in (own, total)
        for column in (_("Spent"), _("Share of revenue kept"), _("Check"))
    ]


def _xlsx_ratios(book: Workbook, statement: Statement, ratios: list[SpendingRatio]) -> None:
    sheet = book.create_sheet(_("Spending ratios"))
    sheet.cell(row=1, column=1, value=_("Spending ratios")).font = Font(bold=True, size=13)
    text_cell(sheet.cell(row=2, column=1, value=_titles(statement)[2]))
    text_cell(sheet.cell(row=3, column=1, value=_("Revenue kept (line B)")))
    kept_own, kept_total = statement.figures()["revenue"]
    sheet.cell(row=3, column=5, value=kept_own).number_format = "#,##0"
    sheet.cell(row=3, column=8, value=kept_total).number_format = "#,##0"
    for col, label in enumerate(_ratio_headers(), start=1):
        cell = text_cell(sheet.cell(row=5, column=col, value=label))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    formats = {3: "DD/MM/YYYY", 5: "#,##0", 6: "0.00%", 8: "#,##0", 9: "0.00%"}
    for row, ratio in enumerate(ratios, start=6):
        rule = ratio.rule
        values: list[object] = [
            ratio.label,
            _bound(ratio),
            rule.effective_from if rule else None,
            rule.basis if rule else "",
        ]
        for books in (ratio.own, ratio.total):
            values += [books.spent, books.share, _check(books)]
        for col, value in enumerate(values, start=1):
            cell = text_cell(sheet.cell(row=row, column=col, value=value))
            if col in formats:
                cell.number_format = formats[col]
        for col, books in ((7, ratio.own), (10, ratio.total)):
            if books.respected is False:
                sheet.cell(row=row, column=col).font = Font(bold=True, color="C62828")
    for letter, size in zip("ABCDEFGHIJ", (28, 18, 12, 30, 16, 12, 16, 16, 12, 16), strict=True):
        sheet.column_dimensions[letter].width = size


def write_xlsx(
    statement: Statement,
    out: IO[bytes],
    *,
    ratios: list[SpendingRatio] | None = None,
    today: dt.date | None = None,
) -> None:
    today = today or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = _("B14-TLĐ")
    width = 4
    merged = partial(official.xlsx_merged, sheet)
    official.xlsx_heading(
        sheet, upper=official.upper_name(statement.unit), unit=statement.unit.name, width=width
    )
    title, *rest = _titles(statement)
    merged(4, 1, width, title, font=Font(bold=True, size=13))
    for offset, text in enumerate(rest, start=5):
        merged(offset, 1, width, text)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = 5 + len(rest) + 1
    for col, label in enumerate(_headers(), start=1):
        cell = sheet.cell(row=head, column=col, value=label)
        cell.font, cell.border = Font(bold=True), box
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    row = head + 1
    for line in statement.lines:
        for col, value in enumerate((line.number, line.label, line.own, line.total), start=1):
            cell = text_cell(sheet.cell(row=row, column=col, value=value))
            cell.border = box
            if line.level == 0:
                cell.font = Font(bold=True)
            if col > 2:
                cell.number_format = "#,##0"
        row += 1
    official.xlsx_signatures(
        sheet,
        row=row + 1,
        width=width,
        place_and_date=official.place_date(statement.unit.address, today),
    )
    for letter, size in zip("ABCD", (6, 48, 20, 20), strict=True):
        sheet.column_dimensions[letter].width = size
    if ratios:
        _xlsx_ratios(book, statement, ratios)
    book.save(out)


def _amount(value: int | None) -> str:
    return "" if value is None else money.vnd(value).removesuffix(" ₫")


def _pdf_ratios(
    ratios: list[SpendingRatio], *, width: float, normal: ParagraphStyle, bold: str
) -> list[object]:
    """The spending ratios after the statement: the shares and their checks (the amounts spent
    are the statement's lines C1 to C3)."""
    centred = ParagraphStyle("rc", parent=normal, alignment=1)
    category, share_header = (
        pgettext("spending ratio", "Category"),
        pgettext("spending ratio", "Share"),
    )
    first = (category, _("Rule"), _("Own books"), "", _("With the unions under it"), "")
    data: list[list[object]] = [
        [Paragraph(f"<b>{h}</b>", centred) for h in first],
        ["", "", *[Paragraph(f"<b>{h}</b>", centred) for h in (share_header, _("Check")) * 2]],
    ]
    style = [
        ("FONT", (0, 0), (-1, -1), normal.fontName, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.9, 0.9, 0.9)),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (3, 0)),
        ("SPAN", (4, 0), (5, 0)),
        ("ALIGN", (2, 2), (2, -1), "RIGHT"),
        ("ALIGN", (4, 2), (4, -1), "RIGHT"),
    ]
    for index, row in enumerate(ratios, start=2):
        cells: list[object] = [Paragraph(row.label, normal), Paragraph(_bound(row), normal)]
        for column, books in enumerate((row.own, row.total)):
            share = "—" if books.share is None else money.percent(books.share)
            cells += [share, _check(books)]
            if books.respected is False:
                check = (3 + 2 * column, index)
                style.append(("FONT", check, check, bold, 9))
        data.append(cells)
    table = Table(data, colWidths=[width - 130 * pdf.MM, 40 * pdf.MM] + [22.5 * pdf.MM] * 4)
    table.setStyle(TableStyle(style))
    heading = ParagraphStyle("rh", parent=normal, fontName=bold, fontSize=11, leading=14)
    return [Spacer(1, 5 * pdf.MM), Paragraph(_("Spending ratios"), heading), table]


def write_pdf(
    statement: Statement,
    out: IO[bytes],
    *,
    ratios: list[SpendingRatio] | None = None,
    today: dt.date | None = None,
) -> None:
    today = today or timezone.localdate()
    regular, bold = pdf.register_fonts()
    normal = ParagraphStyle("n", fontName=regular, fontSize=9, leading=11)
    centred = ParagraphStyle("c", parent=normal, alignment=1)
    heading = ParagraphStyle("h", parent=centred, fontName=bold, fontSize=13, leading=16)
    usable = A4[0] - 2 * MARGIN * pdf.MM
    doc = official.document(out, title=_titles(statement)[0], margin_mm=MARGIN)
    title, *rest = _titles(statement)
    story = [
        official.pdf_heading(
            upper=official.upper_name(statement.unit),
            unit=statement.unit.name,
            width=usable,
            style=centred,
        ),
        Spacer(1, 5 * pdf.MM),
        Paragraph(title, heading),
        *[Paragraph(line, centred) for line in rest],
        Spacer(1, 4 * pdf.MM),
    ]
    data: list[list[object]] = [[Paragraph(f"<b>{h}</b>", centred) for h in _headers()]]
    style = [
        ("FONT", (0, 0), (-1, -1), regular, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
    ]
    for index, line in enumerate(statement.lines, start=1):
        data.append([line.number, Paragraph(line.label, normal), _amount(line.own),
                     _amount(line.total)])  # fmt: skip
        if line.level == 0:
            style.append(("FONT", (0, index), (-1, index), bold, 9))
    table = Table(data, colWidths=[12 * pdf.MM, usable - 82 * pdf.MM, 35 * pdf.MM, 35 * pdf.MM])
    table.setStyle(TableStyle(style))
    story.append(table)
    if ratios:
        story += _pdf_ratios(ratios, width=usable, normal=normal, bold=bold)
    story.append(
        KeepTogether(
            [
                Spacer(1, 6 * pdf.MM),
                official.pdf_signatures(
                    place_and_date=official.place_date(statement.unit.address, today),
                    width=usable,
                    style=centred,
                ),
            ]
        )
    )
    doc.build(story)
