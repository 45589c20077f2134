"""Data access for the review workflow: panels and their members, reviews and their
judgments, the chair's resolutions, decisions, their conditions and amendments.

Every write is one transaction holding its rows and one audit entry that vouches for
each record it wrote or changed (:mod:`qa_engine.store.trail`): panel records under
the subject ``panel:<id>``, decision records under ``decision:<id>``. Who may do what
is decided by :mod:`qa_engine.services.workflow`, not here.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from qa_engine.errors import WorkflowError
from qa_engine.store import audit, cases, codec, trail
from qa_engine.store.models import (
    DECISION,
    DECISION_AMENDMENT,
    DECISION_CONDITION,
    EVALUATION,
    ORGANISATION,
    PANEL_MEMBER,
    PANEL_RESOLUTION,
    PANEL_REVIEW,
    REVIEW_JUDGMENT,
    REVIEW_PANEL,
    SUBMISSION,
    SUBMISSION_CASE,
    SUBMISSION_VERSION,
    USER_ACCOUNT,
)
from qa_engine.store.store import Store
from qa_engine.store.values import as_utc as _utc
from qa_engine.store.values import inserted_id as _pk
from qa_engine.store.values import now as now

PANEL_ACTIONS = frozenset({"panel.form", "panel.add_member", "panel.declare", "panel.review", "panel.resolve", "panel.close"})
DECISION_ACTIONS = frozenset({"decision.record", "decision.amend", "decision.condition"})


def _panel_subject(row: Mapping[str, Any]) -> str:
    return f"panel:{row['panel_id']}"


def _decision_subject(row: Mapping[str, Any]) -> str:
    return f"decision:{row['decision_id']}"


trail.register(trail.Bound(table=REVIEW_PANEL, actions=PANEL_ACTIONS | {"decision.record"},
                           subject=lambda row: f"panel:{row['id']}"))
trail.register(trail.Bound(table=PANEL_MEMBER, actions=PANEL_ACTIONS, subject=_panel_subject))
trail.register(trail.Bound(
    table=PANEL_REVIEW, actions=PANEL_ACTIONS, subject=_panel_subject,
    children={"judgments": trail.Child(REVIEW_JUDGMENT, parent="review_id", order=("criterion_id",))},
))
trail.register(trail.Bound(table=PANEL_RESOLUTION, actions=PANEL_ACTIONS, subject=_panel_subject))
trail.register(trail.Bound(
    table=DECISION, actions=DECISION_ACTIONS, subject=lambda row: f"decision:{row['id']}",
    decoders={"criteria_json": trail.json_document_sha256, "panel_json": trail.json_document_sha256},
))
trail.register(trail.Bound(table=DECISION_CONDITION, actions=DECISION_ACTIONS, subject=_decision_subject))
trail.register(trail.Bound(
    table=DECISION_AMENDMENT, actions=DECISION_ACTIONS, subject=_decision_subject,
    decoders={"checks_json": trail.json_document_sha256},
))




def _row(conn: Connection, table: Any, rid: int) -> dict[str, Any]:
    return dict(conn.execute(select(table).where(table.c.id == rid)).one()._mapping)


def _ref(conn: Connection, table: Any, rid: int, **children: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The trail reference of a record as it now stands in the transaction."""
    return trail.ref(table.name, rid, _row(conn, table, rid), children=children or None)


# --------------------------------------------------------------------------- people and cases


@dataclass(frozen=True)
class Person:
    """An account as the workflow needs it (the workspace's own account model has more)."""

    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None
    external: bool
    chair_qualified: bool
    disabled: bool


def _person(r: Any) -> Person:
    return Person(int(r.id), r.email, r.name, r.role, r.organisation_id, bool(r.external),
                  bool(r.chair_qualified), r.disabled_at is not None)


def person_by_email(store: Store, email: str) -> Person | None:
    r = store.read(lambda c: c.execute(select(USER_ACCOUNT).where(USER_ACCOUNT.c.email == email.strip().lower())).first())
    return _person(r) if r is not None else None


