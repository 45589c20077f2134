"""nzqa-microcredential 1.0.0: NZQA's listing and approval requirements for a
micro-credential. Lint and examples pass on both engines, the bundled example dossiers
reach every decision, and the credit rule (5-40 credits, ten notional hours each) holds
for every value."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from qa_engine.formats.dossier import Dossier
from qa_engine.services.check import check_dossier, check_file, resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
AS_OF = dt.date(2026, 1, 1)
SETUP = resolve(ruleset="nzqa-microcredential@1.0.0", as_of=AS_OF, engine="python")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qa_engine", *args], capture_output=True, text=True, check=False)


def test_lint_and_examples_pass() -> None:
    assert cli("rulesets", "lint").returncode == 0
    run = cli("rulesets", "test", "nzqa-microcredential@1.0.0")
    assert run.returncode == 0, run.stdout + run.stderr
    assert " 0 failed" in run.stdout


def test_every_criterion_cites_an_nzqa_rule_and_has_both_kinds_of_example() -> None:
    for c in SETUP.ruleset.criteria:
        assert c.spec.rationale and c.spec.remediation
        assert any(r.section for r in c.spec.references), c.id
        expects = {e.expect for e in c.spec.examples}
        assert expects & {"met", "exemplary"} and expects & {"not_met", "partially_met"}, c.id


@pytest.mark.parametrize(
    ("name", "decision"),
    [
        ("nz-solar-pv-maintenance", "ready_for_approval"),
        ("nz-barista-skills", "further_work"),
        ("nz-drone-survey-diploma", "not_ready"),
    ],
)
def test_examples_reach_every_decision(name: str, decision: str) -> None:
    report = check_file(SETUP, EXAMPLES / f"{name}.yaml")
    assert report.decision == decision
    # clear of the thresholds that would change the decision
    for band in SETUP.rubric.spec.bands:
        within = band.max_essential_failures is None or len(report.essential_failures) <= band.max_essential_failures
        if band.min_score > 0 and within:
            assert abs(report.score - band.min_score) >= 1.5, (name, band.id, report.score)


def test_bands_are_all_reached() -> None:
    reached = {check_file(SETUP, EXAMPLES / f"{n}.yaml").decision
               for n in ("nz-solar-pv-maintenance", "nz-barista-skills", "nz-drone-survey-diploma")}
    assert reached == {b.id for b in SETUP.rubric.spec.bands}


def _credit_state(credits: float, hours: float | None) -> str:
    workload: dict[str, object] = {"credits": credits, "credit_system": "NZQCF"}
    if hours is not None:
        workload["hours"] = hours
    d = Dossier.model_validate({"schema_version": "1.0", "id": "x", "credential": {"workload": workload}})
    return {c.id: c.state for c in check_dossier(SETUP, d).criteria}["NZ-01"]


@pytest.mark.parametrize("credits", [0.5, 1, 4, 4.9, 5, 5.5, 15, 39, 40, 40.5, 41, 120])
def test_credit_range_is_5_to_40(credits: float) -> None:
    want = "met" if 5 <= credits <= 40 else ("partially_met" if 0 < credits <= 40 else "not_met")
    assert _credit_state(credits, None) == want
    # ten notional hours per credit: consistent hours add to it, inconsistent ones take away
    if 5 <= credits <= 40:
        assert _credit_state(credits, credits * 10) == "exemplary"
        assert _credit_state(credits, credits * 10 * 1.2) == "partially_met"
        assert _credit_state(credits, credits * 25) == "partially_met"  # ECTS-style hours
