"""The audit trail binds every record it vouches for (issue 13, item 3).

For every table bound to the trail (store/trail.py's registry) and on SQLite and
PostgreSQL: every single-row edit of every column, a deleted row, two rows swapped
and a row inserted behind qa-engine's back make ``audit verify`` fail and name the
first bad record; undoing the change makes it pass again. Tampering goes straight to
the database with foreign keys (and, on PostgreSQL, the CHECK constraints) out of
the way, as an attacker with write access would.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    create_engine,
    select,
    update,
)
from store_helpers import AS_OF, example, setup
from workflow_helpers import populate_workflow

from qa_engine.cli import cli
from qa_engine.services.review import effective_report
from qa_engine.store import TrailError, codec, open_store, resolve_url
from qa_engine.store import trail as trail_mod
from qa_engine.store.audit import GENESIS, entry_hash
from qa_engine.store.models import AUDIT_HEAD, AUDIT_LOG, FINDING, METADATA

FAR = _dt.date(2099, 1, 1)
BOUND = sorted(trail_mod.REGISTRY)
#: Tables whose rows are part of another record's content (table -> (parent table, fk)).
CHILDREN = {"finding": ("evaluation", "evaluation_id"), "review_judgment": ("panel_review", "review_id")}


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- a populated store


def _second_setup() -> Any:
    from qa_engine.services.check import resolve

    return resolve(ruleset="eu-microcredential@1.1.0", as_of=AS_OF, engine="python")


def populate(url: str, *, workspace: bool = True) -> dict[str, int]:
    """Two rows in every bound table: two ruleset and rubric versions, two submissions
    and evaluations, two rejections, an override and a waiver."""
    from store_helpers import EXAMPLES

    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.check import check_dossier

    store = open_store(url)
    s1, s2 = setup(), _second_setup()
    store.ensure_content(s1.ruleset, s1.rubric)
    store.ensure_content(s2.ruleset, s2.rubric)
    r1, dj1 = example("mooc-intro-ai")
    e1 = store.record_evaluation(r1, dj1)[0]
    d2 = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    r2 = check_dossier(s2, d2, file="bootcamp-web-dev.yaml")
    e2 = store.record_evaluation(r2, d2.model_dump_json(exclude_none=True), batch_id="b-1")[0]
    store.record_rejection("bad-1.yaml", "1" * 64, "bad-1.yaml:3:1: bad indentation.", dossier_id="bad-one")
    store.record_rejection("bad-2.yaml", "2" * 64, "bad-2.yaml: not UTF-8.", batch_id="b-1")
    made = populate_workflow(store, [e1, e2])
    from publication_helpers import populate_publication

    populate_publication(store, made["cases"], made["decisions"])
    crit = r1.criteria
    store.override(e1, crit[0].id, state="met", reason="seen on site", reviewer="ann", expires=FAR)
    store.waive(e1, crit[1].id, reason="accepted by the board", reviewer="bob")
    if workspace:
        _workspace(store)
    result = store.verify_audit()
    assert result.ok and not result.record_problems, result
    store.close()
    return {"e1": e1, "e2": e2}


def _workspace(store: Any) -> None:
    """Two rows (at least) in every workspace table, written by the services: accounts,
    tokens, sessions, cases with versions and events, evidence files."""
    from workspace_helpers import PASSWORD, people, upload

    from qa_engine.services import accounts, submissions

    ws = people(store)
    p, p2, coord = ws.users["provider"], ws.users["provider2"], ws.users["coordinator"]
    accounts.create_token(store, p.email, name="one", actor="test")
    accounts.create_token(store, p2.email, name="two", actor="test")
    accounts.revoke_tokens(store, p2.email, actor="test")
    accounts.sign_in(store, p.email, PASSWORD, address="10.0.0.1")
    accounts.disable_user(store, ws.users["admin"].email, actor="test")
    a = submissions.create_draft(store, p, *upload("mooc-intro-ai")).case.id
    b = submissions.create_draft(store, p2, *upload("bootcamp-web-dev")).case.id
    text = upload("mooc-intro-ai")[0].decode().replace("Introduction to", "A Gentle Introduction to", 1)
    submissions.add_version(store, p, a, text.encode(), "v2.yaml", note="retitled")
    submissions.add_evidence(store, p, a, b"%PDF-1.4\n%%EOF\n", "self-review.pdf",
                             effective_from=_dt.date(2026, 1, 1), expires=_dt.date(2028, 1, 1))
    submissions.add_evidence(store, p2, b, b"criterion,evidence\n", "map.csv")
    submissions.submit(store, p, a)
    submissions.screen(store, coord, a, "accept")
    submissions.withdraw(store, p2, b)


class Tamper:
    """Direct SQL on a store, the way someone with write access would change it."""

    def __init__(self, url: str) -> None:
        self.url = resolve_url(url)
        self.engine = create_engine(self.url)
        self.pg = self.engine.dialect.name == "postgresql"
        if self.pg:  # an attacker with DDL rights drops what stands in the way: every CHECK
            with self.engine.begin() as conn:
                checks = conn.exec_driver_sql(
                    "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'c' "
                    "AND connamespace = current_schema()::regnamespace"
                ).all()
                for tab, name in checks:
                    conn.exec_driver_sql(f'ALTER TABLE {tab} DROP CONSTRAINT "{name}"')

    def __call__(self, fn: Callable[[Connection], Any]) -> Any:
        with self.engine.begin() as conn:
            if self.pg:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # no FK triggers
            else:
                conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")  # FKs are off by default
            return fn(conn)

    def rows(self, table: str) -> list[dict[str, Any]]:
        t = METADATA.tables[table]
        return self(lambda c: [dict(r._mapping) for r in c.execute(select(t).order_by(t.c.id))])

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture
def tampered(store_url: str) -> Iterator[tuple[str, Tamper, dict[str, int]]]:
    ids = populate(store_url)
    t = Tamper(store_url)
    try:
        yield store_url, t, ids
    finally:
        t.close()


@pytest.fixture
def tampered_checker_only(store_url: str) -> Iterator[tuple[str, Tamper, dict[str, int]]]:
    """A store with the checker's records only (what a release before binding held)."""
    ids = populate(store_url, workspace=False)
    t = Tamper(store_url)
    try:
        yield store_url, t, ids
    finally:
        t.close()


