"""Data access for submission cases: the cases, their dossier versions, their state
changes (events) and their evidence files.

Every state change is one transaction holding the case's new row, a
``submission_event`` row and one audit entry (``case.<action>``, subject
``case:<id>``) that vouches for every record it wrote, with who did it. The life
cycle itself (which action leads where, who may take it) is data in
:mod:`qa_engine.formats.lifecycle`; the checks are :mod:`qa_engine.services.submissions`'s.

:func:`move` is the one writer of a state change: the review workflow (panels,
decisions) calls it with ``extra``, a function writing its own rows in the same
transaction and returning their trail references.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, update

from qa_engine.store import audit, trail
from qa_engine.store.models import (
    EVALUATION,
    EVIDENCE_BLOB,
    EVIDENCE_FILE,
    ORGANISATION,
    SUBMISSION_CASE,
    SUBMISSION_EVENT,
    SUBMISSION_VERSION,
    USER_ACCOUNT,
)
from qa_engine.store.store import Store
from qa_engine.store.values import as_utc as _utc
from qa_engine.store.values import inserted_id as _pk
from qa_engine.store.values import now as now

#: Every audit action that writes or changes a case's records.
CASE_ACTIONS = frozenset({
    "case.create", "case.version", "case.submit", "case.withdraw", "case.accept", "case.return",
    "case.reopen", "case.decide", "case.request_amendment", "case.resubmit", "case.publish",
    "case.expire", "case.revoke", "case.suspend", "case.reinstate",
})
EVIDENCE_ACTIONS = frozenset({"evidence.add", "evidence.remove"})


def case_action(action: str) -> str:
    """The audit action of a life-cycle action (``submit`` -> ``case.submit``)."""
    return f"case.{action}"


def _case_subject(row: Mapping[str, Any]) -> str:
    return f"case:{row['case_id']}"


trail.register(trail.Bound(
    table=SUBMISSION_CASE, actions=CASE_ACTIONS, subject=lambda row: f"case:{row['id']}",
))
trail.register(trail.Bound(table=SUBMISSION_VERSION, actions=CASE_ACTIONS, subject=_case_subject))
trail.register(trail.Bound(table=SUBMISSION_EVENT, actions=CASE_ACTIONS, subject=_case_subject))
trail.register(trail.Bound(table=EVIDENCE_FILE, actions=EVIDENCE_ACTIONS, subject=_case_subject))




def _iso(value: _dt.datetime | _dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --------------------------------------------------------------------------- rows as values


@dataclass(frozen=True)
class Case:
    id: int
    organisation_id: int
    organisation_slug: str
    organisation_name: str
    dossier_id: str
    title: str
    state: str
    ruleset_ref: str
    rubric_ref: str | None
    current_version: int
    submitted_version: int | None
    created_by: int
    created_at: _dt.datetime
    updated_at: _dt.datetime
    #: The latest version's evaluation (decision, score, ruleset) when it has one.
    decision: str | None = None
    score: float | None = None
    passed: bool | None = None
    evaluation_id: int | None = None
    dossier_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "state": self.state,
            "organisation": {"id": self.organisation_id, "slug": self.organisation_slug,
                             "name": self.organisation_name},
            "dossier": {"id": self.dossier_id, "sha256": self.dossier_sha256, "title": self.title},
            "ruleset": self.ruleset_ref, "rubric": self.rubric_ref,
            "current_version": self.current_version, "submitted_version": self.submitted_version,
            "evaluation": ({"id": self.evaluation_id, "decision": self.decision, "score": self.score,
                            "passed": self.passed} if self.evaluation_id is not None else None),
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class Version:
    id: int
    case_id: int
    number: int
    kind: str
    content_id: int
    dossier_sha256: str
    evaluation_id: int | None
    source_format: str
    filename: str | None
    upload_sha256: str
    note: str | None
    created_by: int
    created_at: _dt.datetime

    @classmethod
    def of(cls, m: Mapping[Any, Any]) -> Version:
        return cls(int(m["id"]), int(m["case_id"]), int(m["number"]), m["kind"], int(m["content_id"]),
                   m["dossier_sha256"], int(m["evaluation_id"]) if m["evaluation_id"] is not None else None,
                   m["source_format"], m["filename"], m["upload_sha256"], m["note"], int(m["created_by"]),
                   _utc(m["created_at"]) or now())

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "kind": self.kind, "dossier_sha256": self.dossier_sha256,
                "evaluation_id": self.evaluation_id, "source_format": self.source_format,
                "filename": self.filename, "upload_sha256": self.upload_sha256, "note": self.note,
                "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class Event:
    id: int
    case_id: int
    action: str
    from_state: str | None
    to_state: str
    actor_id: int | None
    actor_email: str | None
    reason: str | None
    at: _dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "from": self.from_state, "to": self.to_state,
                "by": self.actor_email, "reason": self.reason, "at": self.at.isoformat()}


@dataclass(frozen=True)
class Evidence:
    id: int
    case_id: int
    evidence_id: str
    sha256: str
    filename: str
    media_type: str
    size: int
    effective_from: _dt.date | None
    expires: _dt.date | None
    uploaded_by: int
    created_at: _dt.datetime
    removed_at: _dt.datetime | None

    @classmethod
    def of(cls, m: Mapping[Any, Any]) -> Evidence:
        return cls(int(m["id"]), int(m["case_id"]), m["evidence_id"], m["sha256"], m["filename"],
                   m["media_type"], int(m["size"]), m["effective_from"], m["expires"], int(m["uploaded_by"]),
                   _utc(m["created_at"]) or now(), _utc(m["removed_at"]))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "evidence_id": self.evidence_id, "sha256": self.sha256,
                "filename": self.filename, "media_type": self.media_type, "size": self.size,
                "effective_from": _iso(self.effective_from), "expires": _iso(self.expires),
                "created_at": self.created_at.isoformat()}


# --------------------------------------------------------------------------- reading


def _case_query() -> Any:
    latest = SUBMISSION_VERSION.alias("latest")
    return (
        select(SUBMISSION_CASE, ORGANISATION.c.slug.label("org_slug"), ORGANISATION.c.name.label("org_name"),
               latest.c.evaluation_id.label("ev_id"), latest.c.dossier_sha256.label("ev_sha"),
               EVALUATION.c.decision.label("ev_decision"), EVALUATION.c.score.label("ev_score"),
               EVALUATION.c.passed.label("ev_passed"))
        .select_from(
            SUBMISSION_CASE.join(ORGANISATION, ORGANISATION.c.id == SUBMISSION_CASE.c.organisation_id)
            .outerjoin(latest, (latest.c.case_id == SUBMISSION_CASE.c.id)
                       & (latest.c.number == SUBMISSION_CASE.c.current_version))
            .outerjoin(EVALUATION, EVALUATION.c.id == latest.c.evaluation_id)
        )
    )


def _case(row: Any) -> Case:
    m = row._mapping
    return Case(
        int(m["id"]), int(m["organisation_id"]), m["org_slug"], m["org_name"], m["dossier_id"], m["title"],
        m["state"], m["ruleset_ref"], m["rubric_ref"], int(m["current_version"]),
        int(m["submitted_version"]) if m["submitted_version"] is not None else None, int(m["created_by"]),
        _utc(m["created_at"]) or now(), _utc(m["updated_at"]) or now(),
        m["ev_decision"], float(m["ev_score"]) if m["ev_score"] is not None else None,
        bool(m["ev_passed"]) if m["ev_passed"] is not None else None,
        int(m["ev_id"]) if m["ev_id"] is not None else None, m["ev_sha"],
    )


def get_case(store: Store, case_id: int) -> Case | None:
    row = store.read(lambda c: c.execute(_case_query().where(SUBMISSION_CASE.c.id == case_id)).first())
    return _case(row) if row is not None else None


@dataclass(frozen=True)
class CaseFilter:
    """What the queue shows: ``ids`` limits to those cases (a reviewer's panels)."""

    organisation_id: int | None = None
    state: str | None = None
    ruleset: str | None = None
    decision: str | None = None
    provider: str | None = None
    ids: frozenset[int] | None = None


def list_cases(store: Store, f: CaseFilter = CaseFilter(), *, limit: int = 500) -> list[Case]:
    q = _case_query().order_by(SUBMISSION_CASE.c.updated_at.desc(), SUBMISSION_CASE.c.id.desc())
    if f.organisation_id is not None:
        q = q.where(SUBMISSION_CASE.c.organisation_id == f.organisation_id)
    if f.state:
        q = q.where(SUBMISSION_CASE.c.state == f.state)
    if f.ruleset:
        q = q.where((SUBMISSION_CASE.c.ruleset_ref == f.ruleset)
                    | SUBMISSION_CASE.c.ruleset_ref.startswith(f"{f.ruleset}@", autoescape=True))
    if f.decision:
        q = q.where(EVALUATION.c.decision == f.decision)
    if f.provider:
        q = q.where(ORGANISATION.c.slug == f.provider)
    if f.ids is not None:
        q = q.where(SUBMISSION_CASE.c.id.in_(sorted(f.ids)))
    return [_case(r) for r in store.read(lambda c: list(c.execute(q.limit(limit))))]


def versions(store: Store, case_id: int) -> list[Version]:
    rows = store.read(lambda c: list(c.execute(
        select(SUBMISSION_VERSION).where(SUBMISSION_VERSION.c.case_id == case_id)
        .order_by(SUBMISSION_VERSION.c.number))))
    return [Version.of(r._mapping) for r in rows]


def events(store: Store, case_id: int) -> list[Event]:
    q = (select(SUBMISSION_EVENT, USER_ACCOUNT.c.email)
         .select_from(SUBMISSION_EVENT.outerjoin(USER_ACCOUNT, USER_ACCOUNT.c.id == SUBMISSION_EVENT.c.actor_id))
         .where(SUBMISSION_EVENT.c.case_id == case_id).order_by(SUBMISSION_EVENT.c.id))
    out = []
    for r in store.read(lambda c: list(c.execute(q))):
        m = r._mapping
        out.append(Event(int(m["id"]), int(m["case_id"]), m["action"], m["from_state"], m["to_state"],
                         m["actor_id"], m["email"], m["reason"], _utc(m["at"]) or now()))
    return out


def dossier_json(store: Store, content_id: int) -> str:
    """The dossier content's JSON text (stored compressed: :mod:`qa_engine.store.codec`)."""
    from qa_engine.store.codec import unpack_document
    from qa_engine.store.models import SUBMISSION

    return unpack_document(store.read(lambda c: c.execute(
        select(SUBMISSION.c.dossier_json).where(SUBMISSION.c.id == content_id)).scalar_one()))


def counts_by_state(store: Store, ids: frozenset[int] | None = None,
                    organisation_id: int | None = None) -> dict[str, int]:
    q = select(SUBMISSION_CASE.c.state, func.count()).group_by(SUBMISSION_CASE.c.state)
    if ids is not None:
        q = q.where(SUBMISSION_CASE.c.id.in_(sorted(ids)))
    if organisation_id is not None:
        q = q.where(SUBMISSION_CASE.c.organisation_id == organisation_id)
    return {str(s): int(n) for s, n in store.read(lambda c: list(c.execute(q)))}


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class NewVersion:
    """A dossier version to store: its content row and evaluation exist already."""

    content_id: int
    dossier_sha256: str
    evaluation_id: int | None
    source_format: str
    filename: str | None
    upload_sha256: str
    note: str | None = None
    kind: str = "draft"


def _event(conn: Connection, case_id: int, action: str, from_state: str | None, to_state: str,
           actor_id: int | None, reason: str | None, at: _dt.datetime) -> dict[str, Any]:
    values = {"case_id": case_id, "action": action, "from_state": from_state, "to_state": to_state,
              "actor_id": actor_id, "reason": reason, "at": at}
    eid = _pk(conn.execute(SUBMISSION_EVENT.insert().values(**values)))
    return trail.ref("submission_event", eid, values)


def _version(conn: Connection, case_id: int, number: int, v: NewVersion, actor_id: int,
             at: _dt.datetime) -> dict[str, Any]:
    values = {"case_id": case_id, "number": number, "kind": v.kind, "content_id": v.content_id,
              "dossier_sha256": v.dossier_sha256, "evaluation_id": v.evaluation_id,
              "source_format": v.source_format, "filename": v.filename, "upload_sha256": v.upload_sha256,
              "note": v.note, "created_by": actor_id, "created_at": at}
    vid = _pk(conn.execute(SUBMISSION_VERSION.insert().values(**values)))
    return trail.ref("submission_version", vid, values)


def _case_ref(conn: Connection, case_id: int) -> dict[str, Any]:
    row = conn.execute(select(SUBMISSION_CASE).where(SUBMISSION_CASE.c.id == case_id)).one()
    return trail.ref("submission_case", case_id, row._mapping)


def create_case(
    store: Store, *, organisation_id: int, dossier_id: str, title: str, ruleset_ref: str,
    rubric_ref: str | None, version: NewVersion, actor_id: int, actor: str,
) -> int:
    """A new draft case holding its first version; returns the case id."""

    def write(conn: Connection) -> int:
        at = now()
        values = {"organisation_id": organisation_id, "dossier_id": dossier_id, "title": title,
                  "state": "draft", "ruleset_ref": ruleset_ref, "rubric_ref": rubric_ref,
                  "current_version": 1, "submitted_version": None, "created_by": actor_id,
                  "created_at": at, "updated_at": at}
        cid = _pk(conn.execute(SUBMISSION_CASE.insert().values(**values)))
        refs = [trail.ref("submission_case", cid, values),
                _version(conn, cid, 1, version, actor_id, at),
                _event(conn, cid, "create", None, "draft", actor_id, None, at)]
        audit.append(conn, actor=actor, action="case.create", subject=f"case:{cid}", payload={
            "organisation_id": organisation_id, "dossier_id": dossier_id, "state": "draft",
            "version": 1, "dossier_sha256": version.dossier_sha256, "evaluation_id": version.evaluation_id,
            "ruleset": ruleset_ref, "records": refs,
        })
        return cid

    return store.write(write)


def _locked_case(conn: Connection, case_id: int) -> Any:
    return conn.execute(select(SUBMISSION_CASE).where(SUBMISSION_CASE.c.id == case_id).with_for_update()).first()


class StaleStateError(Exception):
    """The case moved on between the check and the write (the service says it clearly)."""

    def __init__(self, state: str) -> None:
        self.state = state
        super().__init__(state)


def add_version(store: Store, case_id: int, version: NewVersion, *, expect_state: str,
                dossier_id: str, title: str, actor_id: int, actor: str) -> int:
    """Store the next version of a case's dossier; returns its number."""

    def write(conn: Connection) -> int:
        row = _locked_case(conn, case_id)
        if row is None or row.state != expect_state:
            raise StaleStateError(row.state if row is not None else "gone")
        at = now()
        number = int(row.current_version) + 1
        conn.execute(update(SUBMISSION_CASE).where(SUBMISSION_CASE.c.id == case_id).values(
            current_version=number, updated_at=at, dossier_id=dossier_id, title=title))
        refs = [_case_ref(conn, case_id), _version(conn, case_id, number, version, actor_id, at)]
        audit.append(conn, actor=actor, action="case.version", subject=f"case:{case_id}", payload={
            "version": number, "dossier_sha256": version.dossier_sha256,
            "evaluation_id": version.evaluation_id, "records": refs,
        })
        return number

    return store.write(write)


@dataclass
class Move:
    """A state change to write: ``changes`` are further columns of the case row."""

    action: str
    from_state: str
    to_state: str
    reason: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)


