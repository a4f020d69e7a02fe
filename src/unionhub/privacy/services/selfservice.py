"""The member's own page: signing in with a one-time code or a printed link, asking for a
correction (which the registrar approves or rejects), downloading everything held about them and
withdrawing a consent. The member is not an officer: these writes take the member, not a user,
and the audit rows name no officer."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from unionhub.audit import services as audit
from unionhub.core import scope, sms
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members import services as member_services
from unionhub.members.models import Member
from unionhub.privacy import selectors, subject
from unionhub.privacy.actions import Action
from unionhub.privacy.models import (
    DATE_FIELDS,
    Consent,
    Correction,
    CorrectionState,
    SignIn,
    SignInKind,
)


def _digest(secret: str) -> str:
    return salted_hmac("unionhub.privacy.sign-in", secret, algorithm="sha256").hexdigest()


def sign_in_code_send(*, contact: str) -> SignIn | None:
    """Send a six-digit code to the one member whose registered phone or e-mail is `contact`.

    None when no member, or more than one, has it: the caller answers the same either way, so
    the form does not tell a stranger whose number is registered."""
    member, channel = selectors.member_by_contact(contact)
    if member is None:
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.PRIVACY_SIGN_IN_CODE_MINUTES
    sent_to = member.email if channel == "email" else member.phone
    with transaction.atomic():
        # A new code replaces the member's earlier ones: only the latest message is valid.
        SignIn.objects.filter(member=member, kind=SignInKind.CODE, used_at__isnull=True).update(
            expires=timezone.now()
        )
        sign_in = SignIn.objects.create(
            member=member,
            kind=SignInKind.CODE,
            secret_hash=_digest(f"{member.pk}:{code}"),
            sent_to=sent_to,
            expires=timezone.now() + dt.timedelta(minutes=minutes),
        )
    text = _("Your UnionHub sign-in code is %(code)s. It is valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": minutes,
    }
    if channel == "email":
        send_mail(_("Your sign-in code"), text, None, [sent_to])
    else:
        sms.send(sent_to, text)
    return sign_in


def sign_in_code_check(*, sign_in_id: int | None, code: str) -> Member:
    """The member a code signs in; DomainError when it is wrong, used, expired or tried too often.

    Every try counts, right or wrong, in its own transaction, so five guesses end the code."""
    with transaction.atomic():
        sign_in = (
            SignIn.objects.select_for_update()
            .select_related("member")
            .filter(pk=sign_in_id or 0, kind=SignInKind.CODE)
            .first()
        )
        if sign_in is None or sign_in.used_at or sign_in.expires <= timezone.now():
            raise DomainError(
                "sign_in.expired", _("This code has expired. Ask for a new one."), field="code"
            )
        if sign_in.attempts >= settings.PRIVACY_SIGN_IN_CODE_TRIES:
            raise DomainError(
                "sign_in.tries", _("Too many wrong codes. Ask for a new one."), field="code"
            )
        sign_in.attempts += 1
        right = hmac.compare_digest(
            sign_in.secret_hash, _digest(f"{sign_in.member_id}:{code.strip()}")
        )
        if right:
            sign_in.used_at = timezone.now()
            audit.log(None, Action.SELF_SIGNED_IN, sign_in.member, {"via": SignInKind.CODE})
        sign_in.save(update_fields=["attempts", "used_at"])
    if not right:
        raise DomainError("sign_in.wrong", _("This code is not right."), field="code")
    return sign_in.member


def sign_in_link_create(*, member: Member, by: User) -> str:
    """A sign-in link for a member without a registered phone or e-mail, which their registrar
    prints and hands over; returns the link's secret (only its hash is kept)."""
    scope.require(by, scope.REGISTRAR, member.unit)
    token = secrets.token_urlsafe(32)
    days = settings.PRIVACY_SIGN_IN_LINK_DAYS
    with transaction.atomic():
        sign_in = SignIn.objects.create(
            member=member,
            kind=SignInKind.LINK,
            secret_hash=_digest(token),
            expires=timezone.now() + dt.timedelta(days=days),
            created_by=by,
        )
        audit.log(by, Action.SIGN_IN_LINK_PRINTED, member, {"sign_in": sign_in.pk})
    return token


