"""Submissions: the provider's list and upload, a submission's page (self-check report,
versions and their diff, history, evidence, next steps) and its life-cycle actions."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from qa_engine.errors import DossierError, InputError
from qa_engine.services import access, submissions
from qa_engine.services.reports import MEDIA_TYPES, render_report
from qa_engine.web.auth import Auth, case_in_path, check_csrf, permits, require_auth, store_of
from qa_engine.web.routes.common import read_upload, render, see_other
from qa_engine.web.routes.panels import panel_section

router = APIRouter(dependencies=[Depends(case_in_path)])
AuthDep = Annotated[Auth, Depends(require_auth)]


def _rulesets() -> list[str]:
    from qa_engine.rules.registry import shared_registry

    found = shared_registry().all_rulesets()
    return sorted({f"{rs.id}@{rs.version}" for rs in found} | {rs.id for rs in found})


# --------------------------------------------------------------------------- list and upload


def list_view(request: Request, auth: Auth) -> dict[str, Any]:
    cases = submissions.list_cases(store_of(request), auth.user)
    return {"submissions": [c.to_dict() for c in cases]}


@router.get("/submissions", response_class=HTMLResponse, include_in_schema=False)
def list_page(request: Request, auth: AuthDep) -> Response:
    data = list_view(request, auth)
    return render(request, "submissions.html", {**data, "can_create": access.allowed(auth.user, "cases.create"),
                                                "rulesets": _rulesets()})


@router.get("/api/v1/submissions", summary="The submissions I may see")
def list_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    return list_view(request, auth)


async def _create(request: Request, auth: Auth, file: UploadFile, ruleset: str, dossier_id: str) -> submissions.Checked:
    data = await read_upload(file, submissions.MAX_DOSSIER_BYTES)
    # parse, validate, evaluate, store: in a worker thread, so the event loop keeps serving
    return await run_in_threadpool(lambda: submissions.create_draft(
        store_of(request), auth.user, data, file.filename, ruleset=ruleset or None, dossier_id=dossier_id or None))


@router.get("/submissions/new", response_class=HTMLResponse, include_in_schema=False,
            dependencies=[Depends(permits("cases.create"))])
def new_page(request: Request, auth: AuthDep) -> Response:
    access.require(auth.user, "cases.create")
    return render(request, "upload.html", {"rulesets": _rulesets(), "error": None, "problems": []})


@router.post("/submissions", include_in_schema=False, dependencies=[Depends(permits("cases.create"))])
async def create_page(request: Request, auth: AuthDep, file: Annotated[UploadFile, File()],
                      csrf_token: Annotated[str, Form()] = "", ruleset: Annotated[str, Form()] = "",
                      dossier_id: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    access.require(auth.user, "cases.create")
    try:
        made = await _create(request, auth, file, ruleset, dossier_id)
    except (InputError, DossierError) as exc:
        problems = submissions.problems_of(exc) if isinstance(exc, DossierError) else []
        return render(request, "upload.html", {"rulesets": _rulesets(), "error": str(exc), "problems": problems,
                                               "filename": submissions.safe_filename(file.filename)},
                      status=exc.http_status)
    return see_other(f"/submissions/{made.case.id}")


@router.post("/api/v1/submissions", status_code=201, summary="Create a draft from a dossier or credential file",
             dependencies=[Depends(permits("cases.create"))])
async def create_api(request: Request, auth: AuthDep, file: Annotated[UploadFile, File()],
                     ruleset: Annotated[str, Form()] = "", dossier_id: Annotated[str, Form()] = "") -> JSONResponse:
    check_csrf(request, auth, None)
    made = await _create(request, auth, file, ruleset, dossier_id)
    return JSONResponse(made.to_dict(), status_code=201, headers={"Location": f"/api/v1/submissions/{made.case.id}"})


# --------------------------------------------------------------------------- one submission


#: The life-cycle actions a submission's page has a form for (each posts to a route of
#: this router); the others (a decision) are taken with the review commands for now.
PAGE_ACTIONS = frozenset({"submit", "withdraw", "accept", "return", "reopen", "resubmit"})


def case_view(request: Request, auth: Auth, case_id: int) -> dict[str, Any]:
    store = store_of(request)
    case = submissions.get(store, auth.user, case_id)
    vs = submissions.versions(store, auth.user, case_id)
    return {
        "submission": case.to_dict(),
        "versions": [v.to_dict() for v in vs],
        "events": [e.to_dict() for e in submissions.events(store, auth.user, case_id)],
        "evidence": [e.to_dict() for e in submissions.evidence(store, auth.user, case_id)],
        "actions": [{"action": t.action, "to": t.target, "needs_reason": t.needs_reason}
                    for t in submissions.actions(auth.user, case)],
        "editable": auth.user.role == "provider" and case.state in access.EDITABLE_STATES,
        # the review panel (web/routes/panels.py): body staff and its seated members only
        "panel": panel_section(store, auth.user, case),
    }


@router.get("/submissions/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, auth: AuthDep, case_id: int) -> Response:
    return render(request, "submission.html", {**case_view(request, auth, case_id), "page_actions": PAGE_ACTIONS})


@router.get("/api/v1/submissions/{case_id}", summary="One submission")
def case_api(request: Request, auth: AuthDep, case_id: int) -> dict[str, Any]:
    return case_view(request, auth, case_id)


def _report(request: Request, auth: Auth, case_id: int, fmt: str, version: int | None) -> Response:
    if fmt not in MEDIA_TYPES:
        raise InputError(f"unknown report format {fmt!r}", path="format", hint="use html, json or pdf")
    v, report = submissions.report(store_of(request), auth.user, case_id, version)
    body = render_report(report, fmt)
    headers = {"Content-Disposition": f'inline; filename="submission-{case_id}-v{v.number}.{fmt}"'}
    if fmt == "html":
        # the report's own inline style and script, allowed by hash (as its meta tag says);
        # it may be framed by the submission page of this site only
        m = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]+)"', body)
        policy = m.group(1).decode() if m else "default-src 'none'"
        headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'self'"
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get("/submissions/{case_id}/report", include_in_schema=False)
def report_page(request: Request, auth: AuthDep, case_id: int, format: str = "html",
                version: int | None = None) -> Response:
    return _report(request, auth, case_id, format, version)


@router.get("/api/v1/submissions/{case_id}/report", summary="The self-check report (html, json or pdf)",
            response_class=Response,
            responses={200: {"description": "The report in the format asked for", "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def report_api(request: Request, auth: AuthDep, case_id: int, format: str = "json",
               version: int | None = None) -> Response:
    return _report(request, auth, case_id, format, version)


# --------------------------------------------------------------------------- versions and diff


async def _version(request: Request, auth: Auth, case_id: int, file: UploadFile, note: str) -> submissions.Checked:
    data = await read_upload(file, submissions.MAX_DOSSIER_BYTES)
    return await run_in_threadpool(lambda: submissions.add_version(
        store_of(request), auth.user, case_id, data, file.filename, note=note or None))


@router.post("/submissions/{case_id}/versions", include_in_schema=False)
async def version_page(request: Request, auth: AuthDep, case_id: int, file: Annotated[UploadFile, File()],
                       csrf_token: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    try:
        await _version(request, auth, case_id, file, note)
    except (InputError, DossierError) as exc:
        problems = submissions.problems_of(exc) if isinstance(exc, DossierError) else []
        ctx = case_view(request, auth, case_id)
        return render(request, "submission.html", {**ctx, "error": str(exc), "problems": problems},
                      status=exc.http_status)
    return see_other(f"/submissions/{case_id}")


@router.post("/api/v1/submissions/{case_id}/versions", status_code=201, summary="Upload the next version")
async def version_api(request: Request, auth: AuthDep, case_id: int, file: Annotated[UploadFile, File()],
                      note: Annotated[str, Form()] = "") -> JSONResponse:
    check_csrf(request, auth, None)
    made = await _version(request, auth, case_id, file, note)
    return JSONResponse(made.to_dict(), status_code=201)


def diff_view(request: Request, auth: Auth, case_id: int, a: int | None, b: int | None) -> dict[str, Any]:
    store = store_of(request)
    case = submissions.get(store, auth.user, case_id)
    b = b or case.current_version
    a = a or max(1, b - 1)
    d = submissions.diff_versions(store, auth.user, case_id, a, b)
    return {"submission": case.to_dict(), "diff": d.to_dict()}


@router.get("/submissions/{case_id}/diff", response_class=HTMLResponse, include_in_schema=False)
def diff_page(request: Request, auth: AuthDep, case_id: int, a: int | None = None, b: int | None = None) -> Response:
    return render(request, "diff.html", diff_view(request, auth, case_id, a, b))


@router.get("/api/v1/submissions/{case_id}/diff", summary="What changed between two versions")
def diff_api(request: Request, auth: AuthDep, case_id: int, a: int | None = None, b: int | None = None) -> dict[str, Any]:
    return diff_view(request, auth, case_id, a, b)


# --------------------------------------------------------------------------- life-cycle actions


def _act(request: Request, auth: Auth, case_id: int, action: str, reason: str) -> dict[str, Any]:
    store = store_of(request)
    if action in ("accept", "return"):
        case = submissions.screen(store, auth.user, case_id, action, reason or None)
    else:
        case = submissions.act(store, auth.user, case_id, action, reason=reason or None)
    return {"id": case.id, "state": case.state, "submission": case.to_dict()}


def _page_action(action: str) -> Any:
    def route(request: Request, auth: AuthDep, case_id: int, csrf_token: Annotated[str, Form()] = "",
              reason: Annotated[str, Form()] = "", outcome: Annotated[str, Form()] = "") -> Response:
        check_csrf(request, auth, csrf_token)
        _act(request, auth, case_id, outcome if action == "screen" else action, reason)
        return see_other(f"/submissions/{case_id}")
    return route


def _api_action(action: str) -> Any:
    def route(request: Request, auth: AuthDep, case_id: int, reason: Annotated[str, Form()] = "",
              outcome: Annotated[str, Form()] = "") -> dict[str, Any]:
        check_csrf(request, auth, None)
        if action == "screen" and outcome not in ("accept", "return"):
            raise InputError("screening needs outcome=accept or outcome=return", path="outcome")
        return _act(request, auth, case_id, outcome if action == "screen" else action, reason)
    return route


for _name in ("submit", "withdraw", "screen", "reopen", "resubmit"):
    router.add_api_route(f"/submissions/{{case_id}}/{_name}", _page_action(_name), methods=["POST"],
                         include_in_schema=False, name=f"{_name}_page")
    router.add_api_route(f"/api/v1/submissions/{{case_id}}/{_name}", _api_action(_name), methods=["POST"],
                         summary=f"{_name.capitalize()} a submission", name=f"{_name}_api")