def people(store: Store, ids: Sequence[int] | None = None) -> dict[int, Person]:
    def read(conn: Connection) -> dict[int, Person]:
        q = select(USER_ACCOUNT)
        if ids is not None:
            q = q.where(USER_ACCOUNT.c.id.in_(list(ids)))
        return {int(r.id): _person(r) for r in conn.execute(q)}

    return store.read(read)


def case_organisation(store: Store, case_id: int) -> int | None:
    r = store.read(lambda c: c.execute(
        select(SUBMISSION_CASE.c.organisation_id).where(SUBMISSION_CASE.c.id == case_id)).first())
    return int(r[0]) if r is not None else None


def case_provider(store: Store, case_id: int) -> dict[str, Any]:
    def read(conn: Connection) -> dict[str, Any]:
        r = conn.execute(select(ORGANISATION).join(SUBMISSION_CASE, SUBMISSION_CASE.c.organisation_id == ORGANISATION.c.id)
                         .where(SUBMISSION_CASE.c.id == case_id)).one()
        return {"slug": r.slug, "name": r.name, "country": r.country, "identifier": r.identifier}

    return store.read(read)


def case_state(store: Store, case_id: int) -> str | None:
    r = store.read(lambda c: c.execute(select(SUBMISSION_CASE.c.state).where(SUBMISSION_CASE.c.id == case_id)).first())
    return str(r[0]) if r is not None else None


def case_title(store: Store, case_id: int) -> str | None:
    r = store.read(lambda c: c.execute(select(SUBMISSION_CASE.c.title).where(SUBMISSION_CASE.c.id == case_id)).first())
    return str(r[0]) if r is not None else None


def provider_emails(store: Store, case_id: int) -> list[str]:
    """The active provider accounts of the case's organisation."""
    def read(conn: Connection) -> list[str]:
        q = (select(USER_ACCOUNT.c.email)
             .join(SUBMISSION_CASE, SUBMISSION_CASE.c.organisation_id == USER_ACCOUNT.c.organisation_id)
             .where(SUBMISSION_CASE.c.id == case_id, USER_ACCOUNT.c.role == "provider",
                    USER_ACCOUNT.c.disabled_at.is_(None)))
        return [str(r[0]) for r in conn.execute(q)]

    return store.read(read)


def body_name(store: Store) -> str | None:
    """The accrediting body's name (its organisation of kind ``body``), if recorded."""
    r = store.read(lambda c: c.execute(select(ORGANISATION.c.name).where(ORGANISATION.c.kind == "body")
                                       .order_by(ORGANISATION.c.id)).first())
    return str(r[0]) if r is not None else None


def case_frozen(store: Store, case_id: int) -> tuple[int, int] | None:
    """(number, evaluation id) of the case's version frozen by its last submit."""
    def read(conn: Connection) -> tuple[int, int] | None:
        r = conn.execute(
            select(SUBMISSION_VERSION.c.number, SUBMISSION_VERSION.c.evaluation_id)
            .join(SUBMISSION_CASE, SUBMISSION_CASE.c.id == SUBMISSION_VERSION.c.case_id)
            .where(SUBMISSION_CASE.c.id == case_id, SUBMISSION_VERSION.c.number == SUBMISSION_CASE.c.submitted_version)
        ).first()
        if r is None or r.evaluation_id is None:
            return None
        return int(r.number), int(r.evaluation_id)

    return store.read(read)


def dossier_json_of(store: Store, evaluation_id: int) -> str:
    """The dossier JSON an evaluation was made of."""
    def read(conn: Connection) -> str:
        blob = conn.execute(select(SUBMISSION.c.dossier_json).join(
            EVALUATION, EVALUATION.c.submission_id == SUBMISSION.c.id).where(EVALUATION.c.id == evaluation_id)).scalar_one()
        return codec.unpack_document(blob)

    return store.read(read)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class MemberRow:
    id: int
    panel_id: int
    user_id: int
    role: str
    external: bool
    subject_matter: bool
    conflict: str
    conflict_note: str | None
    declared_at: _dt.datetime | None