def move(
    store: Store, case_id: int, m: Move, *, actor_id: int | None, actor: str,
    extra: Callable[[Connection, _dt.datetime], Sequence[dict[str, Any]]] | None = None,
) -> None:
    """Move the case from ``m.from_state`` to ``m.to_state`` in one transaction: the
    case row, an event row, ``extra``'s rows (the workflow's panels, decisions) and
    the audit entry vouching for all of them. Raises :class:`StaleStateError` when
    the case is no longer in ``from_state`` (another user was quicker)."""
    store.write(lambda conn: move_in(conn, case_id, m, actor_id=actor_id, actor=actor, extra=extra))


def move_in(
    conn: Connection, case_id: int, m: Move, *, actor_id: int | None, actor: str,
    extra: Callable[[Connection, _dt.datetime], Sequence[dict[str, Any]]] | None = None,
) -> None:
    """:func:`move` inside a transaction the caller holds (the workflow's writers move
    the case in the same transaction as their own rows and audit entries)."""
    row = _locked_case(conn, case_id)
    if row is None or row.state != m.from_state:
        raise StaleStateError(row.state if row is not None else "gone")
    at = now()
    conn.execute(update(SUBMISSION_CASE).where(SUBMISSION_CASE.c.id == case_id).values(
        state=m.to_state, updated_at=at, **m.changes))
    refs = [_case_ref(conn, case_id),
            _event(conn, case_id, m.action, m.from_state, m.to_state, actor_id, m.reason, at)]
    if extra is not None:
        refs.extend(extra(conn, at))
    audit.append(conn, actor=actor, action=case_action(m.action), subject=f"case:{case_id}", payload={
        "from": m.from_state, "to": m.to_state, "reason": m.reason, **m.payload, "records": refs,
    })


