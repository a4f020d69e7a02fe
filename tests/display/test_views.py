import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from unionhub.audit.models import AuditEvent
from unionhub.congress import services as congress_services
from unionhub.core import scope
from unionhub.display import services
from unionhub.display.models import Screen, Slide


def kiosk_url(token):
    return reverse("display_kiosk", kwargs={"token": token})


def data_url(token):
    return reverse("display_kiosk_data", kwargs={"token": token})


@pytest.fixture
def playlist(world):
    by = world.organiser
    return [
        services.slide_add(screen=world.screen, kind="membership", unit=world.tree.province, by=by),
        services.slide_add(
            screen=world.screen,
            kind="breakdown",
            unit=world.tree.province,
            breakdown="units",
            by=by,
        ),
        services.slide_add(screen=world.screen, kind="attendance", congress=world.congress, by=by),
        services.slide_add(screen=world.screen, kind="programme", congress=world.congress, by=by),
        services.slide_add(
            screen=world.screen,
            kind="text",
            title="Tin hoạt động",
            body="Hội thao công nhân",
            by=by,
        ),
        services.slide_add(
            screen=world.screen,
            kind="qr",
            url="https://unionhub.test/dai-hoi/tai-lieu",
            body="Tài liệu Đại hội",
            by=by,
        ),
    ]


