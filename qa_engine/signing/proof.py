"""Data Integrity proofs with the cryptosuite ``eddsa-jcs-2022`` (W3C vc-di-eddsa 1.0).

The document and the proof options are each canonicalised with the JSON
Canonicalization Scheme (RFC 8785, the ``rfc8785`` library), hashed with SHA-256, and
``sha256(proof config) || sha256(document)`` is signed with Ed25519. Any change to any
field of either changes a hash, so the signature no longer verifies.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from qa_engine.errors import TrustError
from qa_engine.signing.multikey import b58_decode, b58_encode

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"


def jcs(value: Any) -> bytes:
    """RFC 8785 canonical bytes; a value JCS cannot represent is a :class:`TrustError`."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise TrustError(f"the document has no JSON canonical form (RFC 8785): {exc}") from exc


def hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    """The 64 bytes signed: sha256(JCS(proof config)) || sha256(JCS(document))."""
    return hashlib.sha256(jcs(proof_config)).digest() + hashlib.sha256(jcs(document)).digest()


def utc_now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def add_proof(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    verification_method: str,
    *,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``document`` with an eddsa-jcs-2022 ``proof`` (spec §3.3.1, Add Proof)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created or utc_now(),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if "@context" in unsecured:
        config["@context"] = copy.deepcopy(unsecured["@context"])
    signature = key.sign(hash_data(unsecured, config))
    secured = copy.deepcopy(unsecured)
    secured["proof"] = {**config, "proofValue": b58_encode(signature)}
    return secured


@dataclass(frozen=True)
class ProofParts:
    """What a verifier needs from a secured document, checked for shape."""

    unsecured: dict[str, Any]
    config: dict[str, Any]
    signature: bytes
    verification_method: str
    created: str | None


def split_proof(secured: Any) -> ProofParts:
    """The unsecured document, the proof options and the signature (spec §3.3.2 steps
    1-5); a document that has no usable eddsa-jcs-2022 proof is a :class:`TrustError`."""
    if not isinstance(secured, dict):
        raise TrustError("the credential is not a JSON object")
    proof = secured.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise TrustError("the credential has a proof set; only one proof is supported")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise TrustError("the credential has no proof", path="proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise TrustError(
            f"the proof is {proof.get('type')!r}/{proof.get('cryptosuite')!r}, not {PROOF_TYPE}/{CRYPTOSUITE}",
            path="proof.cryptosuite",
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise TrustError("the proof has no proofValue", path="proof.proofValue")
    signature = b58_decode(value, what="proofValue")
    vm = proof.get("verificationMethod")
    if not isinstance(vm, str) or not vm:
        raise TrustError("the proof names no verificationMethod", path="proof.verificationMethod")
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    created = proof.get("created")
    return ProofParts(unsecured, config, signature, vm, created if isinstance(created, str) else None)


def context_matches(parts: ProofParts) -> bool:
    """The proof's @context, when present, is the document's own (spec §3.3.2 step 4)."""
    pctx = parts.config.get("@context")
    if pctx is None:
        return True
    dctx = parts.unsecured.get("@context")
    p = pctx if isinstance(pctx, list) else [pctx]
    d = dctx if isinstance(dctx, list) else [dctx]
    return d[: len(p)] == p


def signature_valid(parts: ProofParts, key: Ed25519PublicKey) -> bool:
    unsecured = dict(parts.unsecured)
    if "@context" in parts.config:
        unsecured["@context"] = parts.config["@context"]
    try:
        key.verify(parts.signature, hash_data(unsecured, parts.config))
    except InvalidSignature:
        return False
    return True
