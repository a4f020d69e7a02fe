"""Every write of training: courses, sessions, enrolments with a quota per unit and a waiting
list.

Enrolment decisions read the session's confirmed places and write one row; two registrars
nominating at once must not both take the last place. Each such write therefore locks the
session row first (select_for_update: a row lock on PostgreSQL; SQLite serialises writers
anyway), so counts read after the lock are the counts the write is judged against.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import checkin as door
from unionhub.core import scope, signing, uploads
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members.models import Member, MemberState
from unionhub.orgs.models import Unit
from unionhub.training import passes, selectors
from unionhub.training.actions import Action
from unionhub.training.models import (
    Course,
    Enrolment,
    EnrolmentState,
    Material,
    Question,
    Session,
)

# The door opens this long before the session starts: participants arrive early.
CHECKIN_OPENS = dt.timedelta(hours=1)


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
    return _enrol(_locked(session), member, by=by)


def _enrol(session: Session, member: Member, *, by: User | None) -> Enrolment:
    """Enrol `member` in the locked `session`; `by` None for a member signing up themselves."""
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
    log(
        by,
        Action.ENROLLED,
        enrolment.member,
        {"session": session.pk, "state": state, "self": by is None},
    )
    return enrolment


@transaction.atomic
def signup_set(*, session: Session, open: bool, by: User) -> Session:
    """Open or close the session's public sign-up link."""
    scope.require(by, scope.UNIT_ADMIN, session.course.unit)
    session.signup_open = open
    session.save(update_fields=["signup_open"])
    log(
        by,
        Action.SIGNUP_OPENED if open else Action.SIGNUP_CLOSED,
        session.course,
        {"session": session.pk},
    )
    return session


@transaction.atomic
def self_enrol(*, session: Session, id_number: str, birth_date: dt.date) -> Enrolment:
    """A member signs up through the session's link, naming themselves by document number and
    date of birth: a place within their union's quota, or the waiting list, as a nomination."""
    session = _locked(session)
    if not session.signup_open or session.starts <= timezone.now():
        raise DomainError("signup_closed", _("Sign-up for this session is closed."))
    member = selectors.self_signup_member(
        session=session, id_number=id_number, birth_date=birth_date
    )
    if member is None:
        # One message whatever failed, so the form tells nothing about who is a member where.
        raise DomainError(
            "signup_unknown",
            _(
                "No active member with this document number and date of birth is in the unions "
                "this course is for. Check both, or ask your union to nominate you."
            ),
        )
    return _enrol(session, member, by=None)


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
    # Ticked on the list: no station took it.
    enrolment.attended_via = enrolment.station = ""
    enrolment.save(update_fields=["attended", "attended_via", "station"])
    log(
        by,
        Action.ATTENDED if present else Action.ATTENDANCE_UNDONE,
        enrolment.member,
        {"session": session.pk},
    )
    return enrolment


# Materials -----------------------------------------------------------------------------------


@transaction.atomic
def material_add(
    *, course: Course, title: str, by: User, file: File[Any] | None = None, link: str = ""
) -> Material:
    """A PDF or a link the course's participants open from their pass."""
    scope.require(by, scope.UNIT_ADMIN, course.unit)
    if not title.strip():
        raise DomainError("material_untitled", _("Give the material a title."), field="title")
    if (file is None) == (not link):
        raise DomainError(
            "material_source", _("Upload a PDF file or give a link, not both."), field="file"
        )
    material = Material(course=course, title=title.strip(), link=link)
    if file is not None:
        uploads.check_pdf(file, uploads.TRAINING_MATERIAL)
        material.file.save("material.pdf", file, save=False)
    material.save()
    log(by, Action.MATERIAL_ADDED, course, {"material": material.title})
    return material


@transaction.atomic
def material_remove(*, material: Material, by: User) -> None:
    scope.require(by, scope.UNIT_ADMIN, material.course.unit)
    log(by, Action.MATERIAL_REMOVED, material.course, {"material": material.title})
    name, storage = material.file.name, material.file.storage
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# Check-in at the door (core.checkin) ---------------------------------------------------------


