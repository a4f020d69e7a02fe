import random
from types import SimpleNamespace

import pytest

from unionhub.congress import demo, selectors
from unionhub.congress.models import Congress, Delegate

pytestmark = pytest.mark.django_db


def test_demo_builds_the_19th_congress_with_about_300_cards(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    province = SimpleNamespace(
        province=tree.province,
        uppers={"DT": tree.district_a, "CL": tree.district_b},
        communes_2025=[],
    )
    lines = []
    congress = demo.populate(
        province=province, rng=random.Random(1), by=tree.admin, log=lines.append
    )
    delegates = Delegate.objects.filter(congress=congress)
    assert delegates.count() == 300
    assert delegates.filter(category="elected").count() == 250
    assert set(delegates.values_list("delegation__name", flat=True)) >= {
        "Đoàn huyện Đức Thọ",
        "Đoàn huyện Can Lộc",
    }
    assert congress.sessions.count() == 3
    presidium = delegates.filter(presidium=True).first()
    assert selectors.visible_documents(delegate=presidium).count() == 5
    assert lines == [
        "  congress: 300 delegates, 3 sessions, 5 documents",
        "  congress sitting today: Đại hội Liên đoàn Lao động tỉnh Hà Tĩnh lần thứ I, "
        "57 of 80 delegates checked in",
    ]
    sitting = Congress.objects.get(name="Đại hội Liên đoàn Lao động tỉnh Hà Tĩnh lần thứ I")
    on_air = selectors.on_air(selectors.public_sessions(sitting))
    assert [s.title for s in on_air.live] == ["Phiên chính thức"]
    assert [s.title for s in on_air.recordings] == ["Phiên trù bị"]
