"""Slide pictures: whatever is uploaded becomes a clean JPEG no larger than a 1920 × 1080 wall.

Re-encoding the decoded pixels strips EXIF (a phone photo carries its GPS position); the byte and
pixel bounds stop a huge or decompression-bomb upload before Pillow decodes it.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from unionhub.core import uploads
from unionhub.core.errors import DomainError

MAX_SOURCE_PIXELS = 60_000_000
WALL = (1920, 1080)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def _refused() -> DomainError:
    return DomainError(
        "image_unreadable",
        _("This file is not a picture we can read. Upload a JPEG or PNG image."),
        field="image",
    )


def process(upload) -> ContentFile:
    """A JPEG of the upload, turned upright and fitted inside 1920 × 1080."""
    if upload.size > uploads.max_bytes(uploads.SLIDE_IMAGE):
        raise DomainError(
            "image_too_large",
            _("The image is larger than %(mb)s MB.") % {"mb": uploads.max_mb(uploads.SLIDE_IMAGE)},
            field="image",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise _refused()
            width, height = probe.size
            if width * height > MAX_SOURCE_PIXELS:
                raise DomainError(
                    "image_too_many_pixels",
                    _("The image has too many pixels; reduce it below 60 megapixels."),
                    field="image",
                )
            probe.load()
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise _refused() from error
    image.thumbnail(WALL, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="slide.jpg")
