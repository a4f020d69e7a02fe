"""Passes: the signed QR codes people carry to a door (a congress delegate's card, a training
participant's pass), in one compact binary format signed with the federation's Ed25519 key.

Payload (13 bytes, big-endian): format version (1), the group the pass admits to (a congress,
a training session: 4), the holder (4) and the pass serial (4). With the 64-byte signature the
token is 103 base64url characters, a small QR. Each kind of pass signs with its own purpose, so
one kind is never taken for another. The serial and any revocation live in the database: a
lost pass is refused by bumping the serial, without a list of revoked tokens, and an offline
station compares them against its roster (core/static/core/station.js reads this format).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from unionhub.core import signing

_FORMAT = struct.Struct(">BIII")
_VERSION = 1


@dataclass(frozen=True)
class PassClaim:
    group_id: int
    holder_id: int
    serial: int


def pass_token(*, purpose: bytes, group_id: int, holder_id: int, serial: int) -> str:
    return signing.sign(_FORMAT.pack(_VERSION, group_id, holder_id, serial), purpose=purpose)


def pass_claim(token: str, *, purpose: bytes) -> PassClaim:
    """What a genuine token of `purpose` says; signing.BadToken for anything else."""
    payload = signing.verify(token, purpose=purpose)
    if len(payload) != _FORMAT.size:
        raise signing.BadToken("wrong payload size")
    version, group_id, holder_id, serial = _FORMAT.unpack(payload)
    if version != _VERSION:
        raise signing.BadToken("unknown payload version")
    return PassClaim(group_id, holder_id, serial)


def token_from_scan(text: str, *, prefix: str) -> str:
    """The token inside whatever a scanner read: the bare token, or the pass's URL, whose path
    holds `prefix` (such as "/d/") followed by the token."""
    text = text.strip()
    if prefix in text:
        text = text.rsplit(prefix, 1)[1]
    return text.strip("/ ").split("?", 1)[0]