def verify(url: str, **kw: Any) -> Any:
    with open_store(url, create=False) as s:
        return s.verify_audit(**kw)


def _recoded(blob: bytes, change: Callable[[str], str]) -> bytes:
    """A stored (compressed) report decoded, changed and compressed again, the way
    someone who knows the store's format would forge it."""
    c = codec.cached(*codec.names(blob))
    assert c is not None  # the store was written by this process
    return c.encode(change(c.decode(blob)))


def _tampered_json(text: str) -> str:
    data = json.loads(text)
    data["tampered"] = True
    return json.dumps(data)


def _other(col: Any, value: Any) -> Any:
    """A different value of the same type (the same length for text: VARCHAR limits)."""
    if col.table.name in trail_mod.REGISTRY and col.name in trail_mod.REGISTRY[col.table.name].row_decoders:
        return _recoded(value, _tampered_json)
    if isinstance(value, bytes):  # a dossier, compressed on its own
        return codec.pack_document(_tampered_json(codec.unpack_document(value)))
    if col.table.name in trail_mod.REGISTRY and col.name in trail_mod.REGISTRY[col.table.name].decoders:
        data = json.loads(value)
        if isinstance(data, list):
            return json.dumps([*data, "tampered"])
        data["tampered"] = True
        return json.dumps(data)
    t = col.type
    if value is None:
        if isinstance(t, DateTime):
            return _dt.datetime(2031, 1, 1, tzinfo=_dt.UTC)
        if isinstance(t, Date):
            return _dt.date(2031, 1, 1)
        if isinstance(t, Boolean):
            return True
        if isinstance(t, Integer):
            return 999
        if isinstance(t, Float):
            return 1.0
        return "tampered"[: getattr(t, "length", None) or None]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1000
    if isinstance(value, float):
        return value + 0.5
    if isinstance(value, _dt.datetime):
        return value + _dt.timedelta(seconds=1)
    if isinstance(value, _dt.date):
        return value + _dt.timedelta(days=1)
    assert isinstance(value, str)
    if not value:
        return "x"
    return value[:-1] + ("a" if value[-1] != "a" else "b")


