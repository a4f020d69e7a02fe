"""The names of official documents' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ATTACHMENT_ADDED = "dispatch.attachment.added", _("Attachment added")
    ATTACHMENT_REMOVED = "dispatch.attachment.removed", _("Attachment removed")
    DOCUMENT_ASSIGNED = "dispatch.document.assigned", _("Document assigned")
    DOCUMENT_CORRECTION_STARTED = "dispatch.document.correction_started", _("Correction started")
    DOCUMENT_DISCARDED = "dispatch.document.discarded", _("Draft discarded")
    DOCUMENT_DONE = "dispatch.document.done", _("Handling finished")
    DOCUMENT_DRAFTED = "dispatch.document.drafted", _("Draft started")
    DOCUMENT_ISSUED = "dispatch.document.issued", _("Document issued")
    DOCUMENT_READ = "dispatch.document.read", _("Document read")
    DOCUMENT_RECEIVED = "dispatch.document.received", _("Document received")
    DOCUMENT_REMINDED = "dispatch.document.reminded", _("Reminder sent")
    DOCUMENT_REPLY_STARTED = "dispatch.document.reply_started", _("Reply started")
    DOCUMENT_TARGET_ADDED = "dispatch.document.target_added", _("Recipient added")
    DOCUMENT_TARGET_REMOVED = "dispatch.document.target_removed", _("Recipient removed")
    DOCUMENT_UPDATED = "dispatch.document.updated", _("Draft changed")
