import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.finance.helpers import collect
from unionhub.core.errors import DomainError
from unionhub.core.spreadsheets import ImportRejected
from unionhub.finance.models import SalaryBase
from unionhub.finance.payroll import payroll_import

MONTH = dt.date(2025, 7, 1)


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("luong.csv", text.encode("utf-8"))


def test_import_by_member_number_and_by_cccd(tree, admit):
    first, second = admit(), admit()
    file = _csv(f"Mã đoàn viên,Số CCCD,Lương\n{first.pk},,8.500.000\n,{second.id_number},6200000\n")
    result = payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert (result.rows, result.total) == (2, 14_700_000)
    assert dict(SalaryBase.objects.values_list("member_id", "amount")) == {
        first.pk: 8_500_000,
        second.pk: 6_200_000,
    }


def test_dry_run_writes_nothing(tree, admit):
    member = admit()
    file = _csv(f"Mã đoàn viên,Lương\n{member.pk},5000000\n")
    result = payroll_import(
        unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin, dry_run=True
    )
    assert result.rows == 1 and result.dry_run
    assert not SalaryBase.objects.exists()


def test_problems_are_reported_per_row_and_nothing_is_half_written(tree, admit):
    member, other_union = admit(), admit(unit=tree.grassroots_b1)
    file = _csv(
        "Mã đoàn viên,Số CCCD,Lương\n"
        f"{member.pk},,7000000\n"
        f"{other_union.pk},,7000000\n"
        ",042099999999,7000000\n"
        f"{member.pk},,7000000\n"
        f",{member.id_number},-5\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert [(p.row, p.column) for p in rejected.value.problems] == [
        (3, "Mã đoàn viên"),
        (4, "Số CCCD"),
        (5, "Mã đoàn viên"),
        (6, "Số CCCD"),
    ]
    assert "Không có đoàn viên" in rejected.value.problems[0].message
    assert not SalaryBase.objects.exists()


def test_absurd_salary_is_refused(tree, admit):
    member = admit()
    file = _csv(f"Mã đoàn viên,Lương\n{member.pk},85000000000\n")
    with pytest.raises(ImportRejected) as rejected:
        payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert "không phải mức lương tháng hợp lý" in rejected.value.problems[0].message


def test_a_posted_month_cannot_be_imported_again(tree, admit):
    member = admit()
    collect(tree.grassroots_a1, MONTH, {member: 5_000_000}, tree.admin)
    file = _csv(f"Mã đoàn viên,Lương\n{member.pk},6000000\n")
    with pytest.raises(DomainError) as error:
        payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert error.value.code == "month_posted"
    assert SalaryBase.objects.get().amount == 5_000_000


def test_missing_salary_column_is_named(tree, admit):
    with pytest.raises(ImportRejected) as rejected:
        file = _csv("Mã đoàn viên,Họ và tên\n1,An\n")
        payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert rejected.value.problems[0].column == "Lương tính đoàn phí"


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("bang-luong.xlsx", out.getvalue())


def test_a_payroll_as_accountants_keep_it(tree, admit):
    """Title rows above the header, document numbers Excel stored as numbers (their leading
    zero lost) or typed in groups, a salary typed as text with the currency, and the total row
    at the bottom."""
    first, second, third = admit(), admit(), admit()
    grouped = f"{third.id_number[:3]} {third.id_number[3:6]}.{third.id_number[6:]}"
    file = _xlsx(
        [
            ["CÔNG TY TNHH MAY HÀ TĨNH"],
            ["BẢNG LƯƠNG ĐÓNG BHXH THÁNG 7/2025"],
            [],
            ["STT", "Họ và tên", "Số CCCD", "Lương đóng BHXH"],
            [1, first.full_name, int(first.id_number), 8_500_000],
            [2, second.full_name, int(second.id_number), "6.200.000 đ"],
            [3, third.full_name, grouped, 5_000_000],
            [None, "Tổng cộng", None, 19_700_000],
        ]
    )
    result = payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert (result.rows, result.total) == (3, 19_700_000)
    assert dict(SalaryBase.objects.values_list("member_id", "amount")) == {
        first.pk: 8_500_000,
        second.pk: 6_200_000,
        third.pk: 5_000_000,
    }


def test_a_row_naming_someone_without_an_identifier_is_still_refused(tree, admit):
    member = admit()
    file = _xlsx(
        [
            ["Số CCCD", "Họ và tên", "Lương"],
            [member.id_number, member.full_name, 7_000_000],
            [None, "Nguyễn Văn Không Mã", 7_000_000],
            # A name whose first word is a total's ("Cộng"): still someone's salary.
            [None, "Công Tằng Tôn Nữ Thị Hoa", 7_000_000],
            [None, "Cộng trang 1", 21_000_000],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        payroll_import(unit=tree.grassroots_a1, month=MONTH, file=file, by=tree.admin)
    assert [p.row for p in rejected.value.problems] == [3, 4]
    assert not SalaryBase.objects.exists()
