"""Statistics of a unit's members today: by gender, age band, ethnicity, education, sector and
unit level; growth over time; cards issued; a completeness ranking of grassroots unions.

Unscoped: `reports.selectors` checks scope. Members are those holding an active membership in
a unit of the current subtree (what the registry shows today); growth counts the members of the
units now in the subtree on 31 December of each year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.core import scope
from unionhub.members.models import Gender, Member, MembershipPeriod, MemberState
from unionhub.members.selectors import held_on
from unionhub.orgs.models import Level, Sector, Unit
from unionhub.reports import cards_hook

AGE_BANDS = (
    (0, 30, gettext_lazy("under 30")),
    (30, 40, gettext_lazy("30–39")),
    (40, 50, gettext_lazy("40–49")),
    (50, 60, gettext_lazy("50–59")),
    (60, 200, gettext_lazy("60 and over")),
)
GROWTH_YEARS = 8


def active_members(unit: Unit) -> QuerySet[Member]:
    return Member.objects.filter(scope.subtree_q(unit.path, "unit"), state=MemberState.ACTIVE)


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _grouped(qs: QuerySet, field: str, labels: dict | None = None) -> list[tuple[str, int]]:
    rows = qs.values(field).annotate(n=Count("id")).order_by("-n", field)
    unknown = _("not recorded")
    return [
        (str(labels.get(row[field], row[field])) if labels else row[field] or unknown, row["n"])
        for row in rows
    ]


@dataclass
class Statistics:
    unit: Unit
    total: int
    women: int
    by_gender: list[tuple[str, int]]
    by_age: list[tuple[str, int]]
    by_ethnicity: list[tuple[str, int]] | None
    by_education: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    growth: list[tuple[str, int]]
    cards: list[tuple[str, int, int]] | None  # (year, issued, re-issued)


def statistics(*, unit: Unit, with_ethnicity: bool) -> Statistics:
    today = timezone.localdate()
    members = active_members(unit)
    whens = [
        When(
            birth_date__gt=_years_ago(today, high),
            birth_date__lte=_years_ago(today, low),
            then=Value(str(label)),
        )
        for low, high, label in AGE_BANDS
    ]
    by_age_raw = dict(
        members.annotate(band=Case(*whens, default=Value(""), output_field=CharField()))
        .values("band")
        .annotate(n=Count("id"))
        .values_list("band", "n")
    )
    by_age = [(str(label), by_age_raw.get(str(label), 0)) for _lo, _hi, label in AGE_BANDS]
    if by_age_raw.get(""):
        by_age.append((_("not recorded"), by_age_raw[""]))
    units = Unit.objects.filter(scope.subtree_q(unit.path))
    growth = []
    for year in range(today.year - GROWTH_YEARS + 1, today.year + 1):
        day = min(dt.date(year, 12, 31), today)
        count = MembershipPeriod.objects.filter(held_on(day), unit__in=units).count()
        growth.append((str(year) if day.year < today.year else f"{day:%d/%m/%Y}", count))
    cards = None
    if cards_hook.available():
        per_year = cards_hook.issued_per_year(units, first_year=today.year - GROWTH_YEARS + 1)
        cards = [
            (str(year), *per_year.get(year, (0, 0)))
            for year in range(today.year - GROWTH_YEARS + 1, today.year + 1)
        ]
    return Statistics(
        unit=unit,
        total=members.count(),
        women=members.filter(gender=Gender.FEMALE).count(),
        by_gender=_grouped(members, "gender", dict(Gender.choices)),
        by_age=by_age,
        by_ethnicity=_grouped(members, "ethnicity") if with_ethnicity else None,
        by_education=_grouped(members, "education"),
        by_sector=_grouped(members, "unit__sector", dict(Sector.choices)),
        by_level=_grouped(members, "unit__level", dict(Level.choices)),
        growth=growth,
        cards=cards,
    )


@dataclass
class RankedUnit:
    unit: Unit
    members: int
    complete: int
    with_photo: int
    with_card: int | None

    def share(self, part: int | None) -> float | None:
        if part is None:
            return None
        return round(100 * part / self.members, 1) if self.members else 0.0

    @property
    def complete_share(self) -> float | None:
        return self.share(self.complete)

    @property
    def photo_share(self) -> float | None:
        return self.share(self.with_photo)

    @property
    def card_share(self) -> float | None:
        return self.share(self.with_card)


def completeness_ranking(*, unit: Unit) -> list[RankedUnit]:
    """Grassroots unions of the subtree, best first: share of complete profiles, then with photo,
    then with a valid card. One GROUP BY over the active members."""
    members = active_members(unit)
    annotations = {
        "n": Count("id"),
        "complete": Count("id", filter=Q(completeness__gte=100)),
        "photo": Count("id", filter=~Q(photo="")),
    }
    valid_card = cards_hook.valid_card_exists(OuterRef("pk"))
    if valid_card is not None:
        members = members.annotate(has_card=Exists(valid_card))
        annotations["card"] = Count("id", filter=Q(has_card=True))
    # The checker types values() rows from the names it can see; the counts come in through
    # **annotations (the card count only when the cards app answers), so it cannot know them.
    rows = cast(
        "list[dict[str, Any]]",
        list(members.values("unit_id").annotate(**annotations).order_by()),
    )
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
    ranked = [
        RankedUnit(
            unit=units[r["unit_id"]],
            members=r["n"],
            complete=r["complete"],
            with_photo=r["photo"],
            with_card=r.get("card"),
        )
        for r in rows
    ]
    ranked.sort(
        key=lambda r: (
            -r.complete / r.members,
            -r.with_photo / r.members,
            -(r.with_card or 0) / r.members,
            r.unit.sort_key,
        )
    )
    return ranked