@dataclass(frozen=True)
class PanelRow:
    id: int
    case_id: int
    evaluation_id: int
    version: int
    policy_ref: str
    policy_sha256: str
    state: str
    created_by: int
    created_at: _dt.datetime
    members: tuple[MemberRow, ...] = ()

    def member(self, user_id: int) -> MemberRow | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    @property
    def chair(self) -> int | None:
        return next((m.user_id for m in self.members if m.role == "chair" and m.conflict != "declared"), None)


@dataclass(frozen=True)
class JudgmentRow:
    criterion_id: str
    agrees: bool
    state: str
    reason: str | None
    comment: str | None


@dataclass(frozen=True)
class ReviewRow:
    id: int
    panel_id: int
    user_id: int
    state: str
    comment: str | None
    updated_at: _dt.datetime
    submitted_at: _dt.datetime | None
    judgments: tuple[JudgmentRow, ...] = ()


@dataclass(frozen=True)
class ResolutionRow:
    criterion_id: str
    state: str
    reason: str
    user_id: int
    created_at: _dt.datetime


@dataclass(frozen=True)
class ConditionRow:
    id: int
    decision_id: int
    label: str
    criteria: tuple[str, ...]
    text: str
    due: _dt.date
    state: str
    closed_on: _dt.date | None
    closed_by: int | None
    met_in_amendment: int | None


@dataclass(frozen=True)
class AmendmentRow:
    id: int
    decision_id: int
    evaluation_id: int
    dossier_sha256: str
    checks: list[dict[str, Any]]
    re_review: tuple[str, ...]
    created_by: int
    created_at: _dt.datetime


@dataclass(frozen=True)
class DecisionRow:
    id: int
    case_id: int
    panel_id: int | None
    evaluation_id: int
    version: int
    dossier_sha256: str
    ruleset_sha256: str
    rubric_sha256: str
    report_sha256: str
    policy_sha256: str
    outcome: str
    decided_outcome: str
    rationale: str
    score_exact: str
    score: float
    criteria: list[dict[str, Any]]
    panel: list[dict[str, Any]]
    valid_from: _dt.date
    valid_until: _dt.date
    decided_on: _dt.date
    decided_by: int
    created_at: _dt.datetime
    conditions: tuple[ConditionRow, ...] = ()
    amendments: tuple[AmendmentRow, ...] = field(default=())


def _member(r: Any) -> MemberRow:
    return MemberRow(
        id=r.id, panel_id=r.panel_id, user_id=r.user_id, role=r.role, external=bool(r.external),
        subject_matter=bool(r.subject_matter), conflict=r.conflict, conflict_note=r.conflict_note,
        declared_at=_utc(r.declared_at),
    )


def _panel(conn: Connection, r: Any) -> PanelRow:
    members = [_member(m) for m in conn.execute(
        select(PANEL_MEMBER).where(PANEL_MEMBER.c.panel_id == r.id).order_by(PANEL_MEMBER.c.id)
    )]
    return PanelRow(
        id=r.id, case_id=r.case_id, evaluation_id=r.evaluation_id, version=r.version, policy_ref=r.policy_ref,
        policy_sha256=r.policy_sha256, state=r.state, created_by=r.created_by,
        created_at=_utc(r.created_at) or now(), members=tuple(members),
    )


def get_panel(store: Store, panel_id: int) -> PanelRow | None:
    def read(conn: Connection) -> PanelRow | None:
        r = conn.execute(select(REVIEW_PANEL).where(REVIEW_PANEL.c.id == panel_id)).first()
        return _panel(conn, r) if r is not None else None

    return store.read(read)


def panels_of_case(store: Store, case_id: int) -> list[PanelRow]:
    def read(conn: Connection) -> list[PanelRow]:
        rows = conn.execute(select(REVIEW_PANEL).where(REVIEW_PANEL.c.case_id == case_id).order_by(REVIEW_PANEL.c.id))
        return [_panel(conn, r) for r in rows.all()]

    return store.read(read)


def cases_of_reviewer(store: Store, user_id: int) -> frozenset[int]:
    """The cases whose submission ``user_id`` may read as a reviewer: those on whose panel
    they sit AND have declared no conflict of interest (DESIGN.md: a reviewer declares
    before seeing the submission; a declared conflict removes them)."""
    def read(conn: Connection) -> frozenset[int]:
        q = (select(REVIEW_PANEL.c.case_id)
             .join(PANEL_MEMBER, PANEL_MEMBER.c.panel_id == REVIEW_PANEL.c.id)
             .where(PANEL_MEMBER.c.user_id == user_id, PANEL_MEMBER.c.conflict == "none"))
        return frozenset(int(r[0]) for r in conn.execute(q))

    return store.read(read)


