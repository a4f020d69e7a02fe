"""Names for the types that service and selector signatures share.

The aliases are strings at run time so that importing them never loads `django.contrib.auth`
before the app registry is ready; the type checker resolves them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as _AuthUser

User: TypeAlias = "_AuthUser"
"""An officer: the `by` of every service and the `user` of every scoped selector."""

AnyUser: TypeAlias = "_AuthUser | AnonymousUser"
"""Whoever sent the request, signed in or not: the scoping layer answers both."""


class AuthenticatedRequest(HttpRequest):
    """The request a `login_required` view receives: its user is signed in."""

    user: User
