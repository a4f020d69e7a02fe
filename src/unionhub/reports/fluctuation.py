"""The fluctuation report engine: exact figures for any unit and period, on the tree as it stood.

Unscoped: `reports.selectors` checks the officer's scope before calling in here.

Definitions (also printed as the report's footnotes, see `FOOTNOTES`):

- A member counts at a unit on day D when they hold a membership period there covering D
  (start ≤ D < end). Periods open and close on the day of the event that opens or closes them,
  so "on D" means "at the end of day D, after that day's events".
- The period [first, last] is reported inclusive. Members *at start* are those counted on the eve
  of `first` (the day before); members *at end* those counted on `last`. Increases and decreases
  are the events dated `first` … `last`. With these three, start + increases − decreases = end
  exactly; counting on `first` itself would count a member admitted that day twice.
- A unit's figures cover its subtree as the tree stood: an increase on day D at the tree of day D,
  a decrease on day D at the tree of day D − 1 (where the member stood before leaving), the start
  at the tree of the eve, the end at the tree of `last`.
- When units move in the tree (a reorganisation), the members they carry count as *transferred
  out* at every unit above the moved unit on the old tree and as *transferred in* at every unit
  above it on the new tree (both at a unit above both places), "of which by reorganisation".
  Member moves made by a reorganisation (merged or closed unions) are transferred the same way.
  Transfers are counted both ways wherever they happen, as the official form counts them.
- Of the transfers in and out, those whose other side lies inside the reported unit's subtree
  (as the tree stood on the other side's day) are also shown apart, "of which from/to its own
  units": they move members inside the unit and change its total by nothing. The same holds for
  members carried by a unit that moved from one place in the subtree to another.
- Under each row, its sub-rows: the units directly under the row's unit (and the row unit's own
  members), attributed the same way, so a row equals the sum of its sub-rows.
- A report's rows are the units directly under the reported unit *while they stood there*: a
  unit that moved in during the period starts at 0 and has the moved members as transferred in;
  a unit that moved away ends at 0. So every row closes, and the unit equals the sum of its rows
  in every column, for any history.
- Increases and decreases are the membership periods opening and closing within the period,
  each in the column of the event that opened or closed it. So events that change no
  membership count nowhere: a suspended member who then leaves was already counted as
  suspended, and a membership opened and closed on the same day (no period) nets to nothing.
- Suspension is a decrease; resumption and reinstatement are other increases. A unit that enters
  or leaves the tree while still holding members (a data gap) shows them as other increase or
  other decrease.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.members.models import EventKind, Gender, Member, MembershipEvent, MembershipPeriod
from unionhub.members.selectors import held_on
from unionhub.orgs.models import Level, Placement, Unit
from unionhub.reports import cards_hook

DAY = dt.timedelta(days=1)
REORG_MARK = "+"  # appended to an event's kind when a reorganisation made it

# The columns of the official form (DESIGN §2), in order. "_reorg" columns are "of which".
START = "start"
ADMITTED = "admitted"
RECORDED = "recorded"
TRANSFERRED_IN = "transferred_in"
TRANSFERRED_IN_REORG = "transferred_in_reorg"
TRANSFERRED_IN_WITHIN = "transferred_in_within"
OTHER_INCREASE = "other_increase"
INCREASES = "increases"
TRANSFERRED_OUT = "transferred_out"
TRANSFERRED_OUT_REORG = "transferred_out_reorg"
TRANSFERRED_OUT_WITHIN = "transferred_out_within"
LEFT = "left"
RETIRED = "retired"
DECEASED = "deceased"
SUSPENDED = "suspended"
OTHER_DECREASE = "other_decrease"
DECREASES = "decreases"
END = "end"
END_WOMEN = "end_women"
UNITS_START = "units_start"
UNITS_FOUNDED = "units_founded"
UNITS_MOVED_IN = "units_moved_in"
UNITS_DISSOLVED = "units_dissolved"
UNITS_MOVED_OUT = "units_moved_out"
UNITS_END = "units_end"
CARDS_ISSUED = "cards_issued"
CARDS_REISSUED = "cards_reissued"

INCREASE_COLUMNS = (ADMITTED, RECORDED, TRANSFERRED_IN, OTHER_INCREASE)
DECREASE_COLUMNS = (TRANSFERRED_OUT, LEFT, RETIRED, DECEASED, SUSPENDED, OTHER_DECREASE)
UNIT_COLUMNS = (
    UNITS_START,
    UNITS_FOUNDED,
    UNITS_MOVED_IN,
    UNITS_DISSOLVED,
    UNITS_MOVED_OUT,
    UNITS_END,
)
COLUMNS = (
    START,
    ADMITTED,
    RECORDED,
    TRANSFERRED_IN,
    TRANSFERRED_IN_REORG,
    TRANSFERRED_IN_WITHIN,
    OTHER_INCREASE,
    INCREASES,
    TRANSFERRED_OUT,
    TRANSFERRED_OUT_REORG,
    TRANSFERRED_OUT_WITHIN,
    LEFT,
    RETIRED,
    DECEASED,
    SUSPENDED,
    OTHER_DECREASE,
    DECREASES,
    END,
    END_WOMEN,
    *UNIT_COLUMNS,
    CARDS_ISSUED,
    CARDS_REISSUED,
)
LABELS = {
    START: _("Members at start"),
    ADMITTED: _("Admitted"),
    RECORDED: _("Recorded at start (existing members)"),
    TRANSFERRED_IN: _("Transferred in"),
    TRANSFERRED_IN_REORG: _("of which by reorganisation"),
    TRANSFERRED_IN_WITHIN: _("of which from its own units"),
    OTHER_INCREASE: _("Other increase"),
    INCREASES: _("Total increase"),
    TRANSFERRED_OUT: _("Transferred out"),
    TRANSFERRED_OUT_REORG: _("of which by reorganisation"),
    TRANSFERRED_OUT_WITHIN: _("of which to its own units"),
    LEFT: _("Left"),
    RETIRED: _("Retired"),
    DECEASED: _("Deceased"),
    SUSPENDED: _("Suspended"),
    OTHER_DECREASE: _("Other decrease"),
    DECREASES: _("Total decrease"),
    END: _("Members at end of period"),
    END_WOMEN: _("of whom women"),
    UNITS_START: _("Grassroots unions at start"),
    UNITS_FOUNDED: pgettext_lazy("report column: units", "Founded"),
    UNITS_MOVED_IN: _("Moved in"),
    UNITS_DISSOLVED: _("Dissolved or merged"),
    UNITS_MOVED_OUT: _("Moved out"),
    UNITS_END: _("Grassroots unions at end"),
    CARDS_ISSUED: _("Cards issued"),
    CARDS_REISSUED: _("Cards re-issued"),
}
# "Of which" columns: parts of another column, never added to a total.
WITHIN_COLUMNS = (TRANSFERRED_IN_WITHIN, TRANSFERRED_OUT_WITHIN)
# Which member list (or unit list) stands behind each column; totals have none of their own.
# The "within" parts have no list of their own yet: their whole column has one.
MEMBER_COLUMNS = frozenset(
    {START, END, END_WOMEN, TRANSFERRED_IN_REORG, TRANSFERRED_OUT_REORG}
    | {CARDS_ISSUED, CARDS_REISSUED}
    | set(INCREASE_COLUMNS)
    | set(DECREASE_COLUMNS)
)
DRILLABLE = MEMBER_COLUMNS | set(UNIT_COLUMNS)

# The events that open a membership period (an increase) or close one (a decrease), and the
# column each falls in. A period boundary with no such event (a gap in imported history) is an
# other increase or decrease, so the arithmetic still closes.
INCREASE_EVENTS: dict[str, str] = {
    EventKind.ADMITTED: ADMITTED,
    EventKind.RECORDED: RECORDED,
    EventKind.TRANSFERRED_IN: TRANSFERRED_IN,
    EventKind.RESUMED: OTHER_INCREASE,
    EventKind.REINSTATED: OTHER_INCREASE,
}
DECREASE_EVENTS: dict[str, str] = {
    EventKind.TRANSFERRED_OUT: TRANSFERRED_OUT,
    EventKind.LEFT: LEFT,
    EventKind.RETIRED: RETIRED,
    EventKind.DECEASED: DECEASED,
    EventKind.SUSPENDED: SUSPENDED,
}

FOOTNOTES = (
    _(
        "Members at start: members holding membership at the end of the day before the period; "
        "members at end: at the end of its last day; increases and decreases: events dated "
        "within the period, so start + increases − decreases = end."
    ),
    _(
        "Figures cover the unit's sub-units as the tree stood on each day of the period; a row "
        "shows a unit only while it stood directly under this unit, so the unit equals the sum "
        "of its rows."
    ),
    _(
        "Members of units moved by a reorganisation count as transferred out of the old upper "
        "units and transferred in to the new ones; transfers are counted both ways, also within "
        "the same upper unit."
    ),
    _(
        "Suspension counts as a decrease; resumption and reinstatement as other increases; a "
        "member suspended before leaving is counted once, when suspended."
    ),
    _(
        "Of which from or to its own units: transfers whose other side is also inside the "
        "reported unit; they move members within it and leave its total unchanged. The rest "
        "crossed its boundary."
    ),
    _(
        "Recorded at start: existing members, who joined the union before (here or elsewhere), "
        "put on the unit's books when it first entered its list; they are neither new "
        "admissions nor transfers."
    ),
)


@dataclass
class Figures:
    """One line of the report: counts by column; totals derive from the parts."""

    counts: Counter = field(default_factory=Counter)

    def __getitem__(self, column: str) -> int:
        if column == INCREASES:
            return sum(self.counts[c] for c in INCREASE_COLUMNS)
        if column == DECREASES:
            return sum(self.counts[c] for c in DECREASE_COLUMNS)
        return self.counts[column]

    def add(self, column: str, n: int) -> None:
        self.counts[column] += n

    def as_dict(self) -> dict[str, int]:
        return {column: self[column] for column in COLUMNS}

    @property
    def closes(self) -> bool:
        members = self[START] + self[INCREASES] - self[DECREASES] == self[END]
        units = (
            self[UNITS_START]
            + self[UNITS_FOUNDED]
            + self[UNITS_MOVED_IN]
            - self[UNITS_DISSOLVED]
            - self[UNITS_MOVED_OUT]
            == self[UNITS_END]
        )
        return members and units


# The tree over the period ----------------------------------------------------------------


@dataclass
class Tree:
    """The tree as it stood on `on`: {unit id: parent id} for every unit in it."""

    on: dt.date
    parent: dict[int, int | None]
    _chains: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def chain(self, unit_id: int) -> tuple[int, ...]:
        """The unit and its ancestors, bottom up; () when the unit was not in the tree."""
        found = self._chains.get(unit_id)
        if found is None:
            if unit_id not in self.parent:
                found = ()
            else:
                up = self.parent[unit_id]
                found = (unit_id, *(self.chain(up) if up is not None else ()))
            self._chains[unit_id] = found
        return found


# The units reachable down from a root and up from it over the placements overlapping the
# period, whichever tree of the period each link stood on (%s: root, last, eve, root, last, eve).
_AROUND_SQL = """
WITH RECURSIVE down(id) AS (
    SELECT CAST(%s AS BIGINT)
    UNION
    SELECT p.unit_id FROM orgs_placement p JOIN down ON p.parent_id = down.id
    WHERE p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to > %s)
), up(id) AS (
    SELECT CAST(%s AS BIGINT)
    UNION
    SELECT p.parent_id FROM orgs_placement p JOIN up ON p.unit_id = up.id
    WHERE p.parent_id IS NOT NULL AND p.valid_from <= %s
    AND (p.valid_to IS NULL OR p.valid_to > %s)
)
SELECT id FROM down UNION SELECT id FROM up
"""


class Timeline:
    """The trees of a period: T0 on the eve, then one from each day the tree changed.

    Loaded with one query over the placements overlapping the period. Given a root, only those
    of the units under it on some tree of the period and of the units above it (a province's
    few thousand, not the country's 126,000): every chain that reaches the root is whole, and
    the others end early, where they leave these units — which changes nothing a report of the
    root counts, as it counts only what lies under the root.
    """

    def __init__(self, first: dt.date, last: dt.date, root: int | None = None) -> None:
        self.first, self.last, self.eve = first, last, first - DAY
        placements = Placement.objects.filter(valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=self.eve)
        )
        if root is not None:
            days = [last.isoformat(), self.eve.isoformat()]
            around = RawSQL(_AROUND_SQL, [root, *days, root, *days])
            placements = placements.filter(unit_id__in=around)
        rows = list(
            placements.values_list("unit_id", "parent_id", "valid_from", "valid_to").order_by()
        )
        changes = {start for _u, _p, start, _e in rows if start > self.eve}
        changes |= {end for _u, _p, _s, end in rows if end is not None and end <= last}
        self.changes = sorted(changes)
        self.trees = [
            Tree(
                on,
                {
                    unit: parent
                    for unit, parent, start, end in rows
                    if start <= on and (end is None or end > on)
                },
            )
            for on in [self.eve, *self.changes]
        ]

    @property
    def end_tree(self) -> Tree:
        return self.trees[-1]

    def for_increase(self, day: dt.date) -> int:
        """Index of the tree a member joining on `day` joins: the tree of `day`."""
        return bisect.bisect_right(self.changes, day)

    def for_decrease(self, day: dt.date) -> int:
        """Index of the tree a member leaving on `day` leaves: the tree of the day before."""
        return bisect.bisect_left(self.changes, day)

    def bucket(self, field: str, *, joining: bool) -> Case | Value:
        """SQL for the index of the tree a date column falls in (see for_increase /
        for_decrease): the number of changes on or before (joining) or before (leaving) it."""
        if not self.changes:
            return Value(0)
        lookup = f"{field}__gte" if joining else f"{field}__gt"
        whens = [
            When(**{lookup: day}, then=Value(index))
            for index, day in reversed(list(enumerate(self.changes, start=1)))
        ]
        return Case(*whens, default=Value(0), output_field=IntegerField())


def row_under(chain: tuple[int, ...], root: int) -> int | None:
    """Which row of `root`'s report a unit with this chain falls in: the unit just below
    `root` in the chain, `root` itself for its own members, None when outside."""
    try:
        index = chain.index(root)
    except ValueError:
        return None
    return chain[index - 1] if index else root


def moved_rows(
    old: tuple[int, ...], new: tuple[int, ...], root: int
) -> tuple[int | None, int | None]:
    """For what stays at a unit whose chain went from `old` to `new` (the unit itself, or a unit
    above it, moved, appeared or left the tree): the row of `root` it leaves and the row it joins.

    The chains share their bottom part up to the unit that moved; only the units above that part
    see a move, on each side — so a unit above both places has it out of one row and into another
    (or out of and back into the same row), counted both ways like a member's transfer.
    """
    if old == new:
        return None, None
    shared = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        shared += 1
    out_row = row_under(old, root) if root in old[shared:] else None
    in_row = row_under(new, root) if root in new[shared:] else None
    return out_row, in_row


# Data: a handful of GROUP BY queries ------------------------------------------------------


def _spanning(day: dt.date) -> Q:
    """Periods held on the eve of `day` and still on `day`: they stay put when units move."""
    return Q(start__lt=day) & (Q(end__isnull=True) | Q(end__gt=day))


def _boundaries(timeline: Timeline, *, joining: bool) -> QuerySet[MembershipPeriod]:
    """Periods opening (joining) or closing within the period, each with the event that opened
    or closed it as `event` ("kind", or "kind+" when made by a reorganisation: one correlated
    subquery, not two) and the index of the tree it is counted on.

    For the drill-down lists, filtered to one cell; the report's counts come from
    `_boundary_counts`, which attributes every period to the same event in bulk."""
    field_name = "start" if joining else "end"
    kinds = INCREASE_EVENTS if joining else DECREASE_EVENTS
    # Several events of one member on one day: see _boundary_counts.
    tag = Case(
        When(reorganisation=True, then=Concat("kind", Value(REORG_MARK))),
        default=F("kind"),
        output_field=CharField(),
    )
    event = (
        MembershipEvent.objects.filter(
            member_id=OuterRef("member_id"),
            unit_id=OuterRef("unit_id"),
            date=OuterRef(field_name),
            kind__in=list(kinds),
        )
        .order_by("-id" if joining else "id")
        .annotate(tag=tag)
    )
    return MembershipPeriod.objects.filter(
        **{f"{field_name}__gte": timeline.first, f"{field_name}__lte": timeline.last}
    ).annotate(
        event=Subquery(event.values("tag")[:1]),
        tree=timeline.bucket(field_name, joining=joining),
    )


def _event_filter(column: str, *, joining: bool, reorg_only: bool) -> Q:
    """The `event` tags (see _boundaries) that fall in `column`."""
    mapping = INCREASE_EVENTS if joining else DECREASE_EVENTS
    kinds = [k for k, c in mapping.items() if c == column]
    tags = [f"{k}{REORG_MARK}" for k in kinds] if reorg_only else []
    if not reorg_only:
        tags = [*kinds, *(f"{k}{REORG_MARK}" for k in kinds)]
    condition = Q(event__in=tags)
    if column in (OTHER_INCREASE, OTHER_DECREASE) and not reorg_only:
        condition |= Q(event__isnull=True)
    return condition


def _column(kind: str | None, *, joining: bool) -> str:
    if joining:
        return INCREASE_EVENTS.get(kind or "", OTHER_INCREASE)
    return DECREASE_EVENTS.get(kind or "", OTHER_DECREASE)


def _boundary_counts(
    timeline: Timeline, *, joining: bool, within: Q
) -> Iterable[tuple[int, str | None, bool, int | None, int, int, int]]:
    """(unit, event kind, by reorganisation, other unit, the other unit's tree index, tree
    index, count) of the membership periods
    opening (joining) or closing within the period, by the event that opened or closed each
    (see _boundaries); kind None for those no such event explains (the rest of each unit's
    periods). Two GROUP BY queries per side: the boundaries' totals from a range on the period
    dates, and the events dated in the period that opened or closed a period there, through a
    semi-join on the periods and an anti-join on rival events of the same day, which both
    databases run as hash or index joins, not as a subquery per period. The other unit of a
    transfer is placed on the tree of its own side (a transfer out on day D lands there on D's
    tree; a transfer in came from there on the tree of D − 1), so a reorganisation's move from
    a closing union into a new commune union counts as inside the province."""
    first, last = timeline.first, timeline.last
    field_name = "start" if joining else "end"
    kinds = list(INCREASE_EVENTS if joining else DECREASE_EVENTS)
    totals: Counter = Counter()
    for unit_id, index, n in (
        MembershipPeriod.objects.filter(**{f"{field_name}__gte": first, f"{field_name}__lte": last})
        .filter(within)
        .annotate(tree=timeline.bucket(field_name, joining=joining))
        .values("unit_id", "tree")
        .annotate(n=Count("*"))
        .values_list("unit_id", "tree", "n")
        .order_by()
    ):
        totals[unit_id, index] += n
    same_day = {
        "member_id": OuterRef("member_id"),
        "unit_id": OuterRef("unit_id"),
        # The range again, so that the planner joins only the period's rows.
        f"{field_name}__gte": first,
        f"{field_name}__lte": last,
    }
    # `within` again, redundant with the unit above: so that the planner, should it hash the
    # periods rather than look each up, hashes only those of the units under the root.
    boundary = MembershipPeriod.objects.filter(**same_day, **{field_name: OuterRef("date")}).filter(
        within
    )
    # Several events of one member on one day: the period that survives the day was opened by
    # the last opening event (earlier same-day openings were closed again, leaving no period),
    # and the period that was there before the day was closed by the first closing event.
    rival = MembershipEvent.objects.filter(
        member_id=OuterRef("member_id"),
        unit_id=OuterRef("unit_id"),
        date=OuterRef("date"),
        kind__in=kinds,
        **{"id__gt" if joining else "id__lt": OuterRef("id")},
    )
    explained = (
        MembershipEvent.objects.filter(date__gte=first, date__lte=last, kind__in=kinds)
        .filter(within)
        .filter(Exists(boundary), ~Exists(rival))
        .annotate(
            tree=timeline.bucket("date", joining=joining),
            other_tree=timeline.bucket("date", joining=not joining),
        )
        .values("unit_id", "kind", "reorganisation", "other_unit_id", "other_tree", "tree")
        .annotate(n=Count("id"))
        .values_list(
            "unit_id", "kind", "reorganisation", "other_unit_id", "other_tree", "tree", "n"
        )
        .order_by()
    )
    for unit_id, kind, reorg, other, other_index, index, n in explained:
        totals[unit_id, index] -= n
        yield unit_id, kind, reorg, other, other_index, index, n
    for (unit_id, index), n in totals.items():
        if n:
            yield unit_id, None, False, None, index, index, n


def _under(timeline: Timeline, root: int) -> set[int] | None:
    """The units under `root` (itself included) on any tree of the period: a province's report
    reads its own rows, not the whole country's. None when that is every unit (the
    confederation's report): no condition is cheaper than one naming every unit."""
    everywhere = set().union(*(tree.parent for tree in timeline.trees))
    under = {u for tree in timeline.trees for u in tree.parent if root in tree.chain(u)}
    under.add(root)
    return None if under >= everywhere else under


def _women_at_end(last: dt.date, under: set[int] | None, within: Q) -> Iterable[tuple[int, int]]:
    """(unit, women members) on `last`. The whole country: a semi-join on the women's ids,
    which SQLite plans far better than a join per period (a lookup in the wide member rows
    each) and PostgreSQL hashes. A part of it: its members' ids first, then the women among
    them by primary key, rather than hashing every woman of the country."""
    periods = MembershipPeriod.objects.filter(held_on(last)).filter(within)
    if under is None:
        women = Member.objects.filter(gender=Gender.FEMALE).values("pk")
        yield from (
            periods.filter(member_id__in=women)
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
            .order_by()
        )
        return
    held = periods.values_list("member_id", "unit_id").order_by()
    if connection.vendor == "postgresql":
        yield from _women_among(held)
        return
    unit_of = dict(held)
    female = Member.objects.filter(id__one_of=list(unit_of), gender=Gender.FEMALE)
    yield from Counter(unit_of[pk] for pk in female.values_list("pk", flat=True).order_by()).items()


# PostgreSQL, for a part of the country: the held periods' member ids (from the periods'
# (unit, start, end, member) index) gathered into one array inside the query, the women among
# them looked up by that array in the women's index (members.Member "member_women"), then
# joined back to the periods' units. The same look-ups as sending the ids from here, without
# carrying a province's 160,000 ids to Python and back; and a plain join instead would hash
# every woman of the country.
_WOMEN_AMONG_SQL = """
WITH held(member_id, unit_id) AS MATERIALIZED ({held}),
women AS MATERIALIZED (
    SELECT m.id FROM {member} m
    WHERE m.gender = %s AND m.id = ANY(ARRAY(SELECT member_id FROM held))
)
SELECT held.unit_id, COUNT(*) FROM held JOIN women ON women.id = held.member_id
GROUP BY held.unit_id
"""


def _women_among(held: QuerySet) -> list[tuple[int, int]]:
    held_sql, held_params = held.query.sql_with_params()
    sql = _WOMEN_AMONG_SQL.format(
        held=held_sql, member=connection.ops.quote_name(Member._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*held_params, Gender.FEMALE.value])
        return [(unit_id, n) for unit_id, n in cursor.fetchall()]


def _changed_units(old: Tree, new: Tree) -> list[int]:
    return sorted(u for u in old.parent.keys() | new.parent.keys() if old.chain(u) != new.chain(u))


def _grassroots_ids(ids: Iterable[int]) -> set[int]:
    return set(
        Unit.objects.filter(id__one_of=list(ids), level=Level.GRASSROOTS).values_list(
            "pk", flat=True
        )
    )


# The report ------------------------------------------------------------------------------


@dataclass
class Row:
    unit: Unit
    figures: Figures
    own: bool = False  # the reported unit's own members, not those of a sub-unit
    at_end: bool = True  # still directly under the reported unit at the end of the period
    subs: list[Row] = field(default_factory=list)  # the units under this row's unit, likewise


@dataclass
class FluctuationReport:
    unit: Unit
    first: dt.date
    last: dt.date
    total: Figures
    rows: list[Row]
    cards_available: bool

    def as_json(self) -> dict:
        return {
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "total": self.total.as_dict(),
            "rows": [
                {**_row_json(r), "subs": [_row_json(sub) for sub in r.subs]} for r in self.rows
            ],
            "cards_available": self.cards_available,
        }

    def groups(self) -> list[Group]:
        """The report as the page and the exports show it: the unit's own members; each upper
        unit under it (a commune union, a district federation) with its units under it; then
        the grassroots unions (or other units) directly under it gathered under one subtotal,
        so that a province reads as some eighty lines, not five hundred."""
        own = [Group("own", r.figures, [], row=r) for r in self.rows if r.own]
        uppers: list[Row] = []
        leaves: list[Row] = []
        for r in self.rows:
            if not r.own:
                (uppers if r.unit.level < Level.GRASSROOTS else leaves).append(r)
        groups = own + [Group(f"u{r.unit.pk}", r.figures, r.subs, row=r) for r in uppers]
        if leaves:
            figures = Figures()
            for r in leaves:
                figures.counts.update(r.figures.counts)
            grassroots = all(r.unit.level == Level.GRASSROOTS for r in leaves)
            label = (
                _("Grassroots unions directly under %(unit)s")
                if grassroots
                else _("Units directly under %(unit)s")
            ) % {"unit": self.unit.name}
            groups.append(Group("direct", figures, leaves, label=label))
        return groups


def _row_json(row: Row) -> dict:
    return {
        "unit": row.unit.code,
        "unit_name": row.unit.name,
        "own": row.own,
        "at_end": row.at_end,
        **row.figures.as_dict(),
    }


@dataclass
class Group:
    """One line of the report with the lines under it: a row whose unit has units under it, or
    the rows directly under the reported unit gathered under one subtotal (`row` None)."""

    key: str
    figures: Figures
    rows: list[Row]
    row: Row | None = None
    label: str = ""


class _Rows:
    """Figures per row of one unit's report, and per sub-row of each row; the total is the sum
    of the rows, and each row the sum of its sub-rows."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.by_row: dict[int, Figures] = defaultdict(Figures)
        self.by_sub: dict[int, dict[int, Figures]] = defaultdict(lambda: defaultdict(Figures))

    def add(self, chain: tuple[int, ...], row: int | None, column: str, n: int) -> None:
        """Count `n` in `row` and in the sub-row of that row `chain` (bottom up) falls in."""
        if row is None or not n:
            return
        self.by_row[row].add(column, n)
        if row != self.root:
            sub = row_under(chain, row)
            # A unit that left the tree (chain ()) stays a sub-row of itself.
            self.by_sub[row][row if sub is None else sub].add(column, n)

    def at(self, chain: tuple[int, ...], column: str, n: int) -> None:
        """Count `n` where a unit with this chain falls in the report."""
        self.add(chain, row_under(chain, self.root), column, n)

    def total(self) -> Figures:
        total = Figures()
        for figures in self.by_row.values():
            total.counts.update(figures.counts)
        return total


def fluctuation(*, unit: Unit, first: dt.date, last: dt.date) -> FluctuationReport:
    """The fluctuation report of `unit` for [first, last] (see the module docstring): a handful
    of GROUP BY queries, then a roll-up in Python over the trees of the period."""
    root = unit.pk
    timeline = Timeline(first, last, root)
    acc = _Rows(root)
    start_tree, end_tree = timeline.trees[0], timeline.end_tree
    under = _under(timeline, root)
    within = Q() if under is None else Q(unit__id__one_of=sorted(under))

    # Members at start and at end in one pass over the periods that overlap [eve, last].
    for unit_id, at_start, at_end in (
        MembershipPeriod.objects.filter(start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gt=timeline.eve))
        .filter(within)
        .values("unit_id")
        .annotate(
            # Counting a column of the (unit, start, end) index, not the id: the index alone
            # answers.
            at_start=Count("unit", filter=held_on(timeline.eve)),
            at_end=Count("unit", filter=held_on(last)),
        )
        .values_list("unit_id", "at_start", "at_end")
        .order_by()
    ):
        acc.at(start_tree.chain(unit_id), START, at_start)
        acc.at(end_tree.chain(unit_id), END, at_end)
    for unit_id, n in _women_at_end(last, under, within):
        acc.at(end_tree.chain(unit_id), END_WOMEN, n)

    for joining in (True, False):
        for unit_id, kind, reorg, other, other_index, index, n in _boundary_counts(
            timeline, joining=joining, within=within
        ):
            chain = timeline.trees[index].chain(unit_id)
            row = row_under(chain, root)
            column = _column(kind, joining=joining)
            acc.add(chain, row, column, n)
            if column in (TRANSFERRED_IN, TRANSFERRED_OUT):
                if reorg:
                    acc.add(chain, row, f"{column}_reorg", n)
                if other is not None and root in timeline.trees[other_index].chain(other):
                    acc.add(chain, row, f"{column}_within", n)

    grassroots = _grassroots_ids(
        set().union(*(tree.parent for tree in timeline.trees)) if under is None else under
    )
    for index in range(1, len(timeline.trees)):
        old, new = timeline.trees[index - 1], timeline.trees[index]
        changed = _changed_units(old, new)
        if not changed:
            continue
        staying = (
            MembershipPeriod.objects.filter(_spanning(new.on), unit_id__in=changed)
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
        for unit_id, n in staying:
            _add_move(acc, old.chain(unit_id), new.chain(unit_id), n, members=True)
        for unit_id in grassroots.intersection(changed):
            _add_move(acc, old.chain(unit_id), new.chain(unit_id), 1, members=False)

    for tree, column in ((start_tree, UNITS_START), (end_tree, UNITS_END)):
        for unit_id in grassroots.intersection(tree.parent):
            acc.at(tree.chain(unit_id), column, 1)

    cards_available = cards_hook.available()
    if cards_available:
        for unit_id, index, reissue, n in cards_hook.issued(timeline, within=within):
            acc.at(
                timeline.trees[index].chain(unit_id), CARDS_REISSUED if reissue else CARDS_ISSUED, n
            )

    wanted = set(acc.by_row).union(*(subs.keys() for subs in acc.by_sub.values()))
    units = Unit.objects.in_bulk(list(wanted))

    def line(row_id: int, figures: Figures, parent: int) -> Row:
        return Row(
            unit=units[row_id],
            figures=figures,
            own=row_id == parent,
            at_end=row_id == parent or end_tree.parent.get(row_id) == parent,
        )

    rows: list[Row] = []
    for row_id, figures in acc.by_row.items():
        report_row = line(row_id, figures, root)
        if row_id != root:
            report_row.subs = sorted(
                (line(sub, f, row_id) for sub, f in acc.by_sub[row_id].items()), key=_row_order
            )
        rows.append(report_row)
    rows.sort(key=_row_order)
    return FluctuationReport(
        unit=unit,
        first=first,
        last=last,
        total=acc.total(),
        rows=rows,
        cards_available=cards_available,
    )


def _row_order(row: Row) -> tuple:
    return (not row.own, not row.at_end, row.unit.sort_key, row.unit.pk)


def _add_move(
    acc: _Rows, old: tuple[int, ...], new: tuple[int, ...], n: int, *, members: bool
) -> None:
    out_row, in_row = moved_rows(old, new, acc.root)
    if members:
        # Carried from one place in the subtree to another: a move within the reported unit.
        within = acc.root in old and acc.root in new
        if out_row is not None:
            acc.add(old, out_row, TRANSFERRED_OUT if new else OTHER_DECREASE, n)
            if new:
                acc.add(old, out_row, TRANSFERRED_OUT_REORG, n)
            if within:
                acc.add(old, out_row, TRANSFERRED_OUT_WITHIN, n)
        if in_row is not None:
            acc.add(new, in_row, TRANSFERRED_IN if old else OTHER_INCREASE, n)
            if old:
                acc.add(new, in_row, TRANSFERRED_IN_REORG, n)
            if within:
                acc.add(new, in_row, TRANSFERRED_IN_WITHIN, n)
    else:
        acc.add(old, out_row, UNITS_MOVED_OUT if new else UNITS_DISSOLVED, n)
        acc.add(new, in_row, UNITS_MOVED_IN if old else UNITS_FOUNDED, n)


def _move_column(old: tuple[int, ...], new: tuple[int, ...], *, joining: bool) -> str:
    """The column members staying at a unit fall in when the unit's chain changes."""
    if joining:
        return TRANSFERRED_IN if old else OTHER_INCREASE
    return TRANSFERRED_OUT if new else OTHER_DECREASE


# Drill-down: the members (or units) behind one number ---------------------------------------


@dataclass(frozen=True)
class Cell:
    """One number of a report: a column, in the total (row None) or in one row."""

    column: str
    row: int | None = None

    def takes(self, row: int | None) -> bool:
        return row is not None and (self.row is None or row == self.row)


def members_behind(*, unit: Unit, first: dt.date, last: dt.date, cell: Cell) -> QuerySet[Member]:
    """The members counted in one number of the report, by the same attribution as
    `fluctuation` (so the list's length is the number shown)."""
    if cell.column not in MEMBER_COLUMNS:
        return Member.objects.none()
    root = unit.pk
    timeline = Timeline(first, last, root)

    def units_in(tree: Tree) -> list[int]:
        return [u for u in tree.parent if cell.takes(row_under(tree.chain(u), root))]

    column = cell.column
    if column in (START, END, END_WOMEN):
        tree, day = (
            (timeline.trees[0], timeline.eve) if column == START else (timeline.end_tree, last)
        )
        periods = MembershipPeriod.objects.filter(held_on(day), unit_id__in=units_in(tree))
        members = Member.objects.filter(pk__in=periods.values("member_id"))
        return members.filter(gender=Gender.FEMALE) if column == END_WOMEN else members
    if column in (CARDS_ISSUED, CARDS_REISSUED):
        if not cards_hook.available():
            return Member.objects.none()
        condition = Q(pk__in=[])
        for index, tree in enumerate(timeline.trees):
            cards = cards_hook.issued_cards(
                timeline, index=index, unit_ids=units_in(tree), reissue=column == CARDS_REISSUED
            )
            condition |= Q(pk__in=cards.values("member_id"))
        return Member.objects.filter(condition)

    base = column.removesuffix("_reorg")
    reorg_only = base != column
    joining = base in INCREASE_COLUMNS
    counted = Q(pk__in=[])
    boundaries = _boundaries(timeline, joining=joining).filter(
        _event_filter(base, joining=joining, reorg_only=reorg_only)
    )
    for index, tree in enumerate(timeline.trees):
        # `tree` is an annotation of _boundaries' queryset (a Q: the type checker knows fields).
        counted |= Q(pk__in=boundaries.filter(Q(tree=index), unit_id__in=units_in(tree)))
    condition = Q(pk__in=MembershipPeriod.objects.filter(counted).values("member_id"))
    for index in range(1, len(timeline.trees)):
        old, new = timeline.trees[index - 1], timeline.trees[index]
        wanted = []
        for unit_id in _changed_units(old, new):
            was, now = old.chain(unit_id), new.chain(unit_id)
            out_row, in_row = moved_rows(was, now, root)
            side = in_row if joining else out_row
            moved = bool(was and now)
            if (
                cell.takes(side)
                and _move_column(was, now, joining=joining) == base
                and (moved or not reorg_only)
            ):
                wanted.append(unit_id)
        if wanted:
            staying = MembershipPeriod.objects.filter(_spanning(new.on), unit_id__in=wanted)
            condition |= Q(pk__in=staying.values("member_id"))
    return Member.objects.filter(condition)


def units_behind(*, unit: Unit, first: dt.date, last: dt.date, cell: Cell) -> QuerySet[Unit]:
    """The grassroots unions behind one of the unit columns."""
    if cell.column not in UNIT_COLUMNS:
        return Unit.objects.none()
    root = unit.pk
    timeline = Timeline(first, last, root)
    wanted: set[int] = set()
    if cell.column in (UNITS_START, UNITS_END):
        tree = timeline.trees[0] if cell.column == UNITS_START else timeline.end_tree
        wanted = {u for u in tree.parent if cell.takes(row_under(tree.chain(u), root))}
    for index in range(1, len(timeline.trees)):
        old, new = timeline.trees[index - 1], timeline.trees[index]
        for unit_id in _changed_units(old, new):
            was, now = old.chain(unit_id), new.chain(unit_id)
            out_row, in_row = moved_rows(was, now, root)
            side = {
                UNITS_FOUNDED: None if was else in_row,
                UNITS_MOVED_IN: in_row if was else None,
                UNITS_DISSOLVED: None if now else out_row,
                UNITS_MOVED_OUT: out_row if now else None,
            }.get(cell.column)
            if cell.takes(side):
                wanted.add(unit_id)
    return Unit.objects.filter(pk__in=wanted, level=Level.GRASSROOTS)
