"""A ZIP of members' photos, each file named by the member's document or card number,
attached through the registry's photo pipeline."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import jobs, scope, uploads
from unionhub.core.errors import DomainError
from unionhub.core.models import Job
from unionhub.core.types import User
from unionhub.imports import selectors
from unionhub.imports.actions import Action
from unionhub.members.services import (
    member_photo_set,
)
from unionhub.orgs.models import Unit

PHOTOS_JOB = "imports.photos"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass
class PhotoOutcome:
    matched: list[tuple[str, str]] = field(default_factory=list)  # file, member
    unmatched: list[str] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # file, why

    def rows(self) -> list[tuple[str, str, str]]:
        return (
            [(name, _("Attached"), member) for name, member in self.matched]
            + [(name, _("No member found"), "") for name in self.unmatched]
            + [(name, _("Not attached"), why) for name, why in self.invalid]
        )


def photos_import(
    *, unit: Unit, by: User, archive: IO[bytes], advance: Callable[[int], None] | None = None
) -> PhotoOutcome:
    """Attach the photos of a ZIP archive to the members of `unit`'s subtree, each file named
    by the member's document number (or card number), through the registry's photo pipeline
    (validated, EXIF stripped, cropped). Each photo is its own change: a bad file is listed and
    the others still attach."""
    scope.require(by, scope.REGISTRAR, unit)
    try:
        archive_file = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise DomainError("photos_not_zip", _("Upload the photos as one ZIP file.")) from None
    entries = [
        info
        for info in archive_file.infolist()
        if not info.is_dir()
        and not PurePosixPath(info.filename).name.startswith(".")
        and "__MACOSX" not in info.filename
    ]
    if len(entries) > settings.PHOTO_ARCHIVE_MAX_FILES:
        raise DomainError(
            "photos_too_many",
            _("The archive holds more than %(count)s files; split it.")
            % {"count": settings.PHOTO_ARCHIVE_MAX_FILES},
        )
    outcome = PhotoOutcome()
    stems = [PurePosixPath(info.filename).stem.strip() for info in entries]
    found = selectors.photo_owners(user=by, unit=unit, stems=stems)
    for info, stem in zip(entries, stems, strict=True):
        name = info.filename
        if advance:
            advance(1)
        if not name.lower().endswith(PHOTO_SUFFIXES):
            outcome.invalid.append((name, _("Only JPEG and PNG files are accepted.")))
            continue
        member = found.get(stem)
        if member is None:
            outcome.unmatched.append(name)
            continue
        # The size the archive declares is all zipfile will unpack of the entry.
        if info.file_size > uploads.max_bytes(uploads.PHOTO):
            outcome.invalid.append((name, _("The photo is too large.")))
            continue
        try:
            member_photo_set(member=member, by=by, upload=io.BytesIO(archive_file.read(name)))
        except DomainError as error:
            outcome.invalid.append((name, str(error.message)))
        else:
            outcome.matched.append((name, member.full_name))
    return outcome


@transaction.atomic
def photos_import_start(*, unit: Unit, by: User, upload: File[bytes], language: str = "vi") -> Job:
    """Store a ZIP of photos and queue their attachment; returns the job to follow."""
    scope.require(by, scope.REGISTRAR, unit)
    uploads.check_size(upload, uploads.PHOTO_ARCHIVE, field="archive")
    if not zipfile.is_zipfile(upload):
        raise DomainError("photos_not_zip", _("Upload the photos as one ZIP file."))
    upload.seek(0)
    name = default_storage.save(f"imports/photos/{uuid.uuid4().hex}.zip", upload)
    job = jobs.job_start(
        kind=PHOTOS_JOB,
        title=_("Photos for %(unit)s") % {"unit": unit.name},
        owner=by,
        params={"unit": unit.pk, "archive": name, "language": language},
    )
    log(by, Action.PHOTOS_UPLOADED, unit, {"job": str(job.pk)})
    return job
