"""Member photos: stored re-encoded, the old files deleted only after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.types import User
from unionhub.members import photos, signals
from unionhub.members.actions import Action
from unionhub.members.models import (
    Member,
)
from unionhub.members.services._base import _locked


@transaction.atomic
def member_photo_set(*, member: Member, by: User, upload: Any) -> Member:
    """Replace the member's photo with `upload`, cleaned by photos.process (EXIF stripped)."""
    current = _locked(member)
    scope.require(by, scope.REGISTRAR, current.unit)
    processed = photos.process(upload)
    old_files = [f.name for f in (current.photo, current.photo_thumb) if f]
    current.photo.save("photo.jpg", processed.photo, save=False)
    current.photo_thumb.save("thumb.jpg", processed.thumb, save=False)
    new_files = [current.photo.name, current.photo_thumb.name]
    current.version = F("version") + 1
    current.completeness = current.compute_completeness()
    try:
        current.save()
    except Exception:
        _delete_files(new_files)
        raise
    current.refresh_from_db()
    log(
        by,
        Action.MEMBER_PHOTO_CHANGED,
        current,
        {"version": current.version, "changes": {"photo": [bool(old_files), True]}},
    )
    transaction.on_commit(lambda: _delete_files(old_files))
    signals.member_updated.send(
        sender=Member, member=current, changed={"photo": [bool(old_files), True]}, by=by
    )
    return current


# The demo's drawn portraits are shared by many members: replacing one member's photo must not
# delete the file under everybody else.
SHARED_PHOTO_PREFIX = "members/demo/"


def _delete_files(names: list[str | None]) -> None:
    storage = Member._meta.get_field("photo").storage
    for name in names:
        if name and not name.startswith(SHARED_PHOTO_PREFIX):
            storage.delete(name)
