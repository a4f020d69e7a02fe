"""Print-ready photo copies: made on a photo's first print, stored, then embedded unchanged."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfReader

from unionhub.cards import photos, printing, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_first_print_stores_a_copy_at_print_resolution(admit):
    member = admit(photo=True)
    name = photos.print_name(member.photo.name)
    assert not default_storage.exists(name)
    image = photos.print_photo(member.photo.name)
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == image.jpeg
    with Image.open(io.BytesIO(image.jpeg)) as copy:
        # 20 × 25 mm at 300 dpi is 236 × 295; JPEG's reduced decode may leave a little more.
        assert 236 <= copy.width <= 236 * 4 / 3 and abs(copy.width / copy.height - 0.8) < 0.01
    assert image.getSize() == copy.size


def test_later_prints_read_the_stored_copy_instead_of_the_photo(admit):
    member = admit(photo=True)
    photos.print_photo(member.photo.name)
    # Put a different picture in the copy's place: what comes back is read, not remade.
    marker = io.BytesIO()
    Image.new("RGB", (240, 300), (0, 90, 200)).save(marker, "JPEG")
    name = photos.print_name(member.photo.name)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(marker.getvalue()))
    again = photos.print_photo(member.photo.name)
    assert again.jpeg == marker.getvalue()
    assert again.getSize() == (240, 300)


def test_the_card_pdf_embeds_the_stored_jpeg_as_is(admit, registrar, approver, series):
    member = admit(photo=True)
    card = services.card_request(member=member, by=registrar)
    card = services.card_approve(card=card, by=approver)
    out = io.BytesIO()
    printing.render_cards([card], out, layout="single", base_url="https://the.example.vn/")
    with default_storage.open(photos.print_name(member.photo.name), "rb") as stored:
        copy = stored.read()
    front = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    images = [
        xobject.get_object()
        for xobject in front["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert [list(image["/Filter"]) for image in images] == [["/DCTDecode"]]
    assert images[0].get_data() == copy
