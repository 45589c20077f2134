"""The review workflow's use cases, behind the CLI (and the web pages and API).

A coordinator forms a panel for a case in review; each reviewer declares whether they
have a conflict of interest before seeing the submission (a declared conflict removes
them); reviewers judge independently and see the others' judgments only after
submitting their own; the chair resolves what the consensus rule leaves open; the
coordinator decides, with conditions and a validity period from the policy; the
provider answers conditions with an amended dossier, whose conditions' criteria are
re-checked; a coordinator or the chair closes met conditions, which turns
"accredited with conditions" into "accredited" once none is left open.

Every function takes the person asking and checks what they may do before reading
or writing; the rules themselves are :mod:`qa_engine.services.workflow.logic`'s.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from qa_engine.errors import WorkflowError
from qa_engine.formats.decision import (
    Condition,
    CriterionOutcome,
    Decision,
    PanelMember,
    Programme,
    Provider,
    VersionRef,
)
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.report import Report
from qa_engine.rules.policies import LoadedPolicy, policy_for
from qa_engine.rules.registry import LoadedRubric, LoadedRuleset, Registry
from qa_engine.scoring import pct
from qa_engine.services.check import check_dossier, resolve
from qa_engine.services.workflow.logic import (
    JUDGED_STATES,
    ConditionCheck,
    Consolidation,
    DueItem,
    Judgment,
    Member,
    Resolution,
    consolidate,
    decision_problems,
    default_due,
    default_valid_until,
    due_items,
    panel_problems,
    re_review_fields,
    recheck_conditions,
    seated,
)
from qa_engine.store import Store
from qa_engine.store import workflow as db
from qa_engine.store.cases import NewVersion
from qa_engine.store.trail import document_sha256
from qa_engine.textsafe import has_unsafe

MAX_TEXT = 4000


class Person(Protocol):
    """Who asks (an account of the workspace)."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def organisation_id(self) -> int | None: ...
    @property
    def external(self) -> bool: ...
    @property
    def chair_qualified(self) -> bool: ...


class NotVisibleError(WorkflowError):
    """The object does not exist, or the asker may not know that it does (HTTP 404:
    a reviewer not on the panel sees no panel at all)."""

    http_status = 404


class NotAllowedError(WorkflowError):
    """The asker may see this but not do it (HTTP 403)."""

    http_status = 403


def _text(value: str | None, what: str, *, required: bool = False) -> str | None:
    v = (value or "").strip()
    if not v:
        if required:
            raise WorkflowError(f"the {what} is empty", hint=f"say why ({what}): the provider and auditors read it")
        return None
    if len(v) > MAX_TEXT:
        raise WorkflowError(f"the {what} is longer than {MAX_TEXT} characters", hint="shorten it")
    if "\x00" in v or has_unsafe(v.replace("\n", " ").replace("\t", " ")):
        raise WorkflowError(f"the {what} holds control characters", hint="remove them")
    return v


def _require_role(user: Person, *roles: str, what: str) -> None:
    if user.role not in roles:
        raise NotAllowedError(f"a {user.role} may not {what}", hint=f"this is for: {', '.join(roles)}")


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Content:
    """What a panel judges: the frozen evaluation with its ruleset, rubric and policy."""

    report: Report
    ruleset: LoadedRuleset
    rubric: LoadedRubric
    policy: LoadedPolicy

    @property
    def machine(self) -> dict[str, str]:
        return {c.id: c.state for c in self.report.criteria}


def content_of(store: Store, evaluation_id: int, registry: Registry | None = None) -> Content:
    store.require_trail(evaluation_id)
    report = store.get_report(evaluation_id)
    ruleset, rubric = store.load_content(report.ruleset.sha256, report.rubric.sha256)
    reg = registry or Registry()
    current = reg.rubric(f"{report.rubric.id}@{report.rubric.version}")
    if current.sha256 != report.rubric.sha256:
        raise WorkflowError(
            f"rubric {report.rubric.id}@{report.rubric.version} has changed since evaluation {evaluation_id}",
            hint="re-evaluate the submission under the rubric as it now stands",
        )
    return Content(report=report, ruleset=ruleset, rubric=rubric, policy=policy_for(current, ruleset))


