"""The effective report: a stored evaluation with its reviewers' actions applied.

An active override replaces the criterion's state by the reviewer's (the criterion is
shown as ``overridden`` and its ``review`` names the state that counts); an active
waiver shows it as ``waived`` (excluded from the score, the essential gate holds).
The result is re-scored with :func:`qa_engine.scoring.score` against the ruleset and
rubric versions *as stored* with the evaluation, so the decision, areas and fix plan
are those the reviewed verdicts earn. Lapsed actions (expired, criterion changed,
superseded) are listed in ``review.lapsed``.

Before anything is shown, every record the effective report rests on (the evaluation
with its report and findings, its ruleset and rubric versions, the dossier's reviewer
actions) is checked against the audit trail; a record that does not match is refused
(:class:`~qa_engine.store.TrailError`), never shown with forged values.
"""

from __future__ import annotations

import datetime as _dt
from fractions import Fraction

from qa_engine.formats.report import (
    AreaResult,
    CriterionResult,
    FixOut,
    NextDecision,
    Report,
    ReviewOut,
    ReviewSummaryOut,
)
from qa_engine.scoring import pct, score
from qa_engine.store import OverrideView, Store


def _review_out(a: OverrideView) -> ReviewOut:
    return ReviewOut(
        action_id=a.id, evaluation_id=a.evaluation_id, kind=a.kind, state_before=a.state_before,
        state=a.effective_state, reason=a.reason, reviewer=a.reviewer, created=a.created_at,
        expires=a.expires,
    )


def _lapsed_text(a: OverrideView) -> str:
    what = f"override of {a.criterion_id} to {a.state}" if a.kind == "override" else f"waiver of {a.criterion_id}"
    why = {
        "expired": f"expired on {a.expires.isoformat() if a.expires else '?'}",
        "criterion changed": "the criterion has changed since",
        "superseded": "a later action on the criterion decides",
    }.get(a.status, a.status)
    return f"{what} by {a.reviewer} (action {a.id}, {a.created_at.date().isoformat()}) not applied: {why}"


def effective_report(
    store: Store, evaluation_id: int, *, as_of: _dt.date, trail_checked: bool = False
) -> Report:
    """The stored report of ``evaluation_id`` with the actions active on ``as_of`` applied.

    ``trail_checked``: the caller has just run ``store.require_trail(evaluation_id)``."""
    if not trail_checked:
        store.require_trail(evaluation_id)
    stored = store.get_report(evaluation_id)
    actions = store.review_actions(evaluation_id, as_of=as_of)
    active = {a.criterion_id: a for a in actions if a.active}
    lapsed = [_lapsed_text(a) for a in actions if not a.active]
    summary = ReviewSummaryOut(
        evaluation_id=evaluation_id, as_of=as_of, stored_decision=stored.decision,
        stored_score=stored.score, stored_passed=stored.passed, active=len(active), lapsed=lapsed,
    )
    if not active:
        return stored.model_copy(update={"review": summary})
    return apply_actions(store, stored, active, summary)


def apply_actions(
    store: Store, stored: Report, active: dict[str, OverrideView], summary: ReviewSummaryOut
) -> Report:
    ruleset, rubric = store.load_content(stored.ruleset.sha256, stored.rubric.sha256)
    states = {c.id: c.state for c in stored.criteria}
    for cid, a in active.items():
        states[cid] = a.effective_state
    result = score(ruleset, rubric, states)
    by_score = {c.id: c for c in result.criteria}
    order = {c.id: i for i, c in enumerate(ruleset.criteria)}
    crits: list[CriterionResult] = []
    for c in stored.criteria:
        sc = by_score[c.id]
        upd: dict[str, object] = {
            "points": float(sc.points), "max_points": float(sc.max_points),
            "essential_failed": sc.essential_failed,
        }
        act = active.get(c.id)
        if act is not None:
            upd["state"] = "overridden" if act.kind == "override" else "waived"
            upd["review"] = _review_out(act)
        crits.append(c.model_copy(update=upd))
    crits.sort(key=lambda r: (not r.essential_failed, order.get(r.id, len(order))))
    counts: dict[str, int] = {}
    for c in crits:
        counts[c.state] = counts.get(c.state, 0) + 1
    nxt = None
    if result.next_band is not None:
        nxt = NextDecision(
            decision=result.next_band.id, label=result.next_band.label,
            reachable=bool(result.plan_reaches), fixes_needed=sum(1 for f in result.fixes if f.in_plan),
        )

    def f(x: Fraction) -> float:
        return float(x)

    return stored.model_copy(
        update={
            "decision": result.band.id, "decision_label": result.band.label, "passed": result.passed,
            "score": pct(result.percent) or 0.0, "score_exact": str(result.percent),
            "scoring_model": result.model,
            "areas": [
                AreaResult(
                    id=ar.id, title=ar.title, score=pct(ar.percent), points=f(ar.points),
                    max_points=f(ar.max_points), weight=f(ar.weight), counted=ar.counted, failed=ar.failed,
                )
                for ar in result.areas
            ],
            "essential_failures": list(result.essential_failures),
            "counts": {s: counts[s] for s in sorted(counts)},
            "criteria": crits,
            "fixes": [
                FixOut(
                    criterion=fx.criterion, title=fx.title, area=fx.area, state=fx.state,
                    essential=fx.essential, clears_essential=fx.clears_essential,
                    gain=pct(fx.gain) or 0.0, in_plan=fx.in_plan,
                )
                for fx in result.fixes
            ],
            "next_decision": nxt,
            "notes": list(stored.notes),
            "review": summary,
        }
    )


def rescore_stored(store: Store, evaluation_id: int) -> Report:
    """Re-score the stored verdicts with no actions applied (a consistency check:
    equals the stored decision and score when the stored content is intact)."""
    stored = store.get_report(evaluation_id)
    summary = ReviewSummaryOut(
        evaluation_id=evaluation_id, as_of=stored.as_of, stored_decision=stored.decision,
        stored_score=stored.score, stored_passed=stored.passed, active=0,
    )
    return apply_actions(store, stored, {}, summary)
