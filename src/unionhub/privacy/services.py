"""Writes of the privacy app: consents given and withdrawn, each with its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit import services as audit
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.members.models import Member
from unionhub.privacy.models import AuditAction, Consent, Method, Purpose


def consent_record(
    *, member: Member, purpose: str, given_on: dt.date, method: str, by: Any
) -> Consent:
    """Record that `member` consented to `purpose` on `given_on` (paper form or in person)."""
    scope.require(by, scope.REGISTRAR, member.unit)
    if purpose not in Purpose.values:
        raise DomainError("consent.purpose", _("Unknown purpose."), field="purpose")
    if method not in Method.values:
        raise DomainError("consent.method", _("Unknown way of giving consent."), field="method")
    if given_on > timezone.localdate():
        raise DomainError(
            "consent.future", _("Consent cannot be given in the future."), field="given_on"
        )
    with transaction.atomic():
        # Locks the member so two registrars cannot both record the same standing consent.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        if Consent.objects.filter(
            member=member, purpose=purpose, withdrawn_on__isnull=True
        ).exists():
            raise DomainError(
                "consent.standing",
                _("This member's consent to this purpose is already recorded."),
                field="purpose",
            )
        consent = Consent.objects.create(
            member=member, purpose=purpose, given_on=given_on, method=method, recorded_by=by
        )
        audit.log(
            by,
            AuditAction.CONSENT_GIVEN,
            member,
            {"consent": consent.pk, "purpose": purpose, "given_on": given_on, "method": method},
        )
    return consent


def consent_withdraw(*, consent: Consent, withdrawn_on: dt.date, by: Any) -> Consent:
    """Record the member's withdrawal of a consent; processing for the purpose stops at once."""
    scope.require(by, scope.REGISTRAR, consent.member.unit)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_on is not None:
            raise DomainError("consent.withdrawn", _("This consent was already withdrawn."))
        if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
            raise DomainError(
                "consent.withdrawal_date",
                _("The withdrawal date must lie between the consent date and today."),
                field="withdrawn_on",
            )
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        audit.log(
            by,
            AuditAction.CONSENT_WITHDRAWN,
            consent.member,
            {"consent": consent.pk, "purpose": consent.purpose, "withdrawn_on": withdrawn_on},
        )
    return consent
