"""Spreadsheets are read within bounds: a sheet that declares or holds cells beyond the limits is
refused before it is read, and whatever slips past the check runs out of memory in the reading
child process, never in the server's."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from unionhub.core import spreadsheets
from unionhub.core.errors import DomainError
from unionhub.imports.reader import read_table

HEADER = ["Họ và tên", "Giới tính", "Ngày vào công đoàn"]


def workbook(*cells: tuple[str, object], rows: list[list] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows or [HEADER, ["Lê Văn An", "Nam", "01/02/2020"]]:
        sheet.append(row)
    for ref, value in cells:
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def without_dimension(xml: bytes) -> bytes:
    return re.sub(rb"<dimension[^>]*/>", b"", xml)


def test_a_sheet_holding_a1_and_xfd1048576_is_refused_with_its_extent():
    # Read as it was, this 5 KB file aborted the process asking for ~550 GB.
    with pytest.raises(DomainError) as refused:
        read_table(workbook(("XFD1048576", "x")), "bomb.xlsx")
    assert refused.value.code == "sheet_too_large"
    assert "1.048.576" in str(refused.value.message) and "16384" in str(refused.value.message)


def test_the_real_cells_are_checked_when_no_dimension_is_declared():
    data = rewrite_sheet(workbook(("XFD1048576", "x")), without_dimension)
    with pytest.raises(DomainError) as refused:
        read_table(data, "bomb.xlsx")
    assert refused.value.code == "sheet_too_large"


def test_a_declared_dimension_beyond_the_limits_is_refused_even_if_the_cells_are_few():
    data = rewrite_sheet(
        workbook(),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C900000"', xml),
    )
    with pytest.raises(DomainError) as refused:
        read_table(data, "tall.xlsx")
    assert refused.value.code == "sheet_too_large"


def test_rows_and_columns_over_the_settings_are_refused(settings):
    settings.SPREADSHEET_MAX_ROWS = 50
    settings.SPREADSHEET_MAX_COLUMNS = 30
    rows = [HEADER] + [["Lê Văn An", "Nam", "01/02/2020"]] * 60
    with pytest.raises(DomainError) as tall:
        read_table(workbook(rows=rows), "tall.xlsx")
    assert tall.value.code == "sheet_too_large"
    with pytest.raises(DomainError) as wide:
        read_table(workbook(("AE2", "x")), "wide.xlsx")
    assert wide.value.code == "sheet_too_large"
    csv_rows = "\n".join([",".join(HEADER)] + ["Lê Văn An,Nam,01/02/2020"] * 60)
    with pytest.raises(DomainError) as long_csv:
        read_table(csv_rows.encode(), "tall.csv")
    assert long_csv.value.code == "sheet_too_large"
    wide_csv = ",".join(HEADER) + "\n" + "x," * 40
    with pytest.raises(DomainError) as wide_csv_error:
        list(read_table(wide_csv.encode(), "wide.csv").rows)
    assert wide_csv_error.value.code == "sheet_too_large"


def test_a_sheet_that_slips_past_the_check_runs_out_of_memory_in_the_child_only():
    # Cells without a reference take the next column: 16,384 of them in one row and a cell on
    # row 199,999 make calamine ask for ~100 GB, though no reference is out of bounds.
    def wide_positional_row(xml: bytes) -> bytes:
        row = b'<row r="3">' + b'<c t="n"><v>1</v></c>' * 16384 + b"</row>"
        far = b'<row r="199999"><c r="A199999" t="n"><v>1</v></c></row>'
        return without_dimension(xml).replace(b"</sheetData>", row + far + b"</sheetData>")

    data = rewrite_sheet(workbook(), wide_positional_row)
    with pytest.raises(DomainError) as refused:
        read_table(data, "positional.xlsx")
    assert refused.value.code == "sheet_unreadable_in_bounds"
    # This process is alive and reads the next file.
    assert read_table(workbook(), "fine.xlsx").headers == HEADER


def test_a_sheet_within_bounds_reads_every_row_each_time_it_is_read():
    rows = [["Tiêu đề"], HEADER] + [[f"Người {i}", "Nữ", "01/02/2020"] for i in range(2500)]
    table = read_table(workbook(rows=rows), "many.xlsx")
    assert (table.header_row, table.size) == (2, 2500)
    first = list(table.rows)
    assert len(first) == 2500 and first[0] == (3, ["Người 0", "Nữ", "01/02/2020"])
    assert list(table.rows) == first


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message():
    with pytest.raises(DomainError) as refused:
        read_table(b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert refused.value.code == "file_unreadable"


def test_headers_match_folded_and_without_punctuation():
    matcher = spreadsheets.HeaderMatcher({"full_name": ("Họ và tên",)}, ignored=("STT",))
    assert matcher.match("HỌ  VÀ TÊN (*)") == "full_name"
    assert matcher.match("Hovà tên") == "full_name"
    assert matcher.match("stt") == spreadsheets.IGNORE
    assert matcher.match("Ghi chú") is None


# Excel's "Unicode Text" (*.txt): UTF-16 little-endian with its byte-order mark, tab-separated.
UNICODE_TEXT = "Họ và tên\tGiới tính\tNgày vào công đoàn\r\nĐặng Thị Ánh\tNữ\t01/02/2020\r\n"


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "danh-sach.txt"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "danh-sach.csv"),
    ],
)
def test_utf16_tab_separated_text_is_read_like_any_csv(bom, codec, name):
    table = read_table(bom + UNICODE_TEXT.encode(codec), name)
    assert table.encoding == "utf-16"
    assert table.headers == HEADER
    assert [row for _number, row in table.rows] == [["Đặng Thị Ánh", "Nữ", "01/02/2020"]]


def test_a_broken_utf16_file_is_refused_with_a_message():
    with pytest.raises(DomainError) as refused:
        read_table(codecs.BOM_UTF16_LE + "Họ và tên".encode("utf-16-le") + b"\x00\xdc", "x.txt")
    assert refused.value.code == "file_unreadable"


def test_a_control_character_in_a_header_does_not_hide_the_column():
    table = read_table("Họ và tên,Giới tính\x07,Ghi chú\x07\nLê An,Nam,a\n".encode(), "x.csv")
    assert table.headers == ["Họ và tên", "Giới tính", "Ghi chú"]