def panels_of_member(store: Store, user_id: int) -> list[PanelRow]:
    """The panels ``user_id`` sits on (declared a conflict or not), newest first."""
    def read(conn: Connection) -> list[PanelRow]:
        q = (select(REVIEW_PANEL)
             .join(PANEL_MEMBER, PANEL_MEMBER.c.panel_id == REVIEW_PANEL.c.id)
             .where(PANEL_MEMBER.c.user_id == user_id)
             .order_by(REVIEW_PANEL.c.id.desc()))
        return [_panel(conn, r) for r in conn.execute(q).all()]

    return store.read(read)


@dataclass(frozen=True)
class NewMember:
    user_id: int
    role: str
    external: bool
    subject_matter: bool


def form_panel(
    store: Store, *, case_id: int, evaluation_id: int, version: int, policy_ref: str, policy_sha256: str,
    members: Sequence[NewMember], created_by: int, actor: str,
) -> int:
    def write(conn: Connection) -> int:
        at = now()
        pid = _pk(conn.execute(REVIEW_PANEL.insert().values(
            case_id=case_id, evaluation_id=evaluation_id, version=version, policy_ref=policy_ref,
            policy_sha256=policy_sha256, state="open", created_by=created_by, created_at=at,
        )))
        refs = [_ref(conn, REVIEW_PANEL, pid)]
        for m in members:
            mid = _pk(conn.execute(PANEL_MEMBER.insert().values(
                panel_id=pid, user_id=m.user_id, role=m.role, external=m.external,
                subject_matter=m.subject_matter, conflict="pending",
            )))
            refs.append(_ref(conn, PANEL_MEMBER, mid))
        audit.append(conn, actor=actor, action="panel.form", subject=f"panel:{pid}", payload={
            "case_id": case_id, "evaluation_id": evaluation_id, "policy": policy_ref,
            "policy_sha256": policy_sha256, "members": [m.user_id for m in members], "records": refs,
        })
        return pid

    return store.write(write)


def add_member(store: Store, panel_id: int, m: NewMember, *, actor: str) -> None:
    def write(conn: Connection) -> None:
        mid = _pk(conn.execute(PANEL_MEMBER.insert().values(
            panel_id=panel_id, user_id=m.user_id, role=m.role, external=m.external,
            subject_matter=m.subject_matter, conflict="pending",
        )))
        audit.append(conn, actor=actor, action="panel.add_member", subject=f"panel:{panel_id}", payload={
            "user_id": m.user_id, "role": m.role, "records": [_ref(conn, PANEL_MEMBER, mid)],
        })

    store.write(write)


def declare(store: Store, panel_id: int, user_id: int, *, conflict: str, note: str | None, actor: str) -> None:
    def write(conn: Connection) -> None:
        r = conn.execute(select(PANEL_MEMBER.c.id).where(
            PANEL_MEMBER.c.panel_id == panel_id, PANEL_MEMBER.c.user_id == user_id)).one()
        conn.execute(update(PANEL_MEMBER).where(PANEL_MEMBER.c.id == r.id).values(
            conflict=conflict, conflict_note=note, declared_at=now()))
        audit.append(conn, actor=actor, action="panel.declare", subject=f"panel:{panel_id}", payload={
            "user_id": user_id, "conflict": conflict, "records": [_ref(conn, PANEL_MEMBER, r.id)],
        })

    store.write(write)


def _judgments(conn: Connection, review_id: int) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(
        select(REVIEW_JUDGMENT).where(REVIEW_JUDGMENT.c.review_id == review_id).order_by(REVIEW_JUDGMENT.c.criterion_id)
    )]


