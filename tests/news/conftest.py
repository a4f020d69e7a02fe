import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_portal_cache():
    # The portal keeps pages for 30 s: each test starts with none kept from another.
    cache.clear()
    yield
    cache.clear()
