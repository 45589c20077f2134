"""The audit trail binds the records it vouches for: one registry, one check.

The hash chain (:mod:`qa_engine.store.audit`) proves that no *entry* was edited,
deleted or reordered. This module makes each entry also prove the *records* it
vouches for: an entry's payload carries, under ``"records"``, one reference per record
it wrote::

    {"table": "evaluation", "id": 12, "sha256": "<record hash>",
     "fields": {"decision": "<16 hex>", "report_json": "<16 hex>", ...}}

``sha256`` is the sha256 of the record's canonical content (its columns without the
storage key, normalised, plus the rows of its child tables); ``fields`` are short
hashes of each field, so that a check can say *which* field changed. ``qa-engine
audit verify`` (:func:`check_all`) recomputes every record from the tables and names
the first one that differs from its entry, a vouched record that is missing
(deleted), a record holding the content vouched for another id (rows reordered or
renumbered), and a row that no entry vouches for (inserted behind qa-engine's back).
``review show`` and ``history`` check the records they print (:func:`check_rows`).

**Logical content, not storage.** A column whose stored form is an encoding of
something else (the report JSON, the dossier JSON) is hashed through a *decoder* that
returns its logical value (the sha256 of the canonical JSON of the parsed
document), so re-encoding it (pretty-printed, compact, compressed) keeps its hash.
A change of storage encoding changes the decoder registered here, never the hashes.

**How a table binds** (the workspace's users, organisations, tokens and submission
cases do; panels, reviews, decisions and conditions will do the same):

1. Register it once, next to its model::

       trail.register(trail.Bound(
           table=PANEL, actions=frozenset({"panel.form", "panel.change"}),
           subject=lambda row: f"panel:{row['id']}",
           children={"members": trail.Child(PANEL_MEMBER, parent="panel_id", order=("user_id",))},
       ))

   ``subject`` is the audit subject under which the vouching entry is found again
   (one indexed lookup when ``review show`` or a page checks a single record).
2. In the write transaction, after the INSERT or UPDATE, build the reference from
   the values written and put it into the entry's payload::

       ref = trail.ref("panel", panel_id, values, children={"members": rows})
       audit.append(conn, ..., subject=f"panel:{panel_id}", payload={..., "records": [ref]})

   A record that changes (a submission moving to ``in_review``) is vouched again
   by the entry recording the change: the latest entry naming a record decides. A
   record removed on purpose is vouched as gone with :func:`gone_ref`.

Entries written before binding existed (qa-engine 0.1 stores) carry no references;
:attr:`Bound.legacy` reads the record ids they name, so :func:`check_all` reports
them as *not content-checked* (explicitly, with their entry numbers) instead of
flagging their records as unvouched or silently passing them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Float, Integer, Table, select

from qa_engine.hashing import canonical_json
from qa_engine.store import codec
from qa_engine.store.models import (
    AUDIT_LOG,
    EVALUATION,
    FINDING,
    REJECTION,
    REVIEW_ACTION,
    RUBRIC_VERSION,
    RULESET_VERSION,
    SUBMISSION,
)

#: Length of the per-field hashes (hex): enough to name a changed field.
FIELD_HASH_HEX = 16
#: Records fetched per query while checking (evaluations carry their report).
PAGE = 200
#: A row as read (SQLAlchemy RowMapping) or as written (a dict of column values).
RowLike = Mapping[Any, Any]
#: Problems kept in full (the rest are counted).
MAX_PROBLEMS = 100


# --------------------------------------------------------------------------- values


def _normal(value: Any, column_type: Any) -> Any:
    """A column value as canonical JSON data, the same whatever the backend returned."""
    if value is None:
        return None
    if isinstance(column_type, DateTime) or isinstance(value, _dt.datetime):
        if isinstance(value, str):
            value = _dt.datetime.fromisoformat(value)
        if value.tzinfo is None:  # SQLite hands back naive UTC
            value = value.replace(tzinfo=_dt.UTC)
        return value.astimezone(_dt.UTC).isoformat(timespec="microseconds")
    if isinstance(column_type, Date) or isinstance(value, _dt.date):
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    if isinstance(column_type, Boolean):
        return bool(value)
    if isinstance(column_type, Float):
        return float(value)
    if isinstance(column_type, Integer) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def document_sha256(data: Any) -> str:
    """sha256 of the canonical JSON (sorted keys, no white space) of a JSON *value*
    (plain dicts, lists, strings, numbers: no conversion walk, which costs more than
    the encoding for a report of a hundred criteria)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def json_document_sha256(text: str | bytes) -> str:
    """The logical hash of a stored JSON document: sha256 of its canonical JSON, the
    same whether it is stored pretty-printed, compact, with its keys in another
    order or (once decoded) compressed."""
    return document_sha256(json.loads(text))


