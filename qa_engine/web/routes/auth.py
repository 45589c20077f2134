"""Sign-in, sign-out (this browser or everywhere) and who am I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qa_engine.errors import QAError
from qa_engine.services import accounts
from qa_engine.web.auth import (
    Auth,
    check_csrf,
    check_login_csrf,
    clear_session_cookie,
    client_address,
    login_token,
    optional_auth,
    require_auth,
    set_login_cookie,
    set_session_cookie,
    store_of,
)
from qa_engine.web.routes.common import render, see_other

router = APIRouter()


def _safe_next(nxt: str | None) -> str:
    """Only a path of this site (no //host, no scheme): no open redirect."""
    if nxt and nxt.startswith("/") and not nxt.startswith("//") and "\\" not in nxt:
        return nxt
    return "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    token = login_token(request)
    resp = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next), "error": None})
    set_login_cookie(request, resp, token)
    return resp


@router.post("/login", include_in_schema=False)
def login(request: Request, email: Annotated[str, Form()], password: Annotated[str, Form()],
          csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    check_login_csrf(request, csrf_token)
    store = store_of(request)
    old = optional_auth(request)
    try:
        signed = accounts.sign_in(store, email, password, address=client_address(request),
                                  user_agent=request.headers.get("user-agent"),
                                  replaces=old.session.id if old and old.session else None)
    except QAError as exc:
        token = login_token(request)
        resp = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next), "error": str(exc),
                                              "email": email}, status=exc.http_status)
        if exc.http_status == 429:
            resp.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
        set_login_cookie(request, resp, token)
        return resp
    done: Response = see_other(_safe_next(next))
    set_session_cookie(request, done, signed.secret)
    done.delete_cookie("qae_login", path="/login")
    return done


@router.post("/logout", include_in_schema=False)
def logout(request: Request, auth: Annotated[Auth, Depends(require_auth)],
           csrf_token: Annotated[str, Form()] = "", everywhere: Annotated[str, Form()] = "") -> RedirectResponse:
    check_csrf(request, auth, csrf_token)
    if auth.secret:
        accounts.sign_out(store_of(request), auth.secret, everywhere=bool(everywhere))
    resp = see_other("/login")
    clear_session_cookie(request, resp)
    return resp


@router.get("/api/v1/me", summary="Who am I")
def me(auth: Annotated[Auth, Depends(require_auth)]) -> dict[str, Any]:
    return {"user": auth.user.to_dict(), "via": "session" if auth.session else "token"}


@router.post("/api/v1/logout-everywhere", summary="End every session of my account")
def logout_everywhere(request: Request, auth: Annotated[Auth, Depends(require_auth)]) -> dict[str, Any]:
    check_csrf(request, auth, None)
    n = accounts.sign_out_everywhere(store_of(request), auth.user.email, actor=auth.user.email)
    return {"sessions_ended": n}
