"""Soak test of the LED screen: the kiosk page in Chromium, cycling a playlist of one-second
slides (every kind, a picture included) while check-ins change the attendance slide, for 10
minutes (45 s with --quick). JS heap and DOM node count are read through the DevTools protocol
after a forced garbage collection, at the start (the baseline) and at the end.

Goal (issue 8): heap growth < 10 %, no growth in DOM nodes.

    .venv/bin/python bench/display_soak.py [--quick]

Last line: RESULT {"heap_growth_pct", "dom_nodes_start", "dom_nodes_end", …}
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import arguments, result

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WARM_UP = 10  # seconds: every slide drawn once or more before the baseline is taken

SEED = """
import datetime as dt, io
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from unionhub.congress import services as congress
from unionhub.display import services
from unionhub.members import services as members
from unionhub.orgs import services as orgs

admin = get_user_model().objects.create_superuser("root", "root@x.test", "pw-root")
def found(code, name, level, parent):
    return orgs.unit_found(code=code, name=name, level=level, parent=parent,
                           founded=dt.date(2010, 1, 1), by=admin)
province = found("HT", "Liên đoàn Lao động tỉnh Hà Tĩnh", 20, None)
for d in range(6):
    district = found(f"HT-{d}", f"Liên đoàn Lao động huyện số {d + 1}", 30, province)
    for g in range(4):
        unit = found(f"HT-{d}-{g}", f"Công đoàn cơ sở {d + 1}.{g + 1}", 40, district)
        for m in range(8):
            members.member_admit(unit=unit, by=admin, joined=dt.date(2020 + m % 5, 1 + m, 1),
                                 full_name=f"Nguyễn Văn Thành Viên {d}{g}{m}",
                                 gender="female" if m % 2 else "male")
meeting = congress.congress_create(unit=province, name="Đại hội Công đoàn tỉnh lần thứ XIX",
                                   term="2023–2028", by=admin)
now = timezone.now()
session = congress.session_add(congress=meeting, kind="official", title="Phiên chính thức",
                               starts_at=now - dt.timedelta(hours=1),
                               ends_at=now + dt.timedelta(hours=6), by=admin)
congress.session_add(congress=meeting, kind="closing", title="Phiên bế mạc",
                     starts_at=now + dt.timedelta(hours=7), by=admin)
for i in range(60):
    congress.delegate_add(congress=meeting, category="elected" if i < 50 else "invited",
                          full_name=f"Đại biểu số {i}", by=admin)
screen, token = services.screen_create(unit=province, name="LED", by=admin)
picture = io.BytesIO()
Image.new("RGB", (1600, 900), "#1d4e89").save(picture, "JPEG")
for kind, data in [
    ("membership", {"unit": province}),
    ("breakdown", {"unit": province, "breakdown": "units"}),
    ("breakdown", {"unit": province, "breakdown": "sector"}),
    ("attendance", {"congress": meeting}),
    ("programme", {"congress": meeting}),
    ("text", {"title": "Tin hoạt động", "body": "Hội thao công nhân viên chức lao động.",
              "image": SimpleUploadedFile("p.jpg", picture.getvalue())}),
    ("qr", {"url": "https://unionhub.example/d/tai-lieu", "body": "Tài liệu Đại hội"}),
]:
    services.slide_add(screen=screen, kind=kind, duration=1, by=admin, **data)
print("TOKEN", token)
"""

# Check-ins and undos while the wall runs, so the attendance slide's figures keep changing.
CHURN = """
import time
from django.contrib.auth import get_user_model
from unionhub.congress import services
from unionhub.congress.models import CheckIn, Delegate, Session
admin = get_user_model().objects.get(username="root")
session = Session.objects.get(title="Phiên chính thức")
delegates = list(Delegate.objects.filter(congress=session.congress))
i = 0
while True:
    delegate = delegates[i % len(delegates)]
    done = CheckIn.objects.filter(session=session, delegate=delegate).first()
    if done and i % 3 == 0:
        services.checkin_undo(checkin=done, by=admin)
    elif not done:
        services.checkin_manual(session=session, delegate=delegate, by=admin)
    i += 1
    time.sleep(1.5)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "unionhub"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        **kwargs,
    )


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


ANCHOR = "#stage > .slide[data-kind=qr]"