def add_version_in(conn: Connection, case_id: int, version: NewVersion, *, dossier_id: str, title: str,
                   actor_id: int, actor: str) -> int:
    """Store the next version of a case inside the caller's transaction (the case row
    must be locked by the caller); returns its number."""
    row = _locked_case(conn, case_id)
    at = now()
    number = int(row.current_version) + 1
    conn.execute(update(SUBMISSION_CASE).where(SUBMISSION_CASE.c.id == case_id).values(
        current_version=number, updated_at=at, dossier_id=dossier_id, title=title))
    refs = [_case_ref(conn, case_id), _version(conn, case_id, number, version, actor_id, at)]
    audit.append(conn, actor=actor, action="case.version", subject=f"case:{case_id}", payload={
        "version": number, "dossier_sha256": version.dossier_sha256,
        "evaluation_id": version.evaluation_id, "records": refs,
    })
    return number


# --------------------------------------------------------------------------- evidence


def add_evidence(
    store: Store, case_id: int, *, evidence_id: str, data: bytes, sha256: str, filename: str,
    media_type: str, effective_from: _dt.date | None, expires: _dt.date | None, actor_id: int, actor: str,
) -> Evidence:
    """Store the bytes once (by sha256) and attach them to the case."""

    def write(conn: Connection) -> Evidence:
        at = now()
        if conn.execute(select(EVIDENCE_BLOB.c.sha256).where(EVIDENCE_BLOB.c.sha256 == sha256)).first() is None:
            conn.execute(EVIDENCE_BLOB.insert().values(sha256=sha256, size=len(data), content=data, created_at=at))
        values = {"case_id": case_id, "evidence_id": evidence_id, "sha256": sha256, "filename": filename,
                  "media_type": media_type, "size": len(data), "effective_from": effective_from,
                  "expires": expires, "uploaded_by": actor_id, "created_at": at, "removed_at": None}
        fid = _pk(conn.execute(EVIDENCE_FILE.insert().values(**values)))
        audit.append(conn, actor=actor, action="evidence.add", subject=f"case:{case_id}", payload={
            "evidence_id": evidence_id, "sha256": sha256, "filename": filename, "size": len(data),
            "records": [trail.ref("evidence_file", fid, values)],
        })
        return Evidence.of({"id": fid, **values})

    return store.write(write)


