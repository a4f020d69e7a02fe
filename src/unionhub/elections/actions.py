"""The names of elections' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ELECTION_CREATED = "elections.election.created", _("Election created")
    ROUND_OPENED = "elections.round.opened", _("Voting round opened")
    ROUND_CLOSED = "elections.round.closed", _("Voting round closed")
    ROUND_RELEASED = "elections.round.released", _("Results released")
    ROUND_PREPARED = "elections.round.prepared", _("Voting round prepared")
    ENTRY_RECORDED = "elections.paper.entered", _("Paper ballot entered")
    BALLOT_RESOLVED = "elections.paper.resolved", _("Paper ballot disagreement resolved")
    MOTION_CREATED = "elections.motion.created", _("Vote on a resolution created")
    MOTION_RECORDED = "elections.motion.recorded", _("Show of hands counted")
    MOTION_VOTED = "elections.motion.voted", _("Delegate voted on a resolution by phone")
    MOTION_COUNTED = "elections.motion.counted", _("Phone votes on a resolution counted")
    MOTION_RELEASED = "elections.motion.released", _("Result of a vote on a resolution released")
