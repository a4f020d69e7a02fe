"""Print-ready card PDFs: CR80 cards (85.6 × 54 mm), front and back.

Two layouts:
- ``sheet``: A4 pages of 10 cards (2 × 5, abutting, cut along the crop marks) for office
  printers. Each sheet of fronts is followed by its backs with the columns swapped, so a duplex
  print flipped on the long edge puts every back behind its front.
- ``single``: one exact-size card per page (front page, then back page) for card printers.

Cards are printed in Vietnamese whatever the officer's language: they are the federation's
document. Speed comes from core.pdf: vector QR codes with a fixed mask, and photos at 300 dpi
embedded as JPEG, print-ready copies made once per photo (photos.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import cos, pi, sin
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from unionhub.cards import numbers
from unionhub.core.pdf import (
    FONT,
    FONT_BOLD,
    MM,
    PrintImage,
    draw_qr,
    photo_for_print,
    register_fonts,
)

CARD_W, CARD_H = 85.6 * MM, 54 * MM
COLUMNS, ROWS = 2, 5
SHEET_W, SHEET_H = A4
SHEET_X0 = (SHEET_W - COLUMNS * CARD_W) / 2
SHEET_Y0 = (SHEET_H - ROWS * CARD_H) / 2
PHOTO_W_MM, PHOTO_H_MM = 20, 25
QR_SIZE = 32 * MM
# Level L (7 % recovery) keeps the symbol at version 7 (45 modules, 0.6 mm each on the card):
# bigger modules scan better from a worn card than M's extra redundancy helps, and encode
# ~40 % faster. A card is replaced, not repaired, when its code no longer scans.
QR_ERROR = "l"
RED = (0.78, 0.07, 0.09)
GOLD = (1.0, 0.82, 0.1)
LAYOUTS = ("sheet", "single")


@dataclass
class CardFace:
    """Everything printed on one card."""

    full_name: str
    birth_date: dt.date | None
    unit_name: str
    number: str
    issued: dt.date
    url: str
    # The union join date (a fact about the person, kept from union to union).
    joined: dt.date | None = None
    # The member's photo: print-ready (photos.print_photo), or a path or binary file of any
    # size to bring down to print resolution here, or None.
    photo: PrintImage | str | IO[bytes] | None = None


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _star(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    """The five-pointed star of the confederation's emblem, in vector."""
    path = canvas.beginPath()
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = pi / 2 + i * pi / 5
        x, y = cx + radius * cos(angle), cy + radius * sin(angle)
        path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float, smallest: float = 5.5) -> float:
    """The largest font size up to `size` at which `text` fits in `width`."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


class _Labels:
    """The card's printed words, translated once per document (not once per card)."""

    def __init__(self) -> None:
        self.confederation = _("VIETNAM GENERAL CONFEDERATION OF LABOUR")
        self.title = _("TRADE UNION MEMBERSHIP CARD")
        self.born = _("Date of birth:")
        self.unit = _("Unit:")
        self.joined = _("Joined the union:")
        self.number = _("Card no.:")
        self.issued = _("Issued:")
        self.no_photo = _("Photo")
        self.scan = _("Scan the code to check this card")
        self.rules = _(
            "This card is the property of the trade union. It is valid while its holder is a "
            "member. If found, please return it to the nearest trade union office."
        )
        self.motto = _("VIETNAM TRADE UNION")
        gap = stringWidth(" ", FONT, 6.5)
        self.born_width = stringWidth(self.born, FONT, 6.5) + gap
        self.unit_width = stringWidth(self.unit, FONT, 6.5) + gap
        self.joined_width = stringWidth(self.joined, FONT, 6.5) + gap
        self.issued_width = stringWidth(self.issued, FONT, 6.5) + gap
        self.number_width = stringWidth(self.number, FONT, 6.5) + gap


FRONT_FORM, BACK_FORM = "unionhubCardFront", "unionhubCardBack"
TEXT_LEFT = 27 * MM
TEXT_WIDTH = CARD_W - TEXT_LEFT - 3 * MM
QR_X = CARD_W - QR_SIZE - 2.5 * MM
QR_Y = (CARD_H - QR_SIZE) / 2 + 1 * MM


