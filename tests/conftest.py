"""Fixtures for every test under tests/."""

import pytest


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test counts its own rate limits and throttles: the file cache of a real install is
    shared by the test processes and outlives a test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (Vietnamese): a request or a job of an earlier
    test in the same process may have left another one active in this thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
