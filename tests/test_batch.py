"""`qa-engine batch`: inputs (folders, globs, zips and their limits), the store records,
rejections, exit codes, idempotent re-runs, resuming, the output folder and the dashboard."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import (
    AS_OF,
    EXAMPLES,
    db_rows,
    example_texts,
    generate,
    variant,
    write_broken,
    write_zip,
)
from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.errors import InputError, QAError
from qa_engine.services.batch import ArchiveLimits, discover, read_sources, run_batch
from qa_engine.services.batch.progress import LogProgress, RichProgress
from qa_engine.services.batch.records import OutputFolder
from qa_engine.store import codec, open_store

DAY = _dt.date.fromisoformat(AS_OF)


def cli_batch(*args: str) -> Any:
    return CliRunner().invoke(cli, ["batch", *args], catch_exceptions=False)


def summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- inputs


def test_discover_folders_globs_and_zips(tmp_path: Path) -> None:
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "x.yaml").write_text("x")
    (tmp_path / "a" / "deep" / "y.JSON").write_text("y")
    (tmp_path / "a" / "deep" / "z.yml").write_text("z")
    (tmp_path / "a" / "notes.txt").write_text("n")
    (tmp_path / "a" / ".hidden.yaml").write_text("h")
    (tmp_path / "a" / ".git").mkdir()
    (tmp_path / "a" / ".git" / "k.yaml").write_text("k")
    (tmp_path / "a" / "out").mkdir()
    (tmp_path / "a" / "out" / "report.json").write_text("{}")
    good, _ = write_zip(tmp_path / "in.zip")
    found = discover(
        [tmp_path / "a", str(tmp_path / "a" / "*.yaml"), tmp_path / "in.zip"],
        exclude=tmp_path / "a" / "out",
    )
    names = [s.name for s in found]
    a = str(tmp_path / "a")
    # the glob's x.yaml is the folder's x.yaml: listed once
    assert names[:3] == [f"{a}/x.yaml", f"{a}/deep/y.JSON", f"{a}/deep/z.yml"]
    zipped = [n.split("!", 1)[1] for n in names[3:]]
    assert zipped == [
        "batch/zip-good-1.yaml", "batch/nested/zip-good-2.yml", "batch/zip-bad-yaml.yaml",
        "batch/zip-bad-field.yaml", "../../escape.yaml",
    ]
    data = dict((s.name, d) for s, d in read_sources(found))
    assert data[f"{a}/x.yaml"] == b"x"
    assert all(isinstance(d, bytes) for d in data.values())


@pytest.mark.parametrize(
    "arg, message",
    [("nowhere/", "no such file or folder"), ("nowhere/*.yaml", "matches no file")],
)
def test_discover_usage_errors(tmp_path: Path, arg: str, message: str) -> None:
    with pytest.raises(QAError, match=message):
        discover([str(tmp_path / arg)])
    (tmp_path / "empty").mkdir()
    with pytest.raises(QAError, match="holds no dossier"):
        discover([tmp_path / "empty"])
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="not a readable zip archive"):
        discover([tmp_path / "bad.zip"])


def test_zip_bomb_limits(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.yaml", b"a" * 5_000_000)  # compresses ~1000:1
        for i in range(3):
            z.writestr(f"m{i}.yaml", b"b" * 4000)
    assert bomb.stat().st_size < 50_000
    # too many members: refused before anything is read
    with pytest.raises(InputError, match="more than 3 dossiers"):
        discover([bomb], limits=ArchiveLimits(max_members=3))
    # one member too large once decompressed (its declared size is not trusted)
    limits = ArchiveLimits(max_member_bytes=100_000, max_total_bytes=110_000)
    got = {s.member: d for s, d in read_sources(discover([bomb]), limits=limits)}
    assert isinstance(got["big.yaml"], InputError)
    assert "larger than the limit of 100,000 bytes once decompressed" in str(got["big.yaml"])
    assert str(got["big.yaml"]).startswith(f"{bomb}!big.yaml")
    # the total budget counts what was actually decompressed: big.yaml used up to 100,001
    assert got["m0.yaml"] == b"b" * 4000 and got["m1.yaml"] == b"b" * 4000
    assert isinstance(got["m2.yaml"], InputError) and "bytes of dossiers" in str(got["m2.yaml"])


# --------------------------------------------------------------------------- a batch


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The examples, three broken files and a zip of good and bad members, run once."""
    root = tmp_path_factory.mktemp("batch")
    inp = root / "in"
    shutil.copytree(EXAMPLES, inp / "examples")
    bad = write_broken(inp / "broken")
    zip_ids, zip_bad = write_zip(root / "more.zip")
    out, db = root / "out", root / "qa.sqlite"
    res = cli_batch(
        str(inp), str(root / "more.zip"), "--out", str(out), "--db", str(db),
        "--as-of", AS_OF, "--workers", "2",
    )
    bad_files = {str(inp / "broken" / k): v for k, v in bad.items()} | zip_bad
    good_ids = sorted([p.stem for p in (inp / "examples").glob("*.yaml")] + zip_ids)
    return {"root": root, "in": inp, "out": out, "db": db, "res": res, "bad": bad_files, "good": good_ids}


