"""The review workflow's pure rules: panel make-up, consensus, consolidation scored by
the same code as the machine verdict, decisions, amendments, what comes due."""

from __future__ import annotations

import datetime as _dt
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_engine.formats.decision import (
    Condition,
    CriterionOutcome,
    Decision,
    Programme,
    Provider,
    VersionRef,
)
from qa_engine.formats.policy import PanelPolicy
from qa_engine.rules.policies import policy_for
from qa_engine.rules.registry import Registry
from qa_engine.scoring import score
from qa_engine.services.workflow.logic import (
    JUDGED_STATES,
    Judgment,
    Member,
    Resolution,
    add_months,
    amended_states,
    consensus_of,
    consolidate,
    decision_problems,
    decision_status,
    default_valid_until,
    due_items,
    panel_problems,
    re_review_fields,
    recheck_conditions,
)

REG = Registry()
RULESET = REG.ruleset("qa-starter")
RUBRIC = REG.rubric("qa-starter")
POLICY = policy_for(RUBRIC, RULESET).spec
STATES = st.sampled_from(JUDGED_STATES)


# ---------------------------------------------------------------- consensus rules


@given(st.lists(STATES, min_size=1, max_size=9))
def test_majority_is_a_strict_majority_or_open(states: list[str]) -> None:
    got = consensus_of("majority", states, None)
    counts = Counter(states)
    if got is None:
        assert all(2 * n <= len(states) for n in counts.values())
    else:
        assert 2 * counts[got] > len(states)


@given(st.lists(STATES, min_size=1, max_size=9), st.randoms())
def test_rules_do_not_depend_on_the_order_of_reviewers(states: list[str], rnd: object) -> None:
    shuffled = list(states)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for rule in ("majority", "unanimous"):
        assert consensus_of(rule, states, None) == consensus_of(rule, shuffled, None)  # type: ignore[arg-type]


@given(st.lists(STATES, min_size=1, max_size=9))
def test_unanimous_only_when_all_agree_and_implies_majority(states: list[str]) -> None:
    got = consensus_of("unanimous", states, None)
    assert (got is not None) == (len(set(states)) == 1)
    if got is not None:
        assert consensus_of("majority", states, None) == got


@given(st.lists(STATES, min_size=1, max_size=9), STATES)
def test_chair_rule_takes_the_chairs_state(states: list[str], chair: str) -> None:
    assert consensus_of("chair", [*states, chair], chair) == chair


def test_quality_matters_two_of_three() -> None:
    assert consensus_of("majority", ["not_met", "met", "not_met"], None) == "not_met"
    assert consensus_of("majority", ["met", "met", "not_met"], None) == "met"
    assert consensus_of("majority", ["met", "partially_met", "not_met"], None) is None


# ---------------------------------------------------------------- panels


def _members() -> list[Member]:
    base = [
        Member(1, "Ada Chair", "chair", chair_qualified=True, conflict="none"),
        Member(2, "Bo External", "member", external=True, conflict="none"),
        Member(3, "Cy Expert", "member", subject_matter=True, conflict="none"),
    ]
    return base


def test_a_panel_that_fits_has_no_problems() -> None:
    assert panel_problems(POLICY.panel, _members(), require_declared=True) == []


def test_panel_make_up_problems_are_named() -> None:
    qm = PanelPolicy(size=3, min_external=1, min_subject_matter=1)
    ms = _members()
    assert panel_problems(qm, ms) == []
    no_ext = [ms[0], Member(2, "Bo", "member"), ms[2]]
    assert panel_problems(qm, no_ext) == ["the policy asks for at least 1 external members, the panel has 0"]
    unqualified = [Member(1, "Ada", "chair"), ms[1], ms[2]]
    assert panel_problems(qm, unqualified) == ["Ada is not qualified to chair"]
    assert "the policy asks for a chair, the panel has none" in panel_problems(
        qm, [Member(1, "A", "member"), ms[1], ms[2]]
    )
    conflicted = [ms[0], Member(2, "Bo", "member", external=True, conflict="declared"), ms[2]]
    probs = panel_problems(qm, conflicted)
    assert "the policy asks for 3 members, the panel has 2" in probs
    pending = [ms[0], Member(2, "Bo", "member", external=True), ms[2]]
    assert panel_problems(qm, pending) == []
    assert panel_problems(qm, pending, require_declared=True) == [
        "Bo has not yet declared whether they have a conflict of interest"
    ]
    assert "a reviewer is named twice" in panel_problems(qm, [*ms, ms[1]])


