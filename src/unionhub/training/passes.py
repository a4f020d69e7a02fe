"""A participant's pass: core.passes signed for the purpose "training-pass", the group being
the session and the holder the enrolment. Scanned at the door it checks the participant in;
opened on the participant's phone it shows the session and the course's materials."""

from __future__ import annotations

from unionhub.core import certificates, passes
from unionhub.training.models import Enrolment

PURPOSE = b"training-pass"
PREFIX = "/t/"
# A session's public sign-up link signs the session's id for this purpose.
SIGNUP_PURPOSE = b"training-signup"


def pass_token(enrolment: Enrolment) -> str:
    return passes.pass_token(
        purpose=PURPOSE,
        group_id=enrolment.session_id,
        holder_id=enrolment.pk,
        serial=enrolment.pass_serial,
    )


def claim(token: str) -> passes.PassClaim:
    """What a genuine pass token says; signing.BadToken for anything else."""
    return passes.pass_claim(token, purpose=PURPOSE)


def token_from_scan(text: str) -> str:
    return passes.token_from_scan(text, prefix=PREFIX)


def signup_token(session_id: int) -> str:
    return certificates.certificate_token(session_id, purpose=SIGNUP_PURPOSE)
