"""Reads of units and the tree, current or as it stood on a date. Already scoped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.orgs.models import Level, Placement, RoleAssignment, Sector, Unit


def unit_get(*, user: User, pk: int | None = None, code: str | None = None) -> Unit:
    """One unit the user reaches (dissolved ones included, for their history)."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    unit: Unit | None = scope.units(user, include_dissolved=True).filter(**lookup).first()
    if unit is None:
        raise OutOfScope()
    return unit


def unit_children(*, user: User, unit: Unit) -> QuerySet[Unit]:
    children: QuerySet[Unit] = (
        scope.units(user)
        .filter(parent=unit)
        .annotate(child_count=Count("children", filter=Q(children__dissolved__isnull=True)))
    )
    return children


# A unit with more grassroots unions than this directly under it shows them by sector.
GROUP_CHILDREN_AFTER = 20


@dataclass
class ChildGroup:
    key: str  # "upper", "sector-<sector>", or "" for a list that needs no heading
    label: str  # the sector's name, for a sector group
    units: list[Unit]


def unit_children_grouped(*, user: User, unit: Unit) -> list[ChildGroup]:
    """The units directly under `unit` as the tree stands: the upper units (e.g. commune
    unions, each opening onto its own unions) first, then the grassroots unions directly under
    it — by sector when there are many, so 442 unions do not bury the 69 commune unions."""
    children = list(unit_children(user=user, unit=unit).order_by("sort_key"))
    upper = [c for c in children if c.level < Level.GRASSROOTS]
    grassroots = [c for c in children if c.level >= Level.GRASSROOTS]
    groups = []
    if upper:
        groups.append(ChildGroup("upper" if grassroots else "", "", upper))
    if len(grassroots) <= GROUP_CHILDREN_AFTER:
        if grassroots:
            groups.append(ChildGroup("", "", grassroots))
        return groups
    sectors = dict(Sector.choices)
    by_sector: dict[str, list[Unit]] = {}
    for child in grassroots:
        by_sector.setdefault(child.sector, []).append(child)
    for sector, units in sorted(by_sector.items(), key=lambda item: -len(item[1])):
        groups.append(ChildGroup(f"sector-{sector}", str(sectors.get(sector, sector)), units))
    return groups


def units_in_scope(*, user: User, include_dissolved: bool = False) -> QuerySet[Unit]:
    return scope.units(user, include_dissolved=include_dissolved).order_by("path")


def unit_roots(*, user: User) -> QuerySet[Unit]:
    """Where the user's tree browser starts: the highest units they reach."""
    roots: QuerySet[Unit] = scope.top_units(user).annotate(
        child_count=Count("children", filter=Q(children__dissolved__isnull=True))
    )
    return roots


def _matching(qs: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    folded = fold(query)
    if not folded:
        return Unit.objects.none()
    code = query.strip()
    return qs.filter(
        Q(name_folded__contains=folded) | Q(code__iexact=code) | Q(code__istartswith=code)
    ).order_by("level", "sort_key")


def unit_search(
    *, user: User, query: str, limit: int = 50, role: str | None = None
) -> QuerySet[Unit]:
    """Units in scope (where the user holds `role`, when given) whose code or name contains
    `query`, ignoring case and diacritics."""
    return _matching(scope.units(user, role=role), query)[:limit]


def units_taking_members(*, query: str, limit: int = 20) -> QuerySet[Unit]:
    """Active units below the province that hold members, anywhere: where a member may be
    transferred to (the receiving union answers for it, so it may lie outside one's scope).
    Names and codes of union organisations only, never anything about their members."""
    active = Unit.objects.filter(dissolved__isnull=True, level__gt=Level.PROVINCE)
    return _matching(active, query)[:limit]


def unit_ancestors(*, user: User, unit: Unit) -> list[Unit]:
    """Breadcrumb: the unit's ancestors the user may see, top down."""
    return list(
        scope.units(user, include_dissolved=True)
        .filter(path__in=unit.ancestor_paths())
        .order_by("path")
    )


@dataclass(frozen=True)
class UnitFigures:
    sub_units: int
    grassroots: int
    officers: int


def logo_unit(unit: Unit) -> Unit | None:
    """Whose logo `unit` shows: its own, else the nearest unit above it that has one (a
    grassroots union shows its federation's emblem); None when no unit on the way has one."""
    return (
        Unit.objects.filter(path__in=[*unit.ancestor_paths(), unit.path])
        .exclude(logo="")
        .order_by("-path")
        .first()
    )


def logo_url(unit: Unit) -> str | None:
    """The address of the logo `unit` shows, versioned by the file (each upload has a new random
    name, so browsers may keep it); None when no unit on the way up has a logo."""
    owner = logo_unit(unit)
    if owner is None:
        return None
    version = (owner.logo.name or "").rsplit("/", 1)[-1].removesuffix(".png")[:12]
    return f"{reverse('unit_logo', args=[unit.pk])}?v={version}"


def public_logo(*, pk: int) -> Unit | None:
    """For the public logo route: the unit whose logo unit `pk` shows (a logo is public)."""
    unit = Unit.objects.filter(pk=pk).first()
    return logo_unit(unit) if unit is not None else None


def unit_figures(*, unit: Unit) -> UnitFigures:
    subtree = Unit.objects.filter(unit.subtree_q(), dissolved__isnull=True).exclude(pk=unit.pk)
    return UnitFigures(
        sub_units=subtree.count(),
        grassroots=subtree.filter(level=Level.GRASSROOTS).count()
        + (unit.level == Level.GRASSROOTS),
        officers=RoleAssignment.objects.filter(unit=unit).values("user").distinct().count(),
    )


def officers_list(*, user: User, unit: Unit | None = None) -> QuerySet[RoleAssignment]:
    qs = scope.restrict(RoleAssignment.objects.all(), user, role=scope.UNIT_ADMIN)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("user", "unit", "unit__merged_into").order_by(
        "unit__path", "user__username"
    )


# The tree as it stood on a date ------------------------------------------------------------


def _on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def units_as_of(on: dt.date) -> QuerySet[Unit]:
    """Units that existed on `on`, each annotated with `parent_then` (its parent's id then)."""
    placement = Placement.objects.filter(_on(on), unit=OuterRef("pk"))
    return (
        Unit.objects.filter(placements__in=Placement.objects.filter(_on(on)))
        .annotate(parent_then=Subquery(placement.values("parent_id")[:1]))
        .distinct()
    )


def parents_as_of(on: dt.date) -> dict[int, int | None]:
    """{unit id: parent id} for the whole tree as it stood on `on`: one query."""
    return dict(Placement.objects.filter(_on(on)).values_list("unit_id", "parent_id"))


_SUBTREE_SQL = """
WITH RECURSIVE sub(id) AS (
    SELECT CAST(%s AS BIGINT)
    UNION
    SELECT p.unit_id FROM orgs_placement p JOIN sub ON p.parent_id = sub.id
    WHERE p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to > %s)
)
SELECT id FROM sub
"""


def subtree_ids_as_of(unit: Unit, on: dt.date) -> set[int]:
    """Ids of `unit` and every unit under it as the tree stood on `on` (recursive query)."""
    day = on.isoformat()
    with connection.cursor() as cursor:
        cursor.execute(_SUBTREE_SQL, [unit.pk, day, day])
        ids = {row[0] for row in cursor.fetchall()}
    alive = set(
        Placement.objects.filter(_on(on), unit_id__in=ids).values_list("unit_id", flat=True)
    )
    return alive