def remove_evidence(store: Store, file_id: int, *, actor: str) -> None:
    def write(conn: Connection) -> None:
        conn.execute(update(EVIDENCE_FILE).where(EVIDENCE_FILE.c.id == file_id).values(removed_at=now()))
        row = conn.execute(select(EVIDENCE_FILE).where(EVIDENCE_FILE.c.id == file_id)).one()
        audit.append(conn, actor=actor, action="evidence.remove", subject=f"case:{row.case_id}", payload={
            "evidence_id": row.evidence_id, "records": [trail.ref("evidence_file", file_id, row._mapping)],
        })

    store.write(write)


def evidence_files(store: Store, case_id: int, *, include_removed: bool = False) -> list[Evidence]:
    q = select(EVIDENCE_FILE).where(EVIDENCE_FILE.c.case_id == case_id).order_by(EVIDENCE_FILE.c.id)
    if not include_removed:
        q = q.where(EVIDENCE_FILE.c.removed_at.is_(None))
    return [Evidence.of(r._mapping) for r in store.read(lambda c: list(c.execute(q)))]


def evidence_file(store: Store, file_id: int) -> Evidence | None:
    row = store.read(lambda c: c.execute(select(EVIDENCE_FILE).where(EVIDENCE_FILE.c.id == file_id)).first())
    return Evidence.of(row._mapping) if row is not None else None


