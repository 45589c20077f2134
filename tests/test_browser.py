"""The HTML audit report in a real headless Chromium (Debian's /usr/bin/chromium) driven
by Playwright: no console errors, no network requests, working filters, the print
view, and axe-core with no serious or critical violations.

Needs /usr/bin/chromium (`apt-get install chromium`), the playwright package (test
extras; its own browser download is NOT used) and axe-core in .cache/npm (`make test`
installs it with npm). Missing pieces skip these tests locally and fail them when the
environment variable CI is set. Screenshots go to out/screenshots/.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa_engine.render.html import render_html
from qa_engine.services.check import check_file, resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.stem for p in (ROOT / "examples" / "dossiers").glob("*.yaml"))
CHROMIUM = Path(os.environ.get("QA_ENGINE_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "out" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
FINDINGS = {"not_met", "partially_met", "unknown", "error"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(what: str) -> None:
    if _in_ci():
        pytest.fail(f"{what} is missing, and CI is set: install it (see .ci/run and the Makefile test target)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _missing(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Any]]:
    """Each example's HTML report as a file: name -> (file URL, report)."""
    folder = tmp_path_factory.mktemp("html")
    setup = resolve(as_of=_dt.date(2026, 1, 1), engine="python")
    out: dict[str, tuple[str, Any]] = {}
    for name in EXAMPLES:
        report = check_file(setup, ROOT / "examples" / "dossiers" / f"{name}.yaml")
        path = folder / f"{name}.html"
        path.write_text(render_html(report), encoding="utf-8")
        out[name] = (path.as_uri(), report)
    return out


