"""The web workspace for real: uvicorn on loopback over SQLite and PostgreSQL, HTTP
clients signing in through the form. The access matrix walks every route of the app
(from its route table: a route without a rule fails) × every role × owner / other
organisation / anonymous."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route
from web_helpers import Live, csrf_of, live_server, login
from workspace_helpers import PASSWORD, upload

from qa_engine.services import accounts, submissions
from qa_engine.store import workflow as wdb


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("web") / "store.sqlite")
        with live_server(url) as lv:
            yield lv
    else:
        import os

        base = os.environ.get("QA_ENGINE_TEST_PG")
        if not base:
            pytest.skip("QA_ENGINE_TEST_PG is not set")
        from store_fixtures import _admin_engine, pg_schema_url

        schema = f"web_{os.getpid()}"
        eng = _admin_engine(base)
        with eng.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            c.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            with live_server(pg_schema_url(base, schema)) as lv:
                yield lv
        finally:
            with eng.begin() as c:
                c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            eng.dispose()


def _case(live: Live, who: str = "provider", name: str = "mooc-intro-ai") -> int:
    return submissions.create_draft(live.ws.store, live.ws.users[who], *upload(name)).case.id


# --------------------------------------------------------------------------- sign-in, cookies, CSRF


def test_sign_in_sets_a_safe_cookie_rotates_it_and_signs_out(live: Live) -> None:
    c = live.client()
    assert c.get("/submissions").status_code == 303  # a page asks for sign-in
    assert c.get("/submissions").headers["location"].startswith("/login?next=")
    planted = "planted-session-id"
    c.cookies.set("qae_session", planted, domain="127.0.0.1")
    r = login(c, live.ws.users["provider"].email)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback; --secure-cookies turns it on
    first = c.cookies.get("qae_session", domain="127.0.0.1")
    assert first and first != planted
    assert c.get("/submissions").status_code == 200
    # signing in again from this browser rotates the session: the old cookie is dead
    again = login(c, live.ws.users["provider"].email)
    assert again.status_code == 303, again.text[:300]
    second = c.cookies.get("qae_session", domain="127.0.0.1")
    assert second != first
    stale = live.client()
    stale.cookies.set("qae_session", first)
    assert stale.get("/api/v1/me").status_code == 401
    token = csrf_of(c)
    assert c.post("/logout", data={"csrf_token": token}).status_code == 303
    assert c.get("/api/v1/me").status_code == 401


def test_state_changes_need_the_csrf_token(live: Live) -> None:
    c, token = live.signed_in("provider")
    data, name = upload()
    r = c.post("/submissions", files={"file": (name, data)}, data={"csrf_token": "wrong"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = c.post("/api/v1/submissions", files={"file": (name, data)})  # cookie, no X-CSRF-Token
    assert r.status_code == 403
    r = c.post("/submissions", files={"file": (name, data)}, data={"csrf_token": token})
    assert r.status_code == 303 and re.fullmatch(r"/submissions/\d+", r.headers["location"])
    # the login form has its own (double-submit) token
    anon = live.client()
    r = anon.post("/login", data={"email": live.ws.users["provider"].email, "password": PASSWORD,
                                  "csrf_token": "x"})
    assert r.status_code == 403


def test_sign_in_is_throttled(live: Live) -> None:
    email = live.ws.users["auditor"].email
    c = live.client()
    for _ in range(accounts.MAX_FAILURES):
        r = login(c, email, "wrong password!!")
        assert r.status_code == 401 and "is wrong" in r.text
    r = login(c, email)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "too many failed sign-ins" in r.text
    # every client here is 127.0.0.1, now locked too: let the window pass for the next tests
    import datetime as _dt

    from sqlalchemy import select, update

    from qa_engine.store.models import LOGIN_ATTEMPT

    def age(conn: Any) -> None:  # in Python: SQLite has no datetime arithmetic of its own
        for rid, at in conn.execute(select(LOGIN_ATTEMPT.c.id, LOGIN_ATTEMPT.c.at)).all():
            conn.execute(update(LOGIN_ATTEMPT).where(LOGIN_ATTEMPT.c.id == rid)
                         .values(at=at - _dt.timedelta(minutes=16)))

    live.ws.store.write(age)
    assert login(c, email).status_code == 303


def test_tokens_work_and_revoked_ones_do_not(live: Live) -> None:
    t = accounts.create_token(live.ws.store, live.ws.users["coordinator"].email, actor="test")
    c = live.client(headers={"Authorization": f"Bearer {t.secret}"})
    assert c.get("/api/v1/me").json()["user"]["role"] == "coordinator"
    accounts.revoke_tokens(live.ws.store, live.ws.users["coordinator"].email, actor="test")
    r = c.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["error"]["message"].startswith("the API token was revoked")
    assert live.client(headers={"Authorization": "Basic abc"}).get("/api/v1/me").status_code == 401


# --------------------------------------------------------------------------- the provider's way


def test_upload_see_report_submit_and_another_org_sees_nothing(live: Live) -> None:
    c, token = live.signed_in("provider")
    data, name = upload()
    r = c.post("/submissions", files={"file": (name, data)}, data={"csrf_token": token, "ruleset": "qa-starter"})
    cid = int(r.headers["location"].rsplit("/", 1)[1])
    page = c.get(f"/submissions/{cid}")
    assert page.status_code == 200 and "Introduction to Artificial Intelligence" in page.text
    assert f'src="/submissions/{cid}/report?format=html"' in page.text
    rep = c.get(f"/submissions/{cid}/report?format=html")
    assert rep.status_code == 200 and "frame-ancestors 'self'" in rep.headers["content-security-policy"]
    assert "sha256-" in rep.headers["content-security-policy"]
    api = c.get(f"/api/v1/submissions/{cid}/report?format=json").json()
    assert api["dossier"]["id"] == "mooc-intro-ai"
    r = c.post(f"/submissions/{cid}/submit", data={"csrf_token": token})
    assert r.status_code == 303
    assert c.get(f"/api/v1/submissions/{cid}").json()["submission"]["state"] == "submitted"
    # the other organisation: 404 by page and by API, like a submission that does not exist
    other, _t = live.signed_in("provider2")
    for path in (f"/submissions/{cid}", f"/api/v1/submissions/{cid}", f"/api/v1/submissions/{cid}/report"):
        assert other.get(path).status_code == 404, path
    assert other.get("/api/v1/submissions/999999").status_code == 404
    assert cid not in [s["id"] for s in other.get("/api/v1/submissions").json()["submissions"]]
    # the coordinator sees it in the queue and screens it
    coord, ctoken = live.signed_in("coordinator")
    q = coord.get("/api/v1/queue?state=submitted").json()
    assert cid in [s["id"] for s in q["submissions"]] and q["counts"]["state"]["submitted"] >= 1
    assert "Introduction to Artificial Intelligence" in coord.get("/queue?state=submitted").text
    r = coord.post(f"/submissions/{cid}/screen", data={"csrf_token": ctoken, "outcome": "accept"})
    assert r.status_code == 303
    assert coord.get(f"/api/v1/submissions/{cid}").json()["submission"]["state"] == "in_review"


def test_api_create_answers_201_with_the_design_fields(live: Live) -> None:
    t = accounts.create_token(live.ws.store, live.ws.users["provider"].email, actor="test")
    c = live.client(headers={"Authorization": f"Bearer {t.secret}"})
    data, name = upload("bootcamp-web-dev")
    r = c.post("/api/v1/submissions", files={"file": (name, data)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert {"id", "state", "dossier", "evaluation"} <= set(body)
    assert set(body["dossier"]) >= {"id", "sha256"}
    assert set(body["evaluation"]) >= {"id", "decision", "score", "ruleset", "rubric"}
    assert r.headers["location"] == f"/api/v1/submissions/{body['id']}"


def test_a_bad_file_shows_its_errors_with_locations(live: Live) -> None:
    c, token = live.signed_in("provider")
    good = upload()[0].decode()
    broken = good.replace("id: ", "idx: ", 1)
    r = c.post("/submissions", files={"file": ("broken.yaml", broken.encode())}, data={"csrf_token": token})
    assert r.status_code == 422 and "line " in r.text and 'role="alert"' in r.text
    t = accounts.create_token(live.ws.store, live.ws.users["provider"].email, actor="test")
    api = live.client(headers={"Authorization": f"Bearer {t.secret}"})
    r = api.post("/api/v1/submissions", files={"file": ("bad.yaml", b"title: [unclosed\n")})
    err = r.json()["error"]
    assert r.status_code == 422 and err["file"] == "bad.yaml" and err["line"] >= 1
    assert "Traceback" not in r.text


def test_hostile_names_and_content_are_escaped(live: Live) -> None:
    c, token = live.signed_in("provider")
    text = upload()[0].decode().replace("Introduction to Artificial Intelligence",
                                        "<script>alert(1)</script> & <img src=x onerror=alert(2)>", 1)
    r = c.post("/submissions", files={"file": ("<b>x<b>.yaml", text.encode())}, data={"csrf_token": token})
    cid = int(r.headers["location"].rsplit("/", 1)[1])
    page = c.get(f"/submissions/{cid}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    i = page.find("<img src=x")
    assert i < 0, page[max(0, i - 300):i + 100]
    assert "&lt;b&gt;x&lt;b&gt;.yaml" in page and "<b>x" not in page
    html = b"<html><script>alert(3)</script></html>"
    r = c.post(f"/submissions/{cid}/evidence", files={"file": ('"><svg onload=alert(4)>.txt', html)},
               data={"csrf_token": token, "evidence_id": "hostile"})
    assert r.status_code == 303, r.text
    page = c.get(f"/submissions/{cid}").text
    assert "<svg onload" not in page
    fid = c.get(f"/api/v1/submissions/{cid}/evidence").json()["evidence"][0]["id"]
    dl = c.get(f"/submissions/{cid}/evidence/{fid}")
    assert dl.status_code == 200 and dl.content == html
    assert dl.headers["content-disposition"].startswith("attachment;")
    assert dl.headers["x-content-type-options"] == "nosniff"
    assert dl.headers["content-type"] == "application/octet-stream"
    assert "sandbox" in dl.headers["content-security-policy"]


def test_upload_limits_and_security_headers(live: Live) -> None:
    c, token = live.signed_in("provider")
    big = b"a" * (submissions.MAX_DOSSIER_BYTES + 100_000)
    r = c.post("/submissions", files={"file": ("big.yaml", big)}, data={"csrf_token": token})
    assert r.status_code == 413 and "limit" in r.text
    cid = _case(live)
    r = c.post(f"/submissions/{cid}/evidence", files={"file": ("big.txt", b"a" * (submissions.MAX_EVIDENCE_BYTES + 1))},
               data={"csrf_token": token})
    assert r.status_code == 413
    page = c.get("/submissions")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "<script" not in page.text  # the pages need no JavaScript


def test_openapi_names_the_design_api(live: Live) -> None:
    doc = live.client().get("/openapi.json").json()
    paths = doc["paths"]
    for p in ("/api/v1/submissions", "/api/v1/submissions/{case_id}", "/api/v1/submissions/{case_id}/report",
              "/api/v1/submissions/{case_id}/submit", "/api/v1/submissions/{case_id}/screen",
              "/api/v1/submissions/{case_id}/withdraw"):
        assert p in paths, p
    assert "post" in paths["/api/v1/submissions"] and "get" in paths["/api/v1/submissions"]
    assert not [p for p in paths if not p.startswith("/api/v1/")]  # pages stay out of the API


def test_errors_are_one_message_never_a_trace(live: Live) -> None:
    c = live.client()
    r = c.get("/api/v1/nowhere")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404
    r = c.get("/nowhere", headers={"accept": "text/html"})
    assert r.status_code == 404 and "<h1>" in r.text and "Traceback" not in r.text
    t = accounts.create_token(live.ws.store, live.ws.users["provider"].email, actor="test")
    api = live.client(headers={"Authorization": f"Bearer {t.secret}"})
    r = api.get("/api/v1/submissions/not-a-number")
    assert r.status_code in (404, 422) and "Traceback" not in r.text


# --------------------------------------------------------------------------- the access matrix

#: "panel_reviewer" sits on the case's panel and has declared no conflict; "reviewer" does not
ROLES = ("provider", "provider2", "coordinator", "reviewer", "panel_reviewer", "auditor", "admin", None)
OK = "ok"
Rule = Callable[[str | None], Any]  # role -> OK | 401 | 403 | 404


def only(*roles: str) -> Rule:
    return lambda role: 401 if role is None else (OK if role in roles else 403)


def case(view: tuple[str, ...], act: tuple[str, ...]) -> Rule:
    """A route about the owner's ('provider') case: the other organisation and a reviewer
    without a panel get 404, an admin 403; of those who see it, ``act`` may do it."""
    def rule(role: str | None) -> Any:
        if role is None:
            return 401
        if role == "panel_reviewer":  # reads what a viewer reads; acts only where reviewers do
            return OK if act == view or "reviewer" in act else 403
        if role in ("provider2", "reviewer"):
            return 404
        if role == "admin":
            return 403
        if role not in view:
            return 404
        return OK if role in act else 403
    rule.about_case = True  # type: ignore[attr-defined]
    return rule


def expected(rule: Rule, role: str | None) -> Any:
    """What ``role`` gets: off its case, a panel reviewer is just a reviewer."""
    if role == "panel_reviewer" and not getattr(rule, "about_case", False):
        role = "reviewer"
    return rule(role)


SEE = ("provider", "coordinator", "auditor")
EVERYONE = ("provider", "provider2", "coordinator", "reviewer", "auditor", "admin")
PUBLIC: Rule = lambda role: OK  # noqa: E731

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/login"): PUBLIC, ("GET", "/healthz"): PUBLIC,
    # without the login form's double-submit token a sign-in is refused, whoever asks
    ("POST", "/login"): lambda role: 403,
    ("GET", "/"): lambda role: 401 if role is None else OK,
    ("GET", "/openapi.json"): PUBLIC,
    ("POST", "/logout"): only(*EVERYONE), ("GET", "/api/v1/me"): only(*EVERYONE),
    ("POST", "/api/v1/logout-everywhere"): only(*EVERYONE),
    ("GET", "/submissions"): only("provider", "provider2", "coordinator", "reviewer", "auditor"),
    ("GET", "/api/v1/submissions"): only("provider", "provider2", "coordinator", "reviewer", "auditor"),
    ("GET", "/submissions/new"): only("provider", "provider2"),
    ("POST", "/submissions"): only("provider", "provider2"),
    ("POST", "/api/v1/submissions"): only("provider", "provider2"),
    ("GET", "/queue"): only("coordinator", "auditor"), ("GET", "/api/v1/queue"): only("coordinator", "auditor"),
    ("GET", "/dashboard"): only("coordinator", "auditor"),
    ("GET", "/api/v1/dashboard"): only("coordinator", "auditor"),
    ("GET", "/audit"): only("coordinator", "auditor", "admin"),
    ("GET", "/api/v1/audit/verify"): only("coordinator", "auditor", "admin"),
    ("GET", "/rulesets/diff"): only(*EVERYONE), ("GET", "/api/v1/rulesets/diff"): only(*EVERYONE),
    **{(m, p): only("admin") for m, p in (
        ("GET", "/admin"), ("GET", "/api/v1/users"), ("GET", "/api/v1/organisations"),
        ("POST", "/admin/users"), ("POST", "/api/v1/users"), ("POST", "/admin/users/{user_id}/disable"),
        ("POST", "/api/v1/users/{user_id}/disable"), ("POST", "/admin/organisations"),
        ("POST", "/api/v1/organisations"))},
}
for _prefix in ("", "/api/v1"):
    for _m, _tail, _rule in (
        ("GET", "", case(SEE, SEE)), ("GET", "/report", case(SEE, SEE)), ("GET", "/diff", case(SEE, SEE)),
        ("POST", "/versions", case(SEE, ("provider",))), ("POST", "/evidence", case(SEE, ("provider",))),
        ("GET", "/evidence/{file_id}", case(SEE, SEE)),
        ("POST", "/submit", case(SEE, ("provider",))), ("POST", "/withdraw", case(SEE, ("provider",))),
        ("POST", "/reopen", case(SEE, ("provider",))), ("POST", "/resubmit", case(SEE, ("provider",))),
        ("POST", "/screen", case(SEE, ("coordinator",))),
    ):
        RULES[(_m, f"{_prefix}/submissions/{{case_id}}{_tail}")] = _rule
RULES[("GET", "/api/v1/submissions/{case_id}/evidence")] = case(SEE, SEE)
RULES[("POST", "/submissions/{case_id}/evidence/{file_id}/remove")] = case(SEE, ("provider",))
RULES[("DELETE", "/api/v1/submissions/{case_id}/evidence/{file_id}")] = case(SEE, ("provider",))

# ---- review panels (qa_engine/web/routes/panels.py): the matrix's "panel_reviewer" chairs the
# case's panel and has declared no conflict, but has not submitted a review, so the
# consolidation is still closed to them (403) and resolving is nobody's in the matrix
RULES[("GET", "/reviews")] = only("reviewer")
RULES[("GET", "/api/v1/reviews")] = only("reviewer")
for _prefix in ("", "/api/v1"):
    for _m, _tail, _rule in (
        ("POST", "/panel", case(SEE, ("coordinator",))),
        ("POST", "/panel/members", case(SEE, ("coordinator",))),  # a seat left by a declared conflict
        ("GET", "/reviews", case(SEE, ("coordinator", "auditor", "reviewer"))),
        ("POST", "/declaration", case(SEE, ("reviewer",))),
        ("POST", "/reviews", case(SEE, ("reviewer",))),
        ("GET", "/consolidation", case(SEE, ("coordinator", "auditor"))),
        ("POST", "/consolidation", case(SEE, ())),  # the chair, once their own review is submitted
    ):
        RULES[(_m, f"{_prefix}/submissions/{{case_id}}{_tail}")] = _rule
# ---- end of review panels
# ---- decisions, conditions, amendments, letters, due (routes/decisions.py; branch s23-decisions) ----
#: paths walked on the matrix's decided case (DECIDED_PATHS) instead of its draft
DECIDED_PATHS = ("/decision", "/amendments", "/conditions/")
for _prefix in ("", "/api/v1"):
    for _m, _tail, _rule in (
        ("GET", "/decision", case(SEE, SEE)), ("GET", "/decision/letter", case(SEE, SEE)),
        ("POST", "/decision", case(SEE, ("coordinator",))),
        ("POST", "/amendments", case(SEE, ("provider",))),
        # the coordinator or the panel's chair (the matrix's panel_reviewer chairs its panel)
        ("POST", "/conditions/{label}/close", case(SEE, ("coordinator", "reviewer"))),
    ):
        RULES[(_m, f"{_prefix}/submissions/{{case_id}}{_tail}")] = _rule
    RULES[("GET", f"{_prefix}/due")] = only("provider", "provider2", "coordinator", "reviewer", "auditor")
    RULES[("POST", f"{_prefix}/due/expire")] = only("coordinator")
# ---- end of decisions ----
# ---- publication (routes/publication.py): the public register, permalinks, downloads, the
# issuer's files (anyone; the matrix's decision is published — an unpublished one is 404 for
# everyone, see test_web_publication.py), and the coordinator's publish / status actions
RULES.update({
    **{("GET", p): PUBLIC for p in (
        "/register", "/api/v1/register", "/register.atom", "/decisions/{decision_id}",
        "/api/v1/decisions/{decision_id}", "/decisions/{decision_id}/credential.json",
        "/decisions/{decision_id}/export/{kind}.json", "/.well-known/did.json", "/status/{purpose}.json")},
    ("GET", "/publication"): only("coordinator", "auditor"),
    ("GET", "/api/v1/publication"): only("coordinator", "auditor"),
    **{("POST", f"{prefix}/decisions/{{decision_id}}/{tail}"): only("coordinator")
       for prefix in ("", "/api/v1") for tail in ("publish", "status")},
})
# ---- end of publication


def _routes(live: Live) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, through included routers (FastAPI 0.16x keeps
    an included router as one entry with its own routes; older ones copy the routes)."""
    out: list[tuple[str, str]] = []

    def walk(routes: Any, prefix: str) -> None:
        for r in routes:
            if isinstance(r, APIRoute):
                out.extend((m, prefix + r.path) for m in sorted(r.methods))
            elif isinstance(r, Route):  # plain Starlette routes (e.g. /openapi.json)
                out.extend((m, prefix + r.path) for m in sorted(r.methods or ()) if m != "HEAD")
            elif (ctx := getattr(r, "include_context", None)) is not None:
                walk(ctx.included_router.routes, prefix + ctx.prefix)

    walk(live.app.routes, "")
    assert len(out) > 10, out
    return out


