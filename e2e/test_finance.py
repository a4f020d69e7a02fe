"""Finance in the browser: a union's treasurer imports the month's payroll (a sheet with a title
row, as kept in Excel), reviews the dues roll, marks it paid, posts it and remits the upper
level's share; the district's treasurer sees the remittance arrive."""

from __future__ import annotations

import importlib
import io

import pytest
from django.db import connection
from openpyxl import Workbook
from playwright.sync_api import expect

from unionhub.core import scope
from unionhub.finance.models import (
    DuesBatch,
    DuesLine,
    JournalEntry,
    Posting,
    Remittance,
)

IMMUTABLE = importlib.import_module("unionhub.finance.migrations.0003_posted_entries_are_immutable")

pytestmark = pytest.mark.django_db(transaction=True)
SALARY = 5_000_000  # June 2025: 1 % dues, so 50,000 đồng each; the upper level's share is 30 %


@pytest.fixture
def books_emptied_at_the_end(transactional_db):
    """A browser test commits for real, and SQLite empties the database with DELETE, which the
    ledger's triggers refuse for posted entries (PostgreSQL's TRUNCATE does not fire them): at
    the end the triggers are lifted, the books emptied, and the triggers put back."""
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for sql in IMMUTABLE.SQLITE_BACKWARD:
            cursor.execute(sql)
        for model in (Remittance, DuesLine, DuesBatch, Posting, JournalEntry):
            model.objects.all().delete()
        for sql in IMMUTABLE.SQLITE_FORWARD:
            cursor.execute(sql)


def payroll_sheet(members) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["BẢNG LƯƠNG THÁNG 6/2025 — CÔNG ĐOÀN TRƯỜNG THCS"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Số CCCD", "Lương tính đoàn phí"])
    for number, member in enumerate(members, start=1):
        sheet.append([number, member.full_name, member.id_number, SALARY])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_treasurer_collects_the_month_and_the_district_sees_the_remittance(
    page, live_server, login, tree, admit, officer_at, books_emptied_at_the_end
):
    members = [admit(full_name=name) for name in ("Lê Văn An", "Trần Thị Bích", "Phạm Văn Cường")]
    treasurer = officer_at(tree.grassroots_a1, scope.FINANCE)
    district = officer_at(tree.district_a, scope.FINANCE)
    unit = tree.grassroots_a1.pk
    roll = f"{live_server.url}/finance/u/{unit}/2025/6/"

    login(treasurer.username, f"pw-{treasurer.username}")
    page.goto(roll + "payroll/")
    upload = {
        "name": "luong-6-2025.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": payroll_sheet(members),
    }
    page.set_input_files("input[type=file]", upload)
    page.get_by_test_id("payroll-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("payroll-checked")).to_be_visible()  # checked, nothing stored
    page.set_input_files("input[type=file]", upload)
    page.uncheck("input[name=dry_run]")
    page.get_by_test_id("payroll-form").locator("button[type=submit]").click()
    page.wait_for_url(roll)  # back on the roll once the salaries are stored

    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("roll-row")).to_have_count(3)
    expect(page.get_by_test_id("roll-totals")).to_contain_text("150.000")
    for member in members:
        page.get_by_label(member.full_name).check()
    page.fill("input[name=paid_on]", "2025-06-25")
    page.get_by_test_id("mark-paid").click()
    expect(page.get_by_test_id("roll-totals")).to_contain_text("150.000")
    expect(page.get_by_test_id("mark-paid")).to_have_count(0)  # nothing left unpaid

    page.fill("input[name=on]", "2025-06-30")
    page.get_by_test_id("post").click()
    remittance = page.get_by_test_id("remittance")
    expect(remittance).to_contain_text("45.000")
    remittance.locator("input[name=amount]").fill("45000")
    remittance.locator("input[name=date]").fill("2025-07-03")
    page.get_by_test_id("remit").click()
    expect(page.get_by_test_id("remittance")).not_to_contain_text("Ghi nhận khoản nộp")
    assert Remittance.objects.get().amount == 45_000

    page.context.clear_cookies()
    login(district.username, f"pw-{district.username}")
    page.goto(f"{live_server.url}/finance/u/{tree.district_a.pk}/remittances/2025/")
    row = page.get_by_test_id("remittances").locator("tbody tr").first
    expect(row).to_contain_text(tree.grassroots_a1.name)
    expect(row).to_contain_text("06/2025")
    expect(row.locator("td").nth(3)).to_contain_text("45.000")
    expect(row.locator("td").nth(4)).to_contain_text("0")