# --------------------------------------------------------------------------- panels


@dataclass(frozen=True)
class Pick:
    """A reviewer the coordinator puts on a panel."""

    user: Person
    chair: bool = False
    subject_matter: bool = False


def _members(panel: db.PanelRow, people: Mapping[int, Person]) -> list[Member]:
    out = []
    for m in panel.members:
        p = people[m.user_id]
        out.append(Member(
            user_id=m.user_id, name=p.name, role="chair" if m.role == "chair" else "member", external=m.external,
            subject_matter=m.subject_matter, chair_qualified=p.chair_qualified,
            conflict=None if m.conflict == "pending" else ("declared" if m.conflict == "declared" else "none"),
        ))
    return out


def form_panel(
    store: Store, user: Person, case_id: int, picks: Sequence[Pick], *, registry: Registry | None = None,
) -> db.PanelRow:
    """Form the panel of a case in review, on its submitted (frozen) version and that
    version's evaluation; the panel's make-up must fit the policy."""
    _require_role(user, "coordinator", what="form review panels")
    state = db.case_state(store, case_id)
    if state is None:
        raise NotVisibleError(f"there is no submission {case_id}", hint="check the number")
    if state != "in_review":
        raise WorkflowError(f"submission {case_id} is {state}, not in review",
                            hint="screen it (accept it for review) first")
    frozen = db.case_frozen(store, case_id)
    if frozen is None:
        raise WorkflowError(f"submission {case_id} has no evaluated submitted version", hint="submit it first")
    version, evaluation_id = frozen
    if any(d.version == version for d in db.decisions(store, case_id=case_id)):
        raise WorkflowError(f"submission {case_id} version {version} is decided", hint="see qa-engine due")
    if any(x.state == "open" for x in db.panels_of_case(store, case_id)):
        raise WorkflowError(f"case {case_id} already has an open panel", hint="decide on it first")
    content = content_of(store, evaluation_id, registry)
    for p in picks:
        if p.user.role != "reviewer":
            raise WorkflowError(f"{p.user.email} is a {p.user.role}, not a reviewer", hint="pick reviewer accounts")
    members = [Member(user_id=p.user.id, name=p.user.name, role="chair" if p.chair else "member",
                      external=p.user.external, subject_matter=p.subject_matter,
                      chair_qualified=p.user.chair_qualified) for p in picks]
    problems = panel_problems(content.policy.spec.panel, members)
    if problems:
        raise WorkflowError(
            f"the panel does not fit policy {content.policy.ref}: {'; '.join(problems)}",
            hint="change the reviewers (see docs/review-policy.md)",
        )
    pid = db.form_panel(
        store, case_id=case_id, evaluation_id=evaluation_id, version=version, policy_ref=content.policy.ref,
        policy_sha256=content.policy.sha256, created_by=user.id, actor=user.email,
        members=[db.NewMember(p.user.id, "chair" if p.chair else "member", p.user.external, p.subject_matter)
                 for p in picks],
    )
    panel = db.get_panel(store, pid)
    assert panel is not None
    return panel


