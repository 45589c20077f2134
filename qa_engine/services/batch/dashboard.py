"""The batch dashboard (``index.html``) and ``summary.csv`` of an output folder.

Both are built from the folder's journal (:mod:`.records`): every input file's latest
outcome over every run into the folder, so a resumed batch's dashboard covers all of
it. Both are written atomically; the HTML is one self-contained file in the design of
the audit report (``reports/dashboard.html.j2`` extending ``base.html.j2``) and, like
it, carries no wall-clock time: the same folder gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import IO, Any

from qa_engine import __version__
from qa_engine.fileio import atomic_open_text, atomic_write_text
from qa_engine.services.batch.records import REPORTS, OutputFolder
from qa_engine.services.check import Setup
from qa_engine.textsafe import safe_line

DASHBOARD_TEMPLATE = "dashboard.html.j2"
TOP_FAILED = 10
#: Histogram bins of the score: [0, 10), [10, 20), ... [90, 100].
BINS = 10

CSV_COLUMNS = (
    "file", "status", "dossier_id", "decision", "passed", "score",
    "essential_failures", "report", "error", "review", "stored_decision",
)


def _cell(value: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _bin(score: float) -> int:
    return min(BINS - 1, max(0, int(score // (100 / BINS))))


#: Up to this many rows the dashboard lists every evaluated (and every rejected) file;
#: a larger folder's page lists the dossiers that do not pass, up to this many, and
#: ``summary.csv`` every file (a page of 100,000 rows helps no one, and costs memory).
DASHBOARD_ROWS = 1000


def dashboard_data(
    folder: OutputFolder,
    setup: Setup,
    reviews: dict[int, dict[str, Any]] | None = None,
    *,
    csv_out: IO[str] | None = None,
    max_rows: int | None = None,
) -> dict[str, Any]:
    """Everything the dashboard shows, as plain data (also handy for tests), in one
    pass over the folder's journal; with ``csv_out``, ``summary.csv`` is written to it
    on the way, so that a folder of any size is never held in memory.

    ``reviews``: evaluation id -> the effective outcome of an evaluation that reviewers'
    overrides or waivers change (:func:`reviewed_outcomes`); such a row shows the
    effective decision and score, what the machine said and who changed it."""
    reviews = reviews or {}
    max_rows = DASHBOARD_ROWS if max_rows is None else max_rows
    rs, rb = setup.ruleset, setup.rubric
    rows: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    decisions: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    failed_states: dict[str, Counter[str]] = {}
    bins = [0] * BINS
    passed = n = n_rejected = unwritten = reviewed = 0
    score_sum = 0.0
    only_failing = False  # set once the folder has more rows than the page lists
    writer = csv.writer(csv_out, lineterminator="\n") if csv_out is not None else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    # rejections come after the evaluations in summary.csv
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="") as later:
        later_writer = csv.writer(later, lineterminator="\n")
        for rec in folder.latest_rows():
            if rec["t"] == "r":  # (names from older journals may hold raw control characters)
                bad = {"file": safe_line(rec["file"]), "error": safe_line(rec["error"])}
                n_rejected += 1
                if writer is not None:
                    later_writer.writerow(_rejected_cells(bad))
                if len(rejected) < max_rows:
                    rejected.append(bad)
                continue
            row = _row(rec, reviews.get(rec["eid"]))
            if writer is not None:
                writer.writerow(_evaluated_cells(row))
            n += 1
            decisions[row["decision"]] += 1
            passed += bool(row["passed"])
            score_sum += float(row["score"])
            bins[_bin(float(row["score"]))] += 1
            unwritten += row["html"] is None or row["json"] is None
            reviewed += bool(row["review"])
            for cid, state in row.pop("_failed").items():
                failed[cid] += 1
                failed_states.setdefault(cid, Counter())[state] += 1
            if not only_failing and len(rows) >= max_rows:
                only_failing = True
                rows = [r for r in rows if not r["passed"]]
            if len(rows) < max_rows and not (only_failing and row["passed"]):
                rows.append(row)
        if writer is not None and csv_out is not None:
            later.seek(0)
            shutil.copyfileobj(later, csv_out)
    labels = {b.id: (b.label, b.passes) for b in rb.spec.bands}
    seen_labels = {r["decision"]: r["label"] for r in rows}
    decision_rows = [
        {"id": b.id, "label": b.label, "passes": b.passes, "count": decisions.get(b.id, 0)}
        for b in rb.spec.bands
    ] + [  # decisions of bands the rubric no longer has (should not happen in one folder)
        {"id": d, "label": seen_labels.get(d, d), "passes": False, "count": c}
        for d, c in sorted(decisions.items()) if d not in labels
    ]
    top = []
    for cid, count in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FAILED]:
        crit = rs.by_id.get(cid)
        top.append(
            {
                "id": cid,
                "title": crit.spec.title if crit is not None else cid,
                "area": rs.area_title(crit.area) if crit is not None else "",
                "essential": bool(crit.essential) if crit is not None else False,
                "count": count,
                "share": 100.0 * count / n if n else 0.0,
                "states": dict(sorted(failed_states[cid].items())),
            }
        )
    step = 100 // BINS
    histogram = [
        {"low": i * step, "high": (i + 1) * step, "count": c, "last": i == BINS - 1}
        for i, c in enumerate(bins)
    ]
    return {
        "engine_version": __version__,
        "ruleset": {"id": rs.id, "version": rs.version, "sha256": rs.sha256, "title": rs.title},
        "rubric": {"id": rb.id, "version": rb.version, "sha256": rb.sha256, "title": rb.spec.title},
        "as_of": setup.as_of.isoformat(),
        "files": n + n_rejected,
        "evaluated": n,
        "passed": passed,
        "rejected_count": n_rejected,
        "mean_score": (score_sum / n) if n else None,
        "decisions": decision_rows,
        "histogram": histogram,
        "histogram_max": max(bins) if bins else 0,
        "top_failed": top,
        "rows": rows,
        # the page lists only the dossiers that do not pass (a folder above max_rows)
        "rows_only_failing": only_failing,
        "unwritten": unwritten,
        "reviewed": reviewed,
        "rejected": rejected,
    }


def _row(rec: dict[str, Any], review: dict[str, Any] | None) -> dict[str, Any]:
    """One dossier's row, with the reviewers' effective outcome when they changed it."""
    name = rec["report"]
    if review is not None:
        rec = {**rec, **review["effective"]}
    return {
        "file": safe_line(rec["file"]), "dossier_id": rec["id"], "title": rec.get("title"),
        "provider": rec.get("provider"), "decision": rec["decision"], "label": rec["label"],
        "passed": rec["passed"], "score": rec["score"],
        "essential_failures": len(rec["essential"]),
        # a report file the batch did not write (--html/--json) has no link
        "html": None if rec.get("html") is False else f"{REPORTS}/{name}.html",
        "json": None if rec.get("json") is False else f"{REPORTS}/{name}.json",
        "eid": rec["eid"],
        "review": review["text"] if review is not None else "",
        "stored_decision": review["stored_decision"] if review is not None else "",
        "stored_label": review["stored_label"] if review is not None else "",
        "stored_score": review["stored_score"] if review is not None else None,
        "_failed": rec["failed"],
    }


def _evaluated_cells(r: dict[str, Any]) -> list[Any]:
    return [
        _cell(r["file"]), "evaluated", r["dossier_id"], r["decision"],
        "true" if r["passed"] else "false", f"{float(r['score']):.2f}",
        r["essential_failures"], r["html"] or r["json"] or "", "",
        _cell(r["review"]), r["stored_decision"],
    ]


def _rejected_cells(r: dict[str, Any]) -> list[Any]:
    return [_cell(r["file"]), "rejected", "", "", "", "", "", "", _cell(r["error"]), "", ""]


def summary_csv(data: dict[str, Any]) -> str:
    """``summary.csv`` of the rows in ``data`` (:func:`write_dashboard` streams it)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in data["rows"]:
        w.writerow(_evaluated_cells(r))
    for r in data["rejected"]:
        w.writerow(_rejected_cells(r))
    return buf.getvalue()


