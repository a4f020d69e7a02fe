import pytest

from unionhub.core import scope


@pytest.fixture
def district_client(client, tree, officer_at):
    client.force_login(officer_at(tree.district_a, scope.UNIT_ADMIN))
    return client


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(f"/units/{tree.province.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unit_page_in_scope_shows_figures_and_history(district_client, tree):
    response = district_client.get(f"/units/{tree.district_a.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Liên đoàn Lao động huyện Đức Thọ" in page
    assert "orgs.unit.founded" in page


def test_unit_page_out_of_scope_is_refused(district_client, tree):
    assert district_client.get(f"/units/{tree.district_b.pk}/").status_code == 403
    assert district_client.get(f"/units/{tree.province.pk}/children/").status_code == 403


def test_tree_starts_at_the_officers_unit(district_client, tree):
    page = district_client.get("/units/").content.decode()
    assert "huyện Đức Thọ" in page
    assert "Can Lộc" not in page


def test_search_ignores_diacritics_and_stays_in_scope(district_client, tree):
    page = district_client.get("/units/", {"q": "tung anh"}).content.decode()
    assert "Công đoàn Trường THCS Tùng Ảnh" in page
    page = district_client.get("/units/", {"q": "hong lam"}).content.decode()
    assert "Hồng Lam" not in page


def test_move_form_reports_domain_errors_on_the_page(client, tree):
    client.force_login(tree.admin)
    response = client.post(
        f"/units/{tree.district_a.pk}/move/",
        {"new_parent": "HT-DT-0001", "effective": "01/07/2025"},
    )
    assert response.status_code == 200
    assert "Không thể chuyển một đơn vị vào chính nó" in response.content.decode()


def test_move_form_moves_the_unit(client, tree):
    client.force_login(tree.admin)
    response = client.post(
        f"/units/{tree.grassroots_a1.pk}/move/", {"new_parent": "HT-CL", "effective": "01/07/2025"}
    )
    assert response.status_code == 302
    tree.grassroots_a1.refresh_from_db()
    assert tree.grassroots_a1.parent == tree.district_b


def test_language_switch_to_english(district_client):
    district_client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert "<h1>Units</h1>" in district_client.get("/units/").content.decode()


def test_vietnamese_is_the_default_language(district_client):
    assert "<h1>Đơn vị</h1>" in district_client.get("/units/").content.decode()