class SessionDesk:
    """A training session's door: the passes of its confirmed participants."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_token(self, token: str) -> tuple[Enrolment, door.Present | None]:
        try:
            claim = passes.claim(token)
        except signing.BadToken as error:
            raise DomainError("card_invalid", _("This is not a valid training pass.")) from error
        if claim.group_id != self.session.pk:
            raise DomainError("card_other_group", _("This pass is for another training session."))
        enrolment = self._enrolment(claim.holder_id)
        if enrolment.pass_serial != claim.serial:
            raise DomainError(
                "card_replaced", _("This pass was replaced by a newer one and no longer works.")
            )
        return enrolment, _present(enrolment)

    def by_id(self, pk: int) -> tuple[Enrolment, door.Present | None]:
        enrolment = self._enrolment(pk)
        return enrolment, _present(enrolment)

    def _enrolment(self, pk: int) -> Enrolment:
        enrolment = (
            Enrolment.objects.select_related("member", "unit")
            .filter(pk=pk, session=self.session)
            .first()
        )
        if enrolment is None:
            raise DomainError("card_unknown", _("This participant is not enrolled here."))
        if enrolment.state != EnrolmentState.CONFIRMED:
            raise DomainError(
                "card_revoked",
                _("%(name)s has no place in this session (%(state)s).")
                % {"name": enrolment.member.full_name, "state": enrolment.get_state_display()},
            )
        return enrolment

    def present(self, holder: Enrolment) -> door.Present | None:
        attended = Enrolment.objects.filter(pk=holder.pk).values_list("attended", flat=True).first()
        return door.Present(holder.pk, attended) if attended else None

    def record(
        self,
        holder: Enrolment,
        *,
        at: dt.datetime,
        source: door.CheckInSource,
        station: str,
        by: User,
    ) -> door.Present | None:
        if self.session.starts - CHECKIN_OPENS > timezone.now():
            raise DomainError(
                "not_started",
                _("Check-in opens an hour before the session starts."),
            )
        with transaction.atomic():
            # Only a confirmed place not yet checked in is written: two stations scanning the
            # same pass at once update one row once, and the second learns it lost.
            updated = Enrolment.objects.filter(
                pk=holder.pk, state=EnrolmentState.CONFIRMED, attended=None
            ).update(attended=at, attended_via=source, station=station[:60])
            if not updated:
                return None
            log(
                by,
                Action.CHECKED_IN,
                holder.member,
                {"session": self.session.pk, "source": source, "station": station},
            )
        holder.attended = at
        return door.Present(holder.pk, at)


def _present(enrolment: Enrolment) -> door.Present | None:
    """The check-in of an enrolment just loaded, from its own row (no second query per scan)."""
    return door.Present(enrolment.pk, enrolment.attended) if enrolment.attended else None


def checkin_scan(
    *, session: Session, token: str, by: User, station: str = ""
) -> door.ScanResult[Enrolment]:
    """Check in the holder of a participant's pass at `session`'s door; a refused pass says
    why. Idempotent: a pass scanned twice, or by two stations at once, checks in once."""
    scope.require(by, scope.UNIT_ADMIN, session.course.unit)
    return door.scan(SessionDesk(session), token, by=by, station=station)


def checkin_manual(
    *, session: Session, enrolment: Enrolment, by: User, station: str = ""
) -> door.ScanResult[Enrolment]:
    """Check in by name (a participant without their pass)."""
    scope.require(by, scope.UNIT_ADMIN, session.course.unit)
    desk = SessionDesk(session)
    try:
        holder, present = desk.by_id(enrolment.pk)
        return door.check_in(
            desk, holder, present, by=by, source=door.CheckInSource.MANUAL, station=station
        )
    except DomainError as error:
        return door.refused(error)


def checkins_upload(
    *, session: Session, items: list[dict[str, Any]], by: User, station: str = ""
) -> list[door.ScanResult[Enrolment]]:
    """Check-ins a station recorded offline: each item a pass `token` or, by name, a
    `participant` (enrolment) id, and the moment `at`."""
    scope.require(by, scope.UNIT_ADMIN, session.course.unit)
    return door.upload(
        SessionDesk(session), items, holder_key="participant", by=by, station=station
    )


@transaction.atomic
def pass_reissue(*, enrolment: Enrolment, by: User) -> Enrolment:
    """A new pass for a participant whose pass was lost or shared: the old one stops working."""
    scope.require(by, scope.UNIT_ADMIN, enrolment.session.course.unit)
    Enrolment.objects.filter(pk=enrolment.pk).update(pass_serial=F("pass_serial") + 1)
    enrolment.refresh_from_db(fields=["pass_serial"])
    log(by, Action.PASS_REISSUED, enrolment.member, {"session": enrolment.session_id})
    return enrolment


# Reminders ------------------------------------------------------------------------------------

# The reminder goes out once, for sessions starting within this time.
REMIND_AHEAD = dt.timedelta(days=2)


def _reminder(enrolment: Enrolment, base_url: str) -> tuple[str, str]:
    session = enrolment.session
    course = session.course
    starts = timezone.localtime(session.starts)
    where = session.place or session.online_link
    subject = _("Reminder: %(course)s on %(date)s") % {
        "course": course.title,
        "date": starts.strftime("%d/%m/%Y"),
    }
    body = _(
        "Dear %(name)s,\n\nYou have a place in the training “%(course)s” organised by %(unit)s:\n"
        "%(date)s at %(time)s, %(where)s.\n\nYour pass (show its QR code at the door; it also "
        "opens the course's materials): %(link)s\n"
    ) % {
        "name": enrolment.member.full_name,
        "course": course.title,
        "unit": course.unit.name,
        "date": starts.strftime("%d/%m/%Y"),
        "time": starts.strftime("%H:%M"),
        "where": where,
        "link": base_url + reverse("training_public:pass", args=[passes.pass_token(enrolment)]),
    }
    return subject, body


@transaction.atomic
def reminders_send(*, session: Session, by: User | None, base_url: str = "") -> int:
    """E-mail every confirmed participant with an e-mail address of `session` its time, place
    and pass link, once (a second call sends nothing). `by` None: the daily command. Returns
    how many e-mails were sent."""
    if by is not None:
        scope.require(by, scope.UNIT_ADMIN, session.course.unit)
    session = _locked(session)
    if session.reminded is not None:
        return 0
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    messages = [
        EmailMessage(*_reminder(enrolment, base_url), to=[enrolment.member.email])
        for enrolment in selectors.participants(session=session).exclude(member__email="")
    ]
    session.reminded = timezone.now()
    session.save(update_fields=["reminded"])
    log(by, Action.REMINDERS_SENT, session.course, {"session": session.pk, "sent": len(messages)})
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)


def reminders_due(*, now: dt.datetime | None = None) -> int:
    """The daily run (unionhub training-reminders): remind the participants of every session
    starting within REMIND_AHEAD that has not been reminded. Returns the e-mails sent."""
    now = now or timezone.now()
    return sum(
        reminders_send(session=session, by=None)
        for session in Session.objects.filter(
            starts__gt=now, starts__lte=now + REMIND_AHEAD, reminded=None
        )
    )


# The quiz ----------------------------------------------------------------------------------

QUIZ_ATTEMPTS = 3


@transaction.atomic
def quiz_set(*, course: Course, pass_mark: int | None, by: User) -> Course:
    """Require the quiz to complete the course (`pass_mark`, in percent) or not (None)."""
    scope.require(by, scope.UNIT_ADMIN, course.unit)
    if pass_mark is not None and not 1 <= pass_mark <= 100:
        raise DomainError(
            "pass_mark_range", _("The pass mark is a percentage from 1 to 100."), field="pass_mark"
        )
    if pass_mark is not None and not course.questions.exists():
        raise DomainError(
            "quiz_empty",
            _("Add the quiz's questions before setting its pass mark."),
            field="pass_mark",
        )
    course.pass_mark = pass_mark
    course.save(update_fields=["pass_mark"])
    log(by, Action.QUIZ_SET, course, {"pass_mark": pass_mark})
    return course


@transaction.atomic
def question_add(
    *, course: Course, text: str, choices: list[str], answer: int, by: User
) -> Question:
    """A multiple-choice question: `answer` is the index of the right one among `choices`."""
    scope.require(by, scope.UNIT_ADMIN, course.unit)
    choices = [choice.strip() for choice in choices if choice.strip()]
    if not text.strip():
        raise DomainError("question_empty", _("Write the question."), field="text")
    if len(choices) < 2:
        raise DomainError("question_choices", _("Offer at least two answers."), field="choices")
    if not 0 <= answer < len(choices):
        raise DomainError("question_answer", _("Choose which answer is right."), field="answer")
    question = Question.objects.create(
        course=course, text=text.strip(), choices=choices, answer=answer
    )
    log(by, Action.QUESTION_ADDED, course, {"question": question.text})
    return question


@transaction.atomic
def question_remove(*, question: Question, by: User) -> None:
    course = question.course
    scope.require(by, scope.UNIT_ADMIN, course.unit)
    if course.pass_mark is not None and course.questions.count() == 1:
        raise DomainError("quiz_empty", _("The quiz needs a question while it has a pass mark."))
    log(by, Action.QUESTION_REMOVED, course, {"question": question.text})
    question.delete()


@transaction.atomic
def quiz_submit(*, enrolment: Enrolment, answers: dict[int, int]) -> Enrolment:
    """The participant's answers (question id → index of the chosen answer), from their pass:
    scored in percent; the best score is kept. Taken once the participant has attended, at
    most QUIZ_ATTEMPTS times; a question left unanswered counts as wrong."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("session__course", "member")
        .get(pk=enrolment.pk)
    )
    course = enrolment.session.course
    if course.pass_mark is None:
        raise DomainError("no_quiz", _("This course has no quiz."))
    if enrolment.attended is None:
        raise DomainError("quiz_not_attended", _("The quiz opens once you are checked in."))
    if enrolment.quiz_score is not None and enrolment.quiz_score >= course.pass_mark:
        raise DomainError("quiz_passed", _("You have passed the quiz already."))
    if enrolment.quiz_attempts >= QUIZ_ATTEMPTS:
        raise DomainError(
            "quiz_attempts", _("You have used your %(count)s attempts.") % {"count": QUIZ_ATTEMPTS}
        )
    questions = list(course.questions.all())
    right = sum(1 for q in questions if answers.get(q.pk) == q.answer)
    score = round(100 * right / len(questions)) if questions else 0
    enrolment.quiz_attempts += 1
    enrolment.quiz_score = max(score, enrolment.quiz_score or 0)
    enrolment.save(update_fields=["quiz_attempts", "quiz_score"])
    log(None, Action.QUIZ_TAKEN, enrolment.member, {"session": enrolment.session_id,
                                                     "score": score})  # fmt: skip
    return enrolment
