"""Membership cards to A4 sheets: 10,000 cards with distinct photos, against a naïve rendering.

    python bench/cards.py [--quick]

Optimised: the app's renderer (cards.render, photos through cards.photos): vector QR codes with
a fixed mask, shared card background as a form XObject, and print-ready photo copies (300 dpi
JPEG) embedded as they are. It runs twice over the same cards: first with no copies stored (a
photo's first print: each copy is made and stored as the card is drawn), then with the copies
stored (every later print of the photo, and the first print of cards requested as a batch, whose
job makes the copies ahead). Baseline (same run, same kind of cards): the straightforward
ReportLab way — every label drawn per card, segno with default settings (automatic mask) saved
as a PNG image, photos embedded unscaled, ReportLab's default ASCII85 streams. The baseline
renders fewer cards (it is slow); rates are per card.

Photos are distinct 600 × 800 JPEGs (the size the members app stores), made on the fly and
saved to a temporary media folder as an upload would; the time spent making them and signing
the QR tokens is measured apart and left out of every rate, while reading photos from storage
is counted. Runs on one core (no worker processes) and measures this process's CPU time. Last
line: RESULT {json}.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import arguments, django_setup, result

# CPU time of this (single-threaded) process: "cards per second on one core", and a fair number
# on a machine shared with other work, where wall time would measure the neighbours too.
CLOCK = time.process_time
GIVEN = ["Nhung", "Trọng", "Hương", "Dũng", "Thảo", "Quý", "Ửng", "Đức", "Yến", "Hải"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]


class Source:
    """Card faces with distinct photos and signed links, timing its own work so the benchmark
    can leave it out."""

    def __init__(self, count: int, seed: int = 0) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from PIL import Image

        self.count = count
        self.seed = seed
        self.key = Ed25519PrivateKey.generate()
        self.spent = 0.0
        gradient = Image.linear_gradient("L").resize((600, 800)).convert("RGB")
        noise = Image.effect_noise((600, 800), 14).convert("RGB")
        self.base = Image.blend(gradient, noise, 0.35)

    def photo(self, i: int) -> bytes:
        from PIL import ImageDraw

        image = self.base.copy()
        draw = ImageDraw.Draw(image)
        draw.ellipse(
            (120 + i % 60, 150 + i % 40, 480, 620),
            fill=((i * 37) % 256, (i * 91) % 256, (i * 53 + 90) % 256),
        )
        draw.rectangle((0, 0, 600, 40 + i % 30), fill=((i * 13) % 256, 120, 160))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        return out.getvalue()

    def photo_name(self, i: int) -> str:
        """The stored photo of card `i`, saved on first use as the members app would."""
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        name = f"members/photos/bench-{self.seed + i:06d}.jpg"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(self.photo(i)))
        return name

    def faces(self, photo: Callable[[str], object]):
        """Card faces; `photo` turns a stored photo's name into what the face carries, and is
        timed (it is part of rendering)."""
        from unionhub.cards import numbers, tokens
        from unionhub.cards.render import CardFace

        for i in range(self.count):
            started = CLOCK()
            number = numbers.compose("042", self.seed + i + 1)
            issued = dt.date(2026, 11, 27)
            claim = tokens.CardClaim(number, issued, os.urandom(8))
            name = self.photo_name(i)
            url = "https://congdoan.hatinh.gov.vn/v/" + tokens.make_token(claim, key=self.key)
            self.spent += CLOCK() - started
            yield CardFace(
                full_name=f"{FAMILY[i % 10]} Thị {GIVEN[(i // 10) % 10]} {GIVEN[i % 7]}",
                birth_date=dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                unit_name="Công đoàn Trường THCS Tùng Ảnh, Liên đoàn Lao động huyện Đức Thọ",
                number=number,
                issued=issued,
                url=url,
                photo=photo(name),
            )


def optimised(count: int) -> dict[str, tuple[float, int]]:
    """{"first_print": (seconds, bytes), "stored": (seconds, bytes)} over the same cards."""
    from unionhub.cards.photos import print_photo
    from unionhub.cards.render import render

    source = Source(count)
    runs = {}
    for run in ("first_print", "stored"):
        out = io.BytesIO()
        source.spent = 0.0
        started = CLOCK()
        render(source.faces(print_photo), out, layout="sheet")
        runs[run] = (CLOCK() - started - source.spent, len(out.getvalue()))
    return runs


def read_photo(name: str) -> io.BytesIO:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as stored:
        return io.BytesIO(stored.read())


def naive(count: int) -> tuple[float, int]:
    """The first version anybody writes with ReportLab and segno."""
    import segno
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from unionhub.cards import numbers
    from unionhub.cards.render import CARD_H, CARD_W, COLUMNS, ROWS, SHEET_X0, SHEET_Y0
    from unionhub.core.pdf import FONT, FONT_BOLD, MM, register_fonts

    register_fonts()
    saved, rl_config.useA85 = rl_config.useA85, 1  # ReportLab's default
    source = Source(count, seed=500_000)
    out = io.BytesIO()
    started = CLOCK()
    canvas = Canvas(out, pagesize=A4)

    def slot(i, back):
        row, column = divmod(i, COLUMNS)
        column = COLUMNS - 1 - column if back else column
        return SHEET_X0 + column * CARD_W, SHEET_Y0 + (ROWS - 1 - row) * CARD_H

    def sheet(faces):
        for i, face in enumerate(faces):
            x, y = slot(i, False)
            canvas.setFillColorRGB(0.78, 0.07, 0.09)
            canvas.rect(x, y + CARD_H - 11 * MM, CARD_W, 11 * MM, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setFont(FONT, 6)
            canvas.drawCentredString(
                x + CARD_W / 2, y + CARD_H - 4.3 * MM, "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
            )
            canvas.setFont(FONT_BOLD, 8.5)
            canvas.drawCentredString(x + CARD_W / 2, y + CARD_H - 8.6 * MM, "THẺ ĐOÀN VIÊN")
            canvas.drawImage(ImageReader(face.photo), x + 4 * MM, y + 9 * MM, 20 * MM, 25 * MM)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setFont(FONT_BOLD, 9.5)
            canvas.drawString(x + 27 * MM, y + 35.5 * MM, face.full_name)
            canvas.setFont(FONT, 6.5)
            canvas.drawString(x + 27 * MM, y + 31 * MM, f"Ngày sinh: {face.birth_date:%d/%m/%Y}")
            canvas.drawString(x + 27 * MM, y + 27 * MM, f"Đơn vị: {face.unit_name[:40]}")
            canvas.drawString(x + 27 * MM, y + 24.2 * MM, face.unit_name[40:])
            canvas.drawString(x + 27 * MM, y + 13.5 * MM, f"Số thẻ: {numbers.display(face.number)}")
            canvas.drawString(x + 27 * MM, y + 9.5 * MM, f"Ngày cấp: {face.issued:%d/%m/%Y}")
        canvas.showPage()
        for i, face in enumerate(faces):
            x, y = slot(i, True)
            png = io.BytesIO()
            segno.make(face.url).save(png, kind="png", scale=4)
            png.seek(0)
            canvas.drawImage(
                ImageReader(png), x + CARD_W - 34.5 * MM, y + 12 * MM, 32 * MM, 32 * MM
            )
            canvas.setFont(FONT_BOLD, 8)
            canvas.drawString(x + 4 * MM, y + 39 * MM, numbers.display(face.number))
            canvas.setFont(FONT, 6)
            canvas.drawString(x + 4 * MM, y + 34 * MM, "Quét mã để kiểm tra thẻ")
        canvas.showPage()

    batch = []
    for face in source.faces(read_photo):
        batch.append(face)
        if len(batch) == COLUMNS * ROWS:
            sheet(batch)
            batch = []
    if batch:
        sheet(batch)
    canvas.save()
    elapsed = CLOCK() - started - source.spent
    rl_config.useA85 = saved
    return elapsed, len(out.getvalue())


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    media = tempfile.TemporaryDirectory()
    os.environ["MEDIA_ROOT"] = media.name
    django_setup(migrate=False)
    cards = 600 if args.quick else 10_000
    baseline_cards = 100 if args.quick else 1_000

    import _rl_accel  # noqa: F401  ReportLab's C speed-ups must be there: fail loudly if not

    from unionhub.core.pdf import register_fonts

    register_fonts()  # once per process, like a worker: not part of either rate
    runs = optimised(cards)
    base_seconds, base_size = naive(baseline_cards)
    media.cleanup()
    base_rate = baseline_cards / base_seconds
    rates = {run: cards / seconds for run, (seconds, _size) in runs.items()}
    for run, (seconds, size) in runs.items():
        print(
            f"optimised, {run.replace('_', ' ')}: {cards} cards in {seconds:.1f} s = "
            f"{rates[run]:.0f} cards/s, {size / cards / 1024:.1f} KB/card",
            file=sys.stderr,
        )
    print(
        f"naive:     {baseline_cards} cards in {base_seconds:.1f} s = {base_rate:.0f} cards/s, "
        f"{base_size / baseline_cards / 1024:.1f} KB/card",
        file=sys.stderr,
    )
    size = runs["stored"][1]
    result(
        {
            "cards": cards,
            # With the print-ready photo copies stored: every print after a photo's first.
            "cards_per_s": round(rates["stored"], 1),
            "kb_per_card": round(size / cards / 1024, 2),
            "speedup_vs_naive": round(rates["stored"] / base_rate, 2),
            # A photo's first print, which makes and stores its copy while drawing the card.
            "first_print_cards_per_s": round(rates["first_print"], 1),
            "first_print_speedup_vs_naive": round(rates["first_print"] / base_rate, 2),
            "naive_cards_per_s": round(base_rate, 1),
            "naive_kb_per_card": round(base_size / baseline_cards / 1024, 2),
        }
    )


if __name__ == "__main__":
    main()
