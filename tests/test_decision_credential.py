"""The signed decision credential and its Bitstring Status Lists: sign -> verify,
revoke, suspend, reinstate, expiry, every tamper case, a forged status list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trust_helpers import leaf_paths, make_decision, run, tampered, write_decision

from qa_engine.signing.keys import KeyRing
from qa_engine.signing.proof import add_proof
from qa_engine.signing.statuslist import LIST_SIZE, bit_at, decode_list, encode_list


@pytest.fixture()
def issued(tmp_path: Path) -> dict[str, Path]:
    kd, sd = tmp_path / "keys", tmp_path / "status"
    assert run("keys", "create", "--keys", str(kd), "--base-url", "https://qa.example.org", "--name", "Example QA Agency").exit_code == 0
    dec = write_decision(tmp_path / "decision.json", make_decision())
    out = tmp_path / "decision.vc.json"
    res = run("decisions", "sign", str(dec), "--keys", str(kd), "--status-dir", str(sd), "-o", str(out))
    assert res.exit_code == 0, res.output
    did = tmp_path / "did.json"
    did.write_text(run("keys", "public", "--keys", str(kd)).stdout)
    return {"keys": kd, "status": sd, "vc": out, "did": did, "decision": dec, "tmp": tmp_path}


def _verify(p: dict[str, Path], *extra: str, vc: Path | None = None):
    return run("verify", str(vc or p["vc"]), "--key", str(p["did"]),
               "--status-list", str(p["status"] / "revocation.json"),
               "--status-list", str(p["status"] / "suspension.json"), "--at", "2026-06-01", *extra)


def test_decision_credential_carries_the_decision(issued: dict[str, Path]) -> None:
    vc = json.loads(issued["vc"].read_text())
    d = make_decision()
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert vc["type"] == ["VerifiableCredential", "AccreditationDecisionCredential"]
    assert vc["id"] == "https://qa.example.org/decisions/7"
    assert vc["issuer"] == {"id": "did:web:qa.example.org", "name": "Example QA Agency"}
    assert vc["validFrom"] == "2026-01-15T00:00:00Z" and vc["validUntil"] == "2031-01-14T23:59:59Z"
    sub = vc["credentialSubject"]
    assert sub["outcome"] == "accredited_with_conditions"
    assert sub["programme"]["dossierSha256"] == d.programme.dossier_sha256
    assert sub["ruleset"] == {"id": "qa-starter", "version": d.ruleset.version, "sha256": d.ruleset.sha256}
    assert sub["rubric"]["sha256"] == d.rubric.sha256
    assert sub["evaluation"]["reportSha256"] == d.report_sha256
    assert sub["auditChainHead"] == d.audit_head
    assert sub["conditions"][0]["due"] == "2026-07-01"
    purposes = [s["statusPurpose"] for s in vc["credentialStatus"]]
    assert purposes == ["revocation", "suspension"]
    assert {s["statusListCredential"] for s in vc["credentialStatus"]} == {
        "https://qa.example.org/status/revocation.json", "https://qa.example.org/status/suspension.json"}
    assert vc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert vc["proof"]["verificationMethod"].startswith("did:web:qa.example.org#z6Mk")


def test_verifies_then_revocation_and_suspension_are_seen(issued: dict[str, Path]) -> None:
    res = _verify(issued)
    assert res.exit_code == 0, res.output
    assert "OK    status (revocation): not revoked" in res.stdout
    assert "OK    status (suspension): not suspended" in res.stdout
    # suspend -> fails; reinstate -> passes again
    res = run("decisions", "suspend", "7", "--reason", "complaint under review", "--keys", str(issued["keys"]), "--status-dir", str(issued["status"]))
    assert res.exit_code == 0, res.output
    res = _verify(issued)
    assert res.exit_code == 1 and "FAIL  status (suspension): suspended" in res.stdout
    assert run("decisions", "reinstate", str(issued["vc"]), "--reason", "complaint dismissed", "--keys", str(issued["keys"]), "--status-dir", str(issued["status"])).exit_code == 0
    assert _verify(issued).exit_code == 0
    # revoke -> fails, and cannot be undone
    assert run("decisions", "revoke", "https://qa.example.org/decisions/7", "--reason", "fraud", "--by", "Board", "--keys", str(issued["keys"]), "--status-dir", str(issued["status"])).exit_code == 0
    res = _verify(issued)
    assert res.exit_code == 1 and "FAIL  status (revocation): revoked" in res.stdout
    history = json.loads((issued["status"] / "index.json").read_text())["credentials"]["https://qa.example.org/decisions/7"]["history"]
    assert [h["purpose"] for h in history] == ["suspension", "suspension", "revocation"]
    assert history[-1]["reason"] == "fraud" and history[-1]["by"] == "Board"


def test_status_needs_a_reason_and_a_known_decision(issued: dict[str, Path]) -> None:
    res = run("decisions", "revoke", "8", "--reason", "x", "--keys", str(issued["keys"]), "--status-dir", str(issued["status"]))
    assert res.exit_code == 2 and "no such credential" in res.stderr
    res = run("decisions", "revoke", "7", "--reason", "  ", "--keys", str(issued["keys"]), "--status-dir", str(issued["status"]))
    assert res.exit_code == 2 and "needs a reason" in res.stderr


def test_validity_window(issued: dict[str, Path]) -> None:
    res = _verify(issued, vc=None)
    assert res.exit_code == 0
    res = run("verify", str(issued["vc"]), "--key", str(issued["did"]), "--at", "2031-01-15")
    assert res.exit_code == 1 and "FAIL  validity: expired" in res.stdout
    res = run("verify", str(issued["vc"]), "--key", str(issued["did"]), "--at", "2026-01-14")
    assert res.exit_code == 1 and "FAIL  validity: not yet valid" in res.stdout


def test_without_status_lists_status_is_said_unchecked(issued: dict[str, Path]) -> None:
    res = run("verify", str(issued["vc"]), "--key", str(issued["did"]), "--at", "2026-06-01")
    assert res.exit_code == 0
    assert "SKIP  status (revocation): not checked: pass --status-list with https://qa.example.org/status/revocation.json" in res.stdout


def test_every_tampered_field_of_the_decision_is_rejected(issued: dict[str, Path]) -> None:
    vc = json.loads(issued["vc"].read_text())
    paths = leaf_paths(vc)
    assert len(paths) > 40
    bad = issued["tmp"] / "bad.json"
    for path in paths:
        bad.write_text(json.dumps(tampered(vc, path)))
        res = _verify(issued, vc=bad)
        if path in (("proof", "type"), ("proof", "cryptosuite"), ("type", 0)):
            assert res.exit_code == 2, path
        else:
            assert res.exit_code == 1, (path, res.output)


def test_a_status_list_signed_by_another_key_is_not_believed(issued: dict[str, Path]) -> None:
    # An attacker's list that says "not revoked" for a revoked decision
    assert run("decisions", "revoke", "7", "--reason", "fraud", "--keys", str(issued["keys"]), "--status-dir", str(issued["status"])).exit_code == 0
    real = json.loads((issued["status"] / "revocation.json").read_text())
    forged = {k: v for k, v in real.items() if k != "proof"}
    forged["credentialSubject"] = dict(forged["credentialSubject"], encodedList=encode_list(set()))
    other = KeyRing(issued["tmp"] / "attacker")
    other.create(base_url="https://qa.example.org")
    f = issued["tmp"] / "forged.json"
    f.write_text(json.dumps(add_proof(forged, other.signer().key, other.signer().verification_method)))
    res = run("verify", str(issued["vc"]), "--key", str(issued["did"]), "--status-list", str(f), "--at", "2026-06-01")
    assert res.exit_code == 1 and "is not validly signed" in res.stdout
    # and an edited list without re-signing fails too
    real["credentialSubject"]["encodedList"] = encode_list(set())
    f.write_text(json.dumps(real))
    res = run("verify", str(issued["vc"]), "--key", str(issued["did"]), "--status-list", str(f), "--at", "2026-06-01")
    assert res.exit_code == 1 and "is not validly signed" in res.stdout


def test_bitstring_encoding() -> None:
    bits = {0, 7, 8, 94567, LIST_SIZE - 1}
    raw = decode_list(encode_list(bits))
    assert len(raw) == LIST_SIZE // 8
    assert all(bit_at(raw, i) for i in bits)
    assert not any(bit_at(raw, i) for i in (1, 6, 9, 94566, 94568))
    assert raw[0] == 0b10000001  # index 0 is the most significant bit


def test_decision_file_errors_name_the_field(tmp_path: Path) -> None:
    kd = tmp_path / "k"
    run("keys", "create", "--keys", str(kd), "--base-url", "https://qa.example.org")
    data = json.loads(make_decision().model_dump_json())
    data["outcome"] = "maybe"
    f = tmp_path / "d.json"
    f.write_text(json.dumps(data))
    res = run("decisions", "sign", str(f), "--keys", str(kd), "--status-dir", str(tmp_path / "s"))
    assert res.exit_code == 2 and "at outcome" in res.stderr
    # keys without a base URL cannot issue decisions (no id, no status list address)
    kd2 = tmp_path / "k2"
    run("keys", "create", "--keys", str(kd2))
    res = run("decisions", "sign", str(write_decision(tmp_path / "ok.json", make_decision())), "--keys", str(kd2), "--status-dir", str(tmp_path / "s"))
    assert res.exit_code == 2 and "--base-url" in res.stderr


from store_fixtures import pg_url, store_url  # noqa: E402, F401  (fixtures)


def test_issue_and_status_changes_go_into_the_audit_chain(tmp_path: Path, store_url: str) -> None:  # noqa: F811
    from sqlalchemy import select

    from qa_engine.store import open_store
    from qa_engine.store.models import AUDIT_LOG

    kd, sd = tmp_path / "keys", tmp_path / "status"
    common = ["--keys", str(kd), "--status-dir", str(sd), "--db", store_url]
    assert run("keys", "create", "--keys", str(kd), "--base-url", "https://qa.example.org").exit_code == 0
    dec = write_decision(tmp_path / "d.json", make_decision())
    assert run("decisions", "sign", str(dec), *common, "-o", str(tmp_path / "vc.json")).exit_code == 0
    assert run("decisions", "suspend", "7", "--reason", "complaint", "--by", "Chair", *common).exit_code == 0
    assert run("decisions", "revoke", "7", "--reason", "fraud", "--by", "Board", *common).exit_code == 0
    with open_store(store_url, create=False) as store:
        assert store.verify_audit().ok
        with store._db.engine.connect() as conn:
            rows = conn.execute(select(AUDIT_LOG.c.action, AUDIT_LOG.c.subject, AUDIT_LOG.c.payload).order_by(AUDIT_LOG.c.id)).all()
    trust = [(r.action, r.subject, json.loads(r.payload)) for r in rows if r.action.startswith("decision.")]
    assert [t[0] for t in trust] == ["decision.credential.issue", "decision.status.suspend", "decision.status.revoke"]
    assert trust[0][1] == "decision:7" and trust[0][2]["credential_id"] == "https://qa.example.org/decisions/7"
    assert trust[2][2]["reason"] == "fraud" and trust[2][2]["by"] == "Board"
    import hashlib

    assert trust[2][2]["status_list_sha256"] == hashlib.sha256((sd / "revocation.json").read_bytes()).hexdigest()


def test_concurrent_status_changes_lose_none(tmp_path: Path) -> None:
    import threading

    from qa_engine.signing.statuslist import StatusLists

    ring = KeyRing(tmp_path / "k")
    ring.create(base_url="https://qa.example.org")
    signer = ring.signer()
    lists = StatusLists(tmp_path / "s")
    ids = [f"https://qa.example.org/decisions/{n}" for n in range(16)]
    indexes = {}
    threads = [threading.Thread(target=lambda c=c: indexes.__setitem__(c, lists.allocate(c))) for c in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(indexes.values())) == 16
    threads = [threading.Thread(target=lambda c=c: lists.set(c, "suspension", True, signer, reason="r", by="b")) for c in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    doc = json.loads((tmp_path / "s" / "suspension.json").read_text())
    raw = decode_list(doc["credentialSubject"]["encodedList"])
    assert all(bit_at(raw, i) for i in indexes.values())
    assert all(lists.state(c)["suspension"] for c in ids)
