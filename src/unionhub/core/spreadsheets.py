"""Reading an uploaded spreadsheet into rows, within bounds: XLSX (and the other formats calamine
reads) and CSV in any of the encodings Vietnamese offices produce; finding the header row below
title rows; matching headers to fields by their folded words. Every import reads through here.

Bounds: calamine allocates a sheet's whole used range at once (an .xlsx holding only A1 and
XFD1048576 asks for ~550 GB, and the failed allocation aborts the process). So, before any
reading, the sheets' declared dimension and the real cell references in their XML are checked
against SPREADSHEET_MAX_ROWS and SPREADSHEET_MAX_COLUMNS; and the reading itself runs in a child
process under a memory limit (core.sheet_child), so that whatever the file slips past the check
costs that child only, never the web server's or the worker's process.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import fcntl
import io
import itertools
import logging
import os
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from unionhub.core import sheet_child
from unionhub.core.errors import DomainError
from unionhub.core.text import fold, nfc

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
HEADER_SEARCH_ROWS = 30  # title rows, merged banners and notes above the header fit in these
IGNORE = ""  # HeaderMatcher.match of a column recognised and deliberately not imported
# The reading child's CPU time: a 70,000-row sheet takes a few seconds.
READ_CPU_SECONDS = 300
_SCAN_CHUNK = 1 << 20
PIPE_BYTES = 1 << 20
logger = logging.getLogger(__name__)


# Headers --------------------------------------------------------------------------------

_PARENTHESES = re.compile(r"\(.*?\)|\[.*?\]|\*")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def header_key(header: object) -> str:
    """The comparable form of a header: folded, without notes in parentheses, required-field
    stars and punctuation, with single spaces: "Họ và tên (*)" → "ho va ten"."""
    folded = fold(_PARENTHESES.sub(" ", str(header or "")))
    return _NOT_WORD.sub(" ", folded).strip()


def _compact(key: str) -> str:
    return key.replace(" ", "")


class HeaderMatcher:
    """Which field a header names, from each field's names (the template's header and the
    synonyms officers write instead), compared folded, without punctuation and spacing:
    "Hovà tên", "Họ  và tên" and "HỌ VÀ TÊN (*)" all name the same field."""

    def __init__(self, names: Mapping[str, Iterable[str]], *, ignored: Iterable[str] = ()) -> None:
        self._lookup: dict[str, str] = {}
        for key, key_names in names.items():
            for name in key_names:
                self._lookup[_compact(header_key(name))] = key
        for name in ignored:
            self._lookup[_compact(header_key(name))] = IGNORE

    def match(self, header: object) -> str | None:
        """The field a header names; IGNORE for known columns not imported; None if unknown."""
        key = header_key(header)
        if not key:
            return None
        return self._lookup.get(_compact(key))

    def recognised(self, row: list[Any]) -> int:
        return sum(1 for cell in row if isinstance(cell, str) and self.match(cell) is not None)


# Problems ---------------------------------------------------------------------------------


@dataclass
class ImportProblem:
    """One cell that stops an import: its sheet row, the column's header and why."""

    row: int
    column: str
    message: str


