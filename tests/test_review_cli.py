"""`qa-engine review`, `history` and `audit verify` end to end, tampering with the
SQLite file through the sqlite3 module, and one-line errors for foreign or corrupted stores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_helpers import stored

from qa_engine.cli import cli

AS_OF = ["--as-of", "2026-01-01"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _one_line_error(res) -> str:  # type: ignore[no-untyped-def]
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("qa-engine: error: "), res.stderr
    assert "Traceback" not in res.output
    return lines[0]


@pytest.fixture
def populated(store_url: str) -> tuple[str, int]:
    store, [eid] = stored(store_url, "mooc-intro-ai")
    store.close()
    return store_url, eid


def test_review_override_waive_show_history(populated: tuple[str, int]) -> None:
    db, eid = populated
    res = run("review", "show", str(eid), "--db", db, "-f", "json", *AS_OF)
    assert res.exit_code == 1  # the example does not pass
    stored_doc = json.loads(res.stdout)
    ess = stored_doc["essential_failures"]
    assert ess and stored_doc["review"]["active"] == 0
    for cid in ess:
        res = run("review", "waive", str(eid), cid, "--reason", "accepted by the board", "--reviewer", "ann", "--db", db)
        assert res.exit_code == 0, res.output
        assert f"evaluation {eid} {cid} waived by ann" in res.stdout
    fix = [f["criterion"] for f in stored_doc["fixes"] if not f["essential"]]
    for cid in fix:
        res = run("review", "override", str(eid), cid, "--state", "met", "--reason", "seen on site",
                  "--reviewer", "bob", "--expires", "2030-01-01", "--db", db)
        assert res.exit_code == 0, res.output
    res = run("review", "show", str(eid), "--db", db, "-f", "json", *AS_OF)
    doc = json.loads(res.stdout)
    assert doc["essential_failures"] == [] and doc["passed"] is True and res.exit_code == 0
    states = {c["id"]: (c["state"], c["review"]) for c in doc["criteria"]}
    assert all(states[c][0] == "waived" and states[c][1]["reviewer"] == "ann" for c in ess)
    assert all(states[c][0] == "overridden" and states[c][1]["state"] == "met" for c in fix)
    assert doc["review"]["stored_decision"] == stored_doc["decision"]
    # after the expiry date, the overrides lapse; the waivers stay
    later = json.loads(run("review", "show", str(eid), "--db", db, "-f", "json", "--as-of", "2030-01-01").stdout)
    assert {c["id"] for c in later["criteria"] if c["state"] == "overridden"} == set()
    assert len(later["review"]["lapsed"]) == len(fix)
    text = run("review", "show", str(eid), "--db", db, *AS_OF).stdout
    assert "Reviewed: evaluation" in text and "waiver:" in text and "by ann" in text
    html = run("review", "show", str(eid), "--db", db, "-f", "html", *AS_OF).stdout
    assert html.startswith("<!DOCTYPE html") or "<html" in html[:200]
    assert "Waived by ann" in html and "Effective report" in html

    hist = run("history", "mooc-intro-ai", "--db", db)
    assert hist.exit_code == 0
    assert "evaluation 1" in hist.stdout and "ann waived" in hist.stdout and "bob overrode" in hist.stdout
    entries = json.loads(run("history", "mooc-intro-ai", "--db", db, "-f", "json").stdout)
    assert [e["kind"] for e in entries] == ["evaluation"] + ["waiver"] * len(ess) + ["override"] * len(fix)
    assert "no evaluations" in run("history", "unknown-dossier", "--db", db).stdout

    res = run("audit", "verify", "--db", db)
    assert res.exit_code == 0 and "audit log OK: " in res.stdout
    n = 4 + len(ess) + len(fix)
    assert f"OK: {n} entries" in res.stdout


def test_review_errors_are_one_line(populated: tuple[str, int], tmp_path: Path) -> None:
    db, eid = populated
    line = _one_line_error(run("review", "override", str(eid), "NOPE", "--state", "met", "--reason", "r", "--reviewer", "a", "--db", db))
    assert f"evaluation {eid} has no criterion NOPE" in line
    line = _one_line_error(run("review", "show", "999", "--db", db))
    assert "evaluation 999 is not in" in line and "qa-engine history" in line
    missing = tmp_path / "missing.sqlite"
    line = _one_line_error(run("audit", "verify", "--db", str(missing)))
    assert f"{missing} does not exist" in line and not missing.exists()
    res = run("review", "override", str(eid), "X", "--state", "waived", "--reason", "r", "--reviewer", "a", "--db", db)
    assert res.exit_code == 2  # click rejects the choice


def test_audit_verify_names_edited_and_deleted_entries(sqlite_url: str) -> None:
    store, ids = stored(sqlite_url, "mooc-intro-ai", "bootcamp-web-dev")
    eid = ids[0]
    store.override(eid, store.get_report(eid).criteria[0].id, state="met", reason="ok", reviewer="ann")
    store.close()
    assert run("audit", "verify", "--db", sqlite_url).exit_code == 0

    con = sqlite3.connect(sqlite_url)
    con.execute("UPDATE audit_log SET payload = replace(payload, '\"passed\":false', '\"passed\":true') WHERE id = 4")
    con.commit()
    assert con.total_changes == 1
    res = run("audit", "verify", "--db", sqlite_url)
    assert res.exit_code == 1
    assert "BROKEN at entry 4" in res.stdout and "does not match its hash" in res.stdout
    doc = json.loads(run("audit", "verify", "--db", sqlite_url, "-f", "json").stdout)
    assert doc["ok"] is False and doc["first_broken"]["entry"] == 4 and doc["entries"] == 3

    # forge the hash of entry 4 too: now entry 5's link breaks
    row = con.execute("SELECT id, at, actor, action, subject, payload, prev_hash FROM audit_log WHERE id = 4").fetchone()
    from qa_engine.store.audit import entry_hash

    forged = entry_hash(row[6], id=row[0], at=row[1], actor=row[2], action=row[3], subject=row[4], payload=json.loads(row[5]))
    con.execute("UPDATE audit_log SET hash = ? WHERE id = 4", (forged,))
    con.commit()
    res = run("audit", "verify", "--db", sqlite_url)
    assert res.exit_code == 1 and "BROKEN at entry 5" in res.stdout and "prev_hash" in res.stdout

    con.execute("DELETE FROM audit_log WHERE id IN (4, 5)")
    con.commit()
    con.close()
    res = run("audit", "verify", "--db", sqlite_url)
    assert res.exit_code == 1 and "BROKEN at entry 4" in res.stdout and "entries 4 to 5 missing" in res.stdout


def test_foreign_or_corrupted_db_exits_2_with_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "x.sqlite"
    notes.write_text("not a database at all\n" * 50)
    for args in (["audit", "verify"], ["history", "d"], ["review", "show", "1"]):
        line = _one_line_error(run(*args, "--db", str(notes)))
        assert line == f"qa-engine: error: {notes} is not a qa-engine store (or is corrupted); pass another --db."
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    line = _one_line_error(run("audit", "verify", "--db", str(other)))
    assert "is not a qa-engine store" in line

    broken = tmp_path / "broken.sqlite"
    stored(str(broken), "mooc-intro-ai", "bootcamp-web-dev")[0].close()
    data = bytearray(broken.read_bytes())
    data[4096:] = b"\x00\xff" * ((len(data) - 4096) // 2)
    broken.write_bytes(bytes(data))
    line = _one_line_error(run("audit", "verify", "--db", str(broken)))
    assert "is not a qa-engine store (or is corrupted)" in line


def test_db_from_environment(populated: tuple[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    db, eid = populated
    monkeypatch.setenv("QA_ENGINE_DB", db)
    res = run("review", "show", str(eid), "-f", "json", *AS_OF)
    assert res.exit_code == 1 and json.loads(res.stdout)["review"]["evaluation_id"] == eid
