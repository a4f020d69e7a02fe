"""Photos: EXIF (GPS) stripped, 3:4 crop, bounded size, thumbnails; non-images refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from unionhub.core.errors import DomainError
from unionhub.members import services
from unionhub.members.models import Member


def phone_photo(width=3000, height=4000, orientation=1) -> bytes:
    """A JPEG as a phone writes it: camera model, GPS position and orientation in EXIF."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (18.0, 20.0, 30.0)  # latitude: Hà Tĩnh
    gps[3], gps[4] = "E", (105.0, 54.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_phone_photo_is_reencoded_without_exif_cropped_and_bounded(admit, registrar_a):
    original = phone_photo(3000, 2000)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there before
    member = services.member_photo_set(member=admit(), by=registrar_a, upload=upload(original))
    stored = Image.open(member.photo.open("rb"))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert stored.size == (600, 800)
    thumb = Image.open(member.photo_thumb.open("rb"))
    assert thumb.size == (150, 200) and dict(thumb.getexif()) == {}
    assert member.version == 2


def test_orientation_from_exif_is_applied_before_cropping(admit, registrar_a):
    # Stored landscape with "rotate 90°" (orientation 6): upright, it is a 600×800 portrait;
    # cropped without turning it first, it would have become 450×600.
    member = services.member_photo_set(
        member=admit(), by=registrar_a, upload=upload(phone_photo(800, 600, orientation=6))
    )
    assert Image.open(member.photo.open("rb")).size == (600, 800)


def test_small_png_with_transparency_is_kept_small_and_flattened(admit, registrar_a):
    image = Image.new("RGBA", (90, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    member = services.member_photo_set(
        member=admit(), by=registrar_a, upload=upload(out.getvalue(), "a.png")
    )
    stored = Image.open(member.photo.open("rb"))
    assert stored.size == (90, 120) or stored.size[0] * 4 == stored.size[1] * 3
    assert stored.mode == "RGB"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(admit, registrar_a, media):
    member = admit()
    with pytest.raises(DomainError) as refused:
        services.member_photo_set(
            member=member, by=registrar_a, upload=upload(b"%PDF-1.4 not a photo", "cv.pdf")
        )
    assert refused.value.code == "photo_not_image"
    member.refresh_from_db()
    assert not member.photo and member.version == 1
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_truncated_jpeg_is_refused(admit, registrar_a):
    with pytest.raises(DomainError) as refused:
        services.member_photo_set(
            member=admit(), by=registrar_a, upload=upload(phone_photo()[:3000])
        )
    assert refused.value.code == "photo_not_image"


def test_upload_through_the_page_shows_a_clear_message_for_a_non_image(client, admit, registrar_a):
    member = admit()
    client.force_login(registrar_a)
    response = client.post(
        reverse("members:photo_upload", args=[member.pk]),
        {"photo": upload(b"hello", "note.txt")},
        follow=True,
    )
    assert "JPEG" in response.content.decode()
    assert not Member.objects.get(pk=member.pk).photo


def test_photo_is_served_only_within_scope(client, admit, registrar_a, registrar_b):
    member = services.member_photo_set(
        member=admit(), by=registrar_a, upload=upload(phone_photo(600, 800))
    )
    client.force_login(registrar_a)
    response = client.get(reverse("members:photo", args=[member.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(registrar_b)
    assert client.get(reverse("members:photo", args=[member.pk])).status_code == 403
    assert client.get(reverse("members:photo_thumb", args=[member.pk])).status_code == 403
