"""Scoring: exact arithmetic, models, bands, gates and the fix plan (with hypothesis)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml_helpers import criterion, write_ruleset

from qa_engine.formats.rubric import Rubric
from qa_engine.rules.registry import LoadedRubric, validate_bands
from qa_engine.scoring import score

STATES = ["exemplary", "met", "partially_met", "not_met", "not_applicable", "unknown", "error", "waived"]
MODELS = ["weighted", "flat", "flat_unweighted", "absolute"]


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory: pytest.TempPathFactory):
    root: Path = tmp_path_factory.mktemp("scoring")
    crits = [
        criterion("A1", "true", area="a", weight=3, essential=True),
        criterion("A2", "true", area="a", weight=1),
        criterion("A3", "true", area="a", weight=2),
        criterion("B1", "true", area="b", weight=1, essential=True),
        criterion("B2", "true", area="b", weight=5),
        criterion("C1", "true", area="c", weight=0.5),
        criterion("C2", "true", area="c", weight=2.5),
    ]
    reg = write_ruleset(root, criteria=crits)
    return reg.ruleset("t")


def rubric(model: str = "weighted", area_weights: dict | None = None, partial: float = 0.5, unknown: float = 0) -> LoadedRubric:
    spec = Rubric.model_validate(
        {
            "id": "t", "version": "1.0.0", "title": "r", "scoring": model,
            "credits": {"partially_met": partial}, "unknown_credit": unknown,
            "area_weights": area_weights or {},
            "bands": [
                {"id": "acc", "label": "A", "min_score": 85, "max_essential_failures": 0, "passes": True},
                {"id": "cond", "label": "C", "min_score": 60, "max_essential_failures": 0, "passes": True},
                {"id": "no", "label": "N", "min_score": 0, "passes": False},
            ],
        }
    )
    validate_bands(spec, "test")
    return LoadedRubric(spec, "test", "0" * 64)


states_st = st.fixed_dictionaries({cid: st.sampled_from(STATES) for cid in ["A1", "A2", "A3", "B1", "B2", "C1", "C2"]})
rubric_st = st.builds(
    rubric,
    model=st.sampled_from(MODELS),
    area_weights=st.fixed_dictionaries({"a": st.sampled_from([1, 2, 0.5]), "b": st.sampled_from([1, 3]), "c": st.just(1)}),
    partial=st.sampled_from([0, 0.25, 0.5, 0.75]),
    unknown=st.sampled_from([0, 0.1]),
)


def test_weighted_by_hand(ruleset) -> None:
    states = {"A1": "met", "A2": "not_met", "A3": "partially_met", "B1": "met", "B2": "met", "C1": "not_applicable", "C2": "not_met"}
    r = score(ruleset, rubric(), states)
    # area a: (3*1 + 1*0 + 2*0.5) / 6 = 4/6 ; b: 1 ; c: 0/2.5 = 0 -> mean of the three
    assert r.percent == (Fraction(4, 6) + 1 + 0) / 3 * 100
    assert [a.percent for a in r.areas] == [Fraction(400, 6), Fraction(100), Fraction(0)]
    assert r.band.id == "no"


def test_flat_and_unweighted_and_absolute(ruleset) -> None:
    states = {"A1": "met", "A2": "not_met", "A3": "met", "B1": "met", "B2": "met", "C1": "met", "C2": "met"}
    assert score(ruleset, rubric("flat"), states).percent == Fraction(14, 15) * 100
    assert score(ruleset, rubric("flat_unweighted"), states).percent == Fraction(6, 7) * 100
    assert score(ruleset, rubric("absolute"), states).percent == 0
    states["A2"] = "exemplary"
    assert score(ruleset, rubric("absolute"), states).percent == 100


def test_essential_gate_blocks_a_perfect_score(ruleset) -> None:
    states = dict.fromkeys(["A1", "A2", "A3", "B1", "B2", "C1", "C2"], "met")
    states["B1"] = "partially_met"
    r = score(ruleset, rubric(), states)
    assert r.essential_failures == ("B1",)
    assert r.band.id == "no" and not r.passed
    plan = [f.criterion for f in r.fixes if f.in_plan]
    assert plan == ["B1"] and r.next_band is not None and r.next_band.id == "cond"


def test_unknown_essential_fails_gate_but_waived_does_not(ruleset) -> None:
    states = dict.fromkeys(["A1", "A2", "A3", "B1", "B2", "C1", "C2"], "met")
    states["A1"] = "unknown"
    assert score(ruleset, rubric(), states).essential_failures == ("A1",)
    states["A1"] = "waived"
    r = score(ruleset, rubric(), states)
    assert r.essential_failures == () and r.band.id == "acc"


@settings(max_examples=300, deadline=None)
@given(states=states_st, rb=rubric_st)
def test_score_in_range_and_deterministic(ruleset, states, rb) -> None:
    a = score(ruleset, rb, states)
    b = score(ruleset, rb, dict(states))
    assert 0 <= a.percent <= 100
    assert a == b
    for area in a.areas:
        assert area.percent is None or 0 <= area.percent <= 100


@settings(max_examples=300, deadline=None)
@given(states=states_st, rb=rubric_st, data=st.data())
def test_meeting_a_criterion_never_lowers_the_score(ruleset, states, rb, data) -> None:
    failing = [c for c, s in states.items() if s in ("not_met", "partially_met", "unknown", "error")]
    if not failing:
        return
    cid = data.draw(st.sampled_from(failing))
    before = score(ruleset, rb, states)
    after = score(ruleset, rb, {**states, cid: "met"})
    assert after.percent >= before.percent
    bands = [b.id for b in rb.spec.bands]
    assert bands.index(after.band.id) <= bands.index(before.band.id)


@settings(max_examples=100, deadline=None)
@given(states=states_st, rb=rubric_st)
def test_adding_a_not_applicable_criterion_changes_nothing(ruleset, tmp_path_factory, states, rb) -> None:
    before = score(ruleset, rb, states)
    # C1 marked not applicable is the same as C1 missing from the ruleset
    na = score(ruleset, rb, {**states, "C1": "not_applicable"})
    root = tmp_path_factory.mktemp("na")
    crits = [
        criterion(c.id, "true", area=c.area, weight=c.spec.weight, essential=c.essential)
        for c in ruleset.criteria if c.id != "C1"
    ]
    smaller = write_ruleset(root, criteria=crits).ruleset("t")
    without = score(smaller, rb, {k: v for k, v in states.items() if k != "C1"})
    assert na.percent == without.percent
    if states["C1"] == "not_applicable":
        assert before.percent == without.percent


@settings(max_examples=300, deadline=None)
@given(states=states_st, rb=rubric_st)
def test_fix_plan_is_smallest_and_reaches_the_next_band(ruleset, states, rb) -> None:
    r = score(ruleset, rb, states)
    plan = [f.criterion for f in r.fixes if f.in_plan]
    if r.next_band is None or not r.plan_reaches:
        assert plan == []
        return
    bands = [b.id for b in rb.spec.bands]
    fixed = score(ruleset, rb, {**states, **dict.fromkeys(plan, "met")})
    assert bands.index(fixed.band.id) <= bands.index(r.next_band.id)
    for drop in plan:  # no fix in the plan is superfluous
        fewer = score(ruleset, rb, {**states, **{c: "met" for c in plan if c != drop}})
        assert bands.index(fewer.band.id) > bands.index(r.next_band.id)


def test_nothing_applies_cannot_be_fixed_into_a_pass(ruleset) -> None:
    states = dict.fromkeys(["A1", "A2", "A3"], "not_applicable") | dict.fromkeys(["B1", "B2", "C1", "C2"], "waived")
    for model in MODELS:
        r = score(ruleset, rubric(model), states)
        assert r.percent == 0 and r.band.id == "no"
        assert [f for f in r.fixes if f.in_plan] == [] and r.plan_reaches is False
