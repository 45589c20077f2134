"""The store: ruleset/rubric versions, submissions, evaluations, findings, rejections,
reviewer actions and the audit log, in SQLite or PostgreSQL.

Every write is one transaction that also appends its audit entry; writers are
serialised (see :mod:`qa_engine.store.backend`). Evaluations are idempotent on
(dossier sha256, ruleset sha256, rubric sha256) and rejections on the input's sha256,
both backed by UNIQUE constraints, so a batch can be stopped, resumed or run twice —
even by two processes at once — without duplicates.

Open one :class:`Store` per process (``open_store`` in each worker); a Store must not
cross a ``fork``.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from qa_engine.formats.report import Report
from qa_engine.rules.registry import LoadedRubric, LoadedRuleset
from qa_engine.store import audit, codec, content, trail
from qa_engine.store.audit import AuditResult
from qa_engine.store.backend import (
    Database,
    default_timeout,
    is_read_only,
    probe_sqlite,
    resolve_url,
)
from qa_engine.store.errors import NotInStoreError, StoreError, TrailError
from qa_engine.store.models import (
    APPLICATION,
    EVALUATION,
    FINDING,
    REJECTION,
    REVIEW_ACTION,
    RUBRIC_VERSION,
    RULESET_VERSION,
    SUBMISSION,
)
from qa_engine.store.schema import ensure_schema
from qa_engine.store.values import as_utc as _utc
from qa_engine.store.values import inserted_id as _pk
from qa_engine.store.values import now as _now

#: States a reviewer may override a criterion to.
OVERRIDE_STATES: tuple[str, ...] = ("exemplary", "met", "partially_met", "not_met", "not_applicable")
KINDS = ("override", "waiver")
T = TypeVar("T")


_FINDING_COLUMNS = (
    "evaluation_id", "criterion_id", "criterion_sha256", "state", "points", "max_points", "essential_failed",
)
_FINDING_INSERT = {
    style: f"INSERT INTO finding ({', '.join(_FINDING_COLUMNS)}) VALUES ({', '.join([mark] * len(_FINDING_COLUMNS))})"
    for style, mark in (("qmark", "?"), ("format", "%s"), ("pyformat", "%s"))
}


def _insert_findings(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """A hundred rows per evaluation: straight to the driver's executemany where the
    placeholder style is known (the Core path costs more per row than the database)."""
    sql = _FINDING_INSERT.get(conn.dialect.paramstyle)
    if sql is None:  # pragma: no cover - SQLite and psycopg use the styles above
        conn.execute(FINDING.insert(), [dict(zip(_FINDING_COLUMNS, r, strict=True)) for r in rows])
    else:
        conn.exec_driver_sql(sql, rows)


def _slices(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True)
class EvaluationRow:
    """One evaluation reduced to what the store records.

    Built where the report is made (a batch worker), so that the single writing process
    neither validates nor serialises the report again.
    """

    dossier_id: str
    dossier_sha256: str
    dossier_json: str
    source_file: str | None
    ruleset: str  # id@version
    ruleset_sha256: str
    rubric: str  # id@version
    rubric_sha256: str
    engine: str
    engine_version: str
    as_of: _dt.date
    decision: str
    passed: bool
    score_exact: str
    score: float
    #: The report JSON text; empty when :attr:`report_blob` carries it (a worker sends
    #: the parent ~9 KB instead of ~135 KB).
    report_json: str
    #: (criterion id, criterion sha256, state, points, max points, essential failed)
    findings: tuple[tuple[str, str, str, float, float, bool], ...]
    report_sha256: str = ""
    #: ``report_json`` in its stored form (:mod:`qa_engine.store.codec`), compressed
    #: where the row is built (a batch worker); empty: the writer compresses it.
    report_blob: bytes = b""
    #: ``dossier_json`` in its stored form (:func:`codec.pack_document`); empty: the
    #: writer compresses it.
    dossier_blob: bytes = b""
    #: The logical hashes the audit trail binds (canonical JSON of the parsed
    #: documents), computed where the row is built, not in the single writer.
    report_content_sha256: str = ""
    dossier_content_sha256: str = ""
    #: The trail's digest of the findings (sorted, normalised): ~37 rows of
    #: canonical JSON per quality-review evaluation, made in the worker.
    findings_sha256: str = ""

    def __post_init__(self) -> None:
        if not self.report_sha256:  # hashed where the row is built, not in the writer
            object.__setattr__(self, "report_sha256", hashlib.sha256(self.report_json.encode("utf-8")).hexdigest())
        if not self.report_content_sha256:
            object.__setattr__(self, "report_content_sha256", trail.json_document_sha256(self.report_json))
        if not self.dossier_content_sha256:
            object.__setattr__(self, "dossier_content_sha256", trail.json_document_sha256(self.dossier_json))
        if not self.findings_sha256:
            object.__setattr__(self, "findings_sha256", trail.children_given(self.findings))

    @classmethod
    def from_report(
        cls, report: Report, dossier_json: str, report_json: str | None = None,
        *, dossier_content_sha256: str = "", report_codec: codec.ReportCodec | None = None,
    ) -> EvaluationRow:
        """``dossier_content_sha256``: the hash of ``dossier_json``'s canonical form, when
        the caller knows it (``dossier_json`` is canonical and its hash known).
        ``report_codec``: the codec of the report's ruleset and rubric
        (:func:`report_codec`), to compress the report here rather than in the writer."""
        d, rs, rb = report.dossier, report.ruleset, report.rubric
        text = report.model_dump_json() if report_json is None else report_json
        blob = report_codec.encode(text) if report_codec is not None else b""
        return cls(
            dossier_id=d.id, dossier_sha256=d.sha256, dossier_json=dossier_json, source_file=d.file,
            ruleset=f"{rs.id}@{rs.version}", ruleset_sha256=rs.sha256,
            rubric=f"{rb.id}@{rb.version}", rubric_sha256=rb.sha256,
            engine=report.engine, engine_version=report.engine_version, as_of=report.as_of,
            decision=report.decision, passed=report.passed, score_exact=report.score_exact,
            score=report.score,
            report_json="" if blob else text,
            report_blob=blob,
            dossier_blob=codec.pack_document(dossier_json) if report_codec is not None else b"",
            report_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            findings=tuple(
                (c.id, c.sha256, c.state, c.points, c.max_points, c.essential_failed) for c in report.criteria
            ),
            dossier_content_sha256=dossier_content_sha256,
            # from the model, not by parsing the text again: the same JSON value
            report_content_sha256=_report_value_sha256(report) or trail.json_document_sha256(text),
        )


def report_codec(ruleset: LoadedRuleset, rubric: LoadedRubric) -> codec.ReportCodec:
    """The codec the store keeps reports of this ruleset and rubric with (built once per
    process from the same content the store holds for them)."""
    found = codec.cached(ruleset.sha256, rubric.sha256)
    if found is not None:
        return found
    return codec.codec_for(
        ruleset.sha256, rubric.sha256,
        json.loads(content.content_json(content.ruleset_content(ruleset))),
        json.loads(content.content_json(content.rubric_content(rubric))),
    )


def _report_value_sha256(report: Report) -> str:
    try:
        return trail.document_sha256(report.model_dump(mode="json"))
    except ValueError:  # not finite numbers: hash the text as stored instead
        return ""




def default_actor() -> str:
    """Who the audit log names for evaluations and rejections: ``$QA_ENGINE_ACTOR`` or the OS user."""
    env = os.environ.get("QA_ENGINE_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "unknown"


#: The longest reviewer name (and audit actor) every backend stores alike.
MAX_NAME = 200
#: The largest id a store row can have (a 64-bit signed integer on both backends).
MAX_ID = 2**63 - 1


def check_reviewer(name: str) -> None:
    """A reviewer's name: at most :data:`MAX_NAME` characters, no control characters
    (it is shown on one line everywhere). Checked before any backend sees it, so
    SQLite and PostgreSQL refuse the same names with the same sentence."""
    from qa_engine.textsafe import has_unsafe, safe_line

    if len(name) > MAX_NAME:
        raise StoreError(
            f"the reviewer name is {len(name)} characters long; at most {MAX_NAME} are allowed",
            hint="shorten --reviewer (a name, not a description)",
        )
    if has_unsafe(name):
        raise StoreError(
            f"the reviewer name {safe_line(name)!r} holds control characters",
            hint="write the name as plain text (--reviewer)",
        )


def check_expiry(expires: _dt.date | None, *, today: _dt.date | None = None) -> None:
    """An expiry date must lie after today: an action that lapsed before it was made
    would be recorded for nothing (and back-dating is not what --expires is for)."""
    day = today or _dt.date.today()
    if expires is not None and expires <= day:
        raise StoreError(
            f"--expires {expires.isoformat()} is not after today ({day.isoformat()})",
            hint="give a date in the future, or leave out --expires for an action without end",
        )


@dataclass(frozen=True)
class OverrideView:
    """A reviewer's override or waiver as it bears on one evaluation.

    ``status`` is ``active``, ``expired``, ``criterion changed`` (its criterion sha256
    differs from the evaluation's), or ``superseded`` (a later action on the same
    criterion decides). ``state`` is the target state of an override, None for a waiver.
    """

    id: int
    evaluation_id: int
    dossier_id: str
    criterion_id: str
    criterion_sha256: str
    kind: str
    state: str | None
    state_before: str
    reason: str
    reviewer: str
    created_at: _dt.datetime
    expires: _dt.date | None
    status: str = "active"

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def effective_state(self) -> str:
        """The state scoring counts: the override's target, or ``waived``."""
        return self.state if self.kind == "override" and self.state else "waived"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat()
        d["expires"] = self.expires.isoformat() if self.expires else None
        return d


