import random

from django.test import Client

from unionhub.demo.province import Province
from unionhub.news import demo, selectors
from unionhub.news.models import State, Story


def test_demo_news_is_on_the_province_portal(tree):
    province = Province(root=tree.root, province=tree.province)
    lines: list[str] = []
    demo.populate(province=province, rng=random.Random(1), by=tree.admin, log=lines.append)
    public = list(selectors.public_stories(tree.province))
    assert len(public) == 12  # 2 each at the province, its two districts, three unions
    assert Story.objects.filter(state=State.DRAFT).count() == 1
    assert Story.objects.filter(state=State.PUBLISHED).count() == 13  # and one scheduled
    assert len(selectors.public_featured(tree.province)) == 1
    page = Client().get(f"/p/{tree.province.code}/")
    assert page.status_code == 200
    assert 'class="key-figures"' in page.content.decode()
