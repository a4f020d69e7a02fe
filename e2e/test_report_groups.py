"""The province officer opens the report of the second half of 2025, opens one commune union's
group, and exports XLSX and PDF grouped the same way; on a phone the table scrolls inside its
own box, not the page."""

import datetime as dt
import io
import re
from itertools import pairwise

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import admit, make_user, transfer
from tests.world import found_commune
from unionhub.core import scope
from unionhub.orgs import services
from unionhub.reports import exports
from unionhub.reports import fluctuation as f

pytestmark = pytest.mark.django_db(transaction=True)

D = dt.date
REORG = D(2025, 7, 1)


@pytest.fixture
def reorganised(tree):
    """Đức Thọ's first union moves under a new commune union on 1 July 2025; a member moves
    from the second union to Can Lộc's union in the autumn."""
    for _ in range(2):
        admit(tree.grassroots_a1, tree.admin, D(2024, 3, 1))
    mover = admit(tree.grassroots_a2, tree.admin, D(2024, 3, 1), full_name="Trần Thị Mai")
    admit(tree.grassroots_b1, tree.admin, D(2024, 4, 1))
    commune = found_commune(tree)
    services.unit_move(unit=tree.grassroots_a1, new_parent=commune, effective=REORG, by=tree.admin)
    transfer(mover, tree.grassroots_b1, D(2025, 10, 1), tree.admin)
    officer = make_user("tinh")
    services.role_grant(user=officer, unit=tree.province, role=scope.VIEWER, by=tree.admin)
    return commune


def test_province_opens_a_commune_group_and_exports_the_same_grouping(
    login, live_server, tree, reorganised
):
    commune = reorganised
    page = login("tinh", "pw-tinh")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/reports/?unit=HT")
    page.select_option("select[name=period]", label="Nửa cuối năm (tháng 7 – tháng 12)")
    page.fill("input[name=year]", "2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("report-period")).to_contain_text("Nửa cuối năm 2025")
    # The two members carried by the moved union and the one transferred stay inside the
    # province: said to be moves within it, not a gain and a loss.
    expect(page.get_by_test_id("boundary")).to_contain_text("3 đến và 3 đi")

    heads = page.locator("tr.group-head th[scope=row] .unit-name")
    expect(heads).to_have_count(3)
    shown_groups = [re.sub(r"\s+", " ", t).strip() for t in heads.all_inner_texts()]
    rows = page.get_by_test_id(f"rows-u{commune.pk}")
    expect(rows).to_be_hidden()
    page.get_by_test_id(f"toggle-u{commune.pk}").click()
    expect(rows).to_be_visible()
    expect(rows).to_contain_text("Công đoàn Trường THCS Tùng Ảnh")
    shown_lines = [t.strip() for t in rows.locator("th[scope=row] .unit-name").all_inner_texts()]
    # The unit column stays in place while the figures scroll sideways inside their box.
    scroller = page.locator(".report-scroll")
    first_cell = heads.first
    left = first_cell.bounding_box()["x"]
    scroller.evaluate("box => { box.scrollLeft = 600; }")
    assert abs(first_cell.bounding_box()["x"] - left) < 1

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(handle).active
    exported = [
        (sheet.row_dimensions[row[0].row].outline_level, row[1].value)
        for row in sheet.iter_rows(min_row=10)
        if row[0].value and row[1].value
    ]
    groups = [name for level, name in exported if level == 0]
    assert [g.removesuffix(" (cho đến khi chuyển đi hoặc giải thể)") for g in groups] == [
        g.removesuffix(" (cho đến khi chuyển đi hoặc giải thể)") for g in shown_groups
    ]
    start = next(i for i, (_level, name) in enumerate(exported) if name == commune.name)
    commune_lines = []
    for level, name in exported[start + 1 :]:
        if level == 0:
            break
        commune_lines.append(name)
    assert commune_lines == shown_lines

    with page.expect_download() as download:
        page.get_by_test_id("export-pdf").click()
    with open(download.value.path(), "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    order = [text.index(name) for name in [commune.name, *shown_lines]]
    assert order == sorted(order)
    words = {w for c in exports.COLUMNS for w in str(f.LABELS[c]).split()}
    tokens = re.findall(r"\S+", text)
    assert [(a, b) for a, b in pairwise(tokens) if a + b in words] == []


def test_on_a_phone_the_table_scrolls_inside_its_box(login, live_server, tree, reorganised):
    page = login("tinh", "pw-tinh")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/?unit=HT&period=half-2&year=2025")
    expect(page.get_by_test_id("fluctuation-table")).to_be_visible()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390
    box = page.locator(".report-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
