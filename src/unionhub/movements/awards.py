"""Awards: their levels, the decision that grants them (an issued decision of dispatch, which
carries the official number), revocation, and the certificate PDF through core.certificates.
Writes here follow the services' rules (keyword-only, atomic, permission first, audited)."""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import certificates, scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.dispatch.models import Document, DocumentStatus, DocumentType
from unionhub.members.models import Member
from unionhub.movements.actions import Action
from unionhub.movements.models import Award, AwardLevel, Campaign
from unionhub.orgs.models import Unit

# The certificate's QR signs with its own purpose: a card's token never verifies as an award.
PURPOSE = b"unionhub-award-v1:"


@transaction.atomic
def level_add(*, unit: Unit, name: str, certificate_title: str, by: User) -> AwardLevel:
    scope.require(by, scope.UNIT_ADMIN, unit)
    name, title = nfc(name).strip(), nfc(certificate_title).strip().upper()
    if not name or not title:
        raise DomainError("level_name", _("Name the level and its certificate's title."))
    if AwardLevel.objects.filter(unit=unit, name=name).exists():
        raise DomainError("level_exists", _("This unit already has this level."), field="name")
    level = AwardLevel.objects.create(
        unit=unit, name=name, certificate_title=title,
        position=AwardLevel.objects.filter(unit=unit).count(),
    )  # fmt: skip
    log(by, Action.AWARD_LEVEL_ADDED, level, {"unit": unit.code})
    return level


@transaction.atomic
def award_grant(
    *,
    level: AwardLevel,
    decision: Document,
    reason: str,
    member: Member | None = None,
    unit: Unit | None = None,
    campaign: Campaign | None = None,
    by: User,
) -> Award:
    """Record the award decided in `decision`: an issued decision of the level's unit."""
    scope.require(by, scope.UNIT_ADMIN, level.unit)
    if (member is None) == (unit is None):
        raise DomainError("recipient", _("Award either a member or a unit."), field="recipient")
    recipient_unit: Unit = member.unit if member is not None else cast(Unit, unit)
    if not recipient_unit.path.startswith(level.unit.path):
        raise DomainError(
            "recipient", _("The recipient is outside the awarding unit."), field="recipient"
        )
    if (
        decision.unit_id != level.unit_id
        or decision.status != DocumentStatus.ISSUED
        or decision.doc_type != DocumentType.DECISION
    ):
        raise DomainError(
            "decision",
            _("Choose an issued decision of %(unit)s.") % {"unit": level.unit.name},
            field="decision",
        )
    if campaign is not None and not campaign.unit.path.startswith(level.unit.path):
        raise DomainError(
            "campaign", _("The campaign is not the awarding unit's."), field="campaign"
        )
    reason = nfc(reason).strip()
    if not reason:
        raise DomainError("reason", _("Say what the award is for."), field="reason")
    award = Award.objects.create(
        level=level, member=member, unit=recipient_unit, campaign=campaign, reason=reason,
        decision=decision, decided_by=by,
    )  # fmt: skip
    log(by, Action.AWARD_GRANTED, award, {"decision": decision.symbol, "level": level.name})
    return award


@transaction.atomic
def award_revoke(*, award: Award, reason: str, by: User) -> Award:
    scope.require(by, scope.UNIT_ADMIN, award.level.unit)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.revoked is not None:
        raise DomainError("revoked", _("The award is already revoked."))
    reason = nfc(reason).strip()
    if not reason:
        raise DomainError("reason", _("Say why the award is revoked."), field="reason")
    award.revoked, award.revoked_reason = timezone.now(), reason
    award.save(update_fields=["revoked", "revoked_reason"])
    log(by, Action.AWARD_REVOKED, award, {"reason": reason})
    return award


@transaction.atomic
def announce_next(*, campaign: Campaign, by: User) -> Award | None:
    """Read out the next award of the campaign at the ceremony (lowest level first, then in
    the order recorded); None when every award has been announced."""
    scope.require(by, scope.UNIT_ADMIN, campaign.unit)
    award = (
        Award.objects.select_for_update()
        .filter(campaign=campaign, announced__isnull=True, revoked__isnull=True)
        .order_by("-level__position", "pk")
        .first()
    )
    if award is None:
        return None
    award.announced = timezone.now()
    award.save(update_fields=["announced"])
    log(by, Action.AWARD_ANNOUNCED, award, {"campaign": campaign.pk})
    return award


def token(award: Award) -> str:
    return certificates.certificate_token(award.pk, purpose=PURPOSE)


def certificate_pdf(award: Award, *, verify_url: str) -> bytes:
    """The award's certificate, in the official layout, with the QR of `verify_url`."""
    issuer = [u.name.upper() for u in _issuer_lines(award.level.unit)]
    decided = award.decision.date
    place = award.level.unit.short_name or award.level.unit.name
    return certificates.render(
        certificates.Certificate(
            motto=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
            issuer=tuple(issuer),
            title=award.level.certificate_title,
            lead=_("awarded to") if award.member_id else _("awarded to the collective"),
            recipient=award.recipient_name,
            reason=award.reason,
            place_date=_("%(place)s, %(date)s")
            % {"place": place, "date": decided.strftime("%d/%m/%Y") if decided else ""},
            signer_title=award.decision.signer_title.upper(),
            signer=award.decision.signer,
            number=_("Decision No. %(symbol)s") % {"symbol": award.decision.symbol},
            verify_url=verify_url,
            verify_hint=_("Scan to check that this certificate is genuine."),
        )
    )


def _issuer_lines(unit: Unit) -> list[Unit]:
    """The issuing unit under its parent, as official headings are written."""
    return [unit.parent, unit] if unit.parent_id and unit.parent else [unit]