def add_member(store: Store, user: Person, panel_id: int, pick: Pick) -> db.PanelRow:
    """Seat a further reviewer on an open panel that a declared conflict of interest left
    short (the replacement declares and reviews like everyone else). The panel with
    them must fit the policy again; someone who left with a conflict cannot come back."""
    _require_role(user, "coordinator", what="change review panels")
    panel = db.get_panel(store, panel_id)
    if panel is None:
        raise NotVisibleError(f"there is no panel {panel_id}", hint="check the number")
    if panel.state != "open":
        raise WorkflowError(f"panel {panel_id} is {panel.state}", hint="only an open panel takes a new member")
    if not any(m.conflict == "declared" for m in panel.members):
        raise WorkflowError(f"nobody on panel {panel_id} declared a conflict of interest",
                            hint="a member is added only to replace one who left with a conflict")
    if pick.user.role != "reviewer":
        raise WorkflowError(f"{pick.user.email} is a {pick.user.role}, not a reviewer", hint="pick a reviewer account")
    if panel.member(pick.user.id) is not None:
        raise WorkflowError(f"{pick.user.email} is on panel {panel_id} already (or left it with a conflict)",
                            hint="pick another reviewer")
    content = content_of(store, panel.evaluation_id)
    people = db.people(store, [m.user_id for m in panel.members])
    members = [*_members(panel, people), Member(
        user_id=pick.user.id, name=pick.user.name, role="chair" if pick.chair else "member",
        external=pick.user.external, subject_matter=pick.subject_matter, chair_qualified=pick.user.chair_qualified)]
    policy = content.policy.spec.panel
    if len(seated(members)) > policy.size:
        raise WorkflowError(f"panel {panel_id} has its {policy.size} members already",
                            hint="a member is added only in place of one who left")
    problems = panel_problems(policy, members)
    if len(seated(members)) < policy.size:  # more seats to fill: what the next ones can still bring
        problems = [p for p in problems if not p.startswith("the policy asks for")]
    if problems:
        raise WorkflowError(f"the panel with {pick.user.name} does not fit policy {content.policy.ref}: "
                            f"{'; '.join(problems)}", hint="pick a reviewer who fills the seat left (see docs/review-policy.md)")
    db.add_member(store, panel_id, db.NewMember(pick.user.id, "chair" if pick.chair else "member", pick.user.external,
                                                pick.subject_matter), actor=user.email)
    out = db.get_panel(store, panel_id)
    assert out is not None
    return out


def panel_for(store: Store, user: Person, panel_id: int) -> db.PanelRow:
    """The panel, if ``user`` may see it: body staff, and its members (not after a
    declared conflict). Anyone else is told it does not exist."""
    panel = db.get_panel(store, panel_id)
    if panel is not None:
        if user.role in ("coordinator", "auditor"):
            return panel
        m = panel.member(user.id)
        if m is not None and m.conflict != "declared":
            return panel
    raise NotVisibleError(f"there is no panel {panel_id}", hint="check the number (qa-engine panel list)")


def declare(store: Store, user: Person, panel_id: int, *, conflict: bool, note: str | None = None) -> db.PanelRow:
    """A member declares whether they have a conflict of interest with the provider;
    a declared conflict removes them from the panel."""
    panel = panel_for(store, user, panel_id)
    m = panel.member(user.id)
    if m is None:
        raise NotAllowedError("only the panel's members declare conflicts of interest")
    if m.conflict != "pending":
        raise WorkflowError(f"you declared already ({m.conflict})", hint="ask the coordinator to re-form the panel")
    clean = _text(note, "note", required=conflict)
    db.declare(store, panel_id, user.id, conflict="declared" if conflict else "none", note=clean, actor=user.email)
    got = db.get_panel(store, panel_id)
    assert got is not None
    return got


def _seated_member(store: Store, user: Person, panel_id: int) -> tuple[db.PanelRow, db.MemberRow]:
    panel = panel_for(store, user, panel_id)
    m = panel.member(user.id)
    if m is None:
        raise NotAllowedError("only the panel's members review")
    if m.conflict == "pending":
        raise NotAllowedError(
            "declare first whether you have a conflict of interest with the provider",
            hint=f"qa-engine panel declare {panel_id} --no-conflict (or --conflict NOTE)",
        )
    return panel, m


# --------------------------------------------------------------------------- reviews


@dataclass(frozen=True)
class JudgmentIn:
    """A judgment as given: ``state`` None agrees with the machine verdict."""

    criterion: str
    state: str | None = None
    reason: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ReviewerView:
    """What a panel member sees: the evaluation, their own review, and the others'
    submitted reviews once their own is submitted."""

    panel: db.PanelRow
    content: Content
    own: db.ReviewRow | None
    others: tuple[db.ReviewRow, ...]


def reviewer_view(store: Store, user: Person, panel_id: int, registry: Registry | None = None) -> ReviewerView:
    panel, _m = _seated_member(store, user, panel_id)
    rows = db.reviews(store, panel_id)
    own = next((r for r in rows if r.user_id == user.id), None)
    others: tuple[db.ReviewRow, ...] = ()
    if own is not None and own.state == "submitted":
        others = tuple(r for r in rows if r.user_id != user.id and r.state == "submitted")
    return ReviewerView(panel, content_of(store, panel.evaluation_id, registry), own, others)


