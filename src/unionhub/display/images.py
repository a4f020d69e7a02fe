"""Slide pictures: whatever is uploaded becomes a clean JPEG no larger than a 1920 × 1080 wall
(the decoding and its bounds are core.images')."""

from __future__ import annotations

from django.core.files.base import ContentFile

from unionhub.core import images, uploads

WALL = (1920, 1080)


def process(upload) -> ContentFile:
    """A JPEG of the upload, turned upright and fitted inside 1920 × 1080."""
    return images.fitted_jpeg(
        images.decode(upload, kind=uploads.SLIDE_IMAGE), WALL, name="slide.jpg"
    )
