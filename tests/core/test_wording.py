"""Wording that read wrong to new users, checked where they met it."""

from django.contrib.staticfiles import finders

from tests.congress.helpers import build_setup
from unionhub.core import scope


def test_the_language_switcher_names_each_language_in_itself(client, tree):
    client.force_login(tree.admin)
    page = client.get("/").content.decode()
    assert '<option value="en">English</option>' in page
    assert "Tiếng Anh" not in page


def test_pages_link_a_favicon_that_exists(client, tree):
    client.force_login(tree.admin)
    assert 'rel="icon" href="/static/unionhub/favicon.svg"' in client.get("/").content.decode()
    assert finders.find("unionhub/favicon.svg")


def test_transfer_columns_name_units_not_dates(client, tree, officer_at):
    client.force_login(officer_at(tree.district_a, scope.REGISTRAR))
    page = client.get("/members/transfers/").content.decode()
    assert "<th>Từ đơn vị</th><th>Đến đơn vị</th>" in page
    assert "<th>Từ ngày</th>" not in page


def test_a_session_named_after_its_kind_is_not_named_twice(
    client, tree, officer_at, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    setup = build_setup(tree, officer_at)
    client.force_login(setup.organiser)
    page = client.get(f"/congress/{setup.congress.pk}/").content.decode()
    assert "Phiên chính thức</td>" in page  # the title is the kind's own name: shown once
    assert "Phiên chính thức <small" not in page


def test_printing_badges_says_print_not_save(client, tree, officer_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    setup = build_setup(tree, officer_at)
    client.force_login(setup.organiser)
    page = client.get(f"/congress/{setup.congress.pk}/badges/").content.decode()
    assert '<button type="submit">In thẻ đại biểu</button>' in page
