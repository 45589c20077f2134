"""The auditor's pages: the audit chain's verification and ruleset diffs (read-only)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from qa_engine.services import access
from qa_engine.web.auth import Auth, require_auth, store_of
from qa_engine.web.routes.common import render

router = APIRouter()
AuthDep = Annotated[Auth, Depends(require_auth)]


def verify_view(request: Request, auth: Auth, expect_head: str | None) -> dict[str, Any]:
    access.require(auth.user, "audit.verify")
    if expect_head is not None and not re.fullmatch(r"[0-9a-f]{64}", expect_head):
        from qa_engine.errors import InputError

        raise InputError("expect_head is not a sha256 (64 hex digits)", path="expect_head")
    return {"audit": store_of(request).verify_audit(expect_head=expect_head or None).to_dict()}


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def verify_page(request: Request, auth: AuthDep, expect_head: str | None = None) -> Response:
    return render(request, "audit.html", verify_view(request, auth, expect_head or None))


@router.get("/api/v1/audit/verify", summary="Verify the audit chain and every record it vouches for")
def verify_api(request: Request, auth: AuthDep, expect_head: str | None = None) -> dict[str, Any]:
    return verify_view(request, auth, expect_head or None)


def _rulesets() -> list[str]:
    from qa_engine.rules.registry import shared_registry

    return sorted(f"{rs.id}@{rs.version}" for rs in shared_registry().all_rulesets())


def diff_view(auth: Auth, a: str | None, b: str | None) -> dict[str, Any]:
    access.require(auth.user, "rulesets.read")
    out: dict[str, Any] = {"rulesets": _rulesets(), "a": a or "", "b": b or "", "diff": None}
    if a and b:
        from qa_engine.services.check import resolve
        from qa_engine.services.diff import diff

        out["diff"] = diff(resolve(ruleset=a, engine="python"), resolve(ruleset=b, engine="python")).model_dump(
            mode="json", by_alias=True)
    return out


@router.get("/rulesets/diff", response_class=HTMLResponse, include_in_schema=False)
def diff_page(request: Request, auth: AuthDep, a: str | None = None, b: str | None = None) -> Response:
    return render(request, "ruleset_diff.html", diff_view(auth, a, b))


@router.get("/api/v1/rulesets/diff", summary="What changed between two ruleset versions")
def diff_api(auth: AuthDep, a: str | None = None, b: str | None = None) -> dict[str, Any]:
    return diff_view(auth, a, b)
