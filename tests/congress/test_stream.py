"""Live streams: the organiser sets a session's stream links and status; the congress's public
page and the delegates' page show "live now" with a QR code to the stream, then the recording;
the LED wall's live-stream slide does the same. Nothing else is public."""

from __future__ import annotations

import pytest

from tests.congress.helpers import token_of
from unionhub.audit.models import AuditEvent
from unionhub.congress import services
from unionhub.congress.actions import Action
from unionhub.congress.models import Session, StreamStatus
from unionhub.core import registry, scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.display import kiosk
from unionhub.display import services as display_services

pytestmark = pytest.mark.django_db

FACEBOOK = "https://www.facebook.com/congdoanhatinh/live/123"
YOUTUBE = "https://www.youtube.com/watch?v=abcdef"
RECORDING = "https://baohatinh.vn/video/dai-hoi-phien-chinh-thuc"


def go_live(setup, **links) -> Session:
    return services.session_stream_set(
        session=setup.opening,
        stream_status=StreamStatus.LIVE,
        stream_facebook=links.get("facebook", FACEBOOK),
        stream_youtube=links.get("youtube", YOUTUBE),
        by=setup.organiser,
    )


def to_recording(setup) -> Session:
    return services.session_stream_set(
        session=setup.opening,
        stream_status=StreamStatus.RECORDING,
        stream_facebook=FACEBOOK,
        recording_url=RECORDING,
        by=setup.organiser,
    )


# The service ---------------------------------------------------------------------------------


def test_organiser_sets_the_stream_and_an_audit_row_says_so(setup):
    go_live(setup)
    session = Session.objects.get(pk=setup.opening.pk)
    assert (session.stream_status, session.stream_facebook, session.stream_youtube) == (
        "live",
        FACEBOOK,
        YOUTUBE,
    )
    assert session.stream_url == FACEBOOK  # the QR code's: the first link given
    event = AuditEvent.objects.get(action=Action.STREAM_SET, target_id=session.pk)
    assert event.data["after"]["stream_status"] == "live"
    assert event.data["before"]["stream_status"] == "upcoming"


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://example.com/video.mp4", "data:text/html,hi", "not a link"],
)
def test_a_link_that_is_not_a_web_address_is_refused(setup, link):
    with pytest.raises(DomainError) as refused:
        go_live(setup, facebook=link)
    assert refused.value.field == "stream_facebook"
    assert Session.objects.get(pk=setup.opening.pk).stream_status == "upcoming"


def test_live_needs_a_stream_link_and_a_recording_needs_its_link(setup):
    with pytest.raises(DomainError) as refused:
        services.session_stream_set(session=setup.opening, stream_status="live", by=setup.organiser)
    assert refused.value.code == "stream_link_required"
    with pytest.raises(DomainError) as refused:
        services.session_stream_set(
            session=setup.opening,
            stream_status="recording",
            stream_youtube=YOUTUBE,
            by=setup.organiser,
        )
    assert refused.value.field == "recording_url"
    with pytest.raises(DomainError):
        services.session_stream_set(
            session=setup.opening, stream_status="on_air", by=setup.organiser
        )


def test_an_organiser_of_another_unit_cannot_set_the_stream(setup):
    with pytest.raises(OutOfScope):
        services.session_stream_set(
            session=setup.opening,
            stream_status="live",
            stream_facebook=FACEBOOK,
            by=setup.other_organiser,
        )
    assert not AuditEvent.objects.filter(action=Action.STREAM_SET).exists()


# The organiser's page --------------------------------------------------------------------


def test_organiser_sets_the_stream_on_the_sessions_page(client, setup):
    client.force_login(setup.organiser)
    url = f"/congress/sessions/{setup.opening.pk}/stream/"
    page = client.get(url).content.decode()
    assert f"/p/congress/{setup.congress.pk}/" in page
    response = client.post(
        url,
        {"stream_status": "live", "stream_facebook": FACEBOOK, "stream_youtube": ""},
    )
    assert response.status_code == 302
    assert Session.objects.get(pk=setup.opening.pk).stream_status == "live"
    assert "<svg" in client.get(url).content.decode()  # the QR code of the stream

    refused = client.post(url, {"stream_status": "recording", "recording_url": ""})
    assert refused.status_code == 200
    assert "Hãy nhập đường dẫn của bản ghi hình." in refused.content.decode()
    assert Session.objects.get(pk=setup.opening.pk).stream_status == "live"


def test_sibling_and_other_unit_organisers_are_refused_the_page(client, setup, tree, officer_at):
    sibling = officer_at(tree.district_a, scope.CONGRESS_ORGANISER)
    url = f"/congress/sessions/{setup.opening.pk}/stream/"
    for stranger in (sibling, setup.other_organiser):
        client.force_login(stranger)
        assert client.get(url).status_code in (403, 404)
        response = client.post(url, {"stream_status": "live", "stream_facebook": FACEBOOK})
        assert response.status_code in (403, 404)
    assert Session.objects.get(pk=setup.opening.pk).stream_status == "upcoming"


# What the public and the delegates see ---------------------------------------------------


