"""Every read of training, already scoped: officers see the courses of the units above and
below them (a course is offered to the organiser's subtree) and the enrolments of their own
subtree only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from unionhub.core import certificates, scope, signing
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.members.models import Member, MemberState
from unionhub.orgs.models import Level, Unit
from unionhub.training import certificates as training_certificates
from unionhub.training import passes as training_passes
from unionhub.training.models import (
    Course,
    Enrolment,
    EnrolmentState,
    Material,
    Question,
    Session,
    completed_q,
)


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


def course_list(*, user: User, query: str = "") -> QuerySet[Course]:
    condition = _offered_to(user)
    qs = Course.objects.select_related("unit").annotate(session_count=Count("sessions"))
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(topic__icontains=query))
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
    qs = (
        Enrolment.objects.filter(session=session)
        .select_related("member", "unit")
        .annotate(completed=ExpressionWrapper(completed_q(), output_field=BooleanField()))
    )
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


def certificate_public(*, token: str) -> Enrolment | None:
    """The completed enrolment a certificate's QR names, for the public check; None when the
    token is not genuine or the attendance was withdrawn. The signed token is the credential."""
    try:
        pk = certificates.certificate_id(token, purpose=training_certificates.PURPOSE)
    except signing.BadToken:
        return None
    return (
        Enrolment.objects.select_related("member", "session__course__unit")
        .filter(completed_q(), pk=pk)
        .first()
    )


# The check-in station ------------------------------------------------------------------------


def station_session(*, user: User, pk: int) -> Session:
    """The session whose door the user runs: organisers (unit admins of the course's unit)."""
    session = Session.objects.select_related("course__unit").filter(pk=pk).first()
    if session is None or not scope.can(user, scope.UNIT_ADMIN, session.course.unit):
        raise OutOfScope()
    return session


def participants(*, session: Session, query: str = "") -> QuerySet[Enrolment]:
    """The confirmed participants of `session` (for its organiser), found by name when asked."""
    qs = Enrolment.objects.filter(session=session, state=EnrolmentState.CONFIRMED).select_related(
        "member", "unit"
    )
    if query:
        qs = qs.filter(member__name_folded__contains=fold(query))
    return qs.order_by("member__sort_key", "pk")


def participant_line(enrolment: Enrolment) -> str:
    """The line under a participant's name at a station: the nominating unit."""
    return enrolment.unit.name


def roster(*, session: Session) -> list[dict[str, Any]]:
    """What an offline station needs to check passes without the server."""
    return [
        {
            "id": e.pk,
            "name": e.member.full_name,
            "line": participant_line(e),
            "serial": e.pass_serial,
            "revoked": False,
        }
        for e in participants(session=session)
    ]


def checked_in_ids(*, session: Session) -> list[int]:
    return list(
        Enrolment.objects.filter(
            session=session, state=EnrolmentState.CONFIRMED, attended__isnull=False
        ).values_list("pk", flat=True)
    )


def pass_holder(*, token: str) -> Enrolment | None:
    """The enrolment a participant's pass names, for the phone page; None unless the token is
    genuine and current and the place confirmed. The signed token is the credential."""
    try:
        claim = training_passes.claim(token)
    except signing.BadToken:
        return None
    return (
        Enrolment.objects.select_related("member", "session__course__unit")
        .filter(
            pk=claim.holder_id,
            session_id=claim.group_id,
            pass_serial=claim.serial,
            state=EnrolmentState.CONFIRMED,
        )
        .first()
    )


def self_signup_member(*, session: Session, id_number: str, birth_date: dt.date) -> Member | None:
    """The active member of the course's subtree with this document number and date of birth:
    both are asked, as a member knows them and a passer-by guessing numbers does not."""
    number = "".join(id_number.split())
    return (
        Member.objects.select_related("unit")
        .filter(
            scope.subtree_q(session.course.unit.path, via="unit"),
            id_number=number,
            birth_date=birth_date,
            state=MemberState.ACTIVE,
        )
        .first()
    )


def signup_session(*, token: str) -> Session | None:
    """The session a sign-up link names; None unless the token is genuine."""
    try:
        pk = certificates.certificate_id(token, purpose=training_passes.SIGNUP_PURPOSE)
    except signing.BadToken:
        return None
    return Session.objects.select_related("course__unit").filter(pk=pk).first()


def questions(*, course: Course) -> QuerySet[Question]:
    return course.questions.all()


def question_get(*, user: User, pk: int) -> Question:
    question = Question.objects.select_related("course__unit").filter(pk=pk).first()
    if question is None or not course_list(user=user).filter(pk=question.course_id).exists():
        raise OutOfScope()
    return question


def is_completed(enrolment: Enrolment) -> bool:
    return Enrolment.objects.filter(completed_q(), pk=enrolment.pk).exists()


def materials(*, course: Course) -> QuerySet[Material]:
    return course.materials.all()


def pass_material(*, enrolment: Enrolment, pk: int) -> Material:
    material = Material.objects.filter(pk=pk, course_id=enrolment.session.course_id).first()
    if material is None or not material.file:
        raise OutOfScope()
    return material


def material_get(*, user: User, pk: int) -> Material:
    """A course's material for an officer the course is offered to."""
    material = Material.objects.select_related("course__unit").filter(pk=pk).first()
    if material is None or not course_list(user=user).filter(pk=material.course_id).exists():
        raise OutOfScope()
    return material


@dataclass(frozen=True)
class TrainedRow:
    unit: Unit
    topic: str
    people: int


def _completed_in(unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Enrolment]:
    """The completed enrolments of `unit`'s subtree in sessions of the period: trained people."""
    return Enrolment.objects.filter(
        completed_q(),
        scope.subtree_q(unit.path, via="unit"),
        session__starts__date__gte=start,
        session__starts__date__lte=end,
    )


def trained_by_unit_and_topic(
    *, user: User, unit: Unit, start: dt.date, end: dt.date
) -> list[TrainedRow]:
    """How many different people of each unit under `unit` completed training on each topic
    in the period (by session date); a person trained twice on a topic counts once."""
    scope.require(user, None, unit)
    rows = (
        _completed_in(unit, start, end)
        .values("unit_id", "session__course__topic")
        .annotate(people=Count("member_id", distinct=True))
    )
    units = Unit.objects.in_bulk({r["unit_id"] for r in rows})
    result = [
        TrainedRow(units[r["unit_id"]], r["session__course__topic"], r["people"]) for r in rows
    ]
    return sorted(result, key=lambda r: (r.unit.path, fold(r.topic)))


def topics(*, user: User) -> list[str]:
    """The topics of the courses the user sees, for the report's choice."""
    return sorted(
        set(course_list(user=user).values_list("topic", flat=True)), key=lambda t: fold(t)
    )


def units_without_training(
    *, user: User, unit: Unit, topic: str, start: dt.date, end: dt.date
) -> QuerySet[Unit]:
    """Grassroots unions under `unit` where nobody completed training on `topic` in the
    period."""
    scope.require(user, None, unit)
    trained = _completed_in(unit, start, end).filter(session__course__topic=topic)
    return (
        scope.units(user, within=unit)
        .filter(level=Level.GRASSROOTS)
        .exclude(pk__in=trained.values("unit_id"))
        .order_by("path")
    )


def trained_in_unit(*, user: User, unit: Unit) -> QuerySet[Enrolment]:
    """The completed training of the people of `unit` itself, newest first, for its page."""
    scope.require(user, None, unit)
    return (
        Enrolment.objects.filter(completed_q(), unit=unit)
        .select_related("member", "session__course")
        .order_by("-attended")
    )
