"""Demo members with their history since 2018, written in bulk (DESIGN §1 sizes at 70,000).

`--members 70000` gives ≈72,059 members holding membership on 30 June 2025 in the 1,473
grassroots unions, ≈37,253 of them in the 442 unions that move under the province (enterprises
and provincial institutions: the big ones). Every history is a list of membership events folded
by the same engine the services use (`members.lifecycle.replay`), so the cached state and the
membership periods are what the services would have written; rows go in with bulk_create, as
per-member service calls would take an hour at this size.

The history is written in two halves around the 1 July 2025 reorganisation: up to 30 June 2025
before `province.reorganise` runs (its merges move members through the registry's receiver),
then admissions, transfers and leavers after it, in the units as they are after.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from unionhub.audit.models import AuditEvent
from unionhub.core.text import fold, name_sort_key, split_full_name
from unionhub.core.types import User
from unionhub.demo.data import Weighted, rows
from unionhub.demo.province import REORGANISATION, Province, moves_to_province
from unionhub.members import lifecycle
from unionhub.members.identity import PROVINCE_CODES
from unionhub.members.models import (
    HOLDING_STATES,
    EventKind,
    Gender,
    IdKind,
    LeaveReason,
    Member,
    MembershipEvent,
    MembershipPeriod,
    MemberState,
)
from unionhub.orgs.models import Level, Unit

# DESIGN §1: members on 30 June 2025, all unions and the 442 moving under the province.
HOLDING_AT_REORGANISATION = 72_059
IN_DIRECT_UNIONS = 37_253
SCALE_BASE = 70_000
HISTORY_FROM = dt.date(2018, 1, 1)
EVE = REORGANISATION - dt.timedelta(days=1)

# Yearly rates of the flows, roughly what federations report.
FORMER_SHARE = 0.16  # members who left, retired or died between 2018 and the reorganisation
TRANSFERRED_SHARE = 0.05  # holding members who came from another union since 2018
SUSPENDED_NOW = 0.003
SUSPENDED_AND_RESUMED = 0.008
AFTER_ADMITTED = 0.025  # share of the roll admitted since 1 July 2025
# The "books open" campaign (the seed's headline: every union entered all its existing members):
# a share of the grassroots unions first entered their list in the first half of 2025, recording
# the members they had (union join dates from long before) instead of admitting them; since
# 1 July 2025 the new commune unions record the existing members they hold directly.
BOOKS_OPENED_IN_2025 = 0.15
BOOKS_OPEN_H1 = (dt.date(2025, 1, 2), dt.date(2025, 6, 15))
COMMUNE_RECORDED = 0.01  # share of the roll recorded by the commune unions since 1 July 2025
AFTER_LEAVING = 0.015
AFTER_TRANSFERRED = 0.004
PHOTO_SHARE = 0.86
PLACEHOLDERS = 12

_FEMALE_SHARE = {
    "garment": 0.82,
    "kindergarten": 0.97,
    "primary_school": 0.85,
    "lower_secondary_school": 0.75,
    "primary_lower_secondary_school": 0.8,
    "upper_secondary_school": 0.65,
    "commune_health_station": 0.7,
    "district_health_centre": 0.65,
    "district_hospital": 0.65,
    "construction": 0.15,
    "utility": 0.3,
    "fishing_union": 0.1,
    "motorbike_taxi_union": 0.05,
}
_OCCUPATION = {
    "school": "Giáo viên",
    "kindergarten": "Giáo viên mầm non",
    "health": "Điều dưỡng",
    "hospital": "Bác sĩ",
    "office": "Công chức",
    "department": "Công chức",
    "agency": "Công chức",
    "service_unit": "Viên chức",
    "provincial_agency": "Viên chức",
    "bank": "Nhân viên ngân hàng",
    "garment": "Công nhân may",
    "construction": "Công nhân xây dựng",
    "fishing": "Ngư dân",
    "motorbike": "Lái xe",
    "cooperative": "Xã viên",
    "credit_fund": "Nhân viên tín dụng",
}
_QUALIFICATION = Weighted(
    ["Đại học", "Cao đẳng", "Trung cấp", "Công nhân kỹ thuật", "Thạc sĩ", ""],
    [34, 14, 16, 20, 4, 12],
)
_EDUCATION = Weighted(["12/12", "9/12", "10/10"], [88, 10, 2])
_POLITICAL = Weighted(["", "Sơ cấp", "Trung cấp", "Cao cấp"], [55, 30, 13, 2])
_FOREIGN = Weighted(["Hàn Quốc", "Trung Quốc", "Đài Loan (Trung Quốc)", "Nhật Bản"], [4, 3, 2, 1])


@dataclass
class Names:
    family: Weighted
    middle: dict[str, Weighted]
    given: dict[str, Weighted]
    ethnicity: Weighted
    religion: Weighted
    communes: list[tuple[str, str]]

    @classmethod
    def load(cls) -> Names:
        districts = {
            r["code"]: r["name"].removeprefix("Liên đoàn Lao động ")
            for r in rows("hatinh_districts.tsv")
        }
        return cls(
            family=Weighted.from_file("family_names.tsv"),
            middle={
                Gender.MALE: Weighted.from_file("middle_names_male.tsv"),
                Gender.FEMALE: Weighted.from_file("middle_names_female.tsv"),
            },
            given={
                Gender.MALE: Weighted.from_file("given_names_male.tsv"),
                Gender.FEMALE: Weighted.from_file("given_names_female.tsv"),
            },
            ethnicity=Weighted.from_file("ethnicities.tsv"),
            religion=Weighted.from_file("religions.tsv"),
            communes=[
                (r["commune_name"], districts[r["district_code"]])
                for r in rows("hatinh_communes.tsv")
            ],
        )


@dataclass
class Plan:
    """One member to write: the unsaved row and the events of their life, in order."""

    member: Member
    events: list[tuple[str, dt.date, int, int | None, str]] = field(default_factory=list)


class Generator:
    def __init__(self, *, rng: random.Random, by: User, log: Callable[[str], None]) -> None:
        self.rng = rng
        self.by = by
        self.log = log
        self.names = Names.load()
        self.documents: set[str] = set(
            Member.objects.exclude(id_number="").values_list("id_number", flat=True)
        )
        self.placeholders = _placeholder_photos(rng)
        self.today = timezone.localdate()

    # People -------------------------------------------------------------------------------

    def _gender(self, category: str) -> str:
        share = _FEMALE_SHARE.get(category, 0.5)
        return Gender.FEMALE if self.rng.random() < share else Gender.MALE

    def _document(self, gender: str, birth: dt.date) -> tuple[IdKind, str]:
        rng = self.rng
        if birth.year < 1975 and rng.random() < 0.03:
            kind, make = IdKind.CMND, lambda: f"18{rng.randrange(10**7):07d}"
        else:
            province = "042" if rng.random() < 0.88 else rng.choice(sorted(PROVINCE_CODES))
            digit = (0 if birth.year < 2000 else 2) + (gender == Gender.FEMALE)
            kind = IdKind.CCCD
            make = lambda: f"{province}{digit}{birth.year % 100:02d}{rng.randrange(10**6):06d}"  # noqa: E731
        while (number := make()) in self.documents:
            pass
        self.documents.add(number)
        return kind, number

    def person(
        self,
        unit: Unit,
        category: str,
        *,
        earliest_join: dt.date,
        latest_join: dt.date,
        foreign: bool = False,
        elsewhere: bool = False,
    ) -> Member:
        """A person joining the union between `earliest_join` and `latest_join`, in `unit`
        (not before its founding) or, `elsewhere`, at an earlier workplace (any day)."""
        rng, names = self.rng, self.names
        gender = self._gender(category)
        birth = dt.date(rng.randint(1966, 2003), rng.randint(1, 12), rng.randint(1, 28))
        floor = earliest_join if elsewhere else max(earliest_join, unit.founded)
        earliest = max(floor, dt.date(birth.year + 18, birth.month, 1))
        if earliest > latest_join:
            birth = dt.date(
                latest_join.year - rng.randint(19, 30), rng.randint(1, 12), rng.randint(1, 28)
            )
            earliest = max(floor, dt.date(birth.year + 18, birth.month, 1))
        span = max(0, (latest_join - earliest).days)
        joined = earliest + dt.timedelta(days=int(span * rng.random() ** 0.8))
        if foreign:
            full_name = rng.choice(
                [
                    "Kim Min Jun",
                    "Lee Ji Hoon",
                    "Park Seo Yeon",
                    "Wang Wei",
                    "Chen Jie",
                    "Lin Yu Ting",
                    "Sato Haruto",
                ]
            )
            kind, number = IdKind.PASSPORT, f"M{rng.randrange(10**7):07d}"
            nationality, ethnicity, religion = _FOREIGN.draw(rng), "", ""
        else:
            middle = names.middle[gender].draw(rng)
            if rng.random() < 0.12:
                middle = f"{middle} {names.middle[gender].draw(rng)}"
            full_name = f"{names.family.draw(rng)} {middle} {names.given[gender].draw(rng)}"
            kind, number = self._document(gender, birth)
            nationality, ethnicity, religion = (
                "Việt Nam",
                names.ethnicity.draw(rng),
                names.religion.draw(rng),
            )
        commune, district = rng.choice(names.communes)
        employer = unit.name.removeprefix("Công đoàn ")
        member = Member(
            unit=unit,
            full_name=full_name,
            birth_date=birth,
            gender=gender,
            id_kind=kind,
            id_number=number if rng.random() > 0.01 else "",
            ethnicity=ethnicity if rng.random() > 0.04 else "",
            religion=religion if rng.random() > 0.06 else "",
            nationality=nationality,
            home_town=f"{commune}, {district}" if rng.random() > 0.08 else "",
            address=f"Thôn {rng.randint(1, 12)}, {commune}, {district}"
            if rng.random() > 0.1
            else "",
            phone=f"09{rng.randrange(10**8):08d}" if rng.random() > 0.07 else "",
            education=_EDUCATION.draw(rng) if rng.random() > 0.05 else "",
            qualification=_QUALIFICATION.draw(rng),
            political_theory=_POLITICAL.draw(rng),
            occupation=_occupation(category) if rng.random() > 0.05 else "",
            employer=employer,
            workplace=employer if rng.random() > 0.05 else "",
            joined=joined,
            admission_decision=f"{rng.randint(1, 199)}/QĐ-CĐCS" if rng.random() > 0.3 else "",
            state=MemberState.ACTIVE,
            state_since=joined,
        )
        if rng.random() < PHOTO_SHARE:
            member.photo, member.photo_thumb = rng.choice(self.placeholders[gender])
        family, middle_name, given = split_full_name(full_name)
        member.family_name, member.middle_name, member.given_name = family, middle_name, given
        member.name_folded = fold(full_name)
        member.sort_key = name_sort_key(full_name)
        return member

    def _day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # Before the reorganisation ------------------------------------------------------------

    def before(self, province: Province, total: int) -> int:
        """Members and their events up to 30 June 2025."""
        rng = self.rng
        planned = [p for p in province.grassroots if p.unit is not None]
        direct = [p for p in planned if moves_to_province(p)]
        local = [p for p in planned if not moves_to_province(p)]
        in_direct = round(total * IN_DIRECT_UNIONS / HOLDING_AT_REORGANISATION)
        sizes: dict[int, int] = {}
        for group, count in [(direct, in_direct), (local, total - in_direct)]:
            # Union sizes are skewed: a few big employers, many small unions (at least 5).
            weights = [rng.lognormvariate(0, 0.9 if group is local else 1.2) for _ in group]
            # A union needs five members; a small demo (`--members 5000`) cannot give every one.
            floor = max(1, min(5, count // (2 * len(group))))
            scale = max(0, count - floor * len(group)) / sum(weights)
            for item, weight in zip(group, weights, strict=True):
                sizes[item.founded_unit.pk] = floor + int(weight * scale)
            short = count - sum(sizes[i.founded_unit.pk] for i in group)
            for index in range(max(0, short)):
                sizes[group[index % len(group)].founded_unit.pk] += 1
        plans: list[Plan] = []
        units = [p.founded_unit for p in planned]
        category = {p.founded_unit.pk: p.category for p in planned}
        recorded = 0
        for item in planned:
            unit = item.founded_unit
            holding = [
                self._holding_life(unit, item.category, units, category)
                for _ in range(sizes[unit.pk])
            ]
            if rng.random() < BOOKS_OPENED_IN_2025:
                recorded += self._open_books(unit, holding, self._day_between(*BOOKS_OPEN_H1))
            plans += holding
            formers = int(sizes[unit.pk] * FORMER_SHARE * rng.uniform(0.6, 1.4))
            for _ in range(formers):
                plans.append(self._former_life(unit, item.category))
        self._write(plans)
        holding_count = sum(1 for p in plans if p.member.state in HOLDING_STATES)
        self.log(
            f"  members to 30/06/2025: {len(plans)} people, {holding_count} holding membership "
            f"({sum(sizes[p.founded_unit.pk] for p in direct)} in the {len(direct)} unions moving "
            f"under the province; {recorded} recorded when their union's books opened in 2025)"
        )
        return holding_count

    @staticmethod
    def _open_books(unit: Unit, plans: list[Plan], day: dt.date) -> int:
        """The union enters its list on `day`: the members it held with no other event in the
        registry are recorded then, their union join dates kept; returns how many."""
        count = 0
        for plan in plans:
            if (
                len(plan.events) == 1
                and plan.member.unit_id == unit.pk
                and plan.member.joined < day
            ):
                plan.events[0] = (EventKind.RECORDED, day, unit.pk, None, "")
                count += 1
        return count

    def _holding_life(self, unit: Unit, category: str, units: list[Unit], categories: dict) -> Plan:
        rng = self.rng
        roll = rng.random()
        came_from = None
        if roll < TRANSFERRED_SHARE:
            came_from = rng.choice(units)
            if came_from.pk == unit.pk or came_from.founded > dt.date(2017, 1, 1):
                came_from = None
        first_unit = came_from or unit
        latest = EVE - dt.timedelta(days=60) if came_from else EVE
        earliest = dt.date(1993, 1, 1) if rng.random() < 0.72 else HISTORY_FROM
        member = self.person(
            first_unit,
            categories.get(first_unit.pk, category) if came_from else category,
            earliest_join=earliest,
            latest_join=latest,
        )
        plan = Plan(member, [(EventKind.ADMITTED, member.joined, first_unit.pk, None, "")])
        last = member.joined
        if came_from:
            day = self._day_between(
                max(last + dt.timedelta(days=1), HISTORY_FROM), EVE - dt.timedelta(days=30)
            )
            if day > last:
                plan.events += [
                    (EventKind.TRANSFERRED_OUT, day, came_from.pk, unit.pk, ""),
                    (EventKind.TRANSFERRED_IN, day, unit.pk, came_from.pk, ""),
                ]
                last = day
            else:
                plan.events[0] = (EventKind.ADMITTED, member.joined, unit.pk, None, "")
            member.unit = unit
        roll = rng.random()
        if roll < SUSPENDED_AND_RESUMED + SUSPENDED_NOW:
            start = max(last + dt.timedelta(days=1), HISTORY_FROM)
            suspended = self._day_between(start, EVE - dt.timedelta(days=10))
            if suspended > last:
                plan.events.append((EventKind.SUSPENDED, suspended, unit.pk, None, ""))
                resumed = suspended + dt.timedelta(days=rng.randint(60, 360))
                if roll < SUSPENDED_AND_RESUMED and resumed <= EVE:
                    plan.events.append((EventKind.RESUMED, resumed, unit.pk, None, ""))
        return plan

    def _former_life(self, unit: Unit, category: str) -> Plan:
        rng = self.rng
        member = self.person(
            unit,
            category,
            earliest_join=dt.date(1993, 1, 1),
            latest_join=EVE - dt.timedelta(days=90),
        )
        plan = Plan(member, [(EventKind.ADMITTED, member.joined, unit.pk, None, "")])
        day = self._day_between(max(member.joined + dt.timedelta(days=30), HISTORY_FROM), EVE)
        old = member.birth_date is not None and member.birth_date.year <= 1970
        roll = rng.random()
        if old and roll < 0.55:
            plan.events.append((EventKind.RETIRED, day, unit.pk, None, ""))
            if rng.random() < 0.08:
                plan.events.append(
                    (EventKind.DECEASED, self._day_between(day, EVE), unit.pk, None, "")
                )
        elif roll < 0.04:
            plan.events.append((EventKind.DECEASED, day, unit.pk, None, ""))
        else:
            reason = rng.choices(
                [
                    LeaveReason.JOB_ENDED,
                    LeaveReason.RESIGNED,
                    LeaveReason.STRUCK_OFF,
                    LeaveReason.EXPELLED,
                    LeaveReason.OTHER,
                ],
                [70, 18, 8, 1, 3],
            )[0]
            plan.events.append((EventKind.LEFT, day, unit.pk, None, reason))
        return plan

    # After the reorganisation -------------------------------------------------------------

    def after(self, total: int) -> None:
        """Admissions, transfers and leavers from 2 July 2025 until today, in today's units."""
        rng = self.rng
        start = REORGANISATION + dt.timedelta(days=1)
        if self.today <= start:
            return
        units = list(
            Unit.objects.filter(dissolved__isnull=True, level__gte=Level.GRASSROOTS).order_by("pk")
        )
        if not units:
            return
        plans = []
        for _ in range(round(total * AFTER_ADMITTED)):
            unit = rng.choice(units)
            foreign = unit.sector == "enterprise" and rng.random() < 0.08
            member = self.person(
                unit,
                "company" if unit.sector == "enterprise" else "",
                earliest_join=start,
                latest_join=self.today,
                foreign=foreign,
            )
            plans.append(Plan(member, [(EventKind.ADMITTED, member.joined, unit.pk, None, "")]))
        self._write(plans)
        holding = list(
            Member.objects.filter(state=MemberState.ACTIVE, joined__lt=start)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = rng.sample(
            holding, min(len(holding), round(total * (AFTER_LEAVING + AFTER_TRANSFERRED)))
        )
        leaving = chosen[: round(total * AFTER_LEAVING)]
        moving = chosen[len(leaving) :]
        events: list[tuple[int, str, dt.date, int | None, str]] = []
        for pk in leaving:
            kind = rng.choices(
                [EventKind.LEFT, EventKind.RETIRED, EventKind.DECEASED], [70, 27, 3]
            )[0]
            reason = LeaveReason.JOB_ENDED if kind == EventKind.LEFT else ""
            events.append((pk, kind, self._day_between(start, self.today), None, reason))
        for pk in moving:
            events.append(
                (
                    pk,
                    EventKind.TRANSFERRED_OUT,
                    self._day_between(start, self.today),
                    rng.choice(units).pk,
                    "",
                )
            )
        self._append_events(events)
        recorded = self._commune_books(total)
        self.log(
            f"  members since 01/07/2025: {len(plans)} admitted, {recorded} recorded by the "
            f"commune unions, {len(leaving)} left, retired or died, {len(moving)} transferred"
        )

    def _commune_books(self, total: int) -> int:
        """The commune unions founded on 1 July 2025 open their books: each records the
        existing members it holds directly (who joined the union at earlier workplaces, long
        before the commune union existed), on a day of its first three months."""
        communes = list(
            Unit.objects.filter(
                founded=REORGANISATION,
                level=Level.DIRECT_UPPER,
                dissolved__isnull=True,
            ).order_by("pk")
        )
        if not communes:
            return 0
        plans = []
        latest_books = min(self.today, REORGANISATION + dt.timedelta(days=90))
        for index in range(round(total * COMMUNE_RECORDED)):
            unit = communes[index % len(communes)]
            member = self.person(
                unit,
                "",
                earliest_join=dt.date(1992, 1, 1),
                latest_join=dt.date(2019, 12, 31),
                elsewhere=True,
            )
            books = self._day_between(REORGANISATION, latest_books)
            plans.append(Plan(member, [(EventKind.RECORDED, books, unit.pk, None, "")]))
        self._write(plans)
        return len(plans)

    def _append_events(self, wanted: list[tuple[int, str, dt.date, int | None, str]]) -> None:
        """Record one more event for each (member, kind, date, other unit, reason), folding it
        onto the member's current standing with the lifecycle engine."""
        members = Member.objects.in_bulk([pk for pk, *_ in wanted])
        last_dates = dict(
            MembershipEvent.objects.filter(member_id__in=members)
            .order_by("member_id", "date")
            .values_list("member_id", "date")
        )
        open_periods = {
            p.member_id: p
            for p in MembershipPeriod.objects.filter(member_id__in=members, end__isnull=True)
        }
        new_events, new_periods, closed, changed = [], [], [], []
        actor = self.by if getattr(self.by, "is_authenticated", False) else None
        for pk, kind, day, other, reason in wanted:
            member = members[pk]
            period = open_periods.get(pk)
            standing = lifecycle.Standing(
                state=member.state,
                unit_id=member.unit_id,
                since=member.state_since,
                last_date=last_dates.get(pk),
                period_start=period.start if period else None,
            )
            if member.unit_id is None:  # no event yet: nothing to fold the new one onto
                continue
            steps = [lifecycle.Event(kind, day, member.unit_id, other)]
            if kind == EventKind.TRANSFERRED_OUT:
                if other is None or other == member.unit_id:
                    continue
                steps.append(lifecycle.Event(EventKind.TRANSFERRED_IN, day, other, member.unit_id))
            try:
                after = standing
                for step in steps:
                    after = lifecycle.step(after, step)
            except Exception:  # the drawn date falls before this member's last event: skip them
                continue
            for step in steps:
                new_events.append(
                    MembershipEvent(
                        member=member,
                        kind=step.kind,
                        date=step.date,
                        unit_id=step.unit_id,
                        other_unit_id=step.other_unit_id,
                        reason=reason,
                        by=actor,
                    )
                )
            if period is not None and day > period.start:
                period.end = day
                closed.append(period)
            if after.period_start is not None:
                new_periods.append(
                    MembershipPeriod(member=member, unit_id=lifecycle.unit_of(after), start=day)
                )
            member.state, member.state_since, member.unit_id = lifecycle.settled(after)
            changed.append(member)
        MembershipEvent.objects.bulk_create(new_events, batch_size=2000)
        MembershipPeriod.objects.bulk_update(closed, ["end"], batch_size=1000)
        MembershipPeriod.objects.bulk_create(new_periods, batch_size=2000)
        Member.objects.bulk_update(changed, ["state", "state_since", "unit"], batch_size=1000)

    # Writing ------------------------------------------------------------------------------

    def _write(self, plans: list[Plan]) -> None:
        """Fold each plan's events, then insert members, events, periods and audit rows (the
        one member_admit or member_record writes, by the plan's first event)."""
        actor = self.by if getattr(self.by, "is_authenticated", False) else None
        events, periods = [], []
        for plan in plans:
            folded = [
                lifecycle.Event(k, day, unit, other) for k, day, unit, other, _r in plan.events
            ]
            standing, stretches = lifecycle.replay(folded)
            member = plan.member
            member.state, member.state_since, member.unit_id = lifecycle.settled(standing)
            member.completeness = member.compute_completeness()
            events.append(plan.events)
            periods.append(stretches)
        with transaction.atomic():
            members = [plan.member for plan in plans]
            _insert(Member, members)
            _insert(
                MembershipEvent,
                [
                    MembershipEvent(
                        member=member,
                        kind=kind,
                        date=day,
                        unit_id=unit,
                        other_unit_id=other,
                        reason=reason,
                        by=actor,
                    )
                    for member, history in zip(members, events, strict=True)
                    for kind, day, unit, other, reason in history
                ],
            )
            _insert(
                MembershipPeriod,
                [
                    MembershipPeriod(member=member, unit_id=p.unit_id, start=p.start, end=p.end)
                    for member, stretches in zip(members, periods, strict=True)
                    for p in stretches
                ],
            )
            member_type = ContentType.objects.get_for_model(Member)
            _insert(
                AuditEvent,
                [
                    AuditEvent(
                        actor=actor,
                        action=_ACTIONS[history[0][0]],
                        target_type=member_type,
                        target_id=str(member.pk),
                        target_repr=member.full_name[:300],
                        data={"demo": True},
                    )
                    for member, history in zip(members, events, strict=True)
                ],
            )


_ACTIONS: dict[str, str] = {
    EventKind.ADMITTED: "members.member.admitted",
    EventKind.RECORDED: "members.member.recorded",
}


def _insert(model, objects: list) -> None:
    """INSERT with executemany and ids chosen here: Django's bulk_create spends most of its time
    compiling SQL (≈10,000 rows/s, DESIGN §6); this path is several times faster, which is what
    keeps `--members 70000` under five minutes. Sequences are moved past the ids afterwards."""
    if not objects:
        return
    table = model._meta.db_table
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk.column)}) FROM {table}")
        next_id = (cursor.fetchone()[0] or 0) + 1
    for offset, obj in enumerate(objects):
        obj.pk = next_id + offset
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), 5000):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    for obj in objects[start : start + 5000]
                ],
            )
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def _occupation(category: str) -> str:
    for key, occupation in _OCCUPATION.items():
        if key in category:
            return occupation
    return "Công nhân"


