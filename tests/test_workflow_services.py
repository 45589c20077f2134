"""The review workflow's use cases on a real store (SQLite and PostgreSQL): a panel of
three formed under the policy, conflicts declared, independent reviews with one
disagreement, consolidation, the chair's resolution, a decision with a condition, an
amended dossier that meets it, the condition closed, accredited; audit verify holds
and names an edited row."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from sqlalchemy import create_engine, update
from store_helpers import EXAMPLES, setup
from workflow_helpers import people_and_cases

from qa_engine.errors import WorkflowError
from qa_engine.formats.loader import load_dossier
from qa_engine.services.check import check_dossier
from qa_engine.services.workflow import service as wf
from qa_engine.store import open_store, resolve_url
from qa_engine.store import workflow as db
from qa_engine.store.models import DECISION_CONDITION, REVIEW_JUDGMENT

TODAY = _dt.date(2026, 3, 2)


@pytest.fixture
def world(store_url: str) -> Any:
    store = open_store(store_url)
    s = setup()
    store.ensure_content(s.ruleset, s.rubric)
    d = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    report = check_dossier(s, d, file="bootcamp-web-dev.yaml")
    ev = store.record_evaluation(report, d.model_dump_json(exclude_none=True))[0]
    base = people_and_cases(store, [ev])
    who = {k: db.people(store)[v] for k, v in base["users"].items()}
    yield store, who, base["cases"][0], ev, d, report
    store.close()


def _three(who: dict[str, Any]) -> list[wf.Pick]:
    return [wf.Pick(who["chair"], chair=True), wf.Pick(who["ext"]), wf.Pick(who["sme"], subject_matter=True)]


def test_a_whole_cycle(world: Any) -> None:
    store, who, case, ev, dossier, report = world
    machine = {c.id: c.state for c in report.criteria}
    assert machine["ST-AS-01"] == "partially_met"
    everyone = db.people(store)

    # the make-up is checked against the policy: no external member
    with pytest.raises(WorkflowError, match="at least 1 external members, the panel has 0"):
        wf.form_panel(store, who["coord"], case,
                      [wf.Pick(who["chair"], chair=True), wf.Pick(who["dee"]), wf.Pick(who["sme"])])
    with pytest.raises(wf.NotAllowedError):
        wf.form_panel(store, who["chair"], case, _three(who))
    panel = wf.form_panel(store, who["coord"], case, _three(who))
    assert panel.policy_ref == "qa-starter@1.0.0" and [m.conflict for m in panel.members] == ["pending"] * 3

    # a reviewer not on the panel is told it does not exist; a member sees nothing before declaring
    with pytest.raises(wf.NotVisibleError):
        wf.reviewer_view(store, who["dee"], panel.id)
    with pytest.raises(wf.NotAllowedError, match="declare first"):
        wf.reviewer_view(store, who["ext"], panel.id)
    for k in ("chair", "ext", "sme"):
        wf.declare(store, who[k], panel.id, conflict=False)

    # independent reviews: the chair disagrees on the essential ST-AS-01
    with pytest.raises(WorkflowError, match="reason for ST-AS-01 is empty"):
        wf.save_review(store, who["chair"], panel.id, [wf.JudgmentIn("ST-AS-01", "not_met")])
    wf.save_review(store, who["chair"], panel.id,
                   [wf.JudgmentIn("ST-AS-01", "not_met", "LO3 and LO4 have no assessment")], submit=True)
    draft = wf.save_review(store, who["ext"], panel.id, [wf.JudgmentIn("ST-TR-01", comment="clear page")])
    assert draft.state == "draft"
    assert wf.reviewer_view(store, who["ext"], panel.id).others == ()  # not before submitting
    with pytest.raises(wf.NotAllowedError):
        wf.consolidation(store, who["ext"], panel.id)
    wf.save_review(store, who["ext"], panel.id, [], submit=True)
    view = wf.reviewer_view(store, who["ext"], panel.id)
    assert [r.user_id for r in view.others] == [who["chair"].id]
    assert [j.criterion_id for j in view.own.judgments] == ["ST-TR-01"]  # type: ignore[union-attr]
    with pytest.raises(WorkflowError, match="submitted your review already"):
        wf.save_review(store, who["ext"], panel.id, [])

    # deciding before everyone has submitted / before the chair resolved is refused
    with pytest.raises(WorkflowError, match="waiting for the reviews of Cy Expert"):
        wf.decide(store, who["coord"], panel.id, rationale="x", people=everyone, today=TODAY)
    wf.save_review(store, who["sme"], panel.id, [], submit=True)
    pc = wf.consolidation(store, who["coord"], panel.id)
    as01 = next(c for c in pc.consolidation.criteria if c.id == "ST-AS-01")
    assert as01.rule == "unanimous" and as01.open
    assert [(d.reviewer, d.reason) for d in as01.disagreements if d.reason] == [
        (who["chair"].id, "LO3 and LO4 have no assessment")
    ]
    with pytest.raises(WorkflowError, match="left open by the consensus rule: ST-AS-01"):
        wf.decide(store, who["coord"], panel.id, rationale="x", people=everyone, today=TODAY)
    with pytest.raises(wf.NotAllowedError, match="only the panel's chair"):
        wf.resolve_criterion(store, who["ext"], panel.id, "ST-AS-01", state="not_met", reason="r")
    pc = wf.resolve_criterion(store, who["chair"], panel.id, "ST-AS-01", state="not_met",
                              reason="two of eight outcomes are unassessed")
    assert pc.consolidation.complete
    assert [(c.criterion, c.final_state) for c in pc.consolidation.changes] == [("ST-AS-01", "not_met")]

    # the decision: outcome from the consolidated band, one condition on ST-AS-01
    due = TODAY + _dt.timedelta(days=60)
    decision = wf.decide(store, who["coord"], panel.id, rationale="Sound programme; assessment gaps.",
                         outcome="accredited_with_conditions", people=everyone, today=TODAY,
                         conditions=[wf.ConditionIn(("ST-AS-01",), "Assess every learning outcome.", due)])
    assert decision.outcome == "accredited_with_conditions"
    assert decision.valid_until == _dt.date(2029, 3, 1)  # three years from the policy
    assert decision.score_exact == str(pc.consolidation.result.percent)
    assert db.get_panel(store, panel.id).state == "closed"  # type: ignore[union-attr]
    items = wf.due(store, who["coord"], today=TODAY)
    assert [(i.kind, i.condition, i.state) for i in items] == [("condition", "C1", "open")]
    assert wf.due(store, who["prov"], today=TODAY) == items  # the provider sees its own
    with pytest.raises(wf.NotVisibleError):
        wf.decision_for(store, who["dee"], decision.id)

    # an amended dossier that does not yet meet it, then one that does
    with pytest.raises(WorkflowError, match="is not met: no amended dossier answers it yet"):
        wf.close_condition(store, who["coord"], decision.id, "C1", today=TODAY)
    res = wf.amend(store, who["prov"], decision.id, dossier.model_copy(update={"title": "Renamed"}))
    assert [(c.condition, c.met) for c in res.checks] == [("C1", False)] and res.changed == ("title",)
    fixed = dossier.model_copy(update={"outcomes": [o.model_copy(update={"assessed_by": ["A1"]})
                                                    for o in dossier.outcomes]})
    res = wf.amend(store, who["prov"], decision.id, fixed)
    assert [(c.condition, c.met) for c in res.checks] == [("C1", True)]
    assert res.re_review == () and "outcomes" in res.changed
    with pytest.raises(wf.NotAllowedError):
        wf.close_condition(store, who["ext"], decision.id, "C1", today=TODAY)
    closed = wf.close_condition(store, who["chair"], decision.id, "C1", today=TODAY)
    assert closed.outcome == "accredited" and closed.decided_outcome == "accredited_with_conditions"
    assert wf.due(store, who["coord"], today=TODAY) == []  # listed before it was met, not after
    assert store.verify_audit().ok


def test_a_declared_conflict_removes_the_member(world: Any) -> None:
    store, who, case, ev, _d, _r = world
    panel = wf.form_panel(store, who["coord"], case, _three(who))
    with pytest.raises(WorkflowError, match="note is empty"):
        wf.declare(store, who["sme"], panel.id, conflict=True)
    wf.declare(store, who["sme"], panel.id, conflict=True, note="I taught at CodeHarbour until 2025")
    with pytest.raises(wf.NotVisibleError):
        wf.reviewer_view(store, who["sme"], panel.id)
    with pytest.raises(WorkflowError, match="already has an open panel"):
        wf.form_panel(store, who["coord"], case, _three(who))
    for k in ("chair", "ext"):
        wf.declare(store, who[k], panel.id, conflict=False)
        wf.save_review(store, who[k], panel.id, [], submit=True)
    with pytest.raises(WorkflowError, match="the policy asks for 3 members, the panel has 2"):
        wf.decide(store, who["coord"], panel.id, rationale="x", people=db.people(store), today=TODAY)


def test_audit_verify_names_an_edited_judgment_and_condition(world: Any, store_url: str) -> None:
    store, who, case, ev, _d, _r = world
    panel = wf.form_panel(store, who["coord"], case, _three(who))
    for k in ("chair", "ext", "sme"):
        wf.declare(store, who[k], panel.id, conflict=False)
        wf.save_review(store, who[k], panel.id, [wf.JudgmentIn("ST-AS-01", "met", "all assessed in A3")],
                       submit=True)
    d = wf.decide(store, who["coord"], panel.id, rationale="r", people=db.people(store), today=TODAY,
                  outcome="accredited_with_conditions",
                  conditions=[wf.ConditionIn(("ST-IN-01",), "Train the staff.", TODAY + _dt.timedelta(days=30))])
    assert store.verify_audit().ok
    eng = create_engine(resolve_url(store_url))
    try:
        with eng.begin() as c:
            c.execute(update(REVIEW_JUDGMENT).values(reason="forged"))
        res = store.verify_audit()
        assert not res.ok and res.record_problems[0].table == "panel_review"
        with eng.begin() as c:
            c.execute(update(REVIEW_JUDGMENT).values(reason="all assessed in A3"))
            c.execute(update(DECISION_CONDITION).values(state="met"))
        res = store.verify_audit()
        assert not res.ok and (res.record_problems[0].table, res.record_problems[0].id) == (
            "decision_condition", d.conditions[0].id)
        assert "state differs" in res.record_problems[0].reason
    finally:
        eng.dispose()


def test_the_store_refuses_a_second_decision_and_a_second_close(sqlite_url: str) -> None:
    """Two coordinators at once: the checks the services make before writing are made
    again inside the write transaction, so the slower one gets a clear error."""
    from workflow_helpers import decided_case

    store = open_store(sqlite_url)
    try:
        w = decided_case(store)
        d = w["decision"]
        values = {k: getattr(d, k) for k in (
            "case_id", "panel_id", "evaluation_id", "version", "dossier_sha256", "ruleset_sha256", "rubric_sha256",
            "report_sha256", "policy_sha256", "outcome", "decided_outcome", "rationale", "score_exact", "score",
            "criteria", "panel", "valid_from", "valid_until", "decided_on", "decided_by")}
        with pytest.raises(WorkflowError, match=f"panel {d.panel_id} has decided already"):
            db.record_decision(store, values, [], actor="other@body.example")
        with pytest.raises(WorkflowError, match="panel .* has decided"):
            db.save_review(store, d.panel_id, w["who"]["dee"].id, judgments=[], comment=None, submit=True,
                           actor="dee@body.example")
        cid = d.conditions[0].id
        db.close_condition(store, cid, on=TODAY, by=w["who"]["coord"].id, amendment_id=None, actor="c")
        with pytest.raises(WorkflowError, match="condition C1 is closed already"):
            db.close_condition(store, cid, on=TODAY, by=w["who"]["coord"].id, amendment_id=None, actor="c")
        assert db.get_decision(store, d.id).outcome == "accredited"  # type: ignore[union-attr]
        assert store.verify_audit().ok
    finally:
        store.close()


def test_the_case_moves_with_the_decision_the_amendments_and_the_validity(store_url: str) -> None:
    """Deciding moves the case in_review -> decided in the decision's transaction; an
    amendment that only re-checks conditions leaves it decided (as a new version); one
    that changes what the policy says forces re-review moves it decided -> amendment ->
    in_review with the amended version submitted; the validity's end expires it."""
    from workflow_helpers import decided_case

    from qa_engine.store import cases as cdb

    store = open_store(store_url)
    try:
        w = decided_case(store)
        d, who, case = w["decision"], w["who"], w["cases"][0]
        assert db.case_state(store, case) == "decided"
        assert [e.action for e in cdb.events(store, case)][-1] == "decide"
        # a second decision on the same panel is refused, and the case's state with it
        assert cdb.get_case(store, case).submitted_version == 1  # type: ignore[union-attr]

        fixed = w["dossier"].model_copy(update={"outcomes": [o.model_copy(update={"assessed_by": ["A1"]})
                                                             for o in w["dossier"].outcomes]})
        res = wf.amend(store, who["prov"], d.id, fixed, file="fixed.yaml")
        assert res.version == 2 and res.state == "decided" and res.re_review == ()
        v2 = cdb.versions(store, case)[-1]
        assert (v2.number, v2.kind, v2.evaluation_id) == (2, "amendment", res.amendment.evaluation_id)
        assert db.case_state(store, case) == "decided"

        moved = fixed.model_copy(update={"provider": fixed.provider.model_copy(update={"name": "Other Academy"})})  # type: ignore[union-attr]
        res = wf.amend(store, who["prov"], d.id, moved, file="moved.yaml")
        assert res.re_review == ("provider",) and res.version == 3 and res.state == "in_review"
        case_row = cdb.get_case(store, case)
        assert case_row is not None and case_row.submitted_version == 3
        assert [(e.action, e.from_state, e.to_state) for e in cdb.events(store, case)][-2:] == [
            ("request_amendment", "decided", "amendment"), ("resubmit", "amendment", "in_review")]
        with pytest.raises(WorkflowError, match="is in review; conditions are answered while the decision stands"):
            wf.amend(store, who["prov"], d.id, fixed)
        with pytest.raises(WorkflowError, match="forces a new review"):
            wf.close_condition(store, who["coord"], d.id, "C1", today=TODAY)
        # the new review runs on the amended version
        panel = wf.form_panel(store, who["coord"], case, [wf.Pick(who["chair"], chair=True), wf.Pick(who["ext"]),
                                                          wf.Pick(who["sme"], subject_matter=True)])
        assert panel.version == 3
        assert store.verify_audit().ok
    finally:
        store.close()


def test_expire_moves_lapsed_decisions_only(store_url: str) -> None:
    from workflow_helpers import decided_case

    store = open_store(store_url)
    try:
        w = decided_case(store)
        d, who, case = w["decision"], w["who"], w["cases"][0]
        with pytest.raises(wf.NotAllowedError):
            wf.expire(store, who["prov"], today=d.valid_until + _dt.timedelta(days=1))
        assert wf.expire(store, who["coord"], today=d.valid_until) == []  # its last day: still valid
        assert db.case_state(store, case) == "decided"
        done = wf.expire(store, who["coord"], today=d.valid_until + _dt.timedelta(days=1))
        assert [(e.case_id, e.decision_id, e.was) for e in done] == [(case, d.id, "decided")]
        assert db.case_state(store, case) == "expired"
        assert wf.expire(store, who["coord"], today=d.valid_until + _dt.timedelta(days=2)) == []
        assert store.verify_audit().ok
    finally:
        store.close()