def visible_reviews(store: Store, user: Person, panel_id: int) -> list[db.ReviewRow]:
    """The reviews ``user`` may read: body staff all of them; a member their own, and
    the others' submitted reviews once their own is submitted."""
    panel = panel_for(store, user, panel_id)
    rows = db.reviews(store, panel.id)
    if user.role in ("coordinator", "auditor"):
        return rows
    own = next((r for r in rows if r.user_id == user.id), None)
    if own is None or own.state != "submitted":
        return [own] if own is not None else []
    return [r for r in rows if r.user_id == user.id or r.state == "submitted"]


def save_review(
    store: Store, user: Person, panel_id: int, judgments: Sequence[JudgmentIn], *, comment: str | None = None,
    submit: bool = False, registry: Registry | None = None,
) -> db.ReviewRow:
    """Save the member's draft (the judgments given replace those of the same criteria)
    or submit it; a submitted review is final."""
    panel, _m = _seated_member(store, user, panel_id)
    if panel.state != "open":
        raise WorkflowError(f"panel {panel_id} has decided", hint="reviews are closed")
    content = content_of(store, panel.evaluation_id, registry)
    machine = content.machine
    rows = db.reviews(store, panel_id)
    own = next((r for r in rows if r.user_id == user.id), None)
    if own is not None and own.state == "submitted":
        raise WorkflowError("you have submitted your review already", hint="a submitted review is final")
    merged: dict[str, db.JudgmentRow] = {j.criterion_id: j for j in (own.judgments if own else ())}
    for j in judgments:
        if j.criterion not in machine:
            raise WorkflowError(f"criterion {j.criterion} is not in the evaluation",
                                hint=f"use one of: {', '.join(sorted(machine)[:12])}")
        state = j.state or machine[j.criterion]
        if j.state is not None and j.state not in JUDGED_STATES:
            raise WorkflowError(f"state {j.state} cannot be given", hint=f"use one of: {', '.join(JUDGED_STATES)}")
        agrees = state == machine[j.criterion]
        reason = _text(j.reason, f"reason for {j.criterion}", required=not agrees)
        merged[j.criterion] = db.JudgmentRow(j.criterion, agrees, state, reason, _text(j.comment, "comment"))
    overall = _text(comment, "comment") if comment is not None else (own.comment if own else None)
    db.save_review(store, panel_id, user.id, judgments=sorted(merged.values(), key=lambda x: x.criterion_id),
                   comment=overall, submit=submit, actor=user.email)
    got = next(r for r in db.reviews(store, panel_id) if r.user_id == user.id)
    return got


# --------------------------------------------------------------------------- consolidation


def _submitted(panel: db.PanelRow, rows: Sequence[db.ReviewRow]) -> dict[int, dict[str, Judgment]]:
    seated = {m.user_id for m in panel.members if m.conflict != "declared"}
    return {
        r.user_id: {j.criterion_id: Judgment(r.user_id, j.state, j.agrees, j.reason, j.comment) for j in r.judgments}
        for r in rows if r.state == "submitted" and r.user_id in seated
    }


@dataclass(frozen=True)
class PanelConsolidation:
    panel: db.PanelRow
    content: Content
    consolidation: Consolidation
    waiting_for: tuple[int, ...]  # seated members who have not submitted


def consolidation(store: Store, user: Person, panel_id: int, registry: Registry | None = None) -> PanelConsolidation:
    """The consolidated view: body staff, and members who submitted their review."""
    panel = panel_for(store, user, panel_id)
    rows = db.reviews(store, panel_id)
    if user.role not in ("coordinator", "auditor"):
        own = next((r for r in rows if r.user_id == user.id), None)
        if own is None or own.state != "submitted":
            raise NotAllowedError("the consolidated view opens to you once you have submitted your review")
    content = content_of(store, panel.evaluation_id, registry)
    subs = _submitted(panel, rows)
    res = {r.criterion_id: Resolution(r.state, r.reason, r.user_id) for r in db.resolutions(store, panel_id)}
    con = consolidate(content.ruleset, content.rubric, content.policy.spec, content.machine, subs,
                      chair=panel.chair, resolutions=res)
    waiting = tuple(m.user_id for m in panel.members if m.conflict != "declared" and m.user_id not in subs)
    return PanelConsolidation(panel, content, con, waiting)


