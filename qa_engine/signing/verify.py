"""Verifying a credential qa-engine (or anyone using eddsa-jcs-2022) issued.

One :class:`Check` per question a relying party asks: is it well formed and in
canonical form, whose key signed it and is that the issuer's, does the signature hold
over every field, is it within its validity window, is it revoked or suspended.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qa_engine.errors import TrustError
from qa_engine.signing.keys import TrustedKeys
from qa_engine.signing.multikey import public_from_multibase
from qa_engine.signing.proof import context_matches, jcs, signature_valid, split_proof
from qa_engine.signing.statuslist import bit_at, decode_list

Outcome = Literal["ok", "fail", "skip"]
MAX_FETCH = 2 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    name: str
    outcome: Outcome
    detail: str


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.outcome != "fail" for c in self.checks)

    def add(self, name: str, outcome: Outcome, detail: str) -> None:
        self.checks.append(Check(name, outcome, detail))


def load_json(path: str, what: str = "credential") -> Any:
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise TrustError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TrustError(f"{path}: cannot be read: {exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TrustError(f"{what} is not JSON: {exc.msg}", file=path, line=exc.lineno, column=exc.colno) from exc


def fetch_json(url: str) -> Any:
    """A status list from the issuer's server (http/https only, 2 MiB at most, 10 s)."""
    import urllib.error
    import urllib.request

    if not url.startswith(("https://", "http://")):
        raise TrustError(f"{url}: only http(s) addresses can be fetched")
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (scheme checked)
            data = resp.read(MAX_FETCH + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TrustError(f"{url}: cannot be fetched: {exc}", hint="pass the status list as a file") from exc
    if len(data) > MAX_FETCH:
        raise TrustError(f"{url}: larger than 2 MiB; not a status list")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise TrustError(f"{url}: not JSON: {exc}") from exc


def _controller(vm: str) -> str:
    return vm.split("#", 1)[0]


def _issuer_id(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def resolve_key(vm: str, trusted: TrustedKeys | None) -> tuple[Ed25519PublicKey, str] | None:
    """The public key for a verification method, and how it was found; None when the
    given keys do not include it."""
    if trusted is not None:
        if vm in trusted.by_id:
            return trusted.by_id[vm], f"pinned by {trusted.source}"
        if "" in trusted.by_id and len(trusted.by_id) == 1:
            return trusted.by_id[""], f"pinned by {trusted.source} (a JWK without kid)"
        fragment = "#" + vm.split("#", 1)[1] if "#" in vm else None
        if fragment and fragment in trusted.by_id:
            return trusted.by_id[fragment], f"pinned by {trusted.source}"
        return None
    if vm.startswith("did:key:"):
        return public_from_multibase(vm[len("did:key:"):].split("#", 1)[0]), (
            "the did:key the proof names (not pinned: pass --key to require the issuer's key)"
        )
    raise TrustError(
        f"the proof's key {vm} cannot be resolved offline",
        hint="pass --key with the issuer's DID document (its /.well-known/did.json) or JWK",
    )


def _parse_time(value: Any, name: str) -> _dt.datetime:
    if not isinstance(value, str):
        raise TrustError(f"{name} is not a date-time string", path=name)
    try:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TrustError(f"{name} {value!r} is not an XML Schema date-time", path=name) from exc
    return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)


def verify_signature(doc: Any, trusted: TrustedKeys | None, result: Verification, *, label: str = "") -> bool:
    """Canonical form, key and signature checks, added to ``result``."""
    parts = split_proof(doc)
    canonical = jcs(parts.unsecured)
    result.add(f"{label}canonical form", "ok", f"RFC 8785 (JCS), {len(canonical)} bytes")
    if not context_matches(parts):
        result.add(f"{label}proof context", "fail", "the proof's @context differs from the document's")
        return False
    found = resolve_key(parts.verification_method, trusted)
    issuer = _issuer_id(parts.unsecured)
    if found is None:
        result.add(f"{label}key", "fail", f"{parts.verification_method} is not among the keys in {trusted.source if trusted else '?'}")
        return False
    key, how = found
    controller = _controller(parts.verification_method)
    bound = issuer == controller and not (trusted is not None and trusted.controller and trusted.controller != controller)
    if bound:
        result.add(f"{label}key", "ok", f"{parts.verification_method}, {how}")
    else:
        result.add(f"{label}key", "fail", f"the signing key belongs to {controller}, not to the issuer {issuer}")
    if signature_valid(parts, key):
        result.add(f"{label}signature", "ok", "eddsa-jcs-2022 over every field of the credential and the proof options")
        return bound
    result.add(f"{label}signature", "fail", "does not match: a field was changed after signing, or another key signed it")
    return False


def verify_credential(
    doc: Any,
    *,
    trusted: TrustedKeys | None = None,
    status_lists: list[Any] | None = None,
    now: _dt.datetime | None = None,
) -> Verification:
    """Every check on ``doc``; a document that is not a signed credential at all is a
    :class:`TrustError` (the caller's input error, exit 2)."""
    result = Verification()
    if not isinstance(doc, dict) or "VerifiableCredential" not in (doc.get("type") or []):
        raise TrustError("the file is not a Verifiable Credential (type has no VerifiableCredential)")
    signed = verify_signature(doc, trusted, result)
    moment = now or _dt.datetime.now(_dt.UTC)
    window = f"{doc.get('validFrom', '-')} .. {doc.get('validUntil', 'open')}"
    try:
        start = _parse_time(doc["validFrom"], "validFrom") if "validFrom" in doc else None
        end = _parse_time(doc["validUntil"], "validUntil") if "validUntil" in doc else None
    except TrustError as exc:
        start = end = None
        result.add("validity", "fail", exc.message)
    if any(c.name == "validity" for c in result.checks):
        pass
    elif start and moment < start:
        result.add("validity", "fail", f"not yet valid ({window}; checked at {moment:%Y-%m-%dT%H:%M:%SZ})")
    elif end and moment > end:
        result.add("validity", "fail", f"expired ({window}; checked at {moment:%Y-%m-%dT%H:%M:%SZ})")
    else:
        result.add("validity", "ok", f"in force ({window})")
    _check_status(doc, trusted, status_lists or [], result)
    del signed
    return result


def _check_status(doc: dict[str, Any], trusted: TrustedKeys | None, lists: list[Any], result: Verification) -> None:
    entries = doc.get("credentialStatus")
    if entries is None:
        result.add("status", "skip", "the credential has no credentialStatus (it cannot be revoked)")
        return
    entries = entries if isinstance(entries, list) else [entries]
    by_id = {sl.get("id"): sl for sl in lists if isinstance(sl, dict)}
    issuer = _issuer_id(doc)
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            result.add("status", "fail", "credentialStatus is not a BitstringStatusListEntry")
            continue
        purpose = entry.get("statusPurpose", "?")
        url = entry.get("statusListCredential")
        name = f"status ({purpose})"
        sl = by_id.get(url)
        if sl is None:
            result.add(name, "skip", f"not checked: pass --status-list with {url}")
            continue
        sub = Verification()
        if not verify_signature(sl, trusted, sub, label="status list "):
            result.add(name, "fail", f"the status list {url} is not validly signed: " + "; ".join(c.detail for c in sub.checks if c.outcome == "fail"))
            continue
        if _issuer_id(sl) != issuer:
            result.add(name, "fail", f"the status list {url} is issued by {_issuer_id(sl)}, not by {issuer}")
            continue
        subject = sl.get("credentialSubject") or {}
        if subject.get("statusPurpose") != purpose:
            result.add(name, "fail", f"the status list {url} is for {subject.get('statusPurpose')!r}, not {purpose!r}")
            continue
        try:
            index = int(entry.get("statusListIndex", ""))
        except ValueError:
            result.add(name, "fail", f"statusListIndex {entry.get('statusListIndex')!r} is not a number")
            continue
        try:
            flagged = bit_at(decode_list(subject.get("encodedList")), index)
        except TrustError as exc:
            result.add(name, "fail", exc.message)
            continue
        if flagged:
            word = "revoked" if purpose == "revocation" else "suspended" if purpose == "suspension" else f"flagged ({purpose})"
            result.add(name, "fail", f"{word}: bit {index} is set in {url} (list of {sl.get('validFrom', '?')})")
        else:
            result.add(name, "ok", f"not {'revoked' if purpose == 'revocation' else 'suspended' if purpose == 'suspension' else 'flagged'} (bit {index} clear in the list of {sl.get('validFrom', '?')})")
