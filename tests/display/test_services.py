import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.display import selectors, services
from unionhub.display.models import Screen, Slide


def test_screen_link_is_kept_only_as_its_hash(world):
    stored = Screen.objects.get(pk=world.screen.pk)
    assert world.token not in stored.token_hash
    assert stored.token_hash == selectors.token_hash(world.token)
    assert selectors.screen_by_token(world.token) == world.screen


def test_rotating_the_link_revokes_the_old_one(world):
    new = services.screen_link_rotate(screen=world.screen, by=world.organiser)
    assert new != world.token
    assert selectors.screen_by_token(world.token) is None
    assert selectors.screen_by_token(new) == world.screen


def test_officer_of_another_unit_cannot_create_or_change_screens(world, officer_at):
    outsider = officer_at(world.tree.district_b, scope.CONGRESS_ORGANISER)
    with pytest.raises(OutOfScope):
        services.screen_create(unit=world.tree.district_a, name="Lobby", by=outsider)
    with pytest.raises(OutOfScope):
        services.screen_link_rotate(screen=world.screen, by=outsider)
    with pytest.raises(OutOfScope):
        services.slide_add(screen=world.screen, kind="text", body="x", by=outsider)
    assert selectors.screen_by_token(world.token) == world.screen


def test_a_viewer_cannot_manage_screens_of_their_own_unit(world, officer_at):
    viewer = officer_at(world.tree.province, scope.VIEWER)
    with pytest.raises(OutOfScope):
        services.slide_add(screen=world.screen, kind="text", body="x", by=viewer)


def test_slide_unit_must_lie_inside_the_screen_unit(world, officer_at):
    district_screen, _token = services.screen_create(
        unit=world.tree.district_a, name="Đức Thọ", by=world.organiser
    )
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=district_screen,
            kind="membership",
            unit=world.tree.district_b,
            by=world.organiser,
        )
    assert refused.value.code == "unit_outside_screen"
    slide = services.slide_add(
        screen=district_screen,
        kind="membership",
        unit=world.tree.grassroots_a1,
        by=world.organiser,
    )
    assert slide.unit == world.tree.grassroots_a1


def test_congress_of_a_unit_outside_the_screen_is_refused(world):
    district_screen, _token = services.screen_create(
        unit=world.tree.district_a, name="Đức Thọ", by=world.organiser
    )
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=district_screen,
            kind="attendance",
            congress=world.congress,
            by=world.organiser,
        )
    assert refused.value.code == "congress_outside_screen"


def test_session_must_belong_to_the_chosen_congress(world):
    other = services_congress_of_district(world)
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=world.screen,
            kind="attendance",
            congress=world.congress,
            session=other.sessions.first(),
            by=world.organiser,
        )
    assert refused.value.code == "session_other_congress"


def services_congress_of_district(world):
    from unionhub.congress import services as congress_services

    congress = congress_services.congress_create(
        unit=world.tree.district_a, name="Đại hội huyện", term="2023–2028", by=world.organiser
    )
    congress_services.session_add(
        congress=congress,
        kind="official",
        title="Phiên huyện",
        starts_at=timezone.now(),
        by=world.organiser,
    )
    return congress


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"duration": 0}, "duration_out_of_range"),
        ({"duration": 3601}, "duration_out_of_range"),
        ({"daily_from": dt.time(8)}, "daily_window_incomplete"),
        ({"daily_from": dt.time(8), "daily_until": dt.time(8)}, "daily_window_empty"),
        ({"body": "   "}, "text_required"),
    ],
)
def test_slide_settings_are_checked(world, data, code):
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=world.screen, kind="text", by=world.organiser, **{"body": "Tin", **data}
        )
    assert refused.value.code == code
    assert not Slide.objects.exists()


def test_schedule_must_end_after_it_starts(world):
    now = timezone.now()
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=world.screen,
            kind="text",
            body="Tin",
            shows_from=now,
            shows_until=now - dt.timedelta(hours=1),
            by=world.organiser,
        )
    assert refused.value.code == "schedule_ends_before_start"


