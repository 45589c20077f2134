"""Review panels: a coordinator forms one, its reviewers declare conflicts of interest,
judge each criterion on top of the machine verdict, see each other's judgments once
their own is submitted, and the chair resolves what the consensus rule leaves open.

Every page has its JSON twin under ``/api/v1`` from the same view function; each view
calls :mod:`qa_engine.services.workflow.service` (the CLI's ``qa-engine panel …`` calls
the same functions). Who may open what is :func:`~qa_engine.services.workflow.panels.case_for_panel`'s:
a reviewer not on the panel (or off it after declaring a conflict) and another
organisation's provider get 404; the provider of the submission gets 403 (the panel's
work reaches them as the decision).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from qa_engine.errors import InputError, NotFoundError, QAError
from qa_engine.scoring import pct
from qa_engine.services.workflow import panels as wp
from qa_engine.services.workflow import service as wf
from qa_engine.services.workflow.logic import JUDGED_STATES
from qa_engine.store import Store
from qa_engine.store import workflow as wdb
from qa_engine.store.accounts import User
from qa_engine.store.cases import Case
from qa_engine.web.auth import Auth, check_csrf, require_auth, store_of
from qa_engine.web.routes.common import render, see_other

router = APIRouter()
AuthDep = Annotated[Auth, Depends(require_auth)]

#: who may open each kind of panel route (after the per-object check)
READ = ("coordinator", "auditor", "reviewer")
FORM = ("coordinator",)
MEMBER = ("reviewer",)


def on_case(*roles: str) -> Any:
    """A dependency: the ``{case_id}`` is one whose panel pages ``roles`` may open
    (404 / 403 before the request's body is read)."""
    def check(request: Request) -> None:
        auth = require_auth(request)
        raw = request.path_params.get("case_id", "")
        try:
            case_id = int(raw)
        except ValueError:
            raise NotFoundError(f"there is no submission {raw!r}") from None
        request.state.panel_case = wp.case_for_panel(store_of(request), auth.user, case_id, roles)
    return Depends(check)


def _case(request: Request) -> Case:
    case: Case = request.state.panel_case
    return case


def _reviewer_only(request: Request) -> None:
    auth = require_auth(request)
    if auth.user.role != "reviewer":
        from qa_engine.errors import PermissionDeniedError

        raise PermissionDeniedError(f"a {auth.user.role} sits on no review panel", hint="this is for reviewers")


# --------------------------------------------------------------------------- shared shapes


def _people(store: Store, panel: wdb.PanelRow) -> dict[int, wdb.Person]:
    return wdb.people(store, [m.user_id for m in panel.members])


def panel_dict(store: Store, user: User, panel: wdb.PanelRow) -> dict[str, Any]:
    """The panel as its viewers see it: members, whether each declared, whether each
    submitted (e-mail addresses for body staff only)."""
    names = _people(store, panel)
    state = {r.user_id: r.state for r in wdb.reviews(store, panel.id)}
    staff = user.role in ("coordinator", "auditor")
    members = []
    for m in panel.members:
        p = names.get(m.user_id)
        members.append({
            "user_id": m.user_id, "name": p.name if p else str(m.user_id), "email": p.email if p and staff else None,
            "role": "chair" if m.role == "chair" else "member", "external": m.external,
            "subject_matter": m.subject_matter, "declared": m.conflict,
            "conflict_note": m.conflict_note if staff else None,
            "review": state.get(m.user_id),
        })
    return {"id": panel.id, "submission": panel.case_id, "version": panel.version, "evaluation": panel.evaluation_id,
            "policy": panel.policy_ref, "state": panel.state, "created_at": panel.created_at.isoformat(),
            "chair": panel.chair, "members": members}


def _submission(case: Case) -> dict[str, Any]:
    return {"id": case.id, "state": case.state, "title": case.title,
            "provider": case.organisation_name, "ruleset": case.ruleset_ref}


def panel_section(store: Store, user: User, case: Case) -> dict[str, Any] | None:
    """What the submission's page shows of its panel: the panel to body staff and its
    seated members, and to a coordinator the form to form one while the case is in
    review without an open panel. Nothing to the provider (see the module's doc)."""
    if user.role not in ("coordinator", "auditor", "reviewer"):
        return None
    panel = wp.current_panel(store, user, case.id)
    out: dict[str, Any] = {"panel": panel_dict(store, user, panel) if panel else None, "form": None}
    if user.role == "coordinator" and case.state == "in_review" and (panel is None or panel.state != "open"):
        out["form"] = _form_context(store, user, case)
    elif (user.role == "coordinator" and panel is not None and panel.state == "open"
          and any(m.conflict == "declared" for m in panel.members)):
        # a declared conflict left a seat: the reviewers who may take it
        on = {m.user_id for m in panel.members}
        out["replace"] = [r for r in _form_context(store, user, case)["reviewers"] if r["id"] not in on]
    return out


def _form_context(store: Store, user: User, case: Case) -> dict[str, Any]:
    people = wp.candidates(store, user)
    needs: dict[str, Any] | None = None
    frozen = wdb.case_frozen(store, case.id)
    if frozen is not None:
        try:
            pol = wf.content_of(store, frozen[1]).policy
        except QAError:
            pol = None
        if pol is not None:
            p = pol.spec.panel
            needs = {"policy": pol.ref, "size": p.size, "chair_required": p.chair_required,
                     "chair_qualified": p.chair_qualified, "min_external": p.min_external,
                     "min_subject_matter": p.min_subject_matter}
    return {"needs": needs, "reviewers": [{"id": u.id, "name": u.name, "email": u.email, "external": u.external,
                                           "chair_qualified": u.chair_qualified} for u in people]}


# --------------------------------------------------------------------------- my reviews


def my_reviews_view(request: Request, auth: Auth) -> dict[str, Any]:
    rows = wp.my_panels(store_of(request), auth.user)
    return {"reviews": [{"panel": r.panel.id, "submission": {"id": r.case_id, "title": r.title, "provider": r.provider},
                         "panel_state": r.panel.state, "role": r.role, "declared": r.declared, "review": r.review}
                        for r in rows]}


@router.get("/reviews", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(_reviewer_only)])
def my_reviews_page(request: Request, auth: AuthDep, declared: str = "") -> Response:
    return render(request, "reviews.html", {**my_reviews_view(request, auth), "left": declared == "conflict"})


