"""Delegate badges (CR80 cards or A6 lanyard badges on A4 sheets) and attendance sheets, drawn
with the shared helpers of core.pdf (Vietnamese font, fixed-mask vector QR, print photos)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from unionhub.congress import tokens
from unionhub.congress.models import CheckIn, Delegate, Session
from unionhub.core.pdf import FONT, FONT_BOLD, MM, draw_qr, photo_for_print, register_fonts


@dataclass(frozen=True)
class BadgeFormat:
    width: float
    height: float
    columns: int
    rows: int


FORMATS = {
    # ISO/IEC 7810 ID-1 (CR80): 85.6 × 54 mm, ten to an A4 sheet.
    "cr80": BadgeFormat(85.6 * MM, 54 * MM, 2, 5),
    # A6 portrait lanyard badge, four to an A4 sheet.
    "a6": BadgeFormat(105 * MM, 148 * MM, 2, 2),
}


def card_url(base_url: str, delegate: Delegate) -> str:
    token = tokens.card_token(
        congress_id=delegate.congress_id, delegate_id=delegate.pk, serial=delegate.token_serial
    )
    return f"{base_url}/d/{token}"


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which `text` fits `width` (names vary a lot)."""
    while size > 5 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _photo(canvas: Canvas, delegate: Delegate, x: float, y: float, w: float, h: float) -> None:
    photo = delegate.photo
    if photo is not None:
        try:
            with photo.open("rb") as handle:
                canvas.drawImage(photo_for_print(handle, w / MM, h / MM), x, y, w, h)
            return
        except (OSError, ValueError):
            pass  # a missing or broken photo file must not stop a whole batch of badges
    canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
    canvas.rect(x, y, w, h, stroke=1, fill=0)
    canvas.setFont(FONT, 6)
    canvas.setFillColorRGB(0.5, 0.5, 0.5)
    canvas.drawCentredString(x + w / 2, y + h / 2, _("Photo"))


