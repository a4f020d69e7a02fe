"""The printable consent form (A4): the member signs it and the registrar records what was ticked.

Drawn with the shared PDF machinery (core.pdf fonts) so Vietnamese prints on every reader."""

from __future__ import annotations

from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from unionhub.core.pdf import MM, register_fonts
from unionhub.members.models import Member
from unionhub.privacy.models import Purpose

MARGIN = 20 * MM
LINE = 6 * MM


def subject_report(member: Member, data: dict[str, Any], out: IO[bytes]) -> None:
    """The subject export as a readable document: one section per kind of record."""
    regular, bold = register_fonts()
    width, height = A4
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Personal data held about %(name)s") % {"name": member.full_name})
    y = height - MARGIN

    def line(text: str, *, font: str = regular, size: float = 9) -> None:
        nonlocal y
        for part in simpleSplit(text, font, size, width - 2 * MARGIN) or [""]:
            if y < MARGIN:
                canvas.showPage()
                y = height - MARGIN
            canvas.setFont(font, size)
            canvas.drawString(MARGIN, y, part)
            y -= size * 1.5

    line(_("Personal data held about %(name)s") % {"name": member.full_name}, font=bold, size=13)
    line(_("Printed %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")})
    line(_("Profile"), font=bold, size=11)
    for name, value in data["profile"].items():
        line(f"{name}: {'' if value is None else value}")
    for label, rows in data["records"].items():
        line(label, font=bold, size=11)
        if not rows:
            line("—")
        for row in rows:
            line("; ".join(f"{k}: {'' if v is None else v}" for k, v in row.items()))
    line(_("Audit trail"), font=bold, size=11)
    for entry in data["audit"]:
        line(f"{entry['at'][:19]} {entry['action']} {entry['by']}")
    canvas.showPage()
    canvas.save()


def consent_form(member: Member, out: IO[bytes]) -> None:
    regular, bold = register_fonts()
    width, height = A4
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Consent to the processing of personal data"))
    y = height - MARGIN

    def text(line: str, *, font: str = regular, size: float = 11, centre: bool = False) -> None:
        nonlocal y
        for part in simpleSplit(line, font, size, width - 2 * MARGIN) or [""]:
            canvas.setFont(font, size)
            if centre:
                canvas.drawCentredString(width / 2, y, part)
            else:
                canvas.drawString(MARGIN, y, part)
            y -= LINE

    text(_("SOCIALIST REPUBLIC OF VIETNAM"), font=bold, centre=True)
    text(_("Independence – Freedom – Happiness"), centre=True)
    y -= LINE
    text(_("CONSENT TO THE PROCESSING OF PERSONAL DATA"), font=bold, size=14, centre=True)
    text(_("(Decree 13/2023/ND-CP and the Law on Personal Data Protection 2025)"), centre=True)
    y -= LINE
    text(_("Full name: %(name)s") % {"name": member.full_name})
    text(_("Trade union: %(unit)s") % {"unit": member.unit.name})
    y -= LINE / 2
    text(
        _(
            "I have been told what personal data the trade union keeps about me, why, for how "
            "long and who may see it, and that I may withdraw my consent at any time. I agree "
            "to the processing for the purposes I ticked below:"
        )
    )
    y -= LINE / 2
    for purpose in Purpose:
        canvas.rect(MARGIN, y - 1 * MM, 4 * MM, 4 * MM)
        canvas.setFont(regular, 11)
        canvas.drawString(MARGIN + 7 * MM, y, str(purpose.label))
        y -= LINE * 1.4
    y -= LINE
    text(_("Date: ........ / ........ / ............"))
    y -= LINE
    canvas.setFont(bold, 11)
    canvas.drawString(MARGIN, y, _("The member"))
    canvas.drawString(width / 2 + 10 * MM, y, _("Received by (registrar)"))
    y -= LINE
    canvas.setFont(regular, 9)
    canvas.drawString(MARGIN, y, _("(signature and full name)"))
    canvas.drawString(width / 2 + 10 * MM, y, _("(signature and full name)"))
    canvas.setFont(regular, 8)
    canvas.drawString(
        MARGIN,
        MARGIN / 2,
        _("Printed %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")},
    )
    canvas.showPage()
    canvas.save()
