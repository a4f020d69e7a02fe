"""Uploaded pictures, opened within bounds and re-encoded: every app that stores an image (member
photos, slide pictures, unit logos…) reads it through `open_upload`.

Re-encoding from decoded pixels is what strips EXIF (a phone photo carries its GPS position):
nothing of the original file but its pixels reaches storage. The byte and pixel bounds stop a
huge or decompression-bomb upload before Pillow decodes it; `verify()` checks the file's
structure before the pixels are decoded.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from unionhub.core import uploads
from unionhub.core.errors import DomainError

MAX_SOURCE_PIXELS = 60_000_000  # a 50-megapixel phone camera fits; a pixel bomb does not
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"})


# The words of the refusals: a member's photo is a "photo" (the member API's error codes say so
# since issue 3), anything else an "image".
IMAGE = "image"
PHOTO = "photo"


def not_an_image(field: str, noun: str = IMAGE) -> DomainError:
    if noun == PHOTO:
        return DomainError(
            "photo_not_image",
            _("This file is not a picture we can read. Upload a JPEG or PNG photo."),
            field=field,
        )
    return DomainError(
        "image_unreadable",
        _("This file is not a picture we can read. Upload a JPEG or PNG image."),
        field=field,
    )


def _too_large(kind: str, field: str, noun: str) -> DomainError:
    if noun == PHOTO:
        return DomainError(
            "photo_too_large",
            _("The photo is larger than %(mb)s MB.") % {"mb": uploads.max_mb(kind)},
            field=field,
        )
    return DomainError(
        "image_too_large",
        _("The image is larger than %(mb)s MB.") % {"mb": uploads.max_mb(kind)},
        field=field,
    )


def open_upload(upload: Any, *, kind: str, field: str, noun: str = IMAGE) -> Image.Image:
    """The upload's pixels, decoded and turned upright; DomainError (on `field`) when it is over
    the ceiling of its `kind` of upload, has too many pixels, or is not a picture."""
    limit = uploads.max_bytes(kind)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(kind, field, noun)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(kind, field, noun)
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in ACCEPTED_FORMATS:
            raise not_an_image(field, noun)
        if probe.width * probe.height > MAX_SOURCE_PIXELS:
            raise DomainError(
                f"{noun}_too_many_pixels",
                _("The image has too many pixels; reduce it below 60 megapixels."),
                field=field,
            )
        probe.verify()  # the file's structure; the image must be reopened after it
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image(field, noun) from None
    return ImageOps.exif_transpose(image)


def on_white(image: Image.Image) -> Image.Image:
    """An RGB image; transparency becomes white (a JPEG has none)."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def jpeg(image: Image.Image, *, quality: int = 85) -> bytes:
    out = io.BytesIO()
    # No `exif=` and no `icc_profile=`: the new file carries pixels only.
    on_white(image).save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def fitted_jpeg(image: Image.Image, box: tuple[int, int], *, name: str) -> ContentFile[bytes]:
    """A JPEG file of `image` shrunk (never enlarged) to fit inside `box`."""
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    return ContentFile(jpeg(copy), name=name)


def png(image: Image.Image) -> bytes:
    """A PNG that keeps transparency (logos on a dark LED bar or a coloured page)."""
    out = io.BytesIO()
    image.convert("RGBA").save(out, format="PNG", optimize=True)
    return out.getvalue()
