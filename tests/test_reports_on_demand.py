"""Reports on demand: the batch's --html/--json choices, `qa-engine report`, and the
service the web workspace calls (qa_engine.services.reports).

Any stored evaluation renders to the very bytes the batch writes for it, whether the
batch wrote the file or not.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import AS_OF, EXAMPLES
from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.services.batch import run_batch
from qa_engine.services.batch.runner import HTML_ALL_UP_TO, default_html
from qa_engine.services.reports import MEDIA_TYPES, render_stored
from qa_engine.store import open_store

DAY = __import__("datetime").date.fromisoformat(AS_OF)


def _journal(out: Path) -> list[dict[str, Any]]:
    lines = (out / ".qa-batch" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r["t"] == "e"]


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The examples as a quality-review batch that writes every report."""
    tmp = tmp_path_factory.mktemp("full")
    out, db = tmp / "out", str(tmp / "qa.sqlite")
    res = run_batch([EXAMPLES], out=out, db=db, ruleset="quality-review", as_of=DAY, workers=2, html="all")
    assert res.evaluated == len(list(EXAMPLES.glob("*.yaml")))
    return {"out": out, "db": db, "records": _journal(out)}


def test_every_stored_evaluation_renders_to_the_batch_files(full: dict[str, Any]) -> None:
    with open_store(full["db"], create=False) as store:
        for rec in full["records"]:
            for fmt in ("json", "html"):
                written = (full["out"] / "reports" / f"{rec['report']}.{fmt}").read_bytes()
                rendered = render_stored(store, rec["eid"], fmt)
                assert rendered.content == written, (rec["report"], fmt)
                assert rendered.media_type == MEDIA_TYPES[fmt]
                assert rendered.passed == rec["passed"]


def test_report_command_writes_the_same_bytes(full: dict[str, Any], tmp_path: Path) -> None:
    rec = next(r for r in full["records"] if not r["passed"])
    target = tmp_path / "r.html"
    res = CliRunner().invoke(cli, ["report", str(rec["eid"]), "--db", full["db"], "-o", str(target)])
    assert res.exit_code == 1, res.output  # the dossier does not pass
    assert target.read_bytes() == (full["out"] / "reports" / f"{rec['report']}.html").read_bytes()
    res = CliRunner().invoke(cli, ["report", str(rec["eid"]), "--db", full["db"], "--format", "json"])
    assert res.stdout_bytes == (full["out"] / "reports" / f"{rec['report']}.json").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "999999"], "evaluation 999999 is not in"),
        (["report", "1", "--format", "html", "--date", "2026-01-01"], "--date applies to --format pdf only"),
    ],
)
def test_report_command_errors(full: dict[str, Any], args: list[str], message: str) -> None:
    res = CliRunner().invoke(cli, [*args, "--db", full["db"]])
    assert res.exit_code == 2 and message in res.stderr and "Traceback" not in res.stderr


def test_report_command_refuses_a_missing_store(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["report", "1", "--db", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 2 and "Traceback" not in res.stderr


def test_html_none_writes_no_html_and_the_store_renders_it_later(
    full: dict[str, Any], tmp_path: Path
) -> None:
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    res = CliRunner().invoke(
        cli,
        ["batch", str(EXAMPLES), "--ruleset", "quality-review", "--as-of", AS_OF, "--out", str(out),
         "--db", db, "--workers", "1", "--html", "none", "--json", "failing"],
    )
    assert res.exit_code == 0, res.output + res.stderr
    assert not list((out / "reports").glob("*.html"))
    records = _journal(out)
    failing = {r["report"] for r in records if not r["passed"]}
    assert failing and len(failing) < len(records)
    assert {p.stem for p in (out / "reports").glob("*.json")} == failing
    # the dashboard names every dossier, links only what exists, and says how to get the rest
    dashboard = (out / "index.html").read_text(encoding="utf-8")
    assert ".html" not in "".join(
        line for line in dashboard.splitlines() if 'href="reports/' in line
    )
    assert "qa-engine report EVALUATION_ID" in dashboard
    for r in records:
        assert f"(evaluation {r['eid']})" in dashboard
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    for row in rows:
        name = Path(row["report"]).stem if row["report"] else None
        assert (name in failing) == bool(row["report"])
    # the store renders every report, byte for byte what a full batch writes
    by_id = {r["id"]: r for r in full["records"]}
    with open_store(db, create=False) as store:
        for r in records:
            for fmt in ("html", "json"):
                full_file = full["out"] / "reports" / f"{by_id[r['id']]['report']}.{fmt}"
                assert render_stored(store, r["eid"], fmt).content == full_file.read_bytes()
    # a resumed run that asks for every HTML report writes them from the store
    res2 = run_batch([EXAMPLES], out=out, db=db, workers=1, html="all")
    assert res2.evaluated == 0 and res2.skipped == len(records)
    for r in records:
        full_file = full["out"] / "reports" / f"{by_id[r['id']]['report']}.html"
        assert (out / "reports" / f"{r['report']}.html").read_bytes() == full_file.read_bytes()
    # (--json is back to its default, all: the missing JSON files are written too)
    assert {p.stem for p in (out / "reports").glob("*.json")} == {r["report"] for r in records}
    assert "qa-engine report EVALUATION_ID" not in (out / "index.html").read_text(encoding="utf-8")


def test_html_failing_writes_html_only_for_dossiers_that_do_not_pass(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([EXAMPLES], out=out, db=str(tmp_path / "qa.sqlite"), ruleset="quality-review",
              as_of=DAY, workers=1, html="failing")
    records = _journal(out)
    html = {p.stem for p in (out / "reports").glob("*.html")}
    assert html == {r["report"] for r in records if not r["passed"]}
    assert {p.stem for p in (out / "reports").glob("*.json")} == {r["report"] for r in records}


def test_the_default_is_all_for_small_batches() -> None:
    assert default_html(1) == "all" and default_html(HTML_ALL_UP_TO) == "all"
    assert default_html(HTML_ALL_UP_TO + 1) == "failing"
    res = CliRunner().invoke(cli, ["batch", "--help"])
    assert "Default: all for a batch of up to 1,000 input files, failing above" in " ".join(res.output.split())


def test_the_html_all_dashboard_is_unchanged(full: dict[str, Any]) -> None:
    """With every file written the dashboard has no note and links every report."""
    dashboard = (full["out"] / "index.html").read_text(encoding="utf-8")
    assert "qa-engine report EVALUATION_ID" not in dashboard and "(evaluation " not in dashboard
    for r in full["records"]:
        assert f'href="reports/{r["report"]}.html"' in dashboard
