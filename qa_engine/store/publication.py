"""Data access for publication: the signed decision credential kept with its decision.

A credential row is written in the same transaction as the case's move
``decided -> published`` (:func:`qa_engine.store.cases.move` with ``extra``), so the
``case.publish`` audit entry vouches for it (subject ``case:<id>``): an edit of the
stored credential or of the decision it was signed from is found by ``audit verify``.
Who may publish is decided by :mod:`qa_engine.services.publication`, not here.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from qa_engine.store import trail
from qa_engine.store.cases import CASE_ACTIONS
from qa_engine.store.models import DECISION_CREDENTIAL
from qa_engine.store.store import Store
from qa_engine.store.values import as_utc as _utc
from qa_engine.store.values import inserted_id as _pk

trail.register(trail.Bound(
    table=DECISION_CREDENTIAL, actions=CASE_ACTIONS, subject=lambda row: f"case:{row['case_id']}",
    decoders={"credential_json": trail.json_document_sha256, "decision_json": trail.json_document_sha256},
))


@dataclass(frozen=True)
class CredentialRow:
    id: int
    decision_id: int
    case_id: int
    credential_id: str
    credential: dict[str, Any]
    credential_sha256: str
    decision: dict[str, Any]
    status_index: int
    verification_method: str
    published_at: _dt.datetime
    published_by: int


def _row(r: Any) -> CredentialRow:
    return CredentialRow(
        id=int(r.id), decision_id=int(r.decision_id), case_id=int(r.case_id), credential_id=r.credential_id,
        credential=json.loads(r.credential_json), credential_sha256=r.credential_sha256,
        decision=json.loads(r.decision_json), status_index=int(r.status_index),
        verification_method=r.verification_method, published_at=_utc(r.published_at) or r.published_at,
        published_by=int(r.published_by),
    )


def insert_credential(conn: Connection, values: Mapping[str, Any]) -> dict[str, Any]:
    """Write the credential row inside the caller's transaction; its trail reference."""
    row = dict(values)
    rid = _pk(conn.execute(DECISION_CREDENTIAL.insert().values(**row)))
    stored = dict(conn.execute(select(DECISION_CREDENTIAL).where(DECISION_CREDENTIAL.c.id == rid)).one()._mapping)
    return trail.ref(DECISION_CREDENTIAL.name, rid, stored)


def credential_of(store: Store, decision_id: int) -> CredentialRow | None:
    r = store.read(lambda c: c.execute(
        select(DECISION_CREDENTIAL).where(DECISION_CREDENTIAL.c.decision_id == decision_id)).first())
    return _row(r) if r is not None else None


def credentials(store: Store) -> list[CredentialRow]:
    """Every published decision's credential, oldest first."""
    return store.read(lambda c: [_row(r) for r in c.execute(
        select(DECISION_CREDENTIAL).order_by(DECISION_CREDENTIAL.c.id)).all()])


__all__ = ["CredentialRow", "credential_of", "credentials", "insert_credential"]
