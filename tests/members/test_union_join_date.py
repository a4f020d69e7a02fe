"""The union join date belongs to the person: bounded by working age and today, never by the
unit's founding; an existing member is recorded (not admitted) on a unit's books, through the
services, the admit form and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.world import COMMUNE_FOUNDED
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.members import services
from unionhub.members.models import EventKind, Member

pytestmark = pytest.mark.django_db

FOUNDED = COMMUNE_FOUNDED
TEACHER = {
    "full_name": "Nguyễn Thị Thanh Tâm",
    "gender": "female",
    "birth_date": dt.date(1976, 2, 9),
    "id_number": "042176009001",
}


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English; the page test reads the Vietnamese one."""
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(commune, officer_at):
    return officer_at(commune, scope.REGISTRAR)


def test_a_member_who_joined_in_1998_is_recorded_in_a_union_founded_in_2025(commune, clerk):
    member = services.member_record(
        unit=commune, by=clerk, joined=dt.date(1998, 9, 1), books_open=FOUNDED, **TEACHER
    )
    member.refresh_from_db()
    assert member.joined == dt.date(1998, 9, 1)
    assert (member.state, member.state_since, member.unit) == ("active", FOUNDED, commune)
    assert list(member.events.values_list("kind", "date")) == [(EventKind.RECORDED, FOUNDED)]
    assert list(member.periods.values_list("start", "end")) == [(FOUNDED, None)]
    assert AuditEvent.objects.filter(action="members.member.recorded").get().data["on"] == (
        "2025-07-01"
    )
    assert member.years_of_membership(dt.date(2025, 9, 1)) == 27
    assert member.years_of_membership(dt.date(2025, 8, 31)) == 26


def test_recording_defaults_to_the_day_of_recording(commune, clerk):
    member = services.member_record(unit=commune, by=clerk, joined=dt.date(2003, 1, 1), **TEACHER)
    assert member.events.get().date == timezone.localdate()


def test_a_person_who_joined_after_the_books_opened_is_on_them_from_their_join_date(commune, clerk):
    member = services.member_record(
        unit=commune, by=clerk, joined=dt.date(2025, 9, 15), books_open=FOUNDED, **TEACHER
    )
    assert member.events.get().date == dt.date(2025, 9, 15)


def test_admission_before_the_founding_says_to_record_instead(commune, clerk):
    with pytest.raises(DomainError) as refused:
        services.member_admit(unit=commune, by=clerk, joined=dt.date(1998, 9, 1), **TEACHER)
    assert refused.value.code == "date_before_founding"
    assert "recorded as an existing member" in str(refused.value.message)
    assert not Member.objects.exists()


def test_books_cannot_open_before_the_founding(commune, clerk):
    with pytest.raises(DomainError) as refused:
        services.member_record(
            unit=commune,
            by=clerk,
            joined=dt.date(1998, 9, 1),
            books_open=dt.date(2025, 6, 30),
            **TEACHER,
        )
    assert refused.value.code == "date_before_founding"
    assert "books" in str(refused.value.message)


@pytest.mark.parametrize(
    ("joined", "code"),
    [
        (dt.date(1989, 12, 31), "too_young"),  # born 1976: not yet 15
        (timezone.localdate() + dt.timedelta(days=1), "joined_in_future"),
    ],
)
def test_the_join_date_is_bounded_by_working_age_and_today(commune, clerk, joined, code):
    with pytest.raises(DomainError) as refused:
        services.member_record(unit=commune, by=clerk, joined=joined, **TEACHER)
    assert refused.value.code == code
    assert not Member.objects.exists()


