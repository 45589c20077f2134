"""Keys, eddsa-jcs-2022 proofs (W3C test vectors), evaluation receipts and `verify`:
round trips, every tamper case, wrong and rotated keys, bad input."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from trust_helpers import EX, leaf_paths, run, tampered

from qa_engine.errors import TrustError
from qa_engine.signing.keys import KeyRing, load_trusted
from qa_engine.signing.multikey import private_from_multibase, public_multibase
from qa_engine.signing.proof import add_proof, hash_data, jcs, split_proof
from qa_engine.signing.verify import verify_credential

VEC = Path(__file__).parent / "data" / "eddsa-jcs-2022"


def _vec(name: str) -> str:
    return (VEC / name).read_text(encoding="utf-8").strip()


# ------------------------------------------------------------------ W3C test vectors
def test_w3c_vector_canonical_forms_hashes_and_signature() -> None:
    doc = json.loads(_vec("unsigned.json"))
    options = json.loads(_vec("proofConfigJCS.json"))
    assert jcs(doc).decode() == _vec("canonDocJCS.txt")
    assert jcs(options).decode() == _vec("proofCanonJCS.txt")
    data = hash_data(doc, options)
    assert data[32:].hex() == _vec("docHashJCS.txt")
    assert data[:32].hex() == _vec("proofHashJCS.txt")
    assert data.hex() == _vec("combinedHashJCS.txt")
    keys = json.loads(_vec("keyPair.json"))
    secret = private_from_multibase(keys["privateKeyMultibase"])
    assert public_multibase(secret.public_key()) == keys["publicKeyMultibase"]
    assert secret.sign(data).hex() == _vec("sigHexJCS.txt")


def test_w3c_vector_signed_document_is_reproduced_and_verifies() -> None:
    doc = json.loads(_vec("unsigned.json"))
    options = json.loads(_vec("proofConfigJCS.json"))
    secret = private_from_multibase(json.loads(_vec("keyPair.json"))["privateKeyMultibase"])
    signed = add_proof(doc, secret, options["verificationMethod"], created=options["created"])
    expected = json.loads(_vec("signedJCS.json"))
    assert signed == expected
    assert signed["proof"]["proofValue"] == _vec("sigBTC58JCS.txt")
    # The vector's issuer is an https URL, not the did:key: the signature holds, the
    # issuer binding does not, and verify says so.
    result = verify_credential(expected)
    by = {c.name: c for c in result.checks}
    assert by["canonical form"].outcome == "ok"
    assert by["key"].outcome == "fail" and "not to the issuer https://vc.example/issuers/5678" in by["key"].detail
    assert by["signature"].outcome == "ok" and not result.ok
    expected["issuer"] = options["verificationMethod"].split("#")[0]
    assert split_proof(expected).signature.hex() == _vec("sigHexJCS.txt")


def test_w3c_vector_verifies_once_issuer_matches_and_fails_tampered(tmp_path: Path) -> None:
    keys = json.loads(_vec("keyPair.json"))
    secret = private_from_multibase(keys["privateKeyMultibase"])
    doc = json.loads(_vec("unsigned.json"))
    doc["issuer"] = "did:key:" + keys["publicKeyMultibase"]
    vm = doc["issuer"] + "#" + keys["publicKeyMultibase"]
    signed = add_proof(doc, secret, vm, created="2023-02-24T23:36:38Z")
    assert verify_credential(signed).ok
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert not verify_credential(signed).ok


# ------------------------------------------------------------------ keys
def test_keys_create_list_rotate_permissions(tmp_path: Path) -> None:
    kd = tmp_path / "keys"
    res = run("keys", "create", "--keys", str(kd), "--base-url", "https://qa.example.org", "--name", "Example QA")
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(kd.stat().st_mode) == 0o700
    ring = KeyRing(kd)
    first = ring.active()
    private = kd / f"{first.id}.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert ring.issuer() == "did:web:qa.example.org"
    assert ring.signer().verification_method == f"did:web:qa.example.org#{first.id}"
    # a second create refuses to overwrite
    again = run("keys", "create", "--keys", str(kd))
    assert again.exit_code == 2 and "already holds a key ring" in again.stderr
    res = run("keys", "rotate", "--keys", str(kd))
    assert res.exit_code == 0
    second = KeyRing(kd).active()
    assert second.id != first.id and not private.exists()
    listing = run("keys", "list", "--keys", str(kd)).stdout
    assert f"retired  {first.id}" in listing and f"active   {second.id}" in listing
    doc = json.loads(run("keys", "public", "--keys", str(kd)).stdout)
    assert doc["id"] == "did:web:qa.example.org"
    assert [m["publicKeyMultibase"] for m in doc["verificationMethod"]] == [first.id, second.id]
    assert len(doc["assertionMethod"]) == 2
    jwks = json.loads(run("keys", "public", "--keys", str(kd), "--as", "jwks").stdout)
    assert {k["kty"] for k in jwks["keys"]} == {"OKP"} and len(jwks["keys"]) == 2


def test_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path / "k")
    info = ring.create()
    os.chmod(tmp_path / "k" / f"{info.id}.key", 0o644)
    with pytest.raises(TrustError, match="readable by others"):
        ring.signer()


def test_missing_key_directory_is_one_clear_error(tmp_path: Path) -> None:
    res = run("keys", "list", "--keys", str(tmp_path / "none"))
    assert res.exit_code == 2
    assert "no key directory here" in res.stderr and "qa-engine keys create" in res.stderr


# ------------------------------------------------------------------ receipts + verify
@pytest.fixture()
def receipt(tmp_path: Path) -> tuple[Path, Path]:
    kd = tmp_path / "keys"
    assert run("keys", "create", "--keys", str(kd)).exit_code == 0
    out = tmp_path / "receipt.json"
    res = run("check", str(EX / "uni-data-analytics.yaml"), "--as-of", "2026-01-01", "-f", "json",
              "-o", str(tmp_path / "report.json"), "--receipt", str(out), "--keys", str(kd))
    assert res.exit_code == 0, res.output
    return out, kd


def test_receipt_round_trip_names_what_was_checked(receipt: tuple[Path, Path], tmp_path: Path) -> None:
    out, kd = receipt
    vc = json.loads(out.read_text())
    sub = vc["credentialSubject"]
    report_text = (tmp_path / "report.json").read_text(encoding="utf-8")
    report = json.loads(report_text)
    import hashlib

    assert sub["reportSha256"] == hashlib.sha256(report_text.encode()).hexdigest()
    assert sub["dossier"] == {"id": "uni-data-analytics", "sha256": report["dossier"]["sha256"], "title": report["dossier"]["title"]}
    assert sub["ruleset"] == {k: report["ruleset"][k] for k in ("id", "version", "sha256")}
    assert sub["decision"] == "accredited" and sub["asOf"] == "2026-01-01"
    jwk = tmp_path / "k.jwk"
    jwk.write_text(run("keys", "public", "--keys", str(kd), "--as", "jwk").stdout)
    res = run("verify", str(out), "--key", str(jwk))
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines[:-1]] == [
        "OK    canonical form", "OK    key", "OK    signature", "OK    validity", "SKIP  status"]
    assert lines[-1].startswith("VERIFIED")


def test_every_tampered_field_is_rejected(receipt: tuple[Path, Path], tmp_path: Path) -> None:
    out, _ = receipt
    vc = json.loads(out.read_text())
    paths = leaf_paths(vc)
    assert len(paths) > 25
    for path in paths:
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(tampered(vc, path)))
        res = run("verify", str(bad))
        if path in (("proof", "type"), ("proof", "cryptosuite"), ("type", 0)):
            # no longer a VC with an eddsa-jcs-2022 proof: not something verify can judge
            assert res.exit_code == 2, (path, res.output)
        else:
            assert res.exit_code == 1, (path, res.output)
            assert "NOT VERIFIED" in res.stdout and "FAIL" in res.stdout, path


def test_added_or_removed_field_is_rejected(receipt: tuple[Path, Path], tmp_path: Path) -> None:
    out, _ = receipt
    vc = json.loads(out.read_text())
    vc["credentialSubject"]["note"] = "added"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(vc))
    assert run("verify", str(bad)).exit_code == 1
    vc = json.loads(out.read_text())
    del vc["credentialSubject"]["score"]
    bad.write_text(json.dumps(vc))
    assert run("verify", str(bad)).exit_code == 1


def test_wrong_key_and_rotated_key(receipt: tuple[Path, Path], tmp_path: Path) -> None:
    out, kd = receipt
    other = KeyRing(tmp_path / "other")
    other.create()
    wrong = tmp_path / "wrong.jwk"
    wrong.write_text(json.dumps(other.jwks()["keys"][0]))
    res = run("verify", str(out), "--key", str(wrong))
    assert res.exit_code == 1 and "FAIL  key" in res.stdout
    # the same key material without a kid still fails: the signature does not hold
    anon = tmp_path / "anon.jwk"
    jwk = other.jwks()["keys"][0]
    del jwk["kid"]
    anon.write_text(json.dumps(jwk))
    res = run("verify", str(out), "--key", str(anon))
    assert res.exit_code == 1 and "FAIL  signature" in res.stdout
    # after rotation the old key still verifies what it signed, via the published keys
    assert run("keys", "rotate", "--keys", str(kd)).exit_code == 0
    jwks = tmp_path / "jwks.json"
    jwks.write_text(run("keys", "public", "--keys", str(kd), "--as", "jwks").stdout)
    assert run("verify", str(out), "--key", str(jwks)).exit_code == 0
    # a DID document that does not list the key rejects it
    doc = tmp_path / "did.json"
    doc.write_text(json.dumps(other.did_document()))
    assert run("verify", str(out), "--key", str(doc)).exit_code == 1


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "is not JSON"),
        ('{"type": ["VerifiableCredential"]}', "has no proof"),
        ('[1, 2]', "not a Verifiable Credential"),
        ('{"type": ["VerifiableCredential"], "proof": {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019", "proofValue": "z1"}}', "not DataIntegrityProof/eddsa-jcs-2022"),
    ],
)
def test_not_a_credential_is_exit_2(tmp_path: Path, content: str, needle: str) -> None:
    f = tmp_path / "x.json"
    f.write_text(content)
    res = run("verify", str(f))
    assert res.exit_code == 2 and needle in res.stderr and "Traceback" not in res.output


def test_did_web_needs_a_key_offline(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path / "k")
    ring.create(base_url="https://qa.example.org")
    doc = add_proof({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                     "issuer": "did:web:qa.example.org", "credentialSubject": {"x": 1}},
                    ring.signer().key, ring.signer().verification_method)
    f = tmp_path / "c.json"
    f.write_text(json.dumps(doc))
    res = run("verify", str(f))
    assert res.exit_code == 2 and "cannot be resolved offline" in res.stderr
    did = tmp_path / "did.json"
    did.write_text(json.dumps(ring.did_document()))
    assert run("verify", str(f), "--key", str(did)).exit_code == 0
    assert load_trusted(str(did)).controller == "did:web:qa.example.org"


def test_env_key_signs_receipts(tmp_path: Path) -> None:
    secret = json.loads(_vec("keyPair.json"))["privateKeyMultibase"]
    out = tmp_path / "r.json"
    res = run("check", str(EX / "uni-data-analytics.yaml"), "--as-of", "2026-01-01", "--receipt", str(out),
              env={"QA_ENGINE_SIGNING_KEY": secret, "QA_ENGINE_KEYS": str(tmp_path / "none")})
    assert res.exit_code == 0, res.output
    vc = json.loads(out.read_text())
    assert vc["issuer"] == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert run("verify", str(out)).exit_code == 0


def test_receipt_needs_one_dossier(tmp_path: Path) -> None:
    res = run("check", str(EX / "uni-data-analytics.yaml"), str(EX / "mooc-intro-ai.yaml"), "--receipt", str(tmp_path / "r.json"))
    assert res.exit_code == 2 and "one dossier" in res.output
