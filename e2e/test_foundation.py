"""A new officer logs in, browses the tree, switches language and logs out."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from unionhub.core import scope
from unionhub.orgs import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district_officer(tree):
    user = make_user("huyen", first_name="Trần Thị", last_name="Hà")
    services.role_grant(user=user, unit=tree.district_a, role=scope.UNIT_ADMIN, by=tree.admin)
    return user


def test_log_in_browse_tree_switch_language_log_out(login, live_server, district_officer, tree):
    page = login("huyen", "pw-huyen")
    expect(page.locator("h1")).to_contain_text("Xin chào")

    page.get_by_role("link", name="Đơn vị", exact=True).click()
    tree_view = page.get_by_test_id("unit-tree")
    expect(tree_view).to_contain_text("Liên đoàn Lao động huyện Đức Thọ")
    expect(tree_view).not_to_contain_text("Can Lộc")
    tree_view.locator("summary").first.click()
    expect(tree_view).to_contain_text("Công đoàn Trường THCS Tùng Ảnh")

    page.get_by_role("searchbox").fill("tram y te")
    expect(page.get_by_test_id("unit-search-results")).to_contain_text("Trạm Y tế xã Đức Lạng")

    page.get_by_role("link", name="Công đoàn Trường THCS Tùng Ảnh").first.click()
    expect(page.get_by_test_id("unit-history")).to_contain_text("Thành lập đơn vị")

    page.select_option("select[name=language]", "en")
    expect(page.get_by_role("heading", name="Place in the tree over time")).to_be_visible()

    page.locator("details.dropdown summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/units/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/units/")


def test_unit_page_fits_a_phone(login, district_officer, tree, live_server):
    page = login("huyen", "pw-huyen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/units/{tree.district_a.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