class Watched:
    """A page with its console errors, page errors and every request recorded."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield ctx
    finally:
        ctx.close()


def visible_items(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "[data-filter-item]",
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => ({id: e.id, state: e.dataset.state, area: e.dataset.area}))",
    )


@pytest.mark.parametrize("name", EXAMPLES)
def test_loads_offline_without_errors(name: str, reports: dict[str, Any], context: Any) -> None:
    url, report = reports[name]
    w = Watched(context)
    w.page.goto(url, wait_until="load")
    assert w.errors == []  # includes CSP violations: the inline style and script match their hashes
    assert w.requests == [url], f"unexpected requests: {w.requests}"
    page = w.page
    assert page.title().startswith("Audit report:")
    assert page.locator("h1").inner_text() == (report.dossier.title or report.dossier.id)
    banner = page.locator(".banner").inner_text()
    assert report.decision_label in banner and ("does not pass" in banner) is (not report.passed)
    # the script ran: filters shown, status written, every criterion visible
    assert page.locator("#filters").is_visible()
    n = len(report.criteria)
    assert page.locator("#filter-status").inner_text() == f"Showing {n} of {n} criteria."
    assert len(visible_items(page)) == n
    # the chart is drawn with a bar per area
    assert page.locator("svg.chart g").count() == len(report.areas)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-top.png"))
    assert w.requests == [url]


@pytest.mark.parametrize("name", EXAMPLES)
def test_filters_by_state_and_area(name: str, reports: dict[str, Any], context: Any) -> None:
    url, report = reports[name]
    w = Watched(context)
    page = w.page
    page.goto(url)
    states = list(report.counts)
    # uncheck every state but one: only criteria in that state stay visible
    keep = states[0]
    for s in states[1:]:
        page.locator(f"#filters input[name=state][value={s}]").uncheck()
    shown = visible_items(page)
    assert shown and {i["state"] for i in shown} == {keep}
    assert len(shown) == report.counts[keep]
    assert page.locator("#filter-status").inner_text().startswith(f"Showing {report.counts[keep]} of")
    # "Only findings" and "Show all"
    page.get_by_role("button", name="Only findings").click()
    shown = visible_items(page)
    expected = [c.id for c in report.criteria if c.state in FINDINGS]
    assert sorted(i["id"].removeprefix("crit-") for i in shown) == sorted(expected)
    page.get_by_role("button", name="Show all").click()
    assert len(visible_items(page)) == len(report.criteria)
    # an area: only its criteria; a group without visible criteria hides
    area = report.criteria[0].area
    page.select_option("#filter-area", area)
    shown = visible_items(page)
    assert shown and {i["area"] for i in shown} == {area}
    assert len(shown) == sum(1 for c in report.criteria if c.area == area)
    for group in page.locator("[data-filter-group]").all():
        has_visible = group.locator("[data-filter-item]:visible").count() > 0
        assert group.is_visible() is has_visible
    page.select_option("#filter-area", "")
    assert len(visible_items(page)) == len(report.criteria)
    if name == "bootcamp-web-dev":
        page.get_by_role("button", name="Only findings").click()
        page.screenshot(path=str(SCREENSHOTS / f"{name}-findings.png"), full_page=True)
    assert w.errors == [] and w.requests == [url]


def test_without_javascript_everything_shows(browser: Any, reports: dict[str, Any]) -> None:
    url, report = reports["bootcamp-web-dev"]
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(url)
        assert not page.locator("#filters").is_visible()
        assert page.locator("[data-filter-item]:visible").count() == len(report.criteria)
        assert page.locator("#fixes table").is_visible() and page.locator("svg.chart").is_visible()
    finally:
        ctx.close()


def test_print_view(context: Any, reports: dict[str, Any]) -> None:
    url, report = reports["mooc-intro-ai"]
    page = context.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert not page.locator("nav.toc").is_visible()
    # criteria never break across pages, and closed details print their evidence
    assert page.eval_on_selector(".criterion", "e => getComputedStyle(e).breakInside") == "avoid"
    passing = next(c for c in report.criteria if c.state in ("met", "exemplary"))
    assert page.locator(f"#crit-{passing.id} table.evidence").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


AXE_RUN = (
    "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
    " return {version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
    " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))}; }"
)


def serious_axe_violations(browser: Any, url: str) -> tuple[str, list[dict[str, Any]]]:
    """Open ``url`` and run axe-core in it; (axe version, serious or critical violations).

    The reports' CSP forbids any script but their own: axe is injected by the test only.
    """
    if not AXE.exists():
        _missing(f"axe-core at {AXE} (npm install --prefix .cache/npm axe-core@4)")
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(url)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(AXE_RUN)
    finally:
        ctx.close()
    return result["version"], [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", EXAMPLES)
def test_axe_finds_no_serious_violations(name: str, browser: Any, reports: dict[str, Any]) -> None:
    if not AXE.exists():
        _missing(f"axe-core at {AXE} (npm install --prefix .cache/npm axe-core@4)")
    url, _ = reports[name]
    # the report's CSP forbids any script but its own; axe is injected by the test only
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(url)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return {version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
            " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))}; }"
        )
        # also with the filters in use and every <details> open
        page.get_by_role("button", name="Only findings").click()
        page.eval_on_selector_all("details", "ds => ds.forEach(d => d.open = true)")
        again = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']}))"
            ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help}))"
        )
    finally:
        ctx.close()
    bad = [v for v in result["violations"] + again if v["impact"] in ("serious", "critical")]
    assert bad == [], f"axe-core {result['version']}: {bad}"
    minor = sorted({f"{v['id']} ({v['impact']})" for v in result["violations"] + again})
    print(f"axe-core {result['version']} on {name}: no serious/critical; other: {minor or 'none'}")


def test_multi_ruleset_report_offline_and_accessible(browser: Any, tmp_path: Path) -> None:
    """The multi-ruleset report with its coverage matrix: no errors, no requests, and axe
    finds nothing serious."""
    from qa_engine.formats.loader import load_dossier
    from qa_engine.render.multi import render_multi_html
    from qa_engine.rules.crosswalks import Crosswalks
    from qa_engine.rules.registry import Registry
    from qa_engine.services.multi import check_multi

    reg = Registry()
    setups = [resolve(ruleset=r, as_of=_dt.date(2026, 7, 1), registry=reg, engine="python")
              for r in ("eu-microcredential@1.1.0", "quality-review@1.1.0", "nzqa-microcredential@1.0.0")]
    m = check_multi(setups, load_dossier(ROOT / "examples" / "dossiers" / "nz-barista-skills.yaml"), Crosswalks(reg))
    path = tmp_path / "multi.html"
    path.write_text(render_multi_html(m), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        w = Watched(ctx)
        w.page.goto(path.as_uri())
        assert w.page.get_by_role("heading", name="Coverage matrix").is_visible()
        assert w.errors == [] and [u for u in w.requests if not u.startswith("file:")] == []
    finally:
        ctx.close()
    if not AXE.exists():
        _missing(f"axe-core at {AXE} (npm install --prefix .cache/npm axe-core@4)")
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(path.as_uri())
        page.eval_on_selector_all("details", "ds => ds.forEach(d => d.open = true)")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        bad = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']}))"
            ".violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
    finally:
        ctx.close()
    assert bad == [], bad
