"""Time (issue 13, item 4, outside the condition language): an as-of date outside a
pinned version's effective range is said, expiries in the past are refused (see
test_review_edges.py), and the dossier's dates of past events may not lie in the
future (refused after today, a warning after the as-of date)."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.errors import DossierError
from qa_engine.formats.loader import load_dossier

TODAY = _dt.date.today()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("ref", "as_of", "where"),
    [
        ("eu-microcredential@1.0.0", "2026-06-01", "after it ceased to be in effect"),
        ("eu-microcredential@1.0.0", "2026-01-01", "after it ceased to be in effect"),  # until is exclusive
        ("eu-microcredential@1.0.0", "2022-12-31", "before it takes effect"),
        ("eu-microcredential@1.1.0", "2025-12-31", "before it takes effect"),
    ],
)
def test_as_of_outside_the_pinned_version_is_said(ref: str, as_of: str, where: str, root: Path) -> None:
    dossier = str(root / "examples" / "dossiers" / "mooc-intro-ai.yaml")
    res = run("check", dossier, "-r", ref, "--as-of", as_of)
    assert res.exit_code in (0, 1), res.output
    warning = [ln for ln in res.stderr.splitlines() if ln.startswith("qa-engine: warning: ")]
    assert len(warning) == 1 and f"ruleset {ref} is in effect from" in warning[0] and where in warning[0]
    assert f"the as-of date {as_of}" in warning[0]
    doc = json.loads(run("check", dossier, "-r", ref, "--as-of", as_of, "-f", "json").stdout)
    assert any(where in n for n in doc["notes"])  # the report keeps it
    assert "Note: ruleset" in res.stdout


def test_as_of_inside_the_range_gives_no_warning(root: Path) -> None:
    dossier = str(root / "examples" / "dossiers" / "mooc-intro-ai.yaml")
    for ref, as_of in (("eu-microcredential@1.0.0", "2025-12-31"), ("eu-microcredential@1.1.0", "2026-01-01"),
                       ("eu-microcredential", "2024-05-01")):
        res = run("check", dossier, "-r", ref, "--as-of", as_of)
        assert "warning" not in res.stderr, (ref, as_of, res.stderr)


def test_batch_and_diff_say_it_too(root: Path, tmp_path: Path) -> None:
    dossier = str(root / "examples" / "dossiers" / "mooc-intro-ai.yaml")
    res = run("batch", dossier, "-r", "eu-microcredential@1.0.0", "--as-of", "2026-06-01",
              "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.sqlite"))
    assert res.exit_code == 0 and "qa-engine: warning: ruleset eu-microcredential@1.0.0 is in effect" in res.stderr
    res = run("diff", "eu-microcredential@1.0.0", "eu-microcredential@1.1.0", "--as-of", "2026-06-01")
    assert res.exit_code == 0 and "warning: RULESET_A: ruleset eu-microcredential@1.0.0" in res.stderr
    assert "RULESET_B" not in res.stderr


def _dossier(tmp_path: Path, **fields: str) -> Path:
    path = tmp_path / "d.yaml"
    qa = {k: v for k, v in fields.items() if k in ("last_internal_review", "external_last_review")}
    lines = ['schema_version: "1.0"', "id: dated", "title: Dated"]
    if "submitted" in fields:
        lines.append(f"submitted: {fields['submitted']}")
    if qa or "feedback" in fields:
        lines.append("quality_assurance:")
        lines += [f"  {k}: {v}" for k, v in qa.items()]
        if "feedback" in fields:
            lines += ["  feedback_changes:", f"    - {{date: {fields['feedback']}, feedback: slow, change: faster}}"]
    if "cohort" in fields:
        lines += ["cohorts:", f"  - {{id: c1, start: {fields['cohort']}, enrolled: 10, completed: 8}}"]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("field", "path", "what"),
    [
        ("submitted", "submitted", "a submission"),
        ("last_internal_review", "quality_assurance.last_internal_review", "the last internal review"),
        ("external_last_review", "quality_assurance.external_last_review", "the last external review"),
        ("feedback", "quality_assurance.feedback_changes[0].date", "a change already made"),
    ],
)
def test_past_events_after_today_are_refused_with_their_location(tmp_path: Path, field: str, path: str, what: str) -> None:
    later = (TODAY + _dt.timedelta(days=1)).isoformat()
    f = _dossier(tmp_path, **{field: later})
    with pytest.raises(DossierError) as exc:
        load_dossier(f)
    err = exc.value
    assert err.path == path and err.line is not None
    assert f"{later} is in the future (today is {TODAY.isoformat()}); {what} cannot lie in the future" in str(err)
    res = run("check", str(f))
    assert res.exit_code == 2 and f"d.yaml:{err.line}:" in res.stderr and f"at {path}:" in res.stderr
    assert load_dossier(f, today=TODAY + _dt.timedelta(days=1)).id == "dated"  # today itself is fine
    # a planned cohort may start in the future
    assert load_dossier(_dossier(tmp_path, cohort=later)).id == "dated"


def test_past_events_after_the_as_of_date_are_warned_about(tmp_path: Path) -> None:
    f = _dossier(tmp_path, submitted="2026-03-01", last_internal_review="2026-02-01", cohort="2026-04-01")
    doc = json.loads(run("check", str(f), "--as-of", "2026-01-01", "-f", "json").stdout)
    notes = doc["notes"]
    assert "submitted is 2026-03-01, after the as-of date 2026-01-01: on that date a submission dated later had not happened yet" in notes
    assert any(n.startswith("quality_assurance.last_internal_review is 2026-02-01") for n in notes)
    assert any(n.startswith("cohorts[0].start is 2026-04-01") and "reports outcomes" in n for n in notes)
    later = json.loads(run("check", str(f), "--as-of", "2026-06-01", "-f", "json").stdout)
    assert later["notes"] == []
