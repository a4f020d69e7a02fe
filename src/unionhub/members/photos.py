"""Member photos: whatever a desktop or a phone camera uploads becomes a clean 3:4 JPEG
(read within bounds and stripped of EXIF by core.images)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from unionhub.core import images, uploads

PHOTO_SIZE = (600, 800)
THUMB_SIZE = (150, 200)


@dataclass(frozen=True)
class ProcessedPhoto:
    photo: ContentFile
    thumb: ContentFile
    size: tuple[int, int]


def process(upload) -> ProcessedPhoto:
    """Validate `upload` (a file-like object), crop it to 3:4 and re-encode it; DomainError if
    it is not an acceptable image."""
    image = images.on_white(
        images.open_upload(upload, kind=uploads.PHOTO, field="photo", noun=images.PHOTO)
    )
    # Centred crop to 3:4, then scale down (never up) to the stored size.
    portrait = ImageOps.fit(
        image, _fit_size(image.size), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5)
    )
    portrait.thumbnail(PHOTO_SIZE, Image.Resampling.LANCZOS)
    thumb = portrait.copy()
    thumb.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        photo=ContentFile(images.jpeg(portrait), name="photo.jpg"),
        thumb=ContentFile(images.jpeg(thumb), name="thumb.jpg"),
        size=portrait.size,
    )


def _fit_size(size: tuple[int, int]) -> tuple[int, int]:
    """The largest 3:4 box inside `size`."""
    width, height = size
    if width * 4 > height * 3:
        return max(1, height * 3 // 4), height
    return width, max(1, width * 4 // 3)
