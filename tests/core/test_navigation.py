import pytest

from unionhub.core import registry, scope
from unionhub.core.registry import NavItem
from unionhub.orgs import services


def sidebar(client):
    """(area label, [item labels]) in the order the sidebar shows them."""
    areas = client.get("/").context["nav_areas"]
    return [(str(a["label"]), [str(i["label"]) for i in a["items"]]) for a in areas]


def test_the_sidebar_groups_items_by_area_in_the_areas_order(client, tree):
    client.force_login(tree.admin)
    shown = sidebar(client)
    labels = [label for label, _ in shown]
    order = [str(a.label) for a in registry.AREAS]
    assert labels == [label for label in order if label in labels]
    assert (
        "Đoàn viên & đơn vị",
        ["Đơn vị", "Đoàn viên", "Chuyển sinh hoạt", "Nhập dữ liệu"],
    ) in shown
    assert shown[-1] == (
        "Quản trị",
        [
            "Sự đồng ý",
            "Đề nghị sửa thông tin",
            "Nhật ký truy cập",
            "Sổ sự cố dữ liệu",
            "Hồ sơ xử lý dữ liệu",
            "Cán bộ",
        ],
    )


def test_areas_with_nothing_the_user_reaches_are_not_shown(client, tree, officer_at):
    client.force_login(officer_at(tree.grassroots_a1, scope.VIEWER))
    labels = [label for label, _ in sidebar(client)]
    assert "Đoàn viên & đơn vị" in labels
    assert "Thẻ" not in labels  # the cards list needs the registrar role
    assert "Quản trị" not in labels
    assert "Tài chính" not in labels  # no app files an item there yet


def test_an_item_under_an_unknown_area_is_refused():
    with pytest.raises(ValueError, match="unknown area"):
        NavItem("Budget", "finance:index", area="budget")


def test_a_deeper_page_shows_the_trail_to_its_section(client, tree):
    client.force_login(tree.admin)
    page = client.get("/members/transfers/")
    trail = page.context["nav_trail"]
    assert (str(trail["area"]), str(trail["item"]["label"]), trail["here"]) == (
        "Đoàn viên & đơn vị",
        "Chuyển sinh hoạt",
        True,
    )
    assert 'data-testid="breadcrumbs"' in page.content.decode()


def test_the_header_shows_the_current_unit_and_switches_among_the_officers_units(
    client, tree, officer_at
):
    officer = officer_at(tree.district_a, scope.REGISTRAR)
    services.role_grant(user=officer, unit=tree.district_b, role=scope.VIEWER, by=tree.admin)
    client.force_login(officer)
    home = client.get("/")
    assert home.context["current_unit"] == tree.district_a
    assert home.context["my_units"] == [tree.district_a, tree.district_b]
    html = home.content.decode()
    assert f'href="/units/{tree.district_b.pk}/"' in html

    client.get(f"/units/{tree.district_b.pk}/")
    assert client.get("/").context["current_unit"] == tree.district_b
    # A unit below one's own does not become the current unit: the switch lists role units only.
    client.get(f"/units/{tree.grassroots_a1.pk}/")
    assert client.get("/").context["current_unit"] == tree.district_b