def sign_in_link_use(*, token: str) -> Member:
    """The member a printed link signs in, once; DomainError when it is unknown, used or old."""
    with transaction.atomic():
        sign_in = (
            SignIn.objects.select_for_update()
            .select_related("member")
            .filter(secret_hash=_digest(token), kind=SignInKind.LINK)
            .first()
        )
        if sign_in is None or sign_in.used_at or sign_in.expires <= timezone.now():
            raise DomainError(
                "sign_in.link",
                _("This sign-in link is not valid any more. Ask your union for a new one."),
            )
        sign_in.used_at = timezone.now()
        sign_in.save(update_fields=["used_at"])
        audit.log(None, Action.SELF_SIGNED_IN, sign_in.member, {"via": SignInKind.LINK})
    return sign_in.member


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def correction_request(*, member: Member, field: str, requested: str, note: str = "") -> Correction:
    """The member asks for `field` to read `requested` (a date as YYYY-MM-DD); the registrar
    decides. One open request per field."""
    if field not in selectors.CORRECTABLE_FIELDS:
        raise DomainError(
            "correction.field", _("This field cannot be corrected here."), field="field"
        )
    requested = " ".join(requested.split())
    if not requested:
        raise DomainError("correction.empty", _("Enter the correct value."), field="requested")
    current = _shown(getattr(member, field))
    if requested.casefold() == current.casefold():
        raise DomainError(
            "correction.same",
            _("Your record already holds this value."),
            field="requested",
        )
    try:
        with transaction.atomic():
            correction = Correction.objects.create(
                member=member,
                field=field,
                current=current[:300],
                requested=requested[:300],
                note=note.strip()[:500],
            )
            audit.log(None, Action.CORRECTION_REQUESTED, member, {"field": field})
    except IntegrityError:
        raise DomainError(
            "correction.pending",
            _("You already asked to correct this field; your union has not decided yet."),
            field="field",
        ) from None
    return correction


def _pending(correction: Correction, by: User) -> Correction:
    locked = Correction.objects.select_for_update().select_related("member").get(pk=correction.pk)
    scope.require(by, scope.REGISTRAR, locked.member.unit)
    if locked.state != CorrectionState.PENDING:
        raise DomainError("correction.decided", _("This request was already decided."))
    return locked


@transaction.atomic
def correction_approve(*, correction: Correction, by: User) -> Correction:
    """Make the correction through the registry's own edit (its checks and its history apply);
    a value the registry refuses leaves the request open with the registry's message."""
    correction = _pending(correction, by)
    member = correction.member
    value: Any = correction.requested
    if correction.field in DATE_FIELDS:
        value = selectors.parse_date(value)
    member_services.member_update(
        member=member, by=by, version=member.version, **{correction.field: value}
    )
    correction.state = CorrectionState.APPROVED
    correction.decided_at = timezone.now()
    correction.decided_by = by
    correction.save(update_fields=["state", "decided_at", "decided_by"])
    audit.log(by, Action.CORRECTION_APPROVED, member, {"field": correction.field})
    return correction


@transaction.atomic
def correction_reject(*, correction: Correction, by: User, reason: str) -> Correction:
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "correction.reason",
            _("Say why the request is rejected; the member reads it."),
            field="reason",
        )
    correction = _pending(correction, by)
    correction.state = CorrectionState.REJECTED
    correction.decided_at = timezone.now()
    correction.decided_by = by
    correction.reason = reason[:500]
    correction.save(update_fields=["state", "decided_at", "decided_by", "reason"])
    audit.log(by, Action.CORRECTION_REJECTED, correction.member, {"field": correction.field})
    return correction


def subject_export_by_member(*, member: Member, file_format: str) -> dict[str, Any]:
    """Everything held about the member, downloaded by the member on their own page."""
    with transaction.atomic():
        data = subject.subject_data(member)
        audit.log(None, Action.SUBJECT_SELF_EXPORTED, member, {"format": file_format})
    return data


def consent_withdraw_by_member(*, member: Member, consent_id: int) -> Consent:
    """The member withdraws one of their standing consents, from today."""
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(pk=consent_id, member=member, withdrawn_on__isnull=True)
            .first()
        )
        if consent is None:
            raise DomainError("consent.withdrawn", _("This consent was already withdrawn."))
        consent.withdrawn_on = timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        audit.log(
            None,
            Action.CONSENT_WITHDRAWN,
            member,
            {"consent": consent.pk, "purpose": consent.purpose, "by_member": True},
        )
    return consent