# ---------------------------------------------------------------- consolidation


def _machine() -> dict[str, str]:
    states = {c.id: "met" for c in RULESET.criteria}
    states["ST-IN-01"] = "not_met"
    return states


def test_consolidation_consensus_disagreement_and_chair_resolution() -> None:
    machine = _machine()
    reviews = {
        1: {"ST-AS-01": Judgment(1, "not_met", False, "two outcomes have no assessment")},
        2: {"ST-AS-01": Judgment(2, "not_met", False, "outcome 3 and 4 not assessed"),
            "ST-IN-01": Judgment(2, "met", False, "the staff CVs show online-teaching training")},
        3: {},
    }
    con = consolidate(RULESET, RUBRIC, POLICY, machine, reviews, chair=1)
    by = {c.id: c for c in con.criteria}
    # essential, unanimous: 2 say not met, 1 agrees with the machine -> open
    as01 = by["ST-AS-01"]
    assert as01.rule == "unanimous" and as01.consensus is None and as01.open
    assert {d.reviewer for d in as01.disagreements} == {1, 2, 3}
    assert "the chair has to resolve it" in as01.explanation
    # ordinary, majority: one dissent; the consensus stays the machine's
    in01 = by["ST-IN-01"]
    assert in01.final_state == "not_met" and in01.source == "machine"
    assert [(d.reviewer, d.reason) for d in in01.disagreements] == [
        (2, "the staff CVs show online-teaching training")
    ]
    assert not con.complete and con.open_criteria == ["ST-AS-01"]

    con2 = consolidate(RULESET, RUBRIC, POLICY, machine, reviews, chair=1,
                       resolutions={"ST-AS-01": Resolution("not_met", "outcomes 3 and 4 are unassessed", 1)})
    assert con2.complete
    as01 = next(c for c in con2.criteria if c.id == "ST-AS-01")
    assert as01.final_state == "not_met" and as01.source == "chair"
    assert "the chair resolved it as not met: outcomes 3 and 4 are unassessed" in as01.explanation
    assert [(c.criterion, c.machine_state, c.final_state) for c in con2.changes] == [("ST-AS-01", "met", "not_met")]
    # the very scoring code of the machine verdict
    expected = score(RULESET, RUBRIC, con2.final_states())
    assert con2.result.percent == expected.percent and con2.result.band.id == expected.band.id
    assert con2.machine.percent == score(RULESET, RUBRIC, machine).percent
    assert con2.result.percent < con2.machine.percent


@given(st.dictionaries(st.sampled_from([c.id for c in RULESET.criteria]),
                       st.tuples(STATES, STATES, STATES), max_size=6))
def test_consolidated_score_is_the_scoring_of_the_final_states(judged: dict[str, tuple[str, str, str]]) -> None:
    machine = _machine()
    reviews = {r: {cid: Judgment(r, ss[r - 1], ss[r - 1] == machine[cid], "reason") for cid, ss in judged.items()}
               for r in (1, 2, 3)}
    con = consolidate(RULESET, RUBRIC, POLICY, machine, reviews, chair=1)
    finals = con.final_states()
    assert con.result.percent == score(RULESET, RUBRIC, finals).percent
    for c in con.criteria:
        if c.id not in judged:
            assert c.final_state == machine[c.id] and not c.disagreements
        if c.final_state is not None:
            assert all(d.state != c.final_state for d in c.disagreements)
    assert {ch.criterion for ch in con.changes} <= set(judged)


# ---------------------------------------------------------------- decisions, amendments, due


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(_dt.date(2026, 1, 31), 1) == _dt.date(2026, 2, 28)
    assert add_months(_dt.date(2028, 1, 31), 1) == _dt.date(2028, 2, 29)
    assert add_months(_dt.date(2026, 11, 15), 14) == _dt.date(2028, 1, 15)
    assert default_valid_until(POLICY, _dt.date(2026, 3, 1)) == _dt.date(2029, 2, 28)


@given(st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2200, 1, 1)), st.integers(0, 240))
def test_add_months_property(day: _dt.date, months: int) -> None:
    got = add_months(day, months)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == months
    assert got.day <= day.day


