"""Print-ready copies of member photos: made once per photo, kept in storage, embedded as they are.

A card shows the photo 20 × 25 mm, about 236 × 295 pixels at 300 dpi, cut from the members
app's 600 × 800 JPEG. Making that (a reduced-size decode, a crop, a JPEG encode) was the
largest part of a card's rendering time, and it gives the same bytes every time a photo is
printed. So the first print of a photo stores the copy, under the photo's own file name inside
PRINT_DIR, and every later print reads those bytes and hands them to the PDF unchanged
(DCTDecode: no decoding, no re-encoding).

The members app gives every uploaded photo a new random file name, so a changed photo gets a
new copy and a copy never goes stale; the members app needs no change. A copy of a photo that was
replaced since stays behind (about 15 KB); deleting photos is the members app's business.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from unionhub.cards.render import PHOTO_H_MM, PHOTO_W_MM
from unionhub.core.pdf import PrintImage, photo_for_print
from unionhub.members.models import Member

# The photo's size on the card is in the folder's name: a new layout makes new copies instead
# of stretching old ones.
PRINT_DIR = f"cards/print/{PHOTO_W_MM}x{PHOTO_H_MM}mm"


def print_name(photo_name: str) -> str:
    """Where the print-ready copy of the photo stored as `photo_name` is kept."""
    return f"{PRINT_DIR}/{photo_name}"


def print_photo(photo_name: str) -> PrintImage:
    """The print-ready JPEG of the member photo stored as `photo_name`, made and stored (beside
    the photos, in the same storage) on first use."""
    storage = Member._meta.get_field("photo").storage
    name = print_name(photo_name)
    try:
        with storage.open(name, "rb") as stored:
            jpeg = stored.read()
    except FileNotFoundError:
        with storage.open(photo_name, "rb") as source:
            image = photo_for_print(source, PHOTO_W_MM, PHOTO_H_MM)
        # Two renderings of the same new photo at once may both get here; the second finds the
        # name taken and keeps the first copy (the same bytes) rather than saving a renamed one.
        if not storage.exists(name):
            storage.save(name, ContentFile(image.jpeg))
        return image
    with Image.open(io.BytesIO(jpeg)) as header:  # reads the size from the header, no decoding
        width, height = header.size
    return PrintImage(jpeg, width, height)
