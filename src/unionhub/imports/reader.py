"""Reading a spreadsheet into rows: XLSX (and the other formats calamine reads) and CSV in any of
the encodings Vietnamese offices produce; finding the header row below title rows."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.imports.columns import IGNORE, match_header
from unionhub.imports.parsers import is_blank

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
HEADER_SEARCH_ROWS = 30  # title rows, merged banners and notes above the header fit in these


@dataclass
class Table:
    """What a file holds: the header row (1-based sheet row number) and its cells, and the data
    rows below it, read from the file as they are iterated (`rows`) so that a 70,000-row sheet
    is never held as Python objects all at once."""

    headers: list[str]
    header_row: int
    # Every row of the sheet from its first, afresh on each call.
    source: Callable[[], Iterable[list[Any]]] = field(default=lambda: iter(()), repr=False)
    size: int = 0  # rows below the header, blank ones included: the work to report progress on
    blank_rows: int = 0  # counted while `rows` is iterated
    sheet: str = ""
    encoding: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """The data rows as (sheet row number, cells), blank rows left out (and counted)."""
        return self._data_rows()

    def _data_rows(self) -> Iterator[tuple[int, list[Any]]]:
        self.blank_rows = 0
        below = itertools.islice(self.source(), self.header_row, None)
        for number, row in enumerate(below, start=self.header_row + 1):
            if _blank(row):
                self.blank_rows += 1
                continue
            yield number, row


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding: a BOM means UTF-8, valid UTF-8 is UTF-8, anything else is
    the Windows Vietnamese code page (cp1258), whose combining tone marks NFC later joins."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace"), "cp1258"


def _csv_rows(data: bytes) -> tuple[Callable[[], Iterable[list[Any]]], str]:
    content, encoding = decode(data)
    sample = content[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return lambda: csv.reader(io.StringIO(content, newline=""), dialect), encoding


def _sheet_rows(data: bytes) -> tuple[Callable[[], Iterable[list[Any]]], str, int]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error classes for every bad file
        raise DomainError(
            "file_unreadable",
            _("This file cannot be read as a spreadsheet (%(error)s). Save it as .xlsx or .csv.")
            % {"error": str(error)[:120]},
        ) from None
    visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
    name = (visible or workbook.sheet_names)[0]
    sheet = workbook.get_sheet_by_name(name)
    start_row, start_column = sheet.start or (0, 0)
    # calamine starts at the first used cell; put back the empty rows and columns before it so
    # row and column numbers are the ones the officer sees in Excel.
    pad = [""] * start_column

    def rows() -> Iterable[list[Any]]:
        # calamine holds the parsed sheet; its rows become Python lists only as they are read.
        yield from ([] for _ in range(start_row))
        for row in sheet.iter_rows():
            yield pad + row if pad else row

    return rows, name, start_row + sheet.height


def read_table(data: bytes, filename: str) -> Table:
    """Read `data` (the uploaded file's bytes) into a Table; DomainError if it is not a
    spreadsheet or has no header row."""
    lower = filename.lower()
    encoding = sheet = ""
    height: int | None = None
    if lower.endswith(CSV_SUFFIXES):
        rows, encoding = _csv_rows(data)
    elif lower.endswith(SPREADSHEET_SUFFIXES) or data[:4] == b"PK\x03\x04":
        rows, sheet, height = _sheet_rows(data)
    else:
        raise DomainError(
            "file_type",
            _("Upload an Excel file (.xlsx) or a CSV file; “%(name)s” is neither.")
            % {"name": filename},
        )
    table = _split(rows, height)
    table.encoding, table.sheet = encoding, sheet
    return table


def _filled(row: list[Any]) -> int:
    return sum(1 for cell in row if not is_blank(cell))


def _blank(row: list[Any]) -> bool:
    # Stops at the first filled cell: the first or second of almost every row.
    return not any(not is_blank(cell) for cell in row)


def _recognised(row: list[Any]) -> int:
    return sum(1 for cell in row if isinstance(cell, str) and match_header(cell) not in (None,))


def find_header(head: list[list[Any]]) -> int | None:
    """Index of the header row among the first rows: the first row naming at least two known
    columns; failing that, the first row nearly as wide as the widest (title rows and merged
    banners fill one cell, a header fills most). None when the rows are empty."""
    for index, row in enumerate(head):
        if _recognised(row) >= 2:
            return index
    widest = max((_filled(row) for row in head), default=0)
    if widest == 0:
        return None
    for index, row in enumerate(head):
        if _filled(row) >= max(2, widest * 0.6):
            return index
    return None


def _split(source: Callable[[], Iterable[list[Any]]], height: int | None) -> Table:
    """Find the header among the first rows; the data rows stay in the file until read.
    `height` is the sheet's number of rows when the format knows it (else they are counted)."""
    head = [list(row) for row in itertools.islice(source(), HEADER_SEARCH_ROWS)]
    index = find_header(head)
    if index is None:
        raise DomainError("file_empty", _("The file has no rows to import."))
    headers = [nfc(str(cell)) if not is_blank(cell) else "" for cell in head[index]]
    if height is None:
        height = sum(1 for _row in source())
    return Table(headers=headers, header_row=index + 1, source=source, size=height - index - 1)


def auto_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field for the headers recognised; IGNORE columns are left out, and a
    field named twice keeps its first column."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = match_header(header)
        if key and key != IGNORE and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


def unknown_headers(headers: list[str]) -> list[tuple[int, str]]:
    return [(i, h) for i, h in enumerate(headers) if h and match_header(h) is None]


def open_bytes(source: IO[bytes] | bytes) -> bytes:
    return source if isinstance(source, bytes) else source.read()
