"""The names of privacy's audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CONSENT_GIVEN = "privacy.consent.given", _("Consent recorded")
    CONSENT_WITHDRAWN = "privacy.consent.withdrawn", _("Consent withdrawn")
    MEMBER_ANONYMISED = "privacy.member.anonymised", _("Member anonymised")
    SUBJECT_EXPORTED = "privacy.subject.exported", _("Everything held about a member exported")
    SUBJECT_SELF_EXPORTED = (
        "privacy.subject.self_exported",
        _("Everything held downloaded by the member"),
    )
    SELF_SIGNED_IN = "privacy.self.signed_in", _("Member signed in to their own page")
    SIGN_IN_LINK_PRINTED = "privacy.sign_in.link_printed", _("Sign-in link printed")
    CORRECTION_REQUESTED = "privacy.correction.requested", _("Correction requested by the member")
    CORRECTION_APPROVED = "privacy.correction.approved", _("Correction approved")
    CORRECTION_REJECTED = "privacy.correction.rejected", _("Correction rejected")
    BREACH_RECORDED = "privacy.breach.recorded", _("Breach recorded")
    BREACH_AUTHORITY_NOTIFIED = "privacy.breach.authority_notified", _("Authority notified")
    BREACH_PEOPLE_NOTIFIED = "privacy.breach.people_notified", _("People affected notified")
    BREACH_CLOSED = "privacy.breach.closed", _("Breach closed")
    ACCESS_LOG_EXPORTED = "privacy.access_log.exported", _("Access log exported")


# Reads and exports of personal data, which the access log lists (with those of other apps,
# declared as `personal_data_actions` on their AppConfig).
PERSONAL_DATA_ACTIONS = (Action.SUBJECT_EXPORTED, Action.SUBJECT_SELF_EXPORTED)