def test_public_page_shows_live_now_with_a_qr_then_the_recording(client, setup):
    url = f"/p/congress/{setup.congress.pk}/"
    before = client.get(url).content.decode()
    assert "Phiên chính thức" in before and "Đang phát trực tiếp" not in before

    go_live(setup)
    live = client.get(url).content.decode()
    assert 'data-testid="live-now"' in live and "<svg" in live
    assert FACEBOOK in live and YOUTUBE in live
    assert RECORDING not in live

    to_recording(setup)
    after = client.get(url).content.decode()
    assert 'data-testid="live-now"' not in after
    assert f'href="{RECORDING}"' in after


def test_public_page_holds_no_personal_data_and_no_delegates_notices(client, setup):
    go_live(setup)
    page = client.get(f"/p/congress/{setup.congress.pk}/").content.decode()
    assert setup.congress.name in page
    for private in ("Nguyễn Văn An", "Đoàn huyện Can Lộc", "Đại biểu có mặt lúc 7 giờ 30."):
        assert private not in page
    assert "Dự thảo Báo cáo chính trị" not in page


def test_a_congress_of_a_dissolved_or_unknown_unit_has_no_public_page(client, setup):
    assert client.get("/p/congress/999999/").status_code == 404


def test_delegate_page_shows_live_now_and_then_the_recording(client, setup):
    url = f"/d/{token_of(setup.elected[0])}"
    go_live(setup)
    page = client.get(url).content.decode()
    assert 'data-testid="live-now"' in page and FACEBOOK in page and "<svg" in page
    to_recording(setup)
    page = client.get(url).content.decode()
    assert 'data-testid="live-now"' not in page and RECORDING in page


# The LED wall ----------------------------------------------------------------------------


def test_the_wall_shows_the_live_stream_then_the_recording_and_nothing_before(setup):
    screen, _token = display_services.screen_create(
        unit=setup.congress.unit, name="Sảnh chính", by=setup.organiser
    )
    display_services.slide_add(
        screen=screen,
        kind="congress.stream",
        params={"congress": setup.congress.pk},
        by=setup.organiser,
    )

    def drawn() -> list[str]:
        return [s["html"] for s in kiosk.payload(screen=screen, image_url=lambda s: "")["slides"]]

    assert drawn() == []  # nothing streamed yet: left out of the playlist
    go_live(setup)
    (html,) = drawn()
    assert 'data-testid="live-now"' in html and FACEBOOK in html and "<svg" in html
    to_recording(setup)
    (html,) = drawn()
    assert "live-now" not in html and RECORDING in html


def test_a_congress_outside_the_screens_unit_is_refused(setup, tree):
    source = registry.slide_sources()["congress.stream"]
    with pytest.raises(DomainError) as refused:
        source.check(
            {"congress": setup.other_congress.pk}, user=setup.organiser, unit=tree.district_a
        )
    assert refused.value.field == "congress"
    assert source.content({"congress": setup.congress.pk}, unit=tree.district_a, now=None) is None


def test_the_organiser_adds_the_live_stream_slide_on_the_screens_page(client, setup):
    screen, _token = display_services.screen_create(
        unit=setup.congress.unit, name="Sảnh chính", by=setup.organiser
    )
    client.force_login(setup.organiser)
    add = f"/display/{screen.pk}/slides/add/congress.stream/"
    form = client.get(add).content.decode()
    assert setup.congress.name in form and setup.other_congress.name in form  # both inside
    district_screen, _token = display_services.screen_create(
        unit=setup.other_congress.unit, name="Huyện", by=setup.organiser
    )
    district_form = client.get(
        f"/display/{district_screen.pk}/slides/add/congress.stream/"
    ).content.decode()
    assert setup.other_congress.name in district_form
    assert setup.congress.name not in district_form  # the province's is not the district's
    response = client.post(
        add, {"duration": 15, "enabled": "on", "source-congress": setup.congress.pk}
    )
    assert response.status_code == 302
    (slide,) = screen.slides.all()
    assert (slide.kind, slide.params) == ("congress.stream", {"congress": setup.congress.pk})


def test_the_public_page_costs_two_queries(client, setup, django_assert_num_queries):
    go_live(setup)
    with django_assert_num_queries(2):
        assert client.get(f"/p/congress/{setup.congress.pk}/").status_code == 200


def test_the_units_portal_lists_its_congresses_and_says_which_is_live(client, setup, tree):
    from django.core.cache import cache

    cache.clear()  # the portal's home is kept 30 s
    province = client.get(f"/p/{tree.province.code}/").content.decode()
    assert f'href="/p/congress/{setup.congress.pk}/"' in province
    assert setup.other_congress.name not in province  # the district's is on its own portal
    assert 'data-testid="portal-live"' not in province
    go_live(setup)
    cache.clear()
    assert 'data-testid="portal-live"' in client.get(f"/p/{tree.province.code}/").content.decode()
    district = client.get(f"/p/{tree.district_b.code}/").content.decode()
    assert setup.other_congress.name in district and setup.congress.name not in district
    assert (
        'data-testid="portal-congresses"'
        not in client.get(f"/p/{tree.district_a.code}/").content.decode()
    )
    cache.clear()
