"""A unit's own logo: any picture becomes a PNG of at most 512 px with transparency kept and no
EXIF; units without one show the nearest logo above them; the LED bar carries it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.display import services as display_services
from unionhub.orgs import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(size=(1200, 900), mode="RGBA", fmt="PNG", exif=False) -> SimpleUploadedFile:
    image = Image.new(mode, size, (200, 30, 30, 0) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "PhoneMaker"  # camera make
        image.save(out, fmt, exif=info)
    else:
        image.save(out, fmt)
    return SimpleUploadedFile(f"logo.{fmt.lower()}", out.getvalue())


def stored(unit) -> Image.Image:
    unit.refresh_from_db()
    with unit.logo.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_a_logo_is_a_bounded_png_that_keeps_transparency(tree, officer_at):
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    services.unit_logo_set(unit=tree.province, upload=picture(), by=admin)
    image = stored(tree.province)
    assert image.format == "PNG" and max(image.size) == 512 and image.mode == "RGBA"
    assert image.getpixel((10, 10))[3] == 0  # transparent stays transparent
    assert AuditEvent.objects.filter(action="orgs.unit.logo_set").count() == 1


def test_exif_is_stripped(tree, officer_at):
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    services.unit_logo_set(
        unit=tree.province, upload=picture(mode="RGB", fmt="JPEG", exif=True), by=admin
    )
    assert not stored(tree.province).getexif()


def test_units_without_a_logo_show_the_nearest_one_above(tree, officer_at):
    assert selectors.logo_unit(tree.grassroots_a1) is None
    services.unit_logo_set(
        unit=tree.province, upload=picture(), by=officer_at(tree.province, scope.UNIT_ADMIN)
    )
    assert selectors.logo_unit(tree.grassroots_a1) == tree.province
    services.unit_logo_set(
        unit=tree.district_a, upload=picture(), by=officer_at(tree.district_a, scope.UNIT_ADMIN)
    )
    assert selectors.logo_unit(tree.grassroots_a1) == tree.district_a
    assert selectors.logo_unit(tree.district_b) == tree.province
    services.unit_logo_set(
        unit=tree.district_a, upload=None, by=officer_at(tree.district_a, scope.UNIT_ADMIN)
    )
    assert selectors.logo_unit(tree.grassroots_a1) == tree.province


def test_bad_pictures_are_refused_and_the_old_logo_stays(tree, officer_at):
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    services.unit_logo_set(unit=tree.province, upload=picture(), by=admin)
    before = stored(tree.province).tobytes()
    for bad in (
        SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>"),
        SimpleUploadedFile("logo.png", b"%PDF-1.4"),
    ):
        with pytest.raises(DomainError) as refused:
            services.unit_logo_set(unit=tree.province, upload=bad, by=admin)
        assert refused.value.field == "logo"
    assert stored(tree.province).tobytes() == before


def test_only_the_units_admin_may_change_it(tree, officer_at):
    sibling = officer_at(tree.district_b, scope.UNIT_ADMIN)
    with pytest.raises(OutOfScope):
        services.unit_logo_set(unit=tree.district_a, upload=picture(), by=sibling)
    registrar = officer_at(tree.district_a, scope.REGISTRAR)
    with pytest.raises(OutOfScope):
        services.unit_logo_set(unit=tree.district_a, upload=picture(), by=registrar)


def test_the_page_uploads_and_the_public_route_serves_it(client, tree, officer_at):
    client.force_login(officer_at(tree.district_a, scope.UNIT_ADMIN))
    response = client.post(reverse("orgs:logo", args=[tree.district_a.pk]), {"logo": picture()})
    assert response.status_code == 302
    client.logout()
    served = client.get(reverse("unit_logo", args=[tree.grassroots_a1.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert client.get(reverse("unit_logo", args=[tree.district_b.pk])).status_code == 404


def test_the_sibling_admin_cannot_open_the_logo_page(client, tree, officer_at):
    client.force_login(officer_at(tree.district_b, scope.UNIT_ADMIN))
    response = client.post(reverse("orgs:logo", args=[tree.district_a.pk]), {"logo": picture()})
    assert response.status_code in (403, 404)
    tree.district_a.refresh_from_db()
    assert not tree.district_a.logo


def test_the_led_bar_carries_the_units_logo(client, tree, officer_at):
    organiser = officer_at(tree.district_a, scope.CONGRESS_ORGANISER)
    _screen, token = display_services.screen_create(unit=tree.district_a, name="LED", by=organiser)
    kiosk = reverse("display_kiosk", kwargs={"token": token})
    assert "display/emblem" in client.get(kiosk).content.decode()
    services.unit_logo_set(
        unit=tree.province, upload=picture(), by=officer_at(tree.province, scope.UNIT_ADMIN)
    )
    page = client.get(kiosk).content.decode()
    assert reverse("unit_logo", args=[tree.district_a.pk]) + "?v=" in page
