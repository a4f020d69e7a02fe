"""Selectors are pure reads: the figures the reports and the LED screens compute are kept in
the cache by services, never by a selector; and kept figures are computed once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache, caches
from django.utils import timezone

from unionhub.display import selectors as display_selectors
from unionhub.display import services as display_services
from unionhub.reports import selectors as report_selectors
from unionhub.reports import services as report_services
from unionhub.reports.periods import custom

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_cache_writes(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a selector wrote to the cache")

    backend = caches["default"]
    for name in ("set", "add", "set_many", "delete", "incr", "get_or_set"):
        monkeypatch.setattr(backend, name, refuse)


@pytest.fixture
def fresh_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def test_report_and_screen_selectors_do_not_write_the_cache(tree, no_cache_writes):
    today = timezone.localdate()
    period = custom(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    report_selectors.fluctuation_report(user=tree.admin, unit=tree.province, period=period)
    display_selectors.membership_figures(unit=tree.province, today=today)
    display_selectors.breakdown_figures(unit=tree.province, by="units", today=today)
    display_selectors.dashboard(user=tree.admin, now=timezone.now())


def test_kept_figures_are_computed_once(tree, fresh_cache, monkeypatch):
    calls = []
    compute = display_selectors.membership_figures

    def counted(**kwargs):
        calls.append(kwargs)
        return compute(**kwargs)

    monkeypatch.setattr(display_selectors, "membership_figures", counted)
    today = timezone.localdate()
    first = display_services.membership_figures_kept(unit=tree.province, today=today)
    again = display_services.membership_figures_kept(unit=tree.province, today=today)
    assert first == again and len(calls) == 1

    period = custom(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    reports = []
    compute_report = report_selectors.fluctuation.fluctuation
    monkeypatch.setattr(
        report_selectors.fluctuation,
        "fluctuation",
        lambda **kw: reports.append(kw) or compute_report(**kw),
    )
    for _ in range(2):
        report_services.fluctuation_report_kept(user=tree.admin, unit=tree.province, period=period)
    assert len(reports) == 1
