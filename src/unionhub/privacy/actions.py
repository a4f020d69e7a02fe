"""The names of privacy's audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CONSENT_GIVEN = "privacy.consent.given", _("Consent recorded")
    CONSENT_WITHDRAWN = "privacy.consent.withdrawn", _("Consent withdrawn")
    MEMBER_ANONYMISED = "privacy.member.anonymised", _("Member anonymised")
    SUBJECT_EXPORTED = "privacy.subject.exported", _("Everything held about a member exported")
