"""The computed report is kept by the service; the selector only reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unionhub.reports import selectors, services
from unionhub.reports.periods import custom

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_selector_keeps_nothing_and_the_service_keeps_the_report(tree, admit_member):
    admit_member(tree.grassroots_a1, dt.date(2024, 2, 1))
    period = custom(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    fresh = selectors.fluctuation_report(user=tree.admin, unit=tree.province, period=period)
    key = selectors.report_key(unit=tree.province, period=period)
    assert cache.get(key) is None
    kept = services.fluctuation_report_kept(user=tree.admin, unit=tree.province, period=period)
    assert kept.total.as_dict() == fresh.total.as_dict() and kept.total["admitted"] == 1
    with CaptureQueriesContext(connection) as again:
        services.fluctuation_report_kept(user=tree.admin, unit=tree.province, period=period)
    # Only the data version is read (four aggregates and the cards app's), not the report again.
    assert len(again) == 5
    admit_member(tree.grassroots_a1, dt.date(2024, 3, 1))
    moved = services.fluctuation_report_kept(user=tree.admin, unit=tree.province, period=period)
    assert moved.total["admitted"] == 2
