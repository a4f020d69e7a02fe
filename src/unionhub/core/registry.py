"""Extension points by which upper apps add to lower apps' pages and reads without an import
cycle. Together with each app's `signals.py` (domain events) this is the only way apps reach
each other; CONTRIBUTING.md "Extending another app" has the rules.

An app's AppConfig may define:
- `nav_items`: NavItem entries for the navigation sidebar, each in one of the AREAS below (the
  sidebar groups them by area in AREAS' order and leaves out areas with no item the user reaches);
- `unit_panels`: callables `(request, unit) -> UnitPanel | None` drawn on the unit page;
- `home_panels`: callables `(request) -> UnitPanel | None` drawn on the home page;
- `member_panels`: callables `(request, member) -> UnitPanel | None` drawn on the member page;
- `member_search`: callables `(query) -> QuerySet | Q | None` adding to member search. Return a
  queryset of member ids, e.g. `Card.objects.filter(number__startswith=digits).values("member_id")`
  (index-backed: preferred), or a Q over Member, or None when the query is not for you. A Q such
  as Exists(...) is evaluated member by member: a scan of the members table on every search;
- `member_filters`: MemberFilter entries, yes/no filters of the member list;
- `card_sources`: CardSource entries, the membership cards the reports count;
- `audit_actions`: the app's `actions.Action` (TextChoices of its audit event names with their
  labels), from which history pages name events in words.
- `todo_items`: callables `(request) -> TodoItem | None`, the home page's to-do list (what waits
  for the officer: a count and the page where it is done; None or a zero count is left out);
- `area_measures`: callables `(user, unit) -> AreaMeasure | None`, a column of the home page's
  "members by area" table: for each branch under `unit` (keyed by the branch's unit path), how
  many of its holding members have the property, shown as a share of the branch's members.
- `delegate_links`: DelegateLink entries, links on a congress delegate's phone page, each to a
  route that takes the card's `token`.
- `public_photo_checks`: callables `(member) -> bool`; a member's photo is shown on public pages
  (the card check at /v/<token>) only when every check says yes (privacy: the photo consent).
- `slide_sources`: SlideSource entries, kinds of LED slide drawn by an upper app (news stories,
  a campaign's results, a live stream…) that organisers add to a screen's playlist like
  display's own kinds.
- `import_columns`: ImportColumn entries, columns of the member import that an upper app records
  (privacy: the consents on the union's paper forms).
- `portal_sections`: callables `(unit) -> PortalSection | None`, blocks of a unit's public
  portal home (/p/<unit>/) drawn by another app, e.g. the unit's congresses with their live
  streams. Read by anyone without a login: public data only, nothing personal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Area:
    key: str
    label: Any


# The sidebar's groups, in their order. Defined once here so that an app can only file its items
# under an area every page knows; new apps (finance, news, training…) register into these.
MEMBERS = "members"
CARDS = "cards"
REPORTS = "reports"
CONGRESS = "congress"
DOCUMENTS = "documents"
FINANCE = "finance"
COMMUNICATIONS = "communications"
MOVEMENTS = "movements"
ADMINISTRATION = "administration"
AREAS = (
    Area(MEMBERS, _("Members & units")),
    Area(CARDS, _("Cards")),
    Area(REPORTS, _("Reports")),
    Area(CONGRESS, _("Congress & elections")),
    Area(DOCUMENTS, _("Documents")),
    Area(FINANCE, _("Finance")),
    Area(COMMUNICATIONS, _("Communications")),
    Area(MOVEMENTS, _("Movements & training")),
    Area(ADMINISTRATION, pgettext_lazy("navigation area", "Administration")),
)
AREA_KEYS = frozenset(a.key for a in AREAS)


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    role: str | None = None  # None: any officer
    order: int = 50  # within its area
    badge: Callable[[Any], int] | None = None
    area: str = field(kw_only=True)

    def __post_init__(self) -> None:
        # Fails at start-up, not on some later page, when an app files an item under no area.
        if self.area not in AREA_KEYS:
            raise ValueError(f"NavItem {self.url_name!r}: unknown area {self.area!r}")


@dataclass
class UnitPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class MemberFilter:
    """A yes/no filter of the member list: `condition()` is the Q of the members that have the
    property ("no" is its negation); `name` keys it in the list's query string."""

    name: str
    label: Any
    condition: Callable[[], Q]


