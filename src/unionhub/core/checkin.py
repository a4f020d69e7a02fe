"""Checking people in at a door, for every app that runs one (congress sessions, training
sessions): a pass scanned or a name picked at a station, or a station's offline queue uploaded,
makes at most one check-in per person and door, and the station is told why when it does not.

An app describes its door as a `Desk`: what a scanned token names (and whether that pass still
admits), who a holder id names, whether the holder is in already, and how a check-in is
written. The flow around it (the answer for a repeated scan, the race between two stations,
the clock of an offline station) is here, written once. The station's page and script are
core/templates/core/_station.html and core/static/core/station.js; their JSON, core/station.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.core.errors import DomainError
from unionhub.core.types import User

H = TypeVar("H")

# A station's clock may be wrong; a check-in it queued is believed back to this far, and is
# dated when it reaches the server otherwise.
MAX_OFFLINE_DRIFT = dt.timedelta(days=2)


class ScanStatus(models.TextChoices):
    """The outcome of a scan, as the station's page and its offline upload receive it."""

    CHECKED_IN = "checked_in", gettext_lazy("Checked in")
    ALREADY = "already", gettext_lazy("Already checked in")
    REFUSED = "refused", gettext_lazy("Refused")


class CheckInSource(models.TextChoices):
    SCAN = "scan", gettext_lazy("Card scanned")
    MANUAL = "manual", gettext_lazy("Manual")
    OFFLINE = "offline", gettext_lazy("Uploaded by an offline station")


@dataclass(frozen=True)
class Present:
    """A holder's check-in at a door, as much of it as a station's answer shows."""

    checkin_id: int
    at: dt.datetime


@dataclass
class ScanResult(Generic[H]):
    status: ScanStatus
    message: str
    code: str = ""
    holder: H | None = None
    checkin_id: int | None = None
    at: dt.datetime | None = None


class Desk(Protocol[H]):
    """One door (a session of an app) and its rules. Its methods raise DomainError to refuse,
    with the code and message the station shows. Callers have checked the station's scope."""

    def by_token(self, token: str) -> tuple[H, Present | None]:
        """The holder a genuine, current pass names, and their check-in here, if any."""
        ...

    def by_id(self, pk: int) -> tuple[H, Present | None]:
        """The holder `pk` names at this door (a name picked at a station)."""
        ...

    def present(self, holder: H) -> Present | None:
        """The holder's check-in here, if any."""
        ...

    def record(
        self, holder: H, *, at: dt.datetime, source: CheckInSource, station: str, by: User
    ) -> Present | None:
        """Write the check-in and its audit row in one transaction; None when another
        station's check-in of the holder came first."""
        ...


def already(present: Present, holder: H) -> ScanResult[H]:
    at = timezone.localtime(present.at).strftime("%H:%M")
    return ScanResult(
        ScanStatus.ALREADY,
        _("Already checked in at %(time)s.") % {"time": at},
        "already_checked_in",
        holder,
        present.checkin_id,
        present.at,
    )


def refused(error: DomainError) -> ScanResult[Any]:
    return ScanResult(ScanStatus.REFUSED, str(error.message), error.code)


def check_in(
    desk: Desk[H],
    holder: H,
    present: Present | None,
    *,
    by: User,
    source: CheckInSource,
    station: str,
    at: dt.datetime | None = None,
) -> ScanResult[H]:
    """Check `holder` in unless `present` (read with the holder, outside any transaction)
    shows a check-in already: a repeated scan answers without taking SQLite's write lock."""
    if present is not None:
        return already(present, holder)
    recorded = desk.record(holder, at=at or timezone.now(), source=source, station=station, by=by)
    if recorded is None:
        # Another station won the race: its check-in is the one to report.
        winner = desk.present(holder)
        if winner is None:  # and it was undone meanwhile
            raise DomainError(
                "checkin_conflict",
                _("Another station changed this check-in at the same moment; scan again."),
            )
        return already(winner, holder)
    return ScanResult(
        ScanStatus.CHECKED_IN,
        _("Checked in."),
        "checked_in",
        holder,
        recorded.checkin_id,
        recorded.at,
    )


def scan(desk: Desk[H], token: str, *, by: User, station: str = "") -> ScanResult[H]:
    """Check in the holder of a scanned pass; a refused pass says why. Idempotent: a pass
    scanned twice, or by two stations at once, makes one check-in."""
    try:
        holder, present = desk.by_token(token)
        return check_in(desk, holder, present, by=by, source=CheckInSource.SCAN, station=station)
    except DomainError as error:
        return refused(error)


def upload(
    desk: Desk[H],
    items: Iterable[dict[str, Any]],
    *,
    holder_key: str,
    by: User,
    station: str = "",
) -> list[ScanResult[H]]:
    """Check-ins a station recorded while offline. Each item holds the pass `token` (checked
    again here: the station's own check is not trusted) or, for a check-in by name, the
    holder's id under `holder_key`, and `at`, the moment the station recorded it. A holder
    checked in already keeps the first check-in; the upload reports them as already in."""
    now = timezone.now()
    results = []
    for item in items:
        at = _station_time(item.get("at"), now)
        try:
            if token := item.get("token"):
                holder, present = desk.by_token(str(token))
            else:
                holder, present = desk.by_id(_holder_id(item.get(holder_key)))
            result = check_in(
                desk, holder, present, by=by, source=CheckInSource.OFFLINE, station=station, at=at
            )
        except DomainError as error:
            result = refused(error)
        results.append(result)
    return results


def _holder_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0  # no holder has it: the desk refuses it as unknown


def _station_time(value: Any, now: dt.datetime) -> dt.datetime:
    """When the station says it checked someone in: its clock, unless missing, without a time
    zone, or impossible (in the future, or older than MAX_OFFLINE_DRIFT)."""
    try:
        at = dt.datetime.fromisoformat(str(value or ""))
    except ValueError:
        return now
    if timezone.is_naive(at) or not now - MAX_OFFLINE_DRIFT <= at <= now:
        return now
    return at