def _draw_forms(canvas: Canvas, labels: _Labels) -> None:
    """What every card shares (bands, emblem, labels, rules) is drawn once per document as a
    form XObject that each card then places: smaller files and far fewer drawing calls."""
    band = 11 * MM
    canvas.beginForm(FRONT_FORM, 0, 0, CARD_W, CARD_H)
    canvas.setFillColorRGB(*RED)
    canvas.rect(0, CARD_H - band, CARD_W, band, stroke=0, fill=1)
    canvas.rect(0, 0, CARD_W, 2.2 * MM, stroke=0, fill=1)
    canvas.setFillColorRGB(*GOLD)
    _star(canvas, 7 * MM, CARD_H - band / 2, 4 * MM)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(FONT, 6)
    canvas.drawCentredString(CARD_W / 2 + 5 * MM, CARD_H - 4.3 * MM, labels.confederation)
    canvas.setFont(FONT_BOLD, 8.5)
    canvas.drawCentredString(CARD_W / 2 + 5 * MM, CARD_H - 8.6 * MM, labels.title)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT, 6.5)
    canvas.drawString(TEXT_LEFT, 31 * MM, labels.born)
    canvas.drawString(TEXT_LEFT, 27 * MM, labels.unit)
    canvas.drawString(TEXT_LEFT, 17.5 * MM, labels.joined)
    canvas.drawString(TEXT_LEFT, 13.5 * MM, labels.number)
    canvas.drawString(TEXT_LEFT, 9.5 * MM, labels.issued)
    canvas.endForm()

    canvas.beginForm(BACK_FORM, 0, 0, CARD_W, CARD_H)
    width = QR_X - 6 * MM
    canvas.setFillColorRGB(*RED)
    canvas.rect(0, 0, CARD_W, 5 * MM, stroke=0, fill=1)
    canvas.setFont(FONT_BOLD, 7)
    canvas.drawString(4 * MM, 45 * MM, labels.motto)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT, 6)
    for i, line in enumerate(simpleSplit(labels.scan, FONT, 6, width)[:2]):
        canvas.drawString(4 * MM, (34 - 2.6 * i) * MM, line)
    canvas.setFont(FONT, 5)
    for i, line in enumerate(simpleSplit(labels.rules, FONT, 5, width)[:6]):
        canvas.drawString(4 * MM, (26 - 2.3 * i) * MM, line)
    canvas.endForm()


def draw_front(canvas: Canvas, face: CardFace, x: float, y: float, labels: _Labels) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(FRONT_FORM)
    photo_x, photo_y = 4 * MM, 9 * MM
    photo_w, photo_h = PHOTO_W_MM * MM, PHOTO_H_MM * MM
    if face.photo:
        image = face.photo
        if not isinstance(image, PrintImage):
            image = photo_for_print(image, PHOTO_W_MM, PHOTO_H_MM)
        canvas.drawImage(image, photo_x, photo_y, photo_w, photo_h)
    else:
        canvas.setFillColorRGB(0.92, 0.92, 0.92)
        canvas.rect(photo_x, photo_y, photo_w, photo_h, stroke=0, fill=1)
        canvas.setFillColorRGB(0.5, 0.5, 0.5)
        canvas.setFont(FONT, 6)
        canvas.drawCentredString(photo_x + photo_w / 2, photo_y + photo_h / 2, labels.no_photo)
        canvas.setFillColorRGB(0, 0, 0)
    size = _fit(face.full_name, FONT_BOLD, 9.5, TEXT_WIDTH)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(TEXT_LEFT, 35.5 * MM, face.full_name)
    canvas.setFont(FONT, 6.5)
    canvas.drawString(TEXT_LEFT + labels.born_width, 31 * MM, _date(face.birth_date))
    first, *rest = simpleSplit(face.unit_name, FONT, 6.5, TEXT_WIDTH - labels.unit_width)
    canvas.drawString(TEXT_LEFT + labels.unit_width, 27 * MM, first)
    for i, line in enumerate(simpleSplit(" ".join(rest), FONT, 6.5, TEXT_WIDTH)[:2]):
        canvas.drawString(TEXT_LEFT, (27 - 2.8 * (i + 1)) * MM, line)
    canvas.drawString(TEXT_LEFT + labels.joined_width, 17.5 * MM, _date(face.joined))
    canvas.drawString(TEXT_LEFT + labels.issued_width, 9.5 * MM, _date(face.issued))
    canvas.setFont(FONT_BOLD, 8.5)
    canvas.drawString(TEXT_LEFT + labels.number_width, 13.5 * MM, numbers.display(face.number))
    canvas.restoreState()