def _stored_report_sha256(conn: Connection, row: RowLike) -> str:
    """The logical hash of an evaluation's report, decoded from its stored form
    (:mod:`qa_engine.store.codec`); a report that does not decode hashes to a marker
    no report has, so the record shows as changed."""
    try:
        return json_document_sha256(codec.stored_report_text(conn, row["report_json"]))
    except (codec.CodecError, ValueError) as exc:
        return f"undecodable: {exc}"


def _stored_document_sha256(value: Any) -> str:
    """The logical hash of a dossier's JSON, decoded from its stored form."""
    try:
        return json_document_sha256(codec.unpack_document(value))
    except (codec.CodecError, ValueError) as exc:
        return f"undecodable: {exc}"


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Child:
    """Rows of another table that belong to a record's content (an evaluation's findings)."""

    table: Table
    #: The column naming the record (a foreign key to its id).
    parent: str
    #: Columns the child rows are sorted by (the content is the sorted list).
    order: tuple[str, ...]
    #: Columns that are storage, not content (the child's own key).
    exclude: frozenset[str] = frozenset({"id"})

    def columns(self) -> list[Any]:
        return [c for c in self.table.c if c.name not in self.exclude and c.name != self.parent]

    def content(self, rows: Iterable[RowLike]) -> list[list[Any]]:
        cols = self.columns()
        items = [[_normal(r[c.name], c.type) for c in cols] for r in rows]
        idx = [n for n, c in enumerate(cols) if c.name in self.order]
        items.sort(key=lambda it: [canonical_json(it[i]) for i in idx] + [canonical_json(it)])
        return items


@dataclass(frozen=True)
class Bound:
    """A table whose rows the audit trail vouches for."""

    table: Table
    #: The audit actions whose entries vouch for (write or change) rows of the table.
    actions: frozenset[str]
    #: The audit subject of the entries vouching for a row (an indexed lookup).
    subject: Callable[[RowLike], str]
    #: Stored column -> its logical value (e.g. a JSON text -> the hash of its canonical form).
    decoders: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    #: Decoders that need the row and the store (a report compressed against its
    #: ruleset and rubric versions): stored column -> f(connection, row).
    row_decoders: Mapping[str, Callable[[Connection, RowLike], Any]] = field(default_factory=dict)
    children: Mapping[str, Child] = field(default_factory=dict)
    #: Record ids named by an entry written before binding (action, subject, payload).
    legacy: Callable[[str, str, Mapping[str, Any]], Iterable[int]] | None = None
    key: str = "id"

    @property
    def name(self) -> str:
        return self.table.name

    def fields(
        self,
        row: RowLike,
        *,
        given: Mapping[str, Any] | None = None,
        children: Mapping[str, Sequence[RowLike]] | None = None,
        conn: Connection | None = None,
    ) -> dict[str, Any]:
        """The record's canonical content, field by field. ``given`` supplies logical
        values computed elsewhere (a worker's report hash) instead of decoding them;
        ``conn`` is needed for the :attr:`row_decoders` of a field not given."""
        given = given or {}
        out: dict[str, Any] = {}
        for col in self.table.c:
            if col.name == self.key:
                continue
            if col.name in given:
                out[col.name] = given[col.name]
            elif col.name in self.decoders:
                out[col.name] = self.decoders[col.name](row[col.name])
            elif col.name in self.row_decoders:
                if conn is None:
                    raise ValueError(f"{self.name}.{col.name} decodes through the store: pass conn or give it")
                out[col.name] = self.row_decoders[col.name](conn, row)
            else:
                out[col.name] = _normal(row[col.name], col.type)
        for name, child in self.children.items():
            if name in given:
                out[name] = given[name]
            else:
                out[name] = _digest(child.content((children or {}).get(name, ())))
        return out

    def digest(self, fields: Mapping[str, Any]) -> str:
        return _digest({"table": self.name, "fields": fields})


