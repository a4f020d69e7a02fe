"""The members API gives identity document, phone, e-mail, address and date of birth only to
those who may export the unit's personal data (registrars, unit admins); every other role with
scope sees the member without them."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from unionhub.core import scope

pytestmark = pytest.mark.django_db
PERSONAL = {
    "id_number": "042190000555",
    "phone": "0912000555",
    "email": "hanh@example.vn",
    "address": "Xóm 5, xã Tùng Ảnh",
}


@pytest.fixture
def member(admit):
    return admit(full_name="Đặng Thị Hạnh", gender="female", **PERSONAL)


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _reads(api, member):
    listed = api.get("/api/v1/members/").json()["results"]
    found = api.get("/api/v1/members/search/", {"q": "Hạnh"}).json()
    detail = api.get(f"/api/v1/members/{member.pk}/").json()
    return [next(r for r in listed if r["id"] == member.pk), found[0], detail]


@pytest.mark.parametrize(
    "role", [scope.VIEWER, scope.FINANCE, scope.CLERK, scope.CONGRESS_ORGANISER]
)
def test_other_roles_do_not_get_personal_fields(tree, member, officer_at, role):
    for row in _reads(_api(officer_at(tree.grassroots_a1, role)), member):
        assert row["full_name"] == "Đặng Thị Hạnh"
        assert not {*PERSONAL, "birth_date"} & set(row)


@pytest.mark.parametrize("role", [scope.REGISTRAR, scope.UNIT_ADMIN])
def test_registrars_and_unit_admins_get_them(tree, member, officer_at, role):
    for row in _reads(_api(officer_at(tree.grassroots_a1, role)), member):
        assert {name: row[name] for name in PERSONAL} == PERSONAL
        assert row["birth_date"] == dt.date(1990, 5, 17).isoformat()