def test_qr_slide_needs_a_web_address(world):
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=world.screen, kind="qr", url="javascript:alert(1)", by=world.organiser
        )
    assert refused.value.code == "url_required"


def test_changes_to_screens_and_slides_are_audited(world):
    slide = services.slide_add(screen=world.screen, kind="text", body="Tin", by=world.organiser)
    services.slide_update(slide=slide, body="Tin mới", by=world.organiser)
    services.screen_link_rotate(screen=world.screen, by=world.organiser)
    services.slide_delete(slide=slide, by=world.organiser)
    actions = set(AuditEvent.objects.filter(actor=world.organiser).values_list("action", flat=True))
    assert {
        "display.screen.created",
        "display.slide.added",
        "display.slide.updated",
        "display.screen.link_rotated",
        "display.slide.deleted",
    } <= actions


def test_moving_a_slide_reorders_the_playlist(world):
    a, _b, c = (
        services.slide_add(screen=world.screen, kind="text", body=text, by=world.organiser)
        for text in "ABC"
    )
    services.slide_move(slide=c, offset=-2, by=world.organiser)
    services.slide_move(slide=a, offset=1, by=world.organiser)
    order = [s.body for s in selectors.slide_list(user=world.organiser, screen=world.screen)]
    assert order == ["C", "B", "A"]
    services.slide_move(slide=a, offset=5, by=world.organiser)
    assert [s.body for s in selectors.slide_list(user=world.organiser, screen=world.screen)] == [
        "C",
        "B",
        "A",
    ]


def _photo_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (4000, 3000), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: must not reach storage
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_slide_image_is_reencoded_fitted_and_stripped(world):
    slide = services.slide_add(
        screen=world.screen,
        kind="text",
        body="Tin",
        image=_photo_with_exif(),
        by=world.organiser,
    )
    with Image.open(slide.image.path) as stored:
        assert stored.size == (1440, 1080)
        assert not stored.getexif()


def test_a_file_that_is_not_an_image_is_refused(world):
    upload = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        services.slide_add(screen=world.screen, kind="text", image=upload, by=world.organiser)
    assert refused.value.code == "image_unreadable"


def test_changing_kind_specific_fields_clears_the_others(world):
    slide = services.slide_add(
        screen=world.screen,
        kind="breakdown",
        unit=world.tree.province,
        breakdown="sector",
        body="ignored",
        url="https://x.test/",
        by=world.organiser,
    )
    assert (slide.body, slide.url, slide.breakdown) == ("", "", "sector")


def test_deleting_a_screen_removes_its_slides(world):
    services.slide_add(screen=world.screen, kind="text", body="Tin", by=world.organiser)
    services.screen_delete(screen=world.screen, by=world.organiser)
    assert not Slide.objects.exists()
    assert selectors.screen_by_token(world.token) is None


def test_a_qr_slide_needs_no_caption(world):
    slide = services.slide_add(
        screen=world.screen, kind="qr", url="https://x.test/docs", by=world.organiser
    )
    assert (slide.url, slide.body) == ("https://x.test/docs", "")


def test_figures_are_kept_by_the_services_not_the_selectors(world, django_assert_num_queries):
    today = timezone.localdate()
    province = world.tree.province
    fresh = selectors.membership_figures(unit=province, today=today)
    bars = selectors.breakdown_figures(unit=province, by="units", today=today)
    assert cache.get(f"display:membership:{province.pk}:{province.path}:{today}") is None
    assert cache.get(f"display:breakdown:units:{province.pk}:{province.path}:{today}") is None
    assert services.membership_figures_kept(unit=province, today=today) == fresh
    assert services.breakdown_figures_kept(unit=province, by="units", today=today) == bars
    with django_assert_num_queries(0):
        assert services.membership_figures_kept(unit=province, today=today) == fresh
        assert services.breakdown_figures_kept(unit=province, by="units", today=today) == bars
