"""Members moved all at once when their unit merges into another or closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log, log_many
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members import signals
from unionhub.members.actions import Action
from unionhub.members.models import (
    HOLDING_STATES,
    EventKind,
    Member,
    MembershipEvent,
    MembershipPeriod,
    MemberState,
    Transfer,
)
from unionhub.members.services._base import _actor, _fmt
from unionhub.members.services.admission import check_unit_takes_members
from unionhub.members.services.transfers import _cancel_waiting
from unionhub.orgs.models import Unit


@transaction.atomic
def members_move_by_reorganisation(
    *, from_unit: Unit, to_unit: Unit, effective: dt.date, by: User
) -> int:
    """Move every member holding membership in `from_unit` to `to_unit` on `effective`, as a
    change of the tree (TRANSFERRED_OUT/IN pairs with reorganisation=True). Set-based: a merge
    moves thousands of members in a handful of statements. Returns how many moved."""
    scope.require(by, scope.REGISTRAR, from_unit)
    scope.require(by, scope.REGISTRAR, to_unit)
    if from_unit.pk == to_unit.pk:
        raise DomainError("same_unit", _("A unit's members cannot be moved into itself."))
    check_unit_takes_members(to_unit, effective)
    holding = Member.objects.filter(unit=from_unit, state__in=HOLDING_STATES)
    moving = list(holding.select_for_update().only("pk", "full_name", "state"))
    if not moving:
        return 0
    later = MembershipEvent.objects.filter(
        member__unit=from_unit, member__state__in=HOLDING_STATES, date__gt=effective
    ).first()
    if later is not None:
        raise DomainError(
            "date_before_last_event",
            _("%(member)s has an event dated after %(date)s; moves cannot be recorded earlier.")
            % {"member": later.member.full_name, "date": _fmt(effective)},
        )
    actor = _actor(by)
    events = []
    for member in moving:
        events.append(
            MembershipEvent(
                member=member,
                kind=EventKind.TRANSFERRED_OUT,
                date=effective,
                unit=from_unit,
                other_unit=to_unit,
                reorganisation=True,
                by=actor,
            )
        )
        events.append(
            MembershipEvent(
                member=member,
                kind=EventKind.TRANSFERRED_IN,
                date=effective,
                unit=to_unit,
                other_unit=from_unit,
                reorganisation=True,
                by=actor,
            )
        )
    MembershipEvent.objects.bulk_create(events, batch_size=2000)
    open_periods = MembershipPeriod.objects.filter(
        end__isnull=True, member__unit=from_unit, member__state__in=HOLDING_STATES
    )
    open_periods.filter(start__gte=effective).delete()
    open_periods.update(end=effective)
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(member=member, unit=to_unit, start=effective)
            for member in moving
            if member.state == MemberState.ACTIVE
        ],
        batch_size=2000,
    )
    _cancel_waiting(
        Transfer.objects.filter(member__unit=from_unit, member__state__in=HOLDING_STATES), by=by
    )
    holding.update(unit=to_unit, updated=timezone.now())
    log_many(
        by,
        Action.MEMBER_MOVED_BY_REORGANISATION,
        moving,
        {"from": from_unit.code, "to": to_unit.code, "effective": effective},
    )
    log(
        by,
        Action.REORGANISATION,
        from_unit,
        {"to": to_unit.code, "effective": effective, "members": len(moving)},
    )
    arrivals = {e.member_id: e for e in events if e.kind == EventKind.TRANSFERRED_IN}
    for member in moving:
        member.unit = to_unit
        signals.membership_changed.send(
            sender=Member, member=member, event=arrivals[member.pk], by=by
        )
    return len(moving)


def on_unit_dissolving(
    sender: Any,
    *,
    unit: Unit,
    effective: dt.date,
    by: User,
    merged_into: Unit | None,
    **kwargs: Any,
) -> None:
    """A unit with members closes only by merging: its members move into `merged_into`."""
    holding = Member.objects.filter(unit=unit, state__in=HOLDING_STATES)
    if merged_into is None:
        if holding.exists():
            raise DomainError(
                "unit_has_members",
                _(
                    "%(unit)s still has %(count)s members. Transfer them first, or merge the unit "
                    "into another one so they move with it."
                )
                % {"unit": unit.name, "count": holding.count()},
            )
    else:
        members_move_by_reorganisation(
            from_unit=unit, to_unit=merged_into, effective=effective, by=by
        )
    # Requests to join a unit that closes can no longer be answered by it.
    _cancel_waiting(Transfer.objects.filter(to_unit=unit), by=by)
