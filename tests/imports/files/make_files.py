"""Writes the fixture files of tests/imports (committed; run again only to change them):

    .venv/bin/python tests/imports/files/make_files.py

Every file holds people of the `tree` fixture's grassroots union HT-DT-0001 unless noted. The
tests assert exact counts and messages against these contents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại",
           "Ngày vào công đoàn"]  # fmt: skip


def book(rows, *, title_rows=(), merge=None, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for row in title_rows:
        sheet.append(row)
    if merge:
        for span in merge:
            sheet.merge_cells(span)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    return workbook


def save(workbook, name, cached=None):
    """Save; `cached` gives formula cells their last computed value, as Excel stores it
    (openpyxl writes formulas without one)."""
    path = HERE / name
    workbook.save(path)
    if cached:
        data = {}
        with zipfile.ZipFile(path) as source:
            for item in source.infolist():
                data[item.filename] = source.read(item.filename)
        xml = data["xl/worksheets/sheet1.xml"].decode()
        for ref, value in cached.items():
            kind = ' t="str"' if isinstance(value, str) else ""
            xml = re.sub(
                rf'<c r="{ref}"( [^>]*)?><f>(.*?)</f><v\s*/>',
                lambda m, ref=ref, kind=kind, value=value: (
                    f'<c r="{ref}"{kind}><f>{m.group(2)}</f><v>{value}</v>'
                ),
                xml,
            )
        data["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name_, content in data.items():
                target.writestr(name_, content)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: precomposed base letters where the code page
    has them, tone marks as combining characters."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in list(marks):
            joined = unicodedata.normalize("NFC", base + mark)
            try:
                joined.encode("cp1258")
            except UnicodeEncodeError:
                continue
            base = joined
            marks.remove(mark)
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return bytes(out)


def main() -> None:
    # 1. Names in NFD (as some systems export them), one with extra spaces.
    save(
        book(
            [
                [1, nfd("Nguyễn Thị Hồng Nhung"), "12/03/1988", nfd("Nữ"), "042188000101",
                 "0912000101", "01/06/2015"],
                [2, nfd("  Trần   Đức Toàn "), "1979", "Nam", "042079000102", "", "2010-09-01"],
            ]
        ),
        "nfd_names.xlsx",
    )  # fmt: skip
    # 2. ID numbers typed into number cells: the leading zero is gone (and one is hopeless).
    save(
        book(
            [
                [1, "Lê Văn An", dt.date(1990, 5, 17), "Nam", 42090000201, 912000201,
                 dt.date(2016, 4, 1)],
                [2, "Phạm Thị Bình", dt.date(1992, 7, 8), "Nữ", 1192000202, "+84 912 000 202",
                 dt.date(2017, 4, 1)],
                [3, "Hoàng Văn Cường", dt.date(1985, 1, 2), "Nam", 99085000203, "",
                 dt.date(2012, 4, 1)],
            ]
        ),
        "numeric_ids.xlsx",
    )  # fmt: skip
    # 3. Title rows above the header, merged across the sheet, as federation forms have them.
    save(
        book(
            [
                [1, "Võ Thị Dung", "03/04/1991", "Nữ", "042191000301", "0912000301",
                 "15/08/2014"],
                [2, "Đặng Văn Em", "4/5/87", "Nam", "042087000302", "0912000302", "1/9/12"],
            ],
            title_rows=[
                ["LIÊN ĐOÀN LAO ĐỘNG HUYỆN ĐỨC THỌ"],
                ["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN TRƯỜNG THCS TÙNG ẢNH"],
                [],
            ],
            merge=["A1:G1", "A2:G2"],
        ),
        "merged_title.xlsx",
    )  # fmt: skip
    # 4. Duplicates within the file: row 3 repeats row 2 exactly, row 5 reuses row 4's
    #    document with another name.
    save(
        book(
            [
                [1, "Bùi Văn Giang", "01/01/1990", "Nam", "042090000401", "", "01/01/2015"],
                [2, "Bùi Văn Giang", "01/01/1990", "Nam", "042090000401", "", "01/01/2015"],
                [3, "Ngô Thị Hà", "02/02/1991", "Nữ", "042191000402", "", "01/01/2015"],
                [4, "Ngô Thị Hạnh", "02/02/1991", "Nữ", "042191000402", "", "01/01/2015"],
            ]
        ),
        "duplicates.xlsx",
    )  # fmt: skip
    # 5. A person already active in another unit (the test admits 042090000501 to
    #    HT-CL-0001 first), next to a new one.
    save(
        book(
            [
                [1, "Đinh Văn Khoa", "05/05/1990", "Nam", "042090000501", "", "01/01/2018"],
                [2, "Lý Thị Lan", "06/06/1993", "Nữ", "042193000502", "", "01/01/2019"],
            ]
        ),
        "active_elsewhere.xlsx",
    )  # fmt: skip
    # 6. Blank rows between and after the data (and a row of spaces).
    save(
        book(
            [
                [1, "Mai Văn Minh", "07/07/1990", "Nam", "042090000601", "", "01/01/2015"],
                [],
                [None, " ", None, "", None, None, None],
                [2, "Mai Thị Ngọc", "08/08/1991", "Nữ", "042191000602", "", "01/01/2015"],
                [],
                [],
            ]
        ),
        "blank_rows.xlsx",
    )  # fmt: skip
    # 7. Formulas: the name is built from two columns, the date of birth computed.
    formulas = book(
        [
            [1, "=H2&\" \"&I2", "=DATE(1990,10,20)", "Nam", "042090000701", "", "01/01/2015",
             "Phan Văn", "Quang"],
        ],
        headers=[*HEADERS, "Họ đệm", "Tên"],
    )  # fmt: skip
    save(formulas, "formulas.xlsx", cached={"B2": "Phan Văn Quang", "C2": 33166})
    # 8. CSV in the Windows Vietnamese code page, semicolon-separated, headers as officers
    #    type them ("Ho ten" without diacritics, "Full name"-style synonyms).
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["TT", "Ho ten", "Ngay sinh", "Gioi tinh", "So CMND/CCCD", "Dien thoai",
                     "Ngày kết nạp", "Quê quán"])  # fmt: skip
    writer.writerow([1, "Trương Thị Ánh Tuyết", "09/09/1989", "F", "042189000801",
                     "0912 000 801", "02/03/2014", "Đức Thọ, Hà Tĩnh"])  # fmt: skip
    writer.writerow([2, "Dương Văn Sỹ", "10/10/1980", "M", "042080000802", "",
                     "03/04/2012", "Hương Sơn, Hà Tĩnh"])  # fmt: skip
    (HERE / "cp1258.csv").write_bytes(cp1258(text.getvalue()))
    # 9. UTF-8 with BOM (what Excel's "CSV UTF-8" writes), English headers.
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["Full name", "Date of birth", "Gender", "ID number", "Joined"])
    writer.writerow(["Đỗ Thị Uyên", "1994-11-12", "Female", "042194000901", "2020-01-15"])
    (HERE / "utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    # 10. Headers nobody recognises: the column-mapping step.
    save(
        book(
            [[1, "Hồ Văn Vinh", "12/12/1990", "Nam", "042090001001", "", "01/02/2016"]],
            headers=["Số", "Cột A", "Cột B", "Cột C", "Cột D", "Cột E", "Cột F"],
        ),
        "unknown_headers.xlsx",
    )
    # 11. Errors of every kind, one per row, for the error report.
    save(
        book(
            [
                [1, "Kiều Văn Xuân", "31/02/1990", "Nam", "042090001101", "", "01/01/2015"],
                [2, "Tạ Thị Yến", "01/01/1990", "Không rõ", "042190001102", "", "01/01/2015"],
                [3, "Lục Văn Bảo", "01/01/1990", "Nam", "04209000", "", "01/01/2015"],
                [4, "", "01/01/1990", "Nam", "042090001104", "", "01/01/2015"],
                [5, "Âu Thị Cúc", "01/01/1990", "Nữ", "042190001105", "", ""],
                [6, "Thân Văn Đạt", "01/01/2012", "Nam", "042212001106", "", "01/01/2020"],
                [7, "Ông Thị Êm", "01/01/1990", "Nữ", "042190001107", "", "01/01/2015"],
            ]
        ),
        "errors.xlsx",
    )  # fmt: skip
    existing_list()


def existing_list() -> None:
    """12. A commune union's existing list, as kept for years before the union itself was
    founded on 01/07/2025: union join dates 1992–2019, joined at earlier workplaces. Rows 11 and
    12 are wrong (a join date before the member could work; the year alone)."""
    title = [["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN XÃ ĐỨC THỌ"], ["(kèm theo Công văn số 15/CĐX)"]]
    headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Số điện thoại",
        "Nghề nghiệp",
        "Ngày vào Công đoàn",
    ]
    save(
        book(
            [
                [1, "Nguyễn Văn Hùng", "14/02/1968", "Nam", "042068001201", "0912001201",
                 "Giáo viên", "05/09/1992"],
                [2, "Trần Thị Thu Hà", "23/11/1972", "Nữ", "042172001202", "0912001202",
                 "Y sĩ", "01/03/1996"],
                [3, "Lê Đức Thắng", "02/07/1975", "Nam", "042075001203", "", "Cán bộ xã",
                 "15/06/1998"],
                [4, "Phạm Thị Hương", dt.date(1978, 1, 30), "Nữ", "042178001204", "0912001204",
                 "Kế toán", dt.date(2001, 10, 20)],
                [5, "Hoàng Văn Long", "19/05/1980", "Nam", "042080001205", "", "Công chức",
                 "01/08/2005"],
                [6, "Võ Thị Ngọc Ánh", "08/08/1985", "Nữ", "042185001206", "0912001206",
                 "Giáo viên mầm non", "12/09/2008"],
                [7, "Đặng Quang Minh", "27/03/1988", "Nam", "042088001207", "", "Kỹ sư",
                 "03/01/2011"],
                [8, "Bùi Thị Lan", "16/10/1990", "Nữ", "042190001208", "0912001208",
                 "Điều dưỡng", "20/04/2014"],
                [9, "Hồ Sỹ Tuấn", "05/12/1993", "Nam", "042093001209", "", "Công an xã",
                 "01/07/2017"],
                [10, "Ngô Thị Yến", "11/06/1996", "Nữ", "042196001210", "0912001210",
                 "Văn thư", "09/12/2019"],
                [11, "Dương Văn Tài", "01/09/2006", "Nam", "042206001211", "", "Công nhân",
                 "01/05/2016"],
                [12, "Lý Thị Mai", "04/04/1982", "Nữ", "042182001212", "", "Giáo viên",
                 "2016"],
            ],
            title_rows=title,
            headers=headers,
        ),
        "existing_list_commune.xlsx",
    )  # fmt: skip


if __name__ == "__main__":
    main()
