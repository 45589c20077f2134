"""The bundled eu-microcredential 1.0.0 -> 1.1.0 diff: its real change, its impact on the
example corpus, and the HTML diff report in the real browser (no network, no console
errors, axe-core clean)."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_browser import Watched, browser, serious_axe_violations  # noqa: F401  (fixture)

from qa_engine.cli import cli
from qa_engine.render.diff_html import render_diff_html
from qa_engine.services.check import resolve
from qa_engine.services.diff import diff

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "dossiers"
AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def eu_diff() -> Any:
    a = resolve(ruleset="eu-microcredential@1.0.0", as_of=AS_OF, engine="python")
    b = resolve(ruleset="eu-microcredential@1.1.0", as_of=AS_OF, engine="python")
    return diff(a, b, corpus=[CORPUS])


def test_eu_diff_shows_the_tightened_criteria(eu_diff: Any) -> None:
    by = {c.criterion: c for c in eu_diff.changes}
    assert set(by) == {"EU-06", "EU-07"}
    assert all(c.kind == "changed" for c in by.values())
    assert "levels.met" in {f.field for f in by["EU-07"].fields}
    assert "levels.met" in {f.field for f in by["EU-06"].fields}
    assert eu_diff.rubric_changes == []


def test_eu_diff_impact_on_the_corpus(eu_diff: Any) -> None:
    imp = eu_diff.impact
    assert imp.summary.dossiers == len(list(CORPUS.glob("*.yaml")))
    changed = [r for r in imp.dossiers if r.decision_before != r.decision_after]
    assert len(changed) >= 2 and imp.summary.worsened == len(changed)  # 1.1.0 only tightens
    for r in imp.dossiers:
        assert sum((Fraction(c.score_contribution_exact) for c in r.criteria), Fraction(0)) == Fraction(r.score_delta_exact)
        for c in r.criteria:
            if c.state_before != c.state_after:
                assert c.id in ("EU-06", "EU-07")


def test_eu_diff_cli_formats(tmp_path: Path) -> None:
    base = ["diff", "eu-microcredential@1.0.0", "eu-microcredential@1.1.0", "--corpus", str(CORPUS), "--as-of", "2026-01-01"]
    res = CliRunner().invoke(cli, base, catch_exceptions=False)
    assert res.exit_code == 0 and "EU-07" in res.stdout and "change decision" in res.stdout
    res = CliRunner().invoke(cli, [*base, "-f", "json"], catch_exceptions=False)
    doc = json.loads(res.stdout)
    assert doc["from"]["sha256"] != doc["to"]["sha256"]
    assert {"changes", "rubric_changes", "impact"} <= set(doc)
    out = tmp_path / "diff.html"
    res = CliRunner().invoke(cli, [*base, "-f", "html", "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0
    html = out.read_text()
    assert "EU-07" in html and "decision changed" in html
    # same inputs, same bytes
    out2 = tmp_path / "diff2.html"
    CliRunner().invoke(cli, [*base, "-f", "html", "-o", str(out2)], catch_exceptions=False)
    assert out2.read_bytes() == out.read_bytes()


def test_diff_html_in_the_browser(eu_diff: Any, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "diff.html"
    path.write_text(render_diff_html(eu_diff), encoding="utf-8")
    url = path.as_uri()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        w = Watched(ctx)
        w.page.goto(url, wait_until="load")
        assert w.errors == [] and w.requests == [url]
        assert "eu-microcredential@1.0.0" in w.page.locator("h1").inner_text()
        shots = ROOT / "out" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        w.page.screenshot(path=str(shots / "diff-eu.png"), full_page=True)
    finally:
        ctx.close()
    version, bad = serious_axe_violations(browser, url)
    assert bad == [], f"axe-core {version}: {bad}"
