"""Reads of congresses, delegates, documents and attendance. Officers' reads are scoped through
core.scope (the congress organiser role at the congress's unit); a delegate's reads are scoped by
their signed card token instead of an account."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.congress import tokens
from unionhub.congress.models import (
    OFFICIAL_CATEGORIES,
    Category,
    CheckIn,
    Congress,
    Delegate,
    Delegation,
    Document,
    QuorumBase,
    Session,
    StreamStatus,
    Visibility,
)
from unionhub.core import scope, signing
from unionhub.core.checkin import Present
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.members.models import Member

ORGANISER = scope.CONGRESS_ORGANISER


# Officers ---------------------------------------------------------------------------------


def congress_list(*, user: User) -> QuerySet[Congress]:
    return scope.restrict(Congress.objects.all(), user, role=ORGANISER).select_related("unit")


def congress_get(*, user: User, pk: int) -> Congress:
    congress = congress_list(user=user).filter(pk=pk).first()
    if congress is None:
        raise OutOfScope()
    return congress


def session_get(*, user: User, pk: int) -> Session:
    session = (
        scope.restrict(Session.objects.all(), user, role=ORGANISER, via="congress__unit")
        .select_related("congress__unit")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise OutOfScope()
    return session


def station_session(*, user: User, pk: int) -> Session:
    """The session a check-in station works on, loaded for the station's hot path: the title,
    the congress id and the congress unit's path, nothing else. The scope is checked in Python
    against the grants core.scope caches on the user, so it adds no query and no SQL to build;
    it is the same test as `session_get`'s scope clause (the unit's path under a grant's)."""
    rows = list(
        Session.objects.select_related("congress__unit")
        .only("title", "congress__unit__path")
        .filter(pk=pk)
        .order_by()
    )
    if not rows or not scope.can(user, ORGANISER, rows[0].congress.unit):
        raise OutOfScope()
    return rows[0]


def delegate_get(*, user: User, pk: int) -> Delegate:
    delegate = (
        scope.restrict(Delegate.objects.all(), user, role=ORGANISER, via="congress__unit")
        .select_related("congress__unit", "delegation", "member__unit")
        .filter(pk=pk)
        .first()
    )
    if delegate is None:
        raise OutOfScope()
    return delegate


