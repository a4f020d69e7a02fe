"""A sliding-window rate limit per client address for the public verification pages, so the
card numbers cannot be walked by a script (tokens are signed, but each try costs a lookup).

The window is approximated from two fixed buckets in the shared cache (Cloudflare's method):
count = this bucket + last bucket × the share of it still inside the window. Two cache
operations per request, no list of timestamps, and no burst at bucket edges.

Settings (optional): ``CARD_VERIFY_RATE = (requests, seconds)``, default 30 per 60 s. The client
is told apart by core.clientip, which follows the trusted-proxy settings.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from unionhub.core.clientip import client_address

DEFAULT_RATE = (30, 60)


def hit(client: str, *, now: float | None = None) -> bool:
    """Count a request from `client`; False when it is over the limit."""
    limit, window = getattr(settings, "CARD_VERIFY_RATE", DEFAULT_RATE)
    now = time.time() if now is None else now
    bucket = int(now // window)
    key = f"unionhub:cards:verify:{client}:{{}}"
    current_key = key.format(bucket)
    if not cache.add(current_key, 1, timeout=2 * window):
        try:
            current = cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.set(current_key, 1, timeout=2 * window)
            current = 1
    else:
        current = 1
    previous = cache.get(key.format(bucket - 1), 0)
    elapsed_share = (now - bucket * window) / window
    return previous * (1 - elapsed_share) + current <= limit


def limited(view):
    """Answer 429 with a friendly page once a client is over the limit."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not hit(client_address(request)):
            _limit, window = getattr(settings, "CARD_VERIFY_RATE", DEFAULT_RATE)
            response = render(request, "cards/too_many.html", {"window": window}, status=429)
            response["Retry-After"] = str(window)
            return response
        return view(request, *args, **kwargs)

    return wrapper