def _badge_cr80(canvas: Canvas, delegate: Delegate, url: str, x: float, y: float) -> None:
    fmt = FORMATS["cr80"]
    w, h = fmt.width, fmt.height
    colour = HexColor(delegate.colour)
    canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
    canvas.rect(x, y, w, h, stroke=1, fill=0)
    band = 9 * MM
    canvas.setFillColor(colour)
    canvas.rect(x, y + h - band, w, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    title = delegate.congress.name.upper()
    canvas.setFont(FONT_BOLD, _fit(canvas, title, FONT_BOLD, 7, w - 4 * MM))
    canvas.drawCentredString(x + w / 2, y + h - 4 * MM, title)
    label = delegate.get_category_display().upper()
    canvas.setFont(FONT, 6.5)
    canvas.drawCentredString(x + w / 2, y + h - 7.5 * MM, label)
    _photo(canvas, delegate, x + 3 * MM, y + 13 * MM, 20 * MM, 27 * MM)
    draw_qr(canvas, url, x + w - 31 * MM, y + 9 * MM, 29 * MM)
    text_x, text_w = x + 25 * MM, w - 57 * MM
    canvas.setFillColorRGB(0, 0, 0)
    size = _fit(canvas, delegate.full_name, FONT_BOLD, 10, text_w)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(text_x, y + 33 * MM, delegate.full_name)
    canvas.setFont(FONT, 6.5)
    lines = [delegate.position, delegate.delegation.name if delegate.delegation else ""]
    line_y = y + 28 * MM
    for line in filter(None, lines):
        canvas.setFont(FONT, _fit(canvas, line, FONT, 6.5, text_w))
        canvas.drawString(text_x, line_y, line)
        line_y -= 3.5 * MM
    canvas.setFillColor(colour)
    canvas.rect(x, y, w, 6 * MM, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(FONT_BOLD, 8)
    canvas.drawString(x + 3 * MM, y + 2 * MM, f"{_('No.')} {delegate.number:03d}")
    if delegate.seat:
        canvas.drawRightString(x + w - 3 * MM, y + 2 * MM, f"{_('Seat')} {delegate.seat}")


def _badge_a6(canvas: Canvas, delegate: Delegate, url: str, x: float, y: float) -> None:
    fmt = FORMATS["a6"]
    w, h = fmt.width, fmt.height
    colour = HexColor(delegate.colour)
    canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
    canvas.rect(x, y, w, h, stroke=1, fill=0)
    # The lanyard hole sits in the top band.
    canvas.setFillColor(colour)
    canvas.rect(x, y + h - 26 * MM, w, 26 * MM, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.circle(x + w / 2, y + h - 5 * MM, 2.5 * MM, stroke=0, fill=1)
    title = delegate.congress.name.upper()
    canvas.setFont(FONT_BOLD, _fit(canvas, title, FONT_BOLD, 11, w - 8 * MM))
    canvas.drawCentredString(x + w / 2, y + h - 14 * MM, title)
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(x + w / 2, y + h - 19 * MM, delegate.congress.term)
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawCentredString(x + w / 2, y + h - 24 * MM, delegate.get_category_display().upper())
    _photo(canvas, delegate, x + w / 2 - 15 * MM, y + h - 68 * MM, 30 * MM, 40 * MM)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT_BOLD, _fit(canvas, delegate.full_name, FONT_BOLD, 15, w - 8 * MM))
    canvas.drawCentredString(x + w / 2, y + h - 76 * MM, delegate.full_name)
    line_y = y + h - 82 * MM
    for line in filter(
        None, [delegate.position, delegate.delegation.name if delegate.delegation else ""]
    ):
        canvas.setFont(FONT, _fit(canvas, line, FONT, 9, w - 8 * MM))
        canvas.drawCentredString(x + w / 2, line_y, line)
        line_y -= 5 * MM
    draw_qr(canvas, url, x + w / 2 - 19 * MM, y + 8 * MM, 38 * MM)
    canvas.setFont(FONT_BOLD, 9)
    canvas.drawString(x + 4 * MM, y + 4 * MM, f"{_('No.')} {delegate.number:03d}")
    if delegate.seat:
        canvas.drawRightString(x + w - 4 * MM, y + 4 * MM, f"{_('Seat')} {delegate.seat}")


def badge_sheets(
    out: IO[bytes],
    delegates: Iterable[Delegate],
    *,
    base_url: str,
    size: str = "cr80",
    on_badge: Callable[[], None] | None = None,
) -> int:
    """Badges laid out on A4 sheets for cutting; returns how many were drawn."""
    register_fonts()
    fmt = FORMATS[size]
    draw = _badge_cr80 if size == "cr80" else _badge_a6
    page_w, page_h = A4
    margin_x = (page_w - fmt.columns * fmt.width) / 2
    margin_y = (page_h - fmt.rows * fmt.height) / 2
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Delegate badges"))
    per_page = fmt.columns * fmt.rows
    count = 0
    for delegate in delegates:
        slot = count % per_page
        if count and slot == 0:
            canvas.showPage()
        column, row = slot % fmt.columns, slot // fmt.columns
        x = margin_x + column * fmt.width
        y = page_h - margin_y - (row + 1) * fmt.height
        draw(canvas, delegate, card_url(base_url, delegate), x, y)
        count += 1
        if on_badge:
            on_badge()
    canvas.save()
    return count


def attendance_sheet(
    out: IO[bytes], session: Session, delegates: Iterable[Delegate], checkins: dict[int, CheckIn]
) -> None:
    """The session's attendance list: every delegate, present or not, with the time."""
    register_fonts()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Attendance"))
    page_h = A4[1]
    left, top, line = 15 * MM, page_h - 15 * MM, 5.2 * MM
    columns = [  # (offset, width, heading)
        (0, 10 * MM, _("No.")),
        (12 * MM, 56 * MM, _("Full name")),
        (70 * MM, 63 * MM, _("Delegation")),
        (135 * MM, 28 * MM, _("Category")),
        (165 * MM, 15 * MM, _("Checked in")),
    ]
    printed = timezone.localtime().strftime("%d/%m/%Y %H:%M")

    def header() -> float:
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawString(left, top, f"{session.congress.name} — {session.title}")
        canvas.setFont(FONT, 8)
        canvas.drawString(left, top - 5 * MM, _("Printed %(time)s") % {"time": printed})
        canvas.setFont(FONT_BOLD, 8)
        for offset, _width, label in columns:
            canvas.drawString(left + offset, top - 12 * MM, str(label))
        return top - 12 * MM - line

    y = header()
    present = total = 0
    for delegate in delegates:
        if y < 20 * MM:
            canvas.showPage()
            y = header()
        checkin = checkins.get(delegate.pk)
        total += 1
        present += checkin is not None
        canvas.setFont(FONT, 8)
        at = timezone.localtime(checkin.at).strftime("%H:%M") if checkin else "—"
        values = [
            f"{delegate.number:03d}",
            delegate.full_name,
            delegate.delegation.name if delegate.delegation else "",
            delegate.get_category_display(),
            at,
        ]
        for (offset, width, _label), value in zip(columns, values, strict=True):
            canvas.setFont(FONT, _fit(canvas, value, FONT, 8, width))
            canvas.drawString(left + offset, y, value)
        y -= line
    canvas.setFont(FONT_BOLD, 9)
    canvas.drawString(
        left,
        max(y - line, 10 * MM),
        _("Present: %(present)d of %(total)d") % {"present": present, "total": total},
    )
    canvas.save()
