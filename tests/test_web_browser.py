"""Every page of the web workspace in a real headless Chromium, signed in through the real
sign-in form of a real uvicorn server: no console errors (so no CSP violation), no request
leaving the server, axe-core with no serious or critical violations, and a screenshot of
each page in out/screenshots/web-*.png for a person to look at.

Needs what tests/test_browser.py needs (Chromium, playwright, axe-core); missing pieces skip
locally and fail under CI.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_browser import AXE, AXE_RUN, SCREENSHOTS, Watched, _missing, browser  # noqa: F401  (fixture)
from web_helpers import Live, live_server
from workspace_helpers import PASSWORD, upload

from qa_engine.services import accounts, submissions


@dataclass
class Site:
    live: Live
    draft: int  # a provider's draft with two versions and an evidence file
    sent: int  # a submitted case
    decided: int  # a case reviewed by a panel of three and decided with a condition


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    path = Path(tmp_path_factory.mktemp("web-browser")) / "qa.sqlite"
    with live_server(f"sqlite:///{path}") as lv:
        s, u = lv.ws.store, lv.ws.users
        draft = submissions.create_draft(s, u["provider"], *upload("mooc-intro-ai")).case.id
        submissions.add_version(s, u["provider"], draft, *upload("uni-data-analytics"))
        submissions.add_evidence(s, u["provider"], draft, b"minutes of the review board\n", "board-minutes.txt")
        sent = submissions.create_draft(s, u["provider"], *upload("bootcamp-web-dev")).case.id
        submissions.submit(s, u["provider"], sent)
        yield Site(lv, draft, sent, _decided(lv))


def _decided(lv: Live) -> int:
    """bootcamp-web-dev (qa-starter) through a panel of three to a decision with one
    condition, by the workflow services (tests/test_web_cycle.py does it by the pages)."""
    from qa_engine.services.workflow import service as wf
    from qa_engine.store import workflow as wdb

    s, u = lv.ws.store, lv.ws.users
    for key, name, external, chair in (("chair", "Ada Chair", False, True), ("ext", "Bo External", True, False),
                                       ("sme", "Cy Expert", False, False)):
        u[key] = accounts.add_user(s, f"{key}@reviewers.example", role="reviewer", password=PASSWORD, name=name,
                                   external=external, chair_qualified=chair, actor="test")
    cid = submissions.create_draft(s, u["provider"], *upload("bootcamp-web-dev"), ruleset="qa-starter").case.id
    submissions.submit(s, u["provider"], cid)
    submissions.screen(s, u["coordinator"], cid, "accept")
    panel = wf.form_panel(s, u["coordinator"], cid, [wf.Pick(u["chair"], chair=True), wf.Pick(u["ext"]),
                                                     wf.Pick(u["sme"], subject_matter=True)])
    for k in ("chair", "ext", "sme"):
        wf.declare(s, u[k], panel.id, conflict=False)
    wf.save_review(s, u["chair"], panel.id, [wf.JudgmentIn("ST-AS-01", "not_met", "LO4 is not assessed")], submit=True)
    for k in ("ext", "sme"):
        wf.save_review(s, u[k], panel.id, [], submit=True)
    wf.resolve_criterion(s, u["chair"], panel.id, "ST-AS-01", state="not_met", reason="one outcome is unassessed")
    wf.decide(s, u["coordinator"], panel.id, rationale="Sound; one outcome unassessed.",
              outcome="accredited_with_conditions", people=wdb.people(s),
              conditions=[wf.ConditionIn(("ST-AS-01",), "Assess every learning outcome.",
                                                  _dt.date.today() + _dt.timedelta(days=30))])
    return cid


def _pages(site: Site) -> list[tuple[str | None, str, str]]:
    """(role or None, path, name): every page a person opens, as the role who opens it."""
    draft, sent, decided = site.draft, site.sent, site.decided
    return [
        (None, "/login", "login"),
        ("provider", "/submissions", "submissions"),
        ("provider", "/submissions/new", "upload"),
        ("provider", f"/submissions/{draft}", "submission-draft"),
        ("provider", f"/submissions/{draft}/diff?a=1&b=2", "versions-diff"),
        ("coordinator", f"/submissions/{sent}", "submission-submitted"),
        ("coordinator", "/queue", "queue"),
        ("coordinator", "/dashboard", "dashboard"),
        ("auditor", "/audit", "audit"),
        ("auditor", "/rulesets/diff?a=eu-microcredential@1.0.0&b=eu-microcredential@1.1.0", "ruleset-diff"),
        ("admin", "/admin", "admin"),
        ("chair", "/reviews", "my-reviews"),
        ("chair", f"/submissions/{decided}/reviews", "review"),
        ("coordinator", f"/submissions/{decided}/consolidation", "consolidation"),
        ("provider", f"/submissions/{decided}/decision", "decision"),
        ("coordinator", "/due", "due"),
    ]


PAGE_IDS = ("login", "submissions", "upload", "submission-draft", "versions-diff",
            "submission-submitted", "queue", "dashboard", "audit", "ruleset-diff", "admin",
            "my-reviews", "review", "consolidation", "decision", "due")


#: what a person must find on a page (its content, not only its frame)
SHOWS: dict[str, tuple[str, ...]] = {
    "submissions": ("Applied Data Analytics with Python", "accredited with conditions"),
    "submission-draft": ("board-minutes.txt", "Submit for accreditation", "uni-data-analytics.yaml"),
    "submission-submitted": ("Accept for review", "Return as ineligible"),
    "versions-diff": ("What changed from version 1 to 2", "ST-AS-04"),
    "queue": ("Full-Stack Web Development Bootcamp", "submitted"),
    "dashboard": ("Criteria not met most often", "ST-QA-01"),
    "audit": ("The audit chain is intact",),
    "ruleset-diff": ("EU-06", "The credential states the learning outcomes", "changed"),
    "admin": ("Add an account",),
    "my-reviews": ("Full-Stack Web Development Bootcamp", "declared none", "submitted"),
    "review": ("You submitted your review", "The other reviewers' judgments", "Bo External"),
    "consolidation": ("Nothing is left open", "Resolved by Ada Chair as not met"),
    "decision": ("Outcome: Accredited with conditions", "Assess every learning outcome.", "Decision letter"),
    "due": ("Full-Stack Web Development Bootcamp", "condition C1", "Assess every learning outcome."),
}


def _sign_in(live: Live, ctx: Any, role: str) -> None:
    """Through the form, as a person would (cookies, CSRF and the redirect included)."""
    w = Watched(ctx)
    w.page.goto(live.url + "/login")
    w.page.fill("#email", live.ws.users[role].email)
    w.page.fill("#password", PASSWORD)
    w.page.click("button[type=submit]")
    w.page.wait_for_load_state("load")
    assert urlsplit(w.page.url).path != "/login", w.page.content()[:500]
    assert w.errors == []
    w.page.close()


@pytest.mark.parametrize("name", PAGE_IDS)
def test_each_page_loads_cleanly_passes_axe_and_is_photographed(name: str, site: Site, browser: Any) -> None:  # noqa: F811
    if not AXE.exists():
        _missing(f"axe-core at {AXE} (npm install --prefix .cache/npm axe-core@4)")
    live = site.live
    role, path, _ = next(p for p in _pages(site) if p[2] == name)
    # first as served: the server's CSP in force, every console message and request watched
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        if role is not None:
            _sign_in(live, ctx, role)
        w = Watched(ctx)
        resp = w.page.goto(live.url + path, wait_until="load")
        assert resp is not None and resp.status == 200, (resp.status if resp else None, w.page.content()[:800])
        assert urlsplit(w.page.url).path == urlsplit(path).path  # not bounced to the sign-in page
        assert w.errors == [], w.errors
        foreign = [u for u in w.requests if not u.startswith(live.url)]
        assert foreign == [], f"requests leaving the server: {foreign}"
        assert w.page.locator("h1").count() >= 1 and w.page.locator("main").count() == 1
        shown = w.page.locator("main").inner_text()  # the embedded report is a frame: not in it
        for text in SHOWS.get(name, ()):
            assert text in shown, f"{name}: {text!r} is not on the page"
        assert not [code for code in ("accredited_with_conditions", "not_accredited", "in_review", "not_met", "partially_met")
                    if code in shown], "a state or decision shown as its id, not in words"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        w.page.screenshot(path=str(SCREENSHOTS / f"web-{name}.png"), full_page=True)
        cookies = ctx.cookies()
    finally:
        ctx.close()
    # then axe, injected by the test alone (the page's CSP forbids foreign scripts)
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        ctx.add_cookies(cookies)
        page = ctx.new_page()
        page.goto(live.url + path, wait_until="load")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(AXE_RUN)
    finally:
        ctx.close()
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"axe {result['version']} on {path}: {serious}"


def test_every_page_route_is_photographed(site: Site) -> None:
    """A new HTML page must be added above: every GET page route without path parameters
    (or with the ones the fixture fills) is in the list."""
    import re

    from fastapi.routing import APIRoute
    from starlette.routing import Route

    # as route patterns: a case's id back to {case_id}
    listed = {re.sub(r"^/submissions/\d+", "/submissions/{case_id}", urlsplit(p).path) for _, p, _ in _pages(site)}
    assert [n for _, _, n in _pages(site)] == list(PAGE_IDS)
    pages: set[str] = set()

    def walk(routes: Any) -> None:
        for r in routes:
            if isinstance(r, APIRoute | Route) and "GET" in (r.methods or ()):
                p = r.path
                if p.startswith("/api/") or p.startswith("/static") or p in ("/openapi.json", "/healthz"):
                    continue
                if p == "/" or p.endswith("/report") or "/evidence/" in p or p.endswith("/letter"):
                    continue  # the start redirect, a report (test_browser.py) and downloads
                pages.add(p)
            elif (ctx := getattr(r, "include_context", None)) is not None:
                walk(ctx.included_router.routes)

    walk(site.live.app.routes)
    assert pages and pages <= listed, sorted(pages - listed)