def save_review(
    store: Store, panel_id: int, user_id: int, *, judgments: Sequence[JudgmentRow], comment: str | None,
    submit: bool, actor: str,
) -> int:
    """Write a reviewer's review (its judgments replace the earlier draft's)."""
    def write(conn: Connection) -> int:
        at = now()
        found = conn.execute(select(PANEL_REVIEW.c.id, PANEL_REVIEW.c.state).where(
            PANEL_REVIEW.c.panel_id == panel_id, PANEL_REVIEW.c.user_id == user_id)).first()
        if found is not None and found.state == "submitted":  # submitted from another window meanwhile
            raise WorkflowError("you have submitted your review already", hint="a submitted review is final")
        open_ = conn.execute(select(REVIEW_PANEL.c.state).where(REVIEW_PANEL.c.id == panel_id)).scalar_one()
        if open_ != "open":
            raise WorkflowError(f"panel {panel_id} has decided", hint="reviews are closed")
        values = {"state": "submitted" if submit else "draft", "comment": comment, "updated_at": at,
                  "submitted_at": at if submit else None}
        if found is None:
            rid = _pk(conn.execute(PANEL_REVIEW.insert().values(panel_id=panel_id, user_id=user_id, **values)))
        else:
            rid = int(found.id)
            conn.execute(update(PANEL_REVIEW).where(PANEL_REVIEW.c.id == rid).values(**values))
            conn.execute(REVIEW_JUDGMENT.delete().where(REVIEW_JUDGMENT.c.review_id == rid))
        if judgments:
            conn.execute(REVIEW_JUDGMENT.insert(), [
                {"review_id": rid, "criterion_id": j.criterion_id, "agrees": j.agrees, "state": j.state,
                 "reason": j.reason, "comment": j.comment} for j in judgments
            ])
        ref = _ref(conn, PANEL_REVIEW, rid, judgments=_judgments(conn, rid))
        audit.append(conn, actor=actor, action="panel.review", subject=f"panel:{panel_id}", payload={
            "user_id": user_id, "state": values["state"], "judgments": len(judgments), "records": [ref],
        })
        return rid

    return store.write(write)


def reviews(store: Store, panel_id: int) -> list[ReviewRow]:
    def read(conn: Connection) -> list[ReviewRow]:
        out = []
        for r in conn.execute(select(PANEL_REVIEW).where(PANEL_REVIEW.c.panel_id == panel_id)
                              .order_by(PANEL_REVIEW.c.id)).all():
            js = tuple(JudgmentRow(j["criterion_id"], bool(j["agrees"]), j["state"], j["reason"], j["comment"])
                       for j in _judgments(conn, r.id))
            out.append(ReviewRow(id=r.id, panel_id=r.panel_id, user_id=r.user_id, state=r.state, comment=r.comment,
                                 updated_at=_utc(r.updated_at) or now(), submitted_at=_utc(r.submitted_at),
                                 judgments=js))
        return out

    return store.read(read)


def resolve(store: Store, panel_id: int, criterion_id: str, *, state: str, reason: str, user_id: int,
            actor: str) -> None:
    def write(conn: Connection) -> None:
        found = conn.execute(select(PANEL_RESOLUTION.c.id).where(
            PANEL_RESOLUTION.c.panel_id == panel_id, PANEL_RESOLUTION.c.criterion_id == criterion_id)).first()
        values = {"state": state, "reason": reason, "user_id": user_id, "created_at": now()}
        if found is None:
            rid = _pk(conn.execute(PANEL_RESOLUTION.insert().values(
                panel_id=panel_id, criterion_id=criterion_id, **values)))
        else:
            rid = int(found.id)
            conn.execute(update(PANEL_RESOLUTION).where(PANEL_RESOLUTION.c.id == rid).values(**values))
        audit.append(conn, actor=actor, action="panel.resolve", subject=f"panel:{panel_id}", payload={
            "criterion_id": criterion_id, "state": state, "records": [_ref(conn, PANEL_RESOLUTION, rid)],
        })

    store.write(write)


