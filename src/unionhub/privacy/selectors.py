"""Reads of the privacy app: consents and erasure blockers (registrars), the member's own page,
correction requests, and the access log and breach register (the data-protection officer)."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from unionhub.audit.models import AuditEvent
from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members.models import SENSITIVE_FIELDS, Member
from unionhub.orgs.models import Role, RoleAssignment, Unit
from unionhub.privacy import subject
from unionhub.privacy.models import (
    ERASED_FIELDS,
    Breach,
    Consent,
    Correction,
    CorrectionState,
    DataClass,
    Purpose,
)


def has_consent(*, member: Member, purpose: str) -> bool:
    """Whether the member's consent to `purpose` stands now (given and not withdrawn)."""
    return Consent.objects.filter(
        member=member, purpose=purpose, withdrawn_on__isnull=True
    ).exists()


def member_consents(*, user: User, member: Member) -> QuerySet[Consent]:
    """Every consent of a member the caller may see (registrars of the member's unit)."""
    scope.require(user, scope.REGISTRAR, member.unit)
    return Consent.objects.filter(member=member).select_related("recorded_by")


def consent_list(*, user: User, purpose: str = "", standing: str = "") -> QuerySet[Consent]:
    """Consents of the members in the caller's registrar scope, newest first."""
    consents = scope.restrict(
        Consent.objects.select_related("member", "member__unit"),
        user,
        role=scope.REGISTRAR,
        via="member__unit",
    )
    if purpose:
        consents = consents.filter(purpose=purpose)
    if standing == "yes":
        consents = consents.filter(withdrawn_on__isnull=True)
    elif standing == "no":
        consents = consents.filter(withdrawn_on__isnull=False)
    return consents


def consent_get(*, user: User, pk: Any) -> Consent:
    consents = scope.restrict(
        Consent.objects.select_related("member", "member__unit"),
        user,
        role=scope.REGISTRAR,
        via="member__unit",
    )
    return get_object_or_404(consents, pk=pk)


@dataclass(frozen=True)
class Blocker:
    """Why a member may not be anonymised yet: the data class and the day its retention ends
    (None: as long as the person is a member)."""

    data_class: str
    until: dt.date | None

    @property
    def reason(self) -> str:
        label = DataClass(self.data_class).label
        if self.until is None:
            return _("%(data)s must be kept while the person is a member.") % {"data": label}
        return _("%(data)s must be kept until %(date)s (retention rule).") % {
            "data": label,
            "date": self.until.strftime("%d/%m/%Y"),
        }


def erasure_blockers(member: Member, *, today: dt.date | None = None) -> list[Blocker]:
    """The retention rules that still keep the member's data, by data class; empty when the
    member may be anonymised. The years run from the day the membership ended."""
    today = today or timezone.localdate()
    if member.holds_membership:
        return [Blocker(data_class, None) for data_class in DataClass.values]
    blockers = []
    for data_class in DataClass.values:
        years = settings.PRIVACY_RETENTION_YEARS.get(data_class, 0)
        until = _years_after(member.state_since, years)
        if until > today:
            blockers.append(Blocker(data_class, until))
    return blockers


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


# The member's own page ----------------------------------------------------------------------

# What a member may ask to have corrected. The unit, the state and the dates of membership are
# the union's decisions, changed by its own procedures, not on request.
CORRECTABLE_FIELDS = (
    "full_name",
    "birth_date",
    "id_number",
    "home_town",
    "address",
    "phone",
    "email",
    "occupation",
    "employer",
    "workplace",
)
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_date(value: str) -> dt.date:
    """A date as a member types it (31/12/1990) or as a date field sends it (1990-12-31)."""
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise DomainError(
        "correction.date",
        _("Enter the date as day/month/year, e.g. 31/12/1990."),
        field="requested",
    )


def correctable_choices() -> list[tuple[str, str]]:
    return [(name, _label("members.Member", name)) for name in CORRECTABLE_FIELDS]


def _phone_forms(value: str) -> set[str]:
    """A Vietnamese mobile number as members type it and as registrars stored it: 0912…,
    +84912… and 84912… are the same phone."""
    digits = re.sub(r"[^\d]", "", value)
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    if len(digits) < 9:
        return set()
    if not digits.startswith("0"):
        digits = "0" + digits
    return {digits, "+84" + digits[1:], "84" + digits[1:]}


