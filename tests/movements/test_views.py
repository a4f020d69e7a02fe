from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.movements.helpers import campaign, entry
from unionhub.core import scope
from unionhub.movements import services
from unionhub.movements.models import Entry, Registration


@pytest.fixture
def world(tree, officer_at):
    organiser = officer_at(tree.province, scope.UNIT_ADMIN)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    run = campaign(tree.province, organiser)
    return organiser, clerk, run


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_creates_a_campaign_from_the_page(tree, officer_at):
    organiser = officer_at(tree.district_a, scope.UNIT_ADMIN)
    response = _client(organiser).post(
        reverse("movements:create"),
        {
            "unit": tree.district_a.code, "title": "Giỏi việc nước, đảm việc nhà",
            "starts": "2026-01-01", "ends": "2026-12-31", "participants": "members",
            "rule": "median", "criteria": "Công tác; 50; 1\nGia đình; 50; 1,5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    page = _client(organiser).get(response["Location"]).content.decode()
    assert "Giỏi việc nước" in page and "Gia đình" in page


def test_the_list_filters_sorts_and_exports(world, tree):
    organiser, clerk, run = world
    campaign(tree.district_a, organiser, title="Phong trào Xanh")
    client = _client(clerk)  # a grassroots union sees the campaigns run above it
    page = client.get(reverse("movements:list")).content.decode()
    assert run.title in page and "Phong trào Xanh" in page
    page = client.get(reverse("movements:list"), {"q": "Xanh"}).content.decode()
    assert run.title not in page
    response = client.get(reverse("movements:list"), {"export": "xlsx", "sort": "-title"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Phong trào Xanh",
        run.title,
    ]


def test_a_grassroots_union_registers_and_submits_on_the_phone_page(world, tree):
    _organiser, clerk, run = world
    client = _client(clerk)
    url = reverse("movements:take_part", args=[run.pk])
    assert client.post(url, {"r-unit": tree.grassroots_a1.pk}).status_code == 302
    registration = Registration.objects.get(campaign=run)
    response = client.post(
        url,
        {"e-registration": registration.pk, "e-title": "Máy cắt cải tiến", "e-text": "Giảm 20%",
         "e-benefit": "15000000"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Entry.objects.get().benefit == Decimal(15_000_000)


def test_a_juror_sees_only_their_own_points(world, tree, officer_at):
    organiser, clerk, run = world
    submitted = entry(run, tree.grassroots_a1, clerk)
    first, second = (officer_at(tree.province, scope.VIEWER) for _ in range(2))
    for juror in (first, second):
        services.juror_appoint(campaign=run, user=juror, by=organiser)
    creative, effect = run.criteria.all()
    response = _client(first).post(
        reverse("movements:score", args=[run.pk]),
        {"entry": submitted.pk, f"c{creative.pk}": "37.5", f"c{effect.pk}": "59"},
    )
    assert response.status_code == 302
    own = _client(first).get(reverse("movements:score", args=[run.pk])).content.decode()
    other = _client(second).get(reverse("movements:score", args=[run.pk])).content.decode()
    assert 'value="37.50"' in own and 'value="59.00"' in own
    assert "37.50" not in other and "59.00" not in other
    # The results show the combined score (one complete sheet: 37.5 + 2 × 59), not the sheet.
    results = _client(organiser).get(reverse("movements:results", args=[run.pk])).content.decode()
    assert re.search(r"155[.,]50", results)
    # Out of range: refused with the message, nothing written.
    response = _client(second).post(
        reverse("movements:score", args=[run.pk]), {"entry": submitted.pk, f"c{creative.pk}": "41"}
    )
    assert "từ 0 đến 40" in response.content.decode()


def test_a_sibling_units_officer_is_refused(world, tree, officer_at):
    organiser, clerk, run = world
    submitted = entry(run, tree.grassroots_a1, clerk)
    services.juror_appoint(campaign=run, user=organiser, by=organiser)
    sibling = _client(officer_at(tree.grassroots_a2, scope.UNIT_ADMIN))
    assert sibling.get(reverse("movements:score", args=[run.pk])).status_code == 404
    assert sibling.post(reverse("movements:juror_add", args=[run.pk])).status_code == 404
    page = sibling.get(reverse("movements:campaign", args=[run.pk])).content.decode()
    assert submitted.title not in page and tree.grassroots_a1.name not in page
    results = sibling.get(reverse("movements:results", args=[run.pk])).content.decode()
    assert submitted.title not in results
    # A district campaign of the other district is out of reach altogether.
    other = campaign(tree.district_b, officer_at(tree.district_b, scope.UNIT_ADMIN))
    assert sibling.get(reverse("movements:campaign", args=[other.pk])).status_code == 404


def test_the_organiser_appoints_a_juror_by_user_name(world, tree, officer_at):
    organiser, _clerk, run = world
    juror = officer_at(tree.province, scope.VIEWER)
    outsider = officer_at(tree.district_b, scope.VIEWER)
    client = _client(organiser)
    client.post(reverse("movements:juror_add", args=[run.pk]), {"username": juror.username})
    client.post(reverse("movements:juror_add", args=[run.pk]), {"username": outsider.username})
    # Only the province's officer sits: a district officer is not of the campaign's unit.
    assert list(run.jurors.values_list("user__username", flat=True)) == [juror.username]
