"""The review workflow's rules, as pure functions (no store, no clock).

Panel make-up against the policy, consolidation of independent judgments under the
consensus rule, the consolidated score through the same scoring code as the machine
verdict (:func:`qa_engine.scoring.score`), a decision's defaults and checks, the
re-check of conditions on an amended dossier, and what is coming due. The services in
:mod:`qa_engine.services.workflow.service` read and write the store around these.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from qa_engine.errors import WorkflowError
from qa_engine.formats.decision import Condition, Decision
from qa_engine.formats.policy import ConsensusRule, PanelPolicy, ReviewPolicy
from qa_engine.rules.registry import LoadedRubric, LoadedRuleset
from qa_engine.scoring import ScoreResult, score

#: The states a reviewer can give a criterion (besides agreeing with the machine).
JUDGED_STATES: tuple[str, ...] = ("exemplary", "met", "partially_met", "not_met", "not_applicable")
#: States in which a condition's criterion counts as met on the amended dossier.
CONDITION_MET_STATES: frozenset[str] = frozenset({"exemplary", "met", "not_applicable"})


# --------------------------------------------------------------------------- panels


@dataclass(frozen=True)
class Member:
    """A panel member as the make-up check sees them."""

    user_id: int
    name: str
    role: Literal["chair", "member"]
    external: bool = False
    subject_matter: bool = False
    chair_qualified: bool = False
    #: ``None`` not yet declared; ``"none"`` declared no conflict; ``"declared"`` a conflict (removed)
    conflict: Literal["none", "declared"] | None = None


def seated(members: Iterable[Member]) -> list[Member]:
    """The members who count: everyone but those who declared a conflict."""
    return [m for m in members if m.conflict != "declared"]


def panel_problems(policy: PanelPolicy, members: Sequence[Member], *, require_declared: bool = False) -> list[str]:
    """What keeps ``members`` from being a panel the policy allows (empty: none).

    ``require_declared``: every seated member must also have declared no conflict
    (a panel judges only then)."""
    problems: list[str] = []
    ids = [m.user_id for m in members]
    if len(set(ids)) != len(ids):
        problems.append("a reviewer is named twice")
    seat = seated(members)
    if len(seat) != policy.size:
        problems.append(f"the policy asks for {policy.size} members, the panel has {len(seat)}")
    chairs = [m for m in seat if m.role == "chair"]
    if policy.chair_required and not chairs:
        problems.append("the policy asks for a chair, the panel has none")
    if len(chairs) > 1:
        problems.append(f"a panel has one chair, this one has {len(chairs)}")
    if policy.chair_qualified:
        for c in chairs:
            if not c.chair_qualified:
                problems.append(f"{c.name} is not qualified to chair")
    ext = sum(1 for m in seat if m.external)
    if ext < policy.min_external:
        problems.append(f"the policy asks for at least {policy.min_external} external members, the panel has {ext}")
    sme = sum(1 for m in seat if m.subject_matter)
    if sme < policy.min_subject_matter:
        problems.append(
            f"the policy asks for at least {policy.min_subject_matter} subject-matter experts, the panel has {sme}"
        )
    if require_declared:
        for m in seat:
            if m.conflict is None:
                problems.append(f"{m.name} has not yet declared whether they have a conflict of interest")
    return problems


# --------------------------------------------------------------------------- consolidation


@dataclass(frozen=True)
class Judgment:
    """One reviewer's judgment of one criterion (``state`` is the machine's when they agree)."""

    reviewer: int
    state: str
    agrees: bool
    reason: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The chair's resolution of a criterion the consensus rule leaves open."""

    state: str
    reason: str
    by: int


@dataclass(frozen=True)
class Disagreement:
    reviewer: int
    state: str
    reason: str | None


@dataclass(frozen=True)
class CriterionConsolidation:
    id: str
    title: str
    essential: bool
    machine_state: str
    rule: ConsensusRule
    judgments: tuple[Judgment, ...]
    consensus: str | None  # what the rule gives, None: open
    resolution: Resolution | None
    final_state: str | None  # None: open and not resolved yet
    disagreements: tuple[Disagreement, ...]
    explanation: str

    @property
    def source(self) -> Literal["machine", "consensus", "chair"]:
        if self.resolution is not None or self.rule == "chair":
            return "chair"
        return "machine" if self.final_state == self.machine_state else "consensus"

    @property
    def open(self) -> bool:
        return self.final_state is None


@dataclass(frozen=True)
class Change:
    criterion: str
    machine_state: str
    final_state: str


@dataclass(frozen=True)
class Consolidation:
    criteria: tuple[CriterionConsolidation, ...]
    #: the score of the final states (open criteria at their machine state while open)
    result: ScoreResult
    machine: ScoreResult
    changes: tuple[Change, ...]
    reviewers: tuple[int, ...]

    @property
    def complete(self) -> bool:
        return not any(c.open for c in self.criteria)

    @property
    def open_criteria(self) -> list[str]:
        return [c.id for c in self.criteria if c.open]

    def final_states(self) -> dict[str, str]:
        return {c.id: c.final_state or c.machine_state for c in self.criteria}