def _expected(table: str, row: dict[str, Any]) -> tuple[str, int]:
    """The record a change to ``row`` of ``table`` must be reported on."""
    if table in CHILDREN:
        parent, fk = CHILDREN[table]
        return parent, int(row[fk])
    return table, int(row["id"])


def _first(result: Any) -> Any:
    assert not result.ok, "audit verify passed a tampered store"
    assert result.first_broken is None, result.first_broken  # the chain itself is intact
    assert result.record_problems
    return result.record_problems[0]


TABLES = BOUND + sorted(CHILDREN)


@pytest.mark.parametrize("table", TABLES)
def test_every_column_edit_is_detected(tampered: tuple[str, Tamper, dict[str, int]], table: str) -> None:
    url, t, _ids = tampered
    tab = METADATA.tables[table]
    row = t.rows(table)[-1]
    columns = [c for c in tab.c if not c.primary_key]
    assert columns
    for col in columns:
        new = _other(col, row[col.name])
        t(lambda c, col=col, new=new: c.execute(update(tab).where(tab.c.id == row["id"]).values({col.name: new})))
        problem = _first(verify(url))
        assert (problem.table, problem.id) == _expected(table, row), (col.name, problem)
        if table in CHILDREN:
            child = next(n for n, c in trail_mod.REGISTRY[CHILDREN[table][0]].children.items() if c.table.name == table)
            assert child in problem.reason, problem.reason
        elif problem.kind == "changed":
            assert f": {col.name} differs" in problem.reason, problem.reason
        t(lambda c, col=col: c.execute(update(tab).where(tab.c.id == row["id"]).values({col.name: row[col.name]})))
        assert verify(url).ok, col.name


@pytest.mark.parametrize("table", TABLES)
def test_deleted_row_is_named(tampered: tuple[str, Tamper, dict[str, int]], table: str) -> None:
    url, t, _ids = tampered
    tab = METADATA.tables[table]
    row = t.rows(table)[0]
    t(lambda c: c.execute(tab.delete().where(tab.c.id == row["id"])))
    problem = _first(verify(url))
    assert (problem.table, problem.id) == _expected(table, row)
    if table not in CHILDREN:
        assert problem.kind == "missing" and "is missing (deleted?)" in problem.reason
    t(lambda c: c.execute(tab.insert().values(row)))
    assert verify(url).ok


@pytest.mark.parametrize("table", BOUND)
def test_reordered_rows_are_named(tampered: tuple[str, Tamper, dict[str, int]], table: str) -> None:
    url, t, _ids = tampered
    tab = METADATA.tables[table]
    a, b = t.rows(table)[:2]

    def swap(c: Connection) -> None:
        c.execute(update(tab).where(tab.c.id == a["id"]).values(id=-1))
        c.execute(update(tab).where(tab.c.id == b["id"]).values(id=a["id"]))
        c.execute(update(tab).where(tab.c.id == -1).values(id=b["id"]))

    t(swap)
    problem = _first(verify(url))
    assert problem.table == table and problem.id in (a["id"], b["id"])
    if not trail_mod.REGISTRY[table].children:
        assert problem.kind == "moved" and "reordered or renumbered" in problem.reason
    t(swap)
    assert verify(url).ok


@pytest.mark.parametrize("table", TABLES)
def test_inserted_row_is_named(tampered: tuple[str, Tamper, dict[str, int]], table: str) -> None:
    url, t, ids = tampered
    tab = METADATA.tables[table]
    row = dict(t.rows(table)[0])
    row["id"] = 5000
    for col in tab.c:  # keep UNIQUE columns unique
        if (col.unique or col.name in ("criterion_id", "label")) and isinstance(row[col.name], str):
            row[col.name] = _other(col, row[col.name])
        if col.name == "user_id" and table in ("panel_member", "panel_review"):  # (panel, user) is unique
            row[col.name] = _other(col, row[col.name])
    if table == "evaluation":
        row["dossier_sha256"] = "e" * 64
    if table == "submission_version":  # UNIQUE (case_id, number)
        row["number"] += 1000
    t(lambda c: c.execute(tab.insert().values(row)))
    problem = _first(verify(url))
    if table in CHILDREN:
        assert (problem.table, problem.id) == _expected(table, row)
    else:
        assert (problem.table, problem.id, problem.kind) == (table, 5000, "unvouched")
        assert "no audit entry vouches for it" in problem.reason


