"""The names of cards' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    BATCH_REQUESTED = "cards.batch.requested", _("Cards requested in a batch")
    CARD_APPROVED = "cards.card.approved", _("Card approved")
    CARD_DELIVERED = "cards.card.delivered", _("Card delivered")
    CARD_PRINTED = "cards.card.printed", _("Card printed")
    CARD_REQUESTED = "cards.card.requested", _("Card requested")
    CARD_REVOKED = "cards.card.revoked", _("Card revoked")
    SERIES_SET = "cards.series.set", _("Card number series set")
