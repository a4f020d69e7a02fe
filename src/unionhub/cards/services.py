"""Every change to cards: request, approve, print, deliver, revoke, re-issue. Keyword-only,
atomic, audited, scoped.

Who may do what (DESIGN §2 roles, checked through ``core.scope``):
- request, mark printed, mark delivered, revoke, re-issue: a registrar whose role reaches the
  member's unit (the grassroots union's own registrar, or one above it);
- approve: a registrar at the unit *above* the member's unit, or a unit admin reaching the
  member's unit — and never the officer who requested the card (four eyes on an identity
  document; a superuser is exempt so a one-person installation can still work);
- numbering series: the unit admin above the issuing unit (the confederation assigns codes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log, log_many
from unionhub.cards import numbers
from unionhub.cards.actions import Action
from unionhub.cards.models import (
    ISSUED_STATES,
    REISSUE_REASONS,
    VALID_STATES,
    Card,
    CardSeries,
    CardState,
    RevokeReason,
)
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members.models import EventKind, Member, MemberState
from unionhub.orgs.models import Unit

# Membership events after which the holder no longer holds membership, so the card goes.
# Retirement counts: a retired member is not in members.HOLDING_STATES (they may rejoin, and
# then get a new card). Suspension keeps the card: the membership is still held.
REVOKING_EVENTS = {
    EventKind.LEFT: RevokeReason.MEMBER_LEFT,
    EventKind.RETIRED: RevokeReason.MEMBER_LEFT,
    EventKind.DECEASED: RevokeReason.MEMBER_DECEASED,
}


def _now() -> dt.datetime:
    return timezone.now()


def may_approve(user: User, unit: Unit) -> bool:
    """A registrar above `unit`, or a unit admin reaching it."""
    if scope.can(user, scope.UNIT_ADMIN, unit):
        return True
    return unit.parent_id is not None and scope.can(user, scope.REGISTRAR, unit.parent)


def _require_approver(user: User, card: Card) -> None:
    if not may_approve(user, card.member.unit):
        raise DomainError(
            "approve_not_allowed",
            _("Cards are approved by a registrar of the unit above, or by a unit admin."),
        )
    if card.requested_by_id == user.pk and not scope.is_unrestricted(user):
        raise DomainError(
            "approve_own_request", _("Somebody else must approve a card you requested.")
        )


def _refuse_state(card: Card, allowed: Iterable[str]) -> None:
    if card.state not in allowed:
        raise DomainError(
            "card_wrong_state",
            _("This card is %(state)s; that cannot be done now.")
            % {"state": card.get_state_display().lower()},
        )


def _locked(card: Card) -> Card:
    """Re-read the card under a row lock: two officers clicking at once act one after the
    other, and the second sees the first one's state."""
    return Card.objects.select_for_update().select_related("member__unit").get(pk=card.pk)


# ---------------------------------------------------------------------------------------------
# Numbering


@transaction.atomic
def card_series_set(*, unit: Unit, code: str, by: User) -> CardSeries:
    """Give `unit` (a province federation or national sector union) its three-digit code."""
    if unit.parent is None:
        if not scope.is_unrestricted(by):
            raise DomainError(
                "series_not_allowed", _("Only a system administrator can number this unit.")
            )
    else:
        scope.require(by, scope.UNIT_ADMIN, unit.parent)
    code = code.strip()
    if len(code) != numbers.PREFIX_DIGITS or not code.isdigit():
        raise DomainError("series_code_invalid", _("A series code is three digits."), field="code")
    if CardSeries.objects.filter(code=code).exclude(unit=unit).exists():
        raise DomainError(
            "series_code_taken",
            _("The code %(code)s already numbers another unit's cards.") % {"code": code},
            field="code",
        )
    series = CardSeries.objects.select_for_update().filter(unit=unit).first()
    if series is None:
        series = CardSeries.objects.create(unit=unit, code=code)
    elif series.code != code:
        if series.last_serial:
            raise DomainError(
                "series_in_use",
                _("Cards were already numbered in this series; its code cannot change."),
                field="code",
            )
        series.code = code
        series.save(update_fields=["code"])
    log(by, Action.SERIES_SET, unit, {"code": code})
    return series


def series_for(unit: Unit) -> CardSeries:
    """The series of the nearest unit at or above `unit` that has one."""
    series = (
        CardSeries.objects.filter(unit__path__in=[*unit.ancestor_paths(), unit.path])
        .select_related("unit")
        .order_by("-unit__path")
        .first()
    )
    if series is None:
        raise DomainError(
            "no_card_series",
            _("No card numbering series covers %(unit)s; ask the federation to set one up.")
            % {"unit": unit.name},
        )
    return series


