from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rule(models.TextChoices):
    """How the jurors' totals of one entry make its score (`scoring.combine`)."""

    MEAN = "mean", _("Mean of the jurors' totals")
    TRIMMED_MEAN = "trimmed_mean", _("Mean without the highest and the lowest total")
    MEDIAN = "median", _("Median of the jurors' totals")


class Participants(models.TextChoices):
    UNITS = "units", _("Units")
    MEMBERS = "members", _("Members")
    TEAMS = "teams", _("Teams")


class Campaign(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="campaigns", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(pgettext_lazy("campaign", "description"), blank=True)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    participants = models.CharField(
        _("who may take part"), max_length=16, choices=Participants.choices
    )
    rule = models.CharField(_("combining rule"), max_length=16, choices=Rule.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="campaign_period"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="criteria", verbose_name=_("campaign")
    )
    name = models.CharField(_("criterion"), max_length=300)
    max_points = models.PositiveIntegerField(_("maximum points"))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A unit takes part, for itself, for one of its members, or for a team it names."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="registrations", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="+", verbose_name=_("registering unit")
    )
    # Named reverse relations to the member (here and on Award, SupportRecord): the member's
    # subject export finds their rows by them; "+" would hide the rows from it.
    member = models.ForeignKey(
        "members.Member",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_registrations",
        verbose_name=_("member"),
    )
    team = models.CharField(_("team"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # Two partial constraints: a NULL member would make one constraint never match.
            models.UniqueConstraint(
                fields=["campaign", "unit", "team"],
                condition=Q(member__isnull=True),
                name="registration_unique_unit_team",
            ),
            models.UniqueConstraint(
                fields=["campaign", "member"],
                condition=Q(member__isnull=False),
                name="registration_unique_member",
            ),
        ]

    def __str__(self) -> str:
        if self.member_id:
            return str(self.member)
        return self.team or str(self.unit)


class Entry(models.Model):
    registration = models.ForeignKey(
        Registration, models.CASCADE, related_name="entries", verbose_name=_("registration")
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    benefit = models.DecimalField(
        _("benefit claimed (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("campaign entry", "entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit__isnull=True) | Q(benefit__gte=0), name="entry_benefit"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EntryFile(models.Model):
    entry = models.ForeignKey(
        Entry,
        models.CASCADE,
        related_name="files",
        verbose_name=pgettext_lazy("campaign entry", "entry"),
    )
    file = models.FileField(_("file"), upload_to="movements/entries/%Y/")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="jurors", verbose_name=_("campaign")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("officer")
    )

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="juror_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Score(models.Model):
    """One juror's points for one criterion of one entry; only that juror reads or writes it."""

    juror = models.ForeignKey(Juror, models.CASCADE, related_name="scores", verbose_name=_("juror"))
    entry = models.ForeignKey(
        Entry,
        models.CASCADE,
        related_name="scores",
        verbose_name=pgettext_lazy("campaign entry", "entry"),
    )
    criterion = models.ForeignKey(
        Criterion, models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["juror", "entry", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points"),
        ]

    def __str__(self) -> str:
        return f"{self.points}"


class AwardLevel(models.Model):
    """A level of award a unit gives: certificate of merit, first prize…"""

    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="award_levels", verbose_name=_("unit")
    )
    name = models.CharField(_("award level"), max_length=200)
    certificate_title = models.CharField(
        _("title on the certificate"), max_length=100, help_text=_("e.g. GIẤY KHEN")
    )
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"), default=0)

    class Meta:
        verbose_name = _("award level")
        verbose_name_plural = _("award levels")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="award_level_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    """An award to a member or a unit, decided in an issued decision that carries the official
    number; the certificate's QR verifies it until it is revoked."""

    level = models.ForeignKey(
        AwardLevel, models.PROTECT, related_name="awards", verbose_name=_("award level")
    )
    member = models.ForeignKey(
        "members.Member",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("member"),
    )
    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="+", verbose_name=_("awarded unit")
    )
    campaign = models.ForeignKey(
        Campaign,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("campaign"),
    )
    reason = models.CharField(_("for"), max_length=500)
    decision = models.ForeignKey(
        "dispatch.Document", models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    # When the award was read out at the ceremony (the LED slide shows those announced).
    announced = models.DateTimeField(_("announced"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked__isnull=True) | ~Q(revoked_reason=""),
                name="award_revoked_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} — {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        return self.member.full_name if self.member_id and self.member else self.unit.name


class SupportKind(models.TextChoices):
    SICKNESS = "sickness", _("Sickness")
    ACCIDENT = "accident", _("Accident at work")
    HARDSHIP = "hardship", _("Hardship")
    BEREAVEMENT = "bereavement", _("Bereavement")
    DISASTER = "disaster", _("Natural disaster")
    TET = "tet", _("Tết gift")
    OTHER = "other", _("Other")


class Fund(models.TextChoices):
    """Where the support comes from; only the union's own finance is posted to its books."""

    UNION_FINANCE = "union_finance", _("Union finance")
    SOCIAL_FUND = "social_fund", _("Social fund")
    SPONSORS = "sponsors", _("Sponsors")


class SupportState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Proposal(models.Model):
    """What a grassroots union proposes for one of its members and a unit above it decides:
    the fields support records and shelter houses share (each keeps its own member, state and
    constraints)."""

    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="+", verbose_name=_("proposing unit")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed = models.DateTimeField(_("proposed"), auto_now_add=True)
    deciding_unit = models.ForeignKey(
        "orgs.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciding unit"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        abstract = True


class SupportRecord(Proposal):
    """Support for a member: proposed by their grassroots union, decided by a unit above it."""

    member = models.ForeignKey(
        "members.Member", models.PROTECT, related_name="support_records", verbose_name=_("member")
    )
    kind = models.CharField(_("kind of support"), max_length=16, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    goods = models.CharField(_("goods"), max_length=300, blank=True)
    fund = models.CharField(_("fund"), max_length=16, choices=Fund.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=SupportState.choices, default=SupportState.PROPOSED
    )
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    # The posted journal entry of the money given from the union's finance, if any.
    ledger_entry = models.ForeignKey(
        "finance.JournalEntry",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger entry"),
    )

    class Meta:
        verbose_name = _("support record")
        verbose_name_plural = _("support records")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) | (Q(amount__isnull=True) & ~Q(goods="")),
                name="support_amount_or_goods",
            ),
            models.CheckConstraint(
                condition=Q(state="proposed") | Q(decided_by__isnull=False),
                name="support_decided_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_kind_display()}"


class ShelterState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    BUILT = "built", _("Built")
    HANDED_OVER = "handed_over", _("Handed over")


class ShelterHouse(Proposal):
    """A "union shelter" house (Mái ấm Công đoàn) for a member: proposed by their grassroots union,
    approved by a unit above it, then built and handed over. Its cost is paid by the contributors
    listed with it, whose amounts add up to the cost."""

    # A named reverse relation (not "+"): the member's subject export finds the house by it.
    member = models.ForeignKey(
        "members.Member",
        models.PROTECT,
        related_name="shelter_houses",
        verbose_name=_("beneficiary"),
    )
    address = models.CharField(_("address of the house"), max_length=300)
    cost = models.BigIntegerField(_("cost (VND)"))
    state = models.CharField(
        _("state"), max_length=16, choices=ShelterState.choices, default=ShelterState.PROPOSED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    built_on = models.DateField(_("built on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)

    class Meta:
        verbose_name = _("shelter house")
        verbose_name_plural = _("shelter houses")
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="shelter_cost_positive"),
            models.CheckConstraint(
                condition=Q(state="proposed")
                | Q(decided_by__isnull=False, decided_on__isnull=False),
                name="shelter_decided",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["built", "handed_over"]) | Q(built_on__isnull=False),
                name="shelter_built_on",
            ),
            models.CheckConstraint(
                condition=~Q(state="handed_over") | Q(handed_over_on__gte=F("built_on")),
                name="shelter_handed_over_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.address}"


class ShelterContribution(models.Model):
    """Who pays for the house, and how much: a person's or a unit's name (sponsors are often
    enterprises outside the union) and an amount."""

    house = models.ForeignKey(
        ShelterHouse, models.CASCADE, related_name="contributions", verbose_name=_("shelter house")
    )
    contributor = models.CharField(_("contributor"), max_length=300)
    amount = models.BigIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="shelter_contribution_amount"),
        ]

    def __str__(self) -> str:
        return self.contributor


class Classification(models.Model):
    """The year-end classification of the grassroots unions below a unit (a province or an
    upper unit): the criteria and the classes it sets for the year. The units above each
    grassroots union score it; its class follows from its total (`grading.assign`)."""

    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="classifications", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("year-end classification")
        verbose_name_plural = _("year-end classifications")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="classification_unit_year"),
        ]

    def __str__(self) -> str:
        return self.title


class ClassificationCriterion(models.Model):
    classification = models.ForeignKey(
        Classification,
        models.CASCADE,
        related_name="criteria",
        verbose_name=_("year-end classification"),
    )
    name = models.CharField(_("criterion"), max_length=300)
    max_points = models.PositiveIntegerField(_("maximum points"))
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"), default=0)

    class Meta:
        verbose_name = _("classification criterion")
        verbose_name_plural = _("classification criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "name"], name="classification_criterion_name"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="classification_criterion_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A class of the classification ("Vững mạnh xuất sắc"…): a union whose total reaches
    `min_points` (and no higher class's) gets it, while fewer than `quota` unions hold it."""

    classification = models.ForeignKey(
        Classification,
        models.CASCADE,
        related_name="grades",
        verbose_name=_("year-end classification"),
    )
    name = models.CharField(_("class"), max_length=200)
    min_points = models.PositiveIntegerField(_("points from"))
    quota = models.PositiveIntegerField(
        _("quota"), null=True, blank=True, help_text=_("How many unions may get it at most.")
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "name"], name="grade_name"),
            models.UniqueConstraint(
                fields=["classification", "min_points"], name="grade_min_points"
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(quota__gt=0), name="grade_quota"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One grassroots union's scores for the year and the class they give it."""

    classification = models.ForeignKey(
        Classification,
        models.CASCADE,
        related_name="assessments",
        verbose_name=_("year-end classification"),
    )
    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    total = models.DecimalField(_("total points"), max_digits=8, decimal_places=1)
    grade = models.ForeignKey(Grade, models.PROTECT, related_name="+", verbose_name=_("class"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("scored by")
    )
    scored = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["classification", "unit"], name="assessment_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="assessment_total"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.grade}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        ClassificationCriterion, models.CASCADE, related_name="+", verbose_name=_("criterion")
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="assessment_score_unique"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="assessment_score_points"),
        ]

    def __str__(self) -> str:
        return f"{self.points}"