_RULE_WORDS = {
    "majority": "the state more than half of the panel give",
    "unanimous": "the state every member of the panel gives",
    "chair": "the chair's judgment",
}


def consensus_of(rule: ConsensusRule, states: Sequence[str], chair_state: str | None) -> str | None:
    """The state ``rule`` gives for the panel's ``states`` (None: the rule leaves it open)."""
    if not states:
        return None
    if rule == "chair":
        return chair_state
    counts = Counter(states)
    top, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if rule == "unanimous":
        return top if n == len(states) else None
    return top if 2 * n > len(states) else None


def _explain(c_id: str, rule: ConsensusRule, machine: str, judgments: Sequence[Judgment],
             consensus: str | None, resolution: Resolution | None) -> str:
    counts = Counter(j.state for j in judgments)
    said = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    head = f"The machine found {machine.replace('_', ' ')}; the panel said {said}. Rule: {_RULE_WORDS[rule]}"
    if consensus is not None and resolution is None:
        return f"{head}, so the criterion is {consensus.replace('_', ' ')}."
    if resolution is not None:
        return f"{head}, which leaves it open; the chair resolved it as {resolution.state.replace('_', ' ')}: {resolution.reason}"
    return f"{head}, which leaves it open: the chair has to resolve it."


def consolidate(
    ruleset: LoadedRuleset,
    rubric: LoadedRubric,
    policy: ReviewPolicy,
    machine: Mapping[str, str],
    reviews: Mapping[int, Mapping[str, Judgment]],
    *,
    chair: int | None,
    resolutions: Mapping[str, Resolution] | None = None,
) -> Consolidation:
    """Per criterion the consensus of the submitted ``reviews`` (reviewer id -> criterion
    -> judgment; a criterion a reviewer left alone counts as agreeing with the machine)
    under the policy's rule, every disagreement, the chair's ``resolutions`` where the
    rule leaves it open; then the score of the final states."""
    resolutions = resolutions or {}
    reviewers = tuple(sorted(reviews))
    out: list[CriterionConsolidation] = []
    for crit in ruleset.criteria:
        cid = crit.id
        m = machine[cid]
        js = tuple(
            reviews[r].get(cid) or Judgment(reviewer=r, state=m, agrees=True) for r in reviewers
        )
        rule = policy.consensus.rule_for(cid, crit.essential)
        chair_state = next((j.state for j in js if j.reviewer == chair), None)
        cons = consensus_of(rule, [j.state for j in js], chair_state)
        res = resolutions.get(cid) if cons is None else None
        final = cons if cons is not None else (res.state if res else None)
        dis = tuple(
            Disagreement(j.reviewer, j.state, j.reason)
            for j in js
            if (final is None and len({x.state for x in js}) > 1) or (final is not None and j.state != final)
        )
        out.append(CriterionConsolidation(
            id=cid, title=crit.spec.title, essential=crit.essential, machine_state=m, rule=rule,
            judgments=js, consensus=cons, resolution=res, final_state=final, disagreements=dis,
            explanation=_explain(cid, rule, m, js, cons, res),
        ))
    finals = {c.id: c.final_state or c.machine_state for c in out}
    changes = tuple(
        Change(c.id, c.machine_state, c.final_state)
        for c in out if c.final_state is not None and c.final_state != c.machine_state
    )
    return Consolidation(
        criteria=tuple(out),
        result=score(ruleset, rubric, finals),
        machine=score(ruleset, rubric, dict(machine)),
        changes=changes,
        reviewers=reviewers,
    )


