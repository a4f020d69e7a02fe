"""Erasure that keeps the statistics: member_anonymise blanks the person, keeps their events, and
refuses while a retention rule applies; the anonymised member is found by no former value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import admit, jpeg
from unionhub.audit.models import AuditEvent
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.members import selectors as member_selectors
from unionhub.members import services as member_services
from unionhub.members.models import LeaveReason, Member
from unionhub.privacy import services
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Method, Purpose

NO_RETENTION = {"identity": 0, "contact": 0, "photo": 0, "sensitive": 0}
FORMER = {
    "full_name": "Lê Thị Hoa Sen",
    "id_number": "042191000888",
    "phone": "0912345678",
    "email": "hoasen@example.vn",
    "address": "12 Trần Phú, Hà Tĩnh",
    "home_town": "Kỳ Anh",
    "ethnicity": "Kinh",
    "religion": "Phật giáo",
    "workplace": "Phân xưởng 3",
}


@pytest.fixture
def former(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = admit(
        tree.grassroots_a1,
        tree.admin,
        dt.date(2015, 3, 1),
        female=True,
        birth_date=dt.date(1990, 5, 17),
        photo=jpeg(),
        **FORMER,
    )
    return member_services.member_leave(
        member=member, date=dt.date(2019, 6, 30), reason=LeaveReason.RESIGNED, by=tree.admin
    )


@override_settings(PRIVACY_RETENTION_YEARS=NO_RETENTION)
def test_anonymise_blanks_the_person_and_keeps_the_events(
    former, registrar_a, tmp_path, django_capture_on_commit_callbacks
):
    events = list(former.events.values_list("kind", "date", "unit_id"))
    periods = list(former.periods.values_list("unit_id", "start", "end"))
    photo = tmp_path / former.photo.name
    assert photo.exists()
    services.consent_record(
        member=former, purpose=Purpose.CONTACT, given_on=dt.date(2016, 1, 1),
        method=Method.PAPER, by=registrar_a,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        member = services.member_anonymise(member=former, by=registrar_a)
    member.refresh_from_db()
    for name, value in FORMER.items():
        assert getattr(member, name) != value, name
    assert member.birth_date == dt.date(1990, 7, 1)  # the year stays for the age bands
    assert not member.photo and not member.photo_thumb and not photo.exists()
    assert member.gender == "female" and member.joined == dt.date(2015, 3, 1)
    assert list(member.events.values_list("kind", "date", "unit_id")) == events
    assert list(member.periods.values_list("unit_id", "start", "end")) == periods
    assert not member.consents.filter(withdrawn_on__isnull=True).exists()
    assert AuditEvent.objects.filter(action=Action.MEMBER_ANONYMISED).count() == 1
    # The trail about them no longer names them.
    trail = AuditEvent.objects.filter(target_id=str(member.pk))
    assert not any(FORMER["full_name"] in row.target_repr for row in trail)
    with pytest.raises(DomainError) as error:
        services.member_anonymise(member=member, by=registrar_a)
    assert error.value.code == "anonymise.done"


@override_settings(PRIVACY_RETENTION_YEARS=NO_RETENTION)
def test_anonymised_member_is_found_by_no_former_value(former, registrar_a):
    services.member_anonymise(member=former, by=registrar_a)
    api = APIClient()
    api.force_authenticate(registrar_a)
    for value in FORMER.values():
        found = member_selectors.member_search(user=registrar_a, query=value)
        assert former.pk not in [m.pk for m in found], value
        for url in ("/api/v1/members/", "/api/v1/members/search/"):
            body = api.get(url, {"q": value}).json()
            rows = body["results"] if isinstance(body, dict) else body
            assert former.public_id.hex not in str(rows).replace("-", ""), (url, value)
    detail = api.get(f"/api/v1/members/{former.pk}/").content.decode()
    assert all(value not in detail for value in FORMER.values())


def test_refused_while_a_member_or_while_retention_applies(tree, former, registrar_a, settings):
    current = admit(tree.grassroots_a1, tree.admin, full_name="Phan Văn Đức")
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.member_anonymise(member=current, by=registrar_a)
    assert error.value.code == "anonymise.retention"
    assert "while the person is a member" in str(error.value.message)

    settings.PRIVACY_RETENTION_YEARS = {**NO_RETENTION, "identity": 10}
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.member_anonymise(member=former, by=registrar_a)
    assert str(error.value.message).startswith("Identity: ")
    assert "must be kept until 30/06/2029" in str(error.value.message)
    assert Member.objects.get(pk=former.pk).full_name == FORMER["full_name"]


def test_refusal_reason_in_vietnamese(former, registrar_a, settings):
    settings.PRIVACY_RETENTION_YEARS = {**NO_RETENTION, "identity": 10}
    with translation.override("vi"), pytest.raises(DomainError) as error:
        services.member_anonymise(member=former, by=registrar_a)
    assert "30/06/2029" in str(error.value.message)
    assert "must be kept" not in str(error.value.message)


@override_settings(PRIVACY_RETENTION_YEARS=NO_RETENTION)
def test_out_of_scope_refused(former, registrar_b):
    with pytest.raises(OutOfScope):
        services.member_anonymise(member=former, by=registrar_b)


def test_member_page_shows_why_erasure_waits_and_the_button_once_allowed(
    client, former, registrar_a, settings
):
    client.force_login(registrar_a)
    settings.PRIVACY_RETENTION_YEARS = {**NO_RETENTION, "identity": 10}
    page = client.get(f"/members/{former.pk}/").content.decode()
    assert 'data-testid="erasure-blockers"' in page and "30/06/2029" in page
    settings.PRIVACY_RETENTION_YEARS = NO_RETENTION
    page = client.get(f"/members/{former.pk}/").content.decode()
    assert f"/privacy/members/{former.pk}/anonymise/" in page
    response = client.post(f"/privacy/members/{former.pk}/anonymise/")
    assert response.status_code == 302
    assert Member.objects.get(pk=former.pk).full_name.startswith("# ")