@dataclass(frozen=True)
class HistoryEntry:
    """One evaluation, rejection or reviewer action of a dossier (``kind`` says which)."""

    at: _dt.datetime
    kind: str  # evaluation | rejection | override | waiver
    id: int
    summary: str
    evaluation_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: How the record stands against the audit trail: ok, legacy (written before
    #: record binding: not content-checked), changed, unvouched or missing.
    trail: str = "ok"
    #: Why it does not match (empty when ``trail`` is ok or legacy).
    trail_problem: str = ""

    @property
    def trusted(self) -> bool:
        return self.trail in ("ok", "legacy")

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "id": self.id,
            "evaluation_id": self.evaluation_id,
            "summary": self.summary,
            "details": self.details,
            "trail": self.trail,
            "trail_problem": self.trail_problem or None,
        }


_KIND_ORDER = {"evaluation": 0, "rejection": 1, "override": 2, "waiver": 2, "missing": 3}


class Store:
    """A qa-engine store. Create it with :func:`open_store`."""

    def __init__(self, db: Database, *, actor: str) -> None:
        self._db = db
        self.url: str = db.url
        #: The store as shown to people (file path, or URL without password).
        self.display: str = db.display
        self.actor = actor
        self._known: set[tuple[str, str]] = set()

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self._db.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display!r})"

    @property
    def dialect(self) -> str:
        return self._db.dialect

    def write(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one write-locked transaction (for the store's own modules:
        accounts, cases; each appends its audit entry inside ``fn``)."""
        return self._db.write(fn)

    def read(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one read transaction."""
        return self._db.read(fn)

    # ----------------------------------------------------------------- content

    def ensure_content(self, ruleset: LoadedRuleset, rubric: LoadedRubric) -> None:
        """Store this ruleset version and rubric version unless already there (idempotent)."""
        keys = {("ruleset", ruleset.sha256), ("rubric", rubric.sha256)}
        if keys <= self._known:
            return

        def missing(conn: Connection) -> bool:
            rs = conn.execute(select(RULESET_VERSION.c.id).where(RULESET_VERSION.c.sha256 == ruleset.sha256)).first()
            rb = conn.execute(select(RUBRIC_VERSION.c.id).where(RUBRIC_VERSION.c.sha256 == rubric.sha256)).first()
            return rs is None or rb is None

        if self._db.read(missing):
            self._db.write(lambda conn: self._ensure_content(conn, ruleset, rubric))
        self._known |= keys

    def _ensure_content(self, conn: Connection, rs: LoadedRuleset, rb: LoadedRubric) -> None:
        now = _now()
        if conn.execute(select(RULESET_VERSION.c.id).where(RULESET_VERSION.c.sha256 == rs.sha256)).first() is None:
            values = {
                "ruleset_id": rs.id, "version": rs.version, "sha256": rs.sha256, "title": rs.title,
                "source": rs.source, "content": content.content_json(content.ruleset_content(rs)),
                "created_at": now,
            }
            rid = _pk(conn.execute(RULESET_VERSION.insert().values(**values)))
            audit.append(
                conn, actor=self.actor, action="ruleset.store", subject=f"ruleset:{rs.ref}",
                payload={"ruleset_version_id": rid, "sha256": rs.sha256, "source": rs.source,
                         "criteria": {c.id: c.sha256 for c in rs.criteria},
                         "records": [trail.ref("ruleset_version", rid, values)]},
            )
        if conn.execute(select(RUBRIC_VERSION.c.id).where(RUBRIC_VERSION.c.sha256 == rb.sha256)).first() is None:
            values = {
                "rubric_id": rb.id, "version": rb.version, "sha256": rb.sha256, "title": rb.spec.title,
                "source": rb.source, "content": content.content_json(content.rubric_content(rb)),
                "created_at": now,
            }
            bid = _pk(conn.execute(RUBRIC_VERSION.insert().values(**values)))
            audit.append(
                conn, actor=self.actor, action="rubric.store", subject=f"rubric:{rb.ref}",
                payload={"rubric_version_id": bid, "sha256": rb.sha256, "source": rb.source,
                         "records": [trail.ref("rubric_version", bid, values)]},
            )

    def load_content(self, ruleset_sha256: str, rubric_sha256: str) -> tuple[LoadedRuleset, LoadedRubric]:
        """The stored ruleset and rubric versions (checked against their sha256), for scoring."""

        def read(conn: Connection) -> tuple[Any, Any]:
            rs = conn.execute(
                select(RULESET_VERSION.c.content, RULESET_VERSION.c.source).where(RULESET_VERSION.c.sha256 == ruleset_sha256)
            ).first()
            rb = conn.execute(
                select(RUBRIC_VERSION.c.content, RUBRIC_VERSION.c.source).where(RUBRIC_VERSION.c.sha256 == rubric_sha256)
            ).first()
            return rs, rb

        rs, rb = self._db.read(read)
        if rs is None:
            raise NotInStoreError(f"{self.display} has no ruleset version with sha256 {ruleset_sha256[:12]}")
        if rb is None:
            raise NotInStoreError(f"{self.display} has no rubric version with sha256 {rubric_sha256[:12]}")
        return (
            content.ruleset_from_content(rs.content, ruleset_sha256, source=rs.source, display=self.display),
            content.rubric_from_content(rb.content, rubric_sha256, source=rb.source, display=self.display),
        )

    # ----------------------------------------------------------------- evaluations

    def find_evaluation(self, dossier_sha256: str, ruleset_sha256: str, rubric_sha256: str) -> int | None:
        """The id of the evaluation of this dossier under this ruleset and rubric, if stored."""
        return self._db.read(lambda conn: self._find(conn, dossier_sha256, ruleset_sha256, rubric_sha256))

    @staticmethod
    def _find(conn: Connection, d: str, rs: str, rb: str) -> int | None:
        row = conn.execute(
            select(EVALUATION.c.id).where(
                EVALUATION.c.dossier_sha256 == d,
                EVALUATION.c.ruleset_sha256 == rs,
                EVALUATION.c.rubric_sha256 == rb,
            )
        ).first()
        return int(row.id) if row is not None else None

    def record_evaluation(
        self, report: Report, dossier_json: str, *, batch_id: str | None = None
    ) -> tuple[int, bool]:
        """Store an evaluation in one transaction: the submission (reused when the dossier
        sha256 is known), the evaluation, one finding per criterion and the audit entry.

        ``dossier_json`` is the dossier as JSON (e.g. ``dossier.model_dump_json(exclude_none=True)``).
        Idempotent on (dossier, ruleset, rubric) sha256: returns ``(id, False)`` when that
        evaluation is already stored, also when another process stored it concurrently.
        The report's ruleset and rubric must have been stored with :meth:`ensure_content`.
        """
        return self.record_evaluations([(report, dossier_json)], batch_id=batch_id)[0]

    def record_evaluations(
        self, items: Sequence[tuple[Report, str]], *, batch_id: str | None = None
    ) -> list[tuple[int, bool]]:
        """:meth:`record_evaluation` for many reports in ONE transaction (one commit, one
        fsync: much faster for batches). All or nothing; same idempotency per report."""
        rows = []
        for report, dossier_json in items:
            try:
                json.loads(dossier_json)
            except ValueError as exc:
                raise StoreError(f"the dossier JSON of {report.dossier.id} does not parse ({exc})") from None
            rows.append(EvaluationRow.from_report(report, dossier_json))
        return self.record_rows(rows, batch_id=batch_id)

    def record_rows(
        self, rows: Sequence[EvaluationRow], *, batch_id: str | None = None
    ) -> list[tuple[int, bool]]:
        """Store many evaluations, already reduced to rows, in ONE transaction.

        The batch path: workers build the rows, so the writing process neither validates
        nor serialises reports again; lookups and inserts are made per group, not per
        dossier or criterion. Returns ``(evaluation id, created)`` per row, in order.
        """
        if not rows:
            return []
        try:
            return self._db.write(lambda conn: self._record_rows(conn, rows, batch_id))
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError) or len(rows) == 1 and self._raced(rows[0]) is None:
                raise
            # a writer outside our lock protocol got there first: the UNIQUE constraints
            # decide, one row at a time
            out = []
            for row in rows:
                found = self._raced(row)
                out.append((found, False) if found is not None else self.record_rows([row], batch_id=batch_id)[0])
            return out

    def _raced(self, row: EvaluationRow) -> int | None:
        return self.find_evaluation(row.dossier_sha256, row.ruleset_sha256, row.rubric_sha256)

    def _version_ids(self, conn: Connection, rows: Sequence[EvaluationRow]) -> tuple[dict[str, int], dict[str, int]]:
        rs_shas = sorted({r.ruleset_sha256 for r in rows})
        rb_shas = sorted({r.rubric_sha256 for r in rows})
        rs_ids = {
            x.sha256: int(x.id)
            for x in conn.execute(
                select(RULESET_VERSION.c.id, RULESET_VERSION.c.sha256).where(RULESET_VERSION.c.sha256.in_(rs_shas))
            )
        }
        rb_ids = {
            x.sha256: int(x.id)
            for x in conn.execute(
                select(RUBRIC_VERSION.c.id, RUBRIC_VERSION.c.sha256).where(RUBRIC_VERSION.c.sha256.in_(rb_shas))
            )
        }
        for r in rows:
            if r.ruleset_sha256 not in rs_ids or r.rubric_sha256 not in rb_ids:
                what = f"ruleset {r.ruleset}" if r.ruleset_sha256 not in rs_ids else f"rubric {r.rubric}"
                raise NotInStoreError(
                    f"{self.display} does not hold {what} yet",
                    hint="call Store.ensure_content(ruleset, rubric) before recording evaluations",
                )
        return rs_ids, rb_ids

    def _record_rows(
        self, conn: Connection, rows: Sequence[EvaluationRow], batch_id: str | None
    ) -> list[tuple[int, bool]]:
        rs_ids, rb_ids = self._version_ids(conn, rows)
        shas = sorted({r.dossier_sha256 for r in rows})
        done: dict[tuple[str, str, str], int] = {}
        subs: dict[str, int] = {}
        for part in _slices(shas, 500):
            for x in conn.execute(
                select(EVALUATION.c.id, EVALUATION.c.dossier_sha256, EVALUATION.c.ruleset_sha256,
                       EVALUATION.c.rubric_sha256).where(EVALUATION.c.dossier_sha256.in_(part))
            ):
                done[(x.dossier_sha256, x.ruleset_sha256, x.rubric_sha256)] = int(x.id)
            for s in conn.execute(
                select(SUBMISSION.c.id, SUBMISSION.c.dossier_sha256).where(SUBMISSION.c.dossier_sha256.in_(part))
            ):
                subs[s.dossier_sha256] = int(s.id)
        now = _now()
        out: list[tuple[int, bool]] = []
        findings: list[tuple[Any, ...]] = []
        entries: list[tuple[str, str, dict[str, Any]]] = []
        for r in rows:
            key = (r.dossier_sha256, r.ruleset_sha256, r.rubric_sha256)
            if key in done:
                out.append((done[key], False))
                continue
            sub_id = subs.get(r.dossier_sha256)
            refs: list[dict[str, Any]] = []
            if sub_id is None:
                # parameters rather than .values(): the statement compiles once, not per row
                sub_values = {
                    "dossier_id": r.dossier_id, "dossier_sha256": r.dossier_sha256,
                    "dossier_json": r.dossier_blob or codec.pack_document(r.dossier_json),
                    "source_file": r.source_file, "created_at": now,
                }
                sub_id = subs[r.dossier_sha256] = _pk(conn.execute(SUBMISSION.insert(), sub_values))
                refs.append(trail.ref(
                    "submission", sub_id, sub_values, given={"dossier_json": r.dossier_content_sha256}
                ))
            values = {
                "submission_id": sub_id, "dossier_id": r.dossier_id, "dossier_sha256": r.dossier_sha256,
                "ruleset_version_id": rs_ids[r.ruleset_sha256], "ruleset_sha256": r.ruleset_sha256,
                "rubric_version_id": rb_ids[r.rubric_sha256], "rubric_sha256": r.rubric_sha256,
                "engine": r.engine, "engine_version": r.engine_version, "as_of": r.as_of,
                "decision": r.decision, "passed": r.passed, "score_exact": r.score_exact,
                "score": r.score, "batch_id": batch_id, "created_at": now,
                "report_json": r.report_blob or self._codec(conn, r).encode(r.report_json),
            }
            eid = done[key] = _pk(conn.execute(EVALUATION.insert(), values))
            refs.insert(0, trail.ref(
                "evaluation", eid, values,
                given={"report_json": r.report_content_sha256, "findings": r.findings_sha256},
            ))
            findings.extend(
                (eid, cid, csha, state, float(points), float(max_points), bool(failed))
                for cid, csha, state, points, max_points, failed in r.findings
            )
            entries.append((
                "evaluation.record", f"evaluation:{eid}",
                {
                    "dossier_id": r.dossier_id, "dossier_sha256": r.dossier_sha256, "submission_id": sub_id,
                    "ruleset": r.ruleset, "ruleset_sha256": r.ruleset_sha256,
                    "rubric": r.rubric, "rubric_sha256": r.rubric_sha256,
                    "engine": r.engine, "as_of": r.as_of.isoformat(),
                    "decision": r.decision, "passed": r.passed, "score_exact": r.score_exact,
                    "report_sha256": r.report_sha256,
                    "batch_id": batch_id,
                    "records": refs,
                },
            ))
            out.append((eid, True))
        if findings:
            _insert_findings(conn, findings)
        audit.append_many(conn, actor=self.actor, entries=entries)
        return out

    @staticmethod
    def _codec(conn: Connection, row: EvaluationRow) -> codec.ReportCodec:
        """The codec of a row that comes without its compressed report (not from a batch)."""
        found = codec.cached(row.ruleset_sha256, row.rubric_sha256)
        if found is not None:
            return found
        return codec.codec_for(
            row.ruleset_sha256, row.rubric_sha256,
            codec.stored_content(conn, RULESET_VERSION, row.ruleset_sha256, "ruleset"),
            codec.stored_content(conn, RUBRIC_VERSION, row.rubric_sha256, "rubric"),
        )

    def evaluated_dossiers(self, ruleset_sha256: str, rubric_sha256: str) -> dict[str, int]:
        """Dossier sha256 -> evaluation id of every dossier evaluated under this ruleset
        and rubric (one query: a resumed batch asks this once, not once per dossier)."""

        def read(conn: Connection) -> dict[str, int]:
            return {
                str(x[0]): int(x[1])
                for x in conn.execute(
                    select(EVALUATION.c.dossier_sha256, EVALUATION.c.id).where(
                        EVALUATION.c.ruleset_sha256 == ruleset_sha256,
                        EVALUATION.c.rubric_sha256 == rubric_sha256,
                    )
                )
            }

        return self._db.read(read)

    def report_text(self, evaluation_id: int) -> str:
        """The report JSON of the evaluation exactly as the batch wrote it (its logical
        text, whatever encoding the row keeps it in): every reader of reports goes
        through here."""
        evaluation_id = self._check_id(evaluation_id)

        def read(conn: Connection) -> str | None:
            row = conn.execute(
                select(EVALUATION.c.report_json).where(EVALUATION.c.id == evaluation_id)
            ).first()
            if row is None:
                return None
            try:
                return codec.stored_report_text(conn, row.report_json)
            except codec.CodecError as exc:
                raise StoreError(
                    f"{self.display}: the report of evaluation {evaluation_id} cannot be read: {exc}",
                    hint="run `qa-engine audit verify` and restore the store from a backup",
                ) from None

        text = self._db.read(read)
        if text is None:
            raise self._no_evaluation(evaluation_id)
        return text

    def get_report(self, evaluation_id: int) -> Report:
        """The report as stored with the evaluation (no reviewer actions applied)."""
        return Report.model_validate_json(self.report_text(evaluation_id))

    def _check_id(self, evaluation_id: int) -> int:
        """An evaluation id no row can have (negative, or beyond 64 bits: SQLite cannot
        even be asked) is simply not in the store."""
        if not isinstance(evaluation_id, int) or not 1 <= evaluation_id <= MAX_ID:
            raise self._no_evaluation(evaluation_id)
        return evaluation_id

    def _no_evaluation(self, evaluation_id: int) -> NotInStoreError:
        return NotInStoreError(
            f"evaluation {evaluation_id} is not in {self.display}",
            hint="find evaluation ids with `qa-engine history DOSSIER_ID`",
        )

    def evaluation_info(self, evaluation_id: int) -> dict[str, Any]:
        """The evaluation's row (without the report JSON), as a dict."""
        evaluation_id = self._check_id(evaluation_id)
        cols = [c for c in EVALUATION.c if c.name != "report_json"]
        row = self._db.read(lambda conn: conn.execute(select(*cols).where(EVALUATION.c.id == evaluation_id)).first())
        if row is None:
            raise self._no_evaluation(evaluation_id)
        info = dict(row._mapping)
        info["created_at"] = _utc(info["created_at"])
        return info

    # ----------------------------------------------------------------- rejections

    def record_rejection(
        self,
        file: str,
        input_sha256: str,
        error: str,
        *,
        batch_id: str | None = None,
        dossier_id: str | None = None,
    ) -> tuple[int, bool]:
        """Record an input that could not be evaluated (with the one-line error).

        Idempotent on ``input_sha256`` (the bytes of the input): the same bytes are
        recorded once, with the first file name and error; ``(id, False)`` afterwards.
        ``dossier_id``, when the input's id could be read, lists it in :meth:`history`.
        """

        def find(conn: Connection) -> int | None:
            row = conn.execute(select(REJECTION.c.id).where(REJECTION.c.input_sha256 == input_sha256)).first()
            return int(row.id) if row is not None else None

        def write(conn: Connection) -> tuple[int, bool]:
            existing = find(conn)
            if existing is not None:
                return existing, False
            values = {
                "input_file": file, "input_sha256": input_sha256, "dossier_id": dossier_id,
                "error": error, "batch_id": batch_id, "created_at": _now(),
            }
            rid = _pk(conn.execute(REJECTION.insert().values(**values)))
            audit.append(
                conn, actor=self.actor, action="rejection.record", subject=f"rejection:{rid}",
                payload={"file": file, "input_sha256": input_sha256, "dossier_id": dossier_id,
                         "error": error, "batch_id": batch_id,
                         "records": [trail.ref("rejection", rid, values)]},
            )
            return rid, True

        try:
            return self._db.write(write)
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            found = self._db.read(find)
            if found is None:
                raise
            return found, False

    # ----------------------------------------------------------------- reviewer actions

    def override(
        self,
        evaluation_id: int,
        criterion_id: str,
        *,
        state: str,
        reason: str,
        reviewer: str,
        expires: _dt.date | None = None,
        today: _dt.date | None = None,
    ) -> int:
        """Record that ``reviewer`` sets ``criterion_id`` to ``state``; returns the action id.

        ``expires`` must lie after ``today`` (default: the calendar date now): an action
        that has lapsed before it is made is refused."""
        if state not in OVERRIDE_STATES:
            raise StoreError(
                f"--state {state} cannot be set by an override",
                hint=f"use one of: {', '.join(OVERRIDE_STATES)} (or waive the criterion)",
            )
        return self._review(evaluation_id, criterion_id, "override", state, reason, reviewer, expires, today)

    def waive(
        self,
        evaluation_id: int,
        criterion_id: str,
        *,
        reason: str,
        reviewer: str,
        expires: _dt.date | None = None,
        today: _dt.date | None = None,
    ) -> int:
        """Record that ``reviewer`` waives ``criterion_id`` (excluded from the score, gate OK)."""
        return self._review(evaluation_id, criterion_id, "waiver", None, reason, reviewer, expires, today)

    def _review(
        self,
        evaluation_id: int,
        criterion_id: str,
        kind: str,
        state: str | None,
        reason: str,
        reviewer: str,
        expires: _dt.date | None,
        today: _dt.date | None = None,
    ) -> int:
        reason, reviewer = reason.strip(), reviewer.strip()
        if not reason:
            raise StoreError("the reason is empty", hint="say why (--reason): auditors read it")
        if not reviewer:
            raise StoreError("the reviewer is empty", hint="name who decides (--reviewer)")
        check_reviewer(reviewer)
        if "\x00" in reason:  # PostgreSQL cannot store it; refused on every backend alike
            raise StoreError("the reason holds a NUL character", hint="remove it from --reason")
        check_expiry(expires, today=today)
        evaluation_id = self._check_id(evaluation_id)

        def write(conn: Connection) -> int:
            ev = conn.execute(
                select(EVALUATION.c.dossier_id).where(EVALUATION.c.id == evaluation_id)
            ).first()
            if ev is None:
                raise self._no_evaluation(evaluation_id)
            fnd = conn.execute(
                select(FINDING.c.criterion_sha256, FINDING.c.state).where(
                    FINDING.c.evaluation_id == evaluation_id, FINDING.c.criterion_id == criterion_id
                )
            ).first()
            if fnd is None:
                ids = [r.criterion_id for r in conn.execute(
                    select(FINDING.c.criterion_id).where(FINDING.c.evaluation_id == evaluation_id).order_by(FINDING.c.criterion_id)
                )]
                shown = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
                raise NotInStoreError(
                    f"evaluation {evaluation_id} has no criterion {criterion_id}",
                    hint=f"use one of: {shown}",
                )
            values = {
                "evaluation_id": evaluation_id, "dossier_id": ev.dossier_id, "criterion_id": criterion_id,
                "criterion_sha256": fnd.criterion_sha256, "state_before": fnd.state, "kind": kind,
                "state": state, "reason": reason, "reviewer": reviewer, "created_at": _now(), "expires": expires,
            }
            aid = _pk(conn.execute(REVIEW_ACTION.insert().values(**values)))
            audit.append(
                conn, actor=reviewer, action=f"review.{kind}", subject=f"evaluation:{evaluation_id}",
                payload={
                    "review_action_id": aid, "dossier_id": ev.dossier_id, "criterion_id": criterion_id,
                    "criterion_sha256": fnd.criterion_sha256, "state_before": fnd.state, "state": state,
                    "reason": reason, "expires": expires.isoformat() if expires else None,
                    "os_user": default_actor(),
                    "records": [trail.ref("review_action", aid, values)],
                },
            )
            return aid

        return self._db.write(write)

    def review_actions(self, evaluation_id: int, *, as_of: _dt.date) -> list[OverrideView]:
        """Every reviewer action on this evaluation's dossier, with its status on ``as_of``.

        Actions are bound to (dossier id, criterion id, criterion sha256): one made on an
        earlier evaluation of the dossier carries over while the criterion is unchanged.
        Per criterion the latest action decides; it lapses on its ``expires`` date (active
        while ``as_of < expires``) or when the criterion's sha256 differs from the one in
        this evaluation's findings.
        """

        evaluation_id = self._check_id(evaluation_id)

        def read(conn: Connection) -> tuple[Any, dict[str, str], list[Any]]:
            ev = conn.execute(select(EVALUATION.c.dossier_id).where(EVALUATION.c.id == evaluation_id)).first()
            if ev is None:
                raise self._no_evaluation(evaluation_id)
            shas = {
                r.criterion_id: r.criterion_sha256
                for r in conn.execute(
                    select(FINDING.c.criterion_id, FINDING.c.criterion_sha256).where(FINDING.c.evaluation_id == evaluation_id)
                )
            }
            rows = list(conn.execute(
                select(REVIEW_ACTION).where(REVIEW_ACTION.c.dossier_id == ev.dossier_id)
                .order_by(REVIEW_ACTION.c.created_at, REVIEW_ACTION.c.id)
            ))
            return ev, shas, rows

        _ev, shas, rows = self._db.read(read)
        out: list[OverrideView] = []
        decided: set[str] = set()
        for r in reversed(rows):  # newest first: the first action bound to the current criterion decides
            if r.criterion_id not in shas:
                continue  # the criterion is not in this evaluation's ruleset
            if r.criterion_sha256 != shas[r.criterion_id]:
                status = "criterion changed"
            elif r.criterion_id in decided:
                status = "superseded"
            else:
                decided.add(r.criterion_id)
                status = "expired" if r.expires is not None and as_of >= r.expires else "active"
            out.append(self._view(r, status))
        out.reverse()
        return out

    def active_overrides(self, evaluation_id: int, *, as_of: _dt.date) -> list[OverrideView]:
        """The overrides and waivers in force for this evaluation on ``as_of`` (one per criterion)."""
        return [a for a in self.review_actions(evaluation_id, as_of=as_of) if a.active]

    @staticmethod
    def _view(r: Any, status: str) -> OverrideView:
        return OverrideView(
            id=int(r.id), evaluation_id=int(r.evaluation_id), dossier_id=r.dossier_id,
            criterion_id=r.criterion_id, criterion_sha256=r.criterion_sha256, kind=r.kind,
            state=r.state, state_before=r.state_before, reason=r.reason, reviewer=r.reviewer,
            created_at=_utc(r.created_at), expires=r.expires, status=status,
        )

    # ----------------------------------------------------------------- history and audit

    def history(self, dossier_id: str) -> list[HistoryEntry]:
        """Every evaluation, rejection and reviewer action of ``dossier_id``, oldest first."""

        def read(conn: Connection) -> list[HistoryEntry]:
            out: list[HistoryEntry] = []
            evs = conn.execute(
                select(
                    EVALUATION.c.id, EVALUATION.c.created_at, EVALUATION.c.dossier_sha256,
                    EVALUATION.c.ruleset_sha256, EVALUATION.c.rubric_sha256, EVALUATION.c.engine,
                    EVALUATION.c.as_of, EVALUATION.c.decision, EVALUATION.c.passed, EVALUATION.c.score,
                    EVALUATION.c.score_exact, EVALUATION.c.batch_id,
                    RULESET_VERSION.c.ruleset_id, RULESET_VERSION.c.version.label("ruleset_version"),
                    RUBRIC_VERSION.c.rubric_id, RUBRIC_VERSION.c.version.label("rubric_version"),
                    SUBMISSION.c.source_file,
                )
                .join(RULESET_VERSION, RULESET_VERSION.c.id == EVALUATION.c.ruleset_version_id)
                .join(RUBRIC_VERSION, RUBRIC_VERSION.c.id == EVALUATION.c.rubric_version_id)
                .join(SUBMISSION, SUBMISSION.c.id == EVALUATION.c.submission_id)
                .where(EVALUATION.c.dossier_id == dossier_id)
            )
            for e in evs:
                rs_ref = f"{e.ruleset_id}@{e.ruleset_version}"
                rb_ref = f"{e.rubric_id}@{e.rubric_version}"
                out.append(HistoryEntry(
                    at=_utc(e.created_at), kind="evaluation", id=int(e.id), evaluation_id=int(e.id),
                    summary=(f"evaluated under {rs_ref} (rubric {rb_ref}) as of {e.as_of.isoformat()}: "
                             f"{e.decision}, {e.score:.2f}%" + ("" if e.passed else " (does not pass)")),
                    details={
                        "dossier_sha256": e.dossier_sha256, "ruleset": rs_ref, "ruleset_sha256": e.ruleset_sha256,
                        "rubric": rb_ref, "rubric_sha256": e.rubric_sha256, "engine": e.engine,
                        "as_of": e.as_of.isoformat(), "decision": e.decision, "passed": bool(e.passed),
                        "score": e.score, "score_exact": e.score_exact, "batch_id": e.batch_id,
                        "file": e.source_file,
                    },
                ))
            for r in conn.execute(select(REJECTION).where(REJECTION.c.dossier_id == dossier_id)):
                out.append(HistoryEntry(
                    at=_utc(r.created_at), kind="rejection", id=int(r.id),
                    summary=f"rejected {r.input_file}: {r.error}",
                    details={"file": r.input_file, "input_sha256": r.input_sha256, "error": r.error,
                             "batch_id": r.batch_id},
                ))
            for a in conn.execute(select(REVIEW_ACTION).where(REVIEW_ACTION.c.dossier_id == dossier_id)):
                what = f"overrode {a.criterion_id}: {a.state_before} -> {a.state}" if a.kind == "override" \
                    else f"waived {a.criterion_id} (was {a.state_before})"
                until = f", expires {a.expires.isoformat()}" if a.expires else ""
                out.append(HistoryEntry(
                    at=_utc(a.created_at), kind=a.kind, id=int(a.id), evaluation_id=int(a.evaluation_id),
                    summary=f"{a.reviewer} {what} on evaluation {a.evaluation_id}{until}: {a.reason}",
                    details={"criterion_id": a.criterion_id, "criterion_sha256": a.criterion_sha256,
                             "state_before": a.state_before, "state": a.state, "reason": a.reason,
                             "reviewer": a.reviewer, "expires": a.expires.isoformat() if a.expires else None},
                ))
            out = self._with_trail(conn, dossier_id, out)
            out.sort(key=lambda h: (h.at, _KIND_ORDER[h.kind], h.id))
            return out

        return self._db.read(read)

    def _with_trail(self, conn: Connection, dossier_id: str, entries: list[HistoryEntry]) -> list[HistoryEntry]:
        """Mark each history entry with how its record stands against the audit trail,
        and add the vouched reviewer actions whose rows are gone."""
        checks: dict[tuple[str, int], trail.RowCheck] = {}
        for table, t in (("evaluation", EVALUATION), ("rejection", REJECTION)):
            rows = [r._mapping for r in conn.execute(select(t).where(t.c.dossier_id == dossier_id))]
            for c in trail.check_rows(conn, table, rows):
                checks[(table, c.id)] = c
        gone: list[HistoryEntry] = []
        for c in self._action_checks(conn, dossier_id):
            if c.status == "missing":
                at = conn.execute(select(audit.AUDIT_LOG.c.at).where(audit.AUDIT_LOG.c.id == c.entry)).scalar()
                gone.append(HistoryEntry(
                    at=_dt.datetime.fromisoformat(str(at)) if at else _now(), kind="missing", id=c.id,
                    summary=f"reviewer action {c.id} (audit entry {c.entry}) is missing from the store",
                    trail="missing", trail_problem=c.reason,
                ))
            else:
                checks[("review_action", c.id)] = c
        table_of = {"evaluation": "evaluation", "rejection": "rejection", "override": "review_action",
                    "waiver": "review_action"}
        out = []
        for h in entries:
            found = checks.get((table_of[h.kind], h.id))
            if found is None:
                out.append(replace(h, trail="unvouched", trail_problem="not checked against the audit trail"))
            else:
                out.append(replace(h, trail=found.status, trail_problem=found.reason))
        return out + gone

    def record_event(self, action: str, subject: str, payload: dict[str, Any]) -> tuple[int, str]:
        """Append one audit entry for a change made outside the store's tables (a
        credential issued, a status list bit set: the files are the record, the chain
        says who did it and when). Returns (entry id, entry hash): the new head."""

        def write(conn: Connection) -> tuple[int, str]:
            entry = audit.append(conn, actor=self.actor, action=action, subject=subject, payload={**payload, "records": []})
            row = conn.execute(select(audit.AUDIT_LOG.c.hash).where(audit.AUDIT_LOG.c.id == entry)).one()
            return entry, str(row.hash)

        return self._db.write(write)

    def verify_audit(self, *, expect_head: str | None = None) -> AuditResult:
        """Check the whole audit chain (streamed) against its head, and every record it
        vouches for against the tables; ``expect_head`` is a head hash printed earlier
        (anchored elsewhere) that the chain must still contain."""
        if expect_head is not None:
            expect_head = expect_head.strip().lower()
            if len(expect_head) != 64 or any(ch not in "0123456789abcdef" for ch in expect_head):
                raise StoreError(
                    "--expect-head must be a full head hash (64 hexadecimal characters)",
                    hint="pass the hash `qa-engine audit verify` printed as the head",
                )
        return self._db.read(lambda conn: audit.verify(conn, expect_head=expect_head))

    def trail_checks(self, evaluation_id: int) -> list[trail.RowCheck]:
        """How the records ``review show`` rests on stand against the audit trail: the
        evaluation (with its report and findings), its ruleset and rubric versions and
        every reviewer action on its dossier (also vouched ones whose rows are gone)."""

        evaluation_id = self._check_id(evaluation_id)

        def read(conn: Connection) -> list[trail.RowCheck]:
            ev = conn.execute(select(EVALUATION).where(EVALUATION.c.id == evaluation_id)).first()
            if ev is None:
                raise self._no_evaluation(evaluation_id)
            m = ev._mapping
            out = trail.check_rows(conn, "evaluation", [m])
            for table, t, key in (
                ("ruleset_version", RULESET_VERSION, "ruleset_version_id"),
                ("rubric_version", RUBRIC_VERSION, "rubric_version_id"),
            ):
                rows = [r._mapping for r in conn.execute(select(t).where(t.c.id == m[key]))]
                out += trail.check_rows(conn, table, rows) if rows else [trail.RowCheck(
                    table, int(m[key]), "missing", None,
                    f"{trail.record_name(table, int(m[key]))}, used by evaluation {evaluation_id}, is missing",
                )]
            out += self._action_checks(conn, m["dossier_id"])
            return out

        return self._db.read(read)

    @staticmethod
    def _action_checks(conn: Connection, dossier_id: str) -> list[trail.RowCheck]:
        actions = [r._mapping for r in conn.execute(
            select(REVIEW_ACTION).where(REVIEW_ACTION.c.dossier_id == dossier_id)
        )]
        evals = [int(r.id) for r in conn.execute(select(EVALUATION.c.id).where(EVALUATION.c.dossier_id == dossier_id))]
        return trail.check_rows(conn, "review_action", actions, subjects=[f"evaluation:{e}" for e in evals])

    def require_trail(self, evaluation_id: int) -> list[trail.RowCheck]:
        """Refuse (:class:`TrailError`) to build on records that do not match the trail;
        returns the checks (some may be ``legacy``: written before record binding)."""
        checks = self.trail_checks(evaluation_id)
        bad = [c for c in checks if not c.ok]
        if bad:
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            raise TrailError(
                f"{self.display}: {bad[0].reason}{more}; the report is not shown",
                hint="run `qa-engine audit verify` and restore the store from a backup",
            )
        return checks

    def counts(self) -> dict[str, int]:
        """How many rows each kind of record has (for summaries and tests)."""
        tables = {
            "ruleset_versions": RULESET_VERSION, "rubric_versions": RUBRIC_VERSION,
            "submissions": SUBMISSION, "evaluations": EVALUATION, "findings": FINDING,
            "rejections": REJECTION, "review_actions": REVIEW_ACTION, "audit_entries": audit.AUDIT_LOG,
        }

        def read(conn: Connection) -> dict[str, int]:
            return {k: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for k, t in tables.items()}

        return self._db.read(read)

    def reviewed_dossiers(self) -> set[str]:
        """The ids of the dossiers any reviewer action was recorded for (one query: a
        batch dashboard re-scores only their evaluations)."""
        q = select(REVIEW_ACTION.c.dossier_id).distinct()
        return self._db.read(lambda conn: {str(r.dossier_id) for r in conn.execute(q)})

    def evaluations(self, *, batch_id: str | None = None) -> Iterable[int]:
        """Evaluation ids, oldest first (of one batch when ``batch_id`` is given)."""
        q = select(EVALUATION.c.id).order_by(EVALUATION.c.id)
        if batch_id is not None:
            q = q.where(EVALUATION.c.batch_id == batch_id)
        return self._db.read(lambda conn: [int(r.id) for r in conn.execute(q)])