REGISTRY: dict[str, Bound] = {}


def register(bound: Bound) -> Bound:
    """Bind a table to the audit trail (once, at import time of its module)."""
    REGISTRY[bound.name] = bound
    return bound


def bound(table: str) -> Bound:
    return REGISTRY[table]


def field_hashes(fields: Mapping[str, Any]) -> dict[str, str]:
    return {k: _digest(v)[:FIELD_HASH_HEX] for k, v in fields.items()}


def ref(
    table: str,
    record_id: int,
    values: RowLike,
    *,
    given: Mapping[str, Any] | None = None,
    children: Mapping[str, Sequence[RowLike]] | None = None,
) -> dict[str, Any]:
    """The reference an audit entry carries for a record written with ``values``."""
    b = REGISTRY[table]
    fields = b.fields(values, given=given, children=children)
    return {"table": table, "id": int(record_id), "sha256": b.digest(fields), "fields": field_hashes(fields)}


def gone_ref(table: str, record_id: int) -> dict[str, Any]:
    """The reference of a record removed on purpose (vouched as gone)."""
    return {"table": table, "id": int(record_id), "sha256": None}


# --------------------------------------------------------------------------- the tables of schema 1


def children_given(findings: Iterable[Sequence[Any]]) -> str:
    """The ``findings`` field of an evaluation from the rows the writer inserts
    (criterion id, criterion sha256, state, points, max points, essential failed)."""
    child = EVALUATION_BOUND.children["findings"]
    names = [c.name for c in child.columns()]
    return _digest(child.content(dict(zip(names, f, strict=True)) for f in findings))


def _one(payload: Mapping[str, Any], key: str) -> list[int]:
    v = payload.get(key)
    return [int(v)] if isinstance(v, int) else []


def _subject_id(subject: str) -> list[int]:
    tail = subject.rpartition(":")[2]
    return [int(tail)] if tail.isdigit() else []


EVALUATION_BOUND = register(Bound(
    table=EVALUATION,
    actions=frozenset({"evaluation.record"}),
    subject=lambda row: f"evaluation:{row['id']}",
    row_decoders={"report_json": _stored_report_sha256},
    children={"findings": Child(FINDING, parent="evaluation_id", order=("criterion_id",))},
    legacy=lambda action, subject, payload: _subject_id(subject),
))
register(Bound(
    table=SUBMISSION,
    actions=frozenset({"evaluation.record"}),
    # a submission is vouched by the entry of its first evaluation
    subject=lambda row: "",
    decoders={"dossier_json": _stored_document_sha256},
    legacy=lambda action, subject, payload: _one(payload, "submission_id"),
))
register(Bound(
    table=RULESET_VERSION,
    actions=frozenset({"ruleset.store"}),
    subject=lambda row: f"ruleset:{row['ruleset_id']}@{row['version']}",
    decoders={"content": json_document_sha256},
    legacy=lambda action, subject, payload: _one(payload, "ruleset_version_id"),
))
register(Bound(
    table=RUBRIC_VERSION,
    actions=frozenset({"rubric.store"}),
    subject=lambda row: f"rubric:{row['rubric_id']}@{row['version']}",
    decoders={"content": json_document_sha256},
    legacy=lambda action, subject, payload: _one(payload, "rubric_version_id"),
))
register(Bound(
    table=REJECTION,
    actions=frozenset({"rejection.record"}),
    subject=lambda row: f"rejection:{row['id']}",
    legacy=lambda action, subject, payload: _subject_id(subject),
))
register(Bound(
    table=REVIEW_ACTION,
    actions=frozenset({"review.override", "review.waiver"}),
    subject=lambda row: f"evaluation:{row['evaluation_id']}",
    legacy=lambda action, subject, payload: _one(payload, "review_action_id"),
))


