"""The same batch recorded in SQLite and in a real PostgreSQL server gives identical
decisions, scores and report files, and both audit logs verify."""

from __future__ import annotations

import csv
import datetime as _dt
import shutil
from pathlib import Path

from batch_helpers import AS_OF, EXAMPLES, generate, write_broken

from qa_engine.services.batch import run_batch
from qa_engine.store import open_store

DAY = _dt.date.fromisoformat(AS_OF)


def _rows(out: Path) -> dict[str, tuple[str, ...]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return {r["file"]: (r["status"], r["dossier_id"], r["decision"], r["passed"], r["score"]) for r in csv.DictReader(fh)}


def test_batch_on_postgresql_matches_sqlite(tmp_path: Path, pg_url: str) -> None:
    inp = tmp_path / "in"
    shutil.copytree(EXAMPLES, inp / "examples")
    generate(inp / "gen", 12)
    write_broken(inp / "broken")
    lite = run_batch([inp], out=tmp_path / "lite", db=str(tmp_path / "lite.sqlite"), as_of=DAY, workers=2)
    pg = run_batch([inp], out=tmp_path / "pg", db=pg_url, as_of=DAY, workers=2)
    assert (pg.evaluated, pg.rejected, pg.total) == (lite.evaluated, lite.rejected, lite.total)
    assert _rows(tmp_path / "pg") == _rows(tmp_path / "lite")
    for p in (tmp_path / "lite" / "reports").iterdir():
        assert (tmp_path / "pg" / "reports" / p.name).read_bytes() == p.read_bytes(), p.name
    again = run_batch([inp], out=tmp_path / "pg", db=pg_url, as_of=DAY, workers=2)
    assert again.evaluated == 0  # idempotent on PostgreSQL too
    for url in (str(tmp_path / "lite.sqlite"), pg_url):
        store = open_store(url)
        try:
            assert store.verify_audit().ok
        finally:
            store.close()
