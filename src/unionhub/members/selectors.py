"""Reads of members, events and transfers; every one scoped through core.scope."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet, TextField
from django.db.models import Field as ModelField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, ExtractMonth, ExtractYear, Substr
from django.utils import timezone

from unionhub.core import registry, scope
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.members.models import (
    COMPLETENESS_FIELDS,
    HOLDING_STATES,
    SENSITIVE_FIELDS,
    EventKind,
    Member,
    MembershipEvent,
    MemberState,
    Transfer,
    TransferStatus,
)
from unionhub.orgs.models import PATH_SEGMENT, Level, Sector, Unit

AGE_BANDS = {
    "under30": (None, 30),
    "30-39": (30, 40),
    "40-49": (40, 50),
    "50-59": (50, 60),
    "60plus": (60, None),
}
SORTS = {
    "name": ("sort_key", "id"),
    "-name": ("-sort_key", "-id"),
    "joined": ("joined", "sort_key", "id"),
    "-joined": ("-joined", "sort_key", "id"),
    "birth_date": ("birth_date", "sort_key", "id"),
    "-birth_date": ("-birth_date", "sort_key", "id"),
    "unit": ("unit__sort_key", "sort_key", "id"),
    "completeness": ("completeness", "sort_key", "id"),
}
STATUS_CURRENT = "current"  # active or suspended: the members a unit counts
STATUS_ALL = "all"


@dataclass
class MemberFilters:
    """The list filters of the member screen; every field optional ("" means no filter)."""

    status: str = STATUS_CURRENT
    gender: str = ""
    age_band: str = ""
    join_year: int | None = None
    has_photo: str = ""  # "yes" / "no"
    missing: str = ""  # a COMPLETENESS_FIELDS name
    complete: str = ""  # "yes" / "no"
    # name of a core.registry.MemberFilter → yes/no
    hooks: dict[str, str] = field(default_factory=dict)
    sort: str = "name"
    query: str = ""  # what was typed in the search box; applied by member_list

    def apply(self, qs: QuerySet[Member], today: dt.date | None = None) -> QuerySet[Member]:
        today = today or timezone.localdate()
        if self.status == STATUS_CURRENT:
            qs = qs.filter(state__in=HOLDING_STATES)
        elif self.status in MemberState.values:
            qs = qs.filter(state=self.status)
        if self.gender:
            qs = qs.filter(gender=self.gender)
        if self.age_band in AGE_BANDS:
            youngest, oldest = AGE_BANDS[self.age_band]
            if youngest is not None:  # at least `youngest` years old today
                qs = qs.filter(birth_date__lte=_years_before(today, youngest))
            if oldest is not None:  # younger than `oldest`
                qs = qs.filter(birth_date__gt=_years_before(today, oldest))
        if self.join_year:
            qs = qs.filter(joined__year=self.join_year)
        if self.has_photo in ("yes", "no"):
            qs = qs.exclude(photo="") if self.has_photo == "yes" else qs.filter(photo="")
        if self.missing in COMPLETENESS_FIELDS:
            qs = qs.filter(_empty(self.missing))
        if self.complete in ("yes", "no"):
            qs = (
                qs.filter(completeness=100)
                if self.complete == "yes"
                else qs.exclude(completeness=100)
            )
        member_filters = registry.member_filters()
        for name, wanted in self.hooks.items():
            hook = member_filters.get(name)
            if hook is None or wanted not in ("yes", "no"):
                continue
            matching = Member.objects.filter(hook.condition()).values("pk")
            qs = qs.filter(pk__in=matching) if wanted == "yes" else qs.exclude(pk__in=matching)
        return qs.order_by(*SORTS.get(self.sort, SORTS["name"]))


def held_on(day: dt.date) -> Q:
    """Membership periods held on `day` (at the end of that day): the one definition of "a
    member counts at a unit on D" that reports, statistics and the display share."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _empty(name: str) -> Q:
    if name in ("birth_date", "joined"):
        return Q(**{f"{name}__isnull": True})
    return Q(**{name: ""})


def _scoped(user: User, *, unit: Unit | None = None) -> QuerySet[Member]:
    qs = scope.restrict(Member.objects.all(), user, via="unit")
    if unit is not None:
        qs = qs.filter(scope.subtree_q(unit.path, via="unit"))
    return qs


