"""Every read of training, already scoped: officers see the courses of the units above and
below them (a course is offered to the organiser's subtree) and the enrolments of their own
subtree only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.types import User
from unionhub.training.models import Course, Enrolment, EnrolmentState, Session


@dataclass
class Places:
    total: int = 0
    by_unit: Counter[int] = field(default_factory=Counter)


def places_taken(*, session: Session) -> Places:
    """Confirmed places of `session`, in all and per nominating unit."""
    rows = (
        Enrolment.objects.filter(session=session, state=EnrolmentState.CONFIRMED)
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    places = Places()
    for row in rows:
        places.by_unit[row["unit_id"]] = row["n"]
        places.total += row["n"]
    return places


def waiting_list(*, session: Session) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(session=session, state=EnrolmentState.WAITING).select_related(
        "member"
    )


def _offered_to(user: User) -> Q | None:
    """Courses whose organiser is the user's unit, above it (offered down to it) or below it."""
    if scope.is_unrestricted(user):
        return None
    condition = Q(pk__in=[])
    for grant in scope.top_units(user):
        # Every prefix of the path that is a unit's path is an ancestor's.
        ancestors = [grant.path[:end] for end in range(1, len(grant.path) + 1)]
        condition |= Q(unit__path__startswith=grant.path) | Q(unit__path__in=ancestors)
    return condition


def course_list(*, user: User) -> QuerySet[Course]:
    condition = _offered_to(user)
    qs = Course.objects.select_related("unit").annotate(session_count=Count("sessions"))
    return qs if condition is None else qs.filter(condition)


def course_get(*, user: User, pk: int) -> Course:
    course = course_list(user=user).filter(pk=pk).first()
    if course is None:
        raise OutOfScope()
    return course


def session_get(*, user: User, pk: int) -> Session:
    session = Session.objects.select_related("course__unit").filter(pk=pk).first()
    if session is None or not course_list(user=user).filter(pk=session.course_id).exists():
        raise OutOfScope()
    return session


def session_list(*, course: Course) -> QuerySet[Session]:
    return course.sessions.annotate(
        confirmed=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.CONFIRMED)),
        waiting=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.WAITING)),
    )


def enrolment_list(*, user: User, session: Session) -> QuerySet[Enrolment]:
    """The session's enrolments the user may see: those of their own subtree (the organiser
    sees all of them, since every participant is in the organiser's subtree)."""
    qs = Enrolment.objects.filter(session=session).select_related("member", "unit")
    return scope.restrict(qs, user, via="unit")


def enrolment_get(*, user: User, pk: int) -> Enrolment:
    enrolment = (
        scope.restrict(
            Enrolment.objects.select_related("session__course__unit", "member", "unit"),
            user,
            via="unit",
        )
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise OutOfScope()
    return enrolment
