"""A published decision for tests: a case of the review workflow taken to ``decided``
(tests/workflow_helpers.py decided_case) and an issuer's key ring."""

from __future__ import annotations

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
