"""Delegate card tokens: core.passes signed for the purpose "delegate", the group being the
congress and the holder the delegate. The card's serial and revoked flag live on the delegate."""

from __future__ import annotations

from dataclasses import dataclass

from unionhub.core import passes

PURPOSE = b"delegate"


@dataclass(frozen=True)
class CardClaim:
    congress_id: int
    delegate_id: int
    serial: int


def card_token(*, congress_id: int, delegate_id: int, serial: int) -> str:
    return passes.pass_token(
        purpose=PURPOSE, group_id=congress_id, holder_id=delegate_id, serial=serial
    )


def card_claim(token: str) -> CardClaim:
    """What a genuine token says; signing.BadToken for anything else."""
    claim = passes.pass_claim(token, purpose=PURPOSE)
    return CardClaim(claim.group_id, claim.holder_id, claim.serial)


def token_from_scan(text: str) -> str:
    """The token inside whatever a scanner read: the bare token or the card's /d/<token> URL."""
    return passes.token_from_scan(text, prefix="/d/")