class ImportRejected(DomainError):
    """Nothing was imported; `problems` says which cell is wrong and why. Imports that check
    every row before writing any (delegates, payrolls) raise it, so the officer fixes the file
    once."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(
            "import_rejected",
            _("Nothing was imported: %(count)d problem(s) in the file.") % {"count": len(problems)},
        )
        self.problems = problems


# Tables ---------------------------------------------------------------------------------


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


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


def limits() -> tuple[int, int]:
    """(rows, columns) a sheet may span: the settings SPREADSHEET_MAX_ROWS and _COLUMNS."""
    return settings.SPREADSHEET_MAX_ROWS, settings.SPREADSHEET_MAX_COLUMNS


def _too_large(rows: int, columns: int) -> DomainError:
    max_rows, max_columns = limits()
    return DomainError(
        "sheet_too_large",
        _(
            "The sheet reaches row %(rows)s and column %(columns)s; at most %(max_rows)s rows "
            "and %(max_columns)s columns can be read. Delete the rows and columns beyond your "
            "data (or copy the data into a new workbook) and upload it again."
        )
        % {
            "rows": f"{rows:,}".replace(",", "."),
            "columns": columns,
            "max_rows": f"{max_rows:,}".replace(",", "."),
            "max_columns": max_columns,
        },
    )


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding: a byte-order mark says UTF-8 or UTF-16 (Excel's "Unicode
    Text", tab-separated, is UTF-16 LE with its mark), valid UTF-8 is UTF-8, anything else is
    the Windows Vietnamese code page (cp1258), whose combining tone marks NFC later joins."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), "utf-16"
            except UnicodeDecodeError as error:
                raise _unreadable(error) from None
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
    _max_rows, max_columns = limits()

    def rows() -> Iterable[list[Any]]:
        try:
            for number, row in enumerate(csv.reader(io.StringIO(content, newline=""), dialect)):
                if len(row) > max_columns:
                    raise _too_large(number + 1, len(row))
                yield row
        except csv.Error as error:
            raise DomainError(
                "file_unreadable",
                _("This file cannot be read as CSV (%(error)s). Save it as .xlsx or .csv.")
                % {"error": str(error)[:120]},
            ) from None

    return rows, encoding


# The declared extent of a sheet (<dimension ref="A1:T70001"/>), and the references of its
# cells and rows (r="XFD1048576", r="70001") long enough to pass a limit. The pattern starts
# with a literal space so that the regular expression engine skips ahead in C (spreadsheet
# writers separate attributes with one space; a file that does not is still read under the
# child's memory limit).
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']+)[\"']")
_REFERENCE = r" r\s*=\s*[\"'](?:([A-Z]{%d,3})(\d*)|[A-Z]{0,3}(\d{%d,}))[\"']"
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def _extent(ref: str) -> tuple[int, int]:
    """(rows, columns) up to the bottom-right cell of a range such as "A1:XFD1048576"."""
    match = _CELL.fullmatch(ref.split(":")[-1].strip().upper())
    if match is None:
        return 0, 0
    return int(match[2]), column_index_from_string(match[1])


def check_bounds(data: bytes) -> None:
    """DomainError when a sheet of the workbook in `data` declares or holds cells beyond the
    limits. Reads the sheets' XML as a stream, never all of it at once; only references long
    enough to break a limit are looked at closely, so a sheet within bounds costs one scan in C.
    Files that are not an XLSX package are left to the reader (and its memory limit)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    max_rows, max_columns = limits()
    letters, digits = len(get_column_letter(max_columns)), len(str(max_rows))
    references = re.compile((_REFERENCE % (letters, digits)).encode())
    with package:
        for info in package.infolist():
            name = info.filename
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            rows = columns = 0
            try:
                with package.open(info) as stream:
                    tail = b""
                    first = True
                    while chunk := stream.read(_SCAN_CHUNK):
                        text = tail + chunk
                        if first and (declared := _DIMENSION.search(text)):
                            rows, columns = _extent(declared[1].decode("ascii", "replace"))
                            if rows > max_rows or columns > max_columns:
                                raise _too_large(rows, columns)
                        first = False
                        for wide, wide_row, long_row in references.findall(text):
                            if wide:
                                columns = max(columns, column_index_from_string(wide.decode()))
                            row = wide_row or long_row
                            if row:
                                rows = max(rows, int(row))
                        if rows > max_rows or columns > max_columns:
                            raise _too_large(rows, columns)
                        # A reference cut in two by the chunk boundary is whole in the next.
                        tail = chunk[-32:]
            except (zipfile.BadZipFile, zlib.error) as error:
                raise _unreadable(error) from None


def _unreadable(error: BaseException | str) -> DomainError:
    return DomainError(
        "file_unreadable",
        _("This file cannot be read as a spreadsheet (%(error)s). Save it as .xlsx or .csv.")
        % {"error": str(error)[:120]},
    )


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    """A pipe of a child started with PIPE: Popen types it optional for children without one."""
    if stream is None:
        raise RuntimeError("the spreadsheet reader was started without this pipe")
    return stream


