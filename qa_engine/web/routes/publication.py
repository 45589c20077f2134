"""Publication: the coordinator's publish / suspend / revoke actions and the public
register (DESIGN.md Part 2, "Trust and publication").

Public (no sign-in): ``/register`` (filters ``?provider=SLUG``, ``?ruleset=SLUG``,
``?at=YYYY-MM-DD``), its JSON feed ``/api/v1/register`` and Atom feed
``/register.atom``; each published decision at its permalink ``/decisions/{id}``
(the credential's own id) with ``/api/v1/decisions/{id}``, the signed credential and
the DEQAR / ELM / CTDL exports; the issuer's ``/.well-known/did.json`` and the status
lists ``/status/{revocation,suspension}.json`` the credentials point to. A decision
that is not published is 404 for everyone. The register pages are the static site's
templates (:mod:`qa_engine.render.register`) with the server's links.

The keys, status lists and agency profile are files on the server:
``qa-engine serve --keys DIR --status-dir DIR --agency FILE``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from qa_engine.errors import InputError
from qa_engine.render.register import (
    WEB,
    atom,
    feed_document,
    filtered,
    render_decision,
    render_list,
)
from qa_engine.services import publication as pub
from qa_engine.web.auth import Auth, check_csrf, permits, require_auth, store_of
from qa_engine.web.routes.common import render, see_other

router = APIRouter()
AuthDep = Annotated[Auth, Depends(require_auth)]
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _setup(request: Request) -> pub.Setup:
    setup: pub.Setup = request.app.state.publication
    return setup


def _at(at: str | None) -> _dt.datetime | None:
    """``?at=YYYY-MM-DD``: the states as on that day (default: now)."""
    if not at:
        return None
    try:
        day = _dt.date.fromisoformat(at)
    except ValueError:
        raise InputError(f"at={at!r} is not a date", path="at", hint="write it as YYYY-MM-DD") from None
    return _dt.datetime(day.year, day.month, day.day, 12, tzinfo=_dt.UTC)


def _register_page(html: str) -> HTMLResponse:
    """A register page: its one inline style allowed by hash, nothing else."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in _STYLE.findall(html))
    csp = (f"default-src 'none'; style-src {hashes}; img-src 'self' data:; form-action 'self'; "
           "frame-ancestors 'none'; base-uri 'none'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


def _download(doc: Any, name: str, media: str = "application/json") -> Response:
    return Response(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --------------------------------------------------------------------------- the public register


def _register(request: Request, at: str | None) -> pub.Register:
    return pub.register(store_of(request), setup=_setup(request), now=_at(at))


@router.get("/register", response_class=HTMLResponse, include_in_schema=False)
def register_page(request: Request, provider: str | None = None, ruleset: str | None = None,
                  at: str | None = None) -> Response:
    reg = _register(request, at)
    return _register_page(render_list(reg.entries, links=WEB, root="/", base_url=reg.base_url, title=reg.title,
                                      issuer=reg.issuer, generated=reg.generated, provider=provider,
                                      ruleset=ruleset))


@router.get("/api/v1/register", summary="The public register: published decisions (JSON Feed 1.1)")
def register_api(request: Request, provider: str | None = None, ruleset: str | None = None,
                 at: str | None = None) -> dict[str, Any]:
    reg = _register(request, at)
    chosen, _flt, heading = filtered(reg.entries, provider=provider, ruleset=ruleset)
    return {**feed_document(chosen, base_url=reg.base_url, title=heading or reg.title, links=WEB),
            "_qa_engine": {"issuer": reg.issuer, "generated": reg.generated.isoformat(),
                           "filter": {"provider": provider, "ruleset": ruleset}}}


@router.get("/register.atom", include_in_schema=False)
def register_atom(request: Request, provider: str | None = None, ruleset: str | None = None,
                  at: str | None = None) -> Response:
    reg = _register(request, at)
    chosen, _flt, heading = filtered(reg.entries, provider=provider, ruleset=ruleset)
    stamp = reg.generated.astimezone(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    text = atom(chosen, base_url=reg.base_url, title=heading or reg.title, updated=stamp, issuer=reg.issuer,
                links=WEB)
    return Response(text, media_type="application/atom+xml")


@router.get("/decisions/{decision_id}", response_class=HTMLResponse, include_in_schema=False)
def decision_page(request: Request, decision_id: int, at: str | None = None) -> Response:
    d = pub.public_decision(store_of(request), decision_id, setup=_setup(request), now=_at(at))
    r = d.register
    return _register_page(render_decision(d.entry, links=WEB, root="/", base_url=r.base_url, title=r.title,
                                          issuer=r.issuer, generated=r.generated))


@router.get("/api/v1/decisions/{decision_id}", summary="A published decision and its signed credential")
def decision_api(request: Request, decision_id: int, at: str | None = None) -> dict[str, Any]:
    return pub.public_decision(store_of(request), decision_id, setup=_setup(request), now=_at(at)).to_dict()


@router.get("/decisions/{decision_id}/credential.json", include_in_schema=False)
def credential_file(request: Request, decision_id: int) -> Response:
    d = pub.public_decision(store_of(request), decision_id, setup=_setup(request))
    return _download(d.entry.credential, f"decision-{decision_id}.credential.json", "application/vc+ld+json")


@router.get("/decisions/{decision_id}/export/{kind}.json", include_in_schema=False)
def export_file(request: Request, decision_id: int, kind: str) -> Response:
    doc = pub.export(store_of(request), decision_id, kind, setup=_setup(request))
    return _download(doc, f"decision-{decision_id}.{kind}.json")


@router.get("/.well-known/did.json", include_in_schema=False)
def did_json(request: Request) -> Response:
    return JSONResponse(pub.did_document(_setup(request)), media_type="application/did+json")


@router.get("/status/{purpose}.json", include_in_schema=False)
def status_json(request: Request, purpose: str) -> Response:
    return JSONResponse(pub.status_list(purpose, _setup(request)), media_type="application/vc+ld+json")


# --------------------------------------------------------------------------- the coordinator's actions


def publication_view(request: Request, auth: Auth) -> dict[str, Any]:
    return {"decisions": [c.to_dict() for c in pub.candidates(store_of(request), auth.user)]}


@router.get("/publication", response_class=HTMLResponse, include_in_schema=False,
            dependencies=[Depends(permits("publication.read"))])
def publication_page(request: Request, auth: AuthDep) -> Response:
    return render(request, "publication.html", {**publication_view(request, auth),
                                                "can_act": auth.user.role == "coordinator"})


@router.get("/api/v1/publication", summary="Stored decisions: which can be published, which are",
            dependencies=[Depends(permits("publication.read"))])
def publication_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    return publication_view(request, auth)


def _publish(request: Request, auth: Auth, decision_id: int) -> pub.Published:
    return pub.publish(store_of(request), auth.user, decision_id, setup=_setup(request))


@router.post("/decisions/{decision_id}/publish", include_in_schema=False,
             dependencies=[Depends(permits("decisions.publish"))])
def publish_page(request: Request, auth: AuthDep, decision_id: int,
                 csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    _publish(request, auth, decision_id)
    return see_other(f"/decisions/{decision_id}")


@router.post("/api/v1/decisions/{decision_id}/publish", status_code=201, summary="Publish a decided decision",
             dependencies=[Depends(permits("decisions.publish"))])
def publish_api(request: Request, auth: AuthDep, decision_id: int) -> JSONResponse:
    check_csrf(request, auth, None)
    done = _publish(request, auth, decision_id)
    return JSONResponse({**done.to_dict(), "credential": done.credential.credential}, status_code=201,
                        headers={"Location": f"/api/v1/decisions/{decision_id}"})


def _status(request: Request, auth: Auth, decision_id: int, action: str, reason: str) -> pub.Published:
    return pub.set_status(store_of(request), auth.user, decision_id, action, reason=reason, setup=_setup(request))


@router.post("/decisions/{decision_id}/status", include_in_schema=False,
             dependencies=[Depends(permits("decisions.publish"))])
def status_page(request: Request, auth: AuthDep, decision_id: int, action: Annotated[str, Form()] = "",
                reason: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    _status(request, auth, decision_id, action, reason)
    return see_other("/publication")


@router.post("/api/v1/decisions/{decision_id}/status", summary="Revoke, suspend or reinstate a published decision",
             dependencies=[Depends(permits("decisions.publish"))])
def status_api(request: Request, auth: AuthDep, decision_id: int, action: Annotated[str, Form()] = "",
               reason: Annotated[str, Form()] = "") -> dict[str, Any]:
    check_csrf(request, auth, None)
    return _status(request, auth, decision_id, action, reason).to_dict()