#: Tables the trail does not vouch for, and why. The workspace's tables are bound by
#: their writers (:mod:`qa_engine.store.accounts`, :mod:`qa_engine.store.cases`).
UNBOUND: dict[str, str] = {
    "audit_log": "the chain itself",
    "audit_head": "the chain's head",
    "schema_meta": "written by migrations (recorded as store.create / store.upgrade)",
    "web_session": "operational security state: changes on every request, revoked rather than edited "
                   "(its start and end are audit entries: session.start, session.end)",
    "login_attempt": "operational: throttling counters",
    "evidence_blob": "content-addressed: its key is the sha256 of its bytes, checked on every download",
}


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class RecordProblem:
    """One record that does not match the trail (``entry`` is the vouching entry, if any)."""

    table: str
    id: int
    entry: int | None
    kind: str  # changed | missing | moved | unvouched | entry
    reason: str

    def sort_key(self) -> tuple[int, int, str, int]:
        return (self.entry is None, self.entry or 0, self.table, self.id)

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "id": self.id, "entry": self.entry, "kind": self.kind, "reason": self.reason}


def record_name(table: str, record_id: int) -> str:
    return f"{table.replace('_', ' ')} {record_id}"


def _changed(table: str, rid: int, entry: int, names: Sequence[str]) -> RecordProblem:
    what = ", ".join(names) if names else "its content"
    verb = "differs" if len(names) == 1 else "differ"
    return RecordProblem(
        table, rid, entry, "changed",
        f"{record_name(table, rid)} does not match audit entry {entry}: {what} {verb} from what "
        "the entry vouches for (edited after it was recorded?)",
    )


def _missing(table: str, rid: int, entry: int) -> RecordProblem:
    return RecordProblem(
        table, rid, entry, "missing",
        f"{record_name(table, rid)}, vouched for by audit entry {entry}, is missing (deleted?)",
    )


def _unvouched(table: str, rid: int) -> RecordProblem:
    return RecordProblem(
        table, rid, None, "unvouched",
        f"{record_name(table, rid)} is in the store but no audit entry vouches for it "
        "(inserted behind qa-engine's back?)",
    )


def _differing(fields: Mapping[str, Any], shorts: Mapping[str, Any] | None) -> list[str]:
    if not isinstance(shorts, Mapping):
        return []
    mine = field_hashes(fields)
    names = sorted(set(mine) | set(shorts))
    return [n for n in names if mine.get(n) != shorts.get(n)]


# --------------------------------------------------------------------------- the whole check