def resolve_criterion(
    store: Store, user: Person, panel_id: int, criterion: str, *, state: str, reason: str,
    registry: Registry | None = None,
) -> PanelConsolidation:
    """The chair resolves a criterion the consensus rule leaves open."""
    pc = consolidation(store, user, panel_id, registry)
    if pc.panel.chair != user.id:
        raise NotAllowedError("only the panel's chair resolves open criteria")
    if pc.waiting_for:
        raise WorkflowError("not every member has submitted their review", hint="resolve once all have")
    crit = next((c for c in pc.consolidation.criteria if c.id == criterion), None)
    if crit is None:
        raise WorkflowError(f"criterion {criterion} is not in the evaluation")
    if crit.consensus is not None:
        raise WorkflowError(f"criterion {criterion} is settled by the rule ({crit.rule}): {crit.consensus}",
                            hint="the chair resolves only what the rule leaves open")
    if state not in JUDGED_STATES:
        raise WorkflowError(f"state {state} cannot be given", hint=f"use one of: {', '.join(JUDGED_STATES)}")
    clean = _text(reason, "reason", required=True)
    assert clean is not None
    db.resolve(store, panel_id, criterion, state=state, reason=clean, user_id=user.id, actor=user.email)
    return consolidation(store, user, panel_id, registry)


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class ConditionIn:
    criteria: tuple[str, ...]
    text: str
    due: _dt.date | None = None


def decide(
    store: Store, user: Person, panel_id: int, *, rationale: str, outcome: str | None = None,
    conditions: Sequence[ConditionIn] = (), valid_from: _dt.date | None = None,
    valid_until: _dt.date | None = None, today: _dt.date | None = None,
    people: Mapping[int, Person], registry: Registry | None = None,
) -> db.DecisionRow:
    """Record the decision on a panel's consolidated judgments (the outcome defaults to
    the band the consolidated score earns, the validity and due dates to the policy's)."""
    _require_role(user, "coordinator", what="issue decisions")
    clean = _text(rationale, "rationale", required=True)
    pc = consolidation(store, user, panel_id, registry)
    panel, content, con = pc.panel, pc.content, pc.consolidation
    if panel.state != "open":
        raise WorkflowError(f"panel {panel_id} has decided already")
    if pc.content.policy.sha256 != panel.policy_sha256:
        raise WorkflowError(f"policy {panel.policy_ref} has changed since the panel was formed",
                            hint="form the panel again under the policy as it stands")
    problems = panel_problems(content.policy.spec.panel, _members(panel, people), require_declared=True)
    if problems:
        raise WorkflowError(f"the panel cannot decide: {'; '.join(problems)}", hint="re-form the panel")
    if pc.waiting_for:
        names = ", ".join(people[u].name for u in pc.waiting_for)
        raise WorkflowError(f"waiting for the reviews of {names}", hint="decide once every member has submitted")
    if not con.complete:
        raise WorkflowError(f"criteria left open by the consensus rule: {', '.join(con.open_criteria)}",
                            hint="the chair resolves them (qa-engine panel resolve)")
    day = today or _dt.date.today()
    band = con.result.band.id
    chosen = outcome or content.policy.spec.outcome_of_band(band)
    if chosen is None:
        raise WorkflowError(f"band {band} maps to no outcome", hint="give --outcome")
    start = valid_from or day
    until = valid_until or default_valid_until(content.policy.spec, start)
    conds = [Condition(id=f"C{i}", criteria=list(c.criteria), text=_text(c.text, "condition text", required=True) or "",
                       due=c.due or default_due(content.policy.spec, day))
             for i, c in enumerate(conditions, 1)]
    problems = decision_problems(chosen, conds, criteria=content.machine, valid_from=start, valid_until=until,
                                 decided_on=day)
    if problems:
        raise WorkflowError("; ".join(problems), hint="correct the decision")
    report = content.report
    criteria = [
        CriterionOutcome(id=c.id, title=c.title, machine_state=c.machine_state, final_state=c.final_state or "",
                         source=c.source, rationale=(c.resolution.reason if c.resolution else None) or
                         ("; ".join(d.reason for d in c.disagreements if d.reason) or None
                          if c.final_state != c.machine_state else None)).model_dump(mode="json")
        for c in con.criteria
    ]
    panel_json = [PanelMember(name=people[m.user_id].name, role="chair" if m.role == "chair" else "member",
                              external=m.external).model_dump(mode="json")
                  for m in panel.members if m.conflict != "declared"]
    did = db.record_decision(store, {
        "case_id": panel.case_id, "panel_id": panel.id, "evaluation_id": panel.evaluation_id,
        "version": panel.version, "dossier_sha256": report.dossier.sha256, "ruleset_sha256": report.ruleset.sha256,
        "rubric_sha256": report.rubric.sha256, "report_sha256": document_sha256(report.model_dump(mode="json")),
        "policy_sha256": panel.policy_sha256, "outcome": chosen, "decided_outcome": chosen, "rationale": clean,
        "score_exact": str(con.result.percent), "score": pct(con.result.percent) or 0.0, "criteria": criteria,
        "panel": panel_json, "valid_from": start, "valid_until": until, "decided_on": day, "decided_by": user.id,
    }, [db.NewCondition(c.id, tuple(c.criteria), c.text, c.due) for c in conds], actor=user.email)
    got = db.get_decision(store, did)
    assert got is not None
    return got