def member_list(
    *, user: User, unit: Unit | None = None, filters: MemberFilters | None = None
) -> QuerySet[Member]:
    """Members of `unit`'s subtree (or the whole scope), filtered and sorted (Vietnamese order
    by default)."""
    if unit is not None and not scope.can(user, None, unit):
        raise OutOfScope()
    filters = filters or MemberFilters()
    qs = _scoped(user, unit=unit)
    if filters.query:
        qs = qs.filter(_search_condition(user, unit, filters.query))
    return filters.apply(qs).select_related("unit")


def member_get(*, user: User, pk: Any) -> Member:
    """One member the user may see; OutOfScope otherwise (the same answer whether or not the
    member exists, so ids cannot be probed)."""
    member = _scoped(user).select_related("unit").filter(pk=pk).first()
    if member is None:
        raise OutOfScope()
    return member


def can_edit(user: User, member: Member) -> bool:
    return scope.can(user, scope.REGISTRAR, member.unit)


def can_see_sensitive(user: User, member: Member) -> bool:
    """Ethnicity and religion are for registrars (and unit admins), not every viewer."""
    return scope.can(user, scope.REGISTRAR, member.unit)


def can_export_personal(user: User, unit: Unit | None) -> bool:
    """Identity documents, contacts, addresses and dates of birth leave the registry in bulk
    for registrars (and unit admins) only: of `unit`, or of every unit the user sees."""
    units = [unit] if unit is not None else list(scope.top_units(user))
    return bool(units) and all(scope.can(user, scope.REGISTRAR, u) for u in units)


def member_sensitive(*, user: User, member: Member) -> dict[str, str]:
    """The sensitive fields, for those allowed. A read only: showing them to someone is
    `services.member_sensitive_view`, which writes the audit row DESIGN §2 asks for."""
    if not can_see_sensitive(user, member):
        raise OutOfScope()
    return {name: getattr(member, name) for name in SENSITIVE_FIELDS}


def member_events(*, user: User, member: Member) -> QuerySet[MembershipEvent]:
    member_get(user=user, pk=member.pk)
    return member.events.select_related("unit", "other_unit", "by").order_by("date", "id")


def member_by_document(*, user: User, id_kind: str, id_number: str) -> Member | None:
    """The member currently holding this document anywhere, for a registrar who wants to
    request their transfer in (the caller proves they know the whole number)."""
    if not id_number or not scope.units(user, role=scope.REGISTRAR).exists():
        return None
    return (
        Member.objects.filter(id_kind=id_kind, id_number=id_number, state__in=HOLDING_STATES)
        .select_related("unit")
        .first()
    )


def holding_member_in(*, units: QuerySet[Unit], id_number: str) -> Member | None:
    """The holding member of one of `units` (already scoped by the caller) with this document
    number: how an officer names a member on a form (a nomination, an award, support)."""
    return Member.objects.filter(
        unit__in=units, id_number=id_number.strip(), state__in=HOLDING_STATES
    ).first()


# Search ----------------------------------------------------------------------------------


SEARCH_CANDIDATES = 200
# A subtree this deep (below the province: a commune union, a grassroots union) holds at most
# a few thousand members; scanning them is quicker than the province-wide index.
_SMALL_SCOPE_DEPTH = 3


def _search_terms(query: str) -> list[str]:
    return [word for word in fold(query).split(" ") if word]


def _fts_expression(terms: list[str]) -> str | None:
    """An FTS5 trigram query: every term as a substring (short ones at a word start). None if
    a term is too short for trigrams even with the word-start space."""
    parts = []
    for term in terms:
        text = term if len(term) >= 3 else f" {term}"
        if len(text) < 3:
            return None
        parts.append('"' + text.replace('"', '""') + '"')
    return " AND ".join(parts)


def _like_condition(terms: list[str]) -> Q:
    condition = Q()
    for term in terms:
        condition &= Q(search_text__contains=term if len(term) >= 3 else f" {term}")
    return condition