def member_by_contact(contact: str) -> tuple[Member | None, str]:
    """The one member whose registered e-mail or phone is `contact`, and which it was; (None, "")
    when none or several are (a shared family phone says nothing about who asks)."""
    contact = contact.strip()
    members = Member.objects.exclude(full_name__startswith="# ")
    if "@" in contact:
        found = list(members.filter(email__iexact=contact)[:2])
        channel = "email"
    else:
        forms = _phone_forms(contact)
        found = list(members.filter(phone__in=forms)[:2]) if forms else []
        channel = "phone"
    return (found[0], channel) if len(found) == 1 else (None, "")


def self_member(session: Any) -> Member | None:
    """The member signed in to their own page in this browser session, while it is fresh."""
    member_id = session.get(SELF_SESSION_KEY)
    since = session.get(SELF_SESSION_SINCE, 0)
    if not member_id or time.time() - since > settings.PRIVACY_SELF_SESSION_SECONDS:
        return None
    return Member.objects.select_related("unit").filter(pk=member_id).first()


SELF_SESSION_KEY = "privacy.member"
SELF_SESSION_SINCE = "privacy.since"


@dataclass(frozen=True)
class Table:
    """A kind of record on the member's page: each row is its (label, value) pairs, blanks
    left out (a phone screen has no room for empty columns)."""

    title: str
    rows: list[list[tuple[str, Any]]]


def _label(model_label: str, name: str) -> str:
    return str(apps.get_model(model_label)._meta.get_field(name).verbose_name)


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, str) and "T" in value[:11]:
        try:
            return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return value


def self_tables(member: Member) -> tuple[list[tuple[str, Any]], list[Table]]:
    """What the member's own page shows: their profile as (label, value) pairs and a table per
    kind of record held about them (memberships, cards, dues, training…), from the same
    introspection as the subject export, so a new app's records appear without a change here."""
    data = subject.subject_data(member)
    profile = [
        (_label("members.Member", name), _shown(value))
        for name, value in data["profile"].items()
        if name not in ("public_id", "created", "updated", "photo")
    ]
    tables = []
    for model_label, rows in data["records"].items():
        if not rows or model_label in _SHOWN_APART:
            continue
        tables.append(
            Table(
                title=str(apps.get_model(model_label)._meta.verbose_name_plural).capitalize(),
                rows=[
                    [
                        (_label(model_label, name).capitalize(), _shown(value))
                        for name, value in row.items()
                        if value not in (None, "")
                    ]
                    for row in rows
                ],
            )
        )
    return profile, tables


# Sections of the member's page with their own buttons, or the sign-ins themselves.
_SHOWN_APART = frozenset({"privacy.Consent", "privacy.Correction", "privacy.SignIn"})


def member_accesses(member: Member, *, limit: int = 100) -> QuerySet[AuditEvent]:
    """Who read or exported this member's personal data (the access log, about them)."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Member),
            target_id=str(member.pk),
            action__in=personal_data_actions(),
        )
        .select_related("actor")
        .order_by("-at")[:limit]
    )


def own_corrections(member: Member) -> QuerySet[Correction]:
    return Correction.objects.filter(member=member)


def corrections(*, user: User, state: str = "pending") -> QuerySet[Correction]:
    """Correction requests of the members in the registrar's scope, oldest open first."""
    qs = scope.restrict(
        Correction.objects.select_related("member", "member__unit", "decided_by"),
        user,
        role=scope.REGISTRAR,
        via="member__unit",
    )
    if state in CorrectionState.values:
        qs = qs.filter(state=state)
    return qs.order_by("state", "created")


def correction_get(*, user: User, pk: Any) -> Correction:
    return get_object_or_404(corrections(user=user, state=""), pk=pk)


def pending_corrections(*, user: User, member: Member) -> QuerySet[Correction]:
    scope.require(user, scope.REGISTRAR, member.unit)
    return Correction.objects.filter(member=member, state=CorrectionState.PENDING)


# The data-protection officer ----------------------------------------------------------------


def personal_data_actions() -> tuple[str, ...]:
    """Every audit action that is a read or export of personal data, as the apps declare them."""
    return tuple(str(action) for action in registry.collect("personal_data_actions"))


