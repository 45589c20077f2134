"""The workspace's main way through, as people walk it in a real headless Chromium against
a real uvicorn: a provider signs in through the form, uploads a dossier through the upload
form, sees the self-check report embedded and submits; a coordinator signs in, finds it in
the queue and accepts it for review; the other organisation's provider gets 404 for its
page. Each step: no console error (so no CSP violation), no request leaving the server,
axe-core with no serious or critical violation, and a screenshot in
out/screenshots/flow-*.png for a person to look at.

Needs what tests/test_browser.py needs (Chromium, playwright, axe-core); missing pieces skip
locally and fail under CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_browser import AXE, AXE_RUN, SCREENSHOTS, Watched, _missing, browser  # noqa: F401  (fixture)
from web_helpers import Live, live_server
from workspace_helpers import EXAMPLES, PASSWORD

TITLE = "Introduction to Artificial Intelligence"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    path = Path(tmp_path_factory.mktemp("web-flow")) / "qa.sqlite"
    with live_server(f"sqlite:///{path}") as lv:
        yield lv


class Person:
    """One person's browser: a context of their own, the page they look at, and the axe
    and screenshot of each step."""

    def __init__(self, browser: Any, live: Live) -> None:  # noqa: F811
        self.browser, self.live = browser, live
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        self.w = Watched(self.ctx)
        self.page = self.w.page
        self.failed: list[str] = []
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def step(self, name: str, *, status: int = 200) -> None:
        """What the page shows now is clean, passes axe and is photographed."""
        self.page.wait_for_load_state("load")
        errors, failed = self.w.errors, self.failed
        if status != 200:  # the page's own status, as the browser reports it: nothing else
            assert failed == [f"{status} {self.page.url}"], (name, failed)
            errors = [e for e in errors if f"status of {status}" not in e]
            failed = []
        assert errors == [] and failed == [], (name, errors, failed)
        foreign = [u for u in self.w.requests if not u.startswith(self.live.url)]
        assert foreign == [], f"{name}: requests leaving the server: {foreign}"
        assert self.page.locator("h1").count() >= 1 and self.page.locator("main").count() == 1, name
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"flow-{name}.png"), full_page=True)
        # axe in a second context of the same person (the page's CSP forbids the test's script)
        ax = self.browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        try:
            ax.add_cookies(self.ctx.cookies())
            page = ax.new_page()
            resp = page.goto(self.page.url, wait_until="load")
            assert resp is not None and resp.status == status, (name, resp.status if resp else None)
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(AXE_RUN)
        finally:
            ax.close()
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"axe {result['version']} on step {name} ({self.page.url}): {serious}"

    def sign_in(self, who: str, name: str | None = None) -> None:
        self.page.goto(self.live.url + "/login")
        if name:
            self.step(name)
        self.page.fill("#email", self.live.ws.users[who].email)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("load")
        assert urlsplit(self.page.url).path != "/login", self.page.content()[:500]

    def main_text(self) -> str:
        return str(self.page.locator("main").inner_text())

    def close(self) -> None:
        self.ctx.close()


def test_provider_uploads_and_submits_coordinator_screens_other_org_sees_nothing(live: Live, browser: Any) -> None:  # noqa: F811
    if not AXE.exists():
        _missing(f"axe-core at {AXE} (npm install --prefix .cache/npm axe-core@4)")
    # -- the provider
    pia = Person(browser, live)
    try:
        pia.sign_in("provider", "1-login")
        assert urlsplit(pia.page.url).path == "/submissions"
        pia.page.goto(live.url + "/submissions/new")
        pia.page.set_input_files("#file", str(EXAMPLES / "mooc-intro-ai.yaml"))
        pia.page.select_option("#ruleset", "qa-starter")
        pia.step("2-upload-form")
        pia.page.click("main button[type=submit]")
        pia.page.wait_for_load_state("load")
        m = re.fullmatch(r"/submissions/(\d+)", urlsplit(pia.page.url).path)
        assert m, pia.page.url
        cid = int(m.group(1))
        text = pia.main_text()
        assert TITLE in text and "draft" in text and "Submit for accreditation" in text, text[:800]
        # the report is embedded: the frame shows the self-check of this dossier
        frame = pia.page.frame_locator("iframe.report")
        frame.locator("h1").first.wait_for()
        assert TITLE in frame.locator("body").inner_text()
        pia.step("3-draft-with-report")
        pia.page.get_by_role("button", name="Submit for accreditation").click()
        pia.page.wait_for_load_state("load")
        assert urlsplit(pia.page.url).path == f"/submissions/{cid}"
        text = pia.main_text()
        assert "submitted" in text and "Submit for accreditation" not in text, text[:800]
        pia.step("4-submitted")
    finally:
        pia.close()

    # -- the coordinator
    cora = Person(browser, live)
    try:
        cora.sign_in("coordinator")
        cora.page.goto(live.url + "/queue")
        row = cora.page.locator("main tbody tr", has_text=TITLE)
        assert row.count() == 1 and "submitted" in row.inner_text()
        cora.step("5-queue")
        row.get_by_role("link", name=TITLE).click()
        cora.page.wait_for_load_state("load")
        assert urlsplit(cora.page.url).path == f"/submissions/{cid}"
        cora.step("6-screening")
        cora.page.get_by_role("button", name="Accept for review").click()
        cora.page.wait_for_load_state("load")
        assert urlsplit(cora.page.url).path == f"/submissions/{cid}"
        text = cora.main_text()
        assert "in review" in text and "Accept for review" not in text, text[:800]
        # no button without a route behind it (a decision is made with the review commands)
        assert cora.page.locator("main form button", has_text="decide").count() == 0
        assert "accept → in review by" in text
        cora.step("7-in-review")
    finally:
        cora.close()

    # -- the other organisation's provider: as if it did not exist
    nils = Person(browser, live)
    try:
        nils.sign_in("provider2")
        assert TITLE not in nils.main_text()
        resp = nils.page.goto(live.url + f"/submissions/{cid}")
        assert resp is not None and resp.status == 404
        assert TITLE not in nils.page.content()
        nils.step("8-other-organisation-404", status=404)
    finally:
        nils.close()
