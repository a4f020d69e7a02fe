"""Union finance: dated rules, salary bases, the dues roll, the ledger and remittances upward.

Money is integer VND in every column (BigIntegerField); only rates are Decimal, and turning a
rate times an amount into whole đồng happens in one place, `finance.money`.

A posted journal entry never changes: the services refuse it, and database triggers (migration
0002) refuse any UPDATE or DELETE of a posted entry or of its postings, any posting added to it,
and posting an entry whose postings do not sum to zero. A correction is a reversing entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.members.models import Member
from unionhub.orgs.models import Unit


class RuleKind(models.TextChoices):
    DUES_RATE = "dues_rate", _("Dues rate (share of the salary)")
    DUES_CAP = "dues_cap", _("Dues cap (share of the state base salary)")
    BASE_SALARY = "base_salary", _("State base salary (VND a month)")
    DUES_KEPT = "dues_kept", _("Grassroots share of dues")
    FEE_RATE = "fee_rate", _("Union fee rate (share of the social-insurance payroll)")
    FEE_KEPT = "fee_kept", _("Grassroots share of the union fee")
    FEE_COLLECTOR = "fee_collector", _("Level that collects the union fee")
    # Spending ratios: a share of the revenue the union kept in the period, the bound's
    # direction in the kind ("at least", "at most"), one kind per expense account.
    SUPPORT_MIN = "support_min", _("Support to members: at least (share of revenue kept)")
    ACTIVITY_MAX = "activity_max", _("Union activities: at most (share of revenue kept)")
    ADMIN_MAX = "admin_max", _("Administration: at most (share of revenue kept)")


class MemberGroup(models.TextChoices):
    """Dues groups (61/QĐ-TLĐ): a dues rate rule names one, or none for every member."""

    ALL = "", _("Every member")
    STATE_SCALE = "state_scale", _("Paid on the state salary scale")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise (actual salary)")
    OTHER_EMPLOYER = "other_employer", _("Other employers (social-insurance salary)")


class FeeCollector(models.TextChoices):
    """Which level collects the employer's union fee, as a fee-collector rule says: the union's
    direct upper level, or the province federation above it."""

    UPPER_LEVEL = "upper_level", _("The direct upper level")
    PROVINCE = "province", _("The province federation")


class Rule(models.Model):
    """One dated rule: in force from `effective_from` until the next rule of the same kind (and
    group). Rates are shares (0.005 is 0.5 %); the base salary is an amount in VND."""

    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    group = models.CharField(
        _("member group"), max_length=20, choices=MemberGroup.choices, blank=True, default=""
    )
    effective_from = models.DateField(_("effective from"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("A share: 0.005 is 0.5 %."),
    )
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    # Neither a share nor an amount: the level a fee-collector rule names.
    collector = models.CharField(
        _("collecting level"), max_length=20, choices=FeeCollector.choices, blank=True, default=""
    )
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("finance rule")
        verbose_name_plural = _("finance rules")
        ordering = ["kind", "group", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "group", "effective_from"], name="finance_rule_one_per_day"
            ),
            # The base salary is an amount, the fee collector a level; every other rule a share
            # between 0 and 1.
            models.CheckConstraint(
                condition=(
                    Q(kind="base_salary", amount__gt=0, rate__isnull=True, collector="")
                    | Q(
                        kind="fee_collector",
                        collector__in=FeeCollector.values,
                        amount__isnull=True,
                        rate__isnull=True,
                    )
                    | (
                        ~Q(kind__in=["base_salary", "fee_collector"])
                        & Q(amount__isnull=True, rate__gte=0, rate__lte=1, collector="")
                    )
                ),
                name="finance_rule_value_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(group="") | Q(kind="dues_rate"), name="finance_rule_group_on_dues"
            ),
        ]

    def __str__(self) -> str:
        value: object = self.rate
        if self.kind == RuleKind.BASE_SALARY:
            value = self.amount
        elif self.kind == RuleKind.FEE_COLLECTOR:
            value = self.get_collector_display()
        return f"{self.get_kind_display()} {value} ({self.effective_from:%d/%m/%Y})"


class SalaryBase(models.Model):
    """The salary dues are computed from, per member and month (entered or imported)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="salary_bases"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.BigIntegerField(_("salary (VND)"))
    group = models.CharField(
        _("member group"), max_length=20, choices=MemberGroup.choices, blank=True, default=""
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("salary base")
        verbose_name_plural = _("salary bases")
        constraints = [
            models.UniqueConstraint(fields=["month", "member"], name="finance_salary_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="finance_salary_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"


class Account(models.TextChoices):
    """The chart of accounts a union's books use (codes after the union accounting plan)."""

    CASH = "111", _("Cash")
    BANK = "112", _("Bank deposits")
    RECEIVABLE_LOWER = "136", _("Receivable from lower levels")
    PAYABLE_UPPER = "336", _("Payable to the upper level")
    DUES_REVENUE = "5111", _("Revenue: members' dues kept")
    DUES_SHARE_REVENUE = "5112", _("Revenue: dues share from lower levels")
    FEE_REVENUE = "5121", _("Revenue: union fee")
    OTHER_REVENUE = "518", _("Revenue: other")
    SUPPORT_EXPENSE = "6111", _("Expense: support to members")
    ACTIVITY_EXPENSE = "6112", _("Expense: union activities")
    ADMIN_EXPENSE = "6113", _("Expense: administration")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("journal entry", "Draft")
    POSTED = "posted", _("Posted")


class EntryKind(models.TextChoices):
    DUES = "dues", _("Dues collected")
    DUES_SHARE = "dues_share", _("Dues share from a lower level")
    REMITTANCE = "remittance", _("Remittance to the upper level")
    REMITTANCE_RECEIVED = "remittance_received", _("Remittance from a lower level")
    FEE = "fee", _("Union fee collected")
    FEE_SHARE = "fee_share", _("Union fee share from the upper level")
    MANUAL = "manual", _("Other entry")
    REVERSAL = "reversal", _("Reversal")


class JournalEntry(models.Model):
    """One entry in one unit's books; its postings sum to zero (debits positive)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="journal_entries"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    description = models.CharField(_("description"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.description}"


class Posting(models.Model):
    """One line of a journal entry: `amount` VND on `account`, positive debit, negative credit."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="postings"
    )
    account = models.CharField(_("account"), max_length=8, choices=Account.choices)
    amount = models.BigIntegerField(_("amount (VND)"))
    # The other unit of an inter-level account (136, 336) and the member a support is for.
    counterpart = models.ForeignKey(
        Unit,
        verbose_name=_("other unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finance_postings",
    )

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="finance_posting_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "entry"])]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"

    @property
    def debit(self) -> int:
        return max(self.amount, 0)

    @property
    def credit(self) -> int:
        return max(-self.amount, 0)


class DuesBatch(models.Model):
    """Paid dues of one unit and month, posted: the unit's receipt and the upper level's share.

    A batch is opened when the first of the lines it will post is marked paid, and each line
    marked paid joins the open batch of its unit and month in the same UPDATE that dates its
    payment; posting fills in the open batch (totals, entries) and leaves the lines as they
    are. Attaching the lines when they were posted was a second rewrite of a month's million
    lines, which PostgreSQL could seldom do in place (bench/finance.py). An open batch has no
    entry and zero totals: it is in no book, and remittances read posted batches only."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dues_batches"
    )
    month = models.DateField(_("month"))
    total = models.BigIntegerField(_("dues collected (VND)"))
    kept = models.BigIntegerField(_("kept by the unit (VND)"))
    upper_share = models.BigIntegerField(_("due to the upper level (VND)"))
    upper_unit = models.ForeignKey(
        Unit,
        verbose_name=_("upper level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    upper_entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("upper level's entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("posted dues")
        verbose_name_plural = _("posted dues")
        ordering = ["month", "unit"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("kept") + F("upper_share"))
                & Q(kept__gte=0, upper_share__gte=0),
                name="finance_batch_shares_add_up",
            ),
            # Open (not yet posted): nothing in it is in the books yet.
            models.CheckConstraint(
                condition=~Q(entry=None) | Q(total=0, upper_unit=None, upper_entry=None),
                name="finance_batch_open_is_empty",
            ),
            # One open batch per unit and month: the one its lines marked paid join.
            models.UniqueConstraint(
                fields=["unit", "month"], condition=Q(entry=None), name="finance_batch_one_open"
            ),
        ]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%m/%Y}: {self.total}"


class DuesLine(models.Model):
    """What one member owes for one month at the unit that held them at the month's end.

    A province writes 70,000 lines a month, so the table keeps only the indexes its reads use:
    a roll's lines are found through (unit, month), a member's through the unique (month,
    member) index, one look-up per month (`selectors.member_lines`); the batch a line is
    posted in (joined when it was marked paid) is written, never looked up by. The month leads
    the unique index so that a month's lines go at its end: led by the member, each month put
    a line into every page of it (at 1 M members, 55,000 pages copied whole into the
    write-ahead log after each checkpoint and split, a fifth of computing the month).

    Nor does the database check the member, unit and batch of each line (no foreign-key
    constraints): the lines are written only by dues_compute's INSERT … SELECT from the
    membership periods, whose member and unit exist, and given their batch only by
    dues_mark_paid's UPDATE joined to the open batches; a member, unit or batch with dues lines
    cannot be deleted (PROTECT is enforced by the ORM's delete, with or without a constraint).
    PostgreSQL checked each of a month's million lines against those tables at the commit,
    locking the row it found: at 1 M members, half of computing a month and a third of
    posting it (bench/finance.py)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_lines",
        db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="dues_lines",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField(_("month"))
    salary = models.BigIntegerField(_("salary (VND)"), null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=9, decimal_places=6)
    cap = models.BigIntegerField(_("cap (VND)"))
    amount = models.BigIntegerField(_("dues (VND)"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    batch = models.ForeignKey(
        DuesBatch,
        verbose_name=_("posted in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("dues line")
        verbose_name_plural = _("dues lines")
        ordering = ["month", "unit", "member"]
        constraints = [
            models.UniqueConstraint(fields=["month", "member"], name="finance_dues_once"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=F("cap")), name="finance_dues_capped"
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(paid_on__isnull=False),
                name="finance_dues_posted_is_paid",
            ),
        ]
        # Not paid_on: marking a roll paid would move every line's entry in the index.
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"


class Remittance(models.Model):
    """Dues share sent by a union to its upper level for one month: recorded once, by the
    sender, and written in both books (the sender's payable and the upper level's receivable)."""

    from_unit = models.ForeignKey(
        Unit, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="remittances"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("to unit"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    amount = models.BigIntegerField(_("amount (VND)"))
    date = models.DateField(_("date"))
    entry = models.OneToOneField(
        JournalEntry, verbose_name=_("sender's entry"), on_delete=models.PROTECT, related_name="+"
    )
    upper_entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("upper level's entry"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_remittance_positive"),
        ]
        indexes = [models.Index(fields=["from_unit", "month"])]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit} {self.month:%m/%Y}: {self.amount}"


class FeeStatus(models.TextChoices):
    """The employer's union fee (kinh phí công đoàn) of a month, under the 2024 Trade Union
    Law: due at the standard rate, or waived, reduced or suspended (up to 12 months, then paid
    back)."""

    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")
    REDUCED = "reduced", _("Reduced rate")
    SUSPENDED = "suspended", pgettext_lazy("union fee", "Suspended")


class EmployerFee(models.Model):
    """The union fee an employer owes for one month: 2 % (the dated rule) of its social-insurance
    payroll, recorded at the grassroots union of the workplace."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employer_fees"
    )
    month = models.DateField(_("month"))
    payroll = models.BigIntegerField(_("social-insurance payroll (VND)"))
    rate = models.DecimalField(_("rate"), max_digits=9, decimal_places=6)
    due = models.BigIntegerField(_("due (VND)"))
    status = models.CharField(
        _("status"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.DUE
    )
    paid = models.BigIntegerField(_("paid (VND)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # Paid after a suspension ended: the back-payment the law asks for.
    back_paid = models.BooleanField(_("paid back after a suspension"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Posted a payment at a time (EmployerFeePayment): the level that collected it writes
    # each payment and the grassroots share it passed down, the grassroots union the share it
    # received; here the collector and the totals so far.
    collector = models.ForeignKey(
        Unit,
        verbose_name=_("collected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    share = models.BigIntegerField(_("grassroots share passed down (VND)"), null=True, blank=True)
    # Of what was paid, how much is in the books: the payments posted (EmployerFeePayment).
    posted = models.BigIntegerField(_("paid and posted (VND)"), default=0)

    class Meta:
        verbose_name = _("employer's union fee")
        verbose_name_plural = _("employers' union fees")
        ordering = ["unit", "month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="finance_fee_unit_month"),
            models.CheckConstraint(
                condition=Q(payroll__gte=0)
                & Q(due__gte=0)
                & Q(paid__gte=0)
                & Q(paid__lte=F("due")),
                name="finance_fee_amounts",
            ),
            # Posted a payment at a time: the collector named at the first, the shares passed
            # down so far out of what was posted so far, out of what was paid.
            models.CheckConstraint(
                condition=Q(posted=0, share__isnull=True, collector__isnull=True)
                | Q(
                    posted__gt=0,
                    posted__lte=F("paid"),
                    share__gte=0,
                    share__lte=F("posted"),
                    collector__isnull=False,
                ),
                name="finance_fee_posted_in_payments",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%m/%Y}: {self.due}"

    @property
    def outstanding(self) -> int:
        return 0 if self.status == FeeStatus.WAIVED else self.due - self.paid

    @property
    def awaiting_posting(self) -> bool:
        """Payments recorded and not yet in the books."""
        return self.posted < self.paid


class EmployerFeePayment(models.Model):
    """One payment of an employer's union fee, posted on its own: the collector's entry and the
    grassroots share it passed down, worked out on the fee's payments so far so that the shares
    of a fee's payments add up to the share of their total, to the đồng."""

    fee = models.ForeignKey(
        EmployerFee, verbose_name=_("union fee"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.BigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("paid on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collector = models.ForeignKey(
        Unit,
        verbose_name=_("collected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    share = models.BigIntegerField(_("grassroots share passed down (VND)"), null=True, blank=True)
    entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("collector's entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grassroots_entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("grassroots union's entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("union fee payment")
        verbose_name_plural = _("union fee payments")
        ordering = ["fee", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_fee_payment_positive"),
            # Posted means posted whole: the collector's entry with the share, out of the payment.
            models.CheckConstraint(
                condition=Q(
                    entry__isnull=True,
                    share__isnull=True,
                    collector__isnull=True,
                    grassroots_entry__isnull=True,
                )
                | Q(
                    entry__isnull=False,
                    share__gte=0,
                    share__lte=F("amount"),
                    collector__isnull=False,
                ),
                name="finance_fee_payment_posted_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fee} {self.paid_on:%d/%m/%Y}: {self.amount}"