def test_every_route_has_an_access_rule(live: Live) -> None:
    missing = [k for k in _routes(live) if k not in RULES]
    assert not missing, f"routes without an access rule in tests/test_web.py RULES: {missing}"
    stale = [k for k in RULES if k not in _routes(live)]
    assert not stale, stale


def test_access_matrix(live: Live) -> None:
    s, u = live.ws.store, live.ws.users
    cid = _case(live)
    submissions.add_version(s, u["provider"], cid, *upload("mooc-intro-ai"))
    ev = submissions.add_evidence(s, u["provider"], cid, b"notes\n", "notes.txt")
    ev2 = submissions.add_evidence(s, u["provider"], cid, b"more notes\n", "more.txt")
    victim = accounts.add_user(s, "victim@x.example", role="auditor", password=PASSWORD, actor="test")
    seated = accounts.add_user(s, "seated@x.example", role="reviewer", password=PASSWORD, actor="test")
    people = {**u, "panel_reviewer": seated}
    case_row = submissions.get(s, u["coordinator"], cid)
    assert case_row.evaluation_id is not None
    pid = wdb.form_panel(
        s, case_id=cid, evaluation_id=case_row.evaluation_id, version=1, policy_ref="qa-starter@1.0.0",
        policy_sha256="0" * 64, created_by=u["coordinator"].id, actor="test",
        members=[wdb.NewMember(seated.id, "chair", False, False)],
    )
    wdb.declare(s, pid, seated.id, conflict="none", note=None, actor=seated.email)
    dcid = _decided_case(live, seated)  # decisions: a case decided with condition C1, chaired by seated
    tokens = {role: accounts.create_token(s, people[role].email, name="matrix", actor="test").secret
              for role in ROLES if role is not None}
    values = {"case_id": str(cid), "file_id": str(ev.id), "user_id": str(victim.id), "label": "C1"}
    # publication: a published decision (its routes are public) and the files it names
    from publication_helpers import decided

    from qa_engine.services import publication

    published = decided(s)["decision"].id
    publication.publish(s, u["coordinator"], published, setup=live.app.state.publication)
    values.update({"decision_id": str(published), "kind": "elm", "purpose": "revocation"})
    routes = _routes(live)
    # reads first, then writes (a write may change what a later read finds)
    routes.sort(key=lambda k: (k[0] != "GET", k[1]))
    failures = []
    for method, path in routes:
        vals = {**values, "file_id": str(ev2.id)} if path.endswith("/remove") else values
        if any(p in path for p in DECIDED_PATHS):
            vals = {**vals, "case_id": str(dcid)}
        url = re.sub(r"\{(\w+)\}", lambda m, v=vals: v[m.group(1)], path)
        for role in ROLES:
            c = live.client(headers={"Authorization": f"Bearer {tokens[role]}"} if role else {})
            kw: dict[str, Any] = {}
            if method == "POST":
                kw = _body(path)
            r = c.request(method, url, **kw)
            want = expected(RULES[(method, path)], role)
            got = r.status_code
            page = not path.startswith("/api/") and path != "/openapi.json"
            if want == 401 and page:
                ok = got == 303 and r.headers.get("location", "").startswith("/login")
            elif want == OK:
                to_login = got == 303 and r.headers.get("location", "").startswith("/login")
                ok = (got < 400 and (not to_login or path == "/logout")) or got in (409, 422)
            else:
                ok = got == want
            if not ok:
                failures.append(f"{method} {path} as {role}: got {got}, want {want}: {r.text[:120]}")
            c.close()
    assert not failures, "\n".join(failures)


