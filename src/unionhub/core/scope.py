"""The scoping layer: the only place that turns "this officer" into "these units" (DESIGN §3).

A role held at a unit reaches that unit's whole subtree on the current tree. Units carry a
materialised path of fixed-width digit segments, so "the subtree of U" is one index range
`[U.path, next(U.path))`, the same on SQLite and PostgreSQL whatever the collation.

Views, API views, exports and downloads ask here; they never filter by unit themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db.models import Model, Q, QuerySet

from unionhub.core.errors import OutOfScope
from unionhub.core.types import AnyUser as User

UNIT_ADMIN = "unit_admin"
REGISTRAR = "registrar"
FINANCE = "finance"
CLERK = "clerk"
CONGRESS_ORGANISER = "congress_organiser"
# Writes and publishes the unit's news on its public portal.
COMMUNICATIONS = "communications"
VIEWER = "viewer"
# The data-protection officer (Law 91/2025): reads the access log, keeps the breach register and
# the record of processing; sees who read personal data, not the data itself.
DATA_PROTECTION = "data_protection"
ROLES = (
    UNIT_ADMIN,
    REGISTRAR,
    FINANCE,
    CLERK,
    CONGRESS_ORGANISER,
    COMMUNICATIONS,
    VIEWER,
    DATA_PROTECTION,
)

_CACHE_ATTR = "_unionhub_grants"

_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


def path_upper_bound(path: str) -> str:
    """The first path after every descendant of `path`: the same-width integer plus one."""
    return str(int(path) + 1).zfill(len(path))


def subtree_q(path: str, via: str = "") -> Q:
    prefix = f"{via}__" if via else ""
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path_upper_bound(path)})


def is_unrestricted(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def grants(user: User) -> tuple[Grant, ...]:
    """The user's roles with their units' paths; read once per request (cached on the user)."""
    if not (user.is_authenticated and user.is_active):
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        assignment = apps.get_model("orgs", "RoleAssignment")
        cached = tuple(
            Grant(role, unit_id, path)
            for role, unit_id, path in assignment.objects.filter(
                user=user, unit__dissolved__isnull=True
            ).values_list("role", "unit_id", "unit__path")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: User) -> None:
    """Drop the cached grants after roles change within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _grants_for(user: User, role: str | None) -> list[Grant]:
    return [g for g in grants(user) if role is None or g.role in (role, UNIT_ADMIN)]


def q(user: User, *, role: str | None = None, via: str = "") -> Q | None:
    """A Q restricting rows (units, or objects reaching a unit through `via`) to the user's scope.

    None means unrestricted; an empty scope gives a Q that matches nothing.
    """
    if is_unrestricted(user):
        return None
    paths = minimal_paths(g.path for g in _grants_for(user, role))
    if not paths:
        return Q(pk__in=[])
    combined = Q()
    for path in paths:
        combined |= subtree_q(path, via)
    return combined


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths inside another path of the list, so the query has one range per subtree."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


def restrict(
    qs: QuerySet[_M], user: User, *, role: str | None = None, via: str = "unit"
) -> QuerySet[_M]:
    """`qs` cut down to what `user` may see (role None) or act on with `role`.

    `via` is the lookup from the model to its unit ("unit", "member__unit", ""), "" meaning the
    queryset is of units itself.
    """
    condition = q(user, role=role, via=via)
    return qs if condition is None else qs.filter(condition)


def units(
    user: User,
    *,
    role: str | None = None,
    within: Any | None = None,
    include_dissolved: bool = False,
) -> QuerySet[Any]:
    """The units `user` reaches (with `role`, or any role), optionally only inside `within`."""
    unit_model = apps.get_model("orgs", "Unit")
    qs = restrict(unit_model.objects.all(), user, role=role, via="")
    if within is not None:
        qs = qs.filter(subtree_q(within.path))
    if not include_dissolved:
        qs = qs.filter(dissolved__isnull=True)
    return qs


def can(user: User, role: str | None, unit: Any) -> bool:
    """May `user` act with `role` (None: see) on `unit`?"""
    if is_unrestricted(user):
        return True
    return any(unit.path.startswith(g.path) for g in _grants_for(user, role))


def require(user: User, role: str | None, unit: Any) -> None:
    """Raise OutOfScope unless `user` may act with `role` on `unit`."""
    if not can(user, role, unit):
        raise OutOfScope()


def top_units(user: User, *, role: str | None = None) -> QuerySet[Any]:
    """The highest units the user reaches: where their tree browser starts."""
    unit_model = apps.get_model("orgs", "Unit")
    if is_unrestricted(user):
        return unit_model.objects.filter(parent__isnull=True, dissolved__isnull=True)
    paths = minimal_paths(g.path for g in _grants_for(user, role))
    return unit_model.objects.filter(path__in=paths, dissolved__isnull=True)


def held_units(user: User) -> QuerySet[Any]:
    """The units the user holds a role at, in tree order (the top units for an unrestricted
    user): the officer's quick switch among their units."""
    if is_unrestricted(user):
        return top_units(user)
    unit_model = apps.get_model("orgs", "Unit")
    return unit_model.objects.filter(pk__in={g.unit_id for g in grants(user)}).order_by("path")


def roles_at(user: User, unit: Any) -> set[str]:
    """The roles `user` holds that reach `unit` (unit admin implies every role)."""
    if is_unrestricted(user):
        return set(ROLES)
    held = {g.role for g in grants(user) if unit.path.startswith(g.path)}
    return set(ROLES) if UNIT_ADMIN in held else held
