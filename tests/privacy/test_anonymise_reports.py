"""Property (issue #16): anonymising random former members changes no fluctuation report of any
unit and period, nor the member-by-member recount of the report oracle. The histories are the
reports' own property world (tests/reports/test_properties.py), made through the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports import oracle
from tests.reports.test_properties import BASE, World, admission, operation, window
from unionhub.core.errors import DomainError
from unionhub.members import selectors as member_selectors
from unionhub.members.models import Member
from unionhub.orgs.models import Unit
from unionhub.privacy import services
from unionhub.reports import fluctuation as f

pytestmark = [pytest.mark.django_db, pytest.mark.long]

NO_RETENTION = {"identity": 0, "contact": 0, "photo": 0, "sensitive": 0}


def reports(windows) -> dict:
    stretches = oracle.stretches()
    return {
        (unit.code, first, last): (
            f.fluctuation(unit=unit, first=first, last=last).as_json(),
            oracle.recount(unit, first, last, stretches),
        )
        for first, last in windows
        for unit in Unit.objects.all()
    }


@override_settings(PRIVACY_RETENTION_YEARS=NO_RETENTION)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    admissions=st.lists(admission, min_size=3, max_size=12),
    history=st.lists(operation, min_size=10, max_size=30),
    windows=st.lists(window, min_size=1, max_size=2),
    chosen=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
)
def test_reports_identical_before_and_after_anonymising(db, admissions, history, windows, chosen):
    with transaction.atomic():
        world = World()
        for offset, op, a, b in sorted(admissions + history):
            try:
                with transaction.atomic():
                    world.apply(BASE + dt.timedelta(days=offset), op, a, b)
            except DomainError:
                pass  # the service refused this step (not allowed now): the history goes on
        periods = [(dt.date(2021, 1, 1), dt.date(2024, 12, 31)), *windows]
        before = reports(periods)
        names = {}
        for index in chosen:
            member = world.pick(world.members, index)
            member.refresh_from_db()
            if member.pk in names:
                continue
            former = member.full_name
            try:
                services.member_anonymise(member=member, by=world.by)
            except DomainError as error:
                # Only a current member is kept (retention is off here).
                assert error.code == "anonymise.retention" and member.holds_membership
                continue
            names[member.pk] = former
        assert reports(periods) == before
        for pk, former in names.items():
            found = member_selectors.member_search(user=world.by, query=former, limit=100)
            assert pk not in [m.pk for m in found]
            assert Member.objects.get(pk=pk).full_name != former
        transaction.set_rollback(True)
