"""Delegate card tokens: a compact binary payload signed with the federation's Ed25519 key.

Payload (13 bytes, big-endian): format version (1), congress id (4), delegate id (4), card serial
(4). With the 64-byte signature the token is 103 base64url characters, a small QR. The serial
and the revoked flag live in the database, so a lost card is refused by bumping the serial
without any list of revoked tokens; an offline station compares them against its roster.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from unionhub.core import signing

PURPOSE = b"delegate"
_FORMAT = struct.Struct(">BIII")
_VERSION = 1


@dataclass(frozen=True)
class CardClaim:
    congress_id: int
    delegate_id: int
    serial: int


def card_token(*, congress_id: int, delegate_id: int, serial: int) -> str:
    return signing.sign(_FORMAT.pack(_VERSION, congress_id, delegate_id, serial), purpose=PURPOSE)


def card_claim(token: str) -> CardClaim:
    """What a genuine token says; signing.BadToken for anything else."""
    payload = signing.verify(token, purpose=PURPOSE)
    if len(payload) != _FORMAT.size:
        raise signing.BadToken("wrong payload size")
    version, congress_id, delegate_id, serial = _FORMAT.unpack(payload)
    if version != _VERSION:
        raise signing.BadToken("unknown payload version")
    return CardClaim(congress_id, delegate_id, serial)


def token_from_scan(text: str) -> str:
    """The token inside whatever a scanner read: the bare token or the card's /d/<token> URL."""
    text = text.strip()
    if "/d/" in text:
        text = text.rsplit("/d/", 1)[1]
    return text.strip("/ ").split("?", 1)[0]
