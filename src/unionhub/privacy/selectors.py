"""Reads of consents, scoped through the member registry's own scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.core import scope
from unionhub.members.models import Member
from unionhub.privacy.models import Consent, DataClass


def has_consent(*, member: Member, purpose: str) -> bool:
    """Whether the member's consent to `purpose` stands now (given and not withdrawn)."""
    return Consent.objects.filter(
        member=member, purpose=purpose, withdrawn_on__isnull=True
    ).exists()


def member_consents(*, user: Any, member: Member) -> QuerySet[Consent]:
    """Every consent of a member the caller may see (registrars of the member's unit)."""
    scope.require(user, scope.REGISTRAR, member.unit)
    return Consent.objects.filter(member=member).select_related("recorded_by")


def consent_list(*, user: Any, purpose: str = "", standing: str = "") -> QuerySet[Consent]:
    """Consents of the members in the caller's registrar scope, newest first."""
    consents = scope.restrict(
        Consent.objects.select_related("member", "member__unit"),
        user,
        role=scope.REGISTRAR,
        via="member__unit",
    )
    if purpose:
        consents = consents.filter(purpose=purpose)
    if standing == "yes":
        consents = consents.filter(withdrawn_on__isnull=True)
    elif standing == "no":
        consents = consents.filter(withdrawn_on__isnull=False)
    return consents


def consent_get(*, user: Any, pk: Any) -> Consent:
    consents = scope.restrict(
        Consent.objects.select_related("member", "member__unit"),
        user,
        role=scope.REGISTRAR,
        via="member__unit",
    )
    return get_object_or_404(consents, pk=pk)


@dataclass(frozen=True)
class Blocker:
    """Why a member may not be anonymised yet: the data class and the day its retention ends
    (None: as long as the person is a member)."""

    data_class: str
    until: dt.date | None

    @property
    def reason(self) -> str:
        label = DataClass(self.data_class).label
        if self.until is None:
            return _("%(data)s must be kept while the person is a member.") % {"data": label}
        return _("%(data)s must be kept until %(date)s (retention rule).") % {
            "data": label,
            "date": self.until.strftime("%d/%m/%Y"),
        }


def erasure_blockers(member: Member, *, today: dt.date | None = None) -> list[Blocker]:
    """The retention rules that still keep the member's data, by data class; empty when the
    member may be anonymised. The years run from the day the membership ended."""
    today = today or timezone.localdate()
    if member.holds_membership:
        return [Blocker(data_class, None) for data_class in DataClass.values]
    blockers = []
    for data_class in DataClass.values:
        years = settings.PRIVACY_RETENTION_YEARS.get(data_class, 0)
        until = _years_after(member.state_since, years)
        if until > today:
            blockers.append(Blocker(data_class, until))
    return blockers


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)
