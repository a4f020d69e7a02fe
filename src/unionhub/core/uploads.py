"""Ceilings on uploaded files, one per kind of upload (settings.UPLOAD_MAX_MB): the services check
them (so the API and the forms refuse alike) and the forms' fields say them to the officer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from unionhub.core.errors import DomainError

MEMBER_IMPORT = "member_import"
DELEGATE_IMPORT = "delegate_import"
PHOTO = "photo"
PHOTO_ARCHIVE = "photo_archive"
ATTACHMENT = "attachment"
SLIDE_IMAGE = "slide_image"
NEWS_IMAGE = "news_image"
NEWS_VIDEO = "news_video"
CONGRESS_DOCUMENT = "congress_document"
PAYROLL_IMPORT = "payroll_import"
UNIT_LOGO = "unit_logo"
TRAINING_MATERIAL = "training_material"
PDF_MAGIC = b"%PDF-"


def max_mb(kind: str) -> int:
    return settings.UPLOAD_MAX_MB[kind]


def max_bytes(kind: str) -> int:
    return max_mb(kind) * 1024 * 1024


def too_large(kind: str, *, field: str | None = None) -> DomainError:
    return DomainError(
        "file_too_large",
        _("The file is larger than %(mb)s MB.") % {"mb": max_mb(kind)},
        field=field,
    )


def check_size(upload: Any, kind: str, *, field: str | None = None) -> None:
    """DomainError when `upload` (an uploaded file, or bytes) is over the ceiling for `kind`."""
    size = len(upload) if isinstance(upload, bytes | bytearray) else getattr(upload, "size", None)
    if size is not None and size > max_bytes(kind):
        raise too_large(kind, field=field)


def check_pdf(file: Any, kind: str, *, field: str | None = "file") -> None:
    """DomainError unless `file` is within the ceiling for `kind` and starts as a PDF does."""
    check_size(file, kind, field=field)
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    if head != PDF_MAGIC:
        raise DomainError("not_a_pdf", _("Only PDF files can be published."), field=field)


# Video containers every browser's <video> plays: MP4 (an ISO base media file whose first box is
# `ftyp` with a video brand; HEIF/AVIF pictures share the box, not the brands) and WebM (an EBML
# header whose DocType is "webm"; other Matroska files are not played everywhere).
MP4 = "video/mp4"
WEBM = "video/webm"
MP4_BRANDS = (b"iso", b"mp4", b"avc1", b"M4V", b"mmp4", b"dash", b"MSNV")
EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def sniff_video(head: bytes) -> str | None:
    """The content type of a video whose file starts with `head` (64 bytes are enough), or None
    when its bytes are not an MP4 or a WebM video, whatever its name says."""
    if head[4:8] == b"ftyp" and head[8:12].startswith(MP4_BRANDS):
        return MP4
    if head.startswith(EBML_MAGIC) and b"\x42\x82\x84webm" in head[:64]:
        return WEBM
    return None


def check_video(file: Any, kind: str, *, field: str | None = "video") -> str:
    """The content type of `file`, an MP4 or WebM video within the ceiling for `kind`; a
    DomainError with a clear message otherwise."""
    check_size(file, kind, field=field)
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    found = sniff_video(head)
    if found is None:
        raise DomainError(
            "not_a_video",
            _("This file is not an MP4 or WebM video. Export the video as MP4 and upload it."),
            field=field,
        )
    return found


def _limit_text(kind: str) -> str:
    return _("At most %(mb)s MB.") % {"mb": max_mb(kind)}


limit_text = lazy(_limit_text, str)


class LimitedUpload(forms.FileField):
    """A form file field that refuses files over the ceiling of its `kind` and says the
    ceiling under the field."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = (
            format_lazy("{} {}", help_text, limit_text(kind)) if help_text else limit_text(kind)
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if data and getattr(data, "size", 0) > max_bytes(self.kind):
            raise forms.ValidationError(str(too_large(self.kind).message), code="file_too_large")
        return super().clean(data, initial)


class LimitedFileField(LimitedUpload, forms.FileField):
    pass


class LimitedImageField(LimitedUpload, forms.ImageField):
    pass