def access_log(
    *,
    user: User,
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    actor: str = "",
) -> QuerySet[AuditEvent]:
    """Reads and exports of personal data about the members and units in the officer's
    data-protection scope, newest first."""
    events = AuditEvent.objects.filter(action__in=personal_data_actions())
    condition = scope.q(user, role=scope.DATA_PROTECTION, via="")
    if condition is not None:
        units = Unit.objects.filter(condition)
        members = Member.objects.filter(unit__in=units).annotate(key=Cast("pk", CharField()))
        officers = RoleAssignment.objects.filter(unit__in=units).values("user_id")
        events = events.filter(
            Q(
                target_type=ContentType.objects.get_for_model(Member),
                target_id__in=members.values("key"),
            )
            | Q(
                target_type=ContentType.objects.get_for_model(Unit),
                target_id__in=units.annotate(key=Cast("pk", CharField())).values("key"),
            )
            # An export of "all my units" is logged on the officer who made it.
            | Q(target_type__model="user", actor__in=officers)
        )
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    if actor:
        events = events.filter(
            Q(actor__username__icontains=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
        )
    return events.select_related("actor", "target_type").order_by("-at", "-id")


def breaches(*, user: User, open_only: bool = False) -> QuerySet[Breach]:
    qs = scope.restrict(
        Breach.objects.select_related("unit", "recorded_by"), user, role=scope.DATA_PROTECTION
    )
    return qs.filter(closed_at__isnull=True) if open_only else qs


def breach_get(*, user: User, pk: Any) -> Breach:
    return get_object_or_404(breaches(user=user), pk=pk)


# The record of processing -------------------------------------------------------------------

# The lawful basis of each purpose (Law 91/2025 art. 19; Decree 13/2023 art. 17): keeping the
# registry is the union's task under the Trade Union Law 2024; the others need the consent.
_BASIS = {
    Purpose.REGISTRY: gettext_lazy("Trade Union Law 2024: the union keeps its members' records"),
    Purpose.PHOTO: gettext_lazy("The member's consent"),
    Purpose.PUBLIC: gettext_lazy("The member's consent"),
    Purpose.CONTACT: gettext_lazy("The member's consent"),
}


@dataclass(frozen=True)
class ProcessingRow:
    area: str
    record: str
    fields: list[str]
    retention: str
    sensitive: bool


def _retention_label(data_class: str) -> str:
    years = settings.PRIVACY_RETENTION_YEARS.get(data_class, 0)
    if not years:
        return str(_("While a member"))
    return ngettext(
        "While a member and %(years)s year after",
        "While a member and %(years)s years after",
        years,
    ) % {"years": years}


def processing_record() -> dict[str, Any]:
    """The record of processing the law asks for, generated from what the code holds: the
    personal fields of every model (subject.SUBJECT_FIELDS, which a test keeps complete), the
    purposes and their basis, the retention settings and the roles. Nothing here is typed by
    hand, so it cannot fall behind a new field or a changed setting."""
    class_of = {name: data_class for data_class, names in ERASED_FIELDS.items() for name in names}
    rows = []
    for model_label, names in subject.SUBJECT_FIELDS.items():
        model = apps.get_model(model_label)
        classes = sorted({class_of[name] for name in names if name in class_of})
        rows.append(
            ProcessingRow(
                area=str(model._meta.app_config.verbose_name),
                record=str(model._meta.verbose_name_plural).capitalize(),
                fields=[str(model._meta.get_field(name).verbose_name) for name in names],
                retention="; ".join(dict.fromkeys(_retention_label(c) for c in classes))
                or str(_("As long as the member's record")),
                sensitive=DataClass.SENSITIVE in classes,
            )
        )
    return {
        "purposes": [(label, _BASIS[Purpose(value)]) for value, label in Purpose.choices],
        "rows": rows,
        "retention": [(label, _retention_label(value)) for value, label in DataClass.choices],
        "roles": Role.choices,
        "sensitive_fields": [_label("members.Member", name) for name in SENSITIVE_FIELDS],
        "logged_actions": sorted(
            {registry.action_label(action) for action in personal_data_actions()}
        ),
        "login_failure_limit": settings.AXES_FAILURE_LIMIT,
    }
