"""Who is asking: FastAPI dependencies for sessions (cookie), API tokens (Bearer) and CSRF.

- The session cookie holds a random secret (the store keeps its sha256): HttpOnly,
  SameSite=Lax, Secure when the request came over HTTPS or the server was told so
  (``--secure-cookies``, behind a TLS-terminating proxy).
- ``Authorization: Bearer qae_…`` authenticates API calls; a request with a token needs
  no CSRF token (a browser never sends it by itself).
- Every state-changing request authenticated by the cookie must carry the session's CSRF
  token (form field ``csrf_token`` or header ``X-CSRF-Token``); the login form carries a
  double-submit token of its own (cookie ``qae_login`` = field ``csrf_token``).
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response

from qa_engine.errors import AuthenticationError, PermissionDeniedError
from qa_engine.services import accounts
from qa_engine.store import Store
from qa_engine.store.accounts import Session, User

SESSION_COOKIE = "qae_session"
LOGIN_COOKIE = "qae_login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Auth:
    """The signed-in user and how they signed in (``session`` is None for a token)."""

    user: User
    session: Session | None
    secret: str | None = None

    @property
    def csrf(self) -> str:
        return self.session.csrf_token if self.session is not None else ""


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _authenticate(request: Request) -> Auth | None:
    store = store_of(request)
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationError("the Authorization header is not 'Bearer TOKEN'",
                                      hint="send Authorization: Bearer qae_…")
        return Auth(accounts.authenticate_token(store, value.strip()), None)
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    try:
        session, user = accounts.session_user(store, secret)
    except AuthenticationError:
        return None
    return Auth(user, session, secret)


def optional_auth(request: Request) -> Auth | None:
    """The user when signed in (a stale cookie counts as signed out), else None."""
    cached = getattr(request.state, "auth", None)
    if cached is None:
        cached = _authenticate(request)
        request.state.auth = cached
    return cached


def require_auth(request: Request) -> Auth:
    """The signed-in user, or 401 (pages turn it into a redirect to the sign-in page)."""
    auth = optional_auth(request)
    if auth is None:
        raise AuthenticationError("not signed in", hint="sign in, or send Authorization: Bearer TOKEN")
    return auth


def check_csrf(request: Request, auth: Auth, form_token: str | None) -> None:
    """A state-changing request over a session must carry its CSRF token."""
    if request.method in SAFE_METHODS or auth.session is None:
        return
    given = form_token or request.headers.get("x-csrf-token", "")
    if not given or not hmac.compare_digest(given, auth.session.csrf_token):
        raise PermissionDeniedError("the form's CSRF token is missing or stale",
                                    hint="reload the page and send the form again")


def is_secure(request: Request) -> bool:
    return bool(request.app.state.secure_cookies) or request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax", secure=is_secure(request),
                        path="/", max_age=int(accounts.SESSION_LIFETIME.total_seconds()))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_secure(request))


def login_token(request: Request) -> str:
    """The login form's double-submit token (reused while the cookie lives)."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def set_login_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=is_secure(request),
                        path="/login", max_age=3600)


def check_login_csrf(request: Request, form_token: str | None) -> None:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not form_token or not hmac.compare_digest(cookie, form_token):
        raise PermissionDeniedError("the sign-in form's CSRF token is missing or stale",
                                    hint="reload the sign-in page and try again")


def permits(permission: str) -> Any:
    """A dependency refusing (403) a role without ``permission`` before the request's
    body is even read (so a provider's upload to an admin form gets 403, not 422)."""
    from qa_engine.services import access

    def check(request: Request) -> None:
        access.require(require_auth(request).user, permission)

    return check


#: The largest number a record's id or version can be: the store's integer columns are
#: 32-bit in PostgreSQL (SQLite's are 64-bit, and overflow at 2**63 before a query runs).
MAX_ID = 2**31 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")


def numbers_in_range(request: Request) -> None:
    """An app dependency: a number in the path (``{case_id}``, ``{file_id}``, …) past
    :data:`MAX_ID` names no record (404, like one that does not exist); one in the query
    (``?version=``, ``?a=``) is refused as input (422). Without it such a number reaches
    the database driver, which cannot bind it (a 500)."""
    from qa_engine.errors import InputError, NotFoundError

    for name, raw in request.path_params.items():
        if isinstance(raw, str) and _INTEGER.fullmatch(raw) and abs(int(raw)) > MAX_ID:
            raise NotFoundError(f"there is no record with {name} {raw[:40]}", hint="check the number")
    for name, raw in request.query_params.multi_items():
        if _INTEGER.fullmatch(raw) and abs(int(raw)) > MAX_ID:
            raise InputError(f"?{name[:40]}={raw[:40]} is out of range", path=name[:40],
                             hint=f"use a number from 1 to {MAX_ID}")


def case_in_path(request: Request) -> None:
    """A router dependency: a ``{case_id}`` in the path must be a case the asker may see
    (404 otherwise, before the body is read)."""
    raw = request.path_params.get("case_id")
    if raw is None:
        return
    from qa_engine.errors import NotFoundError
    from qa_engine.services import submissions

    auth = require_auth(request)
    try:
        case_id = int(raw)
    except ValueError:
        raise NotFoundError(f"there is no submission {raw!r}") from None
    submissions.get(store_of(request), auth.user, case_id)
