"""The append-only, hash-chained audit log.

Entry ``n`` has ``hash = sha256(prev_hash + canonical JSON of {id, at, actor, action,
subject, payload})`` with ``prev_hash`` the hash of entry ``n - 1`` (64 zeros for the
first). Ids are gapless (1, 2, 3, ...) and the ``audit_head`` row names the last entry,
so that an edited, deleted, inserted or truncated entry breaks the chain. Entries are
appended in the same transaction as what they record, under the store's write lock
(SQLite ``BEGIN IMMEDIATE``; PostgreSQL an advisory lock plus ``SELECT ... FOR UPDATE``
on the head row), so the chain is linear even with many writers.

Each entry also vouches for the records it wrote: its payload's ``"records"`` carry
the sha256 of each record's canonical content, and :func:`verify` recomputes them from
the tables (:mod:`qa_engine.store.trail`), so that an edited, deleted, reordered or
inserted *record* is found as well as an edited entry.

This makes tampering *evident*, not impossible: someone who can write the database can
rebuild the whole chain (and the record hashes with it). Keep the head hash that
``qa-engine audit verify`` prints somewhere else (a ticket, a signed e-mail) and check
it later with ``qa-engine audit verify --expect-head HASH``: a truncated or recomputed
chain no longer contains it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from qa_engine.hashing import canonical_json
from qa_engine.store.models import AUDIT_HEAD, AUDIT_LOG
from qa_engine.store.trail import Collector, RecordProblem, check_all

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditResult:
    """The outcome of :func:`verify`.

    ``ok`` is true when the chain is intact, matches its head (and the anchored head
    given with ``expect_head``), and every record it vouches for matches its entry.
    ``first_broken`` is the first broken link of the chain as ``(entry id, reason)``;
    ``record_problems`` the records that do not match (the first is the first bad
    record in chain order). ``legacy_entries`` lists the entries written before record
    binding: their ``legacy_records`` are vouched by id only, not content-checked.
    """

    ok: bool
    entries: int
    first_broken: tuple[int, str] | None = None
    head_hash: str | None = None
    records: int = 0
    record_problems: tuple[RecordProblem, ...] = ()
    record_problem_count: int = 0
    legacy_entries: tuple[int, ...] = ()
    legacy_records: int = 0
    expected_head: str | None = None
    #: The entry whose hash is ``expected_head`` (None: not in the chain).
    anchor_entry: int | None = None

    @property
    def anchor_missing(self) -> bool:
        return self.expected_head is not None and self.anchor_entry is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_broken": (
                {"entry": self.first_broken[0], "reason": self.first_broken[1]}
                if self.first_broken
                else None
            ),
            "head_hash": self.head_hash,
            "records": self.records,
            "record_problems": [p.to_dict() for p in self.record_problems],
            "record_problem_count": self.record_problem_count,
            "legacy_entries": list(self.legacy_entries),
            "legacy_records": self.legacy_records,
            "expected_head": self.expected_head,
            "anchor_entry": self.anchor_entry,
        }


def now_utc() -> str:
    """The audit log's timestamp: UTC, ISO 8601 with microseconds (the one wall clock)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str, *, id: int, at: str, actor: str, action: str, subject: str, payload: Any
) -> str:
    body = canonical_json(
        {"id": id, "at": at, "actor": actor, "action": action, "subject": subject, "payload": payload}
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    conn: Connection, *, actor: str, action: str, subject: str, payload: dict[str, Any]
) -> int:
    """Append one entry inside the caller's (write-locked) transaction; returns its id."""
    return append_many(conn, actor=actor, entries=[(action, subject, payload)])[0]


def append_many(
    conn: Connection, *, actor: str, entries: Sequence[tuple[str, str, dict[str, Any]]]
) -> list[int]:
    """Append ``(action, subject, payload)`` entries in order inside the caller's
    (write-locked) transaction: one head read, one bulk insert, one head update."""
    if not entries:
        return []
    head = conn.execute(
        select(AUDIT_HEAD.c.last_id, AUDIT_HEAD.c.last_hash)
        .where(AUDIT_HEAD.c.id == 1)
        .with_for_update()
    ).one()
    last_id, last_hash = int(head.last_id), str(head.last_hash)
    rows: list[dict[str, Any]] = []
    ids: list[int] = []
    for action, subject, payload in entries:
        last_id += 1
        at = now_utc()
        text = canonical_json(payload)
        h = entry_hash(
            last_hash, id=last_id, at=at, actor=actor, action=action, subject=subject,
            payload=json.loads(text),
        )
        rows.append(
            {"id": last_id, "at": at, "actor": actor, "action": action, "subject": subject,
             "payload": text, "prev_hash": last_hash, "hash": h}
        )
        last_hash = h
        ids.append(last_id)
    conn.execute(AUDIT_LOG.insert(), rows)
    conn.execute(
        update(AUDIT_HEAD).where(AUDIT_HEAD.c.id == 1).values(last_id=last_id, last_hash=last_hash)
    )
    return ids


