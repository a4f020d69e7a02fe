"""Reads for screens and the figures their slides show.

Two doors lead here. Officers (the screen pages, the home dashboard) are scoped through
core.scope. A kiosk has no account: its secret link names one screen, and the screen's unit is
the authority, so a slide shows only units and congresses inside that unit's subtree (checked
when the slide is written and again when it is drawn, in case the tree changed since).

The membership figures are light aggregates of our own (the reports app is a sibling we do not
depend on): "members of U on D" are the MembershipPeriod rows of U's current subtree with
start ≤ D < end. Congress attendance is congress.selectors.attendance_figures, the very figures
organisers see, asked without a user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.congress.models import Congress, Session
from unionhub.congress.selectors import Attendance, attendance_figures
from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.display.models import Screen, Slide, SlideKind
from unionhub.members.models import EventKind, Gender, MembershipEvent, MembershipPeriod
from unionhub.members.selectors import held_on
from unionhub.orgs.models import Level, Sector, Unit

ROLE = scope.CONGRESS_ORGANISER
CHART_BARS = 8
PROGRAMME_ROWS = 6
SEEN_TTL = 7 * 24 * 3600


# Screens and slides (officers) -------------------------------------------------------------

SCREEN_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "unit": ("unit__sort_key", "name"),
    "created": ("created", "id"),
    "-created": ("-created", "-id"),
}


def screen_list(*, user: User, query: str = "", sort: str = "name") -> QuerySet[Screen]:
    """Screens of the units where the user organises, with their number of slides."""
    qs = scope.restrict(Screen.objects.all(), user, role=ROLE)
    if folded := fold(query):
        qs = qs.filter(Q(name__icontains=query.strip()) | Q(unit__name_folded__contains=folded))
    return (
        qs.select_related("unit")
        .annotate(slide_count=Count("slides"))
        .order_by(*SCREEN_SORTS.get(sort, SCREEN_SORTS["name"]))
    )


def screen_get(*, user: User, pk: int) -> Screen:
    screen = scope.restrict(Screen.objects.all(), user, role=ROLE).filter(pk=pk).first()
    if screen is None:
        raise OutOfScope()
    return screen


def slide_list(*, user: User, screen: Screen) -> QuerySet[Slide]:
    scope.require(user, ROLE, screen.unit)
    return screen.slides.select_related("unit", "congress", "session").order_by("position", "id")


def slide_get(*, user: User, pk: int) -> Slide:
    slide = (
        scope.restrict(Slide.objects.all(), user, role=ROLE, via="screen__unit")
        .select_related("screen__unit", "unit", "congress__unit", "session")
        .filter(pk=pk)
        .first()
    )
    if slide is None:
        raise OutOfScope()
    return slide


def unit_choices(*, user: User, screen: Screen) -> QuerySet[Unit]:
    """Units a slide of `screen` may show: the screen's unit and those under it."""
    scope.require(user, ROLE, screen.unit)
    return scope.units(user, within=screen.unit).order_by("path")


def congress_choices(*, user: User, screen: Screen) -> QuerySet[Congress]:
    scope.require(user, ROLE, screen.unit)
    return (
        Congress.objects.filter(scope.subtree_q(screen.unit.path, via="unit"))
        .select_related("unit")
        .order_by("-created")
    )


