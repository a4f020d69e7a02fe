"""Every write of training: courses, sessions, enrolments with a quota per unit and a waiting
list.

Enrolment decisions read the session's confirmed places and write one row; two registrars
nominating at once must not both take the last place. Each such write therefore locks the
session row first (select_for_update: a row lock on PostgreSQL; SQLite serialises writers
anyway), so counts read after the lock are the counts the write is judged against.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members.models import Member, MemberState
from unionhub.orgs.models import Unit
from unionhub.training import selectors
from unionhub.training.actions import Action
from unionhub.training.models import Course, Enrolment, EnrolmentState, Session


@transaction.atomic
def course_create(
    *, unit: Unit, title: str, topic: str, by: User, audience: str = "", description: str = ""
) -> Course:
    scope.require(by, scope.UNIT_ADMIN, unit)
    if not title.strip() or not topic.strip():
        raise DomainError("course_incomplete", _("A course needs a title and a topic."))
    course = Course.objects.create(
        unit=unit,
        title=title.strip(),
        topic=topic.strip(),
        audience=audience.strip(),
        description=description.strip(),
    )
    log(by, Action.COURSE_CREATED, course, {"unit": unit.code, "topic": course.topic})
    return course


@transaction.atomic
def session_add(
    *,
    course: Course,
    starts: dt.datetime,
    capacity: int,
    by: User,
    unit_quota: int | None = None,
    place: str = "",
    online_link: str = "",
    trainer: str = "",
) -> Session:
    scope.require(by, scope.UNIT_ADMIN, course.unit)
    if capacity < 1:
        raise DomainError(
            "capacity_too_small", _("A session needs at least one place."), field="capacity"
        )
    if unit_quota is not None and not 1 <= unit_quota <= capacity:
        raise DomainError(
            "quota_out_of_range",
            _("The places per unit must be between 1 and the session's places."),
            field="unit_quota",
        )
    if not place.strip() and not online_link.strip():
        raise DomainError("session_nowhere", _("Give the place or the online link."), field="place")
    session = Session.objects.create(
        course=course,
        starts=starts,
        capacity=capacity,
        unit_quota=unit_quota,
        place=place.strip(),
        online_link=online_link.strip(),
        trainer=trainer.strip(),
    )
    log(by, Action.SESSION_ADDED, course, {"session": session.pk, "capacity": capacity})
    return session


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("course__unit").get(pk=session.pk)


def _has_place(session: Session, unit_id: int) -> bool:
    taken = selectors.places_taken(session=session)
    if taken.total >= session.capacity:
        return False
    return session.unit_quota is None or taken.by_unit.get(unit_id, 0) < session.unit_quota


@transaction.atomic
def enrol(*, session: Session, member: Member, by: User) -> Enrolment:
    """Nominate `member` for `session`: a place if one is free within the session's places and
    their unit's quota, otherwise the waiting list. Officers nominate people of their own
    subtree, and only people inside the organiser's subtree may take part."""
    scope.require(by, scope.REGISTRAR, member.unit)
    session = _locked(session)
    if not member.unit.path.startswith(session.course.unit.path):
        raise DomainError(
            "outside_course", _("This course is for the organising unit's own unions only.")
        )
    if member.state != MemberState.ACTIVE:
        raise DomainError("member_not_active", _("Only active members can be nominated."))
    enrolment = Enrolment.objects.filter(session=session, member=member).first()
    if enrolment is not None and enrolment.state != EnrolmentState.CANCELLED:
        raise DomainError(
            "already_enrolled", _("%(name)s is already enrolled.") % {"name": member.full_name}
        )
    state = (
        EnrolmentState.CONFIRMED if _has_place(session, member.unit_id) else EnrolmentState.WAITING
    )
    if enrolment is not None:  # enrolled again after cancelling: to the end of the queue
        enrolment.delete()
    enrolment = Enrolment.objects.create(
        session=session, member=member, unit=member.unit, state=state, by=by
    )
    log(by, Action.ENROLLED, enrolment.member, {"session": session.pk, "state": state})
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by: User) -> list[Enrolment]:
    """Cancel a place or a wait; a freed place goes to the first in the queue who fits their
    unit's quota. Returns the enrolments moved from the waiting list."""
    scope.require(by, scope.REGISTRAR, enrolment.unit)
    session = _locked(enrolment.session)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state == EnrolmentState.CANCELLED:
        return []
    if enrolment.attended is not None:
        raise DomainError(
            "already_attended", _("This participant has attended: the place cannot be cancelled.")
        )
    was_confirmed = enrolment.state == EnrolmentState.CONFIRMED
    enrolment.state = EnrolmentState.CANCELLED
    enrolment.save(update_fields=["state"])
    log(by, Action.ENROLMENT_CANCELLED, enrolment.member, {"session": session.pk})
    return _promote(session, by=by) if was_confirmed else []


def _promote(session: Session, *, by: User) -> list[Enrolment]:
    promoted = []
    for waiting in selectors.waiting_list(session=session):
        if not _has_place(session, waiting.unit_id):
            continue
        waiting.state = EnrolmentState.CONFIRMED
        waiting.save(update_fields=["state"])
        log(by, Action.PROMOTED, waiting.member, {"session": session.pk})
        promoted.append(waiting)
    return promoted


@transaction.atomic
def attendance_set(*, enrolment: Enrolment, present: bool, by: User) -> Enrolment:
    """Record that a confirmed participant came (or withdraw it). The organiser records it, once
    the session has begun; attending completes the course."""
    session = _locked(enrolment.session)
    scope.require(by, scope.UNIT_ADMIN, session.course.unit)
    enrolment = Enrolment.objects.select_for_update().select_related("member").get(pk=enrolment.pk)
    if enrolment.state != EnrolmentState.CONFIRMED:
        raise DomainError(
            "not_confirmed", _("Only participants with a place can be recorded as present.")
        )
    now = timezone.now()
    if present and session.starts > now:
        raise DomainError("not_started", _("The session has not begun yet."))
    if present == (enrolment.attended is not None):
        return enrolment
    enrolment.attended = now if present else None
    enrolment.save(update_fields=["attended"])
    log(
        by,
        Action.ATTENDED if present else Action.ATTENDANCE_UNDONE,
        enrolment.member,
        {"session": session.pk},
    )
    return enrolment
