"""Registrars nominating at the same moment never over-fill a session or a unit's quota. Its own
module: the threads commit for real, so it cannot share rows with other modules' tests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import world
from tests.training.helpers import session_of
from unionhub.core import scope
from unionhub.members.models import Member
from unionhub.training import services
from unionhub.training.models import Enrolment, EnrolmentState

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the in-memory SQLite test database refuses concurrent writers outright; "
        "PostgreSQL's row lock is what this proves",
    ),
]


@pytest.fixture
def superuser(transactional_db):
    return world.make_superuser()


@pytest.fixture
def setting(tree, admit):
    organiser = world.make_officer(tree, tree.district_a, scope.UNIT_ADMIN)
    units = [tree.grassroots_a1, tree.grassroots_a2]
    people = [admit(units[n % 2], full_name=f"Đoàn viên {n}") for n in range(12)]
    return tree, organiser, people


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    capacity=st.integers(min_value=1, max_value=8),
    quota=st.none() | st.integers(min_value=1, max_value=4),
    crowd=st.integers(min_value=2, max_value=12),
)
def test_concurrent_nominations_never_over_fill(setting, capacity, quota, crowd):
    tree, organiser, people = setting
    quota = None if quota is None else min(quota, capacity)
    session = session_of(tree.district_a, organiser, capacity=capacity, unit_quota=quota)
    barrier = threading.Barrier(crowd)
    errors: list[BaseException] = []

    def nominate(member: Member) -> None:
        try:
            barrier.wait()
            services.enrol(session=session, member=member, by=organiser)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=(p,)) for p in people[:crowd]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Enrolment.objects.filter(session=session)
    confirmed = rows.filter(state=EnrolmentState.CONFIRMED)
    assert rows.count() == crowd
    per_unit = {u: confirmed.filter(unit=u).count() for u in (p.unit for p in people[:2])}
    # Never over-filled, and nobody waits while a place they fit is free.
    assert confirmed.count() <= capacity
    if quota is not None:
        assert max(per_unit.values()) <= quota
    for unit, taken in per_unit.items():
        waiting = rows.filter(unit=unit, state=EnrolmentState.WAITING).exists()
        assert not waiting or confirmed.count() == capacity or taken == quota
