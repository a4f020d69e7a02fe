from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from unionhub.audit.models import AuditEvent


def history_for(target: models.Model, *, limit: int = 100) -> QuerySet[AuditEvent]:
    """The audit trail of one object, newest first. The caller has already scoped `target`."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return AuditEvent.objects.filter(
        target_type=content_type, target_id=str(target.pk)
    ).select_related("actor")[:limit]