# --------------------------------------------------------------------------- decisions


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` plus whole months, on the last day of the month where it is shorter."""
    y, m0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m0 + 1
    return _dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(policy: ReviewPolicy, valid_from: _dt.date) -> _dt.date:
    """The last day of validity: ``validity_months`` after ``valid_from``, the day before."""
    return add_months(valid_from, policy.validity_months) - _dt.timedelta(days=1)


def default_due(policy: ReviewPolicy, decided_on: _dt.date) -> _dt.date:
    return decided_on + _dt.timedelta(weeks=policy.amendment_weeks)


def decision_problems(
    outcome: str,
    conditions: Sequence[Condition],
    *,
    criteria: Iterable[str],
    valid_from: _dt.date,
    valid_until: _dt.date,
    decided_on: _dt.date,
) -> list[str]:
    """What makes a decision inconsistent (empty: none)."""
    problems: list[str] = []
    known = set(criteria)
    if outcome == "accredited_with_conditions" and not conditions:
        problems.append("an accreditation with conditions names at least one condition")
    if outcome != "accredited_with_conditions" and conditions:
        problems.append(f"a decision '{outcome}' carries no conditions (use accredited_with_conditions)")
    if valid_until < valid_from:
        problems.append(f"valid_until {valid_until} is before valid_from {valid_from}")
    seen: set[str] = set()
    for c in conditions:
        if c.id in seen:
            problems.append(f"condition id {c.id} is used twice")
        seen.add(c.id)
        for cid in c.criteria:
            if cid not in known:
                problems.append(f"condition {c.id} names criterion {cid}, which the ruleset does not have")
        if c.due < decided_on:
            problems.append(f"condition {c.id} is due on {c.due}, before the decision ({decided_on})")
    return problems


# --------------------------------------------------------------------------- amendments


@dataclass(frozen=True)
class ConditionCheck:
    """One condition on the amended dossier: its criteria's new states, and whether met."""

    condition: str
    states: dict[str, str]
    met: bool
    explanation: str


def recheck_conditions(decision: Decision, amended: Mapping[str, str]) -> list[ConditionCheck]:
    """Re-check exactly the open conditions' criteria on the amended dossier's verdicts:
    a condition is met when each of its criteria is met, exemplary or not applicable."""
    out = []
    for c in decision.conditions:
        if c.state != "open":
            continue
        states = {cid: amended.get(cid, "unknown") for cid in c.criteria}
        short = [cid for cid, s in states.items() if s not in CONDITION_MET_STATES]
        if short:
            why = "; ".join(f"{cid} is {states[cid].replace('_', ' ')}" for cid in short)
            text = f"Not yet met: {why} on the amended dossier."
        else:
            text = "Met: " + ", ".join(f"{cid} is {s.replace('_', ' ')}" for cid, s in states.items()) + \
                " on the amended dossier."
        out.append(ConditionCheck(condition=c.id, states=states, met=not short, explanation=text))
    return out


def amended_states(decision: Decision, amended: Mapping[str, str]) -> dict[str, str]:
    """The decision's final states with the open conditions' criteria taken from the
    amended dossier (every other criterion keeps the state the panel decided)."""
    states = {c.id: c.final_state for c in decision.criteria}
    for cond in decision.conditions:
        if cond.state == "open":
            for cid in cond.criteria:
                if cid in amended:
                    states[cid] = amended[cid]
    return states


def re_review_fields(policy: ReviewPolicy, decided: Mapping[str, Any], amended: Mapping[str, Any]) -> list[str]:
    """The policy's ``re_review_on`` fields that differ between the decided and the
    amended dossier (non-empty: the amendment needs a new review, not a re-check)."""
    return [f for f in policy.re_review_on if decided.get(f) != amended.get(f)]


# --------------------------------------------------------------------------- life cycle


def decision_status(decision: Decision, today: _dt.date) -> Literal["pending", "in_force", "expired"]:
    if today < decision.valid_from:
        return "pending"
    return "in_force" if today <= decision.valid_until else "expired"


@dataclass(frozen=True, order=True)
class DueItem:
    """Something coming due: a condition (open or overdue) or a decision's re-review."""

    due: _dt.date
    decision: int
    kind: Literal["condition", "re-review"]
    condition: str | None = None
    state: str = ""
    text: str = field(default="", compare=False)


def parse_within(text: str) -> _dt.timedelta | None:
    """``90d``, ``12w``, ``6m`` (30-day months) or a number of days; None when it is none."""
    m = re.fullmatch(r"\s*(\d{1,5})\s*([dwm]?)\s*", text)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2) or "d"
    return _dt.timedelta(days=n * {"d": 1, "w": 7, "m": 30}[unit])


def due_items(decisions: Iterable[Decision], today: _dt.date, within: _dt.timedelta) -> list[DueItem]:
    """Open conditions due by ``today + within`` (overdue ones too) and decisions whose
    validity ends by then (expired ones too), soonest first."""
    horizon = today + within
    out: list[DueItem] = []
    for d in decisions:
        for c in d.conditions:
            if c.state != "open" or c.due > horizon:
                continue
            out.append(DueItem(due=c.due, decision=d.id, kind="condition", condition=c.id,
                               state=c.current_state(today), text=c.text))
        if d.valid_until <= horizon:
            st = "expired" if today > d.valid_until else "due"
            out.append(DueItem(due=d.valid_until, decision=d.id, kind="re-review", state=st,
                               text=f"{d.programme.title}: validity ends"))
    return sorted(out)


__all__ = [
    "CONDITION_MET_STATES",
    "JUDGED_STATES",
    "Change",
    "ConditionCheck",
    "Consolidation",
    "CriterionConsolidation",
    "Disagreement",
    "DueItem",
    "Judgment",
    "Member",
    "Resolution",
    "WorkflowError",
    "add_months",
    "amended_states",
    "consensus_of",
    "consolidate",
    "decision_problems",
    "decision_status",
    "default_due",
    "default_valid_until",
    "due_items",
    "panel_problems",
    "parse_within",
    "re_review_fields",
    "recheck_conditions",
    "seated",
]
