"""The names of LED screens' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SCREEN_CREATED = "display.screen.created", _("Screen created")
    SCREEN_DELETED = "display.screen.deleted", _("Screen deleted")
    SCREEN_LINK_ROTATED = "display.screen.link_rotated", _("Screen link replaced")
    SCREEN_RENAMED = "display.screen.renamed", _("Screen renamed")
    SLIDE_ADDED = "display.slide.added", _("Slide added")
    SLIDE_DELETED = "display.slide.deleted", _("Slide removed")
    SLIDE_MOVED = "display.slide.moved", _("Slide moved")
    SLIDE_UPDATED = "display.slide.updated", _("Slide changed")
