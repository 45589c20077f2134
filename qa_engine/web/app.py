"""The FastAPI application: security headers, limits, errors as one clear message, an
access log, the templates, and the routers of :mod:`qa_engine.web.routes`.

Errors: a :class:`~qa_engine.errors.QAError` becomes its ``http_status`` with its one
sentence, as JSON (``{"error": {"status", "message", ...}}``) for ``/api/`` paths or a
request that accepts JSON, as a page otherwise (a page asking for sign-in redirects to
``/login``). Anything else is a 500 saying so, without a stack trace.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_engine import __version__
from qa_engine.errors import QAError, TooManyRequestsError
from qa_engine.store import Store, open_store
from qa_engine.textsafe import safe_line

HERE = Path(__file__).resolve().parent
#: The largest request body (the largest dossier upload plus form overhead).
MAX_BODY = 21_000_000
#: The workspace pages' policy: no script at all, styles from the server only.
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")

access_log = logging.getLogger("qa_engine.web.access")


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return True  # the API, and files such as /openapi.json or a credential download
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


class Limits:
    """ASGI middleware: refuse bodies over :data:`MAX_BODY` (413) before reading them,
    add the security headers, and log one JSON line per request."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _too_large(scope, send, self.max_body)
            _log(scope, 413, start)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge()
            return msg

        async def send_with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                status["code"] = msg["status"]
                hs = list(msg.get("headers", []))
                names = {k.lower() for k, _v in hs}
                for k, v in _security_headers():
                    if k not in names:
                        hs.append((k, v))
                msg["headers"] = hs
            await send(msg)

        try:
            await self.app(scope, limited, send_with_headers)
        except _BodyTooLarge:
            await _too_large(scope, send, self.max_body)
            status["code"] = 413
        _log(scope, status["code"], start)


class _BodyTooLarge(Exception):
    pass


def _security_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", PAGE_CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        (b"cache-control", b"no-store"),
    ]


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    body = json.dumps({"error": {"status": 413, "message": f"the request is larger than the limit of {limit:,} bytes."}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *_security_headers()]})
    await send({"type": "http.response.body", "body": body})


def _log(scope: Scope, status: int, start: float) -> None:
    client = scope.get("client") or ("-", 0)
    access_log.info(json.dumps({
        "method": scope.get("method"), "path": scope.get("path"), "status": status,
        "ms": round((time.perf_counter() - start) * 1000, 1), "client": client[0],
    }))


def _error_body(status: int, exc: QAError | None, message: str) -> dict[str, Any]:
    err: dict[str, Any] = {"status": status, "message": message}
    if exc is not None:
        for key in ("file", "line", "column", "path", "hint"):
            value = getattr(exc, key, None)
            if value is not None:
                err[key] = value
        problems = getattr(exc, "problems", None)
        if problems:
            err["problems"] = [{"message": p.message, "line": p.line, "column": p.column,
                                "path": p.path or None, "hint": p.hint} for p in problems]
    return {"error": err}


def create_app(db: str | None = None, *, secure_cookies: bool = False, store: Store | None = None,
               keys_dir: str | None = None, status_dir: str | None = None, agency: str | None = None) -> FastAPI:
    """The workspace over the store at ``db`` (``$QA_ENGINE_DB`` / ./qa-engine.sqlite).

    Publication signs with the key directory ``keys_dir`` and keeps the status lists in
    ``status_dir`` (default ``$QA_ENGINE_KEYS`` / ``$QA_ENGINE_STATUS``, else
    ./qa-engine-keys and ./qa-engine-status), exports with the agency profile
    ``agency`` (default ``$QA_ENGINE_AGENCY``)."""
    from fastapi import Depends

    from qa_engine.services.publication import Setup
    from qa_engine.web.auth import numbers_in_range

    app = FastAPI(title="qa-engine workspace", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", dependencies=[Depends(numbers_in_range)])
    app.state.store = store or open_store(db, actor="qa-engine serve")
    app.state.secure_cookies = secure_cookies
    app.state.publication = Setup(keys_dir, status_dir, agency)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    templates.env.globals["version"] = __version__
    # ids such as accredited_with_conditions or in_review, in the words people read
    templates.env.filters["words"] = lambda value: str(value).replace("_", " ")
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page_error(request: Request, status: int, message: str, exc: QAError | None) -> Response:
        if wants_json(request):
            resp: Response = JSONResponse(_error_body(status, exc, message), status_code=status)
        elif status == 401:
            nxt = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
            return RedirectResponse(f"/login?next={nxt}", status_code=303)
        else:
            from qa_engine.web.routes.common import render

            resp = render(request, "error.html", {"status": status, "message": message,
                                                  "problems": _error_body(status, exc, message)["error"].get("problems", [])},
                          status=status)
        if isinstance(exc, TooManyRequestsError):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> Response:
        return page_error(request, exc.http_status, safe_line(str(exc)), exc)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        msg = f"{where or 'the request'}: {first.get('msg', 'is not valid')}".rstrip(".") + "."
        return page_error(request, 422, safe_line(msg), None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = {404: "there is no such page.", 405: "this address does not take that method."}.get(
            exc.status_code, f"{exc.detail}.")
        return page_error(request, exc.status_code, msg, None)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        logging.getLogger("qa_engine.web").exception("internal error on %s", request.url.path)
        return page_error(request, 500, "internal error: it was logged; please report it.", None)

    from qa_engine.web.routes import (
        admin,
        audit,
        auth,
        cases,
        decisions,
        evidence,
        panels,
        publication,
        queue,
    )

    for r in (auth.router, cases.router, evidence.router, queue.router, audit.router, admin.router,
              panels.router, decisions.router, publication.router):
        app.include_router(r)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        from qa_engine.web.auth import optional_auth

        a = optional_auth(request)
        if a is None:
            return RedirectResponse("/login", status_code=303)
        target = {"coordinator": "/queue", "auditor": "/queue", "admin": "/admin", "reviewer": "/reviews"}.get(a.user.role, "/submissions")
        return RedirectResponse(target, status_code=303)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(Limits, max_body=MAX_BODY)
    return app
