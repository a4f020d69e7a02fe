"""Members sign themselves up through a session's public link (document number and date of
birth, within their union's quota), and participants are reminded by e-mail once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import tampered
from tests.training.helpers import client_of, session_of
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.training import passes, services
from unionhub.training.actions import Action
from unionhub.training.models import Enrolment, EnrolmentState

BORN = dt.date(1990, 5, 17)


@pytest.fixture
def open_session(tree, organiser):
    session = session_of(tree.district_a, organiser, capacity=5, unit_quota=1)
    return services.signup_set(session=session, open=True, by=organiser)


def sign_up(client, session, id_number, birth_date="17/05/1990"):
    url = reverse("training_public:signup", args=[passes.signup_token(session.pk)])
    return client.post(url, {"id_number": id_number, "birth_date": birth_date})


def test_a_member_signs_up_within_the_quota_and_the_next_waits(client, tree, admit, open_session):
    lan = admit(tree.grassroots_a1, full_name="Trần Thị Lan", birth_date=BORN)
    hung = admit(tree.grassroots_a1, full_name="Lê Văn Hùng", birth_date=BORN)
    page = sign_up(client, open_session, f" {lan.id_number} ").content.decode()
    enrolment = Enrolment.objects.get(member=lan)
    assert enrolment.state == EnrolmentState.CONFIRMED and enrolment.by is None
    assert passes.pass_token(enrolment) in page  # the pass link, to keep
    sign_up(client, open_session, hung.id_number, birth_date="1990-05-17")
    assert Enrolment.objects.get(member=hung).state == EnrolmentState.WAITING  # quota 1 a union
    event = AuditEvent.objects.filter(action=Action.ENROLLED).latest("pk")
    assert event.actor is None and event.data["self"] is True


def test_a_wrong_birth_date_an_outsider_and_a_leaver_get_one_message(
    client, tree, admit, open_session
):
    lan = admit(tree.grassroots_a1, birth_date=BORN)
    outsider = admit(tree.grassroots_b1, birth_date=BORN)  # district B: not this course's
    for number, born in ((lan.id_number, "18/05/1990"), (outsider.id_number, "17/05/1990"),
                         ("001099999999", "17/05/1990")):  # fmt: skip
        response = sign_up(client, open_session, number, born)
        assert "Không có đoàn viên đang sinh hoạt nào với số định danh" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_closed_or_forged_link_takes_nobody(client, tree, organiser, admit, open_session):
    lan = admit(tree.grassroots_a1, birth_date=BORN)
    services.signup_set(session=open_session, open=False, by=organiser)
    sign_up(client, open_session, lan.id_number)
    forged = reverse("training_public:signup", args=[tampered(passes.signup_token(1))])
    assert client.get(forged).status_code == 404
    assert not Enrolment.objects.exists()


def test_guessing_numbers_is_slowed_down(client, tree, admit, open_session):
    lan = admit(tree.grassroots_a1, birth_date=BORN)
    for serial in range(10):
        sign_up(client, open_session, f"001099{serial:06d}")
    response = sign_up(client, open_session, lan.id_number)
    assert "Thiết bị này đã thử quá nhiều lần" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_only_the_organiser_opens_sign_up(tree, officer_at, open_session):
    sibling = client_of(officer_at(tree.district_b, scope.UNIT_ADMIN))
    url = reverse("training:signup_toggle", args=[open_session.pk])
    assert sibling.post(url, {"open": "0"}).status_code in (403, 404)
    open_session.refresh_from_db()
    assert open_session.signup_open


def test_reminders_go_once_to_participants_with_an_e_mail(
    tree, organiser, admit, django_capture_on_commit_callbacks
):
    session = session_of(tree.district_a, organiser, capacity=5)
    session.starts = timezone.now() + dt.timedelta(days=1)
    session.save(update_fields=["starts"])
    with_mail = services.enrol(
        session=session,
        member=admit(tree.grassroots_a1, full_name="Trần Thị Lan", email="lan@example.vn"),
        by=organiser,
    )
    services.enrol(session=session, member=admit(tree.grassroots_a2), by=organiser)
    later = session_of(tree.district_a, organiser, capacity=5)  # in January 2027: not yet
    services.enrol(
        session=later, member=admit(tree.grassroots_a1, email="x@example.vn"), by=organiser
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training-reminders")
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    assert passes.pass_token(with_mail) in mail.outbox[0].body
    assert "Trần Thị Lan" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training-reminders")
    assert len(mail.outbox) == 1  # once per session
    session.refresh_from_db()
    assert session.reminded is not None