def document_get(*, user: User, pk: int) -> Document:
    document = (
        scope.restrict(Document.objects.all(), user, role=ORGANISER, via="congress__unit")
        .select_related("congress__unit")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise OutOfScope()
    return document


def checkin_get(*, user: User, pk: int) -> CheckIn:
    checkin = (
        scope.restrict(CheckIn.objects.all(), user, role=ORGANISER, via="session__congress__unit")
        .select_related("session__congress__unit", "delegate")
        .filter(pk=pk)
        .first()
    )
    if checkin is None:
        raise OutOfScope()
    return checkin


@dataclass
class DelegateFilters:
    query: str = ""
    category: str = ""
    delegation: int | None = None
    sort: str = "name"

    SORTS = {
        "name": ("sort_key", "id"),
        "number": ("number",),
        "delegation": ("delegation__sort_key", "sort_key"),
        "category": ("category", "sort_key"),
    }

    def apply(self, qs: QuerySet[Delegate]) -> QuerySet[Delegate]:
        if self.query:
            folded = fold(self.query)
            condition = Q(name_folded__contains=folded)
            if self.query.strip().isdigit():
                condition |= Q(number=int(self.query.strip()))
            qs = qs.filter(condition)
        if self.category:
            qs = qs.filter(category=self.category)
        if self.delegation:
            qs = qs.filter(delegation_id=self.delegation)
        return qs.order_by(*self.SORTS.get(self.sort, self.SORTS["name"]))


def delegate_list(
    *, user: User, congress: Congress, filters: DelegateFilters | None = None
) -> QuerySet[Delegate]:
    scope.require(user, ORGANISER, congress.unit)
    qs = Delegate.objects.filter(congress=congress).select_related("delegation", "member__unit")
    return (filters or DelegateFilters()).apply(qs)


def delegation_list(*, user: User, congress: Congress) -> QuerySet[Delegation]:
    scope.require(user, ORGANISER, congress.unit)
    return Delegation.objects.filter(congress=congress).annotate(size=Count("delegates"))


def document_list(*, user: User, congress: Congress) -> QuerySet[Document]:
    scope.require(user, ORGANISER, congress.unit)
    return Document.objects.filter(congress=congress)


def session_list(*, user: User, congress: Congress) -> QuerySet[Session]:
    scope.require(user, ORGANISER, congress.unit)
    # In programme order: an aggregate query does not take Meta.ordering.
    return (
        Session.objects.filter(congress=congress)
        .annotate(present=Count("checkins"))
        .order_by("starts_at", "id")
    )


def checkin_list(*, user: User, session: Session) -> QuerySet[CheckIn]:
    scope.require(user, ORGANISER, session.congress.unit)
    return CheckIn.objects.filter(session=session).select_related(
        "delegate__delegation", "delegate__member__unit"
    )


def checkin_existing(*, session: Session, delegate: Delegate) -> Present | None:
    """The delegate's check-in at `session`, if any (for services; callers checked scope)."""
    # Unique (session, delegate): no ordering or limit needed, which the default .first() adds.
    rows = list(
        CheckIn.objects.filter(session=session, delegate=delegate)
        .order_by()
        .values_list("pk", "at")
    )
    return Present(*rows[0]) if rows else None


def checkin_map(*, session: Session, delegates: Any) -> dict[int, CheckIn]:
    """{delegate id: check-in} at `session` for the given (already scoped) delegates."""
    return {
        c.delegate_id: c
        for c in CheckIn.objects.filter(session=session, delegate__in=list(delegates))
    }


def member_for_delegate(*, user: User, congress: Congress, id_number: str) -> Member | None:
    """The holding member with this identity number inside the congress's unit, if any."""
    qs = scope.restrict(Member.objects.all(), user).filter(
        scope.subtree_q(congress.unit.path, "unit"),
        id_number=id_number.strip(),
        state__in=["active", "suspended"],
    )
    return qs.select_related("unit").first()


def delegate_line(delegate: Delegate) -> str:
    """The line under a delegate's name at a station: card number, category, delegation."""
    parts = [
        f"{delegate.number:03d}",
        str(delegate.get_category_display()),
        delegate.delegation.name if delegate.delegation else "",
    ]
    return " · ".join(part for part in parts if part)


def roster(*, user: User, session: Session) -> list[dict[str, Any]]:
    """What an offline station needs to check cards without the server."""
    scope.require(user, ORGANISER, session.congress.unit)
    return [
        {
            "id": d.pk,
            "number": d.number,
            "name": d.full_name,
            "delegation": d.delegation.name if d.delegation else "",
            "category": d.get_category_display(),
            "colour": d.colour,
            "serial": d.token_serial,
            "revoked": d.revoked,
            "line": delegate_line(d),
        }
        for d in Delegate.objects.filter(congress=session.congress).select_related("delegation")
    ]


# Attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    present: int
    expected: int


@dataclass(frozen=True)
class Attendance:
    congress_name: str
    session_title: str
    present: int
    expected: int
    by_category: list[Line] = field(default_factory=list)
    by_delegation: list[Line] = field(default_factory=list)
    quorum_base_label: str = ""
    quorum_present: int = 0
    quorum_base: int = 0
    quorum_needed: int = 0

    @property
    def quorum_met(self) -> bool:
        return self.quorum_base > 0 and self.quorum_present >= self.quorum_needed

    @property
    def share(self) -> float:
        """Present as a percentage of expected, for meters."""
        return 100 * self.present / self.expected if self.expected else 0.0


def attendance(*, user: User, session: Session) -> Attendance:
    """The organiser's view of `session`'s attendance (see `attendance_figures`)."""
    scope.require(user, ORGANISER, session.congress.unit)
    return attendance_figures(session=session)


def attendance_figures(*, session: Session, delegations: bool = True) -> Attendance:
    """Present / expected per category (and per delegation unless `delegations` is False) and
    the quorum: one grouped query each. Unscoped, for callers that decided `session` may be
    shown without a user: `attendance` for organisers, the display app's kiosk, whose screen
    (not an account) is the authority. Never cached: a check-in must show within seconds."""
    congress = session.congress
    present = Count("pk", filter=Q(checkins__session=session))
    rows = Delegate.objects.filter(congress=congress).order_by()
    categories = {
        row["category"]: row
        for row in rows.values("category").annotate(n=Count("pk", distinct=True), p=present)
    }
    by_category = [
        Line(str(label), categories[value]["p"], categories[value]["n"])
        for value, label in Category.choices
        if value in categories
    ]
    by_delegation = (
        [
            Line(row["delegation__name"] or _("No delegation"), row["p"], row["n"])
            for row in rows.values("delegation__name", "delegation__sort_key")
            .annotate(n=Count("pk", distinct=True), p=present)
            .order_by("delegation__sort_key")
        ]
        if delegations
        else []
    )
    base_categories = (
        [Category.ELECTED] if congress.quorum_base == QuorumBase.ELECTED else OFFICIAL_CATEGORIES
    )
    base = sum(categories[c]["n"] for c in base_categories if c in categories)
    base_present = sum(categories[c]["p"] for c in base_categories if c in categories)
    # "More than n/d": the smallest count strictly above the fraction, in integers.
    needed = base * congress.quorum_numerator // congress.quorum_denominator + 1
    return Attendance(
        congress_name=congress.name,
        session_title=session.title,
        present=sum(line.present for line in by_category),
        expected=sum(line.expected for line in by_category),
        by_category=by_category,
        by_delegation=by_delegation,
        quorum_base_label=str(QuorumBase(congress.quorum_base).label),
        quorum_present=base_present,
        quorum_base=base,
        quorum_needed=min(needed, base),
    )


# Delegates (no account: the card token is the key) -----------------------------------------


def _claim(token: str, congress_id: int | None) -> tokens.CardClaim:
    try:
        claim = tokens.card_claim(token)
    except signing.BadToken as error:
        raise DomainError("card_invalid", _("This is not a valid delegate card.")) from error
    if congress_id is not None and claim.congress_id != congress_id:
        raise DomainError("card_other_congress", _("This card belongs to another congress."))
    return claim


def _current(delegate: Delegate | None, claim: tokens.CardClaim) -> Delegate:
    if delegate is None:
        raise DomainError("card_unknown", _("This card's delegate no longer exists."))
    if delegate.revoked:
        raise DomainError("card_revoked", _("This card has been revoked."))
    if delegate.token_serial != claim.serial:
        raise DomainError(
            "card_replaced", _("This card was replaced by a newer one and no longer works.")
        )
    return delegate


def delegate_by_token(token: str, *, congress_id: int | None = None) -> Delegate:
    """The delegate a genuine, current card token names; DomainError with the reason otherwise.

    `congress_id` (a station's congress) refuses cards of other congresses.
    """
    claim = _claim(token, congress_id)
    delegate = (
        Delegate.objects.select_related("congress", "delegation", "member")
        .filter(pk=claim.delegate_id, congress_id=claim.congress_id)
        .first()
    )
    return _current(delegate, claim)


# The columns a station's answer shows (congress.views._result_json), with those _current
# checks; the rest of the row (and the member's forty columns) stays in the database.
STATION_DELEGATE_FIELDS = frozenset(
    {
        "id",
        "congress",
        "number",
        "category",
        "full_name",
        "revoked",
        "token_serial",
        "delegation",
        "member",
    }
)


@functools.cache
def _station_delegate_fields() -> list[Any]:
    # In the model's order, the order Model.from_db expects its values in.
    return [f for f in Delegate._meta.concrete_fields if f.name in STATION_DELEGATE_FIELDS]


@functools.cache
def _station_card_sql() -> str:
    """card_at_station's query, written out once per process: it runs for every scan, and
    building it through the ORM (two select_related joins and a filtered LEFT JOIN) took longer
    than running it. Table and column names still come from the models."""
    quote = connection.ops.quote_name

    def column(alias: str, model: Any, name: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(name).column)}"

    delegate_columns = ", ".join(f"d.{quote(f.column)}" for f in _station_delegate_fields())
    return (
        f"SELECT {delegate_columns}, {column('g', Delegation, 'name')},"
        f" {column('m', Member, 'photo_thumb')}, {column('c', CheckIn, 'id')},"
        f" {column('c', CheckIn, 'at')}"
        f" FROM {quote(Delegate._meta.db_table)} d"
        f" LEFT JOIN {quote(Delegation._meta.db_table)} g"
        f" ON {column('g', Delegation, 'id')} = {column('d', Delegate, 'delegation')}"
        f" LEFT JOIN {quote(Member._meta.db_table)} m"
        f" ON {column('m', Member, 'id')} = {column('d', Delegate, 'member')}"
        f" LEFT JOIN {quote(CheckIn._meta.db_table)} c"
        f" ON {column('c', CheckIn, 'delegate')} = {column('d', Delegate, 'id')}"
        f" AND {column('c', CheckIn, 'session')} = %s"
        f" WHERE {column('d', Delegate, 'id')} = %s AND {column('d', Delegate, 'congress')} = %s"
    )


