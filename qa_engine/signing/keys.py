"""The issuer's signing keys: a key directory, or one key from the environment.

Why a directory and not the store: a private key must not sit in the database that the
web application reads, backs up and replicates; a directory (mode 0700, each private
key 0600) can live on the signing machine alone, or be replaced by an environment
variable (``QA_ENGINE_SIGNING_KEY``) fed from a secret manager. The public half of every
key, current and retired, is kept in ``keyring.json`` so that credentials signed before
a rotation still verify: the DID document lists them all.

Layout::

    keyring.json            issuer DID and name, every key (id = publicKeyMultibase,
                            created, status active|retired, retired date)
    <publicKeyMultibase>.key  the private key, Multikey (z3u2…), mode 0600; removed
                            when the key is retired
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from qa_engine.errors import TrustError
from qa_engine.fileio import atomic_write_text
from qa_engine.signing.multikey import (
    did_key,
    did_key_vm,
    private_from_multibase,
    private_multibase,
    public_from_jwk,
    public_from_multibase,
    public_jwk,
    public_multibase,
)
from qa_engine.signing.proof import utc_now

ENV_KEY = "QA_ENGINE_SIGNING_KEY"
ENV_ISSUER = "QA_ENGINE_ISSUER"
ENV_DIR = "QA_ENGINE_KEYS"
ENV_BASE_URL = "QA_ENGINE_BASE_URL"
DEFAULT_DIR = "qa-engine-keys"
RING = "keyring.json"
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


@dataclass(frozen=True)
class KeyInfo:
    id: str  # publicKeyMultibase
    created: str
    status: str  # active | retired
    retired: str | None = None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return public_from_multibase(self.id)


@dataclass(frozen=True)
class Signer:
    """The key that signs now, the verification method it is published under, the issuer."""

    key: Ed25519PrivateKey
    verification_method: str
    issuer: str
    issuer_name: str | None
    base_url: str | None = None


def key_dir(path: str | Path | None) -> Path:
    return Path(path or os.environ.get(ENV_DIR) or DEFAULT_DIR)


def did_web_for(base_url: str) -> str:
    """The did:web DID of a register's address (port as %3A, path segments as ':')."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TrustError(f"base URL {base_url!r} is not an http(s) address", hint="write it as https://register.example.org")
    did = "did:web:" + parts.netloc.replace(":", "%3A")
    path = parts.path.strip("/")
    return did + (":" + path.replace("/", ":") if path else "")


def _validate_issuer(issuer: str | None) -> None:
    if issuer is not None and not (issuer.startswith("did:web:") and len(issuer) > 8):
        raise TrustError(f"issuer {issuer!r} is not a did:web DID", hint="write it as did:web:register.example.org")