def test_kiosk_page_needs_no_login_and_carries_every_slide(client, world, playlist):
    response = client.get(kiosk_url(world.token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    data = response.context["data"]
    assert [s["kind"] for s in data["slides"]] == [
        "membership",
        "breakdown",
        "attendance",
        "programme",
        "text",
        "qr",
    ]
    assert data["refresh"] == 2  # a live slide is on the playlist
    html = "".join(s["html"] for s in data["slides"])
    assert "Liên đoàn Lao động tỉnh Hà Tĩnh" in html
    assert "Phiên chính thức" in html and "<svg" in html
    assert b"display/kiosk.js" in response.content


def test_kiosk_page_carries_the_emblem_the_unit_and_a_clock(client, world, playlist):
    page = client.get(kiosk_url(world.token)).content.decode()
    assert 'data-testid="kiosk-logo"' in page and "display/emblem.svg" in page
    assert 'class="kiosk-unit">Liên đoàn Lao động tỉnh Hà Tĩnh<' in page
    # The clock is drawn by a static script in the site's time zone (no inline script: CSP).
    assert 'data-tz="Asia/Ho_Chi_Minh"' in page and "display/clock.js" in page


def test_kiosk_data_reflects_a_check_in_and_answers_304_when_unchanged(client, world, playlist):
    first = client.get(data_url(world.token))
    etag = first["ETag"]
    assert client.get(data_url(world.token), HTTP_IF_NONE_MATCH=etag).status_code == 304
    congress_services.checkin_manual(
        session=world.session, delegate=world.delegates[0], by=world.organiser
    )
    second = client.get(data_url(world.token), HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200
    attendance = next(s for s in second.json()["slides"] if s["kind"] == "attendance")
    assert 'data-testid="attendance-present">1<' in attendance["html"]


def test_unknown_and_revoked_links_show_nothing(client, world, playlist):
    services.screen_link_rotate(screen=world.screen, by=world.organiser)
    for url in (
        kiosk_url(world.token),
        data_url(world.token),
        kiosk_url("x" * 32),
        reverse("display_kiosk_image", kwargs={"token": world.token, "pk": playlist[4].pk}),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert re.sub(rb"<[^>]*>", b"", response.content).strip() == b""


def test_kiosk_image_only_through_its_own_screen(client, world, tree):
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "blue").save(out, "PNG")
    upload = SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")
    slide = services.slide_add(
        screen=world.screen, kind="text", body="Ảnh", image=upload, by=world.organiser
    )
    url = reverse("display_kiosk_image", kwargs={"token": world.token, "pk": slide.pk})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    _other, other_token = services.screen_create(
        unit=tree.district_a, name="Khác", by=world.organiser
    )
    foreign = reverse("display_kiosk_image", kwargs={"token": other_token, "pk": slide.pk})
    assert client.get(foreign).status_code == 404
    data = client.get(data_url(world.token)).json()
    assert url in data["slides"][0]["html"]


def test_screen_without_slides_shows_the_unit(client, world):
    data = client.get(data_url(world.token)).json()
    assert data["slides"] == [] and data["refresh"] == 10
    assert "Liên đoàn Lao động tỉnh Hà Tĩnh" in data["idle"]


def test_organiser_creates_a_screen_and_sees_its_link_once(client, world):
    client.force_login(world.organiser)
    response = client.post(
        reverse("display:list"), {"name": "Sảnh chính", "unit": world.tree.province.code}
    )
    screen = Screen.objects.get(name="Sảnh chính")
    assert response.url == reverse("display:screen", args=[screen.pk])
    page = client.get(response.url).content.decode()
    link = page.split('data-testid="screen-link"')[1].split('value="')[1].split('"')[0]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(kiosk_url(token)).status_code == 200
    assert token not in client.get(response.url).content.decode()


def test_organiser_adds_edits_moves_and_removes_slides(client, world):
    client.force_login(world.organiser)
    add = reverse("display:slide_add", args=[world.screen.pk, "membership"])
    response = client.post(
        add, {"duration": 20, "enabled": "on", "unit": world.tree.district_a.code}
    )
    assert response.status_code == 302
    client.post(
        reverse("display:slide_add", args=[world.screen.pk, "qr"]),
        {"duration": 10, "enabled": "on", "url": "https://x.test/docs", "body": "Tài liệu"},
    )
    first, qr = Slide.objects.order_by("position")
    assert (first.unit, first.duration, qr.url) == (
        world.tree.district_a,
        20,
        "https://x.test/docs",
    )
    client.post(
        reverse("display:slide", args=[qr.pk]),
        {"duration": 5, "url": "https://x.test/new", "body": ""},
    )
    qr.refresh_from_db()
    assert (qr.duration, qr.url, qr.enabled) == (5, "https://x.test/new", False)
    client.post(reverse("display:slide_move", args=[qr.pk, "up"]))
    assert list(Slide.objects.order_by("position").values_list("kind", flat=True)) == [
        "qr",
        "membership",
    ]
    client.post(reverse("display:slide_delete", args=[qr.pk]))
    assert list(Slide.objects.values_list("kind", flat=True)) == ["membership"]


def test_slide_form_shows_domain_errors(client, world):
    client.force_login(world.organiser)
    district_screen, _t = services.screen_create(
        unit=world.tree.district_a, name="Đức Thọ", by=world.organiser
    )
    response = client.post(
        reverse("display:slide_add", args=[district_screen.pk, "membership"]),
        {"duration": 20, "unit": world.tree.district_b.code},
    )
    assert response.status_code == 200  # district B is not offered for a district A screen
    assert not Slide.objects.exists()


def test_rotating_from_the_page_kills_the_old_link(client, world):
    client.force_login(world.organiser)
    client.post(reverse("display:rotate", args=[world.screen.pk]))
    assert client.get(kiosk_url(world.token)).status_code == 404
    assert AuditEvent.objects.filter(action="display.screen.link_rotated").count() == 1


def test_preview_uses_the_login_instead_of_the_link(client, world, playlist):
    client.force_login(world.organiser)
    assert client.get(reverse("display:preview", args=[world.screen.pk])).status_code == 200
    data = client.get(reverse("display:preview_data", args=[world.screen.pk])).json()
    assert len(data["slides"]) == 6


def test_officer_out_of_scope_is_refused_everywhere(client, world, playlist, officer_at):
    outsider = officer_at(world.tree.district_b, scope.CONGRESS_ORGANISER)
    client.force_login(outsider)
    pk, slide = world.screen.pk, playlist[0].pk
    gets = [
        reverse("display:screen", args=[pk]),
        reverse("display:preview", args=[pk]),
        reverse("display:preview_data", args=[pk]),
        reverse("display:slide_add", args=[pk, "text"]),
        reverse("display:slide", args=[slide]),
        reverse("display:slide_image", args=[slide]),
    ]
    posts = [
        reverse("display:rename", args=[pk]),
        reverse("display:rotate", args=[pk]),
        reverse("display:delete", args=[pk]),
        reverse("display:slide_move", args=[slide, "down"]),
        reverse("display:slide_delete", args=[slide]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, {"name": "x"}).status_code == 403, url
    assert client.get(reverse("display:list")).context["page_obj"].object_list.count() == 0
    world.screen.refresh_from_db()
    assert Slide.objects.count() == 6 and world.screen.name == "Màn hình LED cổng hội trường"


def test_anonymous_officer_pages_redirect_to_login(client, world):
    response = client.get(reverse("display:screen", args=[world.screen.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_screen_list_filters_sorts_pages_and_exports(client, world):
    services.screen_create(unit=world.tree.district_b, name="Can Lộc", by=world.organiser)
    client.force_login(world.organiser)
    page = client.get(reverse("display:list"), {"q": "can loc"})
    assert [s.name for s in page.context["page_obj"]] == ["Can Lộc"]
    page = client.get(reverse("display:list"), {"sort": "-name"})
    assert [s.name for s in page.context["page_obj"]] == ["Màn hình LED cổng hội trường", "Can Lộc"]
    export = client.get(reverse("display:list"), {"export": "xlsx", "sort": "name"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Can Lộc", "Màn hình LED cổng hội trường"]


def test_home_page_shows_the_dashboard_for_the_officer_scope(client, world, officer_at):
    district = officer_at(world.tree.district_a, scope.VIEWER)
    client.force_login(district)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="dashboard"' in page
    assert 'data-testid="members-total">3<' in page
    assert "Can Lộc" not in page
