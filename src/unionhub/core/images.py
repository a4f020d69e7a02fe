"""Uploaded pictures become clean JPEGs fitted inside a box.

Re-encoding the decoded pixels strips EXIF (a phone photo carries its GPS position); the byte and
pixel bounds stop a huge or decompression-bomb upload before Pillow decodes it.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from unionhub.core import uploads
from unionhub.core.errors import DomainError

MAX_SOURCE_PIXELS = 60_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def _refused(field: str) -> DomainError:
    return DomainError(
        "image_unreadable",
        _("This file is not a picture we can read. Upload a JPEG or PNG image."),
        field=field,
    )


def decode(upload: Any, *, kind: str, field: str = "image") -> Image.Image:
    """The upload's pixels, upright, in RGB; DomainError when too large or not a picture."""
    if upload.size > uploads.max_bytes(kind):
        raise DomainError(
            "image_too_large",
            _("The image is larger than %(mb)s MB.") % {"mb": uploads.max_mb(kind)},
            field=field,
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise _refused(field)
            width, height = probe.size
            if width * height > MAX_SOURCE_PIXELS:
                raise DomainError(
                    "image_too_many_pixels",
                    _("The image has too many pixels; reduce it below 60 megapixels."),
                    field=field,
                )
            probe.load()
            return ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise _refused(field) from error


def fitted_jpeg(image: Image.Image, box: tuple[int, int], *, name: str) -> ContentFile[bytes]:
    """A JPEG of `image` shrunk (never enlarged) to fit inside `box`."""
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=name)
