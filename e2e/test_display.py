"""The LED screen in Chromium: every slide fits 1920 × 1080, 768 × 432 and 384 × 192 (screenshots
under test-results/display/), a check-in reaches the wall, the wall outlives its server, and a
revoked link shows nothing."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from unionhub.congress import services as congress_services
from unionhub.core import scope
from unionhub.display import kiosk, services
from unionhub.members import services as member_services
from unionhub.orgs import services as org_services

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-results" / "display"
VIEWPORTS = [(1920, 1080), (768, 432), (384, 192)]
LONG_NAME = "Công đoàn Công ty Cổ phần Đầu tư Phát triển Hạ tầng Khu công nghiệp Vũng Áng"

# Every element's box inside the viewport, and nothing to scroll to.
OUTSIDE_VIEWPORT = """() => {
  const w = window.innerWidth, h = window.innerHeight, bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1)
      bad.push(`${el.tagName}.${el.className} ${[r.left, r.top, r.right, r.bottom]}`);
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > w + 1 || doc.scrollHeight > h + 1) bad.push("document scrolls");
  return bad;
}"""


@pytest.fixture(autouse=True)
def private_storage_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def hall(tree, officer_at):
    """Members under the province (one grassroots union with a very long name), a congress in
    session now with delegates, and its organiser."""
    long_unit = org_services.unit_found(
        code="HT-CL-0002",
        name=LONG_NAME,
        level=40,
        parent=tree.district_b,
        founded=dt.date(2012, 1, 1),
        by=tree.admin,
    )
    joined = dt.date(2020, 3, 1)
    for unit, count in [
        (tree.grassroots_a1, 5),
        (tree.grassroots_a2, 3),
        (tree.grassroots_b1, 2),
        (long_unit, 7),
    ]:
        for i in range(count):
            member_services.member_admit(
                unit=unit,
                by=tree.admin,
                joined=joined,
                full_name=f"Nguyễn Thị Thành Viên {unit.pk}-{i}",
                gender="female" if i % 2 else "male",
            )
    organiser = officer_at(tree.province, scope.CONGRESS_ORGANISER)
    congress = congress_services.congress_create(
        unit=tree.province,
        name="Đại hội đại biểu Công đoàn tỉnh Hà Tĩnh lần thứ XIX, nhiệm kỳ 2023–2028",
        term="2023–2028",
        by=organiser,
    )
    now = timezone.now()
    session = congress_services.session_add(
        congress=congress,
        kind="official",
        title="Phiên chính thức: thảo luận Báo cáo chính trị và các văn kiện Đại hội",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        place="Hội trường Trung tâm Hội nghị tỉnh",
        by=organiser,
    )
    for offset, title in enumerate(
        ["Phiên bế mạc", "Tiệc chiêu đãi", "Họp Ban Chấp hành khóa mới"]
    ):
        congress_services.session_add(
            congress=congress,
            kind="closing",
            title=title,
            starts_at=now + dt.timedelta(hours=3 + offset),
            by=organiser,
        )
    delegates = [
        congress_services.delegate_add(
            congress=congress, category=category, full_name=f"Đại biểu {i}", by=organiser
        )
        for i, category in enumerate(["elected"] * 6 + ["ex_officio", "invited"])
    ]
    return {
        "tree": tree,
        "organiser": organiser,
        "congress": congress,
        "session": session,
        "delegates": delegates,
    }


def _picture() -> SimpleUploadedFile:
    image = Image.new("RGB", (1600, 1200), "#1d4e89")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("hoi-thao.jpg", out.getvalue(), content_type="image/jpeg")


def _slides(hall) -> dict[str, dict]:
    tree = hall["tree"]
    return {
        "membership": {"unit": tree.province},
        "breakdown": {"unit": tree.province, "breakdown": "units"},
        "breakdown-sector": {"unit": tree.province, "breakdown": "sector"},
        "attendance": {"congress": hall["congress"]},
        "programme": {"congress": hall["congress"]},
        "text": {
            "title": "Hội thao công nhân viên chức lao động năm 2026",
            "body": (
                "Sáng nay, hơn 1.200 vận động viên của 45 công đoàn cơ sở tranh tài ở 8 môn: "
                "bóng đá, bóng chuyền, cầu lông, kéo co, chạy việt dã, cờ tướng, bóng bàn và "
                "văn nghệ quần chúng. Ban tổ chức trao 64 bộ huy chương cho các đơn vị."
            ),
            "image": _picture(),
        },
        "qr": {
            "url": "https://unionhub.example/d/tai-lieu-dai-hoi-xix",
            "body": "Quét mã để xem toàn bộ văn kiện Đại hội trên điện thoại",
        },
    }


def _screen_with(hall, name: str, kind: str, **data):
    screen, token = services.screen_create(
        unit=hall["tree"].province, name=name, by=hall["organiser"]
    )
    services.slide_add(
        screen=screen, kind=kind.split("-")[0], duration=600, by=hall["organiser"], **data
    )
    return screen, token


def _kiosk(live_server, token: str) -> str:
    return live_server.url + reverse("display_kiosk", kwargs={"token": token})


def test_every_slide_fits_every_wall(page, live_server, hall):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screens = {
        label: _screen_with(hall, f"Màn hình {label}", label, **data)[1]
        for label, data in _slides(hall).items()
    }
    problems = {}
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        for label, token in screens.items():
            page.goto(_kiosk(live_server, token))
            kind = label.split("-")[0]
            slide = page.locator(f"#stage > .slide[data-kind={kind}]")
            expect(slide).to_be_visible()
            if kind == "text":
                expect(slide.locator("img")).to_have_js_property("complete", True)
            page.screenshot(path=str(ARTIFACTS / f"{label}-{width}x{height}.png"))
            if outside := page.evaluate(OUTSIDE_VIEWPORT):
                problems[f"{label} at {width}×{height}"] = outside[:5]
            font = page.evaluate(
                "parseFloat(getComputedStyle(document.getElementById('stage')).fontSize)"
            )
            assert font >= height * 0.02, f"{label} at {width}×{height} shrank to {font}px"
    assert problems == {}


def test_slide_content_is_what_the_figures_say(page, live_server, hall):
    _screen, token = _screen_with(hall, "Tổng số", "membership", unit=hall["tree"].province)
    page.set_viewport_size({"width": 768, "height": 432})
    page.goto(_kiosk(live_server, token))
    expect(page.get_by_test_id("members-total")).to_have_text("17")


def test_a_check_in_reaches_the_attendance_slide_within_3_seconds(page, live_server, hall):
    _screen, token = _screen_with(hall, "Điểm danh", "attendance", congress=hall["congress"])
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(_kiosk(live_server, token))
    present = page.get_by_test_id("attendance-present")
    expect(present).to_have_text("0")
    for expected, delegate in enumerate(hall["delegates"][:3], start=1):
        congress_services.checkin_manual(
            session=hall["session"], delegate=delegate, by=hall["organiser"]
        )
        expect(present).to_have_text(str(expected), timeout=3000)


@pytest.fixture
def quick_polls(monkeypatch):
    """The wall asks every second rather than every ten: what these tests follow is that an
    edit arrives without a reload, not how long the production interval is."""
    monkeypatch.setattr(kiosk, "REFRESH", 1)


def test_playlist_edits_reach_the_wall_without_reloading(page, live_server, hall, quick_polls):
    screen, token = services.screen_create(
        unit=hall["tree"].province, name="Sảnh", by=hall["organiser"]
    )
    slide = services.slide_add(
        screen=screen, kind="text", body="Bản tin buổi sáng", duration=600, by=hall["organiser"]
    )
    page.goto(_kiosk(live_server, token))
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("#stage")).to_contain_text("Bản tin buổi sáng")
    services.slide_update(slide=slide, body="Bản tin buổi chiều", by=hall["organiser"])
    expect(page.locator("#stage")).to_contain_text("Bản tin buổi chiều", timeout=60_000)
    services.slide_add(
        screen=screen, kind="qr", url="https://x.example/docs", duration=600, by=hall["organiser"]
    )
    services.slide_delete(slide=slide, by=hall["organiser"])
    expect(page.locator("#stage > .slide[data-kind=qr]")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.__sameDocument") is True


def test_a_revoked_link_shows_nothing(page, live_server, hall, quick_polls):
    screen, token = _screen_with(hall, "Cổng", "membership", unit=hall["tree"].province)
    page.goto(_kiosk(live_server, token))
    expect(page.get_by_test_id("members-total")).to_be_visible()
    services.screen_link_rotate(screen=screen, by=hall["organiser"])
    # The wall that was open on the old link goes blank at its next poll…
    expect(page.locator("#stage > *")).to_have_count(0, timeout=30_000)
    # …and opening the old link shows an empty page.
    response = page.goto(_kiosk(live_server, token))
    assert response.status == 404
    assert page.evaluate("document.body.innerText") == ""
    assert page.evaluate("document.body.querySelectorAll('*').length") == 0


def test_organiser_sets_up_a_screen_and_opens_its_link(page, live_server, login, hall):
    organiser = hall["organiser"]
    organiser.set_password("pw-organiser")
    organiser.save()
    login(organiser.username, "pw-organiser")
    page.goto(live_server.url + reverse("display:list"))
    page.get_by_text("Màn hình mới").click()
    page.fill("input[name=name]", "LED cổng hội trường")
    # The unit picker's value is the unit's code (typed, or picked from its list).
    page.locator("[data-unit-picker] input").first.fill(hall["tree"].province.code)
    page.get_by_role("button", name="Tạo").click()
    link = page.get_by_test_id("screen-link").locator("input").input_value()
    page.get_by_role("link", name="Chương trình Đại hội (đang diễn ra và tiếp theo)").click()
    page.select_option("select[name=congress]", str(hall["congress"].pk))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("playlist")).to_contain_text("Chương trình")
    page.goto(link)
    expect(page.get_by_test_id("programme")).to_contain_text("Phiên bế mạc")


# The wall outlives its server ---------------------------------------------------------------

SEED = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from unionhub.display import services
from unionhub.orgs import services as orgs
admin = get_user_model().objects.create_superuser("root", "root@x.test", "pw-root")
unit = orgs.unit_found(code="HT", name="Liên đoàn Lao động tỉnh Hà Tĩnh", level=20,
                       parent=None, founded=dt.date(2010, 1, 1), by=admin)
screen, token = services.screen_create(unit=unit, name="LED", by=admin)
services.slide_add(screen=screen, kind="text", body="Nội dung trước khi tắt máy chủ",
                   duration=600, by=admin)
print("TOKEN", token)
"""

