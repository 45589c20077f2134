"""Ed25519 public and private keys as Multikey (multibase base58btc + multicodec),
JWK and did:key, as the Data Integrity specifications spell them."""

from __future__ import annotations

import base64
from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from qa_engine.errors import TrustError

#: multicodec prefixes (varint): ed25519-pub 0xed, ed25519-priv 0x1300.
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


def b58_encode(data: bytes) -> str:
    """multibase base58btc: ``z`` + base58 (Bitcoin alphabet)."""
    return "z" + base58.b58encode(data).decode("ascii")


def b58_decode(text: str, *, what: str = "value") -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise TrustError(f"the {what} is not multibase base58btc (it must start with 'z')")
    try:
        return base58.b58decode(text[1:])
    except ValueError as exc:
        raise TrustError(f"the {what} is not valid base58btc: {exc}") from exc


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_multibase(key: Ed25519PublicKey) -> str:
    return b58_encode(ED25519_PUB + public_bytes(key))


def private_multibase(key: Ed25519PrivateKey) -> str:
    return b58_encode(ED25519_PRIV + private_bytes(key))


def public_from_multibase(text: str) -> Ed25519PublicKey:
    raw = b58_decode(text, what="publicKeyMultibase")
    if len(raw) != 34 or raw[:2] != ED25519_PUB:
        raise TrustError("the publicKeyMultibase is not an Ed25519 public key (multicodec 0xed, 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_from_multibase(text: str) -> Ed25519PrivateKey:
    raw = b58_decode(text.strip(), what="private key")
    if len(raw) != 34 or raw[:2] != ED25519_PRIV:
        raise TrustError("the private key is not an Ed25519 secret key in Multikey form (multicodec 0x1300, 32 bytes)")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_jwk(key: Ed25519PublicKey, kid: str | None = None) -> dict[str, Any]:
    """RFC 8037 OKP JWK."""
    jwk: dict[str, Any] = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(public_bytes(key))}
    if kid:
        jwk["kid"] = kid
    return jwk


def public_from_jwk(jwk: Any) -> Ed25519PublicKey:
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
        raise TrustError("the JWK is not an Ed25519 public key (kty OKP, crv Ed25519, x)")
    try:
        raw = _b64url_decode(jwk["x"])
    except ValueError as exc:
        raise TrustError(f"the JWK's x is not base64url: {exc}") from exc
    if len(raw) != 32:
        raise TrustError("the JWK's x is not 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def did_key(key: Ed25519PublicKey) -> str:
    return "did:key:" + public_multibase(key)


def did_key_vm(key: Ed25519PublicKey) -> str:
    """The verification method id of a did:key (did:key:z6Mk…#z6Mk…)."""
    mb = public_multibase(key)
    return f"did:key:{mb}#{mb}"


def same_key(a: Ed25519PublicKey, b: Ed25519PublicKey) -> bool:
    return public_bytes(a) == public_bytes(b)
