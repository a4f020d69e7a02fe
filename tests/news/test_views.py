from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import jpeg
from tests.news.helpers import published, write
from unionhub.core import scope
from unionhub.news.models import Feature, State, Story
from unionhub.orgs import services as org_services


@pytest.fixture
def writer(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.COMMUNICATIONS)


def test_an_officer_writes_submits_and_an_admin_publishes_through_the_pages(
    client, tree, writer, officer_at
):
    client.force_login(writer)
    response = client.post(
        reverse("news:create"),
        {
            "unit": tree.grassroots_a1.code,
            "title": "Thăm hỏi đoàn viên",
            "summary": "Tóm tắt",
            "body": '<p style="mso-x">Nội dung<script>alert(1)</script></p>',
            "category": "care",
            "tags": "chăm lo",
            "cover": jpeg(),
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302
    assert story.body == "<p>Nội dung</p>"
    client.post(reverse("news:add_image", args=[story.pk]), {"image": jpeg(), "caption": "Ảnh"})
    assert story.images.count() == 1
    client.post(reverse("news:submit", args=[story.pk]))
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    client.force_login(admin)
    client.post(reverse("news:publish", args=[story.pk]))
    story.refresh_from_db()
    assert story.state == State.PUBLISHED
    portal = client.get(reverse("news_portal", args=[tree.district_a.code]))
    assert "Thăm hỏi đoàn viên" in portal.content.decode()


def test_a_sibling_units_officer_is_refused_every_page_of_the_story(
    client, tree, writer, officer_at
):
    story = write(tree.grassroots_a1, writer)
    client.force_login(officer_at(tree.grassroots_b1, scope.COMMUNICATIONS))
    assert client.get(reverse("news:edit", args=[story.pk])).status_code == 404
    assert client.post(reverse("news:submit", args=[story.pk])).status_code == 404
    assert client.post(reverse("news:publish", args=[story.pk])).status_code == 404
    assert client.get(reverse("news:cover", args=[story.pk])).status_code == 404
    listing = client.get(reverse("news:index")).content.decode()
    assert story.title not in listing
    story.refresh_from_db()
    assert story.state == State.DRAFT


def test_the_list_filters_sorts_and_exports(client, tree, writer):
    published(tree.grassroots_a1, writer, title="Luật mới", category="law")
    write(tree.grassroots_a1, writer, title="Thăm hỏi ốm đau", category="care")
    client.force_login(writer)
    page = client.get(reverse("news:index"), {"category": "law", "sort": "title"})
    assert "Luật mới" in page.content.decode()
    assert "Thăm hỏi ốm đau" not in page.content.decode()
    export = client.get(reverse("news:index"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"Luật mới", "Thăm hỏi ốm đau"}


def test_statistics_export_counts_published_stories(client, tree, writer):
    published(tree.grassroots_a1, writer, title="A", category="care")
    published(tree.grassroots_a1, writer, title="B", category="care")
    client.force_login(writer)
    assert client.get(reverse("news:statistics")).status_code == 200
    export = client.get(reverse("news:statistics"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in rows] == [("HT-DT-0001", 2)]


def test_a_returned_story_shows_the_comment_to_its_writer(client, tree, writer, officer_at):
    from unionhub.news import services

    story = services.submit(by=writer, story=write(tree.grassroots_a1, writer))
    client.force_login(officer_at(tree.district_a, scope.UNIT_ADMIN))
    client.post(reverse("news:return", args=[story.pk]), {"comment": "Bổ sung ảnh"})
    client.force_login(writer)
    assert "Bổ sung ảnh" in client.get(reverse("news:edit", args=[story.pk])).content.decode()


def test_the_unit_admin_sets_up_the_portal_and_a_sibling_is_refused(client, tree, officer_at):
    client.force_login(officer_at(tree.district_a, scope.UNIT_ADMIN))
    assert "news/portal/" in client.get(reverse("news:index")).content.decode()
    url = reverse("news:portal", args=[tree.district_a.pk])
    client.post(url, {"show_figures": "on", "phone": "0239 111", "email": "", "about": "Giới"})
    page = client.get(reverse("news_portal", args=[tree.district_a.code])).content.decode()
    assert 'class="key-figures"' in page
    assert "0239 111" in page
    client.force_login(officer_at(tree.district_b, scope.UNIT_ADMIN))
    assert client.get(url).status_code == 404
    assert client.post(url, {"phone": "x"}).status_code == 404


def _featured_section(client, unit) -> str:
    home = client.get(reverse("news_portal", args=[unit.code])).content.decode()
    if "<h2>Nổi bật</h2>" not in home:
        return ""
    return home.split("<h2>Nổi bật</h2>", 1)[1].split("</section>", 1)[0]


def test_the_upper_units_officer_features_a_child_units_story_from_its_page(
    client, tree, writer, officer_at
):
    story = published(tree.grassroots_a1, writer, title="Hội thao xã Đức Lạng")
    district = officer_at(tree.district_a, scope.COMMUNICATIONS)
    feature_url = reverse("news:feature", args=[story.pk, tree.district_a.pk])
    client.force_login(district)
    page = client.get(reverse("news:edit", args=[story.pk])).content.decode()
    assert f'action="{feature_url}"' in page
    assert f"Chọn nổi bật trên cổng thông tin của {tree.district_a.name}" in page
    assert client.post(feature_url).status_code == 302
    assert Feature.objects.filter(story=story, unit=tree.district_a).exists()
    client.logout()
    assert "Hội thao xã Đức Lạng" in _featured_section(client, tree.district_a)
    assert _featured_section(client, tree.province) == ""  # featured by the district only


def test_a_unit_cannot_feature_a_story_from_outside_its_subtree(client, tree, writer, officer_at):
    story = published(tree.grassroots_a1, writer)
    other_district = officer_at(tree.district_b, scope.COMMUNICATIONS)
    client.force_login(other_district)
    assert client.get(reverse("news:edit", args=[story.pk])).status_code == 404
    url = reverse("news:feature", args=[story.pk, tree.district_b.pk])
    assert client.post(url).status_code == 404

    # An officer of both the story's union and the other district: the story is theirs to
    # see, but the other district may still not feature it.
    both = officer_at(tree.district_b, scope.COMMUNICATIONS)
    org_services.role_grant(
        user=both, unit=tree.grassroots_a1, role=scope.COMMUNICATIONS, by=tree.admin
    )
    client.force_login(both)
    page = client.get(reverse("news:edit", args=[story.pk])).content.decode()
    assert f'action="{url}"' not in page
    refused = client.post(url, follow=True).content.decode()
    assert "Đơn vị chỉ chọn nổi bật tin bài của đơn vị cấp dưới." in refused
    assert not Feature.objects.exists()
    client.logout()
    assert _featured_section(client, tree.district_b) == ""
