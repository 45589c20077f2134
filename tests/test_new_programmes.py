"""New programmes: a programme that has not run yet is not judged on cohort outcomes.

From quality-review 1.1.0 and qa-starter 1.1.0, dossier status ``new`` or only cohorts that
start after the as-of date make the criteria that need a cohort that has run not
applicable, with the reason stated; the fix plan then asks only for what a new provider
can do. A dossier without cohorts that does not say it is new stays unknown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import load_dossier
from qa_engine.services.check import check_dossier, resolve

ROOT = Path(__file__).resolve().parent.parent
HYDROGEN = ROOT / "examples" / "dossiers" / "new-hydrogen-systems.yaml"
AS_OF = dt.date(2026, 1, 1)
COHORT = {
    "quality-review@1.1.0": {"QR-OUT-01", "QR-OUT-02", "QR-OUT-03", "QR-OUT-04", "QR-OUT-05",
                             "QR-REL-04", "QR-QA-04", "QR-QA-05"},
    "qa-starter@1.1.0": {"ST-OU-01", "ST-OU-02", "ST-QA-03"},
}
FAILED = {"not_met", "partially_met", "unknown", "error"}


def check(ref: str, dossier: Dossier) -> Any:
    return check_dossier(resolve(ruleset=ref, as_of=AS_OF, engine="python"), dossier)


def with_changes(**changes: Any) -> Dossier:
    data = load_dossier(HYDROGEN).model_dump(mode="json", exclude_none=True)
    data.update(changes)
    if changes.get("status", "x") is None:
        data.pop("status")
    return Dossier.model_validate(data)


@pytest.mark.parametrize("ref", sorted(COHORT))
def test_new_programme_no_cohort_criterion_fails_and_the_plan_is_achievable(ref: str) -> None:
    report = check(ref, load_dossier(HYDROGEN))
    states = {c.id: c.state for c in report.criteria}
    assert {cid for cid in COHORT[ref] if states[cid] != "not_applicable"} == set()
    assert not [c.id for c in report.criteria if c.state in FAILED and c.id in COHORT[ref]]
    assert not {f.criterion for f in report.fixes} & COHORT[ref]
    for c in report.criteria:
        if c.id in COHORT[ref] and c.state == "not_applicable":
            assert c.explanation.startswith("not applicable") and 'status is "new"' in c.explanation
            assert "has not run yet" in c.rationale


@pytest.mark.parametrize("ref", sorted(COHORT))
def test_version_1_0_0_still_says_unknown(ref: str) -> None:
    old = ref.replace("1.1.0", "1.0.0")
    report = check(old, load_dossier(HYDROGEN))
    states = {c.id: c.state for c in report.criteria}
    outcomes = {cid for cid in COHORT[ref] if "-OU" in cid or "-REL-" in cid}
    assert {states[cid] for cid in outcomes} <= {"unknown", "not_met"}


def test_changes_after_a_design_panel_are_not_learner_feedback() -> None:
    """The hydrogen dossier documents a change after its employer panel's feedback: not
    learner feedback, so a new programme is not asked to close a cycle it cannot have."""
    states = {c.id: c.state for c in check("quality-review@1.1.0", load_dossier(HYDROGEN)).criteria}
    assert states["QR-QA-04"] == states["QR-QA-05"] == "not_applicable"


def test_only_planned_cohorts_are_not_applicable_a_started_cohort_applies() -> None:
    planned = with_changes(status=None, cohorts=[{"id": "c1", "start": "2026-09-01"}])
    states = {c.id: c.state for c in check("quality-review@1.1.0", planned).criteria}
    assert {states[cid] for cid in COHORT["quality-review@1.1.0"]} == {"not_applicable"}
    started = with_changes(status=None, cohorts=[{"id": "c1", "start": "2025-09-01", "enrolled": 20, "completed": 18}])
    states = {c.id: c.state for c in check("quality-review@1.1.0", started).criteria}
    assert states["QR-OUT-01"] == "exemplary"
    assert states["QR-OUT-03"] == "unknown"  # started, satisfaction not reported


def test_no_cohorts_without_saying_new_stays_unknown() -> None:
    silent = with_changes(status=None, cohorts=[])
    states = {c.id: c.state for c in check("quality-review@1.1.0", silent).criteria}
    assert states["QR-OUT-01"] == "unknown" and states["QR-REL-04"] != "not_applicable"


def test_new_programme_is_accredited_on_its_design_under_1_1_0() -> None:
    assert check("quality-review@1.1.0", load_dossier(HYDROGEN)).decision == "accredited"
    assert check("quality-review@1.0.0", load_dossier(HYDROGEN)).decision == "accredited_with_conditions"
