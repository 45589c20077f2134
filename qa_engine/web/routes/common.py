"""What the routers share: rendering a page, reading a form's upload within limits."""

from __future__ import annotations

from typing import Any

from fastapi import Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from qa_engine.errors import PayloadTooLargeError
from qa_engine.web.auth import Auth, optional_auth


def render(request: Request, name: str, ctx: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """A page: the template with the signed-in user, their CSRF token and the context."""
    try:
        auth = optional_auth(request)
    except Exception:  # a bad token on an error page: render it signed out
        auth = None
    base = {"request": request, "auth": auth, "user": auth.user if auth else None,
            "csrf": auth.csrf if auth else ""}
    resp: HTMLResponse = request.app.state.templates.TemplateResponse(request, name, {**base, **ctx},
                                                                      status_code=status)
    return resp


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded bytes, refusing more than ``limit`` (413) without reading them all."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await file.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"{file.filename or 'the upload'!r} is larger than the limit of {limit:,} bytes",
                                       hint="upload a smaller file")
        chunks.append(chunk)
    return b"".join(chunks)


def who(auth: Auth) -> dict[str, Any]:
    return auth.user.to_dict()