EDIT = """
from django.contrib.auth import get_user_model
from unionhub.display import services
from unionhub.display.models import Slide
slide = Slide.objects.get()
services.slide_update(slide=slide, body="Nội dung sau khi máy chủ trở lại",
                      by=get_user_model().objects.get(username="root"))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on its own SQLite database: a server the test can stop and start again."""

    def __init__(self, folder: Path):
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "UNIONHUB_VAR": str(folder / "var"),
            "STATIC_ROOT": str(folder / "static"),
            "DJANGO_SETTINGS_MODULE": "unionhub.settings",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.bin = Path(sys.executable).parent
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.bin / "unionhub"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(self.bin / "gunicorn"),
                "unionhub.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


@pytest.fixture
def own_server(tmp_path, migrated_sqlite):
    server = Server(tmp_path)
    migrated_sqlite(tmp_path / "db.sqlite3")
    server.manage("collectstatic", "--noinput", "-v0")
    token = server.manage("shell", "-c", SEED).split("TOKEN", 1)[1].strip()
    server.start()
    yield server, token
    server.stop()


@pytest.mark.own_sqlite
def test_the_wall_keeps_its_content_while_the_server_is_down(page, own_server):
    server, token = own_server
    url = f"http://127.0.0.1:{server.port}/screen/{token}/"
    page.set_viewport_size({"width": 768, "height": 432})
    page.goto(url)
    stage = page.locator("#stage")
    expect(stage).to_contain_text("Nội dung trước khi tắt máy chủ")

    server.stop()
    page.wait_for_timeout(8000)  # several failed polls, with their backoff
    expect(stage).to_contain_text("Nội dung trước khi tắt máy chủ")
    assert page.url == url
    assert page.evaluate("document.querySelectorAll('#stage > .slide').length") == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "server-down-768x432.png"))

    server.manage("shell", "-c", EDIT)
    server.start()
    expect(stage).to_contain_text("Nội dung sau khi máy chủ trở lại", timeout=45_000)
    assert page.url == url
