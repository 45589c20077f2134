"""Edge cases of reviewer actions and store URLs (issue 13, items 4 and 7): past
expiries, ids beyond 64 bits, over-long or control-character reviewer names (the same
answer on SQLite and PostgreSQL) and read-only SQLite URLs that are never written."""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_helpers import stored

from qa_engine.cli import cli
from qa_engine.store import StoreError, open_store


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def one_line(res) -> str:  # type: ignore[no-untyped-def]
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("qa-engine: error: "), res.stderr
    assert "Traceback" not in res.output and "internal error" not in res.output
    return lines[0]


@pytest.fixture
def populated(store_url: str) -> tuple[str, int, str]:
    store, [eid] = stored(store_url, "mooc-intro-ai")
    cid = store.get_report(eid).criteria[0].id
    store.close()
    return store_url, eid, cid


def test_expiry_in_the_past_or_today_is_refused(populated: tuple[str, int, str]) -> None:
    db, eid, cid = populated
    today = _dt.date.today()
    for day in (today - _dt.timedelta(days=1), today, _dt.date(2020, 1, 1)):
        for cmd in (["override", str(eid), cid, "--state", "met"], ["waive", str(eid), cid]):
            line = one_line(run("review", *cmd, "--reason", "r", "--reviewer", "ann", "--expires", day.isoformat(), "--db", db))
            assert f"--expires {day.isoformat()} is not after today ({today.isoformat()})" in line
    tomorrow = (today + _dt.timedelta(days=1)).isoformat()
    res = run("review", "waive", str(eid), cid, "--reason", "r", "--reviewer", "ann", "--expires", tomorrow, "--db", db)
    assert res.exit_code == 0, res.output
    with open_store(db) as s:
        assert s.counts()["review_actions"] == 1


@pytest.mark.parametrize("big", ["1" + "0" * 24, str(2**63), "0"])
def test_evaluation_ids_no_row_can_have_are_not_found(populated: tuple[str, int, str], big: str) -> None:
    db, _eid, cid = populated
    for args in (["review", "show", big], ["review", "waive", big, cid, "--reason", "r", "--reviewer", "a"],
                 ["review", "override", big, cid, "--state", "met", "--reason", "r", "--reviewer", "a"]):
        line = one_line(run(*args, "--db", db))
        assert f"evaluation {big} is not in" in line, line


def test_reviewer_names_are_checked_alike_on_every_backend(populated: tuple[str, int, str]) -> None:
    db, eid, cid = populated
    for name in ("a" * 201, "x" * 5000):
        line = one_line(run("review", "waive", str(eid), cid, "--reason", "r", "--reviewer", name, "--db", db))
        assert f"the reviewer name is {len(name)} characters long; at most 200 are allowed" in line
    for name in ("ann\nbob", "ann\x1b[31m", "ann\x00", "ann\u202e"):
        line = one_line(run("review", "waive", str(eid), cid, "--reason", "r", "--reviewer", name, "--db", db))
        assert "holds control characters" in line and "\x1b" not in line and "\x00" not in line
    line = one_line(run("review", "waive", str(eid), cid, "--reason", "a\x00b", "--reviewer", "ann", "--db", db))
    assert "NUL" in line
    res = run("review", "waive", str(eid), cid, "--reason", "r", "--reviewer", "a" * 200, "--db", db)
    assert res.exit_code == 0, res.output  # exactly 200 is fine on both
    with open_store(db) as s:
        assert s.counts()["review_actions"] == 1
        with pytest.raises(StoreError, match="at most 200"):
            open_store(db, actor="q" * 201)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_sqlite_url_is_never_written(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    store, [eid] = stored(str(db), "mooc-intro-ai")
    cid = store.get_report(eid).criteria[0].id
    store.close()
    before = _digest(db)
    ro = f"sqlite:///{db}?mode=ro"
    line = one_line(run("review", "waive", str(eid), cid, "--reason", "r", "--reviewer", "ann", "--db", ro))
    assert "opened read-only (?mode=ro), and this command writes to it" in line
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n")
    res = run("batch", str(bad), "--out", str(tmp_path / "out"), "--db", ro, "--as-of", "2026-01-01")
    assert res.exit_code == 2 and "read-only" in res.stderr
    assert run("audit", "verify", "--db", ro).exit_code == 0
    assert run("history", "mooc-intro-ai", "--db", ro).exit_code == 0
    assert run("review", "show", str(eid), "--db", ro, "--as-of", "2026-01-01").exit_code in (0, 1)
    assert _digest(db) == before
    with open_store(str(db)) as s:
        assert s.counts()["review_actions"] == 0 and s.counts()["rejections"] == 0
    # a read-only store that does not exist yet is not created
    line = one_line(run("audit", "verify", "--db", f"sqlite:///{tmp_path / 'new.sqlite'}?mode=ro"))
    assert "does not exist" in line and not (tmp_path / "new.sqlite").exists()
    res = run("batch", str(bad), "--out", str(tmp_path / "out2"), "--db", f"sqlite:///{tmp_path / 'new.sqlite'}?mode=ro")
    assert res.exit_code == 2 and not (tmp_path / "new.sqlite").exists()
    line = one_line(run("audit", "verify", "--db", f"sqlite:///{db}?cache=shared"))
    assert "does not support (cache)" in line