def _decision(conditions: list[Condition], valid_until: _dt.date = _dt.date(2029, 2, 28)) -> Decision:
    ref = VersionRef(id="qa-starter", version="1.0.0", sha256="0" * 64)
    return Decision(
        id=7, submission=3, provider=Provider(slug="p", name="P"),
        programme=Programme(dossier_id="d", title="Prog", dossier_sha256="1" * 64, version=1),
        ruleset=ref, rubric=ref, evaluation_id=1, report_sha256="2" * 64,
        criteria=[CriterionOutcome(id=cid, title=cid, machine_state=s, final_state=s, source="machine")
                  for cid, s in _machine().items()],
        score=80.0, score_exact="80", outcome="accredited_with_conditions" if conditions else "accredited",
        rationale="r", valid_from=_dt.date(2026, 3, 1), valid_until=valid_until, conditions=conditions,
        decided_on=_dt.date(2026, 3, 1), decided_by="coordinator",
    )


def test_decision_problems() -> None:
    ids = [c.id for c in RULESET.criteria]
    day = _dt.date(2026, 3, 1)
    c1 = Condition(id="C1", criteria=["ST-IN-01"], text="train staff", due=_dt.date(2026, 9, 1))
    ok = dict(criteria=ids, valid_from=day, valid_until=_dt.date(2029, 2, 28), decided_on=day)
    assert decision_problems("accredited_with_conditions", [c1], **ok) == []  # type: ignore[arg-type]
    assert decision_problems("accredited_with_conditions", [], **ok) == [  # type: ignore[arg-type]
        "an accreditation with conditions names at least one condition"
    ]
    bad = Condition(id="C1", criteria=["NOPE"], text="x", due=_dt.date(2026, 1, 1))
    probs = decision_problems("accredited", [bad, c1], **ok)  # type: ignore[arg-type]
    assert "a decision 'accredited' carries no conditions (use accredited_with_conditions)" in probs
    assert "condition id C1 is used twice" in probs
    assert "condition C1 names criterion NOPE, which the ruleset does not have" in probs
    assert any("before the decision" in p for p in probs)


def test_amendment_rechecks_exactly_the_conditions_criteria() -> None:
    d = _decision([Condition(id="C1", criteria=["ST-IN-01"], text="train staff", due=_dt.date(2026, 9, 1))])
    amended = {c.id: "not_met" for c in RULESET.criteria}  # everything else got worse
    checks = recheck_conditions(d, amended)
    assert [(c.condition, c.met) for c in checks] == [("C1", False)]
    assert "ST-IN-01 is not met" in checks[0].explanation
    amended["ST-IN-01"] = "met"
    assert recheck_conditions(d, amended)[0].met
    states = amended_states(d, amended)
    assert states["ST-IN-01"] == "met"
    # only the condition's criterion moved; the rest keep the decided states
    assert {k for k, v in states.items() if v != _machine()[k]} == {"ST-IN-01"}


def test_re_review_fields() -> None:
    assert re_review_fields(POLICY, {"outcomes": [1], "title": "a"}, {"outcomes": [2], "title": "b"}) == []
    assert re_review_fields(POLICY, {"credential": {"ects": 5}}, {"credential": {"ects": 6}}) == ["credential"]


def test_due_lists_open_conditions_and_re_reviews() -> None:
    d = _decision([
        Condition(id="C1", criteria=["ST-IN-01"], text="train staff", due=_dt.date(2026, 9, 1)),
        Condition(id="C2", criteria=["ST-AS-02"], text="x", due=_dt.date(2026, 5, 1), state="met"),
    ])
    within = _dt.timedelta(days=90)
    assert due_items([d], _dt.date(2026, 3, 1), within) == []
    items = due_items([d], _dt.date(2026, 7, 1), within)
    assert [(i.kind, i.condition, i.state) for i in items] == [("condition", "C1", "open")]
    items = due_items([d], _dt.date(2026, 9, 2), within)
    assert [(i.kind, i.condition, i.state) for i in items] == [("condition", "C1", "overdue")]
    items = due_items([d], _dt.date(2029, 1, 1), within)
    assert ("re-review", "due") in [(i.kind, i.state) for i in items]
    assert decision_status(d, _dt.date(2029, 3, 1)) == "expired"
    assert decision_status(d, _dt.date(2026, 3, 1)) == "in_force"


@pytest.mark.parametrize("rid", ["quality-review", "eu-microcredential"])
def test_policies_of_other_rubrics_consolidate(rid: str) -> None:
    ruleset = REG.ruleset(rid)
    rubric = REG.rubric_for(ruleset)
    policy = policy_for(rubric, ruleset).spec
    machine = {c.id: "met" for c in ruleset.criteria}
    con = consolidate(ruleset, rubric, policy, machine, {1: {}, 2: {}, 3: {}}, chair=1)
    assert con.complete and not con.changes
    assert policy.outcome_of_band(con.result.band.id) == "accredited"
