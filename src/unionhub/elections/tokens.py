"""Paper ballot codes: the round and the serial, signed with the federation's Ed25519 key.

Payload (9 bytes, big-endian): format version (1), round id (4), serial (4); with the signature
the code is 98 base64url characters, a QR that a USB scanner types into the counting page. A
photocopied ballot carries a genuine code, but of a serial already entered (the double-entry
lines show it twice); a home-made ballot carries none that verifies.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from unionhub.core import signing

PURPOSE = b"unionhub-ballot"
_FORMAT = struct.Struct(">BII")
_VERSION = 1


@dataclass(frozen=True)
class BallotClaim:
    round_id: int
    serial: int


def ballot_code(*, round_id: int, serial: int) -> str:
    return signing.sign(_FORMAT.pack(_VERSION, round_id, serial), purpose=PURPOSE)


def ballot_claim(code: str) -> BallotClaim:
    """What a genuine ballot code says; signing.BadToken for anything else."""
    payload = signing.verify(code, purpose=PURPOSE)
    if len(payload) != _FORMAT.size:
        raise signing.BadToken("wrong payload size")
    version, round_id, serial = _FORMAT.unpack(payload)
    if version != _VERSION:
        raise signing.BadToken("unknown payload version")
    return BallotClaim(round_id, serial)
