"""Shared by the member services: the profile fields, dates, locking, and the one writer of
membership events (`_apply`) that keeps the cached state and the periods in step."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members import lifecycle, signals
from unionhub.members.models import (
    Gender,
    Member,
    MembershipEvent,
    MembershipPeriod,
)

# Profile fields a registrar may set at admission and change later. `joined` (the union join
# date) is set at admission or recording and corrected on its own (member_update checks it
# against the date of birth); `unit` follows from transfers and is never edited directly.
PROFILE_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "id_kind",
    "id_number",
    "ethnicity",
    "religion",
    "nationality",
    "home_town",
    "address",
    "phone",
    "email",
    "education",
    "qualification",
    "political_theory",
    "occupation",
    "employer",
    "workplace",
    "admission_decision",
)


# Frozen once: the import checks every row with these (Choices.values builds a new list a call).
_PROFILE_FIELD_SET = frozenset(PROFILE_FIELDS)


_GENDERS = frozenset(Gender.values)


_DATE_FIELDS = {"birth_date"}


# What people type between a phone number's digits; what is left must be digits, after a +.
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_PHONE = re.compile(r"\+?\d+")


MIN_AGE_AT_ADMISSION = 15
# The earliest dates a member's record can hold: a date of birth before 1900 is a mistyped
# year, and nobody joined the Vietnamese trade union before it was founded, on 28 July 1929.
EARLIEST_BIRTH = dt.date(1900, 1, 1)
UNION_FOUNDED = dt.date(1929, 7, 28)
# How far ahead a transfer may be dated: a union's next year is planned, not the one after.
TRANSFER_HORIZON = dt.timedelta(days=366)


def _today() -> dt.date:
    return timezone.localdate()


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _actor(by: User) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("unit").get(pk=member.pk)


def _standing(member: Member) -> lifecycle.Standing:
    last = member.events.order_by("-date", "-id").values_list("date", flat=True).first()
    period = member.periods.filter(end__isnull=True).values_list("start", flat=True).first()
    return lifecycle.Standing(
        state=member.state,
        unit_id=member.unit_id,
        since=member.state_since,
        last_date=last,
        period_start=period,
    )


def _apply(
    member: Member,
    standing: lifecycle.Standing,
    event: lifecycle.Event,
    *,
    by: User,
    decision: str = "",
    reason: str = "",
    note: str = "",
) -> tuple[lifecycle.Standing, MembershipEvent]:
    """Record one event: check it, write it, move the periods and the cached state."""
    after = lifecycle.step(standing, event, today=_today())
    record = MembershipEvent.objects.create(
        member=member,
        kind=event.kind,
        date=event.date,
        unit_id=event.unit_id,
        other_unit_id=event.other_unit_id,
        reason=reason,
        reorganisation=event.reorganisation,
        decision=nfc(decision),
        note=nfc(note),
        by=_actor(by),
    )
    if standing.period_start is not None and after.period_start != standing.period_start:
        _close_period(member, event.date)
    if after.period_start is not None and after.period_start != standing.period_start:
        MembershipPeriod.objects.create(
            member=member, unit_id=lifecycle.unit_of(after), start=event.date
        )
    state, since, unit_id = lifecycle.settled(after)
    Member.objects.filter(pk=member.pk).update(
        state=state, state_since=since, unit_id=unit_id, updated=timezone.now()
    )
    member.state, member.state_since, member.unit_id = state, since, unit_id
    signals.membership_changed.send(sender=Member, member=member, event=record, by=by)
    return after, record


def _close_period(member: Member, end: dt.date) -> None:
    period = MembershipPeriod.objects.select_for_update().get(member=member, end__isnull=True)
    if end <= period.start:
        period.delete()  # closed on the day it opened: an empty stretch is no period at all
    else:
        period.end = end
        period.save(update_fields=["end"])
