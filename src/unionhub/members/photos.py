"""Member photos: whatever a desktop or a phone camera uploads becomes a clean 3:4 JPEG.

Re-encoding from decoded pixels is what strips EXIF (phone photos carry GPS position): nothing of
the original file but its pixels reaches storage. The size and pixel bounds stop a huge or
decompression-bomb upload before Pillow decodes it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from unionhub.core import uploads
from unionhub.core.errors import DomainError

MAX_SOURCE_PIXELS = 60_000_000  # a 50-megapixel phone camera fits; a pixel bomb does not
PHOTO_SIZE = (600, 800)
THUMB_SIZE = (150, 200)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"}


@dataclass(frozen=True)
class ProcessedPhoto:
    photo: ContentFile
    thumb: ContentFile
    size: tuple[int, int]


def _not_an_image() -> DomainError:
    return DomainError(
        "photo_not_image",
        _("This file is not a picture we can read. Upload a JPEG or PNG photo."),
        field="photo",
    )


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No `exif=` and no `icc_profile=`: the new file carries pixels only.
    image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def process(upload) -> ProcessedPhoto:
    """Validate `upload` (a file-like object), crop it to 3:4 and re-encode it; DomainError if
    it is not an acceptable image."""
    limit = uploads.max_bytes(uploads.PHOTO)
    too_large = DomainError(
        "photo_too_large",
        _("The photo is larger than %(mb)s MB.") % {"mb": uploads.max_mb(uploads.PHOTO)},
        field="photo",
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in ACCEPTED_FORMATS:
            raise _not_an_image()
        if probe.width * probe.height > MAX_SOURCE_PIXELS:
            raise DomainError("photo_too_large", _("The photo has too many pixels."), field="photo")
        probe.verify()  # checks the file's structure; the image must be reopened after it
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_an_image() from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    # Centred crop to 3:4, then scale down (never up) to the stored size.
    portrait = ImageOps.fit(
        image, _fit_size(image.size), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5)
    )
    portrait.thumbnail(PHOTO_SIZE, Image.Resampling.LANCZOS)
    thumb = portrait.copy()
    thumb.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        photo=ContentFile(_encode(portrait), name="photo.jpg"),
        thumb=ContentFile(_encode(thumb), name="thumb.jpg"),
        size=portrait.size,
    )


def _fit_size(size: tuple[int, int]) -> tuple[int, int]:
    """The largest 3:4 box inside `size`."""
    width, height = size
    if width * 4 > height * 3:
        return max(1, height * 3 // 4), height
    return width, max(1, width * 4 // 3)
