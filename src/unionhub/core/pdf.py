"""Shared helpers for print-ready PDFs (membership cards, delegate badges) with ReportLab.

- Fonts: the PDF core fonts have no Vietnamese, so every PDF uses the vendored DejaVu Sans
  (``core/fonts/``, Bitstream Vera licence in ``DejaVu-LICENSE.txt``). ReportLab embeds only the
  glyphs a document uses, so a sheet carries a few kilobytes of font, not the 750 KB file.
- QR codes are drawn as vector rectangles (one per horizontal run of dark modules) rather than as
  an embedded PNG: sharper at any printer resolution, smaller, and no image encoding per card.
  The mask is fixed (DESIGN §7): segno's automatic mask choice costs ~80 % of the QR time and the
  fixed mask still scans.
- Photos are centre-cropped and downsampled to print resolution once and embedded as JPEG, which
  the PDF carries as is (DCTDecode); a phone photo embedded unscaled would weigh hundreds of KB.

Stable API (used by cards and congress): ``register_fonts``, ``FONT``, ``FONT_BOLD``, ``MM``,
``qr_matrix``, ``draw_qr``, ``photo_for_print``, ``PrintImage``.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import cache
from pathlib import Path
from typing import IO, Any

import segno
from PIL import Image, ImageOps
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "UnionHubSans"
FONT_BOLD = "UnionHubSans-Bold"
MM = mm
# A fixed mask (DESIGN §7); any of the eight scans, 2 (vertical stripes) was checked with zbarimg.
QR_MASK = 2
QR_BORDER = 4  # the quiet zone the QR specification asks for, in modules
_DARK_RUN = re.compile(b"\x01+")


@cache
def register_fonts() -> tuple[str, str]:
    """Register the vendored Unicode fonts with ReportLab once; returns (regular, bold) names."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
    # Binary streams instead of ASCII85: every PDF reader takes them, they are a fifth smaller,
    # and ReportLab's pure-Python ASCII85 encoder cost more than drawing the photos.
    rl_config.useA85 = 0
    return FONT, FONT_BOLD


def qr_matrix(data: str | bytes, *, error: str = "m") -> tuple[bytes, ...]:
    """The QR symbol's modules (rows of bytes 0/1, no quiet zone) with the fixed mask.

    `boost_error` is off so the error level stays what the caller chose (a higher level would
    mean more modules, smaller on the card); upper-case URLs fit the alphanumeric mode best.
    """
    qr = segno.make(data, error=error, mask=QR_MASK, micro=False, boost_error=False)
    return tuple(bytes(row) for row in qr.matrix)


def qr_svg(data: str, *, error: str = "m") -> str:
    """The QR code as inline SVG that scales to its box (screens and phone pages), with the
    same fixed mask as the printed codes."""
    return segno.make(data, error=error, mask=QR_MASK).svg_inline(
        omitsize=True, border=2, dark="#000", light="#fff"
    )


def draw_qr(
    canvas: Any,
    data: str | bytes,
    x: float,
    y: float,
    size: float,
    *,
    error: str = "m",
    border: int = QR_BORDER,
) -> int:
    """Draw a QR code as vector rectangles in the square (x, y, size) including `border` modules
    of white quiet zone; returns the symbol's modules per side (to check it stays small).

    The rectangles are written as raw PDF operators in module units (one `re` per horizontal
    run of dark modules, integer coordinates): formatting hundreds of floats through ReportLab's
    path object was most of a card's rendering time.
    """
    matrix = qr_matrix(data, error=error)
    count = len(matrix)
    module = size / (count + 2 * border)
    ops = [
        f"{run.start()} {r} {run.end() - run.start()} 1 re"
        for r, row in enumerate(matrix)
        for run in _DARK_RUN.finditer(row)
    ]
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    # Origin at the symbol's top-left module, y growing downwards: rows are drawn as read.
    canvas.transform(module, 0, 0, -module, x + border * module, y + size - border * module)
    canvas.addLiteral("0 g\n" + "\n".join(ops) + "\nf")
    canvas.restoreState()
    return count


def _centre_crop(size: tuple[int, int], aspect: float) -> tuple[int, int, int, int]:
    """The largest box of width:height `aspect` in the middle of an image of `size`."""
    width, height = size
    if width / height > aspect:
        new_width = round(height * aspect)
        left = (width - new_width) // 2
        return left, 0, left + new_width, height
    new_height = round(width / aspect)
    top = (height - new_height) // 2
    return 0, top, width, top + new_height


class PrintImage(ImageReader):  # type: ignore[misc]  # reportlab ships no type information
    """A JPEG ready for ReportLab that is embedded as is (DCTDecode, no re-encoding).

    ReportLab names images by a digest of their decoded pixels, which would decode every photo a
    second time; the digest of the JPEG bytes identifies the image just as well.
    """

    def __init__(self, jpeg: bytes, width: int, height: int) -> None:
        super().__init__(io.BytesIO(jpeg))
        self.jpeg = jpeg
        self._width, self._height = width, height
        self._dataA = None

    def getRGBData(self) -> bytes:  # ReportLab asks this for the image's name
        return hashlib.blake2b(self.jpeg, digest_size=16).digest()


def photo_for_print(
    image_file: str | Path | IO[bytes],
    width_mm: float,
    height_mm: float,
    dpi: int = 300,
    *,
    quality: int = 82,
) -> PrintImage:
    """The photo centre-cropped to width:height and scaled to `dpi` for the printed size.

    JPEG's DCT scaling (`draft`) decodes a large photo straight at 1/2, 1/4 or 1/8 size, which
    is most of the speed; what is left is at most one bilinear pass on the small image.
    """
    target = (max(1, round(width_mm / 25.4 * dpi)), max(1, round(height_mm / 25.4 * dpi)))
    with Image.open(image_file) as source:
        # Staying in YCbCr from decoder to encoder skips two colour conversions per photo.
        source.draft("YCbCr", target)
        image = ImageOps.exif_transpose(source)
        if image.mode not in ("RGB", "YCbCr"):
            image = image.convert("RGB")
    box = _centre_crop(image.size, target[0] / target[1])
    crop_w, crop_h = box[2] - box[0], box[3] - box[1]
    if crop_w > target[0] * 4 / 3:
        # One resampling pass that also crops; a little above print resolution (what `draft`
        # left) is kept as is, since the PDF scales the image to its box anyway.
        image = image.resize(target, Image.Resampling.BILINEAR, box=box)
    elif (crop_w, crop_h) != image.size:
        image = image.crop(box)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=False, progressive=False)
    return PrintImage(buffer.getvalue(), *image.size)
