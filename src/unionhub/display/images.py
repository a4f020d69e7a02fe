"""Slide pictures: whatever is uploaded becomes a clean JPEG no larger than a 1920 × 1080 wall
(read within bounds and stripped of EXIF by core.images)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from unionhub.core import images, uploads

WALL = (1920, 1080)


def process(upload: Any) -> ContentFile:
    """A JPEG of the upload, turned upright and fitted inside 1920 × 1080."""
    image = images.on_white(images.open_upload(upload, kind=uploads.SLIDE_IMAGE, field="image"))
    image.thumbnail(WALL, Image.Resampling.LANCZOS)
    return ContentFile(images.jpeg(image), name="slide.jpg")
