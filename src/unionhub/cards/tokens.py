"""The card's QR token: a compact binary payload signed with the federation's Ed25519 key.

Payload (17 bytes, big-endian): version (1 byte) · card number as an integer (6 bytes; 13
digits fit in 48 bits) · issue date as days since 2000-01-01 (2 bytes) · the first 8 bytes of
the member's random ``public_id`` (a key that says nothing about the person, but ties the token
to this member so a re-used number could not vouch for someone else). With the 64-byte signature
the token is 108 base64url characters and the QR code stays at version 8 with error level M.

This module needs no database: the offline ``verify-card`` command uses it with a public key.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from unionhub.cards import numbers
from unionhub.core import signing

PURPOSE = b"unionhub-card"
VERSION = 1
EPOCH = dt.date(2000, 1, 1)
MEMBER_KEY_BYTES = 8
_LAYOUT = struct.Struct(">B6sH8s")
PATH_PREFIX = "/v/"


@dataclass(frozen=True)
class CardClaim:
    """What a genuine token says about its card."""

    number: str
    issued: dt.date
    member_key: bytes


def member_key(public_id) -> bytes:
    return public_id.bytes[:MEMBER_KEY_BYTES]


def pack(claim: CardClaim) -> bytes:
    days = (claim.issued - EPOCH).days
    if not 0 <= days < 2**16:
        raise ValueError("issue date outside 2000–2179")
    return _LAYOUT.pack(
        VERSION, int(claim.number).to_bytes(6, "big"), days, claim.member_key[:MEMBER_KEY_BYTES]
    )


def unpack(payload: bytes) -> CardClaim:
    if len(payload) != _LAYOUT.size:
        raise signing.BadToken("wrong payload length")
    version, number, days, key = _LAYOUT.unpack(payload)
    if version != VERSION:
        raise signing.BadToken("unknown payload version")
    digits = f"{int.from_bytes(number, 'big'):0{numbers.NUMBER_DIGITS}d}"
    if not numbers.is_valid(digits):
        raise signing.BadToken("card number fails its check digits")
    return CardClaim(number=digits, issued=EPOCH + dt.timedelta(days=days), member_key=key)


def make_token(claim: CardClaim, *, key: Ed25519PrivateKey | None = None) -> str:
    return signing.sign(pack(claim), purpose=PURPOSE, key=key)


def read_token(token: str, *, key: Ed25519PublicKey | None = None) -> CardClaim:
    """The claim of a genuine token; ``signing.BadToken`` for anything else (tampered,
    truncated, signed by another key, made for another purpose)."""
    return unpack(signing.verify(token, purpose=PURPOSE, key=key))


def token_from_text(text: str) -> str:
    """Accept what a scanner gives: the whole URL (…/v/<token>) or the bare token."""
    text = text.strip()
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text
        if PATH_PREFIX not in path:
            raise signing.BadToken("not a card link")
        text = path.rsplit(PATH_PREFIX, 1)[1].strip("/")
    return text
