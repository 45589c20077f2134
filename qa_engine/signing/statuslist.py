"""Bitstring Status List v1.0 (W3C): revocation and suspension of credentials.

Each purpose has one status list credential, signed like the credentials it covers;
a credential's ``credentialStatus`` names its index in each. The bitstring is GZIP
compressed and written multibase base64url (``u…``); index 0 is the most significant
bit of the first byte; the list holds 131,072 entries (16 KiB), the specification's
minimum, so that one index says nothing about how many decisions there are.

The issuer's side keeps the lists in a status directory::

    index.json          credential id -> index, and each purpose's current bits
    issued/<id>.json    the issuer's copy of each decision credential (for the register)
    revocation.json     the signed BitstringStatusListCredential (statusPurpose revocation)
    suspension.json     the same for suspension
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import gzip
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qa_engine.errors import TrustError
from qa_engine.fileio import atomic_write_text
from qa_engine.signing.keys import Signer
from qa_engine.signing.proof import add_proof, utc_now

PURPOSES = ("revocation", "suspension")
LIST_SIZE = 131072
VC2 = "https://www.w3.org/ns/credentials/v2"
ENV_DIR = "QA_ENGINE_STATUS"
DEFAULT_DIR = "qa-engine-status"


def encode_list(bits: set[int], size: int = LIST_SIZE) -> str:
    raw = bytearray(size // 8)
    for i in bits:
        raw[i // 8] |= 0x80 >> (i % 8)
    data = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_list(encoded: Any) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise TrustError("the status list's encodedList is not multibase base64url (it must start with 'u')")
    try:
        data = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        return gzip.decompress(data)
    except (ValueError, OSError, EOFError) as exc:
        raise TrustError(f"the status list's encodedList does not decode: {exc}") from exc


def bit_at(raw: bytes, index: int) -> bool:
    if index < 0 or index // 8 >= len(raw):
        raise TrustError(f"status list index {index} lies outside the list ({len(raw) * 8} entries)")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def list_url(base_url: str, purpose: str) -> str:
    return f"{base_url}/status/{purpose}.json"


def status_entries(base_url: str, index: int) -> list[dict[str, Any]]:
    """The ``credentialStatus`` of a credential at ``index`` in both lists."""
    return [
        {
            "id": f"{list_url(base_url, p)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": p,
            "statusListIndex": str(index),
            "statusListCredential": list_url(base_url, p),
        }
        for p in PURPOSES
    ]


def _need_base(signer: Signer) -> str:
    if not signer.base_url:
        raise TrustError(
            "status lists need the register's address",
            hint="create the keys with --base-url, or set $QA_ENGINE_BASE_URL",
        )
    return signer.base_url


class StatusLists:
    """The issuer's status directory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or os.environ.get(ENV_DIR) or DEFAULT_DIR)

    def _index(self) -> dict[str, Any]:
        file = self.path / "index.json"
        if not file.exists():
            return {"credentials": {}}
        try:
            data = json.loads(file.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise TrustError(f"{file}: cannot be read as a status index: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("credentials"), dict):
            raise TrustError(f"{file}: not a qa-engine status index")
        return data

    def _save(self, index: dict[str, Any]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path / "index.json", json.dumps(index, indent=2, sort_keys=True) + "\n")

    def allocate(self, credential_id: str) -> int:
        """The credential's index (a new random one the first time)."""
        with self._locked():
            return self._allocate(credential_id)

    def _allocate(self, credential_id: str) -> int:
        index = self._index()
        creds = index["credentials"]
        if credential_id in creds:
            return int(creds[credential_id]["index"])
        used = {int(c["index"]) for c in creds.values()}
        if len(used) >= LIST_SIZE:
            raise TrustError(f"{self.path}: the status list is full")
        while (n := secrets.randbelow(LIST_SIZE)) in used:
            pass
        creds[credential_id] = {"index": n, "revocation": False, "suspension": False, "history": []}
        self._save(index)
        return n

    def state(self, credential_id: str) -> dict[str, Any]:
        creds = self._index()["credentials"]
        if credential_id not in creds:
            raise TrustError(f"{credential_id}: no such credential in the status lists at {self.path}")
        return dict(creds[credential_id])

    def record_issued(self, decision_id: int, credential: dict[str, Any]) -> Path:
        """Keep the issuer's copy of a credential (``issued/<id>.json``): the register is
        built from these."""
        target = self.path / "issued" / f"{decision_id}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, json.dumps(credential, indent=2, ensure_ascii=False) + "\n")
        return target

    def issued(self) -> list[Path]:
        folder = self.path / "issued"
        return sorted(folder.glob("*.json"), key=lambda p: (len(p.stem), p.stem)) if folder.is_dir() else []

    def known(self) -> dict[str, dict[str, Any]]:
        return dict(self._index()["credentials"])

    def set(self, credential_id: str, purpose: str, value: bool, signer: Signer, *, reason: str, by: str) -> dict[str, Any]:
        """Set the credential's bit and re-sign that list. Revocation is final."""
        if purpose not in PURPOSES:
            raise TrustError(f"unknown status purpose {purpose!r}")
        _need_base(signer)
        with self._locked():
            return self._set(credential_id, purpose, value, signer, reason=reason, by=by)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time (two revocations at once must not lose one)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _set(self, credential_id: str, purpose: str, value: bool, signer: Signer, *, reason: str, by: str) -> dict[str, Any]:
        index = self._index()
        entry = index["credentials"].get(credential_id)
        if entry is None:
            raise TrustError(f"{credential_id}: no such credential in the status lists at {self.path}")
        if purpose == "revocation" and entry["revocation"] and not value:
            raise TrustError(f"{credential_id}: a revoked credential cannot be reinstated; issue a new decision")
        entry[purpose] = value
        entry["history"].append({"at": utc_now(), "purpose": purpose, "set": value, "reason": reason, "by": by})
        self._save(index)
        self.publish(signer, purposes=(purpose,))
        return dict(entry)

    def publish(self, signer: Signer, purposes: tuple[str, ...] = PURPOSES) -> list[Path]:
        """(Re)write and sign the status list credentials."""
        base = _need_base(signer)
        creds = self._index()["credentials"]
        written = []
        for p in purposes:
            bits = {int(c["index"]) for c in creds.values() if c.get(p)}
            url = list_url(base, p)
            vc = {
                "@context": [VC2],
                "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": signer.issuer,
                "validFrom": utc_now(),
                "credentialSubject": {
                    "id": f"{url}#list",
                    "type": "BitstringStatusList",
                    "statusPurpose": p,
                    "encodedList": encode_list(bits),
                },
            }
            self.path.mkdir(parents=True, exist_ok=True)
            target = self.path / f"{p}.json"
            atomic_write_text(target, json.dumps(add_proof(vc, signer.key, signer.verification_method), indent=2) + "\n")
            written.append(target)
        return written
