"""A brute-force recount of the fluctuation report from the events, for the tests.

Independent of the engine and of the member services' periods: it replays each member's events
into stretches of active membership, finds the tree of each day with `orgs.selectors`, and
counts member by member, event by event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache

from unionhub.members.models import EventKind, Gender, MembershipEvent
from unionhub.orgs.models import Level, Placement, Unit
from unionhub.orgs.selectors import parents_as_of
from unionhub.reports import fluctuation as f

DAY = dt.timedelta(days=1)
OPENING = {
    EventKind.ADMITTED: f.ADMITTED,
    EventKind.RECORDED: f.RECORDED,
    EventKind.TRANSFERRED_IN: f.TRANSFERRED_IN,
    EventKind.RESUMED: f.OTHER_INCREASE,
    EventKind.REINSTATED: f.OTHER_INCREASE,
}


@dataclass
class Stretch:
    """Active membership of one member at one unit over [start, end)."""

    member_id: int
    female: bool
    unit_id: int
    start: dt.date
    opened_by: str
    opened_reorg: bool
    opened_from: int | None = None  # the other unit of the event that opened it
    end: dt.date | None = None
    closed_by: str | None = None
    closed_reorg: bool = False
    closed_to: int | None = None


def stretches() -> list[Stretch]:
    """Replay every member's events (date order, then recording order)."""
    result: list[Stretch] = []
    events = MembershipEvent.objects.select_related("member").order_by("member_id", "date", "id")
    current: dict[int, Stretch | None] = {}
    suspended: dict[int, bool] = {}
    for event in events:
        member = event.member_id
        open_now = current.get(member)

        def close(kind: str, event=event, open_now=open_now, member=member) -> None:
            if open_now is None:
                return
            open_now.end, open_now.closed_by = event.date, kind
            open_now.closed_reorg = event.reorganisation
            open_now.closed_to = event.other_unit_id
            if open_now.end > open_now.start:  # closed the day it opened: no membership at all
                result.append(open_now)
            current[member] = None

        def open_at(kind: str, event=event, member=member) -> None:
            current[member] = Stretch(
                member,
                event.member.gender == Gender.FEMALE,
                event.unit_id,
                event.date,
                kind,
                event.reorganisation,
                event.other_unit_id,
            )

        kind = event.kind
        if kind in (EventKind.ADMITTED, EventKind.RECORDED):
            open_at(OPENING[kind])
        elif kind == EventKind.TRANSFERRED_OUT:
            close(f.TRANSFERRED_OUT)
        elif kind == EventKind.TRANSFERRED_IN:
            if not suspended.get(member):
                open_at(f.TRANSFERRED_IN)
        elif kind == EventKind.SUSPENDED:
            close(f.SUSPENDED)
            suspended[member] = True
        elif kind in (EventKind.RESUMED, EventKind.REINSTATED):
            suspended[member] = False
            open_at(f.OTHER_INCREASE)
        else:  # left, retired, deceased: a decrease only if the member was counted
            close({"left": f.LEFT, "retired": f.RETIRED, "deceased": f.DECEASED}[kind])
            suspended[member] = False
    result.extend(s for s in current.values() if s is not None)
    return result


@cache
def _parents(day: dt.date) -> dict[int, int | None]:
    return parents_as_of(day)


def chain(day: dt.date, unit_id: int) -> list[int]:
    parents = _parents(day)
    result = []
    while unit_id is not None and unit_id in parents:
        result.append(unit_id)
        unit_id = parents[unit_id]
    return result


def _path_to(chain_: list[int], unit_id: int) -> list[int] | None:
    return chain_[: chain_.index(unit_id) + 1] if unit_id in chain_ else None


def recount(
    unit: Unit, first: dt.date, last: dt.date, replayed: list[Stretch] | None = None
) -> Counter:
    """The report's total for `unit`, counted member by member (`replayed`: the stretches, when
    the caller has them already)."""
    _parents.cache_clear()
    eve = first - DAY
    counts: Counter = Counter()
    held = lambda s, day: s.start <= day and (s.end is None or s.end > day)  # noqa: E731
    all_stretches = stretches() if replayed is None else replayed
    for s in all_stretches:
        if held(s, eve) and unit.pk in chain(eve, s.unit_id):
            counts[f.START] += 1
        if held(s, last) and unit.pk in chain(last, s.unit_id):
            counts[f.END] += 1
            counts[f.END_WOMEN] += s.female
        if first <= s.start <= last and unit.pk in chain(s.start, s.unit_id):
            counts[s.opened_by] += 1
            if s.opened_reorg and s.opened_by == f.TRANSFERRED_IN:
                counts[f.TRANSFERRED_IN_REORG] += 1
            # From inside the unit: where the other unit stood the day before it sent them.
            if s.opened_by == f.TRANSFERRED_IN and s.opened_from is not None:
                counts[f.TRANSFERRED_IN_WITHIN] += unit.pk in chain(s.start - DAY, s.opened_from)
        if (
            s.end is not None
            and first <= s.end <= last
            and unit.pk in chain(s.end - DAY, s.unit_id)
        ):
            counts[s.closed_by] += 1
            if s.closed_reorg and s.closed_by == f.TRANSFERRED_OUT:
                counts[f.TRANSFERRED_OUT_REORG] += 1
            if s.closed_by == f.TRANSFERRED_OUT and s.closed_to is not None:
                counts[f.TRANSFERRED_OUT_WITHIN] += unit.pk in chain(s.end, s.closed_to)
    # The tree changes only where a placement starts or ends.
    days = set()
    for start, end in Placement.objects.values_list("valid_from", "valid_to"):
        days |= {d for d in (start, end) if d is not None and first <= d <= last}
    grassroots = set(Unit.objects.filter(level=Level.GRASSROOTS).values_list("pk", flat=True))
    for day in sorted(days):
        before, after = day - DAY, day
        moving = [(s.unit_id, 1) for s in all_stretches if held(s, before) and held(s, after)]
        for unit_id, is_unit in [
            *[(m, False) for m, _ in moving],
            *[(g, True) for g in grassroots],
        ]:
            old, new = chain(before, unit_id), chain(after, unit_id)
            old_path, new_path = _path_to(old, unit.pk), _path_to(new, unit.pk)
            if old_path == new_path:
                continue
            if is_unit:
                if old_path is not None:
                    counts[f.UNITS_MOVED_OUT if new else f.UNITS_DISSOLVED] += 1
                if new_path is not None:
                    counts[f.UNITS_MOVED_IN if old else f.UNITS_FOUNDED] += 1
                continue
            within = old_path is not None and new_path is not None
            if old_path is not None:
                counts[f.TRANSFERRED_OUT if new else f.OTHER_DECREASE] += 1
                counts[f.TRANSFERRED_OUT_REORG] += bool(new)
                counts[f.TRANSFERRED_OUT_WITHIN] += within
            if new_path is not None:
                counts[f.TRANSFERRED_IN if old else f.OTHER_INCREASE] += 1
                counts[f.TRANSFERRED_IN_REORG] += bool(old)
                counts[f.TRANSFERRED_IN_WITHIN] += within
    for day, column in ((eve, f.UNITS_START), (last, f.UNITS_END)):
        counts[column] += sum(1 for g in grassroots if unit.pk in chain(day, g))
    return +counts