def decision_for(store: Store, user: Person, decision_id: int) -> db.DecisionRow:
    d = db.get_decision(store, decision_id)
    if d is not None:
        if user.role in ("coordinator", "auditor"):
            return d
        if user.role == "provider" and user.organisation_id is not None and \
                _case_org(store, d.case_id) == user.organisation_id:
            return d
        if user.role == "reviewer" and d.panel_id is not None:
            p = db.get_panel(store, d.panel_id)
            if p is not None and (m := p.member(user.id)) is not None and m.conflict != "declared":
                return d
    raise NotVisibleError(f"there is no decision {decision_id}", hint="check the number (qa-engine due)")


def _case_org(store: Store, case_id: int) -> int | None:
    return db.case_organisation(store, case_id)


def _amendment_number(d: db.DecisionRow, amendment_id: int | None) -> int | None:
    """The amendment's number within the decision (1 for the first answer)."""
    for n, a in enumerate(d.amendments, 1):
        if a.id == amendment_id:
            return n
    return None


def as_model(store: Store, d: db.DecisionRow, people: Mapping[int, Person]) -> Decision:
    """The decision as :class:`~qa_engine.formats.decision.Decision` (for letters,
    credentials and exports)."""
    report = store.get_report(d.evaluation_id)
    org = db.case_provider(store, d.case_id)
    return Decision(
        id=d.id, submission=d.case_id,
        provider=Provider(slug=org["slug"], name=org["name"], country=org["country"], identifier=org["identifier"]),
        programme=Programme(dossier_id=report.dossier.id, title=report.dossier.title or report.dossier.id,
                            dossier_sha256=d.dossier_sha256, version=d.version),
        ruleset=VersionRef(id=report.ruleset.id, version=report.ruleset.version, sha256=d.ruleset_sha256),
        rubric=VersionRef(id=report.rubric.id, version=report.rubric.version, sha256=d.rubric_sha256),
        evaluation_id=d.evaluation_id, report_sha256=d.report_sha256,
        panel=[PanelMember.model_validate(p) for p in d.panel],
        criteria=[CriterionOutcome.model_validate(c) for c in d.criteria],
        score=d.score, score_exact=d.score_exact, outcome=d.outcome,  # type: ignore[arg-type]
        rationale=d.rationale, valid_from=d.valid_from, valid_until=d.valid_until,
        conditions=[Condition(id=c.label, criteria=list(c.criteria), text=c.text, due=c.due,
                              state=c.state, closed_on=c.closed_on,  # type: ignore[arg-type]
                              closed_by=people[c.closed_by].name if c.closed_by is not None and c.closed_by in people else None,
                              met_in_version=_amendment_number(d, c.met_in_amendment))
                    for c in d.conditions],
        decided_on=d.decided_on, decided_by=people[d.decided_by].name if d.decided_by in people else str(d.decided_by),
    )


