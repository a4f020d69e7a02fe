"""Training certificates: the completion certificate of an attended enrolment, through
core.certificates, with its own signing purpose so no other certificate's QR verifies here."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from unionhub.core import certificates
from unionhub.training.models import Enrolment

PURPOSE = b"training-certificate"


def token(enrolment: Enrolment) -> str:
    return certificates.certificate_token(enrolment.pk, purpose=PURPOSE)


def certificate_pdf(enrolment: Enrolment, *, verify_url: str) -> bytes:
    course = enrolment.session.course
    unit = course.unit
    issuer = [u.name.upper() for u in ([unit.parent, unit] if unit.parent else [unit])]
    attended = timezone.localtime(enrolment.attended) if enrolment.attended else None
    return certificates.render(
        certificates.Certificate(
            motto=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
            issuer=tuple(issuer),
            title=_("CERTIFICATE OF TRAINING"),
            lead=_("certifies that"),
            recipient=enrolment.member.full_name,
            reason=_("completed the course “%(course)s” (%(topic)s)")
            % {"course": course.title, "topic": course.topic},
            place_date=_("%(place)s, %(date)s")
            % {
                "place": unit.short_name or unit.name,
                "date": attended.strftime("%d/%m/%Y") if attended else "",
            },
            signer_title=_("FOR THE ORGANISING UNIT"),
            signer="",
            number=_("Certificate No. %(number)s") % {"number": f"TH-{enrolment.pk:06d}"},
            verify_url=verify_url,
            verify_hint=pgettext("training", "Scan to check that this certificate is genuine."),
        )
    )
