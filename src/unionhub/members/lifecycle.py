"""The membership state machine: which event may follow which, and what it leaves behind.

Pure functions over plain values, shared by the services (one step at a time, from the state
cached on the member) and by anything that replays a whole history (`replay`), so the rules live
in one place and can be tested on arbitrary sequences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError
from unionhub.members.models import EventKind, MemberState

# The state an event leads to, and the states it may follow (None: no history yet).
_RULES: dict[str, tuple[tuple[str | None, ...], str | None]] = {
    EventKind.ADMITTED: ((None,), MemberState.ACTIVE),
    EventKind.RECORDED: ((None,), MemberState.ACTIVE),
    EventKind.SUSPENDED: ((MemberState.ACTIVE,), MemberState.SUSPENDED),
    EventKind.RESUMED: ((MemberState.SUSPENDED,), MemberState.ACTIVE),
    EventKind.LEFT: ((MemberState.ACTIVE, MemberState.SUSPENDED), MemberState.LEFT),
    EventKind.RETIRED: ((MemberState.ACTIVE, MemberState.SUSPENDED), MemberState.RETIRED),
    EventKind.DECEASED: (
        (MemberState.ACTIVE, MemberState.SUSPENDED, MemberState.RETIRED),
        MemberState.DECEASED,
    ),
    EventKind.REINSTATED: ((MemberState.LEFT, MemberState.RETIRED), MemberState.ACTIVE),
    # A transfer keeps the state; only active members transfer on request, while a change of
    # the tree moves suspended members too (checked in `step`).
    EventKind.TRANSFERRED_OUT: ((MemberState.ACTIVE, MemberState.SUSPENDED), None),
    EventKind.TRANSFERRED_IN: ((MemberState.ACTIVE, MemberState.SUSPENDED), None),
}


@dataclass(frozen=True)
class Standing:
    """Where a member stands after some events: what the services cache on the member row."""

    state: str | None = None
    unit_id: int | None = None
    since: dt.date | None = None
    last_date: dt.date | None = None
    # Start of the open membership period (holding and active), None when there is none.
    period_start: dt.date | None = None
    # Between the two halves of a transfer: the unit the member is on the way to.
    transit_to: int | None = None


def unit_of(standing: Standing) -> int:
    """The unit of a standing with an open period: every period is in a unit."""
    if standing.unit_id is None:
        raise ValueError("a membership period without a unit")
    return standing.unit_id


def settled(standing: Standing) -> tuple[str, dt.date, int]:
    """State, since when and unit of a member with at least one event: what the member row
    caches. Every event sets all three, so only an empty history lacks them."""
    if standing.state is None or standing.since is None or standing.unit_id is None:
        raise ValueError("a standing without events has no state to cache")
    return standing.state, standing.since, standing.unit_id


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    unit_id: int
    other_unit_id: int | None = None
    reorganisation: bool = False


@dataclass(frozen=True)
class Period:
    unit_id: int
    start: dt.date
    end: dt.date | None


def _refuse(code: str, message: str, field: str | None = None) -> DomainError:
    return DomainError(code, message, field=field)


def step(standing: Standing, event: Event, *, today: dt.date | None = None) -> Standing:
    """The standing after `event`, or DomainError when the event cannot follow."""
    kind, date = event.kind, event.date
    if kind not in _RULES:
        raise _refuse("unknown_event", _("Unknown membership event."))
    if today is not None and date > today:
        raise _refuse(
            "date_in_future", _("Membership events cannot be dated in the future."), "date"
        )
    if standing.last_date is not None and date < standing.last_date:
        raise _refuse(
            "date_before_last_event",
            _("The date %(date)s is before the member's last recorded event (%(last)s).")
            % {"date": date.strftime("%d/%m/%Y"), "last": standing.last_date.strftime("%d/%m/%Y")},
            "date",
        )
    if standing.transit_to is not None and kind != EventKind.TRANSFERRED_IN:
        raise _refuse("transfer_incomplete", _("The member is in the middle of a transfer."))
    allowed, new_state = _RULES[kind]
    if standing.state not in allowed:
        raise _refuse("event_not_allowed", _not_allowed_message(kind, standing.state))
    if kind == EventKind.TRANSFERRED_OUT:
        if standing.state != MemberState.ACTIVE and not event.reorganisation:
            raise _refuse("member_not_active", _("Only active members can be transferred."))
        if event.other_unit_id is None or event.other_unit_id == standing.unit_id:
            raise _refuse("same_unit", _("A transfer needs another unit to go to."))
        # The period in the old unit ends here; the new one opens on arrival.
        return replace(standing, last_date=date, transit_to=event.other_unit_id, period_start=None)
    if kind == EventKind.TRANSFERRED_IN:
        if standing.transit_to != event.unit_id:
            raise _refuse("transfer_incomplete", _("No transfer to this unit was started."))
        return replace(
            standing,
            unit_id=event.unit_id,
            last_date=date,
            transit_to=None,
            period_start=date if standing.state == MemberState.ACTIVE else None,
        )
    assert new_state is not None
    if kind in (EventKind.ADMITTED, EventKind.RECORDED):
        return Standing(
            state=new_state, unit_id=event.unit_id, since=date, last_date=date, period_start=date
        )
    return replace(
        standing,
        state=new_state,
        since=date,
        last_date=date,
        period_start=date if new_state == MemberState.ACTIVE else None,
    )


def _not_allowed_message(kind: str, state: str | None) -> str:
    if state is None:
        return _("A member's history starts with the admission or the recording.")
    return _("“%(event)s” cannot be recorded for a member whose status is “%(state)s”.") % {
        "event": EventKind(kind).label,
        "state": MemberState(state).label,
    }


def replay(events: Iterable[Event]) -> tuple[Standing, list[Period]]:
    """Fold a whole history: the final standing and the membership periods it gives.

    A period is a stretch of active membership in one unit, [start, end); a period that would be
    empty (closed on the day it opened) is dropped.
    """
    standing = Standing()
    periods: list[Period] = []
    for event in events:
        before = standing
        standing = step(standing, event)
        start = before.period_start
        if start is not None and standing.period_start != start and event.date > start:
            periods.append(Period(unit_of(before), start, event.date))
    if standing.period_start is not None:
        periods.append(Period(unit_of(standing), standing.period_start, None))
    return standing, periods