# --------------------------------------------------------------------------- amendments


@dataclass(frozen=True)
class AmendmentResult:
    amendment: db.AmendmentRow
    checks: tuple[ConditionCheck, ...]
    re_review: tuple[str, ...]
    changed: tuple[str, ...]  # dossier fields that differ from the decided version
    version: int | None = None  # the case's version holding the amended dossier
    state: str | None = None  # the case's state after it (in_review when re-review is forced)


def amend(
    store: Store, user: Person, decision_id: int, dossier: Dossier, *, file: str | None = None,
    registry: Registry | None = None, source_format: str = "yaml", upload_sha256: str | None = None,
) -> AmendmentResult:
    """The provider answers the open conditions with an amended dossier: it is evaluated
    under the decided ruleset and rubric and stored as the case's next version (kind
    ``amendment``), exactly the conditions' criteria are re-checked, and the dossier
    fields the policy names force a re-review when they changed: then the case goes
    back into review (decided -> amendment -> in_review, the amended version
    submitted) in the same transaction."""
    d = decision_for(store, user, decision_id)
    if user.role != "provider":
        raise NotAllowedError("the provider answers conditions", hint="sign in as the provider")
    if not any(c.state == "open" for c in d.conditions):
        raise WorkflowError(f"decision {decision_id} has no open condition", hint="nothing to answer")
    state = db.case_state(store, d.case_id)
    if state not in ("decided", "published"):
        raise WorkflowError(f"submission {d.case_id} is {(state or 'gone').replace('_', ' ')}; conditions are "
                            "answered while the decision stands", hint="see the submission's history")
    latest = db.decisions(store, case_id=d.case_id)[-1]
    if latest.id != d.id:
        raise WorkflowError(f"decision {decision_id} is superseded by decision {latest.id}",
                            hint=f"answer decision {latest.id}'s conditions")
    decided = store.get_report(d.evaluation_id)
    content = content_of(store, d.evaluation_id, registry)
    if dossier.id != decided.dossier.id:
        raise WorkflowError(f"the amended dossier is {dossier.id}, the decision is on {decided.dossier.id}",
                            hint="amend the decided dossier, keeping its id")
    setup = resolve(ruleset=f"{decided.ruleset.id}@{decided.ruleset.version}",
                    rubric=f"{decided.rubric.id}@{decided.rubric.version}", as_of=decided.as_of,
                    registry=registry)
    if setup.ruleset.sha256 != decided.ruleset.sha256:
        raise WorkflowError(f"ruleset {decided.ruleset.id}@{decided.ruleset.version} has changed since the decision",
                            hint="the amendment needs a new review")
    report = check_dossier(setup, dossier, file=file)
    store.ensure_content(setup.ruleset, setup.rubric)
    eid = store.record_evaluation(report, dossier.model_dump_json(exclude_none=True))[0]
    model = as_model(store, d, {})
    amended = {c.id: c.state for c in report.criteria}
    checks = tuple(recheck_conditions(model, amended))
    old = json.loads(db.dossier_json_of(store, d.evaluation_id))
    new = json.loads(dossier.model_dump_json(exclude_none=True))
    changed = tuple(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))
    rr = tuple(re_review_fields(content.policy.spec, old, new))
    content_id = int(store.evaluation_info(eid)["submission_id"])
    version = NewVersion(content_id, report.dossier.sha256, eid, source_format[:16], file,
                         upload_sha256 or report.dossier.sha256, f"amendment of decision {decision_id}",
                         "amendment")
    aid = db.record_amendment(
        store, decision_id, evaluation_id=eid, dossier_sha256=report.dossier.sha256,
        checks=[{"condition": c.condition, "states": c.states, "met": c.met, "explanation": c.explanation}
                for c in checks],
        re_review=rr, created_by=user.id, actor=user.email, version=version, dossier_id=dossier.id,
        title=(dossier.title or dossier.id)[:500],
    )
    got = db.get_decision(store, decision_id)
    assert got is not None
    row = next(a for a in got.amendments if a.id == aid)
    return AmendmentResult(row, checks, rr, changed, db.version_of_evaluation(store, d.case_id, eid),
                           db.case_state(store, d.case_id))