def test_orphan_child_rows_are_found(tampered: tuple[str, Tamper, dict[str, int]]) -> None:
    url, t, ids = tampered
    row = t.rows("finding")[0]
    t(lambda c: c.execute(FINDING.insert().values({**row, "id": 9000, "evaluation_id": 777})))
    res = verify(url)
    assert not res.ok
    assert any(p.table == "finding" and p.id == 9000 and "evaluation 777" in p.reason for p in res.record_problems)


def test_the_first_bad_record_in_chain_order_comes_first(tampered: tuple[str, Tamper, dict[str, int]]) -> None:
    url, t, ids = tampered
    t(lambda c: c.exec_driver_sql("UPDATE review_action SET reviewer = 'Head of QA'"))
    t(lambda c: c.exec_driver_sql(f"UPDATE evaluation SET score = 99 WHERE id = {ids['e2']}"))
    res = verify(url)
    assert [(p.table, p.kind) for p in res.record_problems] == [
        ("evaluation", "changed"), ("review_action", "changed"), ("review_action", "changed")
    ]
    assert res.record_problems[0].id == ids["e2"] and res.record_problem_count == 3
    entries = [p.entry for p in res.record_problems]
    assert entries == sorted(entries)


def test_reencoded_documents_keep_their_hash(tampered: tuple[str, Tamper, dict[str, int]]) -> None:
    """The trail hashes the logical content: the same report, dossier or ruleset
    written in another JSON encoding (compact, pretty, keys reordered) still verifies."""
    url, t, ids = tampered

    def reencode(c: Connection) -> None:
        for table, col in (("evaluation", "report_json"), ("submission", "dossier_json"),
                           ("ruleset_version", "content"), ("rubric_version", "content")):
            tab = METADATA.tables[table]
            for r in c.execute(select(tab.c.id, tab.c[col])):
                def other(text: str) -> str:
                    again = json.dumps(dict(reversed(list(json.loads(text).items()))), indent=3, ensure_ascii=True)
                    assert again != text
                    return again

                if table == "evaluation":
                    value: Any = _recoded(r[1], other)
                elif table == "submission":
                    value = codec.pack_document(other(codec.unpack_document(r[1])))
                else:
                    value = other(r[1])
                c.execute(update(tab).where(tab.c.id == r[0]).values({col: value}))

    t(reencode)
    res = verify(url)
    assert res.ok and res.records == sum(len(t.rows(name)) for name in BOUND), res


# --------------------------------------------------------------------------- the cases of the issue


def test_issue_forgeries_are_refused_by_review_show_and_flagged_by_history(
    tampered: tuple[str, Tamper, dict[str, int]],
) -> None:
    url, t, ids = tampered
    e1 = ids["e1"]
    assert run("review", "show", str(e1), "--db", url, "--as-of", "2026-01-01").exit_code in (0, 1)
    ev = METADATA.tables["evaluation"]

    def passed_in_report(c: Connection) -> int:  # the report says passed, recompressed
        blob = c.execute(select(ev.c.report_json).where(ev.c.id == e1)).scalar_one()
        forged = _recoded(blob, lambda text: text.replace('"passed":false', '"passed":true'))
        assert forged != blob
        return c.execute(update(ev).where(ev.c.id == e1).values(report_json=forged)).rowcount

    cases: list[Any] = [
        f"UPDATE evaluation SET decision = 'accredited', score = 99 WHERE id = {e1}",
        "UPDATE review_action SET expires = '2099-01-01', state = 'exemplary', reviewer = 'Head of QA'",
        passed_in_report,
        "DELETE FROM review_action WHERE kind = 'waiver'",
    ]
    for sql in cases:
        populate_again = t.rows("review_action"), t.rows("evaluation")
        change = sql if callable(sql) else lambda c, sql=sql: c.exec_driver_sql(sql).rowcount
        assert t(change) >= 1, sql
        res = run("audit", "verify", "--db", url)
        assert res.exit_code == 1 and "audit log BROKEN" in res.stdout, (sql, res.stdout)
        show = run("review", "show", str(e1), "--db", url, "--as-of", "2026-01-01")
        assert show.exit_code == 2 and show.stdout == "", (sql, show.output)
        assert "does not match audit entry" in show.stderr or "is missing (deleted?)" in show.stderr, show.stderr
        assert "Head of QA" not in show.output and "99" not in show.stdout
        hist = run("history", "mooc-intro-ai", "--db", url)
        assert hist.exit_code == 1 and "!! DOES NOT MATCH THE AUDIT TRAIL" in hist.stdout, (sql, hist.stdout)
        doc = json.loads(run("history", "mooc-intro-ai", "--db", url, "-f", "json").stdout)
        assert any(e["trail"] != "ok" for e in doc)
        _restore(t, *populate_again)
        assert verify(url).ok, sql
    with open_store(url, create=False) as s, pytest.raises(TrailError):
        t(lambda c: c.exec_driver_sql("UPDATE review_action SET reason = 'forged'"))
        effective_report(s, e1, as_of=AS_OF)


