"""The officer's workspace in the browser: from the home page to a member of a commune union in
three clicks, the to-do links land where the work is, and the unit picker finds a unit typed
without diacritics."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.dispatch.helpers import draft_and_issue
from tests.factories import make_user
from unionhub.cards import services as card_services
from unionhub.core import scope
from unionhub.dispatch.models import TargetKind
from unionhub.members import services as member_services
from unionhub.orgs import services as org_services
from unionhub.orgs.models import Level

pytestmark = pytest.mark.django_db(transaction=True)


def _admit(unit, by, name, day):
    return member_services.member_admit(
        unit=unit,
        by=by,
        joined=dt.date(2025, 8, 1),
        full_name=name,
        gender="female",
        birth_date=dt.date(1990, 1, day),
    )


@pytest.fixture
def province_officer(tree, commune):
    """A registrar of the province, a commune union with a union and a member in it, and work
    waiting: a transfer into the province's unions, a card request and an unread document."""
    union = org_services.unit_found(
        code="HT-XDT-0001",
        name="Công đoàn Trường Tiểu học Đức Thọ",
        level=Level.GRASSROOTS,
        parent=commune,
        founded=dt.date(2025, 7, 1),
        by=tree.admin,
    )
    _admit(union, tree.admin, "Phan Thị Hằng", 3)
    officer = make_user("tinh", first_name="Hà", last_name="Trần Thị Hồng")
    org_services.role_grant(user=officer, unit=tree.province, role=scope.REGISTRAR, by=tree.admin)
    org_services.role_grant(user=officer, unit=tree.province, role=scope.CLERK, by=tree.admin)
    mover = _admit(tree.grassroots_a1, tree.admin, "Võ Thị Lan", 4)
    local = make_user("coso")
    org_services.role_grant(
        user=local, unit=tree.grassroots_a1, role=scope.REGISTRAR, by=tree.admin
    )
    member_services.transfer_request(
        member=mover, to_unit=union, effective=dt.date.today(), by=local
    )
    card_services.card_series_set(unit=tree.province, code="042", by=tree.admin)
    card_services.card_request(member=_admit(union, tree.admin, "Lê Thị Mai", 5), by=tree.admin)
    draft_and_issue(
        unit=commune,
        by=tree.admin,
        targets=[(tree.province, TargetKind.UNIT)],
        summary="Báo cáo kết quả rà soát đoàn viên",
    )
    return officer


def test_province_officer_reaches_a_member_of_a_commune_union_in_three_clicks(
    login, live_server, province_officer, commune
):
    page = login("tinh", "pw-tinh")
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.get_by_test_id("areas")).to_contain_text(commune.name)
    page.get_by_test_id("areas").get_by_role("link", name=commune.name, exact=True).click()  # 1
    expect(page.locator("h1")).to_have_text(commune.name)
    page.get_by_test_id("members-panel").get_by_role(
        "link", name="Danh sách đoàn viên"
    ).click()  # 2
    page.get_by_role("link", name="Phan Thị Hằng").click()  # 3
    expect(page.locator("h1")).to_contain_text("Phan Thị Hằng")


def test_the_to_do_links_land_where_the_work_is(login, live_server, province_officer):
    page = login("tinh", "pw-tinh")
    todo = page.get_by_test_id("todo")
    expect(todo.get_by_test_id("todo-item")).to_have_count(3)

    todo.get_by_role("link", name="Chuyển sinh hoạt chờ bạn tiếp nhận").click()
    expect(page.locator("main")).to_contain_text("Võ Thị Lan")

    page.goto(live_server.url + "/")
    page.get_by_test_id("todo").get_by_role("link", name="Thẻ chờ duyệt").click()
    expect(page.get_by_test_id("card-list").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("card-list")).to_contain_text("Lê Thị Mai")

    page.goto(live_server.url + "/")
    page.get_by_test_id("todo").get_by_role("link", name="Văn bản chưa đọc").click()
    expect(page.locator("main")).to_contain_text("Báo cáo kết quả rà soát đoàn viên")


def test_the_unit_picker_finds_a_unit_typed_without_diacritics(login, live_server, tree):
    make_user("root2", is_superuser=True, is_staff=True)
    page = login("root2", "pw-root2")
    page.goto(live_server.url + "/imports/")
    field = page.locator("[data-unit-picker] input").first
    field.press_sequentially("tung anh", delay=20)
    option = page.get_by_role("option", name="Công đoàn Trường THCS Tùng Ảnh")
    expect(option).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value("HT-DT-0001")
    expect(page.get_by_role("listbox")).to_be_hidden()
