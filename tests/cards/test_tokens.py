"""The QR token: compact, signed, and any change to it makes it not genuine."""

import datetime as dt
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from unionhub.cards import numbers, tokens
from unionhub.core import signing

CLAIM = tokens.CardClaim(
    number=numbers.compose("042", 1234), issued=dt.date(2026, 11, 27), member_key=b"\x01" * 8
)


def test_token_round_trips_and_is_compact():
    token = tokens.make_token(CLAIM)
    assert tokens.read_token(token) == CLAIM
    assert len(tokens.pack(CLAIM)) == 17
    assert len(token) == 108


def test_member_key_is_random_not_personal():
    public_id = uuid.uuid4()
    assert tokens.member_key(public_id) == public_id.bytes[:8]


def test_every_single_byte_change_is_not_genuine():
    token = tokens.make_token(CLAIM)
    raw = signing.b64decode(token)
    for index in range(len(raw)):
        for flip in (0x01, 0x80, 0xFF):
            changed = bytearray(raw)
            changed[index] ^= flip
            with pytest.raises(signing.BadToken):
                tokens.read_token(signing.b64encode(bytes(changed)))


def test_every_single_character_change_is_not_genuine():
    token = tokens.make_token(CLAIM)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for index, char in enumerate(token):
        other = alphabet[(alphabet.index(char) + 1) % 64]
        with pytest.raises(signing.BadToken):
            tokens.read_token(token[:index] + other + token[index + 1 :])


def test_truncated_or_extended_tokens_are_not_genuine():
    token = tokens.make_token(CLAIM)
    for cut in range(1, len(token)):
        with pytest.raises(signing.BadToken):
            tokens.read_token(token[:cut])
    with pytest.raises(signing.BadToken):
        tokens.read_token(token + "A")


def test_token_signed_by_another_key_is_not_genuine():
    foreign = tokens.make_token(CLAIM, key=Ed25519PrivateKey.generate())
    with pytest.raises(signing.BadToken):
        tokens.read_token(foreign)


def test_token_of_another_purpose_is_not_genuine():
    other = signing.sign(tokens.pack(CLAIM), purpose=b"delegate")
    with pytest.raises(signing.BadToken):
        tokens.read_token(other)


def test_links_and_bare_tokens_are_both_accepted():
    token = tokens.make_token(CLAIM)
    assert tokens.token_from_text(f"https://x.test/v/{token}") == token
    assert tokens.token_from_text(f"  {token}\n") == token
    with pytest.raises(signing.BadToken):
        tokens.token_from_text("https://x.test/other/abc")