class KeyRing:
    """The key directory: create, list, rotate, sign with, publish."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = key_dir(path)

    # -- reading ---------------------------------------------------------------
    def _ring(self) -> dict[str, Any]:
        file = self.path / RING
        try:
            data = json.loads(file.read_text("utf-8"))
        except FileNotFoundError:
            raise TrustError(
                f"{file}: no key directory here", hint="create a key first: qa-engine keys create"
            ) from None
        except (OSError, ValueError) as exc:
            raise TrustError(f"{file}: cannot be read as a key ring: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise TrustError(f"{file}: not a qa-engine key ring (no 'keys' list)")
        return data

    def exists(self) -> bool:
        return (self.path / RING).is_file()

    def entries(self) -> list[KeyInfo]:
        return [KeyInfo(k["id"], k["created"], k["status"], k.get("retired")) for k in self._ring()["keys"]]

    def issuer(self) -> str:
        ring = self._ring()
        if ring.get("issuer"):
            return str(ring["issuer"])
        return did_key(self.active().public_key)

    def issuer_name(self) -> str | None:
        name = self._ring().get("name")
        return str(name) if name else None

    def active(self) -> KeyInfo:
        for k in self.entries():
            if k.status == "active":
                return k
        raise TrustError(f"{self.path / RING}: no active key", hint="run qa-engine keys rotate")

    def vm_id(self, key: KeyInfo) -> str:
        ring = self._ring()
        if ring.get("issuer"):
            return f"{ring['issuer']}#{key.id}"
        return did_key_vm(key.public_key)

    def signer(self) -> Signer:
        key = self.active()
        file = self.path / f"{key.id}.key"
        try:
            mode = file.stat().st_mode
            text = file.read_text("ascii")
        except FileNotFoundError:
            raise TrustError(f"{file}: the active key's private key is missing") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise TrustError(
                f"{file}: the private key is readable by others (mode {stat.S_IMODE(mode):o})",
                hint=f"chmod 600 {file}",
            )
        private = private_from_multibase(text)
        if public_multibase(private.public_key()) != key.id:
            raise TrustError(f"{file}: the private key does not belong to key {key.id}")
        return Signer(private, self.vm_id(key), self.issuer(), self.issuer_name(), self.base_url())

    # -- changing --------------------------------------------------------------
    def _write_ring(self, ring: dict[str, Any]) -> None:
        atomic_write_text(self.path / RING, json.dumps(ring, indent=2) + "\n")

    def _new_key(self) -> dict[str, Any]:
        private = Ed25519PrivateKey.generate()
        kid = public_multibase(private.public_key())
        file = self.path / f"{kid}.key"
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(private_multibase(private) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return {"id": kid, "created": utc_now(), "status": "active"}

    def base_url(self) -> str | None:
        url = self._ring().get("base_url")
        return str(url) if url else None

    def create(
        self, *, issuer: str | None = None, name: str | None = None, base_url: str | None = None
    ) -> KeyInfo:
        """A new key directory with one active key; refuses to overwrite one. With a
        base URL (the public register's address) the issuer defaults to its did:web."""
        if base_url:
            base_url = base_url.rstrip("/")
            issuer = issuer or did_web_for(base_url)
        _validate_issuer(issuer)
        if self.exists():
            raise TrustError(
                f"{self.path}: already holds a key ring", hint="use qa-engine keys rotate to replace the key"
            )
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        entry = self._new_key()
        self._write_ring({"issuer": issuer, "name": name, "base_url": base_url, "keys": [entry]})
        return KeyInfo(entry["id"], entry["created"], "active")

    def rotate(self) -> tuple[KeyInfo, KeyInfo]:
        """A new active key; the old one is retired (its private key deleted, its public
        key kept in the ring and the DID document so that what it signed still verifies)."""
        ring = self._ring()
        old = self.active()
        entry = self._new_key()
        now = entry["created"]
        for k in ring["keys"]:
            if k["status"] == "active":
                k["status"], k["retired"] = "retired", now
        ring["keys"].append(entry)
        self._write_ring(ring)
        old_file = self.path / f"{old.id}.key"
        if old_file.exists():
            old_file.unlink()
        return KeyInfo(old.id, old.created, "retired", now), KeyInfo(entry["id"], now, "active")

    # -- publishing ------------------------------------------------------------
    def did_document(self) -> dict[str, Any]:
        """The issuer's DID document: every key, current and retired, may assert."""
        issuer = self._ring().get("issuer") or self.issuer()
        methods = [
            {"id": self.vm_id(k), "type": "Multikey", "controller": issuer, "publicKeyMultibase": k.id}
            for k in self.entries()
        ]
        return {
            "@context": DID_CONTEXT,
            "id": issuer,
            "verificationMethod": methods,
            "assertionMethod": [m["id"] for m in methods],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [public_jwk(k.public_key, self.vm_id(k)) for k in self.entries()]}


def env_signer() -> Signer | None:
    """The key in ``$QA_ENGINE_SIGNING_KEY`` (Multikey z3u2…), if set; its issuer is
    ``$QA_ENGINE_ISSUER`` (a did:web) or the key's own did:key."""
    text = os.environ.get(ENV_KEY)
    if not text:
        return None
    private = private_from_multibase(text)
    issuer = os.environ.get(ENV_ISSUER) or None
    _validate_issuer(issuer)
    base = (os.environ.get(ENV_BASE_URL) or "").rstrip("/") or None
    mb = public_multibase(private.public_key())
    if issuer:
        return Signer(private, f"{issuer}#{mb}", issuer, None, base)
    return Signer(private, did_key_vm(private.public_key()), did_key(private.public_key()), None, base)


def load_signer(path: str | Path | None = None) -> Signer:
    """The environment's key when set, else the key directory's active key."""
    return env_signer() or KeyRing(path).signer()


# -- the verifier's side: which public key a verification method names ----------------

@dataclass(frozen=True)
class TrustedKeys:
    """Public keys a verifier was given (a JWK, a JWK set or a DID document)."""

    source: str
    by_id: dict[str, Ed25519PublicKey]  # verification method id -> key ("" = any id)
    controller: str | None


def load_trusted(path: str) -> TrustedKeys:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise TrustError(f"{path}: no such key file") from None
    except (OSError, ValueError) as exc:
        raise TrustError(f"{path}: not a JSON key file: {exc}") from exc
    return trusted_from(data, path)


def trusted_from(data: Any, path: str) -> TrustedKeys:
    """Trusted keys from a parsed JWK, JWK set or DID document (``path`` names it)."""
    if isinstance(data, dict) and "kty" in data:
        return TrustedKeys(path, {data.get("kid") or "": public_from_jwk(data)}, None)
    if isinstance(data, dict) and isinstance(data.get("keys"), list):
        return TrustedKeys(path, {(k.get("kid") or ""): public_from_jwk(k) for k in data["keys"]}, None)
    if isinstance(data, dict) and isinstance(data.get("verificationMethod"), list):
        did = data.get("id")
        if not isinstance(did, str):
            raise TrustError(f"{path}: the DID document has no id")
        allowed = {(m if isinstance(m, str) else m.get("id")) for m in data.get("assertionMethod", [])}
        found: dict[str, Ed25519PublicKey] = {}
        for m in data["verificationMethod"]:
            mid = m.get("id", "")
            if mid.startswith("#"):
                mid = did + mid
            if mid not in allowed and m.get("id") not in allowed:
                continue
            if "publicKeyMultibase" in m:
                found[mid] = public_from_multibase(m["publicKeyMultibase"])
            elif "publicKeyJwk" in m:
                found[mid] = public_from_jwk(m["publicKeyJwk"])
        return TrustedKeys(path, found, did)
    raise TrustError(f"{path}: neither a JWK, a JWK set nor a DID document")
