"""XLSX output in constant memory: openpyxl's write-only mode into a temporary file.

Every spreadsheet UnionHub writes goes through here (`write_xlsx`, or `text_cell` for the
workbooks laid out by hand), so that text is written as text: a value a registrar typed as
`=HYPERLINK("http://…"&F2, …)` must not become a formula that runs in the Excel of the officer
who opens the export (formula injection). Such values keep their characters (an export can be
imported back unchanged) and are marked as text with Excel's quote prefix, so that editing the
cell does not turn it into a formula either.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet program may take for the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(cell: Any) -> Any:
    """Make `cell` (of any openpyxl sheet) hold its string as text, never as a formula."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _storable(value: Any) -> Any:
    """`value` without the control characters the file's XML cannot hold: one pasted into a
    stored address (a backspace) or a file's header (a BEL) must not stop the whole workbook."""
    if isinstance(value, str) and not value.isprintable():
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(
    out: IO[bytes],
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str = "Sheet1",
    widths: Sequence[int] | None = None,
    on_row: Any = None,
) -> int:
    """Write one sheet with a bold header row and Vietnamese date format; returns rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths or [max(12, len(str(h)) + 2) for h in headers]):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = text_cell(WriteOnlyCell(sheet, value=_storable(str(header))))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A2"
    count = 0
    for row in rows:
        cells = []
        for value in row:
            value = _storable(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                text_cell(cell)
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
        count += 1
        if on_row:
            on_row()
    workbook.save(out)
    return count


def xlsx_response(
    filename: str, *, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet1"
) -> FileResponse:
    """An XLSX download; rows go to a temporary file, never all into memory."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_xlsx(spool, headers=headers, rows=rows, title=title)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
