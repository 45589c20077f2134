"""Decisions in the workspace: the decision page of a submission (outcome, rationale,
validity, conditions and their state, hashes, the latest amendment's diff and
re-checks), the coordinator's decision form, the provider's amended dossier, closing
a met condition, the decision letter (PDF or HTML) and the list of what comes due.

Who: the coordinator decides (DESIGN.md Part 2: "coordinator ... issue decisions");
the coordinator or the panel's chair closes a met condition; the provider of the
case answers conditions with an amended dossier; whoever sees the case sees its
decision (the provider, body staff, the panel's members). Every page has its JSON
twin under ``/api/v1`` from the same view function; both call
:mod:`qa_engine.services.workflow.service`, as the CLI does. The public decision
(``GET /api/v1/decisions/{id}``, once published) is not here.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from qa_engine.errors import (
    DossierError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    WorkflowError,
)
from qa_engine.scoring import pct
from qa_engine.services import submissions
from qa_engine.services.workflow import service as wf
from qa_engine.services.workflow.logic import decision_status, default_valid_until, parse_within
from qa_engine.store import workflow as wdb
from qa_engine.web.auth import Auth, case_in_path, check_csrf, require_auth, store_of
from qa_engine.web.routes.common import read_upload, render, see_other

router = APIRouter(dependencies=[Depends(case_in_path)])
AuthDep = Annotated[Auth, Depends(require_auth)]

OUTCOMES = ("accredited", "accredited_with_conditions", "not_accredited")
#: Blank condition rows the decision form shows (one more per "Add a condition row").
CONDITION_ROWS = 3
MAX_CONDITION_ROWS = 30


def roles(*allowed: str) -> Any:
    """A dependency refusing (403) other roles before the body is read (after the
    router's own check that the case is one the asker may see)."""
    def check(request: Request) -> None:
        user = require_auth(request).user
        if user.role not in allowed:
            raise PermissionDeniedError(f"a {user.role} may not do this",
                                        hint=f"this is for: {', '.join(allowed)}")
    return check


# --------------------------------------------------------------------------- reading


def _latest(request: Request, auth: Auth, case_id: int) -> wdb.DecisionRow | None:
    """The case's latest decision, if there is one the asker may see (a reviewer of a
    later panel who did not sit on the deciding one sees none)."""
    rows = wdb.decisions(store_of(request), case_id=case_id)
    if not rows:
        return None
    try:
        return wf.decision_for(store_of(request), auth.user, rows[-1].id)
    except wf.NotVisibleError:
        return None


def _need_decision(request: Request, auth: Auth, case_id: int) -> wdb.DecisionRow:
    d = _latest(request, auth, case_id)
    if d is None:
        raise NotFoundError(f"submission {case_id} has no decision yet", hint="its panel is still reviewing it")
    return d


def _condition_state(c: wdb.ConditionRow, check: dict[str, Any] | None, today: _dt.date) -> str:
    """closed (met and closed), met (the latest amendment meets it: to be closed), not
    yet (the latest amendment does not), overdue or open (no answer yet)."""
    if c.state == "met":
        return "closed"
    if check is not None:
        return "met" if check["met"] else ("overdue" if today > c.due else "not yet")
    return "overdue" if today > c.due else "open"


def _decision_dict(request: Request, auth: Auth, d: wdb.DecisionRow, today: _dt.date) -> dict[str, Any]:
    store = store_of(request)
    people = wdb.people(store)
    model = wf.as_model(store, d, people)
    latest = d.amendments[-1] if d.amendments else None
    checks = {c["condition"]: c for c in (latest.checks if latest else [])}
    conds = []
    for c, m in zip(d.conditions, model.conditions, strict=True):
        check = checks.get(c.label) if c.state == "open" else None
        conds.append({"id": c.label, "criteria": list(c.criteria), "text": c.text, "due": c.due.isoformat(),
                      "state": _condition_state(c, check, today), "stored_state": c.state,
                      "explanation": check["explanation"] if check else None,
                      "amended_states": check["states"] if check else None,
                      "closed_on": c.closed_on.isoformat() if c.closed_on else None, "closed_by": m.closed_by})
    amendments = []
    for a in d.amendments:
        amendments.append({"id": a.id, "version": wdb.version_of_evaluation(store, d.case_id, a.evaluation_id),
                           "evaluation_id": a.evaluation_id, "dossier_sha256": a.dossier_sha256,
                           "re_review": list(a.re_review), "checks": a.checks,
                           "by": people[a.created_by].email if a.created_by in people else None,
                           "at": a.created_at.isoformat()})
    return {
        "id": d.id, "submission": d.case_id, "outcome": d.outcome, "decided_outcome": d.decided_outcome,
        "status": decision_status(model, today), "rationale": d.rationale,
        "valid_from": d.valid_from.isoformat(), "valid_until": d.valid_until.isoformat(),
        "decided_on": d.decided_on.isoformat(), "decided_by": model.decided_by,
        "score": d.score, "score_exact": d.score_exact, "version": d.version,
        "programme": model.programme.model_dump(mode="json"), "provider": model.provider.model_dump(mode="json"),
        "ruleset": model.ruleset.model_dump(mode="json"), "rubric": model.rubric.model_dump(mode="json"),
        "hashes": {"dossier": d.dossier_sha256, "ruleset": d.ruleset_sha256, "rubric": d.rubric_sha256,
                   "report": d.report_sha256, "policy": d.policy_sha256},
        "evaluation_id": d.evaluation_id, "panel": d.panel, "criteria": d.criteria,
        "conditions": conds, "amendments": amendments,
    }


def _form_defaults(request: Request, auth: Auth, case_id: int, today: _dt.date) -> dict[str, Any] | None:
    """What the decision form needs when the coordinator may decide now: the open
    panel, its consolidated result (or why it cannot decide yet) and the policy's
    defaults."""
    store = store_of(request)
    if auth.user.role != "coordinator" or wdb.case_state(store, case_id) != "in_review":
        return None
    panel = next((p for p in wdb.panels_of_case(store, case_id) if p.state == "open"), None)
    if panel is None:
        return {"panel": None, "ready": False, "why": "the submission has no open review panel yet"}
    try:
        pc = wf.consolidation(store, auth.user, panel.id)
    except WorkflowError as exc:
        return {"panel": panel.id, "ready": False, "why": str(exc)}
    spec = pc.content.policy.spec
    con = pc.consolidation
    why = None
    if pc.waiting_for:
        names = wdb.people(store, list(pc.waiting_for))
        why = "waiting for the reviews of " + ", ".join(p.name for p in names.values())
    elif not con.complete:
        why = "the chair has to resolve: " + ", ".join(con.open_criteria)
    band = con.result.band.id
    return {
        "panel": panel.id, "ready": why is None, "why": why, "policy": pc.content.policy.ref,
        "band": band, "band_outcome": spec.outcome_of_band(band), "score": pct(con.result.percent),
        "valid_from": today.isoformat(), "valid_until": default_valid_until(spec, today).isoformat(),
        "amendment_weeks": spec.amendment_weeks,
        "criteria": [{"id": c.id, "title": c.title, "final_state": c.final_state} for c in con.criteria],
    }


def decision_view(request: Request, auth: Auth, case_id: int, *, today: _dt.date | None = None) -> dict[str, Any]:
    store = store_of(request)
    day = today or _dt.date.today()
    case = submissions.get(store, auth.user, case_id)
    d = _latest(request, auth, case_id)
    out: dict[str, Any] = {"submission": case.to_dict(), "decision": None, "diff": None, "form": None,
                           "can_amend": False, "can_close": False}
    if d is not None:
        out["decision"] = _decision_dict(request, auth, d, day)
        chair = None
        if d.panel_id is not None and (p := wdb.get_panel(store, d.panel_id)) is not None:
            chair = p.chair
        out["can_close"] = auth.user.role == "coordinator" or auth.user.id == chair
        out["can_amend"] = (auth.user.role == "provider" and case.state in ("decided", "published")
                            and any(c.state == "open" for c in d.conditions))
        ams = out["decision"]["amendments"]
        if ams and ams[-1]["version"] is not None:
            out["diff"] = submissions.diff_versions(store, auth.user, case_id, d.version, ams[-1]["version"]).to_dict()
    out["form"] = _form_defaults(request, auth, case_id, day)
    return out


@router.get("/submissions/{case_id}/decision", response_class=HTMLResponse, include_in_schema=False)
def decision_page(request: Request, auth: AuthDep, case_id: int, rows: int = CONDITION_ROWS) -> Response:
    return _page(request, auth, case_id, rows=rows)


def _page(request: Request, auth: Auth, case_id: int, *, rows: int = CONDITION_ROWS, status: int = 200,
          error: str | None = None, values: dict[str, Any] | None = None,
          problems: list[dict[str, Any]] | None = None) -> Response:
    ctx = decision_view(request, auth, case_id)
    vals = values or {}
    conds = list(vals.get("conditions") or [])
    n = max(CONDITION_ROWS, min(MAX_CONDITION_ROWS, rows), len(conds))
    conds += [{"criteria": "", "text": "", "due": ""}] * (n - len(conds))
    return render(request, "decision.html", {**ctx, "values": vals, "rows": conds, "outcomes": OUTCOMES,
                                             "error": error, "problems": problems or []}, status=status)


@router.get("/api/v1/submissions/{case_id}/decision", summary="The submission's decision, its conditions and amendments")
def decision_api(request: Request, auth: AuthDep, case_id: int) -> dict[str, Any]:
    return decision_view(request, auth, case_id)


# --------------------------------------------------------------------------- deciding


class ConditionBody(BaseModel):
    criteria: list[str] = Field(description="The criteria the condition concerns.")
    text: str
    due: _dt.date | None = Field(default=None, description="Default: the policy's amendment window.")


class DecisionBody(BaseModel):
    outcome: str | None = Field(default=None, description="Default: the outcome of the consolidated band.")
    rationale: str
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = Field(default=None, description="Default: the policy's validity period.")
    conditions: list[ConditionBody] = Field(default_factory=list)


def _decide(request: Request, auth: Auth, case_id: int, body: DecisionBody) -> wdb.DecisionRow:
    store = store_of(request)
    if body.outcome is not None and body.outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {body.outcome[:40]!r}", path="outcome", hint=f"use one of: {', '.join(OUTCOMES)}")
    if wdb.case_state(store, case_id) != "in_review":
        state = (wdb.case_state(store, case_id) or "").replace("_", " ")
        raise WorkflowError(f"submission {case_id} is {state}, not in review", hint="a decision is made on a case in review")
    panel = next((p for p in wdb.panels_of_case(store, case_id) if p.state == "open"), None)
    if panel is None:
        raise WorkflowError(f"submission {case_id} has no open review panel", hint="form its panel first")
    return wf.decide(store, auth.user, panel.id, rationale=body.rationale, outcome=body.outcome,
                     conditions=[wf.ConditionIn(tuple(c.criteria), c.text, c.due) for c in body.conditions],
                     valid_from=body.valid_from, valid_until=body.valid_until, people=wdb.people(store))


def _date(value: str, what: str) -> _dt.date | None:
    v = value.strip()
    if not v:
        return None
    try:
        return _dt.date.fromisoformat(v)
    except ValueError:
        raise InputError(f"the {what} {v[:20]!r} is not a date", path=what.replace(" ", "_"),
                         hint="write it as YYYY-MM-DD") from None


@router.post("/submissions/{case_id}/decision", include_in_schema=False,
             dependencies=[Depends(roles("coordinator"))])
def decide_page(request: Request, auth: AuthDep, case_id: int, csrf_token: Annotated[str, Form()] = "",
                outcome: Annotated[str, Form()] = "", rationale: Annotated[str, Form()] = "",
                valid_from: Annotated[str, Form()] = "", valid_until: Annotated[str, Form()] = "",
                condition_criteria: Annotated[list[str] | None, Form()] = None,
                condition_text: Annotated[list[str] | None, Form()] = None,
                condition_due: Annotated[list[str] | None, Form()] = None,
                more: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    crit, text, due = condition_criteria or [], condition_text or [], condition_due or []
    rows = [{"criteria": c, "text": t, "due": d} for c, t, d in zip(crit, text, due, strict=False)]
    filled = [r for r in rows if r["criteria"].strip() or r["text"].strip() or r["due"].strip()]
    values: dict[str, Any] = {"outcome": outcome, "rationale": rationale, "valid_from": valid_from,
                              "valid_until": valid_until, "conditions": filled}
    if more:  # "Add a condition row": the same form again, as filled in, one row longer
        return _page(request, auth, case_id, rows=len(rows) + 1, values=values)
    try:
        conds = []
        for i, r in enumerate(filled, 1):
            ids = [x for x in re.split(r"[\s,]+", r["criteria"]) if x]
            if not ids:
                raise InputError(f"condition {i} names no criterion", path=f"conditions[{i}].criteria",
                                 hint="give the ids of the criteria it concerns, e.g. ST-AS-01")
            conds.append(ConditionBody(criteria=ids, text=r["text"], due=_date(r["due"], f"due date of condition {i}")))
        body = DecisionBody(outcome=outcome or None, rationale=rationale, valid_from=_date(valid_from, "valid from"),
                            valid_until=_date(valid_until, "valid until"), conditions=conds)
        _decide(request, auth, case_id, body)
    except (InputError, WorkflowError) as exc:
        if isinstance(exc, (wf.NotVisibleError, wf.NotAllowedError)):
            raise
        return _page(request, auth, case_id, status=exc.http_status, error=str(exc), values=values)
    return see_other(f"/submissions/{case_id}/decision")


@router.post("/api/v1/submissions/{case_id}/decision", status_code=201, summary="Record the decision",
             dependencies=[Depends(roles("coordinator"))])
def decide_api(request: Request, auth: AuthDep, case_id: int, body: DecisionBody) -> JSONResponse:
    check_csrf(request, auth, None)
    d = _decide(request, auth, case_id, body)
    return JSONResponse(decision_view(request, auth, case_id), status_code=201,
                        headers={"Location": f"/api/v1/submissions/{case_id}/decision", "X-Decision-Id": str(d.id)})


# --------------------------------------------------------------------------- amendments and conditions


async def _amend(request: Request, auth: Auth, case_id: int, file: UploadFile) -> wf.AmendmentResult:
    d = _need_decision(request, auth, case_id)
    if auth.user.role != "provider":
        raise PermissionDeniedError("the provider answers conditions")
    data = await read_upload(file, submissions.MAX_DOSSIER_BYTES)
    up = submissions.read_upload(data, file.filename)
    return wf.amend(store_of(request), auth.user, d.id, up.dossier, file=up.filename,
                    source_format=up.source_format, upload_sha256=up.sha256)


def _amendment_dict(res: wf.AmendmentResult) -> dict[str, Any]:
    return {"id": res.amendment.id, "decision": res.amendment.decision_id, "version": res.version,
            "state": res.state, "changed": list(res.changed), "re_review": list(res.re_review),
            "checks": [{"condition": c.condition, "met": c.met, "states": c.states, "explanation": c.explanation}
                       for c in res.checks]}


@router.post("/submissions/{case_id}/amendments", include_in_schema=False,
             dependencies=[Depends(roles("provider"))])
async def amend_page(request: Request, auth: AuthDep, case_id: int, file: Annotated[UploadFile, File()],
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    try:
        await _amend(request, auth, case_id, file)
    except (InputError, DossierError, WorkflowError) as exc:
        if isinstance(exc, (wf.NotVisibleError, wf.NotAllowedError)):
            raise
        problems = submissions.problems_of(exc) if isinstance(exc, DossierError) else []
        return _page(request, auth, case_id, status=exc.http_status, error=str(exc), problems=problems)
    return see_other(f"/submissions/{case_id}/decision#amendment")


@router.post("/api/v1/submissions/{case_id}/amendments", status_code=201,
             summary="Answer the decision's conditions with an amended dossier",
             dependencies=[Depends(roles("provider"))])
async def amend_api(request: Request, auth: AuthDep, case_id: int, file: Annotated[UploadFile, File()]) -> JSONResponse:
    check_csrf(request, auth, None)
    res = await _amend(request, auth, case_id, file)
    return JSONResponse(_amendment_dict(res), status_code=201)


def _close(request: Request, auth: Auth, case_id: int, label: str) -> None:
    d = _need_decision(request, auth, case_id)
    wf.close_condition(store_of(request), auth.user, d.id, label)


@router.post("/submissions/{case_id}/conditions/{label}/close", include_in_schema=False,
             dependencies=[Depends(roles("coordinator", "reviewer"))])
def close_page(request: Request, auth: AuthDep, case_id: int, label: str,
               csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    try:
        _close(request, auth, case_id, label)
    except WorkflowError as exc:
        if isinstance(exc, (wf.NotVisibleError, wf.NotAllowedError)):
            raise
        return _page(request, auth, case_id, status=exc.http_status, error=str(exc))
    return see_other(f"/submissions/{case_id}/decision")


@router.post("/api/v1/submissions/{case_id}/conditions/{label}/close",
             summary="Close a condition the latest amendment meets (coordinator or the panel's chair)",
             dependencies=[Depends(roles("coordinator", "reviewer"))])
def close_api(request: Request, auth: AuthDep, case_id: int, label: str) -> dict[str, Any]:
    check_csrf(request, auth, None)
    _close(request, auth, case_id, label)
    return decision_view(request, auth, case_id)


# --------------------------------------------------------------------------- the letter


def _letter(request: Request, auth: Auth, case_id: int, fmt: str) -> Response:
    if fmt not in ("pdf", "html"):
        raise InputError(f"unknown letter format {fmt[:20]!r}", path="format", hint="use pdf or html")
    d = _need_decision(request, auth, case_id)
    body = wf.letter(store_of(request), auth.user, d.id, fmt=fmt)
    name = f"decision-{d.id}-submission-{case_id}.{fmt}"
    if fmt == "pdf":
        return Response(body, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    # the letter's own inline style (and script), allowed by hash as its meta tag says
    m = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]+)"', body)
    policy = m.group(1).decode() if m else "default-src 'none'"
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{name}"',
                             "Content-Security-Policy": f"{policy}; frame-ancestors 'none'"})


@router.get("/submissions/{case_id}/decision/letter", include_in_schema=False)
def letter_page(request: Request, auth: AuthDep, case_id: int, format: str = "pdf") -> Response:
    return _letter(request, auth, case_id, format)


@router.get("/api/v1/submissions/{case_id}/decision/letter", summary="The decision letter (pdf or html)")
def letter_api(request: Request, auth: AuthDep, case_id: int, format: str = "pdf") -> Response:
    return _letter(request, auth, case_id, format)


# --------------------------------------------------------------------------- due

DUE_ROLES = ("coordinator", "auditor", "provider", "reviewer")


def due_view(request: Request, auth: Auth, within: str, today: str) -> dict[str, Any]:
    store = store_of(request)
    span = parse_within(within)
    if span is None:
        raise InputError(f"within {within[:20]!r} is not a period", path="within", hint="write e.g. 90d, 12w or 6m")
    day = _date(today, "today") or _dt.date.today()
    items = wf.due(store, auth.user, today=day, within=span)
    case_of = {d.id: d.case_id for d in wdb.decisions(store) if d.id in {i.decision for i in items}}
    # the programme's title, so a person reads what is due, not only numbers (wf.due lists
    # only decisions the user may see, so their cases too)
    title_of = {cid: wdb.case_title(store, cid) for cid in set(case_of.values())}
    return {"within": within.strip(), "today": day.isoformat(), "items": [
        {"due": i.due.isoformat(), "decision": i.decision, "submission": case_of.get(i.decision),
         "title": title_of.get(case_of.get(i.decision, 0)), "kind": i.kind,
         "condition": i.condition, "state": i.state, "text": i.text} for i in items]}


@router.get("/due", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(roles(*DUE_ROLES))])
def due_page(request: Request, auth: AuthDep, within: str = "90d", today: str = "") -> Response:
    return render(request, "due.html", due_view(request, auth, within, today))


@router.get("/api/v1/due", summary="Conditions and re-reviews coming due", dependencies=[Depends(roles(*DUE_ROLES))])
def due_api(request: Request, auth: AuthDep, within: str = "90d", today: str = "") -> dict[str, Any]:
    return due_view(request, auth, within, today)


def _expire(request: Request, auth: Auth) -> list[dict[str, Any]]:
    done = wf.expire(store_of(request), auth.user)
    return [{"submission": e.case_id, "decision": e.decision_id, "valid_until": e.valid_until.isoformat(),
             "was": e.was} for e in done]


@router.post("/due/expire", include_in_schema=False, dependencies=[Depends(roles("coordinator"))])
def expire_page(request: Request, auth: AuthDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    _expire(request, auth)
    return see_other("/due")


@router.post("/api/v1/due/expire", summary="Expire the decisions whose validity has ended",
             dependencies=[Depends(roles("coordinator"))])
def expire_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    check_csrf(request, auth, None)
    return {"expired": _expire(request, auth)}