def render_dashboard(data: dict[str, Any], *, templates_dir: str | Path | None = None) -> str:
    from qa_engine.render.html import render_template

    return render_template(DASHBOARD_TEMPLATE, templates_dir, d=data)


def reviewed_outcomes(
    store: Any, folder: OutputFolder, *, as_of: _dt.date, failing: frozenset[str]
) -> dict[int, dict[str, Any]]:
    """The effective outcome of every evaluation in ``folder`` that reviewers' active
    overrides or waivers (on ``as_of``) apply to: one query finds the reviewed dossiers,
    and only their evaluations are re-scored (:func:`~qa_engine.services.review.effective_report`,
    which first checks their records against the audit trail)."""
    from qa_engine.errors import QAError
    from qa_engine.services.review import effective_report

    reviewed = store.reviewed_dossiers()
    if not reviewed:
        return {}
    out: dict[int, dict[str, Any]] = {}
    for rec in folder.latest_rows():
        if rec["t"] != "e" or rec["id"] not in reviewed or rec["eid"] in out:
            continue
        try:
            report = effective_report(store, rec["eid"], as_of=as_of)
        except QAError as exc:  # a forged record: shown as such, never with its values
            out[rec["eid"]] = {
                "effective": {}, "text": safe_line(f"not shown: {exc.message}"),
                "stored_decision": rec["decision"], "stored_label": rec["label"], "stored_score": rec["score"],
            }
            continue
        if report.review is None or not report.review.active:
            continue
        acts = [c.review for c in report.criteria if c.review is not None]
        kinds = Counter(a.kind for a in acts)
        who = sorted({a.reviewer for a in acts})
        parts = [f"{n} {'override' if k == 'override' else 'waiver'}{'' if n == 1 else 's'}" for k, n in sorted(kinds.items())]
        states = {c.id: (c.review.state if c.review is not None else c.state) for c in report.criteria}
        out[rec["eid"]] = {
            "effective": {
                "decision": report.decision, "label": report.decision_label, "passed": report.passed,
                "score": report.score, "essential": list(report.essential_failures),
                "failed": {cid: st for cid, st in states.items() if st in failing},
            },
            "text": safe_line(f"{', '.join(parts)} by {', '.join(who)}"),
            "stored_decision": rec["decision"], "stored_label": rec["label"], "stored_score": rec["score"],
        }
    return out


def write_dashboard(
    folder: OutputFolder,
    setup: Setup,
    *,
    templates_dir: str | Path | None = None,
    reviews: dict[int, dict[str, Any]] | None = None,
) -> tuple[Path, Path]:
    """(Re)write ``index.html`` and ``summary.csv`` of the folder, atomically."""
    index = folder.root / "index.html"
    summary = folder.root / "summary.csv"
    with atomic_open_text(summary) as fh:
        data = dashboard_data(folder, setup, reviews, csv_out=fh)
    atomic_write_text(index, render_dashboard(data, templates_dir=templates_dir))
    return index, summary


__all__ = ["CSV_COLUMNS", "DASHBOARD_ROWS", "dashboard_data", "render_dashboard", "reviewed_outcomes", "summary_csv", "write_dashboard"]
