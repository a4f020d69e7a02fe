"""Changes of standing: suspended, resumed, left, retired, deceased, reinstated."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members import lifecycle
from unionhub.members.actions import Action
from unionhub.members.models import (
    EventKind,
    LeaveReason,
    Member,
    MemberState,
)
from unionhub.members.services._base import _apply, _locked, _standing
from unionhub.members.services.admission import check_unit_takes_members
from unionhub.members.services.profile import _check_document_free
from unionhub.members.services.transfers import _cancel_pending_transfers


def _record_state_event(
    *,
    member: Member,
    kind: str,
    date: dt.date,
    by: User,
    decision: str = "",
    reason: str = "",
    note: str = "",
    action: str,
) -> Member:
    current = _locked(member)
    scope.require(by, scope.REGISTRAR, current.unit)
    if kind == EventKind.REINSTATED:
        check_unit_takes_members(current.unit, date)
        _check_document_free(current.id_kind, current.id_number, by=by, exclude=current.pk)
    _apply(
        current,
        _standing(current),
        lifecycle.Event(kind, date, current.unit_id),
        by=by,
        decision=decision,
        reason=reason,
        note=note,
    )
    if current.state != MemberState.ACTIVE:
        _cancel_pending_transfers(current, by=by)
    log(by, action, current, {"date": date, "decision": decision, "reason": reason})
    return current


@transaction.atomic
def member_suspend(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    """Suspend membership (up to 12 months); the membership period ends on `date`."""
    return _record_state_event(
        member=member,
        kind=EventKind.SUSPENDED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_SUSPENDED,
    )


@transaction.atomic
def member_resume(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    return _record_state_event(
        member=member,
        kind=EventKind.RESUMED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_RESUMED,
    )


@transaction.atomic
def member_leave(
    *, member: Member, date: dt.date, reason: str, by: User, decision: str = ""
) -> Member:
    """The member leaves (resigned, struck off, expelled, left the job…)."""
    if reason not in LeaveReason.values:
        raise DomainError("reason_required", _("Choose why the member leaves."), field="reason")
    return _record_state_event(
        member=member,
        kind=EventKind.LEFT,
        date=date,
        by=by,
        decision=decision,
        reason=reason,
        action=Action.MEMBER_LEFT,
    )


@transaction.atomic
def member_retire(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    return _record_state_event(
        member=member,
        kind=EventKind.RETIRED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_RETIRED,
    )


@transaction.atomic
def member_decease(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    return _record_state_event(
        member=member,
        kind=EventKind.DECEASED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_DECEASED,
    )


@transaction.atomic
def member_reinstate(*, member: Member, date: dt.date, by: User, decision: str = "") -> Member:
    """Take back a member who left or retired, in the unit they were last in."""
    return _record_state_event(
        member=member,
        kind=EventKind.REINSTATED,
        date=date,
        by=by,
        decision=decision,
        action=Action.MEMBER_REINSTATED,
    )
