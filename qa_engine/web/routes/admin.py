"""The admin's pages: accounts and organisations (the same services as `qa-engine users|orgs`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from qa_engine.formats.lifecycle import ROLES
from qa_engine.services import access, accounts
from qa_engine.web.auth import Auth, check_csrf, permits, require_auth, store_of
from qa_engine.web.routes.common import render, see_other

router = APIRouter(dependencies=[Depends(permits("users.manage"))])
AuthDep = Annotated[Auth, Depends(require_auth)]


def admin_view(request: Request, auth: Auth) -> dict[str, Any]:
    access.require(auth.user, "users.manage")
    store = store_of(request)
    return {"users": [u.to_dict() for u in accounts.list_users(store)],
            "organisations": [o.to_dict() for o in accounts.list_organisations(store)]}


@router.get("/admin", response_class=HTMLResponse, include_in_schema=False)
def admin_page(request: Request, auth: AuthDep) -> Response:
    return render(request, "admin.html", {**admin_view(request, auth), "roles": ROLES})


@router.get("/api/v1/users", summary="Accounts (admin)")
def users_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    return {"users": admin_view(request, auth)["users"]}


@router.get("/api/v1/organisations", summary="Organisations (admin)")
def orgs_api(request: Request, auth: AuthDep) -> dict[str, Any]:
    return {"organisations": admin_view(request, auth)["organisations"]}


def _add_user(request: Request, auth: Auth, email: str, role: str, org: str, name: str, password: str) -> dict[str, Any]:
    access.require(auth.user, "users.manage")
    u = accounts.add_user(store_of(request), email, role=role, org=org or None, name=name or None,
                          password=password or None, actor=auth.user.email)
    return u.to_dict()


@router.post("/admin/users", include_in_schema=False)
def add_user_page(request: Request, auth: AuthDep, email: Annotated[str, Form()], role: Annotated[str, Form()],
                  csrf_token: Annotated[str, Form()] = "", org: Annotated[str, Form()] = "",
                  name: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    _add_user(request, auth, email, role, org, name, password)
    return see_other("/admin")


@router.post("/api/v1/users", status_code=201, summary="Add an account (admin)")
def add_user_api(request: Request, auth: AuthDep, email: Annotated[str, Form()], role: Annotated[str, Form()],
                 org: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                 password: Annotated[str, Form()] = "") -> JSONResponse:
    check_csrf(request, auth, None)
    return JSONResponse(_add_user(request, auth, email, role, org, name, password), status_code=201)


def _disable(request: Request, auth: Auth, user_id: int) -> dict[str, Any]:
    access.require(auth.user, "users.manage")
    store = store_of(request)
    target = accounts.user_by_id(store, user_id)
    return accounts.disable_user(store, target.email, actor=auth.user.email).to_dict()


@router.post("/admin/users/{user_id}/disable", include_in_schema=False)
def disable_page(request: Request, auth: AuthDep, user_id: int, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    _disable(request, auth, user_id)
    return see_other("/admin")


@router.post("/api/v1/users/{user_id}/disable", summary="Disable an account (admin)")
def disable_api(request: Request, auth: AuthDep, user_id: int) -> dict[str, Any]:
    check_csrf(request, auth, None)
    return _disable(request, auth, user_id)


def _add_org(request: Request, auth: Auth, slug: str, name: str, kind: str, country: str) -> dict[str, Any]:
    access.require(auth.user, "orgs.manage")
    return accounts.add_organisation(store_of(request), slug, name, kind=kind or "provider",
                                     country=country or None, actor=auth.user.email).to_dict()


@router.post("/admin/organisations", include_in_schema=False)
def add_org_page(request: Request, auth: AuthDep, slug: Annotated[str, Form()], name: Annotated[str, Form()],
                 csrf_token: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "provider",
                 country: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, auth, csrf_token)
    _add_org(request, auth, slug, name, kind, country)
    return see_other("/admin")


@router.post("/api/v1/organisations", status_code=201, summary="Add an organisation (admin)")
def add_org_api(request: Request, auth: AuthDep, slug: Annotated[str, Form()], name: Annotated[str, Form()],
                kind: Annotated[str, Form()] = "provider", country: Annotated[str, Form()] = "") -> JSONResponse:
    check_csrf(request, auth, None)
    return JSONResponse(_add_org(request, auth, slug, name, kind, country), status_code=201)
