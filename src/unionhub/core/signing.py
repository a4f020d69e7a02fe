"""Ed25519-signed compact tokens for QR codes (membership cards, delegate cards).

A token is base64url(payload ‖ signature) without padding. The signature covers a `purpose`
prefix that is not in the token, so a token made for one purpose (a card) never verifies for
another (a delegate page). Anyone holding the public key can verify a token offline.

The private key comes from `SIGNING_KEY_FILE` (PEM, PKCS#8); an embedded install generates one
once under `var/`. Production refuses to start signing without the file.
"""

from __future__ import annotations

import base64
import binascii
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNATURE_BYTES = 64


class BadToken(Exception):
    """Malformed, truncated, tampered or signed by another key."""


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise BadToken("not base64url") from error


def _key_file() -> Path:
    configured = getattr(settings, "SIGNING_KEY_FILE", "")
    if configured:
        return Path(configured)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("SIGNING_KEY_FILE must be set when UNIONHUB_PRODUCTION is on.")
    return settings.VAR_DIR / "signing_ed25519.pem"


@cache
def private_key() -> Ed25519PrivateKey:
    path = _key_file()
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
    return loaded


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    return (
        (key or public_key())
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign(payload: bytes, *, purpose: bytes, key: Ed25519PrivateKey | None = None) -> str:
    signature = (key or private_key()).sign(purpose + payload)
    return b64encode(payload + signature)


def verify(token: str, *, purpose: bytes, key: Ed25519PublicKey | None = None) -> bytes:
    """The payload of a genuine token; BadToken for anything else."""
    raw = b64decode(token.strip())
    if len(raw) <= SIGNATURE_BYTES:
        raise BadToken("too short")
    payload, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    if b64encode(raw) != token.strip():
        raise BadToken("not canonical")  # base64 with stray bits set would otherwise alias
    try:
        (key or public_key()).verify(signature, purpose + payload)
    except InvalidSignature as error:
        raise BadToken("bad signature") from error
    return payload
