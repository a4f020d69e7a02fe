"""The names of the audit events of units and officers' roles: one definition, imported by the
services that write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ROLE_GRANTED = "orgs.role.granted", _("Role granted")
    ROLE_MOVED = "orgs.role.moved", _("Role moved to the successor unit")
    ROLE_REVOKED = "orgs.role.revoked", _("Role revoked")
    TWO_FACTOR_ENROLLED = "orgs.two_factor.enrolled", _("Two-factor login set up")
    UNIT_DISSOLVED = "orgs.unit.dissolved", _("Unit dissolved")
    UNIT_FOUNDED = "orgs.unit.founded", _("Unit founded")
    UNIT_LOGO_SET = "orgs.unit.logo_set", _("Unit logo changed")
    UNIT_MERGED = "orgs.unit.merged", _("Units merged")
    UNIT_MOVED = "orgs.unit.moved", _("Unit moved in the tree")
    UNIT_UPDATED = "orgs.unit.updated", _("Unit details changed")
