"""The sidebar by area; at phone width a Menu button folds it, with no sideways scroll."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_sidebar_folds_behind_a_menu_button_on_a_phone(login, page, live_server, tree):
    tree.admin.set_password("pw-root")
    tree.admin.save()
    page.set_viewport_size({"width": 390, "height": 844})
    login("root", "pw-root")
    for path in ("/", "/members/", "/cards/", f"/units/{tree.province.pk}/"):
        page.goto(f"{live_server.url}{path}")
        sidebar = page.get_by_test_id("sidebar")
        expect(sidebar).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    menu = page.get_by_role("button", name="Danh mục")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sidebar.get_by_role("heading", name="Thẻ đoàn viên")).to_be_visible()
    sidebar.get_by_role("link", name="Đoàn viên", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/members/")
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text("Đoàn viên & đơn vị")


def test_the_sidebar_stands_beside_the_page_on_a_laptop(login, page, live_server, tree):
    tree.admin.set_password("pw-root")
    tree.admin.save()
    page.set_viewport_size({"width": 1366, "height": 768})
    login("root", "pw-root")
    expect(page.get_by_test_id("sidebar")).to_be_visible()
    expect(page.get_by_role("button", name="Danh mục")).to_be_hidden()
    expect(page.get_by_test_id("current-unit")).to_contain_text(tree.root.name)