@router.get("/api/v1/reviews", summary="The review panels I sit on", dependencies=[Depends(_reviewer_only)])
def my_reviews_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    return my_reviews_view(request, auth)


# --------------------------------------------------------------------------- forming a panel


class PanelIn(BaseModel):
    """``reviewers``: account ids or e-mail addresses; the ``chair`` is one of them (or is
    added); ``subject_matter``: those of them who sit as subject-matter experts."""

    model_config = ConfigDict(extra="forbid")
    reviewers: list[int | str] = Field(default_factory=list, max_length=50)
    chair: int | str
    subject_matter: list[int | str] = Field(default_factory=list, max_length=50)


def _account(store: Store, ref: int | str) -> User:
    from qa_engine.services import accounts

    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        return accounts.user_by_id(store, int(ref))
    return accounts.user(store, ref)


def form_view(request: Request, auth: Auth, case: Case, body: PanelIn) -> dict[str, Any]:
    store = store_of(request)
    chair = _account(store, body.chair)
    smes = {_account(store, r).id for r in body.subject_matter}
    seen = {chair.id}
    picks = [wf.Pick(chair, chair=True, subject_matter=chair.id in smes)]
    for ref in body.reviewers:
        u = _account(store, ref)
        if u.id in seen:
            continue
        seen.add(u.id)
        picks.append(wf.Pick(u, subject_matter=u.id in smes))
    panel = wf.form_panel(store, auth.user, case.id, picks)
    return {"panel": panel_dict(store, auth.user, panel)}


@router.post("/submissions/{case_id}/panel", include_in_schema=False, dependencies=[on_case(*FORM)])
async def form_page(request: Request, auth: AuthDep, case_id: int) -> Response:
    form = await request.form()
    check_csrf(request, auth, str(form.get("csrf_token") or ""))
    reviewers: list[int | str] = [str(v) for v in form.getlist("reviewers")]
    chair = str(form.get("chair") or "")
    smes: list[int | str] = [str(v) for v in form.getlist("subject_matter")]
    try:
        if not chair:
            raise InputError("choose the panel's chair", path="chair", hint="pick one reviewer as the chair")
        form_view(request, auth, _case(request), PanelIn(reviewers=reviewers, chair=chair, subject_matter=smes))
    except QAError as exc:
        from qa_engine.web.routes.cases import case_view

        ctx = case_view(request, auth, case_id)
        ctx["panel_error"] = str(exc)
        ctx["panel_picked"] = {"reviewers": reviewers, "chair": chair, "subject_matter": smes}
        return render(request, "submission.html", ctx, status=exc.http_status)
    return see_other(f"/submissions/{case_id}#panel")


