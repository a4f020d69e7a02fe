"""The data-protection officer's writes. The breach register (Decree 13/2023 art. 23): an
incident is recorded, the authority is told within 72 hours of its discovery, the people affected
are told, and the incident is closed; nothing recorded is deleted. And the access log's export."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit import services as audit
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.orgs.models import Unit
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Breach, DataClass, Risk


def _check_moment(value: dt.datetime, *, after: dt.datetime | None, field: str) -> None:
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError("breach.future", _("This moment lies in the future."), field=field)
    if after is not None and value < after:
        raise DomainError(
            "breach.before_discovery",
            _("This moment lies before the breach was discovered."),
            field=field,
        )


@transaction.atomic
def breach_record(
    *,
    unit: Unit,
    title: str,
    description: str,
    discovered_at: dt.datetime,
    data_classes: list[str],
    people: int,
    risk: str,
    measures: str = "",
    by: User,
) -> Breach:
    scope.require(by, scope.DATA_PROTECTION, unit)
    if not data_classes or set(data_classes) - set(DataClass.values):
        raise DomainError(
            "breach.data", _("Choose the kinds of data affected."), field="data_classes"
        )
    if risk not in Risk.values:
        raise DomainError("breach.risk", _("Choose the risk to the people."), field="risk")
    if people < 0:
        raise DomainError("breach.people", _("Enter how many people."), field="people")
    _check_moment(discovered_at, after=None, field="discovered_at")
    breach = Breach.objects.create(
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        discovered_at=discovered_at,
        data_classes=sorted(set(data_classes)),
        people=people,
        risk=risk,
        measures=measures.strip(),
        recorded_by=by,
    )
    audit.log(by, Action.BREACH_RECORDED, breach, {"people": people, "risk": risk})
    return breach


def _open(breach: Breach, by: User) -> Breach:
    locked = Breach.objects.select_for_update().select_related("unit").get(pk=breach.pk)
    scope.require(by, scope.DATA_PROTECTION, locked.unit)
    if locked.closed_at is not None:
        raise DomainError("breach.closed", _("This breach is closed."))
    return locked


@transaction.atomic
def breach_notify_authority(
    *, breach: Breach, notified_at: dt.datetime, reference: str, by: User
) -> Breach:
    """Record that the authority was told (when, and the dispatch's reference)."""
    breach = _open(breach, by)
    if breach.authority_notified_at is not None:
        raise DomainError("breach.notified", _("The authority was already notified."))
    _check_moment(notified_at, after=breach.discovered_at, field="notified_at")
    if not reference.strip():
        raise DomainError(
            "breach.reference",
            _("Enter the notification's number or reference."),
            field="reference",
        )
    breach.authority_notified_at = notified_at
    breach.authority_reference = reference.strip()
    breach.save(update_fields=["authority_notified_at", "authority_reference"])
    audit.log(
        by,
        Action.BREACH_AUTHORITY_NOTIFIED,
        breach,
        {"late": notified_at > breach.deadline, "reference": breach.authority_reference},
    )
    return breach


@transaction.atomic
def breach_notify_people(*, breach: Breach, notified_at: dt.datetime, by: User) -> Breach:
    breach = _open(breach, by)
    _check_moment(notified_at, after=breach.discovered_at, field="notified_at")
    breach.subjects_notified_at = notified_at
    breach.save(update_fields=["subjects_notified_at"])
    audit.log(by, Action.BREACH_PEOPLE_NOTIFIED, breach)
    return breach


@transaction.atomic
def breach_close(*, breach: Breach, measures: str, by: User) -> Breach:
    """Close the incident with the measures taken; the authority must have been told first."""
    breach = _open(breach, by)
    if breach.authority_notified_at is None:
        raise DomainError(
            "breach.unnotified",
            _("Record the notification to the authority before closing the breach."),
        )
    if measures.strip():
        breach.measures = measures.strip()
    if not breach.measures:
        raise DomainError("breach.measures", _("Describe the measures taken."), field="measures")
    breach.closed_at = timezone.now()
    breach.save(update_fields=["measures", "closed_at"])
    audit.log(by, Action.BREACH_CLOSED, breach)
    return breach


@transaction.atomic
def access_log_exported(*, by: User, filters: str) -> None:
    """The access log leaves the system too: its export is itself logged, on the officer."""
    audit.log(by, Action.ACCESS_LOG_EXPORTED, by, {"filter": filters})
