"""The names of training's audit events: one definition, imported by the services that write
them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    COURSE_CREATED = "training.course.created", _("Course created")
    SESSION_ADDED = "training.session.added", _("Training session added")
    ENROLLED = "training.enrolment.created", _("Enrolled in training")
    ENROLMENT_CANCELLED = "training.enrolment.cancelled", _("Training enrolment cancelled")
    PROMOTED = "training.enrolment.promoted", _("Moved from the waiting list to a place")
    ATTENDED = "training.enrolment.attended", _("Attendance recorded")
    ATTENDANCE_UNDONE = "training.enrolment.attendance_undone", _("Attendance withdrawn")
    CHECKED_IN = "training.enrolment.checked_in", _("Checked in at a training session")
    PASS_REISSUED = "training.enrolment.pass_reissued", _("Training pass reissued")
    SIGNUP_OPENED = "training.session.signup_opened", _("Self sign-up opened")
    SIGNUP_CLOSED = "training.session.signup_closed", _("Self sign-up closed")
    REMINDERS_SENT = "training.session.reminders_sent", _("Training reminders sent")
    QUIZ_SET = "training.course.quiz_set", _("Quiz pass mark set")
    QUESTION_ADDED = "training.course.question_added", _("Quiz question added")
    QUESTION_REMOVED = "training.course.question_removed", _("Quiz question removed")
    QUIZ_TAKEN = "training.enrolment.quiz_taken", _("Quiz taken")
    MATERIAL_ADDED = "training.material.added", _("Training material added")
    MATERIAL_REMOVED = "training.material.removed", _("Training material removed")
