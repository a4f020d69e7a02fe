from __future__ import annotations

import datetime as dt

import pytest

from tests.training.helpers import session_of
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.training import services
from unionhub.training.models import Enrolment, EnrolmentState


def states(session):
    return list(
        Enrolment.objects.filter(session=session)
        .order_by("created", "pk")
        .values_list("member__full_name", "state")
    )


def test_places_then_the_waiting_list(tree, organiser, admit):
    session = session_of(tree.district_a, organiser, capacity=2)
    people = [admit(tree.grassroots_a1, full_name=f"Người {n}") for n in range(3)]
    for person in people:
        services.enrol(session=session, member=person, by=organiser)
    assert states(session) == [
        ("Người 0", EnrolmentState.CONFIRMED),
        ("Người 1", EnrolmentState.CONFIRMED),
        ("Người 2", EnrolmentState.WAITING),
    ]
    assert AuditEvent.objects.filter(action="training.enrolment.created").count() == 3


def test_a_unit_over_its_quota_waits_while_another_unit_gets_a_place(tree, organiser, admit):
    session = session_of(tree.district_a, organiser, capacity=3, unit_quota=1)
    first = admit(tree.grassroots_a1, full_name="A1 thứ nhất")
    second = admit(tree.grassroots_a1, full_name="A1 thứ hai")
    other = admit(tree.grassroots_a2, full_name="A2")
    for person in (first, second, other):
        services.enrol(session=session, member=person, by=organiser)
    assert dict(states(session)) == {
        "A1 thứ nhất": EnrolmentState.CONFIRMED,
        "A1 thứ hai": EnrolmentState.WAITING,
        "A2": EnrolmentState.CONFIRMED,
    }


def test_a_freed_place_goes_to_the_first_waiting_who_fits_the_quota(tree, organiser, admit):
    session = session_of(tree.district_a, organiser, capacity=2, unit_quota=1)
    a1 = admit(tree.grassroots_a1, full_name="A1")
    a2 = admit(tree.grassroots_a2, full_name="A2")
    a1_waiting = admit(tree.grassroots_a1, full_name="A1 chờ")
    a2_waiting = admit(tree.grassroots_a2, full_name="A2 chờ")
    enrolments = {
        m.full_name: services.enrol(session=session, member=m, by=organiser)
        for m in (a1, a2, a1_waiting, a2_waiting)
    }
    promoted = services.enrolment_cancel(enrolment=enrolments["A2"], by=organiser)
    # A1 chờ waited longer but A1 still holds its one place: A2's place goes to A2 chờ.
    assert [e.member.full_name for e in promoted] == ["A2 chờ"]
    assert dict(states(session))["A1 chờ"] == EnrolmentState.WAITING
    assert services.enrolment_cancel(enrolment=enrolments["A2"], by=organiser) == []


def test_cancelling_a_wait_promotes_nobody(tree, organiser, admit):
    session = session_of(tree.district_a, organiser, capacity=1)
    services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    waiting = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    assert services.enrolment_cancel(enrolment=waiting, by=organiser) == []


def test_enrolling_twice_is_refused_but_after_cancelling_joins_the_end(tree, organiser, admit):
    session = session_of(tree.district_a, organiser, capacity=1)
    member = admit(tree.grassroots_a1, full_name="Hai lần")
    enrolment = services.enrol(session=session, member=member, by=organiser)
    with pytest.raises(DomainError) as error:
        services.enrol(session=session, member=member, by=organiser)
    assert error.value.code == "already_enrolled"
    services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    services.enrolment_cancel(enrolment=enrolment, by=organiser)
    again = services.enrol(session=session, member=member, by=organiser)
    assert again.state == EnrolmentState.WAITING
    assert Enrolment.objects.filter(session=session, member=member).count() == 1


def test_people_outside_the_organisers_subtree_cannot_enrol(tree, organiser, officer_at, admit):
    session = session_of(tree.district_a, organiser, capacity=5)
    registrar_b = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    with pytest.raises(DomainError) as error:
        services.enrol(session=session, member=admit(tree.grassroots_b1), by=registrar_b)
    assert error.value.code == "outside_course"
    assert not Enrolment.objects.exists()


def test_a_registrar_nominates_only_their_own_units_members(tree, organiser, officer_at, admit):
    session = session_of(tree.district_a, organiser, capacity=5)
    registrar_a1 = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    with pytest.raises(OutOfScope):
        services.enrol(session=session, member=admit(tree.grassroots_a2), by=registrar_a1)
    with pytest.raises(OutOfScope):
        session_of(tree.district_a, registrar_a1, capacity=5)


@pytest.mark.parametrize(
    ("capacity", "quota", "place", "code"),
    [
        (0, None, "Hội trường", "capacity_too_small"),
        (5, 6, "Hội trường", "quota_out_of_range"),
        (5, None, "", "session_nowhere"),
    ],
)
def test_a_session_that_cannot_run_is_refused(tree, organiser, capacity, quota, place, code):
    course = services.course_create(
        unit=tree.district_a, title="Khoá", topic="Chủ đề", by=organiser
    )
    with pytest.raises(DomainError) as error:
        services.session_add(
            course=course, starts=course.created, capacity=capacity, unit_quota=quota,
            place=place, by=organiser,
        )  # fmt: skip
    assert error.value.code == code
    assert not course.sessions.exists()


def test_attendance_completes_and_cannot_be_recorded_before_the_session(
    tree, organiser, admit, monkeypatch
):
    session = session_of(tree.district_a, organiser, capacity=1)
    present = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    waiting = services.enrol(session=session, member=admit(tree.grassroots_a1), by=organiser)
    with pytest.raises(DomainError) as error:
        services.attendance_set(enrolment=present, present=True, by=organiser)
    assert error.value.code == "not_started"
    monkeypatch.setattr(
        "unionhub.training.services.timezone.now", lambda: session.starts + dt.timedelta(hours=1)
    )
    with pytest.raises(DomainError) as error:
        services.attendance_set(enrolment=waiting, present=True, by=organiser)
    assert error.value.code == "not_confirmed"
    done = services.attendance_set(enrolment=present, present=True, by=organiser)
    assert done.attended == session.starts + dt.timedelta(hours=1)
    with pytest.raises(DomainError) as error:
        services.enrolment_cancel(enrolment=done, by=organiser)
    assert error.value.code == "already_attended"
    assert services.attendance_set(enrolment=done, present=False, by=organiser).attended is None
