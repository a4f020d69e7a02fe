"""Reads of cards, already scoped; and the public verification, which needs no account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from unionhub.cards import numbers, tokens
from unionhub.cards.models import ISSUED_STATES, VALID_STATES, Card, CardSeries, CardState
from unionhub.core import scope, signing
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.members.models import HOLDING_STATES, Member
from unionhub.orgs.models import PATH_SEGMENT, Unit

SORTS = {
    "name": ("member__sort_key", "pk"),
    "-name": ("-member__sort_key", "-pk"),
    "number": ("number", "pk"),
    "-number": ("-number", "-pk"),
    "requested": ("requested_at", "pk"),
    "-requested": ("-requested_at", "-pk"),
    "issued": ("issued", "pk"),
    "-issued": ("-issued", "-pk"),
    "unit": ("member__unit__sort_key", "member__sort_key", "pk"),
    "state": ("state", "member__sort_key", "pk"),
}


@dataclass
class CardFilters:
    """The list's filters, as read from the query string (all optional)."""

    state: str = ""
    unit: Unit | None = None
    query: str = ""
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    sort: str = "-requested"
    ids: list[int] = field(default_factory=list)

    def apply(self, qs: QuerySet[Card]) -> QuerySet[Card]:
        if self.state == "valid":
            qs = qs.filter(state__in=VALID_STATES)
        elif self.state in CardState.values:
            qs = qs.filter(state=self.state)
        if self.unit is not None:
            qs = qs.filter(scope.subtree_q(self.unit.path, "member__unit"))
        if self.query:
            digits = numbers.normalise(self.query)
            if digits.isdigit():
                qs = qs.filter(number__startswith=digits)
            else:
                qs = qs.filter(member__name_folded__contains=fold(self.query))
        if self.issued_from:
            qs = qs.filter(issued__gte=self.issued_from)
        if self.issued_to:
            qs = qs.filter(issued__lte=self.issued_to)
        if self.ids:
            qs = qs.filter(pk__in=self.ids)
        return qs.order_by(*SORTS.get(self.sort, SORTS["-requested"]))


def may_approve_any(*, user: User) -> bool:
    """Could any card be the user's to approve? A unit admin, or a registrar of a unit with
    sub-units (cards are approved one level up); each card is still checked when approved."""
    if scope.is_unrestricted(user):
        return True
    held = scope.grants(user)
    if any(g.role == scope.UNIT_ADMIN for g in held):
        return True
    registrar_at = [g.unit_id for g in held if g.role == scope.REGISTRAR]
    return Unit.objects.filter(parent_id__in=registrar_at).exists()


def card_list(*, user: User, filters: CardFilters | None = None) -> QuerySet[Card]:
    """Cards of members in the user's units."""
    qs = scope.restrict(Card.objects.all(), user, via="member__unit")
    qs = qs.select_related("member", "member__unit", "unit")
    return (filters or CardFilters()).apply(qs)


def card_get(*, user: User, pk: int) -> Card:
    card = card_list(user=user).filter(pk=pk).first()
    if card is None:
        raise OutOfScope()
    return card


def cards_of_member(*, user: User, member: Member) -> QuerySet[Card]:
    return card_list(user=user).filter(member=member).order_by("-requested_at", "-pk")


def valid_card_of(member: Member) -> Card | None:
    """The member's one valid card (or pending request); for pages already scoped to them."""
    return member.cards.filter(state__in=VALID_STATES).order_by("-pk").first()


def has_valid_card_q() -> Q:
    """A filter on Member querysets: holds an issued, unrevoked card (members list filter)."""
    return Q(Exists(Card.objects.filter(member=OuterRef("pk"), state__in=ISSUED_STATES)))


def members_with_number(digits: str) -> QuerySet[Card, Any]:
    """Ids of members whose card number (any card, revoked included) starts with `digits`.

    An id queryset lets the member search use the card-number index; an Exists() condition
    would be checked member by member, a scan of the whole members table per search."""
    return Card.objects.filter(number__startswith=digits).values("member_id")


def series_list(*, user: User) -> QuerySet[CardSeries]:
    return scope.restrict(CardSeries.objects.select_related("unit"), user, via="unit")


def card_counts(*, user: User, unit: Unit) -> dict[str, int]:
    """Cards by state in `unit`'s subtree, for the unit page's panel."""
    qs = card_list(user=user, filters=CardFilters(unit=unit))
    counts = {state: 0 for state in CardState.values}
    for state in qs.order_by().values_list("state", flat=True):
        counts[state] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# Public verification


class Verdict:
    GENUINE = "genuine"
    REVOKED = "revoked"
    NOT_GENUINE = "not_genuine"


