"""Every page of the web workspace in a real headless Chromium, signed in through the real
sign-in form of a real uvicorn server: no console errors (so no CSP violation), no request
leaving the server, axe-core with no serious or critical violations, and a screenshot of
each page in out/screenshots/web-*.png for a person to look at.

Needs what tests/test_browser.py needs (Chromium, playwright, axe-core); missing pieces skip
locally and fail under CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_browser import AXE, AXE_RUN, SCREENSHOTS, Watched, _missing, browser  # noqa: F401  (fixture)
from web_helpers import Live, live_server
from workspace_helpers import PASSWORD, upload

from qa_engine.services import submissions


@dataclass
class Site:
    live: Live
    draft: int  # a provider's draft with two versions and an evidence file
    sent: int  # a submitted case
    ready: int = 0  # in review, no panel yet (the coordinator's panel form)
    judged: int = 0  # a panel whose three members submitted; ST-AS-01 left open for the chair
    judging: int = 0  # a panel whose chair has not declared yet and whose expert drafts
    dready: int = 0  # decisions: a case its panel has reviewed, ready for the decision form
    decided: int = 0  # decisions: decided with condition C1, one amendment not yet meeting it
    decision: int = 0  # a published decision (publication)
    short: int = 0  # a panel a member left with a declared conflict (the form to seat another)


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
        panels = _panels(lv)
        dcases = _decision_cases(lv)
        from publication_helpers import decided

        from qa_engine.services import publication

        decision = decided(s)["decision"].id
        publication.publish(s, u["coordinator"], decision, setup=lv.app.state.publication)
        yield Site(lv, draft, sent, *panels, *dcases, decision=decision, short=_short(lv))


def _panels(lv: Live) -> tuple[int, int, int]:
    """Review panels: reviewers with their flags, three cases in review (see Site)."""
    from qa_engine.services import accounts
    from qa_engine.services.workflow import service as wf

    s, u = lv.ws.store, lv.ws.users
    for key, name, external, chair in (("chair", "Ada Chair", False, True), ("ext", "Bo External", True, False),
                                       ("sme", "Cy Expert", False, False)):
        u[key] = accounts.add_user(s, f"{key}@reviewers.example", role="reviewer", password=PASSWORD, name=name,
                                   external=external, chair_qualified=chair, actor="test")
    cases = []
    for _ in range(3):
        cid = submissions.create_draft(s, u["provider"], *upload("bootcamp-web-dev")).case.id
        submissions.submit(s, u["provider"], cid)
        submissions.screen(s, u["coordinator"], cid, "accept")
        cases.append(cid)
    ready, judged, judging = cases
    picks = [wf.Pick(u["chair"], chair=True), wf.Pick(u["ext"]), wf.Pick(u["sme"], subject_matter=True)]
    p1 = wf.form_panel(s, u["coordinator"], judged, picks)
    for k in ("chair", "ext", "sme"):
        wf.declare(s, u[k], p1.id, conflict=False)
    wf.save_review(s, u["chair"], p1.id, [wf.JudgmentIn("ST-AS-01", "not_met", "LO3 and LO4 have no assessment")],
                   comment="A sound programme with gaps in assessment.", submit=True)
    wf.save_review(s, u["ext"], p1.id, [wf.JudgmentIn("ST-CU-03", "partially_met", "module 3 lists no hours",
                                                      "see the handbook")], submit=True)
    wf.save_review(s, u["sme"], p1.id, [], submit=True)
    p2 = wf.form_panel(s, u["coordinator"], judging, picks)
    wf.declare(s, u["sme"], p2.id, conflict=False)
    wf.save_review(s, u["sme"], p2.id, [wf.JudgmentIn("ST-QA-02", "partially_met", "an annual review exists")],
                   comment="Draft: to finish")
    return ready, judged, judging


def _short(lv: Live) -> int:
    """A case whose panel lost its subject-matter expert to a declared conflict."""
    from qa_engine.services.workflow import service as wf

    s, u = lv.ws.store, lv.ws.users
    cid = submissions.create_draft(s, u["provider"], *upload("bootcamp-web-dev")).case.id
    submissions.submit(s, u["provider"], cid)
    submissions.screen(s, u["coordinator"], cid, "accept")
    p = wf.form_panel(s, u["coordinator"], cid, [wf.Pick(u["chair"], chair=True), wf.Pick(u["ext"]),
                                                 wf.Pick(u["sme"], subject_matter=True)])
    wf.declare(s, u["sme"], p.id, conflict=True, note="I wrote part of the curriculum")
    return cid


def _decision_cases(lv: Live) -> tuple[int, int]:
    """Decisions' pages: a reviewed case (the form) and a decided one with an amendment."""
    import datetime as _dt

    from test_web_decisions import make_panel_people, reviewed_case
    from workspace_helpers import EXAMPLES

    from qa_engine.formats.loader import dump_dossier_yaml, load_dossier
    from qa_engine.services.workflow import service as wf
    from qa_engine.store import workflow as wdb

    s, u = lv.ws.store, lv.ws.users
    who = make_panel_people(s)
    ready, _p = reviewed_case(lv, who)
    decided, pid = reviewed_case(lv, who)
    wf.decide(s, u["coordinator"], pid, rationale="Sound programme; two learning outcomes are not assessed.",
              outcome="accredited_with_conditions", people=wdb.people(s),
              conditions=[wf.ConditionIn(("ST-AS-01",), "Assess every learning outcome.",
                                         _dt.date.today() + _dt.timedelta(days=60))])
    d = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    renamed = d.model_copy(update={"title": "Full-Stack Web Development Bootcamp (2027)"})
    up = submissions.read_upload(dump_dossier_yaml(renamed).encode(), "renamed.yaml")
    wf.amend(s, u["provider"], wdb.decisions(s, case_id=decided)[-1].id, up.dossier, file=up.filename)
    return ready, decided