class _Vouched:
    """The references of one table collected from the chain, compactly: ids, entry
    ids and 32-byte digests in arrays (a million records take ~50 MB)."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.entries = array("q")
        self.digests = bytearray()
        self.legacy: dict[int, int] = {}  # record id -> entry id, vouched by id only

    def add(self, rid: int, entry: int, sha: str | None) -> None:
        self.ids.append(rid)
        self.entries.append(entry)
        self.digests += bytes.fromhex(sha) if sha else bytes(32)

    def latest(self) -> list[tuple[int, int, bytes]]:
        """(record id, entry id, digest) sorted by record id; the latest entry per id."""
        best: dict[int, int] = {}
        for n, rid in enumerate(self.ids):
            best[rid] = n  # entries arrive in chain order: the last one wins
        return [
            (rid, self.entries[n], bytes(self.digests[32 * n : 32 * n + 32]))
            for rid, n in sorted(best.items())
        ]


@dataclass
class Collector:
    """Gathers the references of every entry while the chain is walked."""

    tables: dict[str, _Vouched] = field(default_factory=dict)
    #: Entries of a vouching action written before record binding (no references).
    legacy_entries: list[int] = field(default_factory=list)
    bad_refs: list[RecordProblem] = field(default_factory=list)

    def add(self, entry: int, action: str, subject: str, payload: Any) -> None:
        refs = payload.get("records") if isinstance(payload, dict) else None
        if refs is None:
            legacy = False
            for b in REGISTRY.values():
                if action in b.actions and b.legacy is not None:
                    for rid in b.legacy(action, subject, payload if isinstance(payload, dict) else {}):
                        self._table(b.name).legacy.setdefault(rid, entry)
                        legacy = True
            if legacy:
                self.legacy_entries.append(entry)
            return
        items: list[Any] = refs if isinstance(refs, list) else [None]
        for r in items:
            try:
                table, rid, sha = r["table"], int(r["id"]), r["sha256"]
                if table not in REGISTRY or (sha is not None and len(bytes.fromhex(sha)) != 32):
                    raise ValueError
            except (TypeError, KeyError, ValueError):
                self.bad_refs.append(RecordProblem(
                    "audit_log", entry, entry, "entry", f"audit entry {entry} names a record it cannot vouch for"
                ))
                continue
            self._table(table).add(rid, entry, sha)

    def _table(self, name: str) -> _Vouched:
        t = self.tables.get(name)
        if t is None:
            t = self.tables[name] = _Vouched()
        return t


@dataclass
class RecordReport:
    """What :func:`check_all` found."""

    records: int = 0
    problems: list[RecordProblem] = field(default_factory=list)
    problem_count: int = 0
    legacy_entries: list[int] = field(default_factory=list)
    legacy_records: int = 0


def _children(conn: Connection, b: Bound, ids: Sequence[int]) -> dict[str, dict[int, list[RowLike]]]:
    out: dict[str, dict[int, list[RowLike]]] = {}
    for name, child in b.children.items():
        rows: dict[int, list[RowLike]] = {}
        if ids:
            q = select(child.table).where(child.table.c[child.parent].in_(list(ids)))
            for r in conn.execute(q):
                m = r._mapping
                rows.setdefault(int(m[child.parent]), []).append(m)
        out[name] = rows
    return out


def _rows(conn: Connection, b: Bound) -> Iterable[list[tuple[int, dict[str, Any]]]]:
    """The table's records with their content fields, a page at a time, by id."""
    key = b.table.c[b.key]
    last: int | None = None
    while True:
        q = select(b.table).order_by(key).limit(PAGE)
        if last is not None:
            q = q.where(key > last)
        page = [r._mapping for r in conn.execute(q)]
        if not page:
            return
        ids = [int(m[b.key]) for m in page]
        kids = _children(conn, b, ids)
        yield [
            (rid, b.fields(m, children={n: kids[n].get(rid, []) for n in b.children}, conn=conn))
            for rid, m in zip(ids, page, strict=True)
        ]
        last = ids[-1]


def _payload_refs(conn: Connection, entry: int) -> list[Any]:
    row = conn.execute(select(AUDIT_LOG.c.payload).where(AUDIT_LOG.c.id == entry)).first()
    if row is None:
        return []
    try:
        refs = json.loads(row.payload).get("records")
    except (ValueError, AttributeError):
        return []
    return refs if isinstance(refs, list) else []


def _shorts(conn: Connection, entry: int, table: str, rid: int) -> Mapping[str, Any] | None:
    for r in _payload_refs(conn, entry):
        if isinstance(r, dict) and r.get("table") == table and r.get("id") == rid:
            f = r.get("fields")
            return f if isinstance(f, dict) else None
    return None


