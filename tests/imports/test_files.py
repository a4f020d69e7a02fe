"""The nasty files officers send, each checked (dry run) and imported with exact counts and
messages. The files and what they hold: tests/imports/files/make_files.py."""

from __future__ import annotations

import datetime as dt

import pytest

from unionhub.members.models import Member, Transfer, TransferStatus

pytestmark = pytest.mark.django_db


def messages(outcome, severity=None):
    return [
        (p.row, p.letter, p.message)
        for p in outcome.analysis.problems
        if severity is None or p.severity == severity
    ]


def counts(outcome, **expected):
    base = dict.fromkeys(
        ("new", "updated", "unchanged", "transfer", "errors", "warnings", "blank_rows"), 0
    )
    return {**base, **expected}


def test_nfd_names_are_stored_nfc_and_found_by_search(check, commit, tree):
    outcome = check("nfd_names.xlsx")
    assert outcome.counts == {**counts(outcome, new=2, warnings=1), "rows": 2}
    assert messages(outcome) == [
        (3, "C", "Only the year is known: the date is taken as 01/01/1979.")
    ]
    commit("nfd_names.xlsx")
    nhung = Member.objects.get(id_number="042188000101")
    assert nhung.full_name == "Nguyễn Thị Hồng Nhung"  # NFC, not the file's NFD
    assert nhung.gender == "female" and nhung.birth_date == dt.date(1988, 3, 12)
    toan = Member.objects.get(id_number="042079000102")
    assert toan.full_name == "Trần Đức Toàn"  # spaces trimmed and collapsed
    assert toan.birth_date == dt.date(1979, 1, 1) and toan.joined == dt.date(2010, 9, 1)
    assert Member.objects.get(name_folded="nguyen thi hong nhung") == nhung


def test_numeric_ids_restored_to_twelve_digits_with_a_warning(check, commit):
    outcome = check("numeric_ids.xlsx")
    assert outcome.counts == {**counts(outcome, new=2, errors=1, warnings=2), "rows": 3}
    assert messages(outcome) == [
        (
            2,
            "E",
            "The document number was stored as a number and lost its leading zero: 42090000201 "
            "was read as 042090000201. Check it, and format the column as Text.",
        ),
        (
            3,
            "E",
            "The document number was stored as a number and lost its leading zero: 1192000202 "
            "was read as 001192000202. Check it, and format the column as Text.",
        ),
        (
            4,
            "E",
            "The citizen ID 99085000203 has 11 digits instead of 12. If Excel dropped its "
            "leading zeros, format the column as Text and type the number again.",
        ),
    ]
    commit("numeric_ids.xlsx")
    an = Member.objects.get(id_number="042090000201")
    assert an.phone == "0912000201"  # the phone lost its 0 as a number too
    assert Member.objects.get(id_number="001192000202").phone == "0912000202"  # +84 → 0


def test_title_rows_and_merged_cells_above_the_header_are_skipped(check, commit):
    outcome = check("merged_title.xlsx")
    assert outcome.analysis.table.header_row == 4
    assert outcome.counts == {**counts(outcome, new=2), "rows": 2}
    assert [plan.number for plan in outcome.analysis.rows] == [5, 6]
    commit("merged_title.xlsx")
    em = Member.objects.get(id_number="042087000302")
    assert em.birth_date == dt.date(1987, 5, 4)  # d/m/yy
    assert em.joined == dt.date(2012, 9, 1)


def test_duplicate_rows_within_a_file(check, commit):
    outcome = check("duplicates.xlsx")
    assert outcome.counts == {
        **counts(outcome, new=2, unchanged=1, errors=1, warnings=1),
        "rows": 4,
    }
    assert messages(outcome) == [
        (3, "", "Same as row 2; imported once."),
        (5, "E", "Row 4 has the same person with different details. Keep one row per person."),
    ]
    commit("duplicates.xlsx")
    assert Member.objects.filter(id_number="042090000401").count() == 1
    assert Member.objects.get(id_number="042191000402").full_name == "Ngô Thị Hà"


