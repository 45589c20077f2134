"""The store API on SQLite and PostgreSQL: idempotency, content, reviewer actions,
history, the audit chain, schema versions, refusing foreign stores, locks and crashes."""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from store_helpers import AS_OF, example, setup, stored

from qa_engine.hashing import sha256_of
from qa_engine.services.review import effective_report, rescore_stored
from qa_engine.store import (
    NotInStoreError,
    StoreBusyError,
    StoreError,
    open_store,
    resolve_url,
)

FAR = _dt.date(2099, 1, 1)


def _sql(url: str, *statements: str) -> None:
    """Run SQL on the store behind the store's back (tampering, corrupting)."""
    eng = create_engine(resolve_url(url))
    with eng.begin() as conn:
        for s in statements:
            conn.execute(text(s))
    eng.dispose()


# --------------------------------------------------------------------------- opening


def test_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QA_ENGINE_DB", raising=False)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'qa-engine.sqlite'}"
    monkeypatch.setenv("QA_ENGINE_DB", "x/y.db")
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'x' / 'y.db'}"
    assert resolve_url("z.sqlite") == f"sqlite:///{tmp_path / 'z.sqlite'}"
    assert resolve_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    for bad in ("sqlite://", "sqlite:///:memory:", "mysql://u@h/d", "postgresql+psycopg2://h/d"):
        with pytest.raises(StoreError):
            resolve_url(bad)


def test_open_creates_schema_once(store_url: str) -> None:
    with open_store(store_url) as s:
        assert s.counts()["audit_entries"] == 1  # store.create
    with open_store(store_url) as s:
        assert s.counts()["audit_entries"] == 1
        assert s.verify_audit().ok


def test_sqlite_pragmas(sqlite_url: str) -> None:
    store, _ = stored(sqlite_url)
    with store._db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_missing_store_not_created_for_reading(tmp_path: Path) -> None:
    target = tmp_path / "nope.sqlite"
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(target), create=False)
    assert not target.exists()
    with pytest.raises(StoreError, match="folder"):
        open_store(str(tmp_path / "no-such-dir" / "s.sqlite"))


# --------------------------------------------------------------------------- evaluations


def test_record_evaluation_is_idempotent_and_round_trips(store_url: str) -> None:
    store, [eid] = stored(store_url, "mooc-intro-ai")
    report, dj = example("mooc-intro-ai")
    assert store.record_evaluation(report, dj) == (eid, False)
    assert store.find_evaluation(report.dossier.sha256, report.ruleset.sha256, report.rubric.sha256) == eid
    assert store.find_evaluation("0" * 64, report.ruleset.sha256, report.rubric.sha256) is None
    assert store.get_report(eid) == report
    c = store.counts()
    assert (c["evaluations"], c["submissions"], c["findings"]) == (1, 1, len(report.criteria))
    assert c["ruleset_versions"] == c["rubric_versions"] == 1
    # a second dossier, and the same dossier content under another file name -> same submission
    r2, dj2 = example("bootcamp-web-dev")
    eid2, created = store.record_evaluation(r2, dj2, batch_id="b1")
    assert created and eid2 != eid
    assert list(store.evaluations(batch_id="b1")) == [eid2]
    store.ensure_content(setup().ruleset, setup().rubric)  # idempotent
    assert store.counts()["audit_entries"] == 1 + 2 + 2
    assert store.verify_audit().ok
    store.close()


def test_record_needs_content(store_url: str) -> None:
    report, dj = example("mooc-intro-ai")
    with open_store(store_url) as store:
        with pytest.raises(NotInStoreError, match="ensure_content"):
            store.record_evaluation(report, dj)
        assert store.counts()["evaluations"] == 0
        with pytest.raises(NotInStoreError, match="evaluation 42 is not in"):
            store.get_report(42)


