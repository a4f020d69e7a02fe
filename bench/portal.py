"""The public news portal under load: its home page and a story page, against /healthz.

gunicorn serves UnionHub on loopback as `unionhub serve` runs it (2 gthread workers x 4
threads) from a throw-away embedded SQLite database prepared here through the services: a
province, two districts, six grassroots unions and 60 published stories with cover photos. A
pool of threads (bench/checkin.py's load: one keep-alive connection each, no login) asks for the
portal's home, then a story page (its view counted on every request), then the same number of
/healthz, the ceiling of this server on this machine in the same run. Pages come from the
portal's 30-second cache after the first request, as a reader crowd would meet them.

    python bench/portal.py [--quick]

Goal (issue 17): portal_home_per_s / healthz_per_s >= 0.5 with caching, errors 0.
Last line: RESULT {json}.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
from checkin import THREADS, WORKERS, free_port, load, server_cpu_s, start_server, wait_ready

STORIES = 60


def prepare() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from unionhub.core import scope
    from unionhub.news import services
    from unionhub.orgs import services as org_services
    from unionhub.orgs.models import Level

    admin = get_user_model().objects.create_superuser("bench-admin", "a@x.test", "pw")
    founded = dt.date(2010, 1, 1)

    def found(code, name, level, parent):
        return org_services.unit_found(
            code=code, name=name, level=level, parent=parent, founded=founded, by=admin
        )

    province = found("HT", "Liên đoàn Lao động tỉnh Hà Tĩnh", Level.PROVINCE, None)
    grassroots = []
    for d in range(2):
        district = found(f"HT-D{d}", f"Liên đoàn Lao động huyện {d}", Level.DIRECT_UPPER, province)
        for g in range(3):
            grassroots.append(
                found(f"HT-D{d}-{g:04d}", f"Công đoàn cơ sở {d}.{g}", Level.GRASSROOTS, district)
            )
    writer = get_user_model().objects.create_user("bench-writer", password="pw")
    org_services.role_grant(user=writer, unit=province, role=scope.COMMUNICATIONS, by=admin)
    categories = ["activities", "emulation", "care", "congress", "training", "law"]
    slug = ""
    for n in range(STORIES):
        picture = Image.linear_gradient("L").resize((1200, 800)).convert("RGB")
        out = io.BytesIO()
        picture.save(out, "JPEG")
        story = services.save_story(
            by=writer,
            unit=grassroots[n % len(grassroots)],
            title=f"Hoạt động công đoàn tháng {n % 12 + 1} số {n}",
            summary="Đoàn viên công đoàn tham gia hội thao, thăm hỏi và tặng quà.",
            body="<p>Nội dung tin bài.</p>" * 20,
            category=categories[n % len(categories)],
            tags="hội thao, chăm lo",
            cover=SimpleUploadedFile("cover.jpg", out.getvalue(), content_type="image/jpeg"),
        )
        services.submit(by=writer, story=story)
        services.publish(by=writer, story=story)
        slug = f"/p/{story.unit.code}/s/{story.slug}/"
    return {"home": f"/p/{province.code}/", "story": slug}


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0])
    count = 1500 if args.quick else 8000
    with tempfile.TemporaryDirectory() as var, common.database("sqlite") as database_url:
        os.environ.update(
            {"DATABASE_URL": database_url, "UNIONHUB_VAR": var, "LOG_LEVEL": "WARNING"}
        )
        common.django_setup(migrate=True)
        data = prepare()
        from django.db import connection as db

        db.close()
        port = free_port()
        server = start_server(port)
        try:
            wait_ready(port, server)
            headers = {"Host": f"127.0.0.1:{port}"}
            load(port, [("GET", data["home"], None, headers)] * 50)  # warm: caches filled
            load(port, [("GET", data["story"], None, headers)] * 50)
            cpu_0 = server_cpu_s(server)
            home = load(port, [("GET", data["home"], None, headers)] * count)
            cpu_1 = server_cpu_s(server)
            story = load(port, [("GET", data["story"], None, headers)] * count)
            health = load(port, [("GET", "/healthz", None, headers)] * count)
            cpu_2 = server_cpu_s(server)
        finally:
            server.terminate()
            server.wait(timeout=30)
        errors = sum(
            1
            for run in (home, story, health)
            for status, _payload, _latency in run["answers"]
            if status != 200
        )
        home_ok = all(b"<h2>" in payload for _s, payload, _l in home["answers"][:5])
        common.result(
            {
                "portal_home_per_s": round(home["rate"], 1),
                "story_per_s": round(story["rate"], 1),
                "healthz_per_s": round(health["rate"], 1),
                "ratio_to_healthz": round(home["rate"] / health["rate"], 3),
                "story_ratio_to_healthz": round(story["rate"] / health["rate"], 3),
                "p99_ms": home["latency"]["p99"],
                "story_p99_ms": story["latency"]["p99"],
                "healthz_p99_ms": health["latency"]["p99"],
                "server_cpu_ms_per_home": round(1000 * (cpu_1 - cpu_0) / count, 2),
                "server_cpu_ms_per_story_and_healthz": round(
                    1000 * (cpu_2 - cpu_1) / (2 * count), 2
                ),
                "errors": errors + (0 if home_ok else 1),
                "requests_each": count,
                "server": f"gunicorn gthread {WORKERS}x{THREADS}, SQLite, file cache",
            }
        )


if __name__ == "__main__":
    main()