def _restore(t: Tamper, actions: list[dict[str, Any]], evaluations: list[dict[str, Any]]) -> None:
    ra, ev = METADATA.tables["review_action"], METADATA.tables["evaluation"]

    def put(c: Connection) -> None:
        c.execute(ra.delete())
        c.execute(ra.insert(), actions)
        for row in evaluations:
            c.execute(update(ev).where(ev.c.id == row["id"]).values(row))

    t(put)


def test_expect_head_catches_truncated_and_recomputed_chains(tampered: tuple[str, Tamper, dict[str, int]]) -> None:
    url, t, ids = tampered
    with open_store(url) as s:  # the last two entries (dropped below) record rejections
        s.record_rejection("earlier.yaml", "4" * 64, "earlier.yaml: empty.")
    head = verify(url).head_hash
    res = run("audit", "verify", "--db", url)
    assert res.exit_code == 0 and f"head {head}" in res.stdout
    with open_store(url) as s:  # the store grows; the anchored head stays in the chain
        s.record_rejection("later.yaml", "3" * 64, "later.yaml: empty.")
    res = run("audit", "verify", "--db", url, "--expect-head", head)
    assert res.exit_code == 0 and "the expected head is entry" in res.stdout
    assert run("audit", "verify", "--db", url, "--expect-head", "abc").exit_code == 2
    # drop the last two entries and their records, and recompute the head: consistent, yet caught
    last = verify(url).entries

    def truncate(c: Connection) -> None:
        rows = list(c.execute(select(AUDIT_LOG).where(AUDIT_LOG.c.id >= last - 1)))
        for r in rows:
            for ref in json.loads(r.payload).get("records", []):
                tab = METADATA.tables[ref["table"]]
                c.execute(tab.delete().where(tab.c.id == ref["id"]))
        c.execute(AUDIT_LOG.delete().where(AUDIT_LOG.c.id >= last - 1))
        prev = c.execute(select(AUDIT_LOG.c.hash).where(AUDIT_LOG.c.id == last - 2)).scalar_one()
        c.execute(update(AUDIT_HEAD).values(last_id=last - 2, last_hash=prev))

    t(truncate)
    assert verify(url).ok  # without the anchor, a cleanly truncated chain looks intact
    res = run("audit", "verify", "--db", url, "--expect-head", head)
    assert res.exit_code == 1 and f"the expected head {head} is not in the chain" in res.stdout
    assert "truncated or recomputed" in res.stdout
    # a chain recomputed from the start (every actor renamed) is caught the same way
    head = verify(url).head_hash
    t(lambda c: _recompute_chain(c, strip=False, edit="mallory"))
    assert verify(url).ok
    res = run("audit", "verify", "--db", url, "--expect-head", head, "-f", "json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["ok"] is False and doc["anchor_entry"] is None and doc["expected_head"] == head


#: The actions of the release before record binding (its stores hold no others).
LEGACY_ACTIONS = frozenset({
    "evaluation.record", "ruleset.store", "rubric.store", "rejection.record", "review.override", "review.waiver",
})


def _recompute_chain(c: Connection, *, strip: bool, edit: str | None = None) -> None:
    """Rewrite every entry's hash from the first (optionally dropping the record
    references, as a store of the previous release has them, or renaming actors)."""
    prev = GENESIS
    rows = list(c.execute(select(AUDIT_LOG).order_by(AUDIT_LOG.c.id)))
    for r in rows:
        payload = json.loads(r.payload)
        if strip and r.action in LEGACY_ACTIONS:
            payload.pop("records", None)
        actor = edit or r.actor
        from qa_engine.hashing import canonical_json

        h = entry_hash(prev, id=r.id, at=r.at, actor=actor, action=r.action, subject=r.subject, payload=payload)
        c.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.id == r.id).values(
            payload=canonical_json(payload), prev_hash=prev, hash=h, actor=actor))
        prev = h
    c.execute(update(AUDIT_HEAD).values(last_id=rows[-1].id, last_hash=prev))