def open_store(
    url: str | None = None,
    *,
    create: bool = True,
    timeout: float | None = None,
    actor: str | None = None,
) -> Store:
    """Open (creating or upgrading the schema of) the store at ``url``.

    ``url``: a SQLite file path, ``sqlite:///path`` or ``postgresql+psycopg://...``;
    None means ``$QA_ENGINE_DB``, else ``qa-engine.sqlite`` in the current directory.
    ``create=False`` refuses a SQLite file that does not exist yet (for read-only
    commands). ``timeout``: seconds to wait for another writer (default
    ``$QA_ENGINE_DB_TIMEOUT`` or 60). Raises :class:`StoreError` for a foreign,
    corrupted or newer database.
    """
    resolved = resolve_url(url)
    if make_url(resolved).get_backend_name() == "sqlite":
        probe_sqlite(
            Path(str(make_url(resolved).database)), create=create and not is_read_only(resolved),
            application=APPLICATION,
        )
    who = actor or default_actor()
    if len(who) > MAX_NAME:
        raise StoreError(
            f"the audit actor name is {len(who)} characters long; at most {MAX_NAME} are allowed",
            hint="shorten $QA_ENGINE_ACTOR",
        )
    db = Database(resolved, timeout=default_timeout() if timeout is None else timeout)
    try:
        ensure_schema(db, actor=who)
    except BaseException:
        db.dispose()
        raise
    return Store(db, actor=who)