def session_choices(*, user: User, screen: Screen) -> QuerySet[Session]:
    return (
        Session.objects.filter(congress__in=congress_choices(user=user, screen=screen))
        .select_related("congress")
        .order_by("congress", "starts_at")
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def screen_by_token(token: str) -> Screen | None:
    """The screen a secret link names, or None (unknown or revoked: the caller shows nothing).
    Looking up the SHA-256 of the token leaks nothing useful through timing."""
    return Screen.objects.select_related("unit").filter(token_hash=token_hash(token)).first()


def screen_slide(*, screen: Screen, pk: int) -> Slide | None:
    """A slide of the screen a kiosk link names (its picture, for the wall)."""
    return screen.slides.filter(pk=pk).first()


def seen_key(screen: Screen) -> str:
    return f"display:seen:{screen.pk}"


def screen_last_seen(screen: Screen) -> dt.datetime | None:
    seen: dt.datetime | None = cache.get(seen_key(screen))
    return seen


def is_scheduled(slide: Slide, now: dt.datetime) -> bool:
    """Is `slide` due at `now` by its schedule? A daily window may cross midnight."""
    if not slide.enabled:
        return False
    if slide.shows_from and now < slide.shows_from:
        return False
    if slide.shows_until and now >= slide.shows_until:
        return False
    if slide.daily_from is None and slide.daily_until is None:
        return True
    clock = timezone.localtime(now).time()
    start = slide.daily_from or dt.time.min
    end = slide.daily_until or dt.time.max
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def slide_status(slide: Slide, now: dt.datetime) -> str:
    """Why the wall is not showing `slide` now ("" when it is due), for the playlist page."""
    if not slide.enabled:
        return _("hidden")
    if slide.shows_until and now >= slide.shows_until:
        return _("ended")
    if slide.shows_from and now < slide.shows_from:
        return _("not yet")
    if not is_scheduled(slide, now):
        return _("outside its daily hours")
    return ""


def _inside(unit: Unit | None, screen: Screen) -> bool:
    return unit is not None and unit.path.startswith(screen.unit.path)


def playlist(*, screen: Screen, now: dt.datetime) -> list[Slide]:
    """The slides `screen` shows at `now`, in order: scheduled, and still inside its unit."""
    slides = screen.slides.select_related("unit", "congress__unit", "session").order_by(
        "position", "id"
    )
    result = []
    for slide in slides:
        if not is_scheduled(slide, now):
            continue
        if slide.kind in (SlideKind.MEMBERSHIP, SlideKind.BREAKDOWN) and not _inside(
            slide.unit, screen
        ):
            continue
        if slide.kind in (SlideKind.ATTENDANCE, SlideKind.PROGRAMME) and not (
            slide.congress and _inside(slide.congress.unit, screen)
        ):
            continue
        result.append(slide)
    return result


# Membership figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: dt.date
    members: int
    height: float  # 10–100, for the bars of the trend, on the axis trend_low..trend_high


@dataclass(frozen=True)
class MembershipFigures:
    unit_name: str
    day: dt.date
    members: int
    women: int
    year_start: int
    admitted_this_year: int
    year_ago: int
    trend: list[Point]
    trend_low: int = 0
    trend_high: int = 0

    @property
    def growth_this_year(self) -> int:
        return self.members - self.year_start

    @property
    def growth_12_months(self) -> int:
        return self.members - self.year_ago

    @property
    def growth_12_months_pct(self) -> float:
        return 100 * self.growth_12_months / self.year_ago if self.year_ago else 0.0

    @property
    def women_pct(self) -> float:
        return 100 * self.women / self.members if self.members else 0.0


def trend_axis(values: list[int]) -> tuple[int, int]:
    """The trend's axis, from the data: a little below the smallest value to a little above
    the largest. Bars from zero make 5,181 and 5,203 members the same height; on this axis a
    change of a few members shows, and a flat year shows flat."""
    low, high = min(values, default=0), max(values, default=0)
    margin = max(1, (high - low) // 10)
    return max(0, low - margin), high + margin


def _month_starts(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of the `count` months before today's month, oldest first, then today."""
    days = []
    year, month = today.year, today.month
    for _step in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        days.append(dt.date(year, month, 1))
    return [*reversed(days), today]


def _periods_under(unit: Unit) -> QuerySet[MembershipPeriod]:
    # The current subtree: a screen shows its units' membership, including the months before
    # one of them moved under it (a wall wants the trend of today's units, not the report's
    # tree-as-it-stood, which the reports app gives).
    return MembershipPeriod.objects.filter(scope.subtree_q(unit.path, via="unit"))


def membership_figures(*, unit: Unit, today: dt.date) -> MembershipFigures:
    """Members of `unit`'s subtree today, of whom women, and how the number moved. Unscoped:
    callers decide whether `unit` may be shown (a screen's subtree, an officer's scope)."""
    points = _month_starts(today)
    year_start = dt.date(today.year, 1, 1)
    counts = _periods_under(unit).aggregate(
        women=Count("pk", filter=held_on(today) & Q(member__gender=Gender.FEMALE)),
        year_start=Count("pk", filter=held_on(year_start)),
        **{f"p{i}": Count("pk", filter=held_on(day)) for i, day in enumerate(points)},
    )
    admitted = MembershipEvent.objects.filter(
        scope.subtree_q(unit.path, via="unit"),
        kind=EventKind.ADMITTED,
        date__gte=year_start,
        date__lte=today,
    ).count()
    values = [counts[f"p{i}"] for i in range(len(points))]
    low, high = trend_axis(values)
    figures = MembershipFigures(
        unit_name=unit.name,
        day=today,
        members=values[-1],
        women=counts["women"],
        year_start=counts["year_start"],
        admitted_this_year=admitted,
        year_ago=values[0],
        trend=[
            Point(day, value, round(10 + 90 * (value - low) / (high - low), 1))
            for day, value in zip(points, values, strict=True)
        ],
        trend_low=low,
        trend_high=high,
    )
    return figures


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float  # 0–100 of the longest bar


@dataclass(frozen=True)
class BreakdownFigures:
    unit_name: str
    by: str
    total: int
    bars: list[Bar] = field(default_factory=list)


def _bars(pairs: list[tuple[str, int]], other_label: str) -> list[Bar]:
    """The largest CHART_BARS − 1 values and one bar for the rest, when there is a rest: a wall
    of 384 × 192 pixels has room for about eight readable lines."""
    pairs = sorted((p for p in pairs if p[1] > 0), key=lambda p: (-p[1], p[0]))
    if len(pairs) > CHART_BARS:
        rest = sum(value for _label, value in pairs[CHART_BARS - 1 :])
        pairs = [*pairs[: CHART_BARS - 1], (other_label, rest)]
    top = max((value for _label, value in pairs), default=0) or 1
    return [Bar(label, value, round(100 * value / top, 1)) for label, value in pairs]


def breakdown_figures(*, unit: Unit, by: str, today: dt.date) -> BreakdownFigures:
    """Members today of each direct sub-unit of `unit` (by="units") or of each sector."""
    open_now = _periods_under(unit).filter(held_on(today))
    if by == "sector":
        labels = dict(Sector.choices)
        pairs = [
            (str(labels.get(row["unit__sector"], row["unit__sector"])), row["n"])
            for row in open_now.values("unit__sector").annotate(n=Count("pk")).order_by()
        ]
        other = _("Other sectors")
    else:
        by_path = dict(
            open_now.values("unit__path")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("unit__path", "n")
        )
        children = list(
            Unit.objects.filter(parent=unit, dissolved__isnull=True).only(
                "name", "path", "level", "sector"
            )
        )
        # Hundreds of grassroots unions straight under a province would each be a short bar
        # and the rest one huge "other" bar: many of them are shown by sector instead.
        group = sum(c.level >= Level.GRASSROOTS for c in children) > CHART_BARS
        sectors = dict(Sector.choices)
        totals: dict[str, int] = {}
        for child in children:
            label = child.name
            if group and child.level >= Level.GRASSROOTS:
                label = _("Grassroots unions directly under · %(sector)s") % {
                    "sector": sectors.get(child.sector, child.sector)
                }
            count = sum(n for path, n in by_path.items() if path.startswith(child.path))
            totals[label] = totals.get(label, 0) + count
        pairs = list(totals.items())
        if own := by_path.get(unit.path, 0):
            pairs.append((unit.name, own))
        other = _("Other units")
    figures = BreakdownFigures(
        unit_name=unit.name,
        by=by,
        total=open_now.count(),
        bars=_bars(pairs, str(other)),
    )
    return figures


# Congress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeItem:
    session: Session
    ends: dt.datetime
    status: str  # "done", "now", "next", "later"


def _ends(session: Session, following: Session | None) -> dt.datetime:
    """When a session ends: its own end, else when the next one on the same day starts, else
    at the end of its day."""
    if session.ends_at:
        return session.ends_at
    day = timezone.localtime(session.starts_at).date()
    if following and timezone.localtime(following.starts_at).date() == day:
        return following.starts_at
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def programme(*, congress: Congress, now: dt.datetime) -> list[ProgrammeItem]:
    """The congress's sessions around `now`: what is on, what comes next, a few more."""
    sessions = list(Session.objects.filter(congress=congress).order_by("starts_at", "id"))
    items = []
    next_seen = False
    for index, session in enumerate(sessions):
        following = sessions[index + 1] if index + 1 < len(sessions) else None
        ends = _ends(session, following)
        if ends <= now:
            status = "done"
        elif session.starts_at <= now:
            status = "now"
        elif not next_seen:
            status, next_seen = "next", True
        else:
            status = "later"
        items.append(ProgrammeItem(session, ends, status))
    first = next(
        (i for i, item in enumerate(items) if item.status in ("now", "next")),
        max(0, len(items) - PROGRAMME_ROWS),
    )
    start = max(0, min(first - 1, len(items) - PROGRAMME_ROWS))
    return items[start : start + PROGRAMME_ROWS]


def current_session(*, congress: Congress, now: dt.datetime) -> Session | None:
    """The session on now; else the one that started last; else the first to come."""
    sessions = list(Session.objects.filter(congress=congress).order_by("starts_at", "id"))
    started = [s for s in sessions if s.starts_at <= now]
    return started[-1] if started else (sessions[0] if sessions else None)


# What one slide shows ----------------------------------------------------------------------


def slide_content(*, slide: Slide, now: dt.datetime) -> dict[str, Any]:
    """The figures of one slide of a playlist (the screen, not a user, is the authority:
    `playlist` only returns slides inside the screen's unit)."""
    today = timezone.localdate(now)
    # `playlist` leaves out a slide of these kinds without its unit or congress.
    if slide.kind == SlideKind.MEMBERSHIP and slide.unit is not None:
        return {"figures": membership_figures(unit=slide.unit, today=today)}
    if slide.kind == SlideKind.BREAKDOWN and slide.unit is not None:
        return {
            "figures": breakdown_figures(
                unit=slide.unit, by=slide.breakdown or "units", today=today
            )
        }
    if slide.kind == SlideKind.ATTENDANCE and slide.congress is not None:
        session = slide.session or current_session(congress=slide.congress, now=now)
        return {
            "congress": slide.congress,
            # The wall shows categories and the quorum; the per-delegation table is the
            # organisers' page.
            "figures": attendance_figures(session=session, delegations=False) if session else None,
        }
    if slide.kind == SlideKind.PROGRAMME and slide.congress is not None:
        return {"congress": slide.congress, "items": programme(congress=slide.congress, now=now)}
    return {}


# The officer's dashboard -------------------------------------------------------------------

DASHBOARD_UNITS = 3
DASHBOARD_CONGRESSES = 2


@dataclass
class Dashboard:
    units: list[MembershipFigures]
    attendance: list[Attendance]

    def __bool__(self) -> bool:
        return bool(self.units or self.attendance)


def dashboard(
    *,
    user: User,
    now: dt.datetime,
    figures: Callable[..., MembershipFigures] = membership_figures,
) -> Dashboard:
    """The screen's widgets for the officer's own scope: membership and its trend for each of
    the highest units they reach (the members app's "members by area" table gives the
    breakdown, with links), and the live attendance of congresses they organise that sit today."""
    today = timezone.localdate(now)
    units = [
        figures(unit=unit, today=today)
        for unit in scope.top_units(user).order_by("path")[:DASHBOARD_UNITS]
    ]
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    sitting = (
        scope.restrict(Congress.objects.all(), user, role=ROLE)
        .filter(
            sessions__starts_at__gte=day_start,
            sessions__starts_at__lt=day_start + dt.timedelta(days=1),
        )
        .distinct()
        .order_by("-created")[:DASHBOARD_CONGRESSES]
    )
    attendance = [
        attendance_figures(session=session, delegations=False)
        for congress in sitting
        if (session := current_session(congress=congress, now=now)) is not None
    ]
    return Dashboard(units=units, attendance=attendance)
