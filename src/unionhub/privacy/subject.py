"""What the registry holds about one person (the data subject's right of access, Law 91/2025):
every personal field of the Member row and of every row that points at it, and the audit trail
about them.

The rows that point at a member are found by introspection (Member._meta.related_objects), so a
new app's model with a member foreign key is seen without this app importing it. For each such
model and for Member, SUBJECT_FIELDS says which fields are exported and NOT_PERSONAL which are
not personal data (with why); tests/privacy/test_subject_export.py fails when a field is in
neither list, so a new personal field cannot slip out of the export unnoticed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from unionhub.audit.models import AuditEvent
from unionhub.members.models import Member

SUBJECT_FIELDS: dict[str, tuple[str, ...]] = {
    "members.Member": (
        "public_id", "unit", "full_name", "birth_date", "gender", "id_kind", "id_number",
        "ethnicity", "religion", "nationality", "home_town", "address", "phone", "email",
        "education", "qualification", "political_theory", "occupation", "employer", "workplace",
        "joined", "admission_decision", "photo", "state", "state_since", "created", "updated",
    ),
    "members.MembershipEvent": (
        "kind", "date", "unit", "other_unit", "reason", "reorganisation", "decision", "note",
        "recorded",
    ),
    "members.MembershipPeriod": ("unit", "start", "end"),
    "members.Transfer": (
        "from_unit", "to_unit", "effective", "status", "note", "requested_at", "decided_at",
    ),
    "cards.Card": (
        "unit", "number", "issued", "state", "revoke_reason", "note", "requested_at",
        "approved_at", "printed_at", "delivered_at", "revoked_at",
    ),
    "congress.Delegate": (
        "congress", "number", "category", "delegation", "full_name", "position", "organisation",
        "seat", "group", "presidium", "revoked", "created",
    ),
    "privacy.Consent": ("purpose", "given_on", "method", "withdrawn_on", "created"),
    # Their sign-ins to their own page, and the corrections they asked for.
    "privacy.SignIn": ("kind", "sent_to", "created", "expires", "used_at"),
    "privacy.Correction": (
        "field", "current", "requested", "note", "state", "created", "decided_at", "reason",
    ),
    # The salary the dues were computed from, the dues of each month, and support paid to them.
    "finance.SalaryBase": ("month", "amount", "group"),
    "finance.DuesLine": ("unit", "month", "salary", "rate", "cap", "amount", "paid_on"),
    "finance.Posting": ("entry", "account", "amount"),
    # The training they were nominated for, whether (and how) they attended, and their quiz.
    "training.Enrolment": (
        "session", "unit", "state", "created", "attended", "attended_via", "quiz_score",
        "quiz_attempts",
    ),
    # A union shelter house built for them: where, what it cost and how far it has come.
    "movements.ShelterHouse": (
        "unit", "address", "cost", "note", "state", "proposed", "deciding_unit", "decided_on",
        "built_on", "handed_over_on",
    ),
    # The campaigns they took part in, the awards they were given and the support they received.
    "movements.Registration": ("campaign", "unit", "team", "created"),
    "movements.Award": (
        "level", "unit", "campaign", "reason", "decision", "created", "revoked", "announced",
        "revoked_reason",
    ),
    "movements.SupportRecord": (
        "unit", "kind", "date", "amount", "goods", "fund", "note", "state", "proposed",
        "deciding_unit", "decided",
    ),
}  # fmt: skip

# Fields that are not the person's data: keys, bookkeeping, values derived from exported ones,
# and the officers who acted (their data, not the member's). Never exported.
_KEYS = ("id", "member")  # the row's own key and the link to the member exported around it
_DERIVED = ("family_name", "middle_name", "given_name", "name_folded", "sort_key", "search_text")
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "members.Member": (
        "id",
        *_DERIVED,
        "photo_thumb",
        "completeness",
        "version",  # derived / bookkeeping
    ),
    "members.MembershipEvent": (*_KEYS, "by"),
    "members.MembershipPeriod": _KEYS,
    "members.Transfer": (*_KEYS, "requested_by_receiver", "requested_by", "decided_by"),
    "cards.Card": (*_KEYS, "series", "replaces", "requested_by", "approved_by"),
    "congress.Delegate": (*_KEYS, "token_serial", "name_folded", "sort_key"),
    "privacy.Consent": (*_KEYS, "recorded_by"),
    # The keyed hash of a used-up secret, the count of tries, and the registrar who printed it.
    "privacy.SignIn": (*_KEYS, "secret_hash", "attempts", "created_by"),
    "privacy.Correction": (*_KEYS, "decided_by"),
    "finance.SalaryBase": (*_KEYS, "entered_by", "entered_at"),
    "finance.DuesLine": (*_KEYS, "batch"),
    "finance.Posting": (*_KEYS, "counterpart"),  # the union on the other side of the posting
    # The station's name and the pass's serial are the door's bookkeeping.
    "training.Enrolment": (*_KEYS, "by", "station", "pass_serial"),
    "movements.ShelterHouse": (*_KEYS, "proposed_by", "decided_by"),
    "movements.Registration": (*_KEYS, "registered_by"),
    "movements.Award": (*_KEYS, "decided_by"),
    # The journal entry is the deciding union's bookkeeping; the amount is exported above.
    "movements.SupportRecord": (*_KEYS, "proposed_by", "decided_by", "ledger_entry"),
}


def member_models() -> list[tuple[type[models.Model], str]]:
    """Every model with a foreign key to Member, and the key's name."""
    return [
        (rel.related_model, rel.field.name)
        for rel in Member._meta.related_objects
        if isinstance(rel.field, models.ForeignKey | models.OneToOneField)
    ]


def _value(row: models.Model, name: str) -> Any:
    field = row._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        related = getattr(row, name)
        return None if related is None else str(related)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a relation seen from the other side, not a field of the row")
    value = getattr(row, field.attname)
    if isinstance(field, models.FileField):
        return bool(value)  # that a file is held; the file itself is given apart
    if field.choices and value:
        return str(getattr(row, f"get_{name}_display")())
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value if value is None or isinstance(value, bool | int | float) else str(value)


def _row(row: models.Model) -> dict[str, Any]:
    return {name: _value(row, name) for name in SUBJECT_FIELDS[row._meta.label]}


def subject_data(member: Member) -> dict[str, Any]:
    """Everything held about `member`, as JSON-ready data (callers check scope and log)."""
    data: dict[str, Any] = {"profile": _row(member), "records": {}}
    for model, key in member_models():
        label = model._meta.label
        rows = model._default_manager.filter(**{key: member}).order_by("pk")
        data["records"][label] = [_row(row) for row in rows]
    trail = AuditEvent.objects.filter(
        target_type__app_label="members", target_type__model="member", target_id=str(member.pk)
    ).order_by("at")
    data["audit"] = [
        {"at": e.at.isoformat(), "action": e.action, "by": str(e.actor or ""), "data": e.data}
        for e in trail
    ]
    return data
