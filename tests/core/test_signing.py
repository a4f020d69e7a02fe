import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from unionhub.core import signing

KEY = Ed25519PrivateKey.generate()


def test_token_round_trip():
    token = signing.sign(b"card:123", purpose=b"card", key=KEY)
    assert signing.verify(token, purpose=b"card", key=KEY.public_key()) == b"card:123"


def test_token_for_one_purpose_fails_for_another():
    token = signing.sign(b"x", purpose=b"card", key=KEY)
    with pytest.raises(signing.BadToken):
        signing.verify(token, purpose=b"delegate", key=KEY.public_key())


def test_token_signed_by_a_foreign_key_fails():
    token = signing.sign(b"x", purpose=b"card", key=Ed25519PrivateKey.generate())
    with pytest.raises(signing.BadToken):
        signing.verify(token, purpose=b"card", key=KEY.public_key())


@given(st.data())
def test_every_single_character_change_fails(data):
    token = signing.sign(b"HT-0000123\x01", purpose=b"card", key=KEY)
    index = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_").filter(
            lambda c: c != token[index]
        )
    )
    tampered = token[:index] + replacement + token[index + 1 :]
    with pytest.raises(signing.BadToken):
        signing.verify(tampered, purpose=b"card", key=KEY.public_key())


@given(st.text(max_size=200))
def test_garbage_never_verifies(text):
    with pytest.raises(signing.BadToken):
        signing.verify(text, purpose=b"card", key=KEY.public_key())


def test_truncated_token_fails():
    token = signing.sign(b"payload", purpose=b"card", key=KEY)
    for cut in range(1, len(token)):
        with pytest.raises(signing.BadToken):
            signing.verify(token[:cut], purpose=b"card", key=KEY.public_key())