def close_condition(
    store: Store, user: Person, decision_id: int, label: str, *, today: _dt.date | None = None,
) -> db.DecisionRow:
    """Close a condition the latest amendment shows met (coordinator or the panel's
    chair); the last one closed turns "accredited with conditions" into "accredited"."""
    d = decision_for(store, user, decision_id)
    chair = None
    if d.panel_id is not None:
        p = db.get_panel(store, d.panel_id)
        chair = p.chair if p else None
    if user.role != "coordinator" and user.id != chair:
        raise NotAllowedError("a coordinator or the panel's chair closes conditions")
    cond = next((c for c in d.conditions if c.label == label), None)
    if cond is None:
        raise WorkflowError(f"decision {decision_id} has no condition {label}",
                            hint=f"use one of: {', '.join(c.label for c in d.conditions) or 'none'}")
    if cond.state == "met":
        raise WorkflowError(f"condition {label} is closed already")
    latest = d.amendments[-1] if d.amendments else None
    check = next((c for c in (latest.checks if latest else []) if c["condition"] == label), None)
    if latest is None or check is None or not check["met"]:
        why = check["explanation"] if check else "no amended dossier answers it yet"
        raise WorkflowError(f"condition {label} is not met: {why}", hint="wait for an amendment that meets it")
    if latest.re_review:
        raise WorkflowError(f"the amendment changed {', '.join(latest.re_review)}, which forces a new review",
                            hint="form a new panel for the amended version")
    db.close_condition(store, cond.id, on=today or _dt.date.today(), by=user.id, amendment_id=latest.id,
                       actor=user.email)
    got = db.get_decision(store, decision_id)
    assert got is not None
    return got


# --------------------------------------------------------------------------- letters


def letter(store: Store, user: Person, decision_id: int, *, fmt: str = "pdf",
           signed_on: _dt.date | None = None) -> bytes:
    """The decision letter (``pdf`` or ``html``), from the same HTML as the web view."""
    from qa_engine.render.letter import letter_html, letter_pdf

    d = decision_for(store, user, decision_id)
    model = as_model(store, d, db.people(store))
    body = db.body_name(store) or "The accrediting body"
    if fmt == "html":
        return letter_html(model, signed_on=signed_on, body=body).encode("utf-8")
    return letter_pdf(model, signed_on=signed_on, body=body)


# --------------------------------------------------------------------------- due


def due(store: Store, user: Person, *, today: _dt.date | None = None,
        within: _dt.timedelta = _dt.timedelta(days=90)) -> list[DueItem]:
    """Conditions and re-reviews coming due (overdue and expired ones too) that
    ``user`` may see."""
    day = today or _dt.date.today()
    visible = []
    for d in db.decisions(store):
        try:
            decision_for(store, user, d.id)
        except NotVisibleError:
            continue
        visible.append(as_model(store, d, {}))
    return due_items(visible, day, within)


# --------------------------------------------------------------------------- expiry


@dataclass(frozen=True)
class Expired:
    case_id: int
    decision_id: int
    valid_until: _dt.date
    was: str


def expire(store: Store, user: Person, *, today: _dt.date | None = None) -> list[Expired]:
    """Move every decided or published case whose decision's validity ended before
    ``today`` to ``expired`` (coordinator; each one its own event and audit entry)."""
    _require_role(user, "coordinator", what="expire decisions")
    day = today or _dt.date.today()
    out = []
    for case_id, state, decision_id, until in db.lapsed_cases(store, day):
        db.expire_case(store, case_id, state=state, decision_id=decision_id, valid_until=until,
                       actor_id=user.id, actor=user.email)
        out.append(Expired(case_id, decision_id, until, state))
    return out


__all__ = [
    "AmendmentResult", "Expired", "expire", "ConditionIn", "Content", "JudgmentIn", "NotAllowedError", "NotVisibleError",
    "PanelConsolidation", "Person", "Pick", "ReviewerView", "amend", "as_model", "close_condition",
    "add_member", "consolidation", "content_of", "decide", "decision_for", "declare", "due", "form_panel", "panel_for",
    "letter", "resolve_criterion", "reviewer_view", "save_review", "visible_reviews",
]
