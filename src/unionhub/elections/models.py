"""Elections at a congress, their rounds, paper ballots entered twice, secret electronic
ballots, and show-of-hands motions. See the package docstring for why an electronic ballot has
no delegate, no timestamp and a random key."""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.congress.models import Congress, Delegate, Session
from unionhub.core.text import name_sort_key, nfc


class Body(models.TextChoices):
    EXECUTIVE = "executive", _("Executive committee")
    UPPER_CONGRESS = "upper_congress", _("Delegates to the congress above")
    INSPECTION = "inspection", _("Inspection committee")
    OTHER = "other", _("Other")


class TooFew(models.TextChoices):
    FURTHER_ROUND = "further_round", _("Hold a further round for the open seats")
    STOP = "stop", _("Stop: the open seats stay empty")


class Method(models.TextChoices):
    PAPER = "paper", _("Paper strike-out ballots")
    ELECTRONIC = "electronic", _("Secret ballots on the delegates' phones")


class Election(models.Model):
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.CharField(_("what is elected"), max_length=20, choices=Body.choices)
    title = models.CharField(_("title"), max_length=255)
    seats = models.PositiveSmallIntegerField(_("seats"))
    # "More than num/den of the valid ballots", kept as numbers: the rule is data.
    threshold_numerator = models.PositiveSmallIntegerField(_("threshold numerator"), default=1)
    threshold_denominator = models.PositiveSmallIntegerField(_("threshold denominator"), default=2)
    too_few = models.CharField(
        _("when too few are elected"),
        max_length=15,
        choices=TooFew.choices,
        default=TooFew.FURTHER_ROUND,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="election_seats_positive"),
            models.CheckConstraint(
                condition=Q(threshold_denominator__gt=0)
                & Q(threshold_numerator__lt=models.F("threshold_denominator")),
                name="election_threshold_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def threshold(self) -> Fraction:
        return Fraction(self.threshold_numerator, self.threshold_denominator)


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    note = models.CharField(_("position and workplace"), max_length=255, blank=True)
    sort_key = models.CharField(max_length=400, editable=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        # Ballots list candidates as Vietnamese lists do: by given name.
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        self.sort_key = name_sort_key(self.full_name)
        super().save(*args, **kwargs)


class RoundState(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    OPEN = "open", _("Voting")
    CLOSED = "closed", _("Closed, counting")
    RELEASED = "released", _("Results released")


class Round(models.Model):
    """One ballot of an election: the first, or a further one among the tied / for open seats."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    seats = models.PositiveSmallIntegerField(_("seats in this round"))
    candidates = models.ManyToManyField(Candidate, verbose_name=_("candidates"), related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.PREPARED
    )
    # Eligible voters when the round opened (checked-in official delegates), for turnout.
    eligible = models.PositiveIntegerField(_("eligible voters"), default=0)
    opened = models.DateTimeField(_("opened"), null=True, blank=True)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    released = models.DateTimeField(_("released"), null=True, blank=True)
    elected = models.ManyToManyField(
        Candidate, verbose_name=_("elected"), related_name="elected_in", blank=True
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.election} #{self.number}"


class PaperBallot(models.Model):
    """A printed ballot with its serial; what it keeps is entered twice by two counters."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="paper_ballots"
    )
    serial = models.PositiveIntegerField(_("serial"))
    # Set when the two entries disagreed and the committee decided what the ballot says.
    resolved_official = models.BooleanField(_("official ballot (resolved)"), null=True)
    resolved_kept = models.JSONField(_("kept names (resolved)"), null=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("paper ballot")
        verbose_name_plural = _("paper ballots")
        ordering = ["round", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["round", "serial"], name="paper_ballot_serial"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.serial:04d}"


class PaperEntry(models.Model):
    """One counter's reading of one ballot: pass 1 or 2, never both by the same person."""

    ballot = models.ForeignKey(
        PaperBallot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="entries"
    )
    entry = models.PositiveSmallIntegerField(pgettext_lazy("counting a ballot", "entry"))
    official = models.BooleanField(_("official ballot"), default=True)
    kept = models.JSONField(_("kept names"), default=list)
    counter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("counter"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("ballot entry")
        verbose_name_plural = _("ballot entries")
        ordering = ["ballot", "entry"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "entry"], name="paper_entry_once"),
            models.UniqueConstraint(fields=["ballot", "counter"], name="paper_entry_two_people"),
            models.CheckConstraint(condition=Q(entry__in=[1, 2]), name="paper_entry_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} / {self.entry}"


def _random_key() -> uuid.UUID:
    return uuid.uuid4()


class VoteCast(models.Model):
    """That a delegate has voted in a round, and nothing about how. Random key, no timestamp."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("vote cast")
        verbose_name_plural = _("votes cast")
        constraints = [
            # One vote per delegate per round, whatever card or phone: enforced by the database.
            models.UniqueConstraint(fields=["round", "delegate"], name="vote_cast_once"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class ElectronicBallot(models.Model):
    """A secret ballot: no delegate, no user, no timestamp, a random key."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    kept = models.JSONField(_("kept names"), default=list)
    receipt_hash = models.CharField(_("receipt hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("electronic ballot")
        verbose_name_plural = _("electronic ballots")

    def __str__(self) -> str:
        return str(self.pk)


class MotionState(models.TextChoices):
    OPEN = "open", _("Open")
    RELEASED = "released", _("Result released")


class MotionMethod(models.TextChoices):
    HANDS = "hands", _("Show of hands, counted by the presidium")
    PHONES = "phones", _("On the delegates' phones")


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Motion(models.Model):
    """A vote (biểu quyết) on a resolution: hands counted by the presidium, or the delegates'
    phones. Either way open, not secret: a phone vote is kept with the delegate's name."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    method = models.CharField(
        _("how delegates vote"),
        max_length=10,
        choices=MotionMethod.choices,
        default=MotionMethod.HANDS,
    )
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    # Attendance when the result was entered, so the record keeps the quorum it was taken at.
    present = models.PositiveIntegerField(_("present"), default=0)
    quorum_needed = models.PositiveIntegerField(_("quorum needed"), default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=MotionState.choices, default=MotionState.OPEN
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def quorum_met(self) -> bool:
        return self.present >= self.quorum_needed > 0

    @property
    def passed(self) -> bool:
        """Adopted when the quorum is present and more than half of those present vote for."""
        return self.quorum_met and 2 * self.votes_for > self.present

    @property
    def counted(self) -> bool:
        """The count is in (entered by hand, or the phones' votes closed and counted)."""
        return self.present > 0


class MotionVote(models.Model):
    """One delegate's vote on a motion from their phone; one per delegate (the constraint makes
    the second of two phones fail)."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.CASCADE, related_name="phone_votes"
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    cast = models.DateTimeField(_("cast"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote on a motion")
        verbose_name_plural = _("votes on motions")
        constraints = [
            models.UniqueConstraint(fields=["motion", "delegate"], name="motion_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.motion} · {self.get_choice_display()}"
