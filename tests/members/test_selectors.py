"""List filters, Vietnamese order and the unit-page figures."""

import datetime as dt

import pytest
from django.apps import apps
from django.db.models import Q
from django.urls import reverse

from unionhub.core.registry import MemberFilter
from unionhub.members import selectors, services
from unionhub.members.models import Member
from unionhub.members.selectors import MemberFilters


@pytest.fixture
def people(tree, admit):
    today = dt.date.today()
    return {
        "young": admit(
            full_name="Lê Thị Ánh",
            gender="female",
            birth_date=dt.date(today.year - 25, 1, 1),
            joined=dt.date(2021, 5, 1),
        ),
        "middle": admit(
            full_name="Phan Văn Ân",
            birth_date=dt.date(today.year - 45, 1, 1),
            joined=dt.date(2019, 2, 1),
            phone="0912",
        ),
        "old": admit(
            full_name="Đặng Văn Bảo",
            birth_date=dt.date(today.year - 61, 1, 1),
            joined=dt.date(2019, 8, 1),
        ),
    }


def names(user, **filters):
    return [m.full_name for m in selectors.member_list(user=user, filters=MemberFilters(**filters))]


def test_default_order_is_given_then_middle_then_family_in_vietnamese_alphabet(people, tree):
    # Ánh < Ân < Bảo: "a" before "â", and the given name decides before the family name.
    assert names(tree.admin) == ["Lê Thị Ánh", "Phan Văn Ân", "Đặng Văn Bảo"]
    assert names(tree.admin, sort="-name") == ["Đặng Văn Bảo", "Phan Văn Ân", "Lê Thị Ánh"]


def test_filters(people, tree):
    assert names(tree.admin, gender="female") == ["Lê Thị Ánh"]
    assert names(tree.admin, age_band="under30") == ["Lê Thị Ánh"]
    assert names(tree.admin, age_band="40-49") == ["Phan Văn Ân"]
    assert names(tree.admin, age_band="60plus") == ["Đặng Văn Bảo"]
    assert names(tree.admin, join_year=2019) == ["Phan Văn Ân", "Đặng Văn Bảo"]
    assert names(tree.admin, missing="phone") == ["Lê Thị Ánh", "Đặng Văn Bảo"]
    assert names(tree.admin, has_photo="yes") == []
    assert len(names(tree.admin, has_photo="no")) == 3


def test_status_filter_and_former_members(people, tree):
    services.member_retire(member=people["old"], date=dt.date(2024, 1, 1), by=tree.admin)
    assert names(tree.admin) == ["Lê Thị Ánh", "Phan Văn Ân"]
    assert names(tree.admin, status="retired") == ["Đặng Văn Bảo"]
    assert len(names(tree.admin, status="all")) == 3


def test_filter_hooks_from_upper_apps(people, tree, monkeypatch):
    vip = MemberFilter("vip", "VIP", lambda: Q(full_name__startswith="Phan"))
    monkeypatch.setattr(apps.get_app_config("members"), "member_filters", [vip], raising=False)
    assert names(tree.admin, hooks={"vip": "yes"}) == ["Phan Văn Ân"]
    assert names(tree.admin, hooks={"vip": "no"}) == ["Lê Thị Ánh", "Đặng Văn Bảo"]


def test_unit_page_shows_member_count_and_complete_share(client, people, tree, officer_at):
    Member.objects.filter(pk=people["young"].pk).update(completeness=100)
    client.force_login(officer_at(tree.district_a, "viewer"))
    response = client.get(reverse("orgs:unit", args=[tree.district_a.pk]))
    figures = dict(
        figure
        for panel in response.context["panels"]
        for figure in panel.context.get("figures", [])
    )
    assert figures[next(k for k in figures if str(k) in ("Đoàn viên", "Members"))] == "3"
    assert any(value.startswith("33,3") or value.startswith("33.3") for value in figures.values())


def test_sub_units_are_ranked_by_complete_profiles(tree, admit, client):
    a1 = [admit(unit=tree.grassroots_a1) for _ in range(2)]
    a2 = [admit(unit=tree.grassroots_a2) for _ in range(4)]
    Member.objects.filter(pk__in=[a1[0].pk, *(m.pk for m in a2[:3])]).update(completeness=100)
    ranked = selectors.subunit_completeness(user=tree.admin, unit=tree.district_a)
    assert [(r.unit, r.figures.members, r.figures.complete) for r in ranked] == [
        (tree.grassroots_a2, 4, 3),
        (tree.grassroots_a1, 2, 1),
    ]
    # The province ranks its districts by their whole subtrees; a district without members last.
    ranked = selectors.subunit_completeness(user=tree.admin, unit=tree.province)
    assert [(r.unit, r.figures.members) for r in ranked] == [
        (tree.district_a, 6),
        (tree.district_b, 0),
    ]
    client.force_login(tree.admin)
    page = client.get(f"/units/{tree.district_a.pk}/").content.decode()
    ranking = page[page.index('data-testid="subunit-completeness"') :]
    ranking = ranking[: ranking.index("</details>")]
    assert ranking.index(tree.grassroots_a2.name) < ranking.index(tree.grassroots_a1.name)
    assert ranking.count("<tr>") == 3  # the heading and the two sub-units