def _placeholder_photos(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """A few drawn portraits shared by the demo members (one file each, not 60,000)."""
    result: dict[str, list[tuple[str, str]]] = {Gender.MALE: [], Gender.FEMALE: []}
    for index in range(PLACEHOLDERS):
        gender = Gender.FEMALE if index % 2 else Gender.MALE
        background = (rng.randint(150, 230), rng.randint(170, 230), rng.randint(200, 250))
        image = Image.new("RGB", (600, 800), background)
        draw = ImageDraw.Draw(image)
        skin = (rng.randint(200, 235), rng.randint(160, 200), rng.randint(130, 170))
        draw.ellipse(
            (80, 560, 520, 1100), fill=(40, 60, 110) if gender == Gender.MALE else (150, 40, 70)
        )
        draw.ellipse((190, 180, 410, 460), fill=skin)
        hair = (30, 25, 20)
        if gender == Gender.FEMALE:
            draw.ellipse((170, 150, 430, 330), fill=hair)
            draw.rectangle((170, 240, 210, 520), fill=hair)
            draw.rectangle((390, 240, 430, 520), fill=hair)
        else:
            draw.ellipse((185, 160, 415, 290), fill=hair)
        names = []
        for size, folder in [((600, 800), "photos"), ((150, 200), "thumbs")]:
            out = io.BytesIO()
            image.resize(size).save(out, format="JPEG", quality=80)
            names.append(
                default_storage.save(
                    f"members/demo/{folder}/portrait-{index:02d}.jpg", ContentFile(out.getvalue())
                )
            )
        result[gender].append((names[0], names[1]))
    return result


def populate_before(
    *, province: Province, members: int, rng: random.Random, by: User, log
) -> Generator:
    generator = Generator(rng=rng, by=by, log=log)
    generator.before(province, round(members * HOLDING_AT_REORGANISATION / SCALE_BASE))
    return generator


def populate_after(*, generator: Generator, members: int) -> None:
    generator.after(round(members * HOLDING_AT_REORGANISATION / SCALE_BASE))


PENDING_TRANSFERS = 6


def pending_transfers(*, rng: random.Random, by: User, log: Callable[[str], None]) -> None:
    """A few transfers asked for by the sending union and waiting for the receiving one: the
    unions of the demo's grassroots officers (coso…), so their home page has them to do."""
    from unionhub.members import services
    from unionhub.orgs.models import RoleAssignment

    receivers = list(
        Unit.objects.filter(
            pk__in=RoleAssignment.objects.filter(
                user__username__startswith="coso", unit__dissolved__isnull=True
            ).values("unit")
        ).order_by("path")
    )
    if not receivers:
        return
    movers = list(
        Member.objects.filter(state=MemberState.ACTIVE)
        .exclude(unit__in=receivers)
        .order_by("pk")[: PENDING_TRANSFERS * 20]
    )
    today = timezone.localdate()
    made = 0
    for member in rng.sample(movers, min(PENDING_TRANSFERS, len(movers))):
        services.transfer_request(
            member=member, to_unit=receivers[made % len(receivers)], effective=today, by=by
        )
        made += 1
    log(f"  {made} transfers waiting for the receiving union")
