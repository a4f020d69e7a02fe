"""Congress in the browser: a delegate opens their page from the card's QR on a phone; an
organiser checks delegates in by name and with a USB scanner; attendance follows on a second
screen; a station that loses the network keeps checking in and uploads when it is back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.congress.helpers import build_setup, token_of
from unionhub.congress.models import CheckIn
from unionhub.congress.pdf import card_url

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(tree, officer_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_setup(tree, officer_at)


def test_delegate_opens_their_page_from_the_qr_on_a_phone_and_reads_a_document(
    page, live_server, setup
):
    page.set_viewport_size(PHONE)
    page.goto(card_url(live_server.url, setup.elected[0]))
    expect(page.get_by_test_id("delegate-name")).to_have_text("Nguyễn Văn An")
    expect(page.get_by_test_id("programme")).to_contain_text("Phiên chính thức")
    documents = page.get_by_test_id("documents")
    expect(documents).to_contain_text("Dự thảo Báo cáo chính trị")
    expect(documents).not_to_contain_text("Kịch bản điều hành")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_response(lambda r: "/doc/" in r.url) as opened:
        page.get_by_role("link", name="Dự thảo Báo cáo chính trị").click()
    response = opened.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # Chromium shows it in its own PDF viewer; the file itself is the published PDF.
    expect(page).to_have_url(response.url)
    assert page.request.get(response.url).body().startswith(b"%PDF-")
    setup.delegates_doc.refresh_from_db()
    assert setup.delegates_doc.views == 2


def test_revoked_card_shows_why_on_the_phone(page, live_server, setup):
    from unionhub.congress import services

    url = card_url(live_server.url, setup.guest)
    services.delegate_card_revoke(delegate=setup.guest, by=setup.organiser)
    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(page.get_by_test_id("refused")).to_contain_text("Thẻ đã bị thu hồi")


def test_station_checks_in_by_name_and_by_usb_scanner_and_attendance_follows(
    login, page, live_server, setup
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(setup.organiser.username, f"pw-{setup.organiser.username}")
    screen = page.context.new_page()  # the attendance screen beside the station
    screen.goto(f"{live_server.url}/congress/sessions/{setup.opening.pk}/attendance/")
    expect(screen.get_by_test_id("present-total")).to_have_text("0 / 9")

    page.goto(f"{live_server.url}/congress/sessions/{setup.opening.pk}/station/")
    expect(page.locator("#roster-state")).to_contain_text("9")

    # Manual check-in: search by name without diacritics.
    page.get_by_test_id("name-search").fill("tran thi binh")
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("Trần Thị Bình")
    results.get_by_role("button", name="Điểm danh").click()
    result = page.get_by_test_id("scan-result")
    expect(result).to_have_attribute("data-status", "checked_in")
    expect(result).to_contain_text("Trần Thị Bình")
    expect(screen.get_by_test_id("present-total")).to_have_text("1 / 9", timeout=3000)

    # A USB scanner types the card's URL and presses Enter.
    scan = page.get_by_test_id("scan-input")
    scan.focus()
    page.keyboard.type(card_url(live_server.url, setup.elected[0]) + "\n")
    expect(result).to_have_attribute("data-status", "checked_in")
    expect(result).to_contain_text("Nguyễn Văn An")
    expect(result).to_contain_text("Đoàn huyện Can Lộc")
    expect(screen.get_by_test_id("present-total")).to_have_text("2 / 9", timeout=3000)

    page.keyboard.type(token_of(setup.elected[0]) + "\n")
    expect(result).to_have_attribute("data-status", "already")
    expect(result).to_contain_text("Đã điểm danh lúc")

    page.keyboard.type(token_of(setup.other_delegate) + "\n")
    expect(result).to_have_attribute("data-status", "refused")
    expect(result).to_contain_text("Thẻ này thuộc đại hội khác.")

    # Undo the last good check-in from the result panel.
    page.keyboard.type(token_of(setup.elected[2]) + "\n")
    expect(result).to_have_attribute("data-status", "checked_in")
    result.get_by_role("button", name="Hoàn tác").click()
    expect(result).to_have_attribute("data-status", "undone")
    expect(screen.get_by_test_id("present-total")).to_have_text("2 / 9", timeout=3000)
    assert CheckIn.objects.filter(session=setup.opening).count() == 2


def test_offline_station_keeps_checking_in_and_uploads_when_back(login, page, live_server, setup):
    login(setup.organiser.username, f"pw-{setup.organiser.username}")
    page.goto(f"{live_server.url}/congress/sessions/{setup.opening.pk}/station/")
    expect(page.locator("#roster-state")).to_contain_text("9")
    page.context.set_offline(True)

    scan = page.get_by_test_id("scan-input")
    result = page.get_by_test_id("scan-result")
    scan.focus()
    page.keyboard.type(token_of(setup.elected[3]) + "\n")
    expect(result).to_have_attribute("data-status", "checked_in")
    expect(result).to_contain_text("Phạm Thị Dung")
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")
    # Checked locally: a second scan, a tampered card and a foreign card are answered offline.
    page.keyboard.type(token_of(setup.elected[3]) + "\n")
    expect(result).to_have_attribute("data-status", "already")
    page.keyboard.type(token_of(setup.elected[4])[:-4] + "AAAA\n")
    expect(result).to_have_attribute("data-status", "refused")
    page.keyboard.type(token_of(setup.other_delegate) + "\n")
    expect(result).to_contain_text("Thẻ này thuộc đại hội khác.")
    expect(page.locator("#queue-state")).to_have_attribute("data-count", "1")
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-state")).to_have_attribute("data-count", "0")
    checkin = CheckIn.objects.get()
    assert (checkin.delegate_id, checkin.source) == (setup.elected[3].pk, "offline")


def test_congress_page_shows_live_now_and_switches_to_the_recording(
    login, page, browser, live_server, setup
):
    facebook = "https://www.facebook.com/congdoanhatinh/videos/123"
    recording = "https://baohatinh.vn/video/dai-hoi-phien-chinh-thuc"
    public = browser.new_page(viewport=PHONE)  # a reader without an account, on a phone
    refused: list[str] = []  # its own context: the autouse CSP check does not see it
    public.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    public.goto(f"{live_server.url}/p/congress/{setup.congress.pk}/")
    expect(public.get_by_test_id("programme")).to_contain_text("Phiên chính thức")
    expect(public.get_by_test_id("live-now")).to_have_count(0)

    login(setup.organiser.username, f"pw-{setup.organiser.username}")
    page.goto(f"{live_server.url}/congress/{setup.congress.pk}/")
    page.get_by_test_id("sessions").get_by_role("link", name="Truyền hình trực tiếp").first.click()
    page.select_option("select[name=stream_status]", "live")
    page.fill("input[name=stream_facebook]", facebook)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("stream-status")).to_have_text("Đang phát trực tiếp")

    public.reload()
    live = public.get_by_test_id("live-now")
    expect(live).to_contain_text("Đang phát trực tiếp")
    expect(live).to_contain_text("Phiên chính thức")
    expect(live.get_by_role("link", name="Xem trên Facebook")).to_have_attribute("href", facebook)
    expect(live.locator("svg")).to_be_visible()  # the QR code of the stream
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.select_option("select[name=stream_status]", "recording")
    page.fill("input[name=recording_url]", recording)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("stream-status")).to_have_text("Đã có bản ghi hình")

    public.reload()
    expect(public.get_by_test_id("live-now")).to_have_count(0)
    expect(public.get_by_test_id("recording-link")).to_have_attribute("href", recording)
    public.close()
    assert refused == []
