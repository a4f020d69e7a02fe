"""An officer opens a report, drills into "transferred in", exports XLSX; a child unit submits
its report in a round and the parent sees it."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import admit, make_user, transfer
from unionhub.core import scope
from unionhub.orgs import services
from unionhub.reports import services as reports

pytestmark = pytest.mark.django_db(transaction=True)

D = dt.date


@pytest.fixture
def history(tree):
    moved = admit(tree.grassroots_a1, tree.admin, D(2023, 3, 1), full_name="Trần Thị Mai")
    admit(tree.grassroots_a1, tree.admin, D(2023, 3, 1), full_name="Lê Văn Hùng")
    admit(tree.grassroots_b1, tree.admin, D(2023, 4, 1), full_name="Phạm Văn Đức")
    transfer(moved, tree.grassroots_a2, D(2024, 5, 2), tree.admin)
    return moved


def test_open_report_drill_into_transferred_in_and_export(login, live_server, tree, history):
    user = make_user("huyen")
    services.role_grant(user=user, unit=tree.district_a, role=scope.REGISTRAR, by=tree.admin)
    page = login("huyen", "pw-huyen")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.fill("input[name=unit]", "HT-DT")
    page.select_option("select[name=period]", "year-1")
    page.fill("input[name=year]", "2024")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("report-title")).to_contain_text("Liên đoàn Lao động huyện Đức Thọ")
    total = page.get_by_test_id("report-total")
    expect(total.locator("td[data-column=start]")).to_have_text("2")
    expect(total.locator("td[data-column=transferred_in]")).to_have_text("1")

    total.locator("td[data-column=transferred_in] a").click()
    expect(page.get_by_test_id("drill-title")).to_have_text("Chuyển đến")
    expect(page.get_by_test_id("drill-list")).to_contain_text("Trần Thị Mai")
    expect(page.get_by_test_id("drill-list")).not_to_contain_text("Lê Văn Hùng")

    page.go_back()
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    # Playwright saves downloads without an extension, which openpyxl refuses by name.
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(handle).active
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "BÁO CÁO BIẾN ĐỘNG ĐOÀN VIÊN" in texts
    assert "Liên đoàn Lao động huyện Đức Thọ (HT-DT)" in " ".join(texts)


def test_child_submits_and_the_parent_sees_it(login, live_server, tree, history, page):
    parent = make_user("tinh")
    services.role_grant(user=parent, unit=tree.district_a, role=scope.REGISTRAR, by=tree.admin)
    child = make_user("coso")
    services.role_grant(user=child, unit=tree.grassroots_a1, role=scope.REGISTRAR, by=tree.admin)
    report_round = reports.round_open(
        unit=tree.district_a,
        first=D(2024, 1, 1),
        last=D(2024, 12, 31),
        deadline=D(2099, 1, 31),
        by=parent,
    )

    login("coso", "pw-coso")
    page.get_by_role("link", name="Đợt báo cáo", exact=True).click()
    page.get_by_role("link", name="Liên đoàn Lao động huyện Đức Thọ").click()
    line = page.locator("tr[data-unit='HT-DT-0001']")
    line.get_by_role("button", name="Nộp báo cáo của đơn vị").click()
    expect(page.locator("tr[data-unit='HT-DT-0001'] [data-testid=status]")).to_contain_text(
        "Đã nộp"
    )
    expect(page.locator("tr[data-unit='HT-DT-0002']")).to_have_count(0)

    page.context.clear_cookies()
    login("tinh", "pw-tinh")
    page.goto(f"{live_server.url}/reports/rounds/{report_round.pk}/")
    expect(page.get_by_test_id("round-progress")).to_contain_text("1/2")
    expect(page.locator("tr[data-unit='HT-DT-0001'] [data-testid=status]")).to_contain_text(
        "Đã nộp"
    )
    expect(page.locator("tr[data-unit='HT-DT-0002'] [data-testid=status]")).to_contain_text(
        "Chưa nộp"
    )