def test_batch_records_good_once_and_bad_with_error(corpus: dict[str, Any]) -> None:
    res, out, db = corpus["res"], corpus["out"], corpus["db"]
    assert res.exit_code == 1, res.output  # a file was rejected
    n = len(corpus["good"])
    assert f"{n} evaluated, 0 already evaluated (skipped), 5 rejected" in res.stdout
    assert f"Dashboard: {out / 'index.html'}" in res.stdout
    # every good dossier is evaluated exactly once in the store
    rows = db_rows(db, "SELECT dossier_id, COUNT(*) FROM evaluation GROUP BY dossier_id ORDER BY 1")
    assert rows == [(d, 1) for d in corpus["good"]]
    # every bad one is a rejection with its one-line error naming the file
    rejected = dict(db_rows(db, "SELECT input_file, error FROM rejection"))
    assert sorted(rejected) == sorted(corpus["bad"])
    for file, word in corpus["bad"].items():
        assert rejected[file].startswith(file) and word in rejected[file]
        assert "\n" not in rejected[file]
        assert f"qa-engine: rejected: {rejected[file]}" in res.stderr
    with open_store(str(db)) as store:
        assert store.verify_audit().ok


def test_batch_output_folder(corpus: dict[str, Any]) -> None:
    out = corpus["out"]
    rows = summary(out)
    assert len(rows) == len(corpus["good"]) + 5
    evaluated = {r["dossier_id"]: r for r in rows if r["status"] == "evaluated"}
    assert sorted(evaluated) == corpus["good"]
    assert evaluated["mooc-intro-ai"]["decision"] == "not_accredited"
    assert evaluated["mooc-intro-ai"]["passed"] == "false"
    assert evaluated["uni-data-analytics"]["decision"] == "accredited"
    for did, r in evaluated.items():
        report = json.loads((out / "reports" / f"{did}.json").read_text(encoding="utf-8"))
        assert report["dossier"]["id"] == did and report["decision"] == r["decision"]
        assert f"{float(report['score']):.2f}" == r["score"]
        assert int(r["essential_failures"]) == len(report["essential_failures"])
        assert r["report"] == f"reports/{did}.html" and (out / r["report"]).is_file()
    # the member name "../../escape.yaml" never became a path: the report is named by id
    assert (out / "reports" / "zip-escape.html").is_file()
    assert not (corpus["root"].parent / "escape.yaml").exists()
    assert {p.parent for p in out.rglob("*.html")} <= {out, out / "reports"}
    bad = {r["file"]: r["error"] for r in rows if r["status"] == "rejected"}
    assert sorted(bad) == sorted(corpus["bad"])
    assert leftovers(out) == []
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/mooc-intro-ai.html"' in html and "summary.csv" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_rerun_is_idempotent(corpus: dict[str, Any]) -> None:
    out, db = corpus["out"], corpus["db"]
    before_reports = {p.name: p.stat().st_mtime_ns for p in (out / "reports").iterdir()}
    journal = (out / ".qa-batch" / "records.jsonl").read_bytes()
    res = run_batch(
        [corpus["in"], corpus["root"] / "more.zip"], out=out, db=str(db), workers=2,
    )  # as-of and ruleset come from the folder
    n = len(corpus["good"])
    assert (res.evaluated, res.skipped, res.rejected, res.total) == (0, n, 5, n + 5)
    assert res.exit_code == 1
    assert db_rows(db, "SELECT COUNT(*) FROM evaluation") == [(n,)]
    assert db_rows(db, "SELECT COUNT(*) FROM rejection") == [(5,)]
    # nothing was rewritten, the journal did not grow
    assert {p.name: p.stat().st_mtime_ns for p in (out / "reports").iterdir()} == before_reports
    assert (out / ".qa-batch" / "records.jsonl").read_bytes() == journal
    assert len(summary(out)) == n + 5


