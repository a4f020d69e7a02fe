"""QR attendance at a training session's door, on the check-in machinery congress uses
(core.checkin): the participant's pass checks them in once, a pass of another session, of a
cancelled place or replaced by a newer one is refused with its reason, and the pass opens the
course's materials on the participant's phone."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import tampered
from tests.training.helpers import client_of, session_of
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.checkin import CheckInSource
from unionhub.training import passes, services
from unionhub.training.actions import Action
from unionhub.training.models import Enrolment, EnrolmentState, Material

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def begun(session):
    """The session started ten minutes ago: its door is open."""
    session.starts = timezone.now() - dt.timedelta(minutes=10)
    session.save(update_fields=["starts"])
    return session


@pytest.fixture
def door(tree, organiser, admit):
    session = begun(session_of(tree.district_a, organiser, capacity=5))
    lan = services.enrol(
        session=session, member=admit(tree.grassroots_a1, full_name="Trần Thị Lan"), by=organiser
    )
    hung = services.enrol(
        session=session, member=admit(tree.grassroots_a2, full_name="Lê Văn Hùng"), by=organiser
    )
    return session, lan, hung


def scan(client, session, code):
    return client.post(reverse("training:station_scan", args=[session.pk]), {"code": code}).json()


def test_a_pass_checks_its_holder_in_once_and_a_second_scan_says_when(organiser, door):
    session, lan, _hung = door
    client = client_of(organiser)
    url = "https://unionhub.example/t/" + passes.pass_token(lan)  # the QR holds the pass's URL
    first = scan(client, session, url)
    assert first["status"] == "checked_in"
    assert first["participant"]["name"] == "Trần Thị Lan"
    again = scan(client, session, url)
    assert again["status"] == "already"
    assert again["checkin"]["at"] == first["checkin"]["at"]
    lan.refresh_from_db()
    assert lan.attended is not None
    assert (lan.attended_via, lan.station) == (CheckInSource.SCAN, "")
    assert AuditEvent.objects.filter(action=Action.CHECKED_IN).count() == 1


def test_refused_passes_say_why(tree, organiser, admit, door):
    session, lan, hung = door
    client = client_of(organiser)
    other = begun(session_of(tree.district_a, organiser, capacity=5))
    stranger = services.enrol(session=other, member=admit(tree.grassroots_a1), by=organiser)
    assert scan(client, session, passes.pass_token(stranger))["code"] == "card_other_group"
    assert scan(client, session, tampered(passes.pass_token(lan)))["code"] == "card_invalid"
    old = passes.pass_token(hung)
    services.pass_reissue(enrolment=hung, by=organiser)
    assert scan(client, session, old)["code"] == "card_replaced"
    services.enrolment_cancel(enrolment=lan, by=organiser)
    refused = scan(client, session, passes.pass_token(lan))
    assert refused["code"] == "card_revoked"
    assert "Trần Thị Lan" in refused["message"]
    assert scan(client, session, passes.pass_token(hung))["status"] == "checked_in"
    assert list(Enrolment.objects.filter(attended__isnull=False)) == [hung]


def test_the_door_opens_an_hour_before_the_session(tree, organiser, admit):
    session = session_of(tree.district_a, organiser, capacity=5)  # in January 2027
    enrolment = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    answer = scan(client_of(organiser), session, passes.pass_token(enrolment))
    assert (answer["status"], answer["code"]) == ("refused", "not_started")
    assert Enrolment.objects.get().attended is None


def test_two_stations_recording_one_pass_make_one_check_in(organiser, door):
    session, lan, _hung = door
    first, second = services.SessionDesk(session), services.SessionDesk(session)
    at = timezone.now()
    recorded = first.record(lan, at=at, source=CheckInSource.SCAN, station="A", by=organiser)
    assert recorded is not None
    # The second station read "not in" before the first wrote: its write finds nothing to do.
    assert second.record(lan, at=at, source=CheckInSource.SCAN, station="B", by=organiser) is None
    assert Enrolment.objects.get(pk=lan.pk).station == "A"
    assert AuditEvent.objects.filter(action=Action.CHECKED_IN).count() == 1


def test_check_in_by_name_and_the_search_that_finds_it(organiser, door):
    session, lan, _hung = door
    client = client_of(organiser)
    found = client.get(reverse("training:station_search", args=[session.pk]), {"q": "tran thi"})
    assert f'data-holder="{lan.pk}"' in found.content.decode()
    answer = client.post(
        reverse("training:station_manual", args=[session.pk]),
        {"participant": lan.pk, "station": "Cửa chính"},
    ).json()
    assert answer["status"] == "checked_in"
    lan.refresh_from_db()
    assert (lan.attended_via, lan.station) == (CheckInSource.MANUAL, "Cửa chính")


def test_the_offline_queue_uploads_and_the_roster_follows(organiser, door):
    session, lan, hung = door
    client = client_of(organiser)
    at = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    items = [{"token": passes.pass_token(lan), "at": at}, {"participant": hung.pk, "at": at}]
    response = client.post(
        reverse("training:station_upload", args=[session.pk]),
        json.dumps({"items": items + items}),
        content_type="application/json",
        HTTP_X_STATION="Cửa phụ",
    )
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["checked_in", "checked_in", "already", "already"]
    roster = client.get(reverse("training:station_roster", args=[session.pk])).json()
    assert {p["id"] for p in roster["participants"]} == {lan.pk, hung.pk}
    assert sorted(roster["checkedIn"]) == sorted([lan.pk, hung.pk])
    lan.refresh_from_db()
    assert lan.attended.isoformat() == at
    assert lan.attended_via == CheckInSource.OFFLINE
    bad = client.post(
        reverse("training:station_upload", args=[session.pk]),
        "not json",
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_a_sibling_district_cannot_run_the_door(tree, officer_at, door):
    session, lan, _hung = door
    sibling = client_of(officer_at(tree.district_b, scope.UNIT_ADMIN))
    for name in ("station", "station_roster", "station_search", "passes"):
        url = reverse(f"training:{name}", args=[session.pk])
        assert sibling.get(url).status_code in (403, 404), url
    for name in ("station_scan", "station_manual", "station_upload"):
        url = reverse(f"training:{name}", args=[session.pk])
        response = sibling.post(url, {"code": passes.pass_token(lan), "participant": lan.pk})
        assert response.status_code in (403, 404), url
    assert Enrolment.objects.get(pk=lan.pk).attended is None


def test_the_pass_opens_the_session_and_its_materials_on_the_phone(client, organiser, door):
    session, lan, _hung = door
    handout = services.material_add(
        course=session.course,
        title="Hướng dẫn gửi văn bản",
        file=SimpleUploadedFile("hd.pdf", PDF),
        by=organiser,
    )
    services.material_add(
        course=session.course, title="Video bài giảng", link="https://video.example/1", by=organiser
    )
    token = passes.pass_token(lan)
    page = client.get(reverse("training_public:pass", args=[token]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Trần Thị Lan" in body and "Video bài giảng" in body and "<svg" in body
    document = client.get(reverse("training_public:pass_material", args=[token, handout.pk]))
    assert b"".join(document.streaming_content) == PDF
    assert client.get(reverse("training_public:pass", args=[tampered(token)])).status_code == 403
    services.enrolment_cancel(enrolment=lan, by=organiser)
    assert client.get(reverse("training_public:pass", args=[token])).status_code == 403


def test_a_pass_opens_only_its_own_courses_materials(client, tree, organiser, admit, door):
    _session, lan, _hung = door
    other = session_of(tree.district_a, organiser, capacity=5)
    secret = services.material_add(
        course=other.course, title="Khác", file=SimpleUploadedFile("x.pdf", PDF), by=organiser
    )
    url = reverse("training_public:pass_material", args=[passes.pass_token(lan), secret.pk])
    assert client.get(url).status_code in (403, 404)


def test_materials_are_pdfs_or_links_and_only_the_organiser_adds_them(
    tree, organiser, officer_at, door
):
    session, _lan, _hung = door
    client = client_of(organiser)
    url = reverse("training:material_add", args=[session.course_id])
    fake = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf")
    client.post(url, {"title": "Bài giảng", "file": fake}, HTTP_ACCEPT_LANGUAGE="vi")
    client.post(url, {"title": "Hai nguồn", "file": SimpleUploadedFile("a.pdf", PDF),
                      "link": "https://video.example/2"})  # fmt: skip
    assert not Material.objects.exists()
    sibling = client_of(officer_at(tree.district_b, scope.UNIT_ADMIN))
    sibling.post(url, {"title": "Lạ", "link": "https://video.example/3"})
    assert not Material.objects.exists()
    client.post(url, {"title": "Bài giảng", "file": SimpleUploadedFile("a.pdf", PDF)})
    material = Material.objects.get()
    assert client.get(reverse("training:material_file", args=[material.pk])).status_code == 200
    assert sibling.get(reverse("training:material_file", args=[material.pk])).status_code in (
        403,
        404,
    )


def test_ticking_attendance_on_the_list_is_not_a_station_check_in(organiser, door):
    _session, lan, _hung = door
    services.attendance_set(enrolment=lan, present=True, by=organiser)
    lan.refresh_from_db()
    assert lan.attended is not None and lan.attended_via == ""
    assert lan.state == EnrolmentState.CONFIRMED
