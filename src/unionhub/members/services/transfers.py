"""Transfers between units: requested by either side, answered by the other; the member
stays where they are until it is accepted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members import lifecycle
from unionhub.members.actions import Action
from unionhub.members.models import (
    EventKind,
    Member,
    MemberState,
    Transfer,
    TransferStatus,
)
from unionhub.members.services._base import (
    TRANSFER_HORIZON,
    _actor,
    _apply,
    _fmt,
    _locked,
    _standing,
    _today,
)
from unionhub.members.services.admission import check_unit_takes_members
from unionhub.orgs.models import Unit


def _decide(
    transfer: Transfer, status: TransferStatus, *, by: User, fields: tuple[str, ...] = ()
) -> None:
    """Close a waiting transfer with `status`, saying who decided and when (and `fields`)."""
    transfer.status = status
    transfer.decided_by = _actor(by)
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at", *fields])


def _cancel_waiting(transfers: QuerySet[Transfer], *, by: User) -> int:
    """Cancel, in one statement, the waiting ones among `transfers`: requests nobody can answer
    any more (the unit closes, or its members move all at once). Audited by the caller."""
    return transfers.filter(status=TransferStatus.PENDING).update(
        status=TransferStatus.CANCELLED, decided_by=_actor(by), decided_at=timezone.now()
    )


def _cancel_pending_transfers(member: Member, *, by: User) -> None:
    for transfer in Transfer.objects.filter(member=member, status=TransferStatus.PENDING):
        _decide(transfer, TransferStatus.CANCELLED, by=by)
        log(by, Action.TRANSFER_CANCELLED, member, {"transfer": transfer.pk})


@transaction.atomic
def transfer_request(
    *, member: Member, to_unit: Unit, effective: dt.date, by: User, note: str = ""
) -> Transfer:
    """Ask for `member` to move to `to_unit` from `effective`. Either side may ask; the other
    side accepts or rejects, and the member stays where they are until then."""
    current = _locked(member)
    if scope.can(by, scope.REGISTRAR, current.unit):
        by_receiver = False
    elif scope.can(by, scope.REGISTRAR, to_unit):
        by_receiver = True
    else:
        scope.require(by, scope.REGISTRAR, current.unit)
    if current.state != MemberState.ACTIVE:
        raise DomainError("member_not_active", _("Only active members can be transferred."))
    if to_unit.pk == current.unit_id:
        raise DomainError(
            "same_unit", _("The member is already in %(unit)s.") % {"unit": to_unit.name}
        )
    if effective > _today() + TRANSFER_HORIZON:
        raise DomainError(
            "transfer_too_far_ahead",
            _("A transfer can be dated at most a year ahead; %(date)s is later.")
            % {"date": _fmt(effective)},
            field="effective",
        )
    check_unit_takes_members(to_unit, effective)
    standing = _standing(current)
    if standing.last_date and effective < standing.last_date:
        raise DomainError(
            "date_before_last_event",
            _("The date %(date)s is before the member's last recorded event (%(last)s).")
            % {"date": _fmt(effective), "last": _fmt(standing.last_date)},
            field="effective",
        )
    if Transfer.objects.filter(member=current, status=TransferStatus.PENDING).exists():
        raise DomainError(
            "transfer_pending", _("A transfer of this member is already waiting for an answer.")
        )
    transfer = Transfer.objects.create(
        member=current,
        from_unit=current.unit,
        to_unit=to_unit,
        effective=effective,
        requested_by_receiver=by_receiver,
        note=nfc(note),
        requested_by=_actor(by),
    )
    log(
        by,
        Action.TRANSFER_REQUESTED,
        current,
        {
            "transfer": transfer.pk,
            "from": current.unit.code,
            "to": to_unit.code,
            "effective": effective,
            "by_receiver": by_receiver,
        },
    )
    return transfer


def _locked_pending(transfer: Transfer, by: User) -> Transfer:
    """The transfer, locked, if it still waits and `by` answers for the side that was asked."""
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("member", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )
    answering = transfer.from_unit if transfer.requested_by_receiver else transfer.to_unit
    scope.require(by, scope.REGISTRAR, answering)
    if transfer.status != TransferStatus.PENDING:
        raise DomainError(
            "transfer_decided",
            _("This transfer was already answered (%(status)s).")
            % {"status": transfer.get_status_display()},
        )
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, by: User, decision: str = "") -> Transfer:
    """The side that was asked accepts: the member moves on the effective date."""
    transfer = _locked_pending(transfer, by)
    if transfer.effective > _today():
        raise DomainError(
            "transfer_not_yet",
            _("This transfer takes effect on %(date)s; it can be accepted from that day.")
            % {"date": _fmt(transfer.effective)},
        )
    member = _locked(transfer.member)
    if member.unit_id != transfer.from_unit_id or member.state != MemberState.ACTIVE:
        raise DomainError(
            "member_changed",
            _("The member is no longer an active member of %(unit)s; the transfer cannot go on.")
            % {"unit": transfer.from_unit.name},
        )
    check_unit_takes_members(transfer.to_unit, transfer.effective)
    standing = _standing(member)
    for kind, unit, other in [
        (EventKind.TRANSFERRED_OUT, transfer.from_unit_id, transfer.to_unit_id),
        (EventKind.TRANSFERRED_IN, transfer.to_unit_id, transfer.from_unit_id),
    ]:
        standing, _event = _apply(
            member,
            standing,
            lifecycle.Event(kind, transfer.effective, unit, other),
            by=by,
            decision=decision,
            note=transfer.note,
        )
    _decide(transfer, TransferStatus.ACCEPTED, by=by)
    log(
        by,
        Action.TRANSFER_ACCEPTED,
        member,
        {
            "transfer": transfer.pk,
            "from": transfer.from_unit.code,
            "to": transfer.to_unit.code,
            "effective": transfer.effective,
        },
    )
    return transfer


@transaction.atomic
def transfer_reject(*, transfer: Transfer, by: User, note: str = "") -> Transfer:
    """The side that was asked refuses; the member stays where they are."""
    transfer = _locked_pending(transfer, by)
    if note:
        transfer.note = nfc(f"{transfer.note} — {note}" if transfer.note else note)[:255]
    _decide(transfer, TransferStatus.REJECTED, by=by, fields=("note",))
    log(by, Action.TRANSFER_REJECTED, transfer.member, {"transfer": transfer.pk, "note": note})
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, by: User) -> Transfer:
    """The side that asked withdraws its request."""
    transfer = Transfer.objects.select_for_update().select_related("member").get(pk=transfer.pk)
    asking = transfer.to_unit if transfer.requested_by_receiver else transfer.from_unit
    scope.require(by, scope.REGISTRAR, asking)
    if transfer.status != TransferStatus.PENDING:
        raise DomainError(
            "transfer_decided",
            _("This transfer was already answered (%(status)s).")
            % {"status": transfer.get_status_display()},
        )
    _decide(transfer, TransferStatus.CANCELLED, by=by)
    log(by, Action.TRANSFER_CANCELLED, transfer.member, {"transfer": transfer.pk})
    return transfer