@dataclass(frozen=True)
class Verification:
    verdict: str
    card: Card | None = None
    claim: tokens.CardClaim | None = None

    @property
    def revoked_on(self) -> dt.date | None:
        if self.card is None or self.card.revoked_at is None:
            return None
        return timezone.localdate(self.card.revoked_at)


def card_verify(*, token: str) -> Verification:
    """What the public page says about a scanned token: genuine, revoked (since when) or not
    genuine. A token is genuine only when its signature holds *and* it matches a card we issued
    (same number, issue date and member key)."""
    try:
        claim = tokens.read_token(tokens.token_from_text(token))
    except signing.BadToken:
        return Verification(Verdict.NOT_GENUINE)
    card = (
        Card.objects.filter(number=claim.number, issued=claim.issued)
        .select_related("member", "unit")
        .first()
    )
    if card is None or tokens.member_key(card.member.public_id) != claim.member_key:
        return Verification(Verdict.NOT_GENUINE, claim=claim)
    if card.state == CardState.REVOKED:
        return Verification(Verdict.REVOKED, card=card, claim=claim)
    if card.state not in ISSUED_STATES:
        return Verification(Verdict.NOT_GENUINE, claim=claim)
    return Verification(Verdict.GENUINE, card=card, claim=claim)


def card_token(card: Card) -> str:
    """The signed token printed in the card's QR code (deterministic: Ed25519 signatures are)."""
    if card.number is None or card.issued is None:
        raise ValueError("only a numbered, issued card has a token")
    return tokens.make_token(
        tokens.CardClaim(
            number=card.number,
            issued=card.issued,
            member_key=tokens.member_key(card.member.public_id),
        )
    )


def filters_from_params(*, user: User, params: Any) -> CardFilters:
    """The list's filters from a query string (or a job's saved copy of one). A unit outside the
    user's scope is refused, not silently ignored."""
    from unionhub.orgs.selectors import unit_get

    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(params.get(name) or "")
        except ValueError:
            return None

    unit = None
    if code := (params.get("unit") or "").strip():
        unit = unit_get(user=user, code=code.upper())
    ids = params.getlist("ids") if hasattr(params, "getlist") else params.get("ids") or []
    return CardFilters(
        state=params.get("state") or "",
        unit=unit,
        query=(params.get("q") or "").strip(),
        issued_from=day("issued_from"),
        issued_to=day("issued_to"),
        sort=params.get("sort") or "-requested",
        ids=[int(i) for i in ids if str(i).isdigit()],
    )


def printable(qs: QuerySet[Card]) -> QuerySet[Card]:
    """Cards that can be printed (issued and not revoked), by unit then name: sheets per unit."""
    return (
        qs.filter(state__in=ISSUED_STATES)
        .select_related("member", "unit")
        .order_by("unit__path", "member__sort_key", "pk")
    )


def photo_names(cards: list[Card]) -> list[str]:
    """The stored photo file names of these (already scoped) cards' members, for making the
    print-ready copies ahead of printing."""
    return list(
        Member.objects.filter(cards__in=cards)
        .exclude(photo="")
        .order_by()
        .values_list("photo", flat=True)
        .distinct()
    )


# The home page ---------------------------------------------------------------------------------


def cards_to_approve(*, user: User) -> QuerySet[Card]:
    """Requested cards the user may approve: as a unit admin reaching the member's unit, or as
    a registrar of a unit above it (services.may_approve), not the user's own requests."""
    qs = Card.objects.filter(state=CardState.REQUESTED)
    if scope.is_unrestricted(user):
        return qs
    condition = Q(pk__in=[])
    for grant in scope.grants(user):
        if grant.role == scope.UNIT_ADMIN:
            condition |= scope.subtree_q(grant.path, via="member__unit")
        elif grant.role == scope.REGISTRAR:
            # Strictly below the registrar's unit: cards are approved one level up.
            condition |= scope.subtree_q(grant.path, via="member__unit") & ~Q(
                member__unit__path=grant.path
            )
    return qs.filter(condition).exclude(requested_by=user)


def valid_cards_by_branch(*, user: User, unit: Unit) -> dict[str, int]:
    """Holding members with an issued card, per branch directly under `unit` (keyed by the
    branch unit's path): one GROUP BY, for the home page's card coverage."""
    branch = Substr("member__unit__path", 1, len(unit.path) + PATH_SEGMENT)
    rows = (
        card_list(user=user, filters=CardFilters(unit=unit))
        .filter(state__in=ISSUED_STATES, member__state__in=HOLDING_STATES)
        .order_by()
        .annotate(branch=branch)
        .values("branch")
        .annotate(n=Count("member", distinct=True))
        .values_list("branch", "n")
    )
    return dict(rows)
