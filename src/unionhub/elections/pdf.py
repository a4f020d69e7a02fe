"""Printed paper: strike-out ballots (one per eligible voter, serial and QR) and the counting
minutes (biên bản kiểm phiếu), drawn with core.pdf's Vietnamese font and vector QR."""

from __future__ import annotations

from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfgen.canvas import Canvas

from unionhub.core.pdf import FONT, FONT_BOLD, MM, draw_qr, register_fonts
from unionhub.elections import tokens
from unionhub.elections.models import PaperBallot, Round
from unionhub.elections.selectors import RoundReport


def ballot_code(ballot: PaperBallot) -> str:
    """What the ballot's QR says: the round and the serial, signed (elections.tokens), so a
    counter's scanner finds the ballot to enter and a home-made ballot is refused."""
    return tokens.ballot_code(round_id=ballot.round_id, serial=ballot.serial)


def ballots_pdf(
    out: IO[bytes], *, round: Round, ballots: list[PaperBallot], names: list[str]
) -> None:
    """One A5 page per ballot: the list of names to strike out, the serial and its QR."""
    register_fonts()
    width, height = A5
    canvas = Canvas(out, pagesize=A5, pageCompression=1)
    election = round.election
    for ballot in ballots:
        y = height - 18 * MM
        canvas.setFont(FONT_BOLD, 11)
        canvas.drawCentredString(width / 2, y, election.congress.name.upper())
        y -= 9 * MM
        canvas.setFont(FONT_BOLD, 16)
        canvas.drawCentredString(width / 2, y, _("BALLOT"))
        y -= 7 * MM
        canvas.setFont(FONT, 11)
        canvas.drawCentredString(width / 2, y, f"{election.title} — {_('Round')} {round.number}")
        y -= 6 * MM
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(
            width / 2,
            y,
            _("Seats: %(seats)d. Strike out the names you do not elect; keep at most %(seats)d.")
            % {"seats": round.seats},
        )
        y -= 10 * MM
        canvas.setFont(FONT, 12)
        for number, name in enumerate(names, start=1):
            canvas.drawString(20 * MM, y, f"{number}. {name}")
            y -= 8 * MM
        draw_qr(canvas, ballot_code(ballot), width - 38 * MM, 10 * MM, 28 * MM)
        canvas.setFont(FONT, 9)
        canvas.drawString(15 * MM, 14 * MM, f"{_('Serial')}: {ballot.serial:04d}")
        canvas.drawString(15 * MM, 20 * MM, _("Stamp of the counting committee:"))
        canvas.showPage()
    canvas.save()


def minutes_pdf(out: IO[bytes], *, report: RoundReport) -> None:
    """The counting minutes: ballots issued, received, valid and invalid (by reason), votes per
    candidate, the elected and any further round, and the committee's signature block."""
    register_fonts()
    width, height = A4
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    round, result = report.round, report.result
    election = round.election
    y = height - 20 * MM
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawString(20 * MM, y, election.congress.name.upper())
    y -= 12 * MM
    canvas.setFont(FONT_BOLD, 15)
    canvas.drawCentredString(width / 2, y, _("MINUTES OF THE BALLOT COUNT"))
    y -= 7 * MM
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(width / 2, y, f"{election.title} — {_('Round')} {round.number}")
    y -= 12 * MM
    lines = [
        (_("Seats"), round.seats),
        (_("Eligible voters (ballots issued)"), round.eligible),
        (_("Ballots received"), result.valid + result.invalid),
        (_("Valid ballots"), result.valid),
        (_("Invalid ballots"), result.invalid),
    ]
    reasons = {
        "not_official": _("not an official ballot"),
        "too_many": _("keeps more names than seats"),
        "unknown_name": _("keeps a name not on the list"),
    }
    lines += [(f"  – {reasons[k]}", v) for k, v in sorted(result.invalid_reasons.items())]
    for label, value in lines:
        canvas.drawString(20 * MM, y, str(label))
        canvas.drawRightString(width - 20 * MM, y, str(value))
        y -= 6.5 * MM
    y -= 6 * MM
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawString(20 * MM, y, _("Votes per candidate"))
    y -= 7 * MM
    for number, line in enumerate(report.lines, start=1):
        canvas.setFont(FONT_BOLD if line.elected else FONT, 11)
        mark = _("elected") if line.elected else (_("further round") if line.tied else "")
        canvas.drawString(20 * MM, y, f"{number}. {line.name}")
        canvas.drawRightString(width - 60 * MM, y, f"{line.votes}")
        canvas.drawRightString(width - 42 * MM, y, f"{line.share:.2f} %".replace(".", ","))
        canvas.drawRightString(width - 20 * MM, y, str(mark))
        y -= 6.5 * MM
        if y < 60 * MM:
            canvas.showPage()
            y = height - 20 * MM
    y -= 6 * MM
    canvas.setFont(FONT, 11)
    if result.tied:
        canvas.drawString(
            20 * MM,
            y,
            _("A further round is needed for %(n)d seats among the tied.")
            % {"n": result.tied_seats},
        )
        y -= 6.5 * MM
    if result.open_seats:
        canvas.drawString(20 * MM, y, _("Seats left open: %(n)d.") % {"n": result.open_seats})
        y -= 6.5 * MM
    stamp = timezone.localtime(round.closed or timezone.now())
    canvas.drawString(
        20 * MM, y, _("Closed at %(time)s.") % {"time": stamp.strftime("%H:%M %d/%m/%Y")}
    )
    y = min(y - 15 * MM, 55 * MM)
    canvas.setFont(FONT_BOLD, 11)
    for x, label in ((45 * MM, _("HEAD OF THE COUNTING COMMITTEE")), (150 * MM, _("SECRETARY"))):
        canvas.drawCentredString(x, y, label)
    canvas.setFont(FONT, 9)
    for x in (45 * MM, 150 * MM):
        canvas.drawCentredString(x, y - 5 * MM, _("(signature and full name)"))
    canvas.showPage()
    canvas.save()