def _decided_case(live: Live, chair: Any) -> int:
    """A case submitted, accepted, and decided (accredited with condition C1) on a panel
    that ``chair`` chairs, written through the store's workflow writers."""
    import datetime as _dt

    s, u = live.ws.store, live.ws.users
    cid = _case(live)
    submissions.submit(s, u["provider"], cid)
    submissions.screen(s, u["coordinator"], cid, "accept")
    row = submissions.get(s, u["coordinator"], cid)
    assert row.evaluation_id is not None and row.dossier_sha256 is not None
    pid = wdb.form_panel(s, case_id=cid, evaluation_id=row.evaluation_id, version=1, policy_ref="qa-starter@1.0.0",
                         policy_sha256="0" * 64, created_by=u["coordinator"].id, actor="test",
                         members=[wdb.NewMember(chair.id, "chair", False, False)])
    wdb.declare(s, pid, chair.id, conflict="none", note=None, actor=chair.email)
    report = s.get_report(row.evaluation_id)
    wdb.record_decision(s, {
        "case_id": cid, "panel_id": pid, "evaluation_id": row.evaluation_id, "version": 1,
        "dossier_sha256": row.dossier_sha256, "ruleset_sha256": report.ruleset.sha256,
        "rubric_sha256": report.rubric.sha256, "report_sha256": "e" * 64, "policy_sha256": "0" * 64,
        "outcome": "accredited_with_conditions", "decided_outcome": "accredited_with_conditions",
        "rationale": "matrix", "score_exact": "1/2", "score": 50.0, "criteria": [],
        "panel": [{"name": chair.name, "role": "chair", "external": False}],
        "valid_from": _dt.date(2026, 1, 1), "valid_until": _dt.date(2030, 12, 31), "decided_on": _dt.date(2026, 1, 1),
        "decided_by": u["coordinator"].id,
    }, [wdb.NewCondition("C1", ("ST-AS-01",), "assess every outcome", _dt.date(2026, 9, 1))], actor="test")
    return cid