def test_stored_content_rescores_identically(store_url: str) -> None:
    store, ids = stored(store_url, "mooc-intro-ai", "bootcamp-web-dev", "uni-data-analytics")
    s = setup()
    rs, rb = store.load_content(s.ruleset.sha256, s.rubric.sha256)
    assert rs.sha256 == s.ruleset.sha256 and [c.sha256 for c in rs.criteria] == [c.sha256 for c in s.ruleset.criteria]
    for eid in ids:
        original = store.get_report(eid)
        again = rescore_stored(store, eid)
        assert (again.decision, again.score_exact, again.fixes) == (original.decision, original.score_exact, original.fixes)
        assert [c.model_dump() for c in again.criteria] == [c.model_dump() for c in original.criteria]
    store.close()


def test_edited_content_is_refused(store_url: str) -> None:
    store, [eid] = stored(store_url)
    _sql(store_url, "UPDATE ruleset_version SET content = replace(content, '\"title\":\"', '\"title\":\"X')")
    store.override(eid, store.get_report(eid).criteria[0].id, state="met", reason="r", reviewer="ann")
    with pytest.raises(StoreError, match="does not match its sha256"):
        effective_report(store, eid, as_of=AS_OF)
    store.close()


def test_rejections_are_idempotent_on_input_hash(store_url: str) -> None:
    with open_store(store_url) as store:
        sha = sha256_of("broken")
        rid, created = store.record_rejection("a.yaml", sha, "a.yaml:3: bad indentation.", batch_id="b", dossier_id="x")
        assert created
        assert store.record_rejection("copy-of-a.yaml", sha, "other", batch_id="c") == (rid, False)
        assert store.counts()["rejections"] == 1
        [h] = store.history("x")
        assert h.kind == "rejection" and "a.yaml" in h.summary
        assert store.verify_audit().ok


# --------------------------------------------------------------------------- reviewer actions


def test_override_and_waive_rescore(store_url: str) -> None:
    store, [eid] = stored(store_url, "mooc-intro-ai")
    report = store.get_report(eid)
    assert report.essential_failures, "the example must fail an essential criterion"
    ess = report.essential_failures[0]
    other = next(c for c in report.criteria if c.state == "not_met" and not c.essential)
    aid1 = store.waive(eid, ess, reason="national framework has no equivalent", reviewer="ann")
    aid2 = store.override(eid, other.id, state="met", reason="evidence sent by mail", reviewer="bob", expires=FAR)
    eff = effective_report(store, eid, as_of=AS_OF)
    by_id = {c.id: c for c in eff.criteria}
    assert by_id[ess].state == "waived" and by_id[ess].review is not None
    assert by_id[ess].review.action_id == aid1 and by_id[ess].review.state == "waived"
    assert not by_id[ess].essential_failed and ess not in eff.essential_failures
    o = by_id[other.id]
    assert o.state == "overridden" and o.review is not None
    assert (o.review.state_before, o.review.state, o.review.reviewer, o.review.expires) == ("not_met", "met", "bob", FAR)
    assert o.review.action_id == aid2 and o.points == o.max_points > 0
    # the effective score is what scoring gives for the reviewed states
    from qa_engine.scoring import score

    states = {c.id: c.state for c in report.criteria} | {ess: "waived", other.id: "met"}
    expected = score(setup().ruleset, setup().rubric, states)
    assert eff.score_exact == str(expected.percent) and eff.decision == expected.band.id
    assert eff.counts.get("waived") == 1 and eff.counts.get("overridden") == 1
    assert eff.review is not None and eff.review.active == 2 and eff.review.stored_decision == report.decision
    # the stored report is untouched
    assert store.get_report(eid) == report
    store.close()


def test_actions_validate(store_url: str) -> None:
    store, [eid] = stored(store_url)
    cid = store.get_report(eid).criteria[0].id
    with pytest.raises(StoreError, match="cannot be set by an override"):
        store.override(eid, cid, state="waived", reason="r", reviewer="ann")
    with pytest.raises(NotInStoreError, match="has no criterion NOPE"):
        store.override(eid, "NOPE", state="met", reason="r", reviewer="ann")
    with pytest.raises(NotInStoreError, match="evaluation 999"):
        store.waive(999, cid, reason="r", reviewer="ann")
    with pytest.raises(StoreError, match="reason"):
        store.waive(eid, cid, reason="  ", reviewer="ann")
    assert store.counts()["review_actions"] == 0
    store.close()


