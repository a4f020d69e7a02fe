"""The home page's dashboard: members by area, admissions against leavers, the to-do list."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories import admit, make_user
from unionhub.cards import services as card_services
from unionhub.cards.selectors import cards_to_approve
from unionhub.core import scope
from unionhub.core.charts import nice_scale
from unionhub.members import selectors, services
from unionhub.orgs import services as org_services
from unionhub.orgs.models import Level, Sector


def _direct_union(tree, code, sector):
    return org_services.unit_found(
        code=code,
        name=f"Công đoàn {code}",
        level=Level.GRASSROOTS,
        parent=tree.province,
        founded=dt.date(2010, 1, 1),
        sector=sector,
        by=tree.admin,
    )


def test_areas_are_the_upper_units_and_the_direct_unions_by_sector(tree, officer_at, monkeypatch):
    monkeypatch.setattr(selectors, "AREA_UNITS_ALONE", 1)
    school = _direct_union(tree, "HT-S1", Sector.EDUCATION)
    school2 = _direct_union(tree, "HT-S2", Sector.EDUCATION)
    a1, a2, b1 = tree.grassroots_a1, tree.grassroots_a2, tree.grassroots_b1
    for unit in (a1, a1, a2, b1, school, school2):
        admit(unit, tree.admin)
    table = selectors.area_table(user=officer_at(tree.province), unit=tree.province)
    rows = {row.label: row for row in table.rows}
    assert rows[tree.district_a.name].members == 3
    assert rows[tree.district_a.name].unit == tree.district_a
    assert rows[tree.district_b.name].members == 1
    education = rows[str(Sector.EDUCATION.label)]
    assert education.members == 2 and education.units == [school, school2]
    assert education.unions == 2 and rows[tree.district_a.name].unions == 2
    assert education.unit is None  # a group, linked to the unit page's sector section
    # The biggest areas first.
    assert table.rows[0].label == tree.district_a.name


def test_a_few_direct_unions_are_lines_of_their_own(tree, officer_at):
    school = _direct_union(tree, "HT-S1", Sector.EDUCATION)
    table = selectors.area_table(user=officer_at(tree.province), unit=tree.province)
    assert school in [row.unit for row in table.rows]


def test_card_coverage_counts_members_with_an_issued_card(tree, officer_at):
    members = [admit(tree.grassroots_a1, tree.admin) for _ in range(4)]
    registrar = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    card_services.card_series_set(unit=tree.province, code="042", by=tree.admin)
    card = card_services.card_request(member=members[0], by=registrar)
    card_services.card_approve(card=card, by=tree.admin)
    card_services.card_request(member=members[1], by=registrar)  # requested only: not issued
    table = selectors.area_table(user=officer_at(tree.province), unit=tree.province)
    row = next(r for r in table.rows if r.unit == tree.district_a)
    assert [m.key for m in table.measures] == ["cards"]
    assert row.measures == {"cards": 1}
    assert row.shares == [25.0]


def test_the_area_table_takes_the_same_queries_for_many_units(
    tree, officer_at, django_assert_max_num_queries
):
    for n in range(12):
        admit(_direct_union(tree, f"HT-X{n}", Sector.ENTERPRISE), tree.admin)
    user = officer_at(tree.province)
    scope.grants(user)
    with django_assert_max_num_queries(5):
        selectors.area_table(user=user, unit=tree.province)


def test_monthly_movements_count_admissions_and_leavers_per_month(tree, officer_at):
    today = timezone.localdate()
    first = today.replace(day=1)
    joined = admit(tree.grassroots_a1, tree.admin, joined=first)
    admit(tree.grassroots_a1, tree.admin, joined=first)
    services.member_leave(member=joined, date=today, reason="resigned", by=tree.admin)
    admit(tree.grassroots_b1, tree.admin, joined=first)  # outside the district
    months = selectors.monthly_movements(
        user=officer_at(tree.district_a), unit=tree.district_a, today=today
    )
    assert len(months) == 12 and months[-1].first == first
    assert (months[-1].admitted, months[-1].left) == (2, 1)
    assert all(m.admitted == 0 for m in months[:-1])


def test_the_chart_axis_follows_the_data():
    assert nice_scale(3) == (3, 1)
    assert nice_scale(37) == (40, 10)
    assert nice_scale(4568) == (6000, 2000)
    assert nice_scale(0) == (4, 1)


def test_cards_to_approve_are_those_one_level_up_not_own_requests(tree, officer_at):
    member = admit(tree.grassroots_a1, tree.admin)
    local = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    card_services.card_request(member=member, by=local)
    district = officer_at(tree.district_a, scope.REGISTRAR)
    assert cards_to_approve(user=local).count() == 0  # approved one level up
    assert cards_to_approve(user=district).count() == 1
    assert cards_to_approve(user=officer_at(tree.district_b, scope.REGISTRAR)).count() == 0


def test_home_page_lists_what_waits_with_counts_and_links(client, tree, officer_at):
    member = admit(tree.grassroots_a1, tree.admin)
    card_services.card_request(member=member, by=tree.admin)
    other = admit(tree.grassroots_b1, tree.admin)
    services.transfer_request(
        member=other, to_unit=tree.grassroots_a2, effective=timezone.localdate(), by=tree.admin
    )
    district = officer_at(tree.district_a, scope.REGISTRAR)
    client.force_login(district)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo"' in page
    assert f'href="{reverse("members:transfers")}"' in page
    assert f'href="{reverse("cards:list")}?state=requested"' in page
    assert 'data-testid="areas"' in page and tree.grassroots_a1.name in page
    assert 'data-testid="movements-chart"' in page


def test_home_page_says_when_nothing_waits(client, tree, officer_at):
    client.force_login(officer_at(tree.grassroots_b1))
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo-empty"' in page


def test_home_page_query_count_does_not_grow_with_the_units(
    client, tree, officer_at, django_assert_max_num_queries
):
    user = officer_at(tree.province, scope.REGISTRAR)
    client.force_login(user)
    client.get(reverse("home"))
    for n in range(10):
        admit(_direct_union(tree, f"HT-Y{n}", Sector.HEALTH), tree.admin)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("home")).status_code == 200


def test_nobody_without_a_role_gets_a_dashboard(client, db):
    client.force_login(make_user("nobody"))
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-dashboard"' not in page