def _body(path: str) -> dict[str, Any]:
    """A request the route accepts when the asker may make it (so that 'ok' is not a 422
    by accident)."""
    if path.endswith("/submissions"):
        data, name = upload("uni-data-analytics")
        return {"files": {"file": (name, data)}}
    if path.endswith("/versions"):
        data, name = upload("mooc-intro-ai")
        return {"files": {"file": (name, data)}}
    if path.endswith("/evidence"):
        import secrets

        return {"files": {"file": (f"m-{secrets.token_hex(4)}.txt", b"matrix\n")}}
    if path.endswith("/screen"):
        return {"data": {"outcome": "accept"}}
    if path.endswith("/decisions/{decision_id}/status"):
        return {"data": {"action": "suspend", "reason": "matrix"}}
    if path.endswith("/withdraw"):
        return {"data": {"reason": "matrix"}}
    if path.endswith("/users"):
        import secrets

        return {"data": {"email": f"m{secrets.token_hex(3)}@x.example", "role": "auditor", "password": PASSWORD}}
    if path.endswith("/organisations"):
        import secrets

        return {"data": {"slug": f"m-{secrets.token_hex(3)}", "name": "Matrix"}}
    if path == "/login":
        return {"data": {"email": "x@y.example", "password": "x"}}
    # review panels: a well-formed body, so the panel's own checks answer (not a 422)
    if path.endswith("/consolidation"):
        return {"json": {"criterion": "ST-AS-01", "state": "met", "reason": "matrix"}}
    if path.endswith("/reviews"):
        return {"json": {"criteria": []}}
    return {}