def resolutions(store: Store, panel_id: int) -> list[ResolutionRow]:
    def read(conn: Connection) -> list[ResolutionRow]:
        return [ResolutionRow(r.criterion_id, r.state, r.reason, r.user_id, _utc(r.created_at) or now())
                for r in conn.execute(select(PANEL_RESOLUTION).where(PANEL_RESOLUTION.c.panel_id == panel_id)
                                      .order_by(PANEL_RESOLUTION.c.criterion_id))]

    return store.read(read)


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class NewCondition:
    label: str
    criteria: tuple[str, ...]
    text: str
    due: _dt.date


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _move(conn: Connection, case_id: int, m: cases.Move, *, actor_id: int | None, actor: str) -> None:
    try:
        cases.move_in(conn, case_id, m, actor_id=actor_id, actor=actor)
    except cases.StaleStateError as exc:
        raise WorkflowError(f"submission {case_id} is {exc.state.replace('_', ' ')}, not {m.from_state.replace('_', ' ')}",
                            hint="reload it: it changed meanwhile") from None


def record_decision(
    store: Store, values: Mapping[str, Any], conditions: Sequence[NewCondition], *, actor: str,
) -> int:
    """Record a decision and its conditions; its panel (if any) is closed with it."""
    def write(conn: Connection) -> int:
        row = dict(values)
        row["criteria_json"] = _canonical(row.pop("criteria"))
        row["panel_json"] = _canonical(row.pop("panel"))
        row["created_at"] = now()
        did = _pk(conn.execute(DECISION.insert().values(**row)))
        refs = [_ref(conn, DECISION, did)]
        for c in conditions:
            cid = _pk(conn.execute(DECISION_CONDITION.insert().values(
                decision_id=did, label=c.label, criteria=",".join(c.criteria), text=c.text, due=c.due, state="open",
            )))
            refs.append(_ref(conn, DECISION_CONDITION, cid))
        if row.get("panel_id") is not None:
            done = conn.execute(update(REVIEW_PANEL).where(
                REVIEW_PANEL.c.id == row["panel_id"], REVIEW_PANEL.c.state == "open").values(state="closed"))
            if done.rowcount != 1:  # another coordinator decided in the meantime
                raise WorkflowError(f"panel {row['panel_id']} has decided already", hint="see qa-engine due")
            refs.append(_ref(conn, REVIEW_PANEL, int(row["panel_id"])))
        audit.append(conn, actor=actor, action="decision.record", subject=f"decision:{did}", payload={
            "case_id": row["case_id"], "outcome": row["outcome"], "valid_from": row["valid_from"].isoformat(),
            "valid_until": row["valid_until"].isoformat(), "conditions": [c.label for c in conditions],
            "records": refs,
        })
        # the case moves in_review -> decided in the same transaction (its own event and entry)
        _move(conn, int(row["case_id"]), cases.Move("decide", "in_review", "decided",
                                                    payload={"decision_id": did, "outcome": row["outcome"]}),
              actor_id=row.get("decided_by"), actor=actor)
        return did

    return store.write(write)


def _condition(r: Any) -> ConditionRow:
    return ConditionRow(
        id=r.id, decision_id=r.decision_id, label=r.label, criteria=tuple(x for x in r.criteria.split(",") if x),
        text=r.text, due=r.due, state=r.state, closed_on=r.closed_on, closed_by=r.closed_by,
        met_in_amendment=r.met_in_amendment,
    )


def _amendment(r: Any) -> AmendmentRow:
    return AmendmentRow(
        id=r.id, decision_id=r.decision_id, evaluation_id=r.evaluation_id, dossier_sha256=r.dossier_sha256,
        checks=json.loads(r.checks_json), re_review=tuple(x for x in (r.re_review or "").split(",") if x),
        created_by=r.created_by, created_at=_utc(r.created_at) or now(),
    )