def test_expiry_and_supersession(store_url: str) -> None:
    store, [eid] = stored(store_url)
    cid = next(c.id for c in store.get_report(eid).criteria if c.state == "not_met")
    store.override(eid, cid, state="met", reason="first", reviewer="ann")
    store.waive(eid, cid, reason="second", reviewer="bob", expires=_dt.date(2026, 6, 1))
    before = store.active_overrides(eid, as_of=_dt.date(2026, 5, 31))
    assert [(a.kind, a.reviewer) for a in before] == [("waiver", "bob")]
    assert store.active_overrides(eid, as_of=_dt.date(2026, 6, 1)) == []  # lapses on its date
    statuses = [(a.reason, a.status) for a in store.review_actions(eid, as_of=_dt.date(2026, 6, 1))]
    assert statuses == [("first", "superseded"), ("second", "expired")]
    eff = effective_report(store, eid, as_of=_dt.date(2026, 7, 1))
    assert eff.review is not None and eff.review.active == 0 and len(eff.review.lapsed) == 2
    assert "expired on 2026-06-01" in eff.review.lapsed[1]
    store.close()


def test_actions_follow_the_criterion_hash(store_url: str, tmp_path: Path) -> None:
    """Actions carry over to re-evaluations while the criterion is unchanged, and lapse when it changes."""
    from yaml_helpers import criterion, write_ruleset

    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.check import check_dossier, resolve

    def version(v: str, b_when: str):  # type: ignore[no-untyped-def]
        return write_ruleset(
            tmp_path, version=v,
            criteria=[criterion("A", "exists(title)"), criterion("B", b_when), criterion("C", "count(outcomes) >= 100")],
        )

    version("1.0.0", "count(outcomes) >= 50")
    reg = version("1.1.0", "count(outcomes) >= 60")
    d = load_dossier(Path(__file__).resolve().parent.parent / "examples" / "dossiers" / "mooc-intro-ai.yaml")
    with open_store(store_url) as store:
        ids = []
        for v in ("1.0.0", "1.1.0"):
            s = resolve(ruleset=f"t@{v}", as_of=AS_OF, engine="python", registry=reg)
            store.ensure_content(s.ruleset, s.rubric)
            ids.append(store.record_evaluation(check_dossier(s, d), d.model_dump_json(exclude_none=True))[0])
        e1, e2 = ids
        store.override(e1, "A", state="not_met", reason="title is misleading", reviewer="ann")
        store.waive(e1, "B", reason="not relevant", reviewer="ann")
        store.waive(e1, "C", reason="later", reviewer="ann", expires=FAR)
        assert {a.criterion_id for a in store.active_overrides(e1, as_of=AS_OF)} == {"A", "B", "C"}
        on_e2 = {a.criterion_id: a.status for a in store.review_actions(e2, as_of=AS_OF)}
        assert on_e2 == {"A": "active", "B": "criterion changed", "C": "active"}
        eff = effective_report(store, e2, as_of=AS_OF)
        states = {c.id: c.state for c in eff.criteria}
        assert states == {"A": "overridden", "B": "not_met", "C": "waived"}
        assert eff.review is not None and any("criterion has changed" in t for t in eff.review.lapsed)
        hist = store.history(d.id)
        assert [h.kind for h in hist] == ["evaluation", "evaluation", "override", "waiver", "waiver"]
        assert hist[0].at <= hist[-1].at and "t@1.0.0" in hist[0].summary


# --------------------------------------------------------------------------- audit log


def test_audit_chain_detects_edits_and_deletions(store_url: str) -> None:
    store, ids = stored(store_url, "mooc-intro-ai", "bootcamp-web-dev")
    eid = ids[0]
    store.waive(eid, store.get_report(eid).criteria[0].id, reason="r", reviewer="ann")
    res = store.verify_audit()
    assert res.ok and res.entries == 6 and res.first_broken is None and res.head_hash
    _sql(store_url, "UPDATE audit_log SET actor = 'mallory' WHERE id = 4")
    res = store.verify_audit()
    assert not res.ok and res.entries == 3 and res.first_broken is not None and res.first_broken[0] == 4
    _sql(store_url, "UPDATE audit_log SET actor = (SELECT actor FROM audit_log WHERE id = 3) WHERE id = 4")
    assert store.verify_audit().ok
    _sql(store_url, "DELETE FROM audit_log WHERE id = 6")
    res = store.verify_audit()
    assert res.first_broken is not None and res.first_broken[0] == 6 and "truncated" in res.first_broken[1]
    store.close()


