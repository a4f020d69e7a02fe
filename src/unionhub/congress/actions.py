"""The names of congresses' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    BADGES_REQUESTED = "congress.badges.requested", _("Delegate cards requested")
    CARD_REISSUED = "congress.card.reissued", _("Delegate card reissued")
    CARD_REVOKED = "congress.card.revoked", _("Delegate card revoked")
    CHECKIN_CREATED = "congress.checkin.created", _("Checked in")
    CHECKIN_UNDONE = "congress.checkin.undone", _("Check-in undone")
    CONGRESS_CREATED = "congress.congress.created", _("Congress created")
    CONGRESS_UPDATED = "congress.congress.updated", _("Congress changed")
    DELEGATE_ADDED = "congress.delegate.added", _("Delegate added")
    DELEGATE_IMPORTED = "congress.delegate.imported", _("Delegates imported")
    DELEGATE_UPDATED = "congress.delegate.updated", _("Delegate changed")
    DOCUMENT_REPLACED = "congress.document.replaced", _("Congress document replaced")
    DOCUMENT_UPLOADED = "congress.document.uploaded", _("Congress document uploaded")
    SESSION_ADDED = "congress.session.added", _("Session added")
    STREAM_SET = "congress.session.stream_set", _("Live stream of a session changed")