def _decision(conn: Connection, r: Any) -> DecisionRow:
    conds = tuple(_condition(c) for c in conn.execute(
        select(DECISION_CONDITION).where(DECISION_CONDITION.c.decision_id == r.id).order_by(DECISION_CONDITION.c.id)))
    amends = tuple(_amendment(a) for a in conn.execute(
        select(DECISION_AMENDMENT).where(DECISION_AMENDMENT.c.decision_id == r.id).order_by(DECISION_AMENDMENT.c.id)))
    return DecisionRow(
        id=r.id, case_id=r.case_id, panel_id=r.panel_id, evaluation_id=r.evaluation_id, version=r.version,
        dossier_sha256=r.dossier_sha256, ruleset_sha256=r.ruleset_sha256, rubric_sha256=r.rubric_sha256,
        report_sha256=r.report_sha256, policy_sha256=r.policy_sha256, outcome=r.outcome,
        decided_outcome=r.decided_outcome, rationale=r.rationale, score_exact=r.score_exact, score=float(r.score),
        criteria=json.loads(r.criteria_json), panel=json.loads(r.panel_json), valid_from=r.valid_from,
        valid_until=r.valid_until, decided_on=r.decided_on, decided_by=r.decided_by,
        created_at=_utc(r.created_at) or now(), conditions=conds, amendments=amends,
    )


def get_decision(store: Store, decision_id: int) -> DecisionRow | None:
    def read(conn: Connection) -> DecisionRow | None:
        r = conn.execute(select(DECISION).where(DECISION.c.id == decision_id)).first()
        return _decision(conn, r) if r is not None else None

    return store.read(read)


def decisions(store: Store, *, case_id: int | None = None) -> list[DecisionRow]:
    def read(conn: Connection) -> list[DecisionRow]:
        q = select(DECISION).order_by(DECISION.c.id)
        if case_id is not None:
            q = q.where(DECISION.c.case_id == case_id)
        return [_decision(conn, r) for r in conn.execute(q).all()]

    return store.read(read)


def record_amendment(
    store: Store, decision_id: int, *, evaluation_id: int, dossier_sha256: str, checks: list[dict[str, Any]],
    re_review: Sequence[str], created_by: int, actor: str, version: cases.NewVersion | None = None,
    dossier_id: str | None = None, title: str | None = None,
) -> int:
    """Record an amended dossier's answer to a decision's conditions. With ``version``
    the amended dossier also becomes the case's next version (kind ``amendment``), and
    when the policy's ``re_review`` fields changed, the case goes back into review as
    the life cycle says (decided -request_amendment-> amendment -resubmit-> in_review,
    the amended version submitted), all in one transaction."""
    def write(conn: Connection) -> int:
        case_id = int(conn.execute(select(DECISION.c.case_id).where(DECISION.c.id == decision_id)).scalar_one())
        number = None
        if version is not None:
            number = cases.add_version_in(conn, case_id, version, dossier_id=dossier_id or "", title=title or "",
                                          actor_id=created_by, actor=actor)
        aid = _pk(conn.execute(DECISION_AMENDMENT.insert().values(
            decision_id=decision_id, evaluation_id=evaluation_id, dossier_sha256=dossier_sha256,
            checks_json=_canonical(checks), re_review=",".join(re_review) or None, created_by=created_by,
            created_at=now(),
        )))
        audit.append(conn, actor=actor, action="decision.amend", subject=f"decision:{decision_id}", payload={
            "evaluation_id": evaluation_id, "dossier_sha256": dossier_sha256,
            "met": [c["condition"] for c in checks if c["met"]], "re_review": list(re_review),
            "version": number, "records": [_ref(conn, DECISION_AMENDMENT, aid)],
        })
        state = conn.execute(select(SUBMISSION_CASE.c.state).where(SUBMISSION_CASE.c.id == case_id)).scalar_one()
        if re_review and number is not None and state == "decided":
            why = f"the amendment changed {', '.join(re_review)}, which the review policy says forces a new review"
            _move(conn, case_id, cases.Move("request_amendment", "decided", "amendment", why,
                                            payload={"decision_id": decision_id, "amendment_id": aid}),
                  actor_id=created_by, actor=actor)
            _move(conn, case_id, cases.Move("resubmit", "amendment", "in_review", why,
                                            changes={"submitted_version": number},
                                            payload={"version": number, "dossier_sha256": dossier_sha256,
                                                     "evaluation_id": evaluation_id}),
                  actor_id=created_by, actor=actor)
        return aid

    return store.write(write)


