"""The dated rules in force on a day: read from the database, never constants in code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError
from unionhub.finance import money
from unionhub.finance.models import Account, FeeCollector, MemberGroup, Rule, RuleKind

_T = TypeVar("_T")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    # December without stepping into the next year: December 9999 (a month a form or the API
    # accepts) has no following month.
    if month.month == 12:
        return month.replace(day=31)
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Terms:
    """What applies to dues of one month."""

    month: dt.date
    rates: dict[str, Decimal]  # member group → rate; "" for every group without its own
    cap_share: Decimal
    base_salary: int
    dues_kept: Decimal

    @property
    def cap(self) -> int:
        """The most a member pays in a month: the cap share of the base salary, in đồng."""
        return money.share(self.base_salary, self.cap_share)

    def rate(self, group: str = "") -> Decimal:
        return self.rates.get(group, self.rates[MemberGroup.ALL])

    def dues(self, salary: int | None, group: str = "") -> int:
        """One member's dues for the month (the set-based computation does the same in SQL)."""
        if salary is None:
            return 0
        return min(money.share(salary, self.rate(group)), self.cap)

    def upper_share(self, total: int) -> int:
        """Of `total` dues collected, what goes to the upper level: what the unit does not keep
        (the kept share is rounded, so the two always add up to the total)."""
        return total - money.share(total, self.dues_kept)


def _in_force(rules: list[Rule], kind: str, day: dt.date, group: str = "") -> Rule | None:
    matching = [r for r in rules if r.kind == kind and r.group == group and r.effective_from <= day]
    return max(matching, key=lambda r: r.effective_from, default=None)


def _given(value: _T | None) -> _T:
    """A rule's rate or amount, which the table's check constraint requires for its kind."""
    if value is None:
        raise ValueError("a rule without the value its kind requires")
    return value


def terms_for(month: dt.date) -> Terms:
    """The terms of dues for `month`: the rules in force on its first day."""
    month = month_start(month)
    rules = list(Rule.objects.filter(effective_from__lte=month))
    missing = []
    found = {}
    for kind in (RuleKind.DUES_RATE, RuleKind.DUES_CAP, RuleKind.BASE_SALARY, RuleKind.DUES_KEPT):
        rule = _in_force(rules, kind, month)
        if rule is None:
            missing.append(str(kind.label))
        found[kind] = rule
    if missing:
        raise DomainError(
            "rule_missing",
            _("No rule in force on %(day)s for: %(rules)s.")
            % {"day": month.strftime("%d/%m/%Y"), "rules": ", ".join(missing)},
        )
    rule_of = {kind: rule for kind, rule in found.items() if rule is not None}  # none missing
    rates = {MemberGroup.ALL.value: _given(rule_of[RuleKind.DUES_RATE].rate)}
    for group in MemberGroup.values:
        if group and (rule := _in_force(rules, RuleKind.DUES_RATE, month, group)):
            rates[group] = _given(rule.rate)
    return Terms(
        month=month,
        rates=rates,
        cap_share=_given(rule_of[RuleKind.DUES_CAP].rate),
        base_salary=_given(rule_of[RuleKind.BASE_SALARY].amount),
        dues_kept=_given(rule_of[RuleKind.DUES_KEPT].rate),
    )


@dataclass(frozen=True)
class FeeTerms:
    """What applies to the employer's union fee of one month."""

    month: dt.date
    rate: Decimal  # of the social-insurance payroll
    kept: Decimal  # the grassroots union's share
    collector: FeeCollector  # the level that collects the fee and passes the share down

    def due(self, payroll: int, rate: Decimal | None = None) -> int:
        return money.share(payroll, self.rate if rate is None else rate)

    def grassroots_share(self, paid: int) -> int:
        return money.share(paid, self.kept)


def fee_terms_for(month: dt.date) -> FeeTerms:
    """The union fee's rate, the grassroots share and the collecting level in force on the
    first day of `month`: the fee's month decides, whenever it is paid or posted."""
    month = month_start(month)
    rules = list(Rule.objects.filter(effective_from__lte=month))
    kinds = (RuleKind.FEE_RATE, RuleKind.FEE_KEPT, RuleKind.FEE_COLLECTOR)
    found = {kind: _in_force(rules, kind, month) for kind in kinds}
    rule_of = {kind: rule for kind, rule in found.items() if rule is not None}
    if len(rule_of) < len(kinds):
        missing = [str(kind.label) for kind in kinds if kind not in rule_of]
        raise DomainError(
            "rule_missing",
            _("No rule in force on %(day)s for: %(rules)s.")
            % {"day": month.strftime("%d/%m/%Y"), "rules": ", ".join(missing)},
        )
    return FeeTerms(
        month=month,
        rate=_given(rule_of[RuleKind.FEE_RATE].rate),
        kept=_given(rule_of[RuleKind.FEE_KEPT].rate),
        collector=FeeCollector(rule_of[RuleKind.FEE_COLLECTOR].collector),
    )


@dataclass(frozen=True)
class SpendingBound:
    """What a spending-ratio rule bounds: the expense account whose spending it checks against
    the revenue kept, and the direction its kind carries (at least, or at most)."""

    kind: RuleKind
    account: Account
    at_least: bool


SPENDING_BOUNDS = (
    SpendingBound(RuleKind.SUPPORT_MIN, Account.SUPPORT_EXPENSE, at_least=True),
    SpendingBound(RuleKind.ACTIVITY_MAX, Account.ACTIVITY_EXPENSE, at_least=False),
    SpendingBound(RuleKind.ADMIN_MAX, Account.ADMIN_EXPENSE, at_least=False),
)


def spending_rules_on(day: dt.date) -> dict[str, Rule]:
    """The spending-ratio rules in force on `day`, by kind; a kind with none in force is left
    out (no ratio is checked for it), never filled with a default."""
    kinds = [bound.kind for bound in SPENDING_BOUNDS]
    rules = list(Rule.objects.filter(kind__in=kinds, effective_from__lte=day))
    found = {kind: _in_force(rules, kind, day) for kind in kinds}
    return {kind: rule for kind, rule in found.items() if rule is not None}