def init_head(conn: Connection) -> None:
    conn.execute(AUDIT_HEAD.insert().values(id=1, last_id=0, last_hash=GENESIS))


def verify(conn: Connection, *, expect_head: str | None = None, records: bool = True) -> AuditResult:
    """Walk the chain in id order (streamed), compare its end with the head row, look
    for ``expect_head`` among its hashes, then check every record it vouches for."""
    prev = GENESIS
    expected = 1
    n = 0
    anchor: int | None = None
    collected = Collector()
    rows = conn.execution_options(yield_per=2000).execute(
        select(
            AUDIT_LOG.c.id, AUDIT_LOG.c.at, AUDIT_LOG.c.actor, AUDIT_LOG.c.action,
            AUDIT_LOG.c.subject, AUDIT_LOG.c.payload, AUDIT_LOG.c.prev_hash, AUDIT_LOG.c.hash,
        ).order_by(AUDIT_LOG.c.id)
    )
    for row in rows:
        rid = int(row.id)
        broken = _check_row(row, rid, expected, prev)
        if broken is not None:
            rows.close()
            return AuditResult(False, n, broken, expected_head=expect_head)
        if records:
            collected.add(rid, row.action, row.subject, json.loads(row.payload))
        if expect_head is not None and row.hash == expect_head:
            anchor = rid
        prev = row.hash
        expected = rid + 1
        n += 1
    head = conn.execute(
        select(AUDIT_HEAD.c.last_id, AUDIT_HEAD.c.last_hash).where(AUDIT_HEAD.c.id == 1)
    ).first()
    if head is None:
        return AuditResult(False, n, (n + 1, "the audit head row is missing (deleted?)"), expected_head=expect_head)
    last_id = int(head.last_id)
    if last_id > n:
        span = f"entry {n + 1}" if last_id == n + 1 else f"entries {n + 1} to {last_id}"
        return AuditResult(
            False, n, (n + 1, f"{span} named by the audit head are missing (the log was truncated)"),
            expected_head=expect_head,
        )
    if last_id < n or head.last_hash != prev:
        return AuditResult(
            False, n, (n, f"entry {n} does not match the audit head (head names entry {last_id})"),
            expected_head=expect_head,
        )
    rep = check_all(conn, collected) if records else None
    problems = tuple(rep.problems) if rep else ()
    ok = not problems and not (expect_head is not None and anchor is None)
    return AuditResult(
        ok, n, None, prev,
        records=rep.records if rep else 0,
        record_problems=problems,
        record_problem_count=rep.problem_count if rep else 0,
        legacy_entries=tuple(rep.legacy_entries) if rep else (),
        legacy_records=rep.legacy_records if rep else 0,
        expected_head=expect_head,
        anchor_entry=anchor,
    )


def linked(conn: Connection, entry: int, entry_hash_: str) -> bool:
    """The entry after ``entry`` links to ``entry_hash_`` (or the head names it)."""
    nxt = conn.execute(select(AUDIT_LOG.c.prev_hash).where(AUDIT_LOG.c.id == entry + 1)).first()
    if nxt is not None:
        return bool(nxt.prev_hash == entry_hash_)
    head = conn.execute(
        select(AUDIT_HEAD.c.last_id, AUDIT_HEAD.c.last_hash).where(AUDIT_HEAD.c.id == 1)
    ).first()
    return head is not None and int(head.last_id) == entry and head.last_hash == entry_hash_


def _check_row(row: Any, rid: int, expected: int, prev: str) -> tuple[int, str] | None:
    if rid != expected:
        span = f"entry {expected}" if rid == expected + 1 else f"entries {expected} to {rid - 1}"
        return expected, f"{span} missing: the log jumps from entry {expected - 1} to {rid} (deleted?)"
    if row.prev_hash != prev:
        what = "the start of the chain" if rid == 1 else f"the hash of entry {rid - 1}"
        return rid, f"entry {rid}: its prev_hash does not match {what} (edited or inserted?)"
    try:
        payload = json.loads(row.payload)
    except (TypeError, ValueError):
        return rid, f"entry {rid}: its payload is not JSON (edited?)"
    if canonical_json(payload) != row.payload:
        return rid, f"entry {rid}: its payload is not in canonical form (edited?)"
    h = entry_hash(
        row.prev_hash, id=rid, at=row.at, actor=row.actor, action=row.action,
        subject=row.subject, payload=payload,
    )
    if h != row.hash:
        return rid, f"entry {rid}: its content does not match its hash (edited?)"
    return None
