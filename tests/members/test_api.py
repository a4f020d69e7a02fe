"""The members API: scoped like the screens, writes through the services, schema published."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from unionhub.audit.models import AuditEvent
from unionhub.members.models import Member, Transfer


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api_a(registrar_a):
    return _client(registrar_a)


@pytest.fixture
def api_b(registrar_b):
    return _client(registrar_b)


def test_list_and_search_are_scoped(api_a, api_b, tree, admit):
    mine = admit(full_name="Đặng Văn Trọng")
    admit(full_name="Đặng Thị Hoa", gender="female", unit=tree.grassroots_b1)
    listed = api_a.get("/api/v1/members/").json()["results"]
    assert [m["id"] for m in listed] == [mine.pk]
    found = api_a.get("/api/v1/members/search/", {"q": "dang"}).json()
    assert [m["full_name"] for m in found] == ["Đặng Văn Trọng"]
    assert [
        m["full_name"] for m in api_b.get("/api/v1/members/", {"q": "TRONG"}).json()["results"]
    ] == []


def test_detail_of_another_units_member_is_refused(api_b, admit):
    member = admit()
    response = api_b.get(f"/api/v1/members/{member.pk}/")
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert (
        api_b.patch(f"/api/v1/members/{member.pk}/", {"version": 1, "phone": "1"}).status_code
        == 403
    )
    assert api_b.get(f"/api/v1/members/{member.pk}/events/").status_code == 403


def test_create_admits_and_refuses_a_duplicate_document(api_a, api_b, tree):
    body = {
        "unit": tree.grassroots_a1.code,
        "full_name": "Lê Thị Thu",
        "gender": "female",
        "birth_date": "1992-01-02",
        "id_number": "042192000777",
        "joined": "2023-01-05",
    }
    created = api_a.post("/api/v1/members/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["unit"] == tree.grassroots_a1.code
    again = api_b.post("/api/v1/members/", {**body, "unit": tree.grassroots_b1.code}, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "active_elsewhere"
    assert Member.objects.count() == 1


def test_create_in_another_unit_is_refused(api_a, tree):
    body = {
        "unit": tree.grassroots_b1.code,
        "full_name": "A B",
        "gender": "male",
        "joined": "2023-01-05",
    }
    assert api_a.post("/api/v1/members/", body, format="json").status_code == 403


def test_stale_version_gives_409(api_a, admit):
    member = admit()
    assert (
        api_a.patch(
            f"/api/v1/members/{member.pk}/", {"version": 1, "phone": "0911"}, format="json"
        ).status_code
        == 200
    )
    stale = api_a.patch(
        f"/api/v1/members/{member.pk}/", {"version": 1, "phone": "0922"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "edit_conflict"
    member.refresh_from_db()
    assert member.phone == "0911"


def test_events_and_transfer_through_the_api(api_a, api_b, tree, admit):
    member = admit()
    response = api_a.post(
        f"/api/v1/members/{member.pk}/transfer/",
        {"to_unit": tree.grassroots_b1.code, "effective": "2024-02-01"},
        format="json",
    )
    assert response.status_code == 201
    transfer = Transfer.objects.get()
    assert [t["id"] for t in api_b.get("/api/v1/member-transfers/").json()["results"]] == [
        transfer.pk
    ]
    assert api_a.post(f"/api/v1/member-transfers/{transfer.pk}/accept/").status_code == 403
    assert (
        api_b.post(f"/api/v1/member-transfers/{transfer.pk}/accept/").json()["status"] == "accepted"
    )
    events = api_b.get(f"/api/v1/members/{member.pk}/events/").json()
    assert [e["kind"] for e in events] == ["admitted", "transferred_out", "transferred_in"]
    left = api_b.post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "left", "date": "2024-03-01", "reason": "resigned"},
        format="json",
    )
    assert left.status_code == 200
    late = api_b.post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "suspended", "date": "2024-04-01"},
        format="json",
    )
    assert late.status_code == 400 and late.json()["code"] == "event_not_allowed"


def test_sensitive_fields_only_on_request_and_logged(api_a, admit):
    member = admit(ethnicity="Thái", religion="Phật giáo")
    plain = api_a.get(f"/api/v1/members/{member.pk}/").json()
    assert "ethnicity" not in plain
    assert not AuditEvent.objects.filter(action="members.member.sensitive_viewed").exists()
    full = api_a.get(f"/api/v1/members/{member.pk}/", {"include": "sensitive"}).json()
    assert full["ethnicity"] == "Thái"
    assert AuditEvent.objects.filter(action="members.member.sensitive_viewed").count() == 1


def test_schema_describes_member_endpoints(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
        "paths"
    ]
    for path in [
        "/api/v1/members/",
        "/api/v1/members/{id}/",
        "/api/v1/members/search/",
        "/api/v1/members/{id}/events/",
        "/api/v1/member-transfers/{id}/accept/",
    ]:
        assert path in paths


def test_a_join_year_no_date_can_hold_is_ignored_not_a_server_error(tree, client):
    """The fuzzing found it: `?join_year=1000000000` made the date bounds overflow."""
    client.force_login(tree.admin)
    response = client.get("/api/v1/members/", {"join_year": 1_000_000_000})
    assert response.status_code == 200
