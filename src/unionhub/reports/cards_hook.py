"""Cards issued and re-issued, for the report, without importing the cards app.

Reports and cards are siblings (CONTRIBUTING.md "Layers"): the app holding the cards declares a
`core.registry.CardSource`, so reports work (with the card columns empty) when none is
installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import BooleanField, Case, Count, Max, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from unionhub.core import registry

if TYPE_CHECKING:
    from unionhub.reports.fluctuation import Timeline


def _source() -> registry.CardSource | None:
    return next(registry.collect("card_sources"), None)


def _card_model():
    source = _source()
    return apps.get_model(source.model) if source else None


def available() -> bool:
    return _card_model() is not None


def _issued_in(timeline: Timeline) -> QuerySet:
    """Cards given a number with an issue date in the period (a card revoked later still was
    issued); a card that `replaces` another is a re-issue."""
    card = _card_model()
    return card.objects.filter(
        issued__gte=timeline.first, issued__lte=timeline.last, number__isnull=False
    ).annotate(
        tree=timeline.bucket("issued", joining=True),
        reissue=Case(
            When(replaces__isnull=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def issued(timeline: Timeline, *, within: Q) -> Iterator[tuple[int, int, bool, int]]:
    """(unit on the card, tree index of the issue date, re-issue?, cards) in one GROUP BY, for
    the cards of the units `within` selects (a unit's report reads its own cards only)."""
    yield from (
        _issued_in(timeline)
        .filter(within)
        .values("unit_id", "tree", "reissue")
        .annotate(n=Count("id"))
        .values_list("unit_id", "tree", "reissue", "n")
        .order_by()
    )


def issued_cards(timeline: Timeline, *, index: int, unit_ids: list[int], reissue: bool) -> QuerySet:
    """The cards behind one card column, for the units of tree `index` (cards installed)."""
    return _issued_in(timeline).filter(Q(tree=index, unit_id__in=unit_ids, reissue=reissue))


def issued_per_year(units: QuerySet, *, first_year: int) -> dict[int, tuple[int, int]]:
    """{year: (cards issued, re-issued)} for cards of `units` issued from `first_year`."""
    card = _card_model()
    rows = (
        card.objects.filter(unit__in=units, issued__year__gte=first_year, number__isnull=False)
        .annotate(year=ExtractYear("issued"))
        .values("year")
        .annotate(
            issued=Count("id", filter=Q(replaces__isnull=True)),
            reissued=Count("id", filter=Q(replaces__isnull=False)),
        )
        .values_list("year", "issued", "reissued")
    )
    return {year: (issued, reissued) for year, issued, reissued in rows}


def valid_card_exists(member_ref) -> QuerySet | None:
    """A subquery of the member's valid cards (for Exists), None without the cards app."""
    source = _source()
    if source is None:
        return None
    return apps.get_model(source.model).objects.filter(
        member=member_ref, state__in=list(source.valid_states)
    )


def version() -> tuple[int, int | None] | None:
    """What changes when a card is issued, re-issued or numbered: part of the key under which a
    computed report is kept (reports.selectors)."""
    card = _card_model()
    if card is None:
        return None
    found = card.objects.aggregate(n=Count("issued"), top=Max("id"))
    return found["n"], found["top"]
