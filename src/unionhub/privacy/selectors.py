"""Reads of consents, scoped through the member registry's own scoping."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from unionhub.core import scope
from unionhub.members.models import Member
from unionhub.privacy.models import Consent


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
