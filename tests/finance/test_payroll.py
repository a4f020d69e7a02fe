import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