def _station_delegate(row: tuple[Any, ...]) -> tuple[Delegate, Present | None]:
    """The delegate of a _station_card_sql row, its delegation and member attached as the
    answer needs them, and the check-in the row's LEFT JOIN found, if any."""
    attnames = [f.attname for f in _station_delegate_fields()]
    fields = len(attnames)
    delegate = Delegate.from_db(connection.alias, attnames, row[:fields])
    delegation_name, photo_thumb, checkin_id, checkin_at = row[fields:]
    if delegate.delegation_id is not None:
        delegate.delegation = Delegation.from_db(
            connection.alias, ["id", "name"], [delegate.delegation_id, delegation_name]
        )
    if delegate.member_id is not None:
        delegate.member = Member.from_db(
            connection.alias, ["id", "photo_thumb"], [delegate.member_id, photo_thumb]
        )
    if checkin_id is None:
        return delegate, None
    if timezone.is_naive(checkin_at):  # SQLite keeps UTC without an offset, as Django writes it
        checkin_at = timezone.make_aware(checkin_at, dt.UTC)
    return delegate, Present(checkin_id, checkin_at)


def card_at_station(token: str, *, session: Session) -> tuple[Delegate, Present | None]:
    """For a door scan at `session`: the delegate a genuine, current card names (DomainError
    with the reason otherwise) and their check-in at `session`, if any.

    One query, since it runs for every scan: the delegate's columns the station shows, the
    delegation's name, the member's thumbnail name, and the session's check-in through a
    LEFT JOIN. Callers have checked the station's scope.
    """
    claim = _claim(token, session.congress_id)
    with connection.cursor() as cursor:
        cursor.execute(_station_card_sql(), [session.pk, claim.delegate_id, claim.congress_id])
        row = cursor.fetchone()
    delegate, present = _station_delegate(row) if row else (None, None)
    return _current(delegate, claim), present


