"""Fixtures for every test under tests/."""

import pytest


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test counts its own rate limits and throttles: the file cache of a real install is
    shared by the test processes and outlives a test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