def _orphans(conn: Connection, b: Bound) -> list[RecordProblem]:
    """Child rows whose record does not exist (only possible with foreign keys off)."""
    out = []
    for child in b.children.values():
        parent = b.table.c[b.key]
        fk = child.table.c[child.parent]
        q = (
            select(child.table.c.id, fk)
            .where(~select(parent).where(parent == fk).exists())
            .order_by(child.table.c.id)
            .limit(1)
        )
        for r in conn.execute(q):
            out.append(RecordProblem(
                child.table.name, int(r[0]), None, "unvouched",
                f"{record_name(child.table.name, int(r[0]))} belongs to {record_name(b.name, int(r[1]))}, "
                "which does not exist (inserted or left behind a deletion?)",
            ))
    return out


def check_all(conn: Connection, collected: Collector) -> RecordReport:
    """Recompute every bound table's records and compare them with the chain's references."""
    rep = RecordReport(legacy_entries=list(collected.legacy_entries))
    problems: list[RecordProblem] = list(collected.bad_refs)
    for b in REGISTRY.values():
        v = collected.tables.get(b.name) or _Vouched()
        vouched = v.latest()
        by_digest: dict[bytes, tuple[int, int]] = {}
        mismatched: list[tuple[int, int, bytes, dict[str, Any]]] = []  # (id, entry, digest now, fields)
        i = 0
        for page in _rows(conn, b):
            for rid, fields in page:
                rep.records += 1
                while i < len(vouched) and vouched[i][0] < rid:
                    vid, ventry, vd = vouched[i]
                    if vd != bytes(32):
                        problems.append(_missing(b.name, vid, ventry))
                    i += 1
                if i < len(vouched) and vouched[i][0] == rid:
                    _vid, ventry, vd = vouched[i]
                    i += 1
                    now = bytes.fromhex(b.digest(fields))
                    if vd == bytes(32):
                        problems.append(RecordProblem(
                            b.name, rid, ventry, "changed",
                            f"{record_name(b.name, rid)} was removed by audit entry {ventry}, "
                            "yet it is in the store (restored or inserted?)",
                        ))
                    elif now != vd:
                        mismatched.append((rid, ventry, now, fields))
                elif rid in v.legacy:
                    rep.legacy_records += 1
                else:
                    problems.append(_unvouched(b.name, rid))
        for vid, ventry, vd in vouched[i:]:
            if vd != bytes(32):
                problems.append(_missing(b.name, vid, ventry))
        if mismatched:
            by_digest = {vd: (vid, ventry) for vid, ventry, vd in vouched}
            for rid, ventry, now, fields in mismatched:
                other = by_digest.get(now)
                if other is not None and other[0] != rid:
                    problems.append(RecordProblem(
                        b.name, rid, ventry, "moved",
                        f"{record_name(b.name, rid)} holds the content audit entry {other[1]} vouches "
                        f"for as {record_name(b.name, other[0])} (rows reordered or renumbered?)",
                    ))
                else:
                    names = _differing(fields, _shorts(conn, ventry, b.name, rid))
                    problems.append(_changed(b.name, rid, ventry, names))
        problems.extend(_orphans(conn, b))
    problems.sort(key=RecordProblem.sort_key)
    rep.problem_count = len(problems)
    rep.problems = problems[:MAX_PROBLEMS]
    return rep


# --------------------------------------------------------------------------- checking a few records


@dataclass(frozen=True)
class RowCheck:
    """How one record a command is about to show stands against the trail."""

    table: str
    id: int
    status: str  # ok | legacy | changed | unvouched | missing
    entry: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "legacy")


def _entries_under(conn: Connection, b: Bound, subjects: Iterable[str]) -> list[Any]:
    subs = sorted({s for s in subjects if s})
    if not subs:
        return []
    q = (
        select(AUDIT_LOG.c.id, AUDIT_LOG.c.at, AUDIT_LOG.c.actor, AUDIT_LOG.c.action,
               AUDIT_LOG.c.subject, AUDIT_LOG.c.payload, AUDIT_LOG.c.prev_hash, AUDIT_LOG.c.hash)
        .where(AUDIT_LOG.c.subject.in_(subs), AUDIT_LOG.c.action.in_(sorted(b.actions)))
        .order_by(AUDIT_LOG.c.id)
    )
    return list(conn.execute(q))