def test_person_active_elsewhere_becomes_a_transfer_request(check, commit, admit, tree):
    khoa = admit(unit=tree.grassroots_b1, full_name="Đinh Văn Khoa", id_number="042090000501")
    outcome = check("active_elsewhere.xlsx")
    assert outcome.counts == {**counts(outcome, new=1, transfer=1), "rows": 2}
    assert messages(outcome, "info") == [
        (
            2,
            "E",
            # The registrar of the other district cannot see Khoa: no name, no union.
            "This document belongs to an active member of another union: a transfer to "
            "Công đoàn Trường THCS Tùng Ảnh will be requested; the member stays in their union "
            "until it is accepted.",
        )
    ]
    commit("active_elsewhere.xlsx")
    assert Member.objects.filter(id_number="042090000501").count() == 1  # never a duplicate
    khoa.refresh_from_db()
    assert khoa.unit == tree.grassroots_b1
    transfer = Transfer.objects.get(member=khoa)
    assert (transfer.from_unit, transfer.to_unit) == (tree.grassroots_b1, tree.grassroots_a1)
    assert transfer.status == TransferStatus.PENDING and transfer.requested_by_receiver
    again = check("active_elsewhere.xlsx")
    assert again.counts == {**counts(again, unchanged=2, warnings=1), "rows": 2}
    assert messages(again, "warning") == [
        (
            2,
            "E",
            "This document belongs to a member of another union who already has a transfer "
            "waiting for an answer.",
        )
    ]


def test_blank_rows_are_ignored(check):
    outcome = check("blank_rows.xlsx")
    assert outcome.counts == {**counts(outcome, new=2, blank_rows=2), "rows": 2}
    assert [plan.number for plan in outcome.analysis.rows] == [2, 5]


def test_formulas_are_read_as_their_values(check, commit):
    outcome = check("formulas.xlsx")
    assert outcome.counts == {**counts(outcome, new=1), "rows": 1}
    assert outcome.analysis.ignored == ["Họ đệm", "Tên"]
    commit("formulas.xlsx")
    quang = Member.objects.get(id_number="042090000701")
    assert quang.full_name == "Phan Văn Quang"
    assert quang.birth_date == dt.date(1990, 10, 20)


def test_csv_in_the_windows_vietnamese_code_page(check, commit):
    outcome = check("cp1258.csv")
    assert outcome.analysis.table.encoding == "cp1258"
    assert outcome.analysis.ignored == []
    assert outcome.counts == {**counts(outcome, new=2), "rows": 2}
    commit("cp1258.csv")
    tuyet = Member.objects.get(id_number="042189000801")
    assert tuyet.full_name == "Trương Thị Ánh Tuyết"
    assert tuyet.home_town == "Đức Thọ, Hà Tĩnh"
    assert tuyet.gender == "female" and tuyet.phone == "0912000801"
    assert Member.objects.get(id_number="042080000802").full_name == "Dương Văn Sỹ"


def test_csv_utf8_with_bom_and_english_headers(check, commit):
    outcome = check("utf8_bom.csv")
    assert outcome.analysis.table.encoding == "utf-8-sig"
    assert outcome.counts == {**counts(outcome, new=1), "rows": 1}
    commit("utf8_bom.csv")
    assert Member.objects.get(id_number="042194000901").full_name == "Đỗ Thị Uyên"


def test_every_kind_of_error_explained_with_row_and_column(check, commit):
    outcome = check("errors.xlsx")
    assert outcome.counts == {**counts(outcome, new=1, errors=6), "rows": 7}
    assert messages(outcome) == [
        (2, "C", "“31/02/1990” is not a date. Write it as dd/mm/yyyy, for example 17/05/1990."),
        (3, "D", "“Không rõ” is not a gender. Write Nam or Nữ."),
        (4, "E", "A citizen ID (CCCD) has exactly 12 digits."),
        (5, "B", "A new member needs “Họ và tên”; this cell is empty."),
        (6, "G", "A new member needs “Ngày vào công đoàn”; this cell is empty."),
        (
            7,
            "C",
            "The union join date 01/01/2020 is before the member could work: born on "
            "01/01/2012, they were not yet 15. Check both dates.",
        ),
    ]
    before = Member.objects.count()
    commit("errors.xlsx")
    assert Member.objects.count() == before + 1
    assert Member.objects.filter(full_name="Ông Thị Êm").exists()
