"""The coordinator's queue (filters and counts) and the dashboard's figures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from qa_engine.formats.lifecycle import CASE_STATES
from qa_engine.services import access, submissions
from qa_engine.web.auth import Auth, permits, require_auth, store_of
from qa_engine.web.routes.common import render

router = APIRouter(dependencies=[Depends(permits("cases.queue"))])
AuthDep = Annotated[Auth, Depends(require_auth)]


def queue_view(request: Request, auth: Auth, state: str | None, ruleset: str | None, decision: str | None,
               provider: str | None) -> dict[str, Any]:
    access.require(auth.user, "cases.queue")
    q = submissions.queue(store_of(request), auth.user, state=state, ruleset=ruleset, decision=decision,
                          provider=provider)
    return {**q.to_dict(), "filters": {"state": state or "", "ruleset": ruleset or "", "decision": decision or "",
                                       "provider": provider or ""}}


@router.get("/queue", response_class=HTMLResponse, include_in_schema=False)
def queue_page(request: Request, auth: AuthDep, state: str | None = None, ruleset: str | None = None,
               decision: str | None = None, provider: str | None = None) -> Response:
    data = queue_view(request, auth, state, ruleset, decision, provider)
    return render(request, "queue.html", {**data, "states": CASE_STATES})


@router.get("/api/v1/queue", summary="The queue of submissions, with filters and counts")
def queue_api(request: Request, auth: AuthDep, state: str | None = None, ruleset: str | None = None,
              decision: str | None = None, provider: str | None = None) -> dict[str, Any]:
    return queue_view(request, auth, state, ruleset, decision, provider)


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, auth: AuthDep) -> Response:
    return render(request, "dashboard.html", {"figures": submissions.figures(store_of(request), auth.user)})


@router.get("/api/v1/dashboard", summary="Figures over the stored evaluations")
def dashboard_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    return {"figures": submissions.figures(store_of(request), auth.user)}
