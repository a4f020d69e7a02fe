"""Demo news: a few published stories at the province, two of its units below and three
grassroots unions, with generated cover photos, one featured by the province, one draft and one
scheduled; the province's portal shows its key figures."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from unionhub.core.types import User
from unionhub.news import services
from unionhub.news.models import Category
from unionhub.orgs.models import Level, Unit

TITLES = {
    Category.ACTIVITIES: "Hội thao công nhân viên chức lao động",
    Category.EMULATION: "Tổng kết phong trào thi đua lao động giỏi",
    Category.CARE: "Trao quà Tết cho đoàn viên có hoàn cảnh khó khăn",
    Category.CONGRESS: "Đại hội công đoàn nhiệm kỳ 2023–2028",
    Category.TRAINING: "Tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở",
    Category.LAW: "Tuyên truyền Bộ luật Lao động sửa đổi",
}


def _cover(rng: random.Random) -> SimpleUploadedFile:
    colour = (rng.randrange(40, 200), rng.randrange(60, 200), rng.randrange(80, 220))
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(1200), rng.randrange(800)
        r = rng.randrange(40, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(min(255, c + 40) for c in colour))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("cover.jpg", out.getvalue(), content_type="image/jpeg")


def populate(*, province: Any, rng: random.Random, by: User, log=print) -> None:
    top: Unit = province.province
    below = list(Unit.objects.filter(parent=top, dissolved__isnull=True).order_by("sort_key")[:2])
    grassroots = list(
        Unit.objects.filter(
            path__startswith=top.path, level=Level.GRASSROOTS, dissolved__isnull=True
        ).order_by("sort_key")[:3]
    )
    now = timezone.now()
    categories = list(TITLES)
    count = 0
    for index, unit in enumerate([top, *below, *grassroots]):
        for n in range(2):
            category = categories[(index + n) % len(categories)]
            story = services.save_story(
                by=by,
                unit=unit,
                title=f"{TITLES[category]} ({unit.short_name or unit.name})",
                summary="Đông đảo đoàn viên, người lao động tham gia.",
                body=(
                    "<p>Sáng nay, <strong>" + unit.name + "</strong> tổ chức chương trình với sự"
                    " tham gia của đông đảo đoàn viên.</p><ul><li>Khen thưởng tập thể, cá nhân"
                    " tiêu biểu</li><li>Trao quà cho đoàn viên</li></ul>"
                ),
                category=category,
                tags="công đoàn, đoàn viên",
                cover=_cover(rng),
            )
            services.submit(by=by, story=story)
            at = now - dt.timedelta(days=rng.randrange(1, 60), hours=rng.randrange(24))
            story = services.publish(by=by, story=story, at=at)
            if unit != top and count == 2:
                services.feature(by=by, story=story, unit=top)
            count += 1
    draft = services.save_story(
        by=by, unit=top, title="Bản nháp: kế hoạch tháng công nhân", summary="", body="",
        category=Category.ACTIVITIES,
    )  # fmt: skip
    scheduled = services.save_story(
        by=by, unit=top, title="Thông báo lịch tiếp đoàn viên tháng tới", summary="",
        body="<p>Lịch tiếp.</p>", category=Category.LAW,
    )  # fmt: skip
    services.submit(by=by, story=scheduled)
    services.publish(by=by, story=scheduled, at=now + dt.timedelta(days=3))
    services.save_portal(
        by=by, unit=top, show_figures=True, phone="0239 3855 555", email="", about=top.name
    )
    log(f"  news: {count} published stories, a draft ({draft.pk}) and a scheduled one")