def _entry_sound(conn: Connection, row: Any) -> bool:
    """The entry hashes to its hash and the next entry (or the head) links to it."""
    from qa_engine.store.audit import entry_hash, linked

    try:
        payload = json.loads(row.payload)
    except ValueError:
        return False
    h = entry_hash(row.prev_hash, id=int(row.id), at=row.at, actor=row.actor, action=row.action,
                   subject=row.subject, payload=payload)
    return h == row.hash and linked(conn, int(row.id), row.hash)


def check_rows(
    conn: Connection, table: str, rows: Sequence[RowLike], *, subjects: Iterable[str] = ()
) -> list[RowCheck]:
    """Check ``rows`` of ``table`` (full rows, as read) against their vouching entries.

    Entries are found under each row's audit subject (and ``subjects``, to find
    records vouched there whose rows are gone: those come back as ``missing``). Each
    entry used is checked against its own hash and its link to the next one; the
    whole chain is :func:`qa_engine.store.audit.verify`'s job."""
    b = REGISTRY[table]
    refs: dict[int, tuple[int, Any, Any]] = {}  # record id -> (entry, ref or None (legacy), entry row)
    for e in _entries_under(conn, b, [b.subject(r) for r in rows] + list(subjects)):
        try:
            payload = json.loads(e.payload)
        except ValueError:
            continue
        found = payload.get("records") if isinstance(payload, dict) else None
        if found is None:
            for rid in (b.legacy(e.action, e.subject, payload) if b.legacy else ()):
                refs[rid] = (int(e.id), None, e)
            continue
        for r in found if isinstance(found, list) else ():
            if isinstance(r, dict) and r.get("table") == table and isinstance(r.get("id"), int):
                refs[int(r["id"])] = (int(e.id), r, e)
    ids = [int(r[b.key]) for r in rows]
    kids = _children(conn, b, ids)
    out: list[RowCheck] = []
    for rid, row in zip(ids, rows, strict=True):
        hit = refs.pop(rid, None)
        if hit is None:
            out.append(RowCheck(table, rid, "unvouched", None, _unvouched(table, rid).reason))
            continue
        entry, r, erow = hit
        if not _entry_sound(conn, erow):
            out.append(RowCheck(table, rid, "changed", entry,
                                f"audit entry {entry}, which vouches for {record_name(table, rid)}, was edited"))
            continue
        if r is None:
            out.append(RowCheck(table, rid, "legacy", entry))
            continue
        fields = b.fields(row, children={n: kids[n].get(rid, []) for n in b.children}, conn=conn)
        if r.get("sha256") is None:
            out.append(RowCheck(table, rid, "changed", entry,
                                f"{record_name(table, rid)} was removed by audit entry {entry}, yet it is in the store"))
        elif b.digest(fields) != r.get("sha256"):
            names = _differing(fields, r.get("fields"))
            out.append(RowCheck(table, rid, "changed", entry, _changed(table, rid, entry, names).reason))
        else:
            out.append(RowCheck(table, rid, "ok", entry))
    left = sorted(rid for rid, (_entry, r, _e) in refs.items() if r is not None and r.get("sha256") is not None)
    if left:  # vouched under these subjects, not among the rows: moved away, or gone
        key = b.table.c[b.key]
        elsewhere = [m._mapping for m in conn.execute(select(b.table).where(key.in_(left)))]
        found = {int(m[b.key]) for m in elsewhere}
        out += [c for c in check_rows(conn, table, elsewhere) if not c.ok]
        for rid in left:
            if rid not in found:
                entry = refs[rid][0]
                out.append(RowCheck(table, rid, "missing", entry, _missing(table, rid, entry).reason))
    return out


__all__ = [
    "REGISTRY",
    "UNBOUND",
    "Bound",
    "Child",
    "Collector",
    "RecordProblem",
    "RecordReport",
    "RowCheck",
    "bound",
    "check_all",
    "check_rows",
    "children_given",
    "gone_ref",
    "json_document_sha256",
    "ref",
    "register",
]
