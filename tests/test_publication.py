"""Publishing a decision the review workflow stored: signed with the issuer's key,
kept with the decision (bound to the audit chain), the case moved to published;
verified offline with `qa-engine verify`; revoked and suspended by its number."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from publication_helpers import decided, make_keys, to_decided
from sqlalchemy import update
from trust_helpers import run

from qa_engine.errors import ConflictError, NotFoundError, PermissionDeniedError
from qa_engine.services import publication as pub
from qa_engine.store import open_store
from qa_engine.store import workflow as wdb
from qa_engine.store.models import DECISION_CREDENTIAL


@pytest.fixture()
def world(tmp_path: Path) -> Any:
    db = str(tmp_path / "store.sqlite")
    store = open_store(db, actor="test")
    made = decided(store)
    keys = make_keys(tmp_path / "keys", "https://qa.example.org")
    setup = pub.Setup(str(keys), str(tmp_path / "status"))
    yield {"store": store, "db": db, "made": made, "setup": setup, "tmp": tmp_path,
           "common": ["--keys", str(keys), "--status-dir", str(tmp_path / "status")]}
    store.close()


def _files(w: dict[str, Any]) -> dict[str, Path]:
    """The credential, DID document and status lists as a relying party saves them."""
    t: Path = w["tmp"]
    did = t / "did.json"
    did.write_text(json.dumps(pub.did_document(w["setup"])))
    lists = []
    for p in ("revocation", "suspension"):
        f = t / f"{p}.json"
        f.write_text(json.dumps(pub.status_list(p, w["setup"])))
        lists.append(f)
    return {"did": did, "revocation": lists[0], "suspension": lists[1]}


def _verify(vc: Path, files: dict[str, Path], *extra: str) -> Any:
    return run("verify", str(vc), "--key", str(files["did"]), "--status-list", str(files["revocation"]),
               "--status-list", str(files["suspension"]), *extra)


def test_publish_from_the_store_verifies_offline_and_revocation_shows(world: dict[str, Any]) -> None:
    w = world
    d = w["made"]["decision"]
    vc_file = w["tmp"] / "vc.json"
    res = run("decisions", "publish", str(d.id), "--as", "coord@body.example", "--db", w["db"], *w["common"],
              "-o", str(vc_file))
    assert res.exit_code == 0, res.output
    assert f"published decision {d.id} as https://qa.example.org/decisions/{d.id}" in res.output
    store = w["store"]
    assert wdb.case_state(store, d.case_id) == "published"
    vc = json.loads(vc_file.read_text())
    sub = vc["credentialSubject"]
    assert sub["decisionId"] == d.id and sub["outcome"] == "accredited_with_conditions"
    assert sub["programme"]["dossierSha256"] == d.dossier_sha256 and sub["auditChainHead"]
    assert sub["conditions"][0]["criteria"] == ["ST-AS-01"]
    stored = pub.public_decision(store, d.id, setup=w["setup"])
    assert stored.entry.credential == vc and stored.entry.state == "current"
    assert stored.decision["id"] == d.id and stored.decision["panel"]
    files = _files(w)
    ok = _verify(vc_file, files, "--at", "2027-01-01")
    assert ok.exit_code == 0 and "VERIFIED" in ok.output, ok.output
    # one changed field: the signature no longer holds
    forged = dict(vc, credentialSubject={**sub, "outcome": "accredited"})
    bad = w["tmp"] / "forged.json"
    bad.write_text(json.dumps(forged))
    res = _verify(bad, files, "--at", "2027-01-01")
    assert res.exit_code == 1 and "FAIL  signature" in res.output
    # after the validity ends it is expired
    assert _verify(vc_file, files, "--at", f"{d.valid_until.year + 1}-01-01").exit_code == 1
    # suspend, then revoke by the stored decision's number: the list is re-signed, the case moves
    res = run("decisions", "suspend", str(d.id), "--reason", "complaint under review", "--as", "coord@body.example",
              "--db", w["db"], *w["common"])
    assert res.exit_code == 0 and "is now suspended" in res.output, res.output
    assert pub.register(store, setup=w["setup"]).entries[0].state == "suspended"
    res = _verify(vc_file, _files(w), "--at", "2027-01-01")
    assert res.exit_code == 1 and "FAIL  status (suspension): suspended" in res.output
    res = run("decisions", "revoke", str(d.id), "--reason", "issued in error", "--as", "coord@body.example",
              "--db", w["db"], *w["common"])
    assert res.exit_code == 0 and "is now revoked" in res.output, res.output
    assert wdb.case_state(store, d.case_id) == "revoked"
    res = _verify(vc_file, _files(w), "--at", "2027-01-01")
    assert res.exit_code == 1 and "FAIL  status (revocation): revoked" in res.output
    entry = pub.register(store, setup=w["setup"]).entries[0]
    assert entry.state == "revoked" and entry.state_label == "Revoked" and not entry.in_force
    # a revoked decision is final
    with pytest.raises(ConflictError, match="cannot be reinstated"):
        pub.set_status(store, w["made"]["who"]["coord"], d.id, "reinstate", reason="x", setup=w["setup"])
    assert run("audit", "verify", "--db", w["db"]).exit_code == 0


def test_only_a_decided_unpublished_decision_is_published_by_a_coordinator(world: dict[str, Any]) -> None:
    w = world
    store, who, d = w["store"], w["made"]["who"], w["made"]["decision"]
    with pytest.raises(PermissionDeniedError):
        pub.publish(store, who["prov"], d.id, setup=w["setup"])
    with pytest.raises(NotFoundError):
        pub.publish(store, who["coord"], 999, setup=w["setup"])
    res = run("decisions", "publish", "999", "--as", "coord@body.example", "--db", w["db"], *w["common"])
    assert res.exit_code == 2 and "there is no decision 999" in res.output
    res = run("decisions", "publish", str(d.id), "--as", "prov@provider.example", "--db", w["db"], *w["common"])
    assert res.exit_code == 2 and "may not publish" in res.output
    with pytest.raises(NotFoundError):  # not published: nothing public about it
        pub.public_decision(store, d.id, setup=w["setup"])
    assert pub.register(store, setup=w["setup"]).entries == []
    pub.publish(store, who["coord"], d.id, setup=w["setup"])
    res = run("decisions", "publish", str(d.id), "--as", "coord@body.example", "--db", w["db"], *w["common"])
    assert res.exit_code == 2 and "is published already" in res.output
    assert [c.actions for c in pub.candidates(store, who["coord"])] == [["suspend", "revoke"]]
    # reinstating needs a suspension first
    with pytest.raises(ConflictError, match="cannot be reinstated"):
        pub.set_status(store, who["coord"], d.id, "reinstate", reason="x", setup=w["setup"])
    pub.set_status(store, who["coord"], d.id, "suspend", reason="complaint", setup=w["setup"])
    assert pub.set_status(store, who["coord"], d.id, "reinstate", reason="cleared", setup=w["setup"]).case_state == "published"
    assert pub.register(store, setup=w["setup"]).entries[0].state == "current"


def test_a_case_still_in_review_cannot_be_published(tmp_path: Path) -> None:
    from workflow_helpers import decided_case

    with open_store(str(tmp_path / "s.sqlite"), actor="test") as store:
        made = decided_case(store)
        keys = make_keys(tmp_path / "keys", "https://qa.example.org")
        setup = pub.Setup(str(keys), str(tmp_path / "status"))
        state = wdb.case_state(store, made["decision"].case_id)
        if state == "in_review":  # before recording a decision moved the case
            with pytest.raises(ConflictError, match="not decided"):
                pub.publish(store, made["who"]["coord"], made["decision"].id, setup=setup)
            assert not (tmp_path / "status" / "issued").exists() or not list((tmp_path / "status" / "issued").iterdir())
        to_decided(store, made["decision"].case_id)
        pub.publish(store, made["who"]["coord"], made["decision"].id, setup=setup)


def test_audit_verify_finds_an_edit_of_the_stored_credential(world: dict[str, Any]) -> None:
    w = world
    store, d = w["store"], w["made"]["decision"]
    pub.publish(store, w["made"]["who"]["coord"], d.id, setup=w["setup"])
    assert run("audit", "verify", "--db", w["db"]).exit_code == 0
    row = pub.public_decision(store, d.id, setup=w["setup"]).entry.credential
    edited = json.dumps({**row, "validUntil": "2099-12-31T23:59:59Z"})
    store.write(lambda c: c.execute(update(DECISION_CREDENTIAL).values(credential_json=edited)))
    res = run("audit", "verify", "--db", w["db"])
    assert res.exit_code == 1 and "decision credential 1" in res.output and "credential_json differs" in res.output, res.output


def test_a_decision_file_with_the_same_number_is_not_overwritten(world: dict[str, Any]) -> None:
    from trust_helpers import make_decision, write_decision

    w = world
    d = w["made"]["decision"]
    f = write_decision(w["tmp"] / "file.json", make_decision(decision_id=d.id))
    assert run("decisions", "sign", str(f), *w["common"], "-o", str(w["tmp"] / "file.vc.json")).exit_code == 0
    res = run("decisions", "publish", str(d.id), "--as", "coord@body.example", "--db", w["db"], *w["common"])
    assert res.exit_code == 2 and "issued already from a decision file" in res.output
    assert wdb.case_state(w["store"], d.case_id) == "decided"