def _pages(site: Site) -> list[tuple[str | None, str, str]]:
    """(role or None, path, name): every page a person opens, as the role who opens it."""
    draft, sent = site.draft, site.sent
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
        # review panels
        ("coordinator", f"/submissions/{site.ready}", "submission-panel-form"),
        ("coordinator", f"/submissions/{site.judged}", "submission-panel"),
        ("coordinator", f"/submissions/{site.short}", "submission-panel-replace"),
        ("chair", "/reviews", "my-reviews"),
        ("chair", f"/submissions/{site.judging}/reviews", "review-declaration"),
        ("sme", f"/submissions/{site.judging}/reviews", "review-form"),
        ("chair", f"/submissions/{site.judged}/reviews", "review-submitted"),
        ("coordinator", f"/submissions/{site.judged}/reviews", "reviews-staff"),
        ("chair", f"/submissions/{site.judged}/consolidation", "consolidation-chair"),
        # decisions (routes/decisions.py)
        ("provider", f"/submissions/{draft}/decision", "decision-none"),
        ("coordinator", f"/submissions/{site.dready}/decision", "decision-form"),
        ("provider", f"/submissions/{site.decided}/decision", "decision"),
        ("coordinator", "/due", "due"),
        # publication
        ("coordinator", "/publication", "publication"),
        (None, "/register", "register"),
        (None, "/register?at=2040-01-01", "register-expired"),
        (None, f"/decisions/{site.decision}", "register-decision"),
    ]


PAGE_IDS = ("login", "submissions", "upload", "submission-draft", "versions-diff",
            "submission-submitted", "queue", "dashboard", "audit", "ruleset-diff", "admin",
            "submission-panel-form", "submission-panel", "submission-panel-replace", "my-reviews", "review-declaration", "review-form",
            "review-submitted", "reviews-staff", "consolidation-chair",
            "decision-none", "decision-form", "decision", "due",
            "publication", "register", "register-expired", "register-decision")


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
    "submission-panel-form": ("Form the panel", "Bo External", "qualified to chair"),
    "submission-panel": ("Members of panel", "declared none", "Consolidation"),
    "submission-panel-replace": ("declared a conflict (off the panel)", "I wrote part of the curriculum",
                                 "Replace the member who declared a conflict", "Seat this reviewer"),
    "my-reviews": ("My reviews", "declare first", "Full-Stack Web Development Bootcamp"),
    "review-declaration": ("I have no conflict of interest with Open Campus", "Declare"),
    "review-form": ("Save draft", "Submit review", "ST-AS-01", "rule: unanimous", "agree with the machine"),
    "review-submitted": ("The other reviewers' judgments", "module 3 lists no hours", "Bo External"),
    "reviews-staff": ("LO3 and LO4 have no assessment", "module 3 lists no hours"),
    "consolidation-chair": ("Left open by the consensus rule", "Resolve ST-AS-01", "LO3 and LO4 have no assessment",
                            "module 3 lists no hours"),
    "decision-none": ("There is no decision on this submission yet",),
    "decision-form": ("Record the decision", "Add a condition row", "Condition 3: due date"),
    "decision": ("Outcome: Accredited with conditions", "not yet", "What changed from the decided version 1 to version 2"),
    "due": ("Full-Stack Web Development Bootcamp", "condition C1", "Assess every learning outcome."),
    "publication": ("Full-Stack Web Development Bootcamp", "CodeHarbour Academy", "Apply", "published"),
    "register": ("In force (1)", "Full-Stack Web Development Bootcamp", "Accredited with conditions", "CodeHarbour Academy"),
    "register-expired": ("In force (0)", "Expired"),
    "register-decision": ("Accredited with conditions: Full-Stack Web Development Bootcamp", "Assess every learning outcome.",
                          "credential.json", "ELM v3 accreditation"),
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

    # a submission's pages are listed for one case or another: compare them by route
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
                if p.endswith((".json", ".atom")):
                    continue  # downloads and feeds (test_web_publication.py)
                pages.add(p.replace("{decision_id}", str(site.decision)))
            elif (ctx := getattr(r, "include_context", None)) is not None:
                walk(ctx.included_router.routes)

    walk(site.live.app.routes)
    assert pages and pages <= listed, sorted(pages - listed)