def test_the_join_date_travels_through_a_transfer_and_can_be_corrected(commune, clerk, tree):
    member = services.member_record(
        unit=commune, by=clerk, joined=dt.date(1998, 9, 1), books_open=FOUNDED, **TEACHER
    )
    services.members_move_by_reorganisation(
        from_unit=commune, to_unit=tree.grassroots_a1, effective=FOUNDED, by=tree.admin
    )
    member.refresh_from_db()
    assert (member.unit, member.joined) == (tree.grassroots_a1, dt.date(1998, 9, 1))
    member = services.member_update(
        member=member, by=tree.admin, version=member.version, joined=dt.date(1998, 8, 1)
    )
    assert member.joined == dt.date(1998, 8, 1)
    assert member.events.order_by("id").first().date == FOUNDED  # the events stay as they were
    with pytest.raises(DomainError) as refused:
        services.member_update(
            member=member, by=tree.admin, version=member.version, joined=dt.date(1980, 1, 1)
        )
    assert refused.value.code == "too_young"


def test_the_admit_form_records_an_existing_member(client, commune, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("members:admit", args=[commune.pk]),
        {
            "entry": "record",
            "full_name": "Trần Văn Bình",
            "gender": "male",
            "birth_date": "1970-05-04",
            "id_kind": "cccd",
            "id_number": "042070009002",
            "joined": "1994-03-26",
            "books_open": "2025-07-01",
            "nationality": "Việt Nam",
        },
    )
    member = Member.objects.get()
    assert response.status_code == 302
    assert member.joined == dt.date(1994, 3, 26)
    assert list(member.events.values_list("kind", "date")) == [(EventKind.RECORDED, FOUNDED)]
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "26/03/1994" in page


def test_the_admit_form_names_the_founding_and_offers_recording(client, commune, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("members:admit", args=[commune.pk]),
        {
            "full_name": "Trần Văn Bình",
            "gender": "male",
            "id_kind": "cccd",
            "id_number": "042070009002",
            "joined": "1994-03-26",
        },
    )
    assert response.status_code == 200
    # The officer's page is in Vietnamese: admission refused for the founding, recording offered.
    page = response.content.decode()
    assert "thành lập ngày 01/07/2025" in page
    assert "ghi nhận là đoàn viên đang sinh hoạt" in page
    assert not Member.objects.exists()


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_api_records_an_existing_member(commune, clerk):
    api = _api(clerk)
    body = {
        "unit": commune.code,
        "entry": "record",
        "full_name": "Lê Thị Hồng",
        "gender": "female",
        "birth_date": "1981-07-07",
        "id_number": "042181009003",
        "joined": "2004-05-01",
        "books_open": "2025-07-01",
    }
    created = api.post("/api/v1/members/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["joined"] == "2004-05-01"
    assert created.json()["state_since"] == "2025-07-01"
    events = api.get(f"/api/v1/members/{created.json()['id']}/events/").json()
    assert [(e["kind"], e["date"]) for e in events] == [("recorded", "2025-07-01")]

    admitted = api.post(
        "/api/v1/members/",
        {**body, "entry": "admit", "id_number": "042181009004", "books_open": None},
        format="json",
    )
    assert admitted.status_code == 400
    assert admitted.json()["code"] == "date_before_founding"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"joined": dt.date(1929, 7, 27)}, "joined_before_the_union"),
        ({"joined": dt.date(201, 3, 5)}, "joined_before_the_union"),
        ({"birth_date": dt.date(1885, 3, 5), "joined": dt.date(1946, 1, 1)}, "birth_too_early"),
        ({"birth_date": dt.date(1, 1, 1)}, "birth_too_early"),
    ],
)
def test_dates_before_the_union_or_its_members_could_exist_are_mistyped_years(
    commune, clerk, fields, code
):
    values = {**TEACHER, "joined": dt.date(1998, 9, 1), **fields}
    with pytest.raises(DomainError) as refused:
        services.member_record(unit=commune, by=clerk, books_open=FOUNDED, **values)
    assert refused.value.code == code
    assert "check the year" in str(refused.value.message)
    assert not Member.objects.exists()


def test_a_member_who_joined_on_the_unions_founding_day_is_recorded(commune, clerk):
    values = {**TEACHER, "birth_date": dt.date(1905, 1, 1), "joined": dt.date(1929, 7, 28)}
    member = services.member_record(unit=commune, by=clerk, books_open=FOUNDED, **values)
    assert member.joined == dt.date(1929, 7, 28)
