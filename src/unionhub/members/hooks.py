"""Extension points by which upper apps (cards) add to member search and list filters.

Members cannot import cards (cards depends on members), so cards registers here from its
AppConfig.ready():

    from unionhub.members import hooks
    hooks.register_search(lambda query: Q(cards__number__startswith=digits) if digits else None)
    hooks.register_filter("has_valid_card", _("Has a valid card"), lambda: Q(cards__state=...))

A search matcher gets the raw query and returns a queryset of member ids, e.g.
`Card.objects.filter(number__startswith=digits).values("member_id")` (index-backed: preferred),
or a Q over Member, or None when it does not apply. A Q such as Exists(...) is evaluated member
by member, which costs a scan of the members table on every search that triggers it. A filter
gives the Q of the members that have the property (its negation is "no").

The member page also draws `member_panels` of any AppConfig: callables
`(request, member) -> core.registry.UnitPanel | None`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

SearchMatcher = Callable[[str], "QuerySet | Q | None"]


@dataclass(frozen=True)
class FilterHook:
    label: Any
    condition: Callable[[], Q]


search_matchers: list[SearchMatcher] = []
filters: dict[str, FilterHook] = {}


def register_search(matcher: SearchMatcher) -> None:
    if matcher not in search_matchers:
        search_matchers.append(matcher)


def register_filter(name: str, label: Any, condition: Callable[[], Q]) -> None:
    filters[name] = FilterHook(label, condition)
