"""Extension points by which upper apps add to lower apps' pages without an import cycle.

An app's AppConfig may define:
- `nav_items`: NavItem entries for the navigation bar;
- `unit_panels`: callables `(request, unit) -> UnitPanel | None` drawn on the unit page;
- `home_panels`: callables `(request) -> UnitPanel | None` drawn on the home page;
- `member_panels`: callables `(request, member) -> UnitPanel | None` drawn on the member page
  (see members/hooks.py for the member registry's search and list-filter hooks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    role: str | None = None  # None: any officer
    order: int = 50
    badge: Callable[[Any], int] | None = None


@dataclass
class UnitPanel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def collect(attribute: str) -> Iterator[Any]:
    for config in apps.get_app_configs():
        yield from getattr(config, attribute, ())
