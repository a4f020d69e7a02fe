"""The event engine on arbitrary sequences (hypothesis): valid histories give the right state
and periods, in memory and in the database; impossible ones are refused and change nothing."""

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionhub.core.errors import DomainError
from unionhub.members import lifecycle, services
from unionhub.members.lifecycle import Event, Period, Standing
from unionhub.members.models import EventKind, MembershipEvent, MembershipPeriod, MemberState

A, B, C = 1, 2, 3
START = dt.date(2018, 1, 1)

# What each action does to the state, following DESIGN §2.
EXPECTED = {
    "suspend": MemberState.SUSPENDED,
    "resume": MemberState.ACTIVE,
    "leave": MemberState.LEFT,
    "retire": MemberState.RETIRED,
    "decease": MemberState.DECEASED,
    "reinstate": MemberState.ACTIVE,
}
KIND = {
    "suspend": EventKind.SUSPENDED,
    "resume": EventKind.RESUMED,
    "leave": EventKind.LEFT,
    "retire": EventKind.RETIRED,
    "decease": EventKind.DECEASED,
    "reinstate": EventKind.REINSTATED,
}
ALLOWED_FROM = {
    "suspend": {MemberState.ACTIVE},
    "resume": {MemberState.SUSPENDED},
    "leave": {MemberState.ACTIVE, MemberState.SUSPENDED},
    "retire": {MemberState.ACTIVE, MemberState.SUSPENDED},
    "decease": {MemberState.ACTIVE, MemberState.SUSPENDED, MemberState.RETIRED},
    "reinstate": {MemberState.LEFT, MemberState.RETIRED},
    "transfer": {MemberState.ACTIVE},
}
actions = st.lists(
    st.tuples(st.sampled_from([*EXPECTED, "transfer"]), st.integers(min_value=0, max_value=400)),
    max_size=12,
)


def model(steps):
    """A second, naive implementation: walk the steps, keeping only the allowed ones."""
    state, unit, day = MemberState.ACTIVE, A, START
    events = [Event(EventKind.ADMITTED, START, A)]
    periods, open_start = [], START
    for action, gap in steps:
        if state not in ALLOWED_FROM[action]:
            continue
        day = day + dt.timedelta(days=gap)
        if action == "transfer":
            target = B if unit != B else C
            events += [
                Event(EventKind.TRANSFERRED_OUT, day, unit, target),
                Event(EventKind.TRANSFERRED_IN, day, target, unit),
            ]
            if day > open_start:
                periods.append(Period(unit, open_start, day))
            unit, open_start = target, day
            continue
        events.append(Event(KIND[action], day, unit))
        new_state = EXPECTED[action]
        if state == MemberState.ACTIVE and new_state != MemberState.ACTIVE and day > open_start:
            periods.append(Period(unit, open_start, day))
        if new_state == MemberState.ACTIVE and state != MemberState.ACTIVE:
            open_start = day
        state = new_state
    if state == MemberState.ACTIVE:
        periods.append(Period(unit, open_start, None))
    return events, state, unit, periods


@given(actions)
def test_any_valid_sequence_gives_the_expected_state_and_periods(steps):
    events, state, unit, periods = model(steps)
    standing, derived = lifecycle.replay(events)
    assert (standing.state, standing.unit_id) == (state, unit)
    assert derived == periods
    # Periods never overlap and never are empty.
    for earlier, later in itertools.pairwise(derived):
        assert earlier.end is not None and earlier.end <= later.start
    assert all(p.end is None or p.end > p.start for p in derived)


@given(actions, st.sampled_from([*EXPECTED, "transfer", "admit"]))
def test_an_event_that_cannot_follow_is_refused(steps, action):
    events, state, unit, _periods = model(steps)
    standing, _ = lifecycle.replay(events)
    day = standing.last_date + dt.timedelta(days=1)
    if action == "admit":
        event = Event(EventKind.ADMITTED, day, unit)
    elif action == "transfer":
        event = Event(EventKind.TRANSFERRED_OUT, day, unit, C if unit != C else B)
    else:
        event = Event(KIND[action], day, unit)
    allowed = action != "admit" and state in ALLOWED_FROM[action]
    if allowed:
        lifecycle.step(standing, event)
    else:
        with pytest.raises(DomainError):
            lifecycle.step(standing, event)


@given(actions, st.integers(min_value=1, max_value=900))
def test_an_event_dated_before_the_last_one_is_refused(steps, days_back):
    events, state, unit, _periods = model(steps)
    standing, _ = lifecycle.replay(events)
    earlier = standing.last_date - dt.timedelta(days=days_back)
    kind = (
        EventKind.LEFT
        if state in (MemberState.ACTIVE, MemberState.SUSPENDED)
        else EventKind.REINSTATED
    )
    if state == MemberState.DECEASED:
        return
    with pytest.raises(DomainError) as refused:
        lifecycle.step(standing, Event(kind, earlier, unit))
    assert refused.value.code == "date_before_last_event"


def test_a_future_date_is_refused():
    standing = Standing(
        state=MemberState.ACTIVE, unit_id=A, since=START, last_date=START, period_start=START
    )
    with pytest.raises(DomainError) as refused:
        lifecycle.step(
            standing, Event(EventKind.LEFT, dt.date(2030, 1, 1), A), today=dt.date(2026, 1, 1)
        )
    assert refused.value.code == "date_in_future"


SERVICE = {
    "suspend": services.member_suspend,
    "resume": services.member_resume,
    "retire": services.member_retire,
    "decease": services.member_decease,
    "reinstate": services.member_reinstate,
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.sampled_from([*EXPECTED, "transfer"]), st.integers(0, 200)), max_size=8)
)
def test_services_keep_state_and_periods_equal_to_the_replayed_events(tree, steps):
    """Through the real services, in the database: the cache on the member and the periods
    are exactly what replaying its stored events gives; refused steps write nothing."""
    units = [tree.grassroots_a1, tree.grassroots_a2, tree.grassroots_b1]
    member = services.member_admit(
        unit=units[0], by=tree.admin, joined=START, full_name="Phan Văn Hải", gender="male"
    )
    day = START
    for action, gap in steps:
        day += dt.timedelta(days=gap)
        before = MembershipEvent.objects.filter(member=member).count()
        try:
            if action == "transfer":
                target = next(u for u in units if u.pk != member.unit_id)
                transfer = services.transfer_request(
                    member=member, to_unit=target, effective=day, by=tree.admin
                )
                services.transfer_accept(transfer=transfer, by=tree.admin)
            elif action == "leave":
                services.member_leave(member=member, date=day, reason="resigned", by=tree.admin)
            else:
                SERVICE[action](member=member, date=day, by=tree.admin)
        except DomainError:
            assert MembershipEvent.objects.filter(member=member).count() == before
        member.refresh_from_db()
    stored = [
        Event(e.kind, e.date, e.unit_id, e.other_unit_id, e.reorganisation)
        for e in MembershipEvent.objects.filter(member=member).order_by("date", "id")
    ]
    standing, periods = lifecycle.replay(stored)
    assert (member.state, member.unit_id, member.state_since) == (
        standing.state,
        standing.unit_id,
        standing.since,
    )
    assert [
        Period(p.unit_id, p.start, p.end)
        for p in MembershipPeriod.objects.filter(member=member).order_by("start")
    ] == periods
    member.delete()
