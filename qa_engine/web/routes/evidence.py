"""Evidence files of a submission: upload, list, download (always as an attachment), remove."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from qa_engine.errors import InputError
from qa_engine.services import submissions
from qa_engine.web.auth import Auth, case_in_path, check_csrf, require_auth, store_of
from qa_engine.web.routes.common import read_upload, see_other

router = APIRouter(dependencies=[Depends(case_in_path)])
AuthDep = Annotated[Auth, Depends(require_auth)]


def _date(value: str, field: str) -> _dt.date | None:
    if not value.strip():
        return None
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{value!r} is not a date", path=field, hint="write it as YYYY-MM-DD") from None


async def _add(request: Request, auth: Auth, case_id: int, file: UploadFile, evidence_id: str,
               effective_from: str, expires: str) -> dict[str, Any]:
    data = await read_upload(file, submissions.MAX_EVIDENCE_BYTES)
    start, until = _date(effective_from, "effective_from"), _date(expires, "expires")
    e = await run_in_threadpool(lambda: submissions.add_evidence(
        store_of(request), auth.user, case_id, data, file.filename, evidence_id=evidence_id or None,
        effective_from=start, expires=until))
    return e.to_dict()


@router.post("/submissions/{case_id}/evidence", include_in_schema=False)
async def add_page(request: Request, auth: AuthDep, case_id: int, file: Annotated[UploadFile, File()],
                   csrf_token: Annotated[str, Form()] = "", evidence_id: Annotated[str, Form()] = "",
                   effective_from: Annotated[str, Form()] = "", expires: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    await _add(request, auth, case_id, file, evidence_id, effective_from, expires)
    return see_other(f"/submissions/{case_id}#evidence")


@router.post("/api/v1/submissions/{case_id}/evidence", status_code=201, summary="Attach an evidence file")
async def add_api(request: Request, auth: AuthDep, case_id: int, file: Annotated[UploadFile, File()],
                  evidence_id: Annotated[str, Form()] = "", effective_from: Annotated[str, Form()] = "",
                  expires: Annotated[str, Form()] = "") -> JSONResponse:
    check_csrf(request, auth, None)
    return JSONResponse(await _add(request, auth, case_id, file, evidence_id, effective_from, expires), status_code=201)


@router.get("/api/v1/submissions/{case_id}/evidence", summary="The evidence files of a submission")
def list_api(request: Request, auth: AuthDep, case_id: int) -> dict[str, Any]:
    return {"evidence": [e.to_dict() for e in submissions.evidence(store_of(request), auth.user, case_id)]}


def _download(request: Request, auth: Auth, case_id: int, file_id: int) -> Response:
    e, data = submissions.evidence_download(store_of(request), auth.user, case_id, file_id)
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in e.filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(e.filename)}"
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox", "X-Evidence-Sha256": e.sha256,
        "X-Evidence-Media-Type": e.media_type,
    })


@router.get("/submissions/{case_id}/evidence/{file_id}", include_in_schema=False)
def download_page(request: Request, auth: AuthDep, case_id: int, file_id: int) -> Response:
    return _download(request, auth, case_id, file_id)


@router.get("/api/v1/submissions/{case_id}/evidence/{file_id}", summary="Download an evidence file",
            response_class=Response,
            responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "The file as uploaded, always as a download"}})
def download_api(request: Request, auth: AuthDep, case_id: int, file_id: int) -> Response:
    return _download(request, auth, case_id, file_id)


@router.post("/submissions/{case_id}/evidence/{file_id}/remove", include_in_schema=False)
def remove_page(request: Request, auth: AuthDep, case_id: int, file_id: int,
                csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    submissions.remove_evidence(store_of(request), auth.user, case_id, file_id)
    return see_other(f"/submissions/{case_id}#evidence")


@router.delete("/api/v1/submissions/{case_id}/evidence/{file_id}", summary="Remove an evidence file")
def remove_api(request: Request, auth: AuthDep, case_id: int, file_id: int) -> dict[str, Any]:
    check_csrf(request, auth, None)
    submissions.remove_evidence(store_of(request), auth.user, case_id, file_id)
    return {"removed": file_id}