def test_stores_written_before_binding_still_verify_and_say_so(
    tampered_checker_only: tuple[str, Tamper, dict[str, int]],
) -> None:
    """A store of the previous release: the same entries without record references."""
    url, t, ids = tampered_checker_only
    t(lambda c: _recompute_chain(c, strip=True))
    res = verify(url)
    # the previous release wrote only the checker's entries (the workflow's keep their references)
    legacy = tuple(r["id"] for r in t.rows("audit_log") if r["action"] in LEGACY_ACTIONS)
    assert res.ok and res.legacy_entries == legacy and res.legacy_records == 12
    out = run("audit", "verify", "--db", url)
    assert out.exit_code == 0 and f"{len(legacy)} entries (2-" in out.stdout and "predate record binding" in out.stdout
    assert "checked by id, not by content" in out.stdout
    # review show warns that what it shows was not content-checked; history marks it
    show = run("review", "show", str(ids["e1"]), "--db", url, "--as-of", "2026-01-01")
    assert show.exit_code in (0, 1) and "predate(s) record binding" in show.stderr
    assert "not content-checked" in run("history", "mooc-intro-ai", "--db", url).stdout
    # new writes into the old store are bound; a row nobody vouches for is still caught
    with open_store(url) as s:
        s.record_rejection("new.yaml", "4" * 64, "new.yaml: empty.")
    t(lambda c: c.exec_driver_sql("UPDATE rejection SET error = 'forged' WHERE input_file = 'new.yaml'"))
    problem = _first(verify(url))
    assert problem.table == "rejection" and problem.entry == res.entries + 1
    t(lambda c: c.exec_driver_sql("UPDATE rejection SET error = 'new.yaml: empty.' WHERE input_file = 'new.yaml'"))
    rej = METADATA.tables["rejection"]
    t(lambda c: c.execute(rej.insert().values(
        id=6000, input_file="x", input_sha256="5" * 64, error="e", created_at=_dt.datetime.now(_dt.UTC))))
    assert (_first(verify(url)).id, _first(verify(url)).kind) == (6000, "unvouched")


def test_registry_covers_every_content_table() -> None:
    """Every table of the store is bound, a child of a bound table, or the trail itself."""
    for name in METADATA.tables:
        assert name in trail_mod.REGISTRY or name in CHILDREN or name in trail_mod.UNBOUND, name
    assert not set(trail_mod.UNBOUND) & set(trail_mod.REGISTRY)
    for name, (parent, fk) in CHILDREN.items():
        child = trail_mod.REGISTRY[parent].children
        assert any(c.table.name == name and c.parent == fk for c in child.values())


def test_worker_and_checker_hash_a_report_the_same() -> None:
    """Workers hash the report model's JSON value, ``audit verify`` the stored text:
    the same canonical JSON for every example dossier under every bundled ruleset."""
    from store_helpers import EXAMPLES

    from qa_engine.services.check import check_file, report_json, resolve
    from qa_engine.store import EvaluationRow

    for ruleset in ("qa-starter", "quality-review", "eu-microcredential@1.0.0", "eu-microcredential@1.1.0"):
        s = resolve(ruleset=ruleset, as_of=AS_OF, engine="python")
        for path in sorted(EXAMPLES.glob("*.yaml")):
            report = check_file(s, path)
            text = report_json(report)
            row = EvaluationRow.from_report(report, "{}", text)
            assert row.report_content_sha256 == trail_mod.json_document_sha256(text), path