def visible_documents(*, delegate: Delegate) -> QuerySet[Document]:
    """The documents this delegate may open: public ones for every card; delegates-only ones for
    elected and ex officio delegates; presidium-only ones for the presidium."""
    allowed = [Visibility.PUBLIC]
    if delegate.is_official or delegate.presidium:
        allowed.append(Visibility.DELEGATES)
    if delegate.presidium:
        allowed.append(Visibility.PRESIDIUM)
    return Document.objects.filter(congress_id=delegate.congress_id, visibility__in=allowed)


def delegate_document(*, delegate: Delegate, pk: int) -> Document:
    document = visible_documents(delegate=delegate).filter(pk=pk).first()
    if document is None:
        raise OutOfScope(_("This document is not available with your card."))
    return document


def delegate_sessions(*, delegate: Delegate) -> QuerySet[Session]:
    return Session.objects.filter(congress_id=delegate.congress_id)


def delegate_checkins(*, delegate: Delegate) -> dict[int, Any]:
    return dict(delegate.checkins.values_list("session_id", "at"))


# The public: a congress's own page and its live streams, no account, nothing personal.


def public_congress(pk: int) -> Congress:
    """A congress of a unit that still exists; its name, term, venue and programme are public."""
    found: Congress = get_object_or_404(
        Congress.objects.select_related("unit").filter(unit__dissolved__isnull=True), pk=pk
    )
    return found


def public_sessions(congress: Congress) -> list[Session]:
    return list(Session.objects.filter(congress=congress))


@dataclass(frozen=True)
class OnAir:
    """The sessions streamed now and those whose recording can be watched, of one programme."""

    live: list[Session]
    recordings: list[Session]


def on_air(sessions: list[Session]) -> OnAir:
    return OnAir(
        live=[s for s in sessions if s.stream_status == StreamStatus.LIVE and s.stream_url],
        recordings=[
            s for s in sessions if s.stream_status == StreamStatus.RECORDING and s.recording_url
        ],
    )


def screen_congresses(*, user: User, unit: Any) -> QuerySet[Congress]:
    """Congresses an organiser may put on a screen of `unit`: theirs, inside the screen's unit."""
    return congress_list(user=user).filter(scope.subtree_q(unit.path, "unit"))


def screen_congress(*, unit: Any, pk: Any) -> Congress | None:
    """The congress a wall of `unit` shows: only one held inside the screen's unit (the tree may
    have changed since the slide was chosen)."""
    if not isinstance(pk, int):
        return None
    return Congress.objects.filter(scope.subtree_q(unit.path, "unit"), pk=pk).first()


def portal_congresses(unit: Any, *, limit: int = 3) -> list[tuple[Congress, bool]]:
    """The unit's own latest congresses for its public portal, each with whether one of its
    sessions is streamed live now."""
    congresses = list(Congress.objects.filter(unit=unit).order_by("-created", "-pk")[:limit])
    live = (
        set(
            Session.objects.filter(
                congress__in=congresses, stream_status=StreamStatus.LIVE
            ).values_list("congress_id", flat=True)
        )
        if congresses
        else set()
    )
    return [(congress, congress.pk in live) for congress in congresses]