def _small_scope(user: User, unit: Unit | None) -> bool:
    """Whether the members to search are few: decided from the paths, without a query."""
    if unit is not None:
        return unit.depth >= _SMALL_SCOPE_DEPTH
    if scope.is_unrestricted(user):
        return False
    grants = scope.grants(user)
    return bool(grants) and all(len(g.path) // PATH_SEGMENT >= _SMALL_SCOPE_DEPTH for g in grants)


def _text_condition(user: User, unit: Unit | None, terms: list[str], cap: int | None) -> Q:
    """Name/document/phone match: the FTS5 index on SQLite for a wide scope, LIKE otherwise
    (pg_trgm serves it on PostgreSQL). With `cap`, the index scan stops after that many hits
    inside the scope: the scan is what costs, and the search box ranks only a few."""
    fts = _fts_expression(terms) if connection.vendor == "sqlite" else None
    if fts is None or _small_scope(user, unit):
        return _like_condition(terms)
    sql, params = _FTS_SQL, list[Any]([fts])
    ranges = _scope_ranges(user, unit)
    if ranges is not None:
        # The scope inside the index scan, so that a cap counts only members the user may see.
        sql = (
            _FTS_SCOPED_SQL
            + " AND ("
            + " OR ".join(["(u.path >= %s AND u.path < %s)"] * len(ranges))
            + ")"
        )
        params += [bound for pair in ranges for bound in pair]
    if cap is not None:
        sql += " LIMIT %s"
        params.append(cap)
    return Q(pk__in=RawSQL(sql, params))


def _scope_ranges(user: User, unit: Unit | None) -> list[tuple[str, str]] | None:
    """[from, to) path ranges of the units whose members the user may see; None: all."""
    paths = None if scope.is_unrestricted(user) else sorted({g.path for g in scope.grants(user)})
    if unit is not None:
        inside = [p for p in (paths or [unit.path]) if p.startswith(unit.path)]
        covered = paths is None or any(unit.path.startswith(p) for p in paths)
        paths = [unit.path] if covered else inside
    if paths is None:
        return None
    ranges = [(path, scope.path_upper_bound(path)) for path in scope.minimal_paths(paths)]
    return ranges or [("", "")]


def _hook_conditions(query: str) -> list[Q]:
    """What upper apps match (card numbers). A matcher may return a queryset of member ids
    (index-backed: preferred) or a Q."""
    found = []
    for matcher in registry.collect("member_search"):
        hooked = matcher(query)
        if isinstance(hooked, QuerySet):
            found.append(Q(pk__in=hooked))
        elif hooked is not None:
            found.append(hooked)
    return found


def _search_condition(user: User, unit: Unit | None, query: str) -> Q:
    """Members whose name, document number or phone contains every word typed, ignoring case
    and diacritics; words under three letters match at the start of a word (" an"), so "an"
    does not match half the province. Cards and other upper apps add matchers via
    core.registry (`member_search`)."""
    terms = _search_terms(query)
    if not terms:
        return Q(pk__in=[])
    condition = _text_condition(user, unit, terms, cap=None)
    for hooked in _hook_conditions(query):
        condition |= hooked
    return condition


def member_search(
    *, user: User, query: str, limit: int = 20, unit: Unit | None = None
) -> list[Member]:
    """The search box: members in scope matching `query` (see _search_condition), current
    members first, then the whole phrase as words, then word starts, then Vietnamese order.

    Index-backed and bounded: at most SEARCH_CANDIDATES matches are taken from the indexes and
    only those are ranked, so "nguyen" (a third of the province) costs what a rare name costs;
    the member list pages through every match. SQLite takes them from its FTS5 trigram index,
    or scans a small scope's few members; PostgreSQL from word-start B-tree stages before its
    trigram index (_staged_candidates), where a query of several words of letters matches them
    at word starts only (a subset of _search_condition's matches).
    """
    terms = _search_terms(query)
    if not terms:
        return []
    qs = _scoped(user, unit=unit).order_by()
    candidates: QuerySet[Member, Any]
    if connection.vendor == "postgresql" and not _small_scope(user, unit):
        whole = unit is None and scope.is_unrestricted(user)
        candidates = _staged_candidates(qs, terms, whole=whole)
    else:
        text = _text_condition(user, unit, terms, cap=SEARCH_CANDIDATES)
        candidates = qs.filter(text).values("pk")[:SEARCH_CANDIDATES]
    # Card numbers and the like: materialised apart, as OR-ed into the text match they would
    # defeat its index.
    extra = [
        pk
        for hooked in _hook_conditions(query)
        for pk in qs.filter(hooked).values_list("pk", flat=True)[:SEARCH_CANDIDATES]
    ]
    return _ranked(candidates, extra, " ".join(terms), limit)


# The name rearranged for word-start range scans, spelled exactly as migrations 0006 and 0007
# index them ("nguyen van trong" → "trong nguyen van"; → "van trong").
GIVEN_FIRST_SQL = r"regexp_replace(%(expressions)s, '^(\S.*) (\S+)$', '\2 \1')"
AFTER_FAMILY_SQL = r"regexp_replace(%(expressions)s, '^\S+ ', '')"


def _staged_candidates(
    qs: QuerySet[Member], terms: list[str], *, whole: bool
) -> QuerySet[Member, Any]:
    """PostgreSQL, beyond a small scope: the candidates as one UNION ALL of stages under one
    LIMIT, which runs a stage only while the ones before it found fewer than
    SEARCH_CANDIDATES (the scope is in every stage, so members the user may not see never
    fill the cap). `whole`: the user searches the whole registry.

    First B-tree range scans of the name read from a word start, which stop at the cap: the
    given name first ("trong…", "tro…"; "nguyen … trong" as "trong nguyen …", or so typed),
    the name from the family name ("nguyen van tro…"), the name without the family name
    ("van tro…"). Then, for one word or for digits (documents, phones), the trigram index: any
    substring ("rong"). A query of several words of letters skips it: the trigram index proves
    "tran van trong" absent only by reading the lists of every "tran" and "trong", a cost that
    grows with the registry (11 ms at a million members, where the B-trees take 0.2 ms), so
    such a query finds its words at word starts only.

    A name read from a word start holds every term at a word start, so each candidate matches
    _like_condition too; the name stages do not repeat it, as the planner would then AND the
    trigram index's whole bitmap of "trong" into the range scan.
    """
    like = _like_condition(terms)
    phrase = " ".join(terms)
    # In the "C" collation, as migration 0006 indexes them (alone, and after the unit).
    named = qs.alias(
        given_first=Collate(
            Func(F("name_folded"), template=GIVEN_FIRST_SQL, output_field=TextField()), "C"
        ),
        from_family=Collate(F("name_folded"), "C"),
        after_family=Collate(
            Func(F("name_folded"), template=AFTER_FAMILY_SQL, output_field=TextField()), "C"
        ),
    )
    prefixes = [("given_first", " ".join([terms[-1], *terms[:-1]]))]
    if len(terms) > 1:
        prefixes.append(("given_first", phrase))  # typed given name first: "trong nguyen"
    prefixes += [("from_family", phrase), ("after_family", phrase)]
    stages: list[QuerySet[Member, Any]] = []
    for key, prefix in prefixes:
        stage = named.filter(**{f"{key}__startswith": prefix})
        # Registry-wide, in its index's order: otherwise the planner reads the table from the
        # start for a frequent name (computing every row's regexp_replace) or, for a middling
        # one ("nguyen van"), builds the bitmap of all its rows, as both look cheaper by its
        # estimates. Within a scope the planner goes through the scope's units, each with its
        # own range of the (unit, name) indexes, and an order would make it read every unit.
        stages.append(stage.order_by(key) if whole else stage)
    if len(terms) == 1 or not all(term.isalpha() for term in terms):
        stages.append(qs.filter(like))
    first, *others = [stage.values("pk")[:SEARCH_CANDIDATES] for stage in stages]
    return first.union(*others, all=True)[:SEARCH_CANDIDATES]


def _ranked(
    candidates: QuerySet[Member, Any], extra: list[int], phrase: str, limit: int
) -> list[Member]:
    """Order the (few) candidates in the database and load only the ones shown, with their
    unit. Written as one SQL statement: the ORM's compilation of an equivalent query costs
    more than running it, and this is the call officers make most."""
    sub_sql, sub_params = candidates.query.sql_with_params()
    where = f"m.id IN ({sub_sql})"
    params: list[Any] = list(sub_params)
    if extra:
        where += f" OR m.id IN ({', '.join(['%s'] * len(extra))})"
        params += extra
    like = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = (
        f"SELECT {_MEMBER_COLUMNS}, {_UNIT_COLUMNS} FROM members_member m "
        f"JOIN orgs_unit u ON u.id = m.unit_id WHERE {where} "
        "ORDER BY CASE WHEN m.state IN (%s, %s) THEN 0 ELSE 1 END, "
        "CASE WHEN m.search_text LIKE %s ESCAPE '\\' THEN 0 ELSE 1 END, "
        "CASE WHEN m.search_text LIKE %s ESCAPE '\\' THEN 0 ELSE 1 END, m.sort_key, m.id "
        "LIMIT %s"
    )
    params += [*HOLDING_STATES, f"% {like} %", f"% {like}%", limit]
    members = []
    width = len(Member._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            member = Member.from_db(connection.alias, _MEMBER_FIELDS, _convert(Member, row[:width]))
            member.unit = Unit.from_db(connection.alias, _UNIT_FIELDS, _convert(Unit, row[width:]))
            members.append(member)
    return members


_MEMBER_FIELDS = [f.attname for f in Member._meta.concrete_fields]
# In the model's field order: Model.from_db assigns the values it is given in that order.
_UNIT_FIELDS = [
    f.attname
    for f in Unit._meta.concrete_fields
    if f.attname in ("id", "code", "name", "level", "path", "dissolved", "parent_id")
]
_MEMBER_COLUMNS = ", ".join(f"m.{f.column}" for f in Member._meta.concrete_fields)
_UNIT_COLUMNS = ", ".join(f"u.{name}" for name in _UNIT_FIELDS)


@functools.cache
def _converters(model: type[Member | Unit], vendor: str) -> list[tuple[tuple[Any, ...], Any]]:
    """The ORM's converters for the columns read above (dates and UUIDs need them on SQLite)."""
    fields: Sequence[ModelField[Any, Any]]
    if model is Member:
        fields = Member._meta.concrete_fields
    else:
        fields = [
            unit_field
            for name in _UNIT_FIELDS
            if isinstance(unit_field := Unit._meta.get_field(name.removesuffix("_id")), ModelField)
        ]
    found = []
    for model_field in fields:
        expression = model_field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(expression)
        functions += model_field.get_db_converters(connection)
        found.append((tuple(functions), expression))
    return found


def _convert(model: type[Member | Unit], values: tuple[Any, ...]) -> list[Any]:
    converted = []
    for (functions, expression), value in zip(
        _converters(model, connection.vendor), values, strict=True
    ):
        for function in functions:
            value = function(value, expression, connection)
        converted.append(value)
    return converted


_FTS_SQL = "SELECT rowid FROM members_member_fts WHERE members_member_fts MATCH %s"
_FTS_SCOPED_SQL = (
    "SELECT f.rowid FROM members_member_fts f JOIN members_member m ON m.id = f.rowid "
    "JOIN orgs_unit u ON u.id = m.unit_id WHERE members_member_fts MATCH %s"
)


# Transfers -------------------------------------------------------------------------------


def transfers_incoming(*, user: User) -> QuerySet[Transfer]:
    """Pending transfers waiting for an answer from a unit where the user is registrar."""
    registrar_units = scope.units(user, role=scope.REGISTRAR, include_dissolved=True)
    return (
        Transfer.objects.filter(status=TransferStatus.PENDING)
        .filter(
            Q(requested_by_receiver=False, to_unit__in=registrar_units)
            | Q(requested_by_receiver=True, from_unit__in=registrar_units)
        )
        .select_related("member", "from_unit", "to_unit", "requested_by")
        .order_by("requested_at")
    )


def transfers_outgoing(*, user: User) -> QuerySet[Transfer]:
    """Pending transfers the user's units asked for, still waiting for the other side."""
    registrar_units = scope.units(user, role=scope.REGISTRAR, include_dissolved=True)
    return (
        Transfer.objects.filter(status=TransferStatus.PENDING)
        .filter(
            Q(requested_by_receiver=False, from_unit__in=registrar_units)
            | Q(requested_by_receiver=True, to_unit__in=registrar_units)
        )
        .exclude(pk__in=transfers_incoming(user=user).values("pk"))
        .select_related("member", "from_unit", "to_unit", "requested_by")
        .order_by("requested_at")
    )


def transfer_get(*, user: User, pk: Any) -> Transfer:
    """A transfer either of whose units the user reaches."""
    units = scope.units(user, include_dissolved=True)
    transfer = (
        Transfer.objects.filter(pk=pk)
        .filter(Q(from_unit__in=units) | Q(to_unit__in=units))
        .select_related("member", "member__unit", "from_unit", "to_unit", "requested_by")
        .first()
    )
    if transfer is None:
        raise OutOfScope()
    return transfer


def member_transfers(*, user: User, member: Member) -> QuerySet[Transfer]:
    member_get(user=user, pk=member.pk)
    return member.transfers.select_related("from_unit", "to_unit", "requested_by", "decided_by")


def transfer_target(*, code: str) -> Unit | None:
    """Any active unit that can hold members, by code: a transfer may go outside the scope of
    the officer who asks (the receiving side answers for it)."""
    return Unit.objects.filter(
        code=code.strip().upper(), dissolved__isnull=True, level__gt=Level.PROVINCE
    ).first()


# Completeness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    members: int
    complete: int

    @property
    def share(self) -> float:
        return 100 * self.complete / self.members if self.members else 0.0


@dataclass(frozen=True)
class SubUnitCompleteness:
    unit: Unit
    figures: Completeness


def subunit_completeness(*, user: User, unit: Unit) -> list[SubUnitCompleteness]:
    """The units directly under `unit` now, each with its subtree's holding members and how
    many have a complete profile, the most complete first: how the campaign to 100 % goes.
    One GROUP BY on the branch of the tree each member's unit lies in."""
    children = list(Unit.objects.filter(parent=unit, dissolved__isnull=True))
    if not children:
        return []
    branch = Substr("unit__path", 1, len(unit.path) + PATH_SEGMENT)
    rows = (
        member_list(user=user, unit=unit)
        .order_by()
        .annotate(branch=branch)
        .values("branch")
        .annotate(members=Count("pk"), complete=Count("pk", filter=Q(completeness=100)))
        .values_list("branch", "members", "complete")
    )
    found = {path: Completeness(members=n, complete=c) for path, n, c in rows}
    ranked = [
        SubUnitCompleteness(child, found.get(child.path, Completeness(members=0, complete=0)))
        for child in children
    ]
    ranked.sort(key=lambda r: (-r.figures.share, -r.figures.members, r.unit.sort_key))
    return ranked


def unit_completeness(*, user: User, unit: Unit) -> Completeness:
    """Holding members in `unit`'s subtree and how many have a complete profile."""
    figures = member_list(user=user, unit=unit).aggregate(
        members=Count("pk"), complete=Count("pk", filter=Q(completeness=100))
    )
    return Completeness(members=figures["members"], complete=figures["complete"])


# The home page ---------------------------------------------------------------------------


@dataclass
class AreaRow:
    """One line of "members by area": a unit directly under the officer's unit with its
    subtree, or the grassroots unions directly under it of one sector, taken together."""

    label: str
    units: list[Unit]
    members: int = 0
    complete: int = 0
    unions: int = 0  # grassroots unions in the area
    measures: dict[str, int] = field(default_factory=dict)
    sector: str = ""

    @property
    def unit(self) -> Unit | None:
        return self.units[0] if len(self.units) == 1 and not self.sector else None

    @property
    def complete_share(self) -> float:
        return 100 * self.complete / self.members if self.members else 0.0

    def share(self, key: str) -> float:
        return 100 * self.measures.get(key, 0) / self.members if self.members else 0.0

    @property
    def shares(self) -> list[float]:
        """The measures' shares in the table's column order (measures are filled in order)."""
        return [self.share(key) for key in self.measures]


@dataclass
class AreaTable:
    unit: Unit
    rows: list[AreaRow]
    measures: list[registry.AreaMeasure]
    own: int  # members held at the unit itself, outside every branch


# Up to this many grassroots unions directly under a unit are lines of their own; more are
# grouped by sector (a province holds hundreds: one line each would bury the commune unions).
AREA_UNITS_ALONE = 20


def area_table(*, user: User, unit: Unit) -> AreaTable:
    """Members by area under `unit`: each unit directly below it with its subtree, the
    grassroots unions among them grouped by sector when there are many (AREA_UNITS_ALONE).
    Holding members, the complete profiles and every registered `area_measures` column (e.g.
    card coverage), each one GROUP BY on the branch of the tree: the query count does not grow
    with the number of units."""
    children = list(
        Unit.objects.filter(parent=unit, dissolved__isnull=True).only(
            "name", "path", "level", "sector", "code", "sort_key"
        )
    )
    branch = Substr("unit__path", 1, len(unit.path) + PATH_SEGMENT)
    found = {
        path: (n, c)
        for path, n, c in member_list(user=user, unit=unit)
        .order_by()
        .annotate(branch=branch)
        .values("branch")
        .annotate(members=Count("pk"), complete=Count("pk", filter=Q(completeness=100)))
        .values_list("branch", "members", "complete")
    }
    # Grassroots unions per branch (a commune union's line counts the unions under it).
    unions = dict(
        scope.units(user, within=unit)
        .filter(level=Level.GRASSROOTS)
        .annotate(branch=Substr("path", 1, len(unit.path) + PATH_SEGMENT))
        .order_by()
        .values("branch")
        .annotate(n=Count("pk"))
        .values_list("branch", "n")
    )
    measures = sorted(
        (m for make in registry.collect("area_measures") if (m := make(user, unit))),
        key=lambda m: m.order,
    )
    sectors = dict(Sector.choices)
    group = sum(c.level >= Level.GRASSROOTS for c in children) > AREA_UNITS_ALONE
    rows: dict[str, AreaRow] = {}
    for child in sorted(children, key=lambda u: u.sort_key):
        if group and child.level >= Level.GRASSROOTS:
            key = f"sector:{child.sector}"
            row = rows.setdefault(
                key,
                AreaRow(
                    label=str(sectors.get(child.sector, child.sector)),
                    units=[],
                    sector=child.sector,
                ),
            )
        else:
            row = rows.setdefault(f"unit:{child.pk}", AreaRow(label=child.name, units=[]))
        row.units.append(child)
        row.unions += unions.get(child.path, 0)
        members, complete = found.get(child.path, (0, 0))
        row.members += members
        row.complete += complete
        for measure in measures:
            row.measures[measure.key] = row.measures.get(measure.key, 0) + measure.counts.get(
                child.path, 0
            )
    for row in rows.values():
        # Every row gets every measure, in column order, even a branch no card has reached.
        row.measures = {m.key: row.measures.get(m.key, 0) for m in measures}
    # The biggest areas first, whether a commune union or the direct unions of a sector.
    ordered = sorted(rows.values(), key=lambda r: (-r.members, r.units[0].sort_key))
    return AreaTable(
        unit=unit, rows=ordered, measures=measures, own=found.get(unit.path, (0, 0))[0]
    )


@dataclass(frozen=True)
class Month:
    first: dt.date
    admitted: int
    left: int


# Events that take a member off the books for good: "leavers" on the home page's chart.
LEAVING_KINDS = (EventKind.LEFT, EventKind.RETIRED, EventKind.DECEASED)


def monthly_movements(*, user: User, unit: Unit, today: dt.date, months: int = 12) -> list[Month]:
    """Admissions and leavers in `unit`'s subtree for each of the last `months` months (this
    one included, so far), oldest first; one query grouped by month and kind."""
    year, month = today.year, today.month
    firsts = []
    for _step in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    firsts.reverse()
    events = scope.restrict(MembershipEvent.objects.all(), user, via="unit").filter(
        scope.subtree_q(unit.path, via="unit"),
        kind__in=(EventKind.ADMITTED, *LEAVING_KINDS),
        date__gte=firsts[0],
        date__lte=today,
    )
    counts: dict[tuple[int, int, bool], int] = {}
    for year_, month_, kind, n in (
        events.order_by()
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("year", "month", "kind")
        .annotate(n=Count("pk"))
        .values_list("year", "month", "kind", "n")
    ):
        key = (year_, month_, kind == EventKind.ADMITTED)
        counts[key] = counts.get(key, 0) + n
    return [
        Month(
            first=day,
            admitted=counts.get((day.year, day.month, True), 0),
            left=counts.get((day.year, day.month, False), 0),
        )
        for day in firsts
    ]
