"""Certificates of merit and completion (movements' awards, training's certificates): an A4
landscape page in the official layout (the national motto at the top, the issuing body, the
title, the recipient's name large, the reason, place and date, the signer) in the vendored
Vietnamese font, and a QR code of a signed token that a public page verifies.

Each kind of certificate signs with its own purpose (`certificate_token(purpose=b"…")`), so a
token of one kind never verifies as another, nor as a membership card. The payload is the
certificate's id only: the public page reads the rest (name, award, revoked or not) from the
database, so a revocation takes effect at once without re-issuing anything.

Callers pass every text already translated; this module holds no user-visible strings.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from unionhub.core import signing
from unionhub.core.pdf import MM, draw_qr, register_fonts

_ID = struct.Struct(">Q")  # the certificate's primary key, 8 bytes big-endian


def certificate_token(pk: int, *, purpose: bytes) -> str:
    """The signed token of certificate `pk` for the QR code and the verify link."""
    return signing.sign(_ID.pack(pk), purpose=purpose)


def certificate_id(token: str, *, purpose: bytes) -> int:
    """The id in a genuine token of this purpose; signing.BadToken for anything else."""
    payload = signing.verify(token, purpose=purpose)
    if len(payload) != _ID.size:
        raise signing.BadToken("wrong payload")
    return int(_ID.unpack(payload)[0])


@dataclass(frozen=True)
class Certificate:
    motto: tuple[str, str]  # the national motto, two lines
    issuer: tuple[str, ...]  # the issuing body, from its upper level down
    title: str  # "GIẤY KHEN"
    lead: str  # "tặng", "chứng nhận"
    recipient: str
    reason: str
    place_date: str
    signer_title: str
    signer: str
    number: str  # the decision's official number, printed under the issuer
    verify_url: str
    verify_hint: str  # a line under the QR code


def render(certificate: Certificate) -> bytes:
    """One A4 landscape page, as PDF bytes."""
    regular, bold = register_fonts()
    out = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(out, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"{certificate.title} — {certificate.recipient}")
    # A double frame, as on printed certificates.
    canvas.setStrokeColorRGB(0.62, 0.1, 0.1)
    canvas.setLineWidth(3)
    canvas.rect(10 * MM, 10 * MM, width - 20 * MM, height - 20 * MM)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * MM, 13 * MM, width - 26 * MM, height - 26 * MM)
    canvas.setFillColorRGB(0, 0, 0)
    left, right = width * 0.27, width * 0.70
    top = height - 26 * MM
    for index, line in enumerate(certificate.issuer):
        canvas.setFont(bold if index == len(certificate.issuer) - 1 else regular, 11)
        canvas.drawCentredString(left, top - index * 6 * MM, line)
    canvas.setFont(regular, 10)
    canvas.drawCentredString(left, top - len(certificate.issuer) * 6 * MM, certificate.number)
    canvas.setFont(bold, 11)
    canvas.drawCentredString(right, top, certificate.motto[0])
    canvas.setFont(bold, 11)
    canvas.drawCentredString(right, top - 6 * MM, certificate.motto[1])
    canvas.setFillColorRGB(0.75, 0.05, 0.05)
    canvas.setFont(bold, 40)
    canvas.drawCentredString(width / 2, height - 72 * MM, certificate.title)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(regular, 14)
    canvas.drawCentredString(width / 2, height - 86 * MM, certificate.lead)
    canvas.setFont(bold, 24)
    canvas.drawCentredString(width / 2, height - 100 * MM, certificate.recipient)
    canvas.setFont(regular, 13)
    y = height - 114 * MM
    for line in _wrap(certificate.reason, regular, 13, width - 90 * MM):
        canvas.drawCentredString(width / 2, y, line)
        y -= 7 * MM
    canvas.setFont(regular, 12)
    canvas.drawCentredString(right, 56 * MM, certificate.place_date)
    canvas.setFont(bold, 12)
    canvas.drawCentredString(right, 49 * MM, certificate.signer_title)
    canvas.drawCentredString(right, 24 * MM, certificate.signer)
    qr_size = 34 * MM
    draw_qr(canvas, certificate.verify_url, 22 * MM, 20 * MM, qr_size)
    canvas.setFont(regular, 8)
    canvas.drawString(22 * MM, 17 * MM, certificate.verify_hint)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines[:4]