class _SheetStream:
    """The rows core.sheet_child sends, read from its pipe as the import asks for them (the
    child converts the next rows on the other core meanwhile) and kept in a temporary file, so
    that each reading of the sheet (the header search, then the rows) may start again from the
    first row."""

    def __init__(self, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
        self.process, self.log = process, log
        self.stdout = _pipe(process.stdout)
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the finalizer
        self.offsets: list[int] = []  # where each batch received so far starts in the spool
        self.finished = False
        self.lock = threading.Lock()
        weakref.finalize(self, _SheetStream._end, process, self.spool, log)

    def receive(self) -> Any:
        """The next frame from the child; DomainError when it died before sending it."""
        length = self.stdout.read(sheet_child.LENGTH_BYTES)
        frame = self.stdout.read(int.from_bytes(length, "little")) if length else b""
        if len(length) < sheet_child.LENGTH_BYTES or not frame:
            code = self.process.wait()
            self.log.seek(0)
            logger.warning("spreadsheet reader ended with %s: %s", code, self.log.read()[-2000:])
            raise _out_of_bounds()
        return frame

    def batch(self, index: int) -> list[list[Any]] | None:
        """Rows of the `index`-th batch (None after the last)."""
        with self.lock:
            if index < len(self.offsets):
                self.spool.seek(self.offsets[index])
                stored: list[list[Any]] = pickle.load(self.spool)
                return stored
            if self.finished:
                return None
            frame = self.receive()
            rows: list[list[Any]] | None = pickle.loads(frame)
            if rows is None:
                self.finished = True
                self.process.wait()
                return None
            self.spool.seek(0, io.SEEK_END)
            self.offsets.append(self.spool.tell())
            self.spool.write(frame)
            return rows

    @staticmethod
    def _end(process: subprocess.Popen[bytes], spool: IO[bytes], log: IO[bytes]) -> None:
        if process.poll() is None:
            process.kill()
            process.wait()
        _pipe(process.stdout).close()
        spool.close()
        log.close()


def _sheet_rows(data: bytes) -> tuple[Callable[[], Iterable[list[Any]]], str, int]:
    """The first visible sheet, read by core.sheet_child."""
    memory = settings.SPREADSHEET_READ_MEMORY_MB * 1024 * 1024
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the stream
    process = subprocess.Popen(
        [sys.executable, "-m", "unionhub.core.sheet_child", str(memory), str(READ_CPU_SECONDS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    # A larger pipe lets the child convert a batch or so ahead of the import (Linux only).
    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(_pipe(process.stdout).fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    stream = _SheetStream(process, log)
    try:
        stdin = _pipe(process.stdin)
        stdin.write(data)
        stdin.close()
    except BrokenPipeError:
        pass  # the child is gone: receive() says so
    try:
        # While the child parses (on the other core): nothing it sends is taken before the
        # sheets are known to be within bounds, and a sheet beyond them costs the child only.
        check_bounds(data)
    except BaseException:
        process.kill()
        raise
    head = pickle.loads(stream.receive())
    if head[0] == "error":
        raise _unreadable(head[1])
    _kind, name, start_row, start_column, height = head
    # calamine starts at the first used cell; put back the empty rows and columns before it so
    # row and column numbers are the ones the officer sees in Excel.
    pad = [""] * start_column

    def rows() -> Iterable[list[Any]]:
        yield from ([] for _ in range(start_row))
        for index in itertools.count():
            batch = stream.batch(index)
            if batch is None:
                return
            if pad:
                batch = [pad + row for row in batch]
            yield from batch

    return rows, name, start_row + height


def _out_of_bounds() -> DomainError:
    return DomainError(
        "sheet_unreadable_in_bounds",
        _(
            "This spreadsheet needs more memory or time to read than an upload may take "
            "(%(mb)s MB). Delete the empty rows, columns and sheets beyond your data, or save "
            "it as CSV, and upload it again."
        )
        % {"mb": settings.SPREADSHEET_READ_MEMORY_MB},
    )


def read_table(data: bytes, filename: str, *, matcher: HeaderMatcher) -> Table:
    """Read `data` (the uploaded file's bytes) into a Table, the header found with `matcher`;
    DomainError if it is not a spreadsheet, has no header row or is beyond the limits."""
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
    table = _split(rows, height, matcher)
    table.encoding, table.sheet = encoding, sheet
    return table


def _filled(row: list[Any]) -> int:
    return sum(1 for cell in row if not is_blank(cell))


def _blank(row: list[Any]) -> bool:
    # Stops at the first filled cell: the first or second of almost every row.
    return not any(not is_blank(cell) for cell in row)


def find_header(head: list[list[Any]], matcher: HeaderMatcher) -> int | None:
    """Index of the header row among the first rows: the first row naming at least two known
    columns; failing that, the first row nearly as wide as the widest (title rows and merged
    banners fill one cell, a header fills most). None when the rows are empty."""
    for index, row in enumerate(head):
        if matcher.recognised(row) >= 2:
            return index
    widest = max((_filled(row) for row in head), default=0)
    if widest == 0:
        return None
    for index, row in enumerate(head):
        if _filled(row) >= max(2, widest * 0.6):
            return index
    return None


def _split(
    source: Callable[[], Iterable[list[Any]]], height: int | None, matcher: HeaderMatcher
) -> Table:
    """Find the header among the first rows; the data rows stay in the file until read.
    `height` is the sheet's number of rows when the format knows it (else they are counted)."""
    head = [list(row) for row in itertools.islice(source(), HEADER_SEARCH_ROWS)]
    index = find_header(head, matcher)
    if index is None:
        raise DomainError("file_empty", _("The file has no rows to import."))
    headers = [nfc(str(cell)) if not is_blank(cell) else "" for cell in head[index]]
    if height is None:
        height = sum(1 for _row in source())
    max_rows, _max_columns = limits()
    if height > max_rows:
        raise _too_large(height, len(headers))
    return Table(headers=headers, header_row=index + 1, source=source, size=height - index - 1)
