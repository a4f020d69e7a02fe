"""A commune union's officer writes a story with photos on a phone-size screen and submits it;
the admin publishes it; it is on the public portal (no login) and on the LED news slide."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.world import found_commune
from unionhub.core import scope
from unionhub.display import services as display_services
from unionhub.news.models import State, Story
from unionhub.orgs import services as org_services

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def private_storage_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


def _photo(path, colour):
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), colour).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_a_story_goes_from_a_phone_to_the_portal_and_the_wall(
    page, live_server, login, tree, tmp_path
):
    from django.contrib.auth import get_user_model

    commune = found_commune(tree)
    writer = get_user_model().objects.create_user("xa.tuyen", password="pw-writer")
    org_services.role_grant(user=writer, unit=commune, role=scope.COMMUNICATIONS, by=tree.admin)
    page.set_viewport_size(PHONE)
    login("xa.tuyen", "pw-writer")
    page.goto(live_server.url + reverse("news:create"))
    page.fill("input[name=unit]", commune.code)
    page.fill("input[name=title]", "Xã Đức Thọ trao quà cho đoàn viên")
    page.fill("textarea[name=summary]", "Mười suất quà cho đoàn viên khó khăn.")
    page.select_option("select[name=category]", "care")
    editor = page.locator(".rich-editor")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("Sáng nay công đoàn xã trao quà.")
    page.set_input_files("input[name=cover]", _photo(tmp_path / "cover.jpg", (200, 40, 40)))
    page.click("form.story-form button[type=submit]")
    expect(page.get_by_text("Đã lưu tin bài", exact=False)).to_be_visible()
    page.set_input_files("input[name=image]", _photo(tmp_path / "photo.jpg", (40, 200, 40)))
    page.click("text=Thêm ảnh")
    page.click("text=Gửi duyệt")
    # The submission's answer (and the cookie it sets) must land before the cookies are
    # cleared for the next officer, or it would replace the next login form's CSRF cookie.
    page.wait_for_load_state("networkidle")
    story = Story.objects.get()
    assert story.state == State.SUBMITTED
    assert "Sáng nay công đoàn xã trao quà." in story.body
    assert story.images.count() == 1

    page.context.clear_cookies()
    login("root", "pw-root")
    page.goto(live_server.url + reverse("news:edit", args=[story.pk]))
    page.click("button:text-is('Đăng')")
    expect(page.get_by_text("Đã đăng tin bài")).to_be_visible()

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("news_portal", args=[tree.province.code]))
    expect(page.get_by_text("Xã Đức Thọ trao quà cho đoàn viên")).to_be_visible()
    page.click("text=Xã Đức Thọ trao quà cho đoàn viên")
    expect(page.locator("meta[property='og:title']")).to_have_attribute(
        "content", "Xã Đức Thọ trao quà cho đoàn viên"
    )

    screen, token = display_services.screen_create(unit=tree.province, name="Sảnh", by=tree.admin)
    display_services.slide_add(
        screen=screen, kind="news.stories", by=tree.admin, params={"count": 3}, title="Tin"
    )
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_server.url + reverse("display_kiosk", kwargs={"token": token}))
    expect(page.get_by_text("Xã Đức Thọ trao quà cho đoàn viên")).to_be_visible(timeout=15000)


# A second of video recorded by the browser itself (no video file or encoder on the machine):
# a canvas changing colour, captured and recorded as WebM (VP8).
RECORD_WEBM = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 120;
  const context = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(25), {mimeType: "video/webm;codecs=vp8"});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  let frame = 0;
  const paint = setInterval(() => {
    context.fillStyle = frame++ % 2 ? "#b3261e" : "#1d4e89";
    context.fillRect(0, 0, 160, 120);
  }, 40);
  recorder.start(100);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.stop();
  await stopped;
  clearInterval(paint);
  const data = new Uint8Array(await new Blob(chunks).arrayBuffer());
  return Array.from(data);
}"""


def test_a_storys_video_is_uploaded_and_plays_from_the_portal_in_ranges(
    page, browser, live_server, login, tree, tmp_path
):
    from django.contrib.auth import get_user_model

    from tests.news.helpers import write
    from unionhub.news import services

    recorder = browser.new_page()
    video = tmp_path / "clip.webm"
    video.write_bytes(bytes(recorder.evaluate(RECORD_WEBM)))
    recorder.close()

    writer = get_user_model().objects.create_user("xa.video", password="pw-writer")
    org_services.role_grant(
        user=writer, unit=tree.grassroots_a1, role=scope.COMMUNICATIONS, by=tree.admin
    )
    story = write(tree.grassroots_a1, writer, title="Hội diễn văn nghệ công nhân")
    login("xa.video", "pw-writer")
    page.goto(live_server.url + reverse("news:edit", args=[story.pk]))
    page.set_input_files("input[name=video]", str(video))
    page.set_input_files("input[name=poster]", _photo(tmp_path / "poster.jpg", (30, 30, 160)))
    page.click("text=Thêm video")
    expect(page.get_by_text("Đã thêm video.")).to_be_visible()
    story.refresh_from_db()
    assert story.video_type == "video/webm"
    services.submit(by=writer, story=story)
    services.publish(by=writer, story=story)

    page.context.clear_cookies()
    pieces: list[int] = []
    page.on("response", lambda r: pieces.append(r.status) if "/p/video/" in r.url else None)
    page.goto(live_server.url + reverse("news_story", args=[story.unit.code, story.slug]))
    player = page.get_by_test_id("story-video")
    expect(player).to_have_attribute("poster", f"/p/video/{story.pk}/poster.jpg")
    # The browser reads the video's header through the range handler and knows its size.
    page.wait_for_function(
        "document.querySelector('[data-testid=story-video]').readyState >= 1", timeout=10000
    )
    assert page.evaluate("document.querySelector('[data-testid=story-video]').videoWidth") == 160
    assert 206 in pieces