@dataclass(frozen=True)
class CardSource:
    """Where the reports find membership cards: the model ("app_label.Model"), with `unit`,
    `member`, `number`, `issued`, `replaces` and `state` fields, and the states of a valid card."""

    model: str
    valid_states: tuple[str, ...]


@dataclass(frozen=True)
class TodoItem:
    label: Any
    count: int
    url: str
    order: int = 50


@dataclass(frozen=True)
class AreaMeasure:
    """Holding members with a property per branch of the tree under a unit: `counts` maps the
    path of the unit directly under it (the branch) to the number of such members."""

    key: str
    label: Any
    counts: dict[str, int]
    order: int = 50


@dataclass(frozen=True)
class DelegateLink:
    """A link on the delegate's phone page to another app's page behind the same card token."""

    label: Any
    url_name: str
    order: int = 50


@dataclass(frozen=True)
class SlideSource:
    """A kind of LED slide contributed by an upper app; display stores the slide with `kind`
    and the organiser's choices as JSON `params`, and draws it on the public wall.

    - `kind`: "<app>.<name>", unique, at most 40 characters.
    - `form`: a Form class of the kind's own fields, built as `form(data, files, initial=params,
      user=officer, unit=screen_unit)`, whose `params()` gives the JSON-ready choices (ids, not
      objects) once valid. Choices offered are scoped to the officer and the screen's unit.
    - `check(params, *, user, unit) -> params`: the service-side check of the choices (what the
      officer may show on a screen of `unit`); raises DomainError with `field=` naming a form
      field; returns the params to store.
    - `content(params, *, unit, now) -> dict | None`: the template's context, computed for a
      wall that anyone in the hall reads: only public data, only from inside `unit`'s subtree
      (the tree may have changed since the check). None when there is nothing to show now; the
      slide is then left out of the playlist.
    - `template`: drawn with `slide`, `now` and the content.
    - `live`: its figures change by the second (the wall polls every 2 s while it is shown).
    """

    kind: str
    label: Any
    template: str
    form: type[Any]
    check: Callable[..., dict[str, Any]]
    content: Callable[..., dict[str, Any] | None]
    live: bool = False


@dataclass(frozen=True)
class ImportColumn:
    """A column of the member import contributed by an upper app: something given or done on a
    day (a consent signed on the union's form, say). The import reads its cells itself (a date
    typed any way, "có"/"x" for the day of the import, "không" or empty for nothing) and reports
    a bad cell on its row like any other; the upper app only records the readable ones.

    - `key`: "<app>.<name>", unique; what a remembered column mapping stores.
    - `header`: the import template's Vietnamese header, as the federations' forms write it.
    - `label`: shown in the mapping step, translated; `synonyms`: other headers officers write
      (folded: lower case, no diacritics); `hint`: the template's note under the header.
    - `record(values, *, unit, by, source) -> int`: writes `values`, a list of (member id, date)
      of the rows imported into `unit` (new, updated or unchanged members, never a member asked
      for by transfer), inside the import's transaction; returns how many it recorded. It
      raises DomainError only for what would make the whole import wrong.
    """

    key: str
    header: str
    label: Any
    record: Callable[..., int]
    synonyms: tuple[str, ...] = ()
    hint: str = ""


def import_columns() -> dict[str, ImportColumn]:
    return {column.key: column for column in collect("import_columns")}


@dataclass(frozen=True)
class PortalSection:
    """A block of a unit's public portal home: `template` drawn with `context`."""

    template: str
    context: dict[str, Any]
    order: int = 50


def portal_sections(unit: Any) -> list[PortalSection]:
    found = (section(unit) for section in collect("portal_sections"))
    return sorted((s for s in found if s is not None), key=lambda s: s.order)


def slide_sources() -> dict[str, SlideSource]:
    return {source.kind: source for source in collect("slide_sources")}


def member_filters() -> dict[str, MemberFilter]:
    return {entry.name: entry for entry in collect("member_filters")}


def collect(attribute: str) -> Iterator[Any]:
    for config in apps.get_app_configs():
        yield from getattr(config, attribute, ())


def action_label(action: str) -> str:
    """The words for an audit event name, in the active language; the name itself when no app
    declares it (an app removed since, or one that has not declared its actions yet)."""
    for config in apps.get_app_configs():
        choices = getattr(config, "audit_actions", None)
        if choices is not None and action in choices.values:
            return str(choices(action).label)
    return action


def public_photo_allowed(member: Any) -> bool:
    """May the member's photo be shown to the public? Every `public_photo_checks` must agree."""
    return all(check(member) for check in collect("public_photo_checks"))
