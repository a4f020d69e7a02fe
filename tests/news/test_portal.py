"""The public portal answers without a login, shows only what is public, and never a member's
personal data."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import jpeg
from tests.news.helpers import published, write
from unionhub.core import scope
from unionhub.news import services
from unionhub.news.models import Category, Story


@pytest.fixture
def world(tree, officer_at, admit):
    writer = officer_at(tree.grassroots_a1, scope.COMMUNICATIONS)
    member = admit(tree.grassroots_a1, full_name="Lê Thị Riêng Tư", phone="0912345678")
    story = published(
        tree.grassroots_a1, writer, title="Hội thao công nhân", cover=jpeg(), tags="thể thao"
    )
    image = services.add_image(by=writer, story=story, upload=jpeg(), caption="Khai mạc")
    draft = write(tree.grassroots_a1, writer, title="Bản nháp bí mật")
    services.save_portal(
        by=tree.admin, unit=tree.province, show_figures=True, phone="0239 3855 555",
        email="ldld@hatinh.vn", about="Liên đoàn Lao động tỉnh",
    )  # fmt: skip
    return {"writer": writer, "member": member, "story": story, "image": image, "draft": draft}


def _portal_urls(tree, story, image) -> list[str]:
    urls = []
    for unit in (tree.province, tree.district_a, tree.grassroots_a1):
        code = unit.code
        urls += [
            reverse("news_portal", args=[code]),
            reverse("news_search", args=[code]) + "?q=h%E1%BB%99i",
            reverse("news_sitemap", args=[code]),
            reverse("news_feed", args=[code, "rss"]),
            reverse("news_feed", args=[code, "atom"]),
        ]
        for category in Category.values:
            urls.append(reverse("news_category", args=[code, category]))
            urls.append(reverse("news_category_feed", args=[code, category, "rss"]))
    urls += [
        reverse("news_story", args=[story.unit.code, story.slug]),
        reverse("news_cover", args=[story.pk, "large"]),
        reverse("news_cover", args=[story.pk, "small"]),
        reverse("news_photo", args=[image.pk, "large"]),
        reverse("news_photo", args=[image.pk, "small"]),
    ]
    return urls


def test_every_portal_url_answers_without_login_and_shows_no_personal_data(tree, world):
    client = Client()
    member = world["member"]
    for url in _portal_urls(tree, world["story"], world["image"]):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="ignore")
        private_data = [member.full_name, "0912345678", member.id_number, world["writer"].username]
        for private in [p for p in private_data if p] + [str(member.public_id)]:
            assert private not in text, (url, private)
        assert "Bản nháp bí mật" not in text, url


def test_a_draft_or_a_scheduled_story_is_not_found_and_its_photos_neither(tree, world):
    client = Client()
    draft = world["draft"]
    assert client.get(reverse("news_story", args=[draft.unit.code, draft.slug])).status_code == 404
    later = published(
        tree.grassroots_a1, world["writer"], title="Sắp đăng", cover=jpeg(),
        at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    assert client.get(reverse("news_story", args=[later.unit.code, later.slug])).status_code == 404
    assert client.get(reverse("news_cover", args=[later.pk, "large"])).status_code == 404
    assert "Sắp đăng" not in client.get(reverse("news_portal", args=["HT"])).content.decode()


def test_the_story_page_carries_open_graph_tags_and_plain_share_links(world):
    story = world["story"]
    page = Client().get(reverse("news_story", args=[story.unit.code, story.slug])).content.decode()
    assert '<meta property="og:title" content="Hội thao công nhân">' in page
    assert 'property="og:image" content="http://testserver/p/cover/' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Fp%2F" in page
    assert "https://sp.zalo.me/share_inline?u=" in page
    assert "<script" not in page  # works without JavaScript, runs nobody's


def test_key_figures_are_counts_shown_only_when_the_unit_chose_to(tree, world):
    province = Client().get(reverse("news_portal", args=["HT"])).content.decode()
    assert 'class="key-figures"' in province
    assert "0239 3855 555" in province
    district = Client().get(reverse("news_portal", args=["HT-DT"])).content.decode()
    assert 'class="key-figures"' not in district


def test_feeds_are_valid_and_list_the_published_stories(world):
    rss = Client().get(reverse("news_feed", args=["HT", "rss"]))
    assert rss["Content-Type"] == "application/rss+xml"
    titles = [t.text for t in ET.fromstring(rss.content).iter("title")]
    assert "Hội thao công nhân" in titles
    atom = Client().get(reverse("news_category_feed", args=["HT", "law", "atom"]))
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert entries == []  # the story is in another category


def test_views_are_counted_even_when_the_page_comes_from_the_cache(world):
    story = world["story"]
    url = reverse("news_story", args=[story.unit.code, story.slug])
    client = Client()
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert Story.objects.get(pk=story.pk).views == 3


def test_a_story_published_now_appears_once_the_cached_home_expires(tree, world):
    client = Client()
    url = reverse("news_portal", args=["HT"])
    client.get(url)
    published(tree.grassroots_a1, world["writer"], title="Bài mới toanh")
    assert "Bài mới toanh" not in client.get(url).content.decode()  # still the kept page
    cache.clear()  # what 30 seconds do
    assert "Bài mới toanh" in client.get(url).content.decode()


def test_an_unknown_unit_is_not_found(db):
    client = Client()
    assert client.get("/p/NO-SUCH/").status_code == 404


def test_an_unknown_category_is_not_found(world):
    assert Client().get("/p/HT/c/gossip/").status_code == 404
