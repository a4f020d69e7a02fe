"""The names of members' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LIST_EXPORTED = "members.list.exported", _("Member list exported")
    REORGANISATION = "members.reorganisation", _("Members moved by a reorganisation")
    MEMBER_ADMITTED = "members.member.admitted", _("Admitted")
    MEMBER_DECEASED = "members.member.deceased", _("Deceased")
    MEMBER_DOCUMENT_LOOKED_UP = (
        "members.member.document_looked_up",
        _("Looked up by identity document"),
    )
    MEMBER_LEFT = "members.member.left", _("Left")
    MEMBER_MOVED_BY_REORGANISATION = (
        "members.member.moved_by_reorganisation",
        _("Moved by a reorganisation"),
    )
    MEMBER_PHOTO_CHANGED = "members.member.photo_changed", _("Photo changed")
    MEMBER_RECORDED = "members.member.recorded", _("Recorded on the books")
    MEMBER_REINSTATED = "members.member.reinstated", _("Reinstated")
    MEMBER_RESUMED = "members.member.resumed", _("Resumed")
    MEMBER_RETIRED = "members.member.retired", _("Retired")
    MEMBER_SENSITIVE_VIEWED = "members.member.sensitive_viewed", _("Ethnicity and religion viewed")
    MEMBER_SUSPENDED = "members.member.suspended", _("Suspended")
    MEMBER_UPDATED = "members.member.updated", _("Profile changed")
    TRANSFER_ACCEPTED = "members.transfer.accepted", _("Transfer accepted")
    TRANSFER_CANCELLED = "members.transfer.cancelled", _("Transfer cancelled")
    TRANSFER_REJECTED = "members.transfer.rejected", _("Transfer rejected")
    TRANSFER_REQUESTED = "members.transfer.requested", _("Transfer requested")