def evidence_bytes(store: Store, sha256: str) -> bytes:
    """The stored bytes, checked against their address (a changed blob is refused)."""
    import hashlib

    from qa_engine.store.errors import TrailError

    data = bytes(store.read(lambda c: c.execute(
        select(EVIDENCE_BLOB.c.content).where(EVIDENCE_BLOB.c.sha256 == sha256)).scalar_one()))
    if hashlib.sha256(data).hexdigest() != sha256:
        raise TrailError(f"the evidence file stored as {sha256[:12]} no longer matches its sha256",
                         hint="run `qa-engine audit verify` and restore the store from a backup")
    return data


def evaluation_figures(store: Store, evaluation_ids: Sequence[int]) -> dict[str, Any]:
    """Figures over stored evaluations: how many, by decision, passed, mean score and the
    criteria most often not met."""
    from qa_engine.store.models import FINDING

    ids = sorted(set(evaluation_ids))
    if not ids:
        return {"evaluations": 0, "passed": 0, "by_decision": {}, "mean_score": None, "top_failed": []}

    def read(conn: Connection) -> dict[str, Any]:
        rows = list(conn.execute(select(EVALUATION.c.decision, EVALUATION.c.passed, EVALUATION.c.score)
                                 .where(EVALUATION.c.id.in_(ids))))
        by: dict[str, int] = {}
        for r in rows:
            by[str(r.decision)] = by.get(str(r.decision), 0) + 1
        failed = list(conn.execute(
            select(FINDING.c.criterion_id, func.count())
            .where(FINDING.c.evaluation_id.in_(ids), FINDING.c.state == "not_met")
            .group_by(FINDING.c.criterion_id).order_by(func.count().desc(), FINDING.c.criterion_id).limit(10)))
        return {"evaluations": len(rows), "passed": sum(1 for r in rows if r.passed),
                "by_decision": dict(sorted(by.items())),
                "mean_score": round(sum(float(r.score) for r in rows) / len(rows), 2) if rows else None,
                "top_failed": [{"criterion": str(c), "count": int(n)} for c, n in failed]}

    return store.read(read)