def allocate_numbers(*, series: CardSeries, count: int) -> list[str]:
    """`count` consecutive new numbers of `series`; call inside the caller's transaction.

    Locks the counter row (SELECT … FOR UPDATE; SQLite's IMMEDIATE transactions lock the whole
    database): two officers approving at once must not get the same number. Never max()+1.
    """
    if count < 1:
        return []
    locked = CardSeries.objects.select_for_update().get(pk=series.pk)
    first = locked.last_serial + 1
    last = locked.last_serial + count
    if last > numbers.MAX_SERIAL:
        raise DomainError("series_exhausted", _("This numbering series has no numbers left."))
    CardSeries.objects.filter(pk=locked.pk).update(last_serial=last)
    return [numbers.compose(locked.code, serial) for serial in range(first, last + 1)]


# ---------------------------------------------------------------------------------------------
# Request


def _check_requestable(member: Member) -> None:
    if member.state != MemberState.ACTIVE:
        raise DomainError(
            "member_not_active", _("Cards are issued to active members only."), field="member"
        )
    if Card.objects.filter(member=member, state__in=VALID_STATES).exists():
        raise DomainError(
            "card_already_valid",
            _("%(member)s already has a valid card or a pending request.")
            % {"member": member.full_name},
            field="member",
        )


@transaction.atomic
def card_request(*, member: Member, by: User, note: str = "") -> Card:
    """Ask for a card for one active member who holds no valid card."""
    scope.require(by, scope.REGISTRAR, member.unit)
    _check_requestable(member)
    card = Card.objects.create(member=member, unit=member.unit, requested_by=by, note=note[:255])
    log(by, Action.CARD_REQUESTED, card, {"member": str(member.public_id)})
    return card


def members_without_card(*, unit: Unit, include_subunits: bool = True) -> QuerySet[Member]:
    """Active members of `unit` (and its subtree) with no valid card and no pending request."""
    units = Unit.objects.filter(unit.subtree_q()) if include_subunits else [unit]
    return (
        Member.objects.filter(unit__in=units, state=MemberState.ACTIVE)
        .exclude(cards__state__in=VALID_STATES)
        .order_by("unit__path", "sort_key", "pk")
    )