def test_fixed_file_replaces_its_rejection(corpus: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(corpus["out"], out)
    db = tmp_path / "qa.sqlite"
    shutil.copy(corpus["db"], db)
    broken = corpus["in"] / "broken"
    work = tmp_path / "in"
    shutil.copytree(broken, work)
    fixed = work / "unknown-field.yaml"
    fixed.write_text(fixed.read_text().replace("colour: blue\n", ""))
    res = run_batch([work], out=out, db=str(db), workers=1)
    assert (res.evaluated, res.rejected) == (1, 2)
    rows = {r["file"]: r for r in summary(out)}
    assert rows[str(fixed)]["status"] == "evaluated" and rows[str(fixed)]["error"] == ""


def test_exit_zero_and_duplicates(tmp_path: Path) -> None:
    texts = example_texts()
    inp = tmp_path / "in"
    inp.mkdir()
    # the same dossier twice (other file name), and two different dossiers with one id
    (inp / "a.yaml").write_text(texts["bootcamp-web-dev"])
    (inp / "b.yaml").write_text(texts["bootcamp-web-dev"])
    (inp / "c.yaml").write_text(variant(texts["mooc-intro-ai"], "same-id", 1))
    (inp / "d.yaml").write_text(variant(texts["uni-data-analytics"], "same-id", 2))
    out, db = tmp_path / "out", tmp_path / "qa.sqlite"
    res = cli_batch(str(inp / "*.yaml"), "-o", str(out), "--db", str(db), "--as-of", AS_OF, "-j", "2")
    assert res.exit_code == 0, res.output
    assert "3 evaluated, 1 already evaluated (skipped), 0 rejected" in res.stdout
    rows = {r["file"]: r for r in summary(out)}
    assert rows[str(inp / "a.yaml")]["report"] == rows[str(inp / "b.yaml")]["report"]
    names = sorted(p.name for p in (out / "reports").glob("same-id*.json"))
    assert len(names) == 2 and "same-id.json" in names
    other = next(n for n in names if n != "same-id.json")
    assert other.startswith("same-id-") and len(other) == len("same-id-") + 8 + len(".json")
    assert db_rows(db, "SELECT COUNT(*) FROM evaluation") == [(3,)]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    ex = str(EXAMPLES / "mooc-intro-ai.yaml")
    out = str(tmp_path / "out")
    res = cli_batch(str(tmp_path / "missing"), "-o", out)
    assert res.exit_code == 2 and "no such file or folder" in res.stderr
    res = cli_batch(ex, "-o", out, "--executor", "dask")
    assert res.exit_code == 2 and "--scheduler" in res.stderr
    res = cli_batch(ex, "-o", out, "--scheduler", "tcp://127.0.0.1:1")
    assert res.exit_code == 2
    res = cli_batch(ex, "-o", out, "--ruleset", "no-such-ruleset", "--db", str(tmp_path / "q.sqlite"))
    assert res.exit_code == 2 and "no-such-ruleset" in res.stderr
    # a folder is bound to the ruleset, rubric and as-of date of its first batch
    res = cli_batch(ex, "-o", out, "--db", str(tmp_path / "q.sqlite"), "--as-of", AS_OF, "-j", "1")
    assert res.exit_code == 0  # evaluated (although it does not pass)
    res = cli_batch(ex, "-o", out, "--db", str(tmp_path / "q.sqlite"), "--as-of", "2026-02-01")
    assert res.exit_code == 2 and "as of 2026-01-01" in res.stderr and "--out" in res.stderr
    assert "Traceback" not in res.output


def test_another_folder_adopts_stored_evaluations(corpus: dict[str, Any], tmp_path: Path) -> None:
    """Evaluations the store holds (e.g. recorded just before a kill, or by another
    batch) are not evaluated again: their reports come from the store."""
    out = tmp_path / "out"
    examples = corpus["in"] / "examples"
    res = run_batch([examples], out=out, db=str(corpus["db"]), as_of=DAY, workers=1)
    n = len(list(examples.glob("*.yaml")))
    assert (res.evaluated, res.skipped) == (0, n)
    for p in examples.glob("*.yaml"):
        mine = (out / "reports" / f"{p.stem}.json").read_text(encoding="utf-8")
        theirs = json.loads((corpus["out"] / "reports" / f"{p.stem}.json").read_text(encoding="utf-8"))
        assert json.loads(mine) == theirs
    assert len(summary(out)) == n


def test_interrupted_writes_and_journal_are_repaired(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    generate(inp, 4)
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    run_batch([inp], out=out, db=db, as_of=DAY, workers=1)
    # what a kill -9 can leave: temporary files of atomic writes, a cut-short journal line
    from qa_engine.fileio import write_temporary

    write_temporary(out / "reports", b"{half")
    write_temporary(out, b"<ht")
    write_temporary(out / ".qa-batch", b"{")
    journal = out / ".qa-batch" / "records.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    last_e = max(i for i, line in enumerate(lines) if b'"t":"e"' in line)
    journal.write_bytes(b"".join(lines[:last_e]) + lines[last_e][:40])
    res = run_batch([inp], out=out, db=db, workers=1)
    assert (res.evaluated, res.skipped) == (0, 4)
    assert leftovers(out) == []
    assert len(summary(out)) == 4
    assert db_rows(Path(db), "SELECT COUNT(*) FROM evaluation") == [(4,)]
    assert all(line.endswith(b"\n") for line in journal.read_bytes().splitlines(keepends=True))


def test_one_batch_per_folder_at_a_time(tmp_path: Path) -> None:
    with OutputFolder(tmp_path / "out"), pytest.raises(QAError, match="another batch is writing"):
        OutputFolder(tmp_path / "out").open()


def test_dashboard_covers_resumed_runs(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    generate(inp / "one", 3, prefix="one")
    generate(inp / "two", 2, prefix="two")
    (inp / "two" / "evil.yaml").write_text(
        variant(example_texts()["mooc-intro-ai"], "evil", 9).replace(
            "title: Introduction", "title: <script>alert(1)</script> Introduction", 1
        )
    )
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    run_batch([inp / "one"], out=out, db=db, as_of=DAY, workers=1)
    run_batch([inp / "two"], out=out, db=db, workers=1)
    rows = summary(out)
    assert sorted(r["dossier_id"] for r in rows) == [
        "evil", "one-0000", "one-0001", "one-0002", "two-0000", "two-0001",
    ]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('.html">') == 6
    # the dashboard is the same bytes when rebuilt from the same folder
    again = run_batch([inp / "two"], out=out, db=db, workers=1)
    assert again.evaluated == 0
    assert (out / "index.html").read_text(encoding="utf-8") == html


def test_dashboard_data_counts(corpus: dict[str, Any]) -> None:
    from qa_engine.services.batch.dashboard import dashboard_data
    from qa_engine.services.batch.records import OutputFolder
    from qa_engine.services.check import resolve

    with OutputFolder(corpus["out"]) as folder:
        data = dashboard_data(folder, resolve(as_of=DAY, engine="python"))
    n = len(corpus["good"])
    assert data["evaluated"] == n and data["rejected_count"] == 5 and data["files"] == n + 5
    assert sum(b["count"] for b in data["histogram"]) == n
    assert sum(d["count"] for d in data["decisions"]) == n
    top = data["top_failed"]
    assert 0 < len(top) <= 10
    assert [t["count"] for t in top] == sorted((t["count"] for t in top), reverse=True)
    assert all(sum(t["states"].values()) == t["count"] for t in top)


def _folder_state(out: Path) -> tuple[bytes, bytes, bytes]:
    return tuple(  # type: ignore[return-value]
        (out / name).read_bytes() for name in (".qa-batch/records.jsonl", "index.html", "summary.csv")
    )


@pytest.mark.parametrize("damage", ["deleted", "garbage", "behind", "other journal"])
def test_folder_index_is_rebuilt_from_the_journal(tmp_path: Path, damage: str) -> None:
    """The folder's lookups live in .qa-batch/index.sqlite, a cache of the journal:
    missing, damaged, behind the journal or made for another journal, it is rebuilt
    or caught up, and the batch does exactly what it would have done with it."""
    inp = tmp_path / "in"
    generate(inp, 5)
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    index = out / ".qa-batch" / "index.sqlite"
    first = sorted(inp.glob("*.yaml"))[:2]
    run_batch(first, out=out, db=db, as_of=DAY, workers=1)
    old_index = index.read_bytes()
    run_batch([inp], out=out, db=db, workers=1)
    before = _folder_state(out)
    if damage == "deleted":
        index.unlink()
    elif damage == "garbage":
        index.write_bytes(b"not a database" * 100)
    elif damage == "behind":  # a kill after journal lines, before the index commit
        index.write_bytes(old_index)
    else:  # the index of this folder, the journal of another: never trusted
        other = tmp_path / "other"
        run_batch(first[:1], out=other, db=str(tmp_path / "other.sqlite"), as_of=DAY, workers=1)
        shutil.copy(other / ".qa-batch" / "index.sqlite", index)
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    res = run_batch([inp], out=out, db=db, workers=1)
    assert (res.evaluated, res.skipped, res.rejected) == (0, 5, 0)
    assert _folder_state(out) == before  # no journal line added, the same dashboard
    assert db_rows(Path(db), "SELECT COUNT(*) FROM evaluation") == [(5,)]


def test_index_that_cannot_be_rebuilt_is_one_clear_error(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    generate(inp, 1)
    out = tmp_path / "out"
    (out / ".qa-batch" / "index.sqlite").mkdir(parents=True)  # not a file: cannot be replaced
    res = cli_batch(str(inp), "-o", str(out), "--db", str(tmp_path / "qa.sqlite"), "--as-of", AS_OF, "-j", "1")
    assert res.exit_code == 2 and "index.sqlite" in res.stderr and "rebuilt from the journal" in res.stderr
    assert "Traceback" not in res.output


def test_large_folder_page_lists_what_does_not_pass(corpus: dict[str, Any], tmp_path: Path) -> None:
    """Above max_rows the dashboard lists the dossiers that do not pass (up to max_rows)
    and summary.csv, written on the way in the same pass, still has every file."""
    from qa_engine.services.batch.dashboard import dashboard_data, render_dashboard
    from qa_engine.services.check import resolve

    setup = resolve(as_of=DAY, engine="python")
    buf = io.StringIO()
    with OutputFolder(corpus["out"]) as folder:
        full = dashboard_data(folder, setup)
        capped = dashboard_data(folder, setup, csv_out=buf, max_rows=2)
    assert buf.getvalue() == (corpus["out"] / "summary.csv").read_text(encoding="utf-8")
    failing = [r for r in full["rows"] if not r["passed"]]
    assert len(full["rows"]) > 2 and len(failing) >= 2 and not full["rows_only_failing"]
    assert capped["rows_only_failing"] and capped["rows"] == failing[:2]
    assert len(capped["rejected"]) == 2 and capped["rejected"] == full["rejected"][:2]
    for key in ("evaluated", "passed", "rejected_count", "mean_score", "decisions", "histogram", "top_failed", "unwritten"):
        assert capped[key] == full[key], key
    html = render_dashboard(capped)
    assert f"the table shows 2 of the {len(failing)} that do not pass" in html
    assert f"The table shows the first 2 of {full['rejected_count']}" in html
    assert "One row per evaluated input file" in render_dashboard(full)


def test_csv_cells_are_not_formulas(tmp_path: Path) -> None:
    from qa_engine.services.batch.dashboard import summary_csv

    data = {"rows": [], "rejected": [{"file": "=cmd|' /C calc'!A0.yaml", "error": "+bad"}]}
    text = summary_csv(data)
    row = list(csv.reader(io.StringIO(text)))[1]
    from qa_engine.services.batch.dashboard import CSV_COLUMNS

    assert row[0].startswith("'=") and row[CSV_COLUMNS.index("error")] == "'+bad"


# --------------------------------------------------------------------------- progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_plain_and_rich() -> None:
    plain = io.StringIO()
    p = LogProgress(plain, every=0)
    p.start(3)
    for outcome in ("evaluated", "skipped", "rejected"):
        p.advance(outcome)
    p.close()
    lines = plain.getvalue().splitlines()
    assert lines[0] == "qa-engine batch: 3 dossier file(s) to process"
    assert lines[-1].startswith("qa-engine batch: 3/3 (100%): 1 evaluated, 1 already done, 1 rejected;")
    assert "dossiers/s" in lines[-1]
    tty = _Tty()
    r = RichProgress(tty)
    r.start(2)
    r.advance("evaluated")
    r.log("qa-engine: rejected: x")
    r.advance("rejected")
    r.close()
    shown = tty.getvalue()
    assert "2/2" in shown and "/s" in shown and "qa-engine: rejected: x" in shown


def test_worker_round_trip_keeps_the_hash(tmp_path: Path) -> None:
    """What a worker sends back hashes the canonical dossier it stored, its temporary
    report files hold the report, a known dossier is not evaluated again, and a bad
    file comes back as its one-line error."""
    from qa_engine.hashing import sha256_bytes
    from qa_engine.services.batch.worker import WorkerSpec, process_chunk
    from qa_engine.services.check import resolve

    setup = resolve(as_of=DAY, engine="python")
    spec = WorkerSpec(
        ruleset=setup.ruleset.ref, rubric=setup.rubric.ref, ruleset_sha256=setup.ruleset.sha256,
        rubric_sha256=setup.rubric.sha256, as_of=DAY, engine="python", html=True,
    )
    items = [(i, str(p), p.read_bytes()) for i, p in enumerate(sorted(EXAMPLES.glob("*.yaml")))]
    items.append((99, "bad.yaml", b"\xff\xfe"))
    done = process_chunk(spec, items, frozenset(), str(tmp_path))
    assert done[-1] == {
        "i": 99, "ok": False, "id": None,
        "error": "bad.yaml: is encoded as UTF-16, not UTF-8; save the file as UTF-8.",
    }
    for res in done[:-1]:
        row = res["row"]
        assert sha256_bytes(row.dossier_json.encode("utf-8")) == res["sha256"] == row.dossier_sha256
        tmp_json, tmp_html = res["files"]
        text = Path(tmp_json).read_text(encoding="utf-8")
        # the worker sends the report compressed (not its text) for the store
        assert row.report_json == "" and codec.cached(*codec.names(row.report_blob)).decode(row.report_blob) == text
        assert json.loads(text)["dossier"]["sha256"] == res["sha256"]
        assert Path(tmp_html).read_text(encoding="utf-8").rstrip().endswith("</html>")
    again = process_chunk(spec, items[:2], frozenset(r["sha256"] for r in done[:2]), None)
    assert [r.get("known") for r in again] == [True, True]
    texts = process_chunk(spec, items[:1], frozenset(), None)
    blob = done[0]["row"].report_blob
    assert texts[0]["report"] == codec.cached(*codec.names(blob)).decode(blob) and "files" not in texts[0]


def test_own_templates_for_the_dashboard(tmp_path: Path) -> None:
    """--templates: a body's own dashboard.html.j2 wins; the rest comes from the bundle."""
    mine = tmp_path / "design"
    mine.mkdir()
    (mine / "dashboard.html.j2").write_text(
        "<!DOCTYPE html><title>Ours</title><p>{{ d.evaluated }} evaluated by {{ d.ruleset.id }}</p>\n"
    )
    res = run_batch(
        [EXAMPLES / "mooc-intro-ai.yaml"], out=tmp_path / "out", db=str(tmp_path / "q.sqlite"),
        as_of=DAY, workers=1, templates_dir=mine,
    )
    assert (tmp_path / "out" / "index.html").read_text() == (
        "<!DOCTYPE html><title>Ours</title><p>1 evaluated by qa-starter</p>\n"
    )
    assert res.evaluated == 1
    report = (tmp_path / "out" / "reports" / "mooc-intro-ai.html").read_text()
    assert report.startswith("<!DOCTYPE html>") and "Audit report" in report


def test_store_inside_the_output_folder_and_bad_store_writes_nothing(tmp_path: Path) -> None:
    """``--db OUT/qa.sqlite`` works on a first run (the folder is made first); a bad
    ``--db`` is refused before anything is written into the output folder."""
    out = tmp_path / "out"
    res = run_batch([EXAMPLES / "uni-data-analytics.yaml"], out=out, db=str(out / "qa.sqlite"), as_of=DAY, workers=1)
    assert res.evaluated == 1 and (out / "qa.sqlite").is_file()
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database\n")
    other = tmp_path / "other"
    with pytest.raises(QAError):
        run_batch([EXAMPLES / "uni-data-analytics.yaml"], out=other, db=str(bad), as_of=DAY, workers=1)
    assert list(other.iterdir()) == []