def sample(page, cdp) -> dict:
    """Heap and nodes after a forced GC, always while the same slide is on the wall (slides
    differ in size, so comparing two different ones would measure the playlist, not a leak)."""
    for _attempt in range(20):
        page.wait_for_selector(ANCHOR)
        cdp.send("HeapProfiler.collectGarbage")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        live = page.evaluate("document.getElementsByTagName('*').length")
        if page.query_selector(ANCHOR) is not None:
            return {
                "heap": int(metrics["JSHeapUsedSize"]),
                "nodes": int(metrics["Nodes"]),
                "listeners": int(metrics.get("JSEventListeners", 0)),
                "live_dom": live,
            }
        page.wait_for_selector(ANCHOR, state="detached")
    raise SystemExit("could not sample on the anchor slide")


def soak(url: str, seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        counts = {"polls": 0, "failed": 0, "navigations": 0}
        page.on(
            "response",
            lambda r: (
                counts.__setitem__("polls", counts["polls"] + 1)
                if r.url.endswith("data.json")
                else None
            ),
        )
        page.on("requestfailed", lambda r: counts.__setitem__("failed", counts["failed"] + 1))
        page.on(
            "framenavigated",
            lambda f: (
                counts.__setitem__("navigations", counts["navigations"] + 1)
                if f == page.main_frame
                else None
            ),
        )
        page.goto(url)
        page.wait_for_selector("#stage > .slide")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.wait_for_timeout(WARM_UP * 1000)
        start = sample(page, cdp)
        series = [start["heap"]]
        kinds = set()
        began = time.monotonic()
        step = min(30.0, seconds / 4)
        while (left := seconds - (time.monotonic() - began)) > 0:
            page.wait_for_timeout(int(min(step, left) * 1000))
            kinds.add(page.evaluate("document.querySelector('#stage > .slide')?.dataset.kind"))
            series.append(sample(page, cdp)["heap"])
        end = sample(page, cdp)
        browser.close()
    return {
        "start": start,
        "end": end,
        "series": series,
        "kinds": sorted(filter(None, kinds)),
        **counts,
    }


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    seconds = 45 - WARM_UP if args.quick else 600
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/soak.sqlite3",
            "UNIONHUB_VAR": f"{folder}/var",
            "STATIC_ROOT": f"{folder}/static",
            "MEDIA_ROOT": f"{folder}/media",
            "DJANGO_SETTINGS_MODULE": "unionhub.settings",
        }
        # Static files are copied while the database is built: set-up time is not measured.
        static = subprocess.Popen(
            [str(Path(sys.executable).parent / "unionhub"), "collectstatic", "--noinput", "-v0"],
            env=env,
        )
        manage(env, "migrate", "-v0")
        token = manage(env, "shell", "-c", SEED).stdout.split("TOKEN", 1)[1].strip()
        if static.wait() != 0:
            raise SystemExit("collectstatic failed")
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "unionhub.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        churn = subprocess.Popen(
            [str(Path(sys.executable).parent / "unionhub"), "shell", "-c", CHURN],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port)
            run = soak(f"http://127.0.0.1:{port}/screen/{token}/", seconds)
        finally:
            churn.terminate()
            server.terminate()
            churn.wait(timeout=20)
            server.wait(timeout=20)
    start, end = run["start"], run["end"]
    growth = 100 * (end["heap"] - start["heap"]) / start["heap"]
    data = {
        "heap_growth_pct": round(growth, 2),
        "dom_nodes_start": start["nodes"],
        "dom_nodes_end": end["nodes"],
        "heap_start_bytes": start["heap"],
        "heap_end_bytes": end["heap"],
        "heap_series_bytes": run["series"],
        "live_elements_start": start["live_dom"],
        "live_elements_end": end["live_dom"],
        "listeners_start": start["listeners"],
        "listeners_end": end["listeners"],
        "seconds_measured": seconds,
        "slide_seconds": 1,
        "slides": 7,
        "kinds_seen": run["kinds"],
        "polls": run["polls"],
        "page_navigations": run["navigations"],
        "goal_met": growth < 10 and end["nodes"] <= start["nodes"],
    }
    print(
        f"heap {start['heap']} → {end['heap']} B ({growth:+.2f} %), "
        f"DOM nodes {start['nodes']} → {end['nodes']}, {run['polls']} polls",
        file=sys.stderr,
    )
    result(data)


if __name__ == "__main__":
    main()
