"""A published decision for tests: a case of the review workflow taken to ``decided``
(tests/workflow_helpers.py decided_case) and an issuer's key ring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qa_engine.store import Store
from qa_engine.store import cases as cdb
from qa_engine.store import workflow as wdb


def to_decided(store: Store, case_id: int, actor: str = "coord@body.example") -> None:
    """The case in ``decided`` (a branch where recording a decision does not move the
    case yet leaves it in review; there the move is made as the life cycle says)."""
    if wdb.case_state(store, case_id) == "in_review":
        cdb.move(store, case_id, cdb.Move("decide", "in_review", "decided"), actor_id=None, actor=actor)
    assert wdb.case_state(store, case_id) == "decided"


def decided(store: Store) -> dict[str, Any]:
    from workflow_helpers import decided_case

    made = decided_case(store)
    to_decided(store, made["decision"].case_id)
    return made


def make_keys(folder: Path, base_url: str, name: str = "Example Quality Agency") -> Path:
    from qa_engine.signing.keys import KeyRing

    KeyRing(folder).create(base_url=base_url, name=name)
    return folder


def populate_publication(store: Store, cases: list[int], decisions: list[int]) -> None:
    """A credential row per decision (for the audit-trail tests: every bound table has
    rows), written the way publishing writes it: with the case's move to published."""
    from qa_engine.store import publication as pdb

    for case_id, decision_id in zip(cases, decisions, strict=True):
        to_decided(store, case_id)
        vc = {"id": f"https://qa.example.org/decisions/{decision_id}", "type": ["VerifiableCredential"],
              "proof": {"verificationMethod": "did:web:qa.example.org#z6Mk"}}
        values = {"decision_id": decision_id, "case_id": case_id, "credential_id": vc["id"],
                  "credential_json": json.dumps(vc), "credential_sha256": "9" * 64,
                  "decision_json": json.dumps({"id": decision_id}), "status_index": 100 + decision_id,
                  "verification_method": "did:web:qa.example.org#z6Mk", "published_by": 1}
        cdb.move(store, case_id, cdb.Move("publish", "decided", "published", payload={"decision_id": decision_id}),
                 actor_id=None, actor="coord@body.example",
                 extra=lambda conn, at, v=values: [pdb.insert_credential(conn, {**v, "published_at": at})])
