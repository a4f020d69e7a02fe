"""The movements API: the same scoped reads as the pages, with their filters; in the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from unionhub.core import scope
from unionhub.movements import care, classification

GRADES = [("Vững mạnh", 70, None), ("Không hoàn thành", 0, None)]


@pytest.fixture
def world(tree, officer_at, admit):
    member = admit(unit=tree.grassroots_a1, full_name="Phạm Thị Hằng")
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    district = officer_at(tree.district_a, scope.UNIT_ADMIN)
    record = care.support_propose(
        member=member, kind="sickness", date=dt.date(2026, 11, 2), fund="social_fund",
        amount=1_000_000, by=clerk,
    )  # fmt: skip
    house = care.shelter_propose(
        member=member, address="Xóm 2, xã Đức Lạng", cost=60_000_000,
        contributions=[("Công ty May", 60_000_000)], by=clerk,
    )  # fmt: skip
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    scheme = classification.classification_create(
        unit=tree.province, year=2026, title="Phân loại 2026", criteria=[("Chăm lo", 100)],
        grades=GRADES, by=chair,
    )  # fmt: skip
    classification.assessment_score(
        classification=scheme, unit=tree.grassroots_a1,
        points={scheme.criteria.get().pk: Decimal(80)}, by=district,
    )  # fmt: skip
    return member, district, record, house


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_upper_level_reads_support_shelters_and_classes_with_filters(world, tree):
    member, district, record, house = world
    api = _client(district)
    support = api.get("/api/v1/movements/support-records/", {"year": 2026}).json()["results"]
    assert [(s["id"], s["member"], s["amount"]) for s in support] == [
        (record.pk, str(member.public_id), 1_000_000)
    ]
    assert api.get("/api/v1/movements/support-records/", {"year": 2025}).json()["results"] == []
    # A value the page's form refuses is ignored, as on the page.
    assert api.get("/api/v1/movements/support-records/", {"year": "x"}).status_code == 200
    # An unknown sort falls back to the default order.
    assert api.get("/api/v1/movements/classes/", {"sort": "zzz"}).json()["count"] == 1
    (shelter,) = api.get("/api/v1/movements/shelter-houses/").json()["results"]
    assert shelter["contributions"] == [{"contributor": "Công ty May", "amount": 60_000_000}]
    (grade,) = api.get("/api/v1/movements/classes/", {"year": 2026}).json()["results"]
    assert (grade["unit"], grade["grade"], grade["total"]) == (
        tree.grassroots_a1.code, "Vững mạnh", "80.0",
    )  # fmt: skip
    assert api.get(f"/api/v1/movements/shelter-houses/{house.pk}/").json()["state"] == "proposed"


def test_a_sibling_union_reads_nothing_of_another(world, tree, officer_at):
    _member, _district, record, house = world
    sibling = _client(officer_at(tree.grassroots_a2, scope.UNIT_ADMIN))
    for path in ("support-records", "shelter-houses", "classes", "awards"):
        assert sibling.get(f"/api/v1/movements/{path}/").json()["results"] == []
    assert sibling.get(f"/api/v1/movements/support-records/{record.pk}/").status_code == 404
    assert sibling.get(f"/api/v1/movements/shelter-houses/{house.pk}/").status_code == 404
    assert Client().get("/api/v1/movements/classes/").status_code in (401, 403)


def test_the_schema_describes_the_movements_routes(world):
    _member, district, _record, _house = world
    schema = (
        _client(district).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    paths = {p for p in schema["paths"] if p.startswith("/api/v1/movements/")}
    assert paths == {
        f"/api/v1/movements/{name}/{detail}"
        for name in ("campaigns", "awards", "support-records", "shelter-houses", "classes")
        for detail in ("", "{id}/")
    }
    parameters = schema["paths"]["/api/v1/movements/support-records/"]["get"]["parameters"]
    assert {"state", "kind", "year", "sort"} <= {p["name"] for p in parameters}


pytestmark = pytest.mark.django_db
