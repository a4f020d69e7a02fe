"""The names of spreadsheet imports' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    BATCH_CANCELLED = "imports.batch.cancelled", _("Import cancelled")
    BATCH_COMMIT_REQUESTED = "imports.batch.commit_requested", _("Import confirmed")
    BATCH_UPLOADED = "imports.batch.uploaded", _("Member list uploaded")
    MAPPING_SAVED = "imports.mapping.saved", _("Column mapping saved")
    MEMBERS_EXPORTED = "imports.members.exported", _("Members exported")
    MEMBERS_IMPORTED = "imports.members.imported", _("Members imported")
    PHOTOS_UPLOADED = "imports.photos.uploaded", _("Member photos uploaded")