def draw_back(canvas: Canvas, face: CardFace, x: float, y: float, labels: _Labels) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(BACK_FORM)
    draw_qr(canvas, face.url, QR_X, QR_Y, QR_SIZE, error=QR_ERROR)
    canvas.setFont(FONT_BOLD, 8)
    canvas.drawString(4 * MM, 39 * MM, numbers.display(face.number))
    canvas.restoreState()


def _crop_marks(canvas: Canvas) -> None:
    """Short hairlines outside the grid along every cut: 5 mm long, 2 mm from the cards."""
    canvas.saveState()
    canvas.setLineWidth(0.25)
    canvas.setStrokeColorRGB(0, 0, 0)
    gap, length = 2 * MM, 5 * MM
    top, right = SHEET_Y0 + ROWS * CARD_H, SHEET_X0 + COLUMNS * CARD_W
    for c in range(COLUMNS + 1):
        x = SHEET_X0 + c * CARD_W
        canvas.line(x, top + gap, x, top + gap + length)
        canvas.line(x, SHEET_Y0 - gap, x, SHEET_Y0 - gap - length)
    for r in range(ROWS + 1):
        y = SHEET_Y0 + r * CARD_H
        canvas.line(SHEET_X0 - gap, y, SHEET_X0 - gap - length, y)
        canvas.line(right + gap, y, right + gap + length, y)
    canvas.restoreState()


def _slot(index: int, back: bool) -> tuple[float, float]:
    row, column = divmod(index, COLUMNS)
    if back:
        column = COLUMNS - 1 - column
    return SHEET_X0 + column * CARD_W, SHEET_Y0 + (ROWS - 1 - row) * CARD_H


@contextmanager
def _document(
    out: IO[bytes], pagesize: tuple[float, float], title: str, labels: _Labels
) -> Iterator[Canvas]:
    # pageCompression costs ~10 % of the time and saves ~60 % of the vector pages' size.
    canvas = Canvas(out, pagesize=pagesize, pageCompression=1, invariant=0)
    canvas.setTitle(title)
    canvas.setAuthor("UnionHub")
    _draw_forms(canvas, labels)
    yield canvas
    canvas.save()


def render(
    faces: Iterable[CardFace], out: IO[bytes], *, layout: str = "sheet", title: str = ""
) -> int:
    """Write the cards to `out` as a PDF; returns how many cards were drawn."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    count = 0
    register_fonts()
    with translation.override("vi"):
        labels = _Labels()
        if layout == "single":
            with _document(out, (CARD_W, CARD_H), title, labels) as canvas:
                for face in faces:
                    draw_front(canvas, face, 0, 0, labels)
                    canvas.showPage()
                    draw_back(canvas, face, 0, 0, labels)
                    canvas.showPage()
                    count += 1
            return count
        with _document(out, A4, title, labels) as canvas:
            batch: list[CardFace] = []
            for face in faces:
                batch.append(face)
                if len(batch) == COLUMNS * ROWS:
                    _sheet(canvas, batch, labels)
                    count += len(batch)
                    batch = []
            if batch:
                _sheet(canvas, batch, labels)
                count += len(batch)
    return count


def _sheet(canvas: Canvas, faces: list[CardFace], labels: _Labels) -> None:
    for i, face in enumerate(faces):
        draw_front(canvas, face, *_slot(i, back=False), labels)
    _crop_marks(canvas)
    canvas.showPage()
    for i, face in enumerate(faces):
        draw_back(canvas, face, *_slot(i, back=True), labels)
    _crop_marks(canvas)
    canvas.showPage()