def version_of_evaluation(store: Store, case_id: int, evaluation_id: int) -> int | None:
    """The number of the case's version holding ``evaluation_id`` (an amendment's)."""
    r = store.read(lambda c: c.execute(select(SUBMISSION_VERSION.c.number).where(
        SUBMISSION_VERSION.c.case_id == case_id, SUBMISSION_VERSION.c.evaluation_id == evaluation_id)
        .order_by(SUBMISSION_VERSION.c.number.desc())).first())
    return int(r[0]) if r is not None else None


def lapsed_cases(store: Store, today: _dt.date) -> list[tuple[int, str, int, _dt.date]]:
    """(case id, state, decision id, valid until) of decided or published cases whose
    latest decision's validity ended before ``today``."""
    def read(conn: Connection) -> list[tuple[int, str, int, _dt.date]]:
        out = []
        for case_id, state in conn.execute(select(SUBMISSION_CASE.c.id, SUBMISSION_CASE.c.state).where(
                SUBMISSION_CASE.c.state.in_(["decided", "published"])).order_by(SUBMISSION_CASE.c.id)):
            d = conn.execute(select(DECISION.c.id, DECISION.c.valid_until).where(DECISION.c.case_id == case_id)
                             .order_by(DECISION.c.id.desc())).first()
            if d is not None and d.valid_until < today:
                out.append((int(case_id), str(state), int(d.id), d.valid_until))
        return out

    return store.read(read)


def expire_case(store: Store, case_id: int, *, state: str, decision_id: int, valid_until: _dt.date,
                actor_id: int | None, actor: str) -> None:
    """Move a case whose decision's validity ended to ``expired``."""
    store.write(lambda conn: _move(conn, case_id, cases.Move(
        "expire", state, "expired", f"the decision's validity ended on {valid_until.isoformat()}",
        payload={"decision_id": decision_id, "valid_until": valid_until.isoformat()}),
        actor_id=actor_id, actor=actor))


def close_condition(
    store: Store, condition_id: int, *, on: _dt.date, by: int, amendment_id: int | None, actor: str,
) -> None:
    """Mark a condition met; when it was the last open one, "accredited with
    conditions" becomes "accredited" in the same transaction."""
    def write(conn: Connection) -> None:
        c = conn.execute(select(DECISION_CONDITION).where(DECISION_CONDITION.c.id == condition_id)).one()
        done = conn.execute(update(DECISION_CONDITION).where(
            DECISION_CONDITION.c.id == condition_id, DECISION_CONDITION.c.state == "open").values(
            state="met", closed_on=on, closed_by=by, met_in_amendment=amendment_id))
        if done.rowcount != 1:
            raise WorkflowError(f"condition {c.label} is closed already")
        refs = [_ref(conn, DECISION_CONDITION, condition_id)]
        still_open = conn.execute(select(DECISION_CONDITION.c.id).where(
            DECISION_CONDITION.c.decision_id == c.decision_id, DECISION_CONDITION.c.state == "open")).first()
        outcome = conn.execute(select(DECISION.c.outcome).where(DECISION.c.id == c.decision_id)).scalar_one()
        new_outcome = "accredited" if still_open is None and outcome == "accredited_with_conditions" else None
        if new_outcome is not None:
            conn.execute(update(DECISION).where(DECISION.c.id == c.decision_id).values(outcome=new_outcome))
            refs.append(_ref(conn, DECISION, int(c.decision_id)))
        audit.append(conn, actor=actor, action="decision.condition", subject=f"decision:{c.decision_id}", payload={
            "condition": c.label, "state": "met", "amendment_id": amendment_id, "outcome": new_outcome,
            "records": refs,
        })

    store.write(write)


__all__ = [
    "AmendmentRow", "ConditionRow", "Person", "body_name", "case_frozen", "case_organisation", "case_title", "provider_emails", "case_provider", "case_state",
    "dossier_json_of", "expire_case", "lapsed_cases", "people", "version_of_evaluation", "person_by_email", "DecisionRow", "JudgmentRow", "MemberRow", "NewCondition", "NewMember",
    "PanelRow", "ResolutionRow", "ReviewRow", "cases_of_reviewer", "close_condition", "declare", "decisions",
    "form_panel", "get_decision", "get_panel", "panels_of_case", "record_amendment", "record_decision",
    "resolutions", "resolve", "reviews", "save_review",
]