def test_foreign_database_is_refused(store_url: str) -> None:
    _sql(store_url, "CREATE TABLE evaluation (x INTEGER)")
    with pytest.raises(StoreError, match=r"is not a qa-engine store \(or is corrupted\); pass another --db\.$"):
        open_store(store_url)


def test_other_application_is_refused(store_url: str) -> None:
    stored(store_url)[0].close()
    _sql(store_url, "UPDATE schema_meta SET application = 'something-else'")
    with pytest.raises(StoreError, match="is not a qa-engine store"):
        open_store(store_url)


def test_foreign_sqlite_file_is_left_untouched(tmp_path: Path) -> None:
    f = tmp_path / "other.sqlite"
    con = sqlite3.connect(f)
    con.execute("CREATE TABLE notes (t TEXT)")
    con.commit()
    con.close()
    before = f.read_bytes()
    with pytest.raises(StoreError, match=f"^{f} is not a qa-engine store"):
        open_store(str(f))
    assert f.read_bytes() == before and not Path(f"{f}-wal").exists()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello\n" * 100)
    with pytest.raises(StoreError, match="is not a qa-engine store"):
        open_store(str(text_file))


def test_corrupted_sqlite_store_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "s.sqlite"
    stored(str(f), "mooc-intro-ai", "bootcamp-web-dev")[0].close()
    data = bytearray(f.read_bytes())
    assert len(data) > 8192
    data[4096:] = b"\xde\xad\xbe\xef" * ((len(data) - 4096) // 4)
    f.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="is not a qa-engine store .or is corrupted."):
        s = open_store(str(f))
        s.verify_audit()


# --------------------------------------------------------------------------- locks and crashes


def test_busy_store_gives_a_clear_error(store_url: str) -> None:
    store, _ = stored(store_url)
    store.close()
    store = open_store(store_url, timeout=0.5)
    report, dj = example("bootcamp-web-dev")
    if store.dialect == "sqlite":
        holder = sqlite3.connect(resolve_url(store_url).removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        release = holder.rollback
    else:
        eng = create_engine(resolve_url(store_url))
        conn = eng.connect()
        tx = conn.begin()
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('qa-engine:' || coalesce(current_schema(), ''), 0))"))

        def release() -> None:
            tx.rollback()
            conn.close()
            eng.dispose()

    try:
        with pytest.raises(StoreBusyError, match="stayed locked by another process for 0.5 s"):
            store.record_evaluation(report, dj)
    finally:
        release()
    assert store.record_evaluation(report, dj)[1] is True
    store.close()


def test_crash_mid_write_loses_nothing_committed(store_url: str) -> None:
    from store_helpers import crash_worker

    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=crash_worker, args=(store_url,))
    p.start()
    p.join(120)
    assert p.exitcode == 3
    with open_store(store_url, timeout=10) as store:
        c = store.counts()
        assert c["evaluations"] == 1 and c["submissions"] == 1  # the half-written submission is gone
        assert store.verify_audit().ok
        report, dj = example("bootcamp-web-dev")
        assert store.record_evaluation(report, dj)[1] is True  # and the store is not left locked


def test_record_evaluations_in_one_transaction(store_url: str) -> None:
    from store_helpers import variants

    from qa_engine.formats.report import Report

    items = [(Report.model_validate_json(r), dj) for r, dj in variants(5)]
    store, [first] = stored(store_url, "mooc-intro-ai")
    res = store.record_evaluations([*items, items[0]], batch_id="bulk")
    assert [c for _, c in res] == [True] * 5 + [False] and res[0][0] == res[-1][0]
    assert store.record_evaluations(items[:2]) == [(i, False) for i, _ in res[:2]]
    assert store.counts()["evaluations"] == 6 and store.verify_audit().ok
    assert list(store.evaluations(batch_id="bulk")) == [i for i, _ in res[:5]]
    store.close()
