"""Training: a unit's courses for its subtree, their sessions, and who is enrolled in each."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.core.checkin import CheckInSource
from unionhub.members.models import Member
from unionhub.orgs.models import Unit


class Course(models.Model):
    """A course a unit runs for its own subtree: only that subtree's people may enrol."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=120)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # With a pass mark, completing the course takes attending and passing its short quiz;
    # without one, attending is enough.
    pass_mark = models.PositiveSmallIntegerField(
        _("quiz pass mark (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One multiple-choice question of a course's quiz."""

    course = models.ForeignKey(
        "Course", verbose_name=_("course"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list)  # the answers offered, in order
    answer = models.PositiveSmallIntegerField(_("right answer"))  # its index in choices

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


def _material_path(material: Material, filename: str) -> str:
    return f"training/materials/{material.course_id}/{uuid.uuid4().hex}.pdf"


class Material(models.Model):
    """What a course's participants read on their phones: a PDF (slides, handouts) or a link
    (a video on the intranet or a platform)."""

    course = models.ForeignKey(
        "Course", verbose_name=_("course"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("PDF file"), upload_to=_material_path, blank=True)
    link = models.URLField(_("link"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=150, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    # Places one grassroots union (or any unit directly under the organiser) may take, so that a
    # quick unit cannot fill a session meant for the whole subtree; None: no quota.
    unit_quota = models.PositiveIntegerField(_("places per unit"), null=True, blank=True)
    # Members may sign themselves up through the session's public link (within the quota).
    signup_open = models.BooleanField(_("open to self sign-up"), default=False)
    # When the reminder e-mails went out (unionhub training-reminders, or the organiser's button).
    reminded = models.DateTimeField(_("reminders sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts"]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts:%d/%m/%Y %H:%M}"


class EnrolmentState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(models.Model):
    session = models.ForeignKey(
        Session,
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="enrolments"
    )
    # The unit whose quota the place counts against: the member's unit when nominated.
    unit = models.ForeignKey(
        Unit, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=EnrolmentState.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Attendance decides completion: an attended enrolment is a trained person, with a
    # certificate.
    attended = models.DateTimeField(_("attended"), null=True, blank=True)
    # How the attendance was taken: a pass scanned at the door, a name picked at the station, a
    # station's offline queue, or the organiser's tick on the list (empty).
    attended_via = models.CharField(
        _("checked in by"), max_length=10, choices=CheckInSource.choices, blank=True
    )
    station = models.CharField(_("station"), max_length=60, blank=True)
    # The participant's pass (core.passes) carries this serial: a new pass refuses the old.
    pass_serial = models.PositiveIntegerField(_("pass serial"), default=1)
    # The quiz (when the course has one): the best score so far, in percent, and the attempts.
    quiz_score = models.PositiveSmallIntegerField(_("quiz score (%)"), null=True, blank=True)
    quiz_attempts = models.PositiveSmallIntegerField(_("quiz attempts"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="training_one_enrolment"),
        ]
        indexes = [models.Index(fields=["session", "state", "unit"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.session}"


def completed_q() -> models.Q:
    """Enrolments whose participant completed the course: attended, and passed the quiz when
    the course has a pass mark. The reports, the certificate and its check all ask this."""
    return models.Q(attended__isnull=False) & (
        models.Q(session__course__pass_mark__isnull=True)
        | models.Q(quiz_score__gte=models.F("session__course__pass_mark"))
    )
