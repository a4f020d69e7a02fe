"""`log(...)`: every service writes its audit row here, inside its own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from unionhub.audit.models import AuditEvent
from unionhub.core.types import AnyUser, User


@dataclass(frozen=True, slots=True)
class TargetRef:
    """A target's identity without its model instance: what a bulk log needs of each of tens
    of thousands of targets (a 70,000-member export), without holding them all in memory."""

    model: type[models.Model]
    pk: Any
    label: str

    def __str__(self) -> str:
        return self.label


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _account(actor: AnyUser | None) -> User | None:
    """The account to record; an anonymous visitor (a public page) is recorded as no one."""
    return None if actor is None or isinstance(actor, AnonymousUser) else actor


def log(
    actor: AnyUser | None, action: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Record `action` (dotted, e.g. "orgs.unit.moved") by `actor` on `target`."""
    return AuditEvent.objects.create(
        actor=_account(actor),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        data=_jsonable(data or {}),
    )


def log_many(
    actor: AnyUser | None,
    action: str,
    targets: Sequence[models.Model | TargetRef],
    data: dict[str, Any] | None = None,
) -> int:
    """One row per target in a single insert, for bulk operations (imports, batches)."""
    if not targets:
        return 0
    first = targets[0]
    model = first.model if isinstance(first, TargetRef) else first
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    payload = _jsonable(data or {})
    rows = [
        AuditEvent(
            actor=_account(actor),
            action=action,
            target_type=content_type,
            target_id=str(t.pk),
            target_repr=str(t)[:300],
            data=payload,
        )
        for t in targets
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def redact(target: models.Model, *, fields: tuple[str, ...]) -> int:
    """Erase a person's former values from the trail about `target` (an erasure under the
    personal data law): the rows stay, naming the target as it is now, and the old and new values
    of `fields` in their recorded changes become None. Returns the number of rows rewritten."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    rows = list(AuditEvent.objects.filter(target_type=content_type, target_id=str(target.pk)))
    for row in rows:
        row.target_repr = str(target)[:300]
        changes = row.data.get("changes") if isinstance(row.data, dict) else None
        if isinstance(changes, dict):
            for name in fields:
                if name in changes:
                    changes[name] = [None, None]
    AuditEvent.objects.bulk_update(rows, ["target_repr", "data"], batch_size=500)
    return len(rows)