@transaction.atomic
def card_request_batch(
    *,
    unit: Unit,
    by: User,
    include_subunits: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[Card]:
    """Request cards for every active member of `unit` (and its subtree) without a valid card."""
    scope.require(by, scope.REGISTRAR, unit)
    members = list(
        members_without_card(unit=unit, include_subunits=include_subunits).only("pk", "unit_id")
    )
    created: list[Card] = []
    step = 1000
    for start in range(0, len(members), step):
        chunk = [
            Card(member=m, unit_id=m.unit_id, requested_by=by)
            for m in members[start : start + step]
        ]
        created.extend(Card.objects.bulk_create(chunk))
        if progress:
            progress(min(start + step, len(members)), len(members))
    if not all(card.pk for card in created):  # MySQL-like backends return no keys
        created = list(Card.objects.filter(member__in=members, state=CardState.REQUESTED))
    log_many(by, Action.CARD_REQUESTED, created, {"batch": unit.code})
    log(by, Action.BATCH_REQUESTED, unit, {"count": len(created), "subunits": include_subunits})
    return created


# ---------------------------------------------------------------------------------------------
# Approve, print, deliver


@transaction.atomic
def card_approve(*, card: Card, by: User) -> Card:
    """Approve a requested card: it gets its number and issue date, and its QR code is valid."""
    card = _locked(card)
    _require_approver(by, card)
    _refuse_state(card, [CardState.REQUESTED])
    if card.member.state != MemberState.ACTIVE:
        raise DomainError("member_not_active", _("Cards are issued to active members only."))
    series = series_for(card.member.unit)
    (card.number,) = allocate_numbers(series=series, count=1)
    card.series = series
    card.issued = timezone.localdate()
    card.unit = card.member.unit
    card.state = CardState.APPROVED
    card.approved_by = by
    card.approved_at = _now()
    card.save()
    log(by, Action.CARD_APPROVED, card, {"number": card.number})
    return card


@transaction.atomic
def card_approve_batch(*, cards: Iterable[Card], by: User) -> list[Card]:
    """Approve many requested cards at once; numbers are allocated as one locked range per
    series. Refuses the whole batch if any card may not be approved by `by`."""
    ids = [c.pk for c in cards]
    locked = list(
        Card.objects.select_for_update()
        .filter(pk__in=ids, state=CardState.REQUESTED)
        .select_related("member__unit")
        .order_by("member__unit__path", "member__sort_key", "pk")
    )
    if len(locked) != len(set(ids)):
        raise DomainError(
            "card_wrong_state", _("Some of these cards are no longer waiting for approval.")
        )
    for card in locked:
        _require_approver(by, card)
        if card.member.state != MemberState.ACTIVE:
            raise DomainError(
                "member_not_active",
                _("%(member)s is no longer an active member.") % {"member": card.member},
            )
    by_series: dict[int, tuple[CardSeries, list[Card]]] = {}
    for card in locked:
        series = series_for(card.member.unit)
        by_series.setdefault(series.pk, (series, []))[1].append(card)
    today, now = timezone.localdate(), _now()
    for series, group in by_series.values():
        for card, number in zip(
            group, allocate_numbers(series=series, count=len(group)), strict=True
        ):
            card.number, card.series, card.issued = number, series, today
            card.unit_id = card.member.unit_id
            card.state, card.approved_by, card.approved_at = CardState.APPROVED, by, now
    fields = ["number", "series", "issued", "unit", "state", "approved_by", "approved_at"]
    Card.objects.bulk_update(locked, fields, batch_size=1000)
    log_many(by, Action.CARD_APPROVED, locked, {"batch": True})
    return locked


@transaction.atomic
def card_mark_printed(*, cards: Iterable[Card], by: User) -> int:
    """Record that approved cards came off the printer; already printed ones stay printed."""
    ids = [c.pk for c in cards]
    locked = list(
        Card.objects.select_for_update().filter(pk__in=ids).select_related("member__unit")
    )
    for card in locked:
        scope.require(by, scope.REGISTRAR, card.member.unit)
        _refuse_state(card, [CardState.APPROVED, CardState.PRINTED])
    fresh = [c for c in locked if c.state == CardState.APPROVED]
    now = _now()
    for card in fresh:
        card.state, card.printed_at = CardState.PRINTED, now
    Card.objects.bulk_update(fresh, ["state", "printed_at"], batch_size=1000)
    log_many(by, Action.CARD_PRINTED, fresh)
    return len(fresh)


@transaction.atomic
def card_mark_delivered(*, card: Card, by: User) -> Card:
    """The member has the printed card in hand."""
    card = _locked(card)
    scope.require(by, scope.REGISTRAR, card.member.unit)
    _refuse_state(card, [CardState.PRINTED])
    card.state, card.delivered_at = CardState.DELIVERED, _now()
    card.save(update_fields=["state", "delivered_at"])
    log(by, Action.CARD_DELIVERED, card)
    return card


# ---------------------------------------------------------------------------------------------
# Revoke and re-issue


def _revoke(card: Card, *, reason: str, by: User, note: str = "") -> None:
    card.state, card.revoke_reason, card.revoked_at = CardState.REVOKED, reason, _now()
    if note:
        card.note = note[:255]
    card.save(update_fields=["state", "revoke_reason", "revoked_at", "note"])
    log(by, Action.CARD_REVOKED, card, {"reason": reason, "number": card.number})


@transaction.atomic
def card_revoke(*, card: Card, reason: str, by: User, note: str = "") -> Card:
    """Revoke a valid card (or withdraw a request); its QR code then shows "revoked"."""
    card = _locked(card)
    scope.require(by, scope.REGISTRAR, card.member.unit)
    _refuse_state(card, VALID_STATES)
    if reason not in RevokeReason.values:
        raise DomainError("revoke_reason_invalid", _("Choose a reason."), field="reason")
    _revoke(card, reason=reason, by=by, note=note)
    return card


@transaction.atomic
def card_reissue(*, card: Card, reason: str, by: User, note: str = "") -> Card:
    """Replace an issued card that was lost, damaged or whose details changed: the old card is
    revoked and a new request for the same member links to it."""
    card = _locked(card)
    scope.require(by, scope.REGISTRAR, card.member.unit)
    _refuse_state(card, ISSUED_STATES)
    if reason not in REISSUE_REASONS:
        raise DomainError(
            "reissue_reason_invalid",
            _("A card is re-issued when lost, damaged or when its details changed."),
            field="reason",
        )
    if card.member.state != MemberState.ACTIVE:
        raise DomainError("member_not_active", _("Cards are issued to active members only."))
    _revoke(card, reason=reason, by=by, note=note)
    new = Card.objects.create(
        member=card.member, unit=card.member.unit, replaces=card, requested_by=by, note=note[:255]
    )
    log(by, Action.CARD_REQUESTED, new, {"replaces": card.number, "reason": reason})
    return new


def cards_revoke_for_member(*, member: Member, reason: str, by: User) -> int:
    """Revoke the member's valid cards because their membership ended; runs inside the members
    service's transaction (no scope check: that service already checked the officer)."""
    cards = list(Card.objects.select_for_update().filter(member=member, state__in=VALID_STATES))
    for card in cards:
        _revoke(card, reason=reason, by=by)
    return len(cards)


def on_membership_changed(
    sender: Any, *, member: Member, event: Any, by: User, **kwargs: Any
) -> None:
    """Receiver of ``members.signals.membership_changed``: a card dies with the membership."""
    reason = REVOKING_EVENTS.get(event.kind)
    if reason is not None:
        cards_revoke_for_member(member=member, reason=reason, by=by)
