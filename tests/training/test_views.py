from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.training.helpers import client_of, session_of
from unionhub.core import scope
from unionhub.training import services
from unionhub.training.models import Course, Enrolment, EnrolmentState


def test_an_organiser_creates_a_course_and_a_session_from_the_pages(tree, organiser):
    client = client_of(organiser)
    response = client.post(
        reverse("training:list"),
        {"unit": tree.district_a.code, "title": "Sử dụng điện thoại thông minh",
         "topic": "Truyền thông", "audience": "Cán bộ công đoàn cơ sở"},
    )  # fmt: skip
    course = Course.objects.get()
    assert response.url == reverse("training:course", args=[course.pk])
    response = client.post(
        reverse("training:course", args=[course.pk]),
        {"starts": "2027-01-15T08:00", "place": "Hội trường", "capacity": "30", "unit_quota": "3"},
    )
    assert response.status_code == 302
    session = course.sessions.get()
    assert (session.capacity, session.unit_quota) == (30, 3)
    page = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "Hội trường" in page


def test_a_session_without_place_or_link_is_refused_with_a_message(tree, organiser):
    course = services.course_create(
        unit=tree.district_a, title="Khoá", topic="Chủ đề", by=organiser
    )
    response = client_of(organiser).post(
        reverse("training:course", args=[course.pk]),
        {"starts": "2027-01-15T08:00", "capacity": "30"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert "Hãy nhập địa điểm hoặc đường dẫn trực tuyến." in response.content.decode()
    assert not course.sessions.exists()


def test_a_registrar_nominates_by_document_number_and_exports_the_list(
    tree, organiser, officer_at, admit
):
    session = session_of(tree.district_a, organiser, capacity=1)
    registrar = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    first = admit(tree.grassroots_a1, full_name="Trần Thị Lan")
    second = admit(tree.grassroots_a1, full_name="Lê Văn Hùng")
    client = client_of(registrar)
    url = reverse("training:session", args=[session.pk])
    for person in (first, second):
        assert client.post(url, {"id_number": person.id_number}).status_code == 302
    assert dict(Enrolment.objects.values_list("member__full_name", "state")) == {
        "Trần Thị Lan": EnrolmentState.CONFIRMED,
        "Lê Văn Hùng": EnrolmentState.WAITING,
    }
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(url, {"export": "xlsx"}).streaming_content))
    ).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Thị Lan", "Lê Văn Hùng"]


def test_a_registrar_cannot_nominate_another_unions_member(tree, organiser, officer_at, admit):
    session = session_of(tree.district_a, organiser, capacity=5)
    registrar = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    stranger = admit(tree.grassroots_a2)
    response = client_of(registrar).post(
        reverse("training:session", args=[session.pk]), {"id_number": stranger.id_number}
    )
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


def test_a_sibling_districts_officer_is_refused_every_page(tree, organiser, officer_at, admit):
    session = session_of(tree.district_a, organiser, capacity=5)
    enrolment = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    sibling = client_of(officer_at(tree.district_b, scope.UNIT_ADMIN))
    for url in (
        reverse("training:course", args=[session.course_id]),
        reverse("training:session", args=[session.pk]),
        reverse("training:session", args=[session.pk]) + "?export=xlsx",
    ):
        assert sibling.get(url).status_code in (403, 404), url
    cancel = reverse("training:enrolment_cancel", args=[enrolment.pk])
    assert sibling.post(cancel).status_code in (403, 404)
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.CONFIRMED
    listing = sibling.get(reverse("training:list")).content.decode()
    assert session.course.title not in listing


def test_a_grassroots_officer_sees_the_course_offered_from_above(tree, organiser, officer_at):
    session = session_of(tree.district_a, organiser, capacity=5)
    viewer = client_of(officer_at(tree.grassroots_a1))
    assert session.course.title in viewer.get(reverse("training:list")).content.decode()
    assert viewer.get(reverse("training:session", args=[session.pk])).status_code == 200


def test_cancelling_an_attended_place_is_refused_with_a_message(
    tree, organiser, admit, monkeypatch
):
    session = session_of(tree.district_a, organiser, capacity=5)
    enrolment = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    monkeypatch.setattr("unionhub.training.services.timezone.now", lambda: session.starts)
    services.attendance_set(enrolment=enrolment, present=True, by=organiser)
    client = client_of(organiser)
    response = client.post(reverse("training:enrolment_cancel", args=[enrolment.pk]), follow=True)
    assert "không thể huỷ suất học" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.CONFIRMED
