"""A fixed-window counter in the shared cache, for limits counted in minutes or hours (password
reset mails) where a burst at a window's edge does no harm."""

from __future__ import annotations

import time

from django.core.cache import cache


def _bucket(key: str, window: int) -> str:
    return f"unionhub:limit:{key}:{int(time.time() // window)}"


def used(key: str, *, window: int) -> int:
    """How many uses of `key` the current window has counted, without counting one more."""
    count: int = cache.get(_bucket(key, window), 0)
    return count


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one more use of `key`; False once it was used more than `limit` times in the
    current window of `window` seconds."""
    bucket = _bucket(key, window)
    if cache.add(bucket, 1, timeout=window):
        return limit >= 1
    try:
        used = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window)
        used = 1
    return used <= limit