@router.post("/api/v1/submissions/{case_id}/panel", status_code=201, summary="Form the review panel (coordinator)",
             dependencies=[on_case(*FORM)])
def form_api(request: Request, auth: AuthDep, case_id: int, body: PanelIn) -> dict[str, Any]:
    check_csrf(request, auth, None)
    return form_view(request, auth, _case(request), body)


class MemberIn(BaseModel):
    """A reviewer (account id or e-mail address) who takes the seat a declared conflict
    left; ``chair`` when they replace the chair."""

    model_config = ConfigDict(extra="forbid")
    reviewer: int | str
    chair: bool = False
    subject_matter: bool = False


def add_member_view(request: Request, auth: Auth, case: Case, body: MemberIn) -> dict[str, Any]:
    store = store_of(request)
    panel = wp.require_panel(store, auth.user, case.id)
    u = _account(store, body.reviewer)
    done = wf.add_member(store, auth.user, panel.id, wf.Pick(u, chair=body.chair, subject_matter=body.subject_matter))
    return {"panel": panel_dict(store, auth.user, done)}


@router.post("/submissions/{case_id}/panel/members", include_in_schema=False, dependencies=[on_case(*FORM)])
def add_member_page(request: Request, auth: AuthDep, case_id: int, csrf_token: Annotated[str, Form()] = "",
                    reviewer: Annotated[str, Form()] = "", chair: Annotated[str, Form()] = "",
                    subject_matter: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    try:
        if not reviewer:
            raise InputError("choose the reviewer who takes the seat", path="reviewer", hint="pick one reviewer")
        add_member_view(request, auth, _case(request), MemberIn(reviewer=reviewer, chair=bool(chair),
                                                                subject_matter=bool(subject_matter)))
    except QAError as exc:
        from qa_engine.web.routes.cases import case_view

        ctx = case_view(request, auth, case_id)
        ctx["replace_error"] = str(exc)
        return render(request, "submission.html", ctx, status=exc.http_status)
    return see_other(f"/submissions/{case_id}#panel")


@router.post("/api/v1/submissions/{case_id}/panel/members", status_code=201,
             summary="Seat a reviewer in place of one who declared a conflict (coordinator)",
             dependencies=[on_case(*FORM)])
def add_member_api(request: Request, auth: AuthDep, case_id: int, body: MemberIn) -> dict[str, Any]:
    check_csrf(request, auth, None)
    return add_member_view(request, auth, _case(request), body)


# --------------------------------------------------------------------------- declaring, reviewing


def _value(v: Any) -> str:
    """An evidence value as text, cut to a readable length."""
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
    return text if len(text) <= 400 else text[:399] + "…"


def _judgment(j: wdb.JudgmentRow) -> dict[str, Any]:
    return {"id": j.criterion_id, "agrees": j.agrees, "state": j.state, "reason": j.reason, "comment": j.comment}


def _review(r: wdb.ReviewRow, names: dict[int, wdb.Person]) -> dict[str, Any]:
    p = names.get(r.user_id)
    return {"reviewer": {"id": r.user_id, "name": p.name if p else str(r.user_id)}, "state": r.state,
            "comment": r.comment, "updated_at": r.updated_at.isoformat(),
            "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
            "criteria": [_judgment(j) for j in r.judgments]}


def _criteria(content: wf.Content, own: wdb.ReviewRow | None) -> list[dict[str, Any]]:
    mine = {j.criterion_id: j for j in (own.judgments if own else ())}
    out = []
    for c in content.report.criteria:
        j = mine.get(c.id)
        out.append({
            "id": c.id, "title": c.title, "area": c.area_title, "essential": c.essential, "machine_state": c.state,
            "explanation": c.explanation, "rule": content.policy.spec.consensus.rule_for(c.id, c.essential),
            "evidence": [{"path": e.path, "value": _value(e.value), "source": e.source} for e in c.evidence],
            "judgment": _judgment(j) if j else None,
        })
    return out


def review_view(request: Request, auth: Auth, case: Case) -> dict[str, Any]:
    """A member's view: the declaration first; then the criteria with their machine
    verdicts and evidence, their own review, and the others' submitted reviews once
    theirs is submitted. Body staff: the panel and every review."""
    store, user = store_of(request), auth.user
    panel = wp.require_panel(store, user, case.id)
    names = _people(store, panel)
    out: dict[str, Any] = {"submission": _submission(case), "panel": panel_dict(store, user, panel),
                           "states": list(JUDGED_STATES)}
    if user.role != "reviewer":
        out["reviews"] = [_review(r, names) for r in wf.visible_reviews(store, user, panel.id)]
        out["declaration"] = None
        return out
    m = panel.member(user.id)
    assert m is not None
    out["declaration"] = m.conflict
    out["chair"] = panel.chair == user.id
    if m.conflict == "pending":  # nothing of the submission before the declaration
        return out
    v = wf.reviewer_view(store, user, panel.id)
    out["own"] = _review(v.own, names) if v.own else None
    out["others"] = [_review(r, names) for r in v.others]
    out["criteria"] = _criteria(v.content, v.own)
    out["policy"] = v.content.policy.ref
    return out


@router.get("/submissions/{case_id}/reviews", response_class=HTMLResponse, include_in_schema=False,
            dependencies=[on_case(*READ)])
def review_page(request: Request, auth: AuthDep, case_id: int) -> Response:
    return render(request, "review.html", review_view(request, auth, _case(request)))


@router.get("/api/v1/submissions/{case_id}/reviews", summary="My review (reviewer) or the panel's reviews",
            dependencies=[on_case(*READ)])
def review_api(request: Request, auth: AuthDep, case_id: int) -> dict[str, Any]:
    return review_view(request, auth, _case(request))


def _declare(request: Request, auth: Auth, case: Case, conflict: bool, note: str | None) -> wdb.PanelRow:
    store = store_of(request)
    panel = wp.require_panel(store, auth.user, case.id)
    return wf.declare(store, auth.user, panel.id, conflict=conflict, note=note)


@router.post("/submissions/{case_id}/declaration", include_in_schema=False, dependencies=[on_case(*MEMBER)])
def declare_page(request: Request, auth: AuthDep, case_id: int, csrf_token: Annotated[str, Form()] = "",
                 conflict: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    if conflict not in ("no", "yes"):
        raise InputError("say whether you have a conflict of interest with the provider", path="conflict",
                         hint="choose 'no conflict' or 'I have a conflict'")
    try:
        _declare(request, auth, _case(request), conflict == "yes", note or None)
    except QAError as exc:
        ctx = review_view(request, auth, _case(request))
        return render(request, "review.html", {**ctx, "error": str(exc), "note": note}, status=exc.http_status)
    if conflict == "yes":
        return see_other("/reviews?declared=conflict")
    return see_other(f"/submissions/{case_id}/reviews")


class DeclarationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conflict_of_interest: bool
    note: str | None = Field(default=None, max_length=4000)


@router.post("/api/v1/submissions/{case_id}/declaration", summary="Declare a conflict of interest, or none (reviewer)",
             dependencies=[on_case(*MEMBER)])
def declare_api(request: Request, auth: AuthDep, case_id: int, body: DeclarationIn) -> dict[str, Any]:
    check_csrf(request, auth, None)
    p = _declare(request, auth, _case(request), body.conflict_of_interest, body.note)
    return {"panel": p.id, "declared": "declared" if body.conflict_of_interest else "none",
            "on_panel": not body.conflict_of_interest}


class CriterionIn(BaseModel):
    """``state`` absent (or the machine's): agree with the machine verdict; another state
    needs its ``reason``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(max_length=200)
    state: str | None = Field(default=None, max_length=40)
    reason: str | None = Field(default=None, max_length=4000)
    comment: str | None = Field(default=None, max_length=4000)


class ReviewIn(BaseModel):
    """DESIGN.md's review: ``conflict_of_interest`` must be given while you have not
    declared (true declares a conflict, with ``conflict_note``, and removes you);
    ``submit`` true makes the review final, else it is saved as a draft."""

    model_config = ConfigDict(extra="forbid")
    conflict_of_interest: bool | None = None
    conflict_note: str | None = Field(default=None, max_length=4000)
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=500)
    comment: str | None = Field(default=None, max_length=4000)
    submit: bool = False


def save_view(request: Request, auth: Auth, case: Case, judgments: Sequence[wf.JudgmentIn], *,
              comment: str | None, submit: bool) -> dict[str, Any]:
    store = store_of(request)
    panel = wp.require_panel(store, auth.user, case.id)
    wf.save_review(store, auth.user, panel.id, judgments, comment=comment, submit=submit)
    return review_view(request, auth, case)


@router.post("/api/v1/submissions/{case_id}/reviews", summary="Save or submit my review (reviewer)",
             dependencies=[on_case(*MEMBER)])
def save_api(request: Request, auth: AuthDep, case_id: int, body: ReviewIn) -> dict[str, Any]:
    check_csrf(request, auth, None)
    store, case = store_of(request), _case(request)
    panel = wp.require_panel(store, auth.user, case.id)
    m = panel.member(auth.user.id)
    if m is not None and m.conflict == "pending":
        if body.conflict_of_interest is None:
            raise wf.NotAllowedError("declare first whether you have a conflict of interest with the provider",
                                     hint="send conflict_of_interest: false (or true with conflict_note)")
        wf.declare(store, auth.user, panel.id, conflict=body.conflict_of_interest, note=body.conflict_note)
        if body.conflict_of_interest:
            return {"declared": "declared", "on_panel": False}
    elif body.conflict_of_interest:
        raise wf.WorkflowError(f"you declared already ({m.conflict if m else 'not on the panel'})",
                               hint="ask the coordinator to re-form the panel")
    judgments = [wf.JudgmentIn(c.id, c.state, c.reason, c.comment) for c in body.criteria]
    return save_view(request, auth, case, judgments, comment=body.comment, submit=body.submit)


@router.post("/submissions/{case_id}/reviews", include_in_schema=False, dependencies=[on_case(*MEMBER)])
async def save_page(request: Request, auth: AuthDep, case_id: int) -> Response:
    form = await request.form()
    check_csrf(request, auth, str(form.get("csrf_token") or ""))
    case = _case(request)
    store = store_of(request)
    panel = wp.require_panel(store, auth.user, case.id)
    content = wf.reviewer_view(store, auth.user, panel.id).content
    posted: dict[str, dict[str, str]] = {}
    judgments = []
    for c in content.report.criteria:
        raw = str(form.get(f"state-{c.id}") or "agree")
        reason = str(form.get(f"reason-{c.id}") or "")
        comment = str(form.get(f"comment-{c.id}") or "")
        posted[c.id] = {"state": raw, "reason": reason, "comment": comment}
        if f"state-{c.id}" not in form and not reason and not comment:
            continue  # not on the form that was sent: leave the saved judgment alone
        judgments.append(wf.JudgmentIn(c.id, None if raw == "agree" else raw, reason or None, comment or None))
    overall = str(form.get("comment") or "")
    submit = form.get("action") == "submit"
    try:
        save_view(request, auth, case, judgments, comment=overall if "comment" in form else None, submit=submit)
    except QAError as exc:
        ctx = review_view(request, auth, case)
        return render(request, "review.html", {**ctx, "error": str(exc), "posted": posted, "posted_comment": overall},
                      status=exc.http_status)
    return see_other(f"/submissions/{case_id}/reviews" + ("" if submit else "?saved=1"))


# --------------------------------------------------------------------------- consolidation


def consolidation_view(request: Request, auth: Auth, case: Case) -> dict[str, Any]:
    """Per criterion the consensus under the policy, every disagreement with its reasons,
    what the chair resolved, the resulting score and band against the machine's."""
    store, user = store_of(request), auth.user
    panel = wp.require_panel(store, user, case.id)
    pc = wf.consolidation(store, user, panel.id)
    con = pc.consolidation
    names = wdb.people(store)

    def name(uid: int) -> str:
        p = names.get(uid)
        return p.name if p else str(uid)

    criteria = []
    for c in con.criteria:
        criteria.append({
            "id": c.id, "title": c.title, "essential": c.essential, "rule": c.rule, "machine": c.machine_state,
            "consensus": c.consensus, "final": c.final_state, "open": c.open,
            "source": None if c.open else c.source,
            "judgments": [{"reviewer": j.reviewer, "name": name(j.reviewer), "state": j.state, "agrees": j.agrees,
                           "reason": j.reason, "comment": j.comment} for j in c.judgments],
            "disagreements": [{"reviewer": d.reviewer, "name": name(d.reviewer), "state": d.state, "reason": d.reason}
                              for d in c.disagreements],
            "resolution": ({"state": c.resolution.state, "reason": c.resolution.reason, "by": name(c.resolution.by)}
                           if c.resolution else None),
            "explanation": c.explanation,
        })
    chair = panel.chair == user.id
    complete = con.complete and not pc.waiting_for
    return {
        "submission": _submission(case), "panel": panel_dict(store, user, panel), "policy": pc.content.policy.ref,
        "complete": complete, "open": con.open_criteria, "waiting_for": [name(u) for u in pc.waiting_for],
        "machine": {"score": pct(con.machine.percent), "band": con.machine.band.id, "label": con.machine.band.label},
        "consolidated": {"score": pct(con.result.percent), "score_exact": str(con.result.percent),
                         "band": con.result.band.id, "label": con.result.band.label},
        "changes": [{"criterion": x.criterion, "machine": x.machine_state, "final": x.final_state} for x in con.changes],
        "criteria": criteria,
        "can_resolve": chair and panel.state == "open" and not pc.waiting_for and bool(con.open_criteria),
        "states": list(JUDGED_STATES),
        # where the coordinator decides once nothing is left open (the decision pages' own router)
        "decision_url": (f"/submissions/{case.id}/decision"
                         if user.role == "coordinator" and complete and panel.state == "open" else None),
    }


@router.get("/submissions/{case_id}/consolidation", response_class=HTMLResponse, include_in_schema=False,
            dependencies=[on_case(*READ)])
def consolidation_page(request: Request, auth: AuthDep, case_id: int) -> Response:
    return render(request, "consolidation.html", consolidation_view(request, auth, _case(request)))


@router.get("/api/v1/submissions/{case_id}/consolidation", summary="The panel's consolidated judgments",
            dependencies=[on_case(*READ)])
def consolidation_api(request: Request, auth: AuthDep, case_id: int) -> dict[str, Any]:
    return consolidation_view(request, auth, _case(request))


def _resolve(request: Request, auth: Auth, case: Case, criterion: str, state: str, reason: str) -> None:
    store = store_of(request)
    panel = wp.require_panel(store, auth.user, case.id)
    wf.resolve_criterion(store, auth.user, panel.id, criterion, state=state, reason=reason)


@router.post("/submissions/{case_id}/consolidation", include_in_schema=False, dependencies=[on_case(*MEMBER)])
def resolve_page(request: Request, auth: AuthDep, case_id: int, csrf_token: Annotated[str, Form()] = "",
                 criterion: Annotated[str, Form()] = "", state: Annotated[str, Form()] = "",
                 reason: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    case = _case(request)
    try:
        _resolve(request, auth, case, criterion, state, reason)
    except QAError as exc:
        if exc.http_status in (403, 404):
            raise
        ctx = consolidation_view(request, auth, case)
        return render(request, "consolidation.html",
                      {**ctx, "error": str(exc), "posted": {"criterion": criterion, "state": state, "reason": reason}},
                      status=exc.http_status)
    return see_other(f"/submissions/{case_id}/consolidation")


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criterion: str = Field(max_length=200)
    state: str = Field(max_length=40)
    reason: str = Field(max_length=4000)


@router.post("/api/v1/submissions/{case_id}/consolidation", summary="Resolve a criterion the rule leaves open (chair)",
             dependencies=[on_case(*MEMBER)])
def resolve_api(request: Request, auth: AuthDep, case_id: int, body: ResolutionIn) -> dict[str, Any]:
    check_csrf(request, auth, None)
    case = _case(request)
    _resolve(request, auth, case, body.criterion, body.state, body.reason)
    return consolidation_view(request, auth, case)
