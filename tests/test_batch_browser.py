"""The batch dashboard in the real headless Chromium of the audit-report browser tests:
no network request, no console error, working relative links, axe-core with no
serious or critical violation."""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import AS_OF, EXAMPLES, write_broken
from test_browser import SCREENSHOTS, Watched, browser, serious_axe_violations  # noqa: F401  (fixture)

from qa_engine.services.batch import run_batch


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dash")
    shutil.copytree(EXAMPLES, root / "in" / "examples")
    write_broken(root / "in" / "broken")
    res = run_batch(
        [root / "in"], out=root / "out", db=str(root / "qa.sqlite"),
        as_of=_dt.date.fromisoformat(AS_OF), workers=2,
    )
    assert res.evaluated >= 3 and res.rejected == 3
    return res.dashboard


@pytest.fixture
def context(browser: Any) -> Any:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def test_dashboard_loads_offline_and_links_work(dashboard: Path, context: Any) -> None:
    url = dashboard.resolve().as_uri()
    w = Watched(context)
    page = w.page
    page.goto(url, wait_until="load")
    assert w.errors == []
    assert w.requests == [url], f"unexpected requests: {w.requests}"
    assert page.title().startswith("Batch review:")
    assert "rejected" in page.locator("h1").inner_text()
    rows = page.locator("#dossiers tbody tr")
    n = rows.count()
    assert n >= 3
    assert page.locator("#rejected tbody tr").count() == 3
    assert page.locator("#scores svg.chart").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    # a row's link opens that dossier's audit report, relative to the folder
    page.get_by_role("link", name="mooc-intro-ai", exact=True).click()
    page.wait_for_load_state("load")
    assert page.url == (dashboard.parent / "reports" / "mooc-intro-ai.html").resolve().as_uri()
    assert page.title().startswith("Audit report:")
    assert w.errors == []
    assert all(r.startswith("file://") for r in w.requests)


def test_dashboard_axe_no_serious_violations(dashboard: Path, browser: Any) -> None:  # noqa: F811
    version, bad = serious_axe_violations(browser, dashboard.resolve().as_uri())
    assert bad == [], f"axe-core {version}: {bad}"


def test_large_folder_dashboard_in_the_browser(
    dashboard: Path, browser: Any, context: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The page of a folder above the row limit (here 2): only dossiers that do not pass,
    the first rejections, what is left out said in words, summary.csv one click away;
    offline, no console error, axe clean."""
    from qa_engine.services.batch import dashboard as dash
    from qa_engine.services.batch.records import OutputFolder
    from qa_engine.services.check import resolve

    out = tmp_path / "out"
    shutil.copytree(dashboard.parent, out)
    monkeypatch.setattr(dash, "DASHBOARD_ROWS", 2)
    with OutputFolder(out) as folder:
        index, _ = dash.write_dashboard(folder, resolve(as_of=_dt.date.fromisoformat(AS_OF)))
    url = index.resolve().as_uri()
    w = Watched(context)
    page = w.page
    page.goto(url, wait_until="load")
    assert w.errors == [] and w.requests == [url]
    assert page.locator("#dossiers tbody tr").count() == 2
    assert page.locator("#rejected tbody tr").count() == 2
    lead = page.locator("#dossiers p.lead").last.inner_text()
    assert "that do not pass" in lead and "summary.csv has a row for every file" in lead
    assert all("does not pass" in t for t in page.locator("#dossiers tbody tr td:nth-child(3)").all_inner_texts())
    page.screenshot(path=str(SCREENSHOTS / "dashboard-large-folder.png"), full_page=True)
    version, bad = serious_axe_violations(browser, url)
    assert bad == [], f"axe-core {version}: {bad}"
    href = page.locator("#dossiers a[href='summary.csv']").get_attribute("href")
    assert href == "summary.csv" and (out / href).is_file()
