"""The HTML audit report (and the JSON it shares a model with): golden files, escaping,
determinism, self-containment, markup structure, --templates and the CLI wiring.

Golden files: tests/golden/<example>.html and .json, made with `--as-of 2026-01-01
--engine python`. After an intended change, rewrite them with
`pytest tests/test_report_html.py --update-golden` (or UPDATE_GOLDEN=1) and review
the diff.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile import IMG, PAYLOAD, SCRIPT, hostile_ruleset_criteria, write_hostile_dossier
from yaml_helpers import write_ruleset

from qa_engine.cli import cli
from qa_engine.engine import durable_available
from qa_engine.formats.report import Report
from qa_engine.render.html import TemplateError, render_html
from qa_engine.services.check import check_file, report_json, resolve

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = sorted(p.stem for p in (ROOT / "examples" / "dossiers").glob("*.yaml"))
AS_OF = _dt.date(2026, 1, 1)
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def example_report(name: str, engine: str = "python") -> Report:
    """The report of an example, with the same relative file name the CLI records."""
    setup = resolve(as_of=AS_OF, engine=engine)
    return check_file(setup, f"examples/dossiers/{name}.yaml")


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


# --------------------------------------------------------------------------- parsing helpers


class Page(HTMLParser):
    """Every start tag with its attributes, text per tag, and the heading levels."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def assert_golden(path: Path, text: str, update: bool) -> None:
    if update or not path.exists():
        if not update:
            pytest.fail(f"golden file {path.name} is missing; run pytest --update-golden")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    expected = path.read_bytes().decode("utf-8")
    if text != expected:
        # a short, readable pointer to the first difference
        i = next((k for k, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b), min(len(text), len(expected)))
        pytest.fail(
            f"{path.name} differs at character {i}: got {text[max(0, i - 60):i + 60]!r}, "
            f"golden {expected[max(0, i - 60):i + 60]!r}; if intended run pytest --update-golden"
        )


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("fmt", ["html", "json"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_golden(name: str, fmt: str, in_root: Path, update_golden: bool) -> None:
    res = run(
        "check", f"examples/dossiers/{name}.yaml", "--as-of", "2026-01-01", "--engine", "python",
        "--format", fmt,
    )
    assert res.exit_code in (0, 1), res.output
    assert_golden(GOLDEN / f"{name}.{fmt}", res.stdout, update_golden)


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not import on this Python")
@pytest.mark.parametrize("name", EXAMPLES)
def test_durable_engine_gives_the_golden_bytes(name: str, in_root: Path) -> None:
    """Apart from the engine's name (shown in the report), durable gives the same bytes."""
    report = example_report(name, engine="durable")
    assert report.engine == "durable"
    html = render_html(report)
    assert "engine <code>durable</code>" in html
    same = report.model_copy(update={"engine": "python"})
    assert render_html(same) == (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    assert report_json(same) == (GOLDEN / f"{name}.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden_html_agrees_with_golden_json(name: str) -> None:
    """Guards the goldens themselves: the HTML shows what the JSON says."""
    doc = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert doc["engine"] == "python" and doc["as_of"] == "2026-01-01"
    html = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    verdict = "passes" if doc["passed"] else "does not pass"
    assert f"{doc['decision_label']}<span class=\"banner__verdict\">{verdict}</span>" in html
    assert f"{_num(doc['score'])} %" in html
    for sha in (doc["ruleset"]["sha256"], doc["rubric"]["sha256"], doc["dossier"]["sha256"]):
        assert sha in html
    for c in doc["criteria"]:
        assert f'id="crit-{c["id"]}"' in html


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_identical_bytes(in_root: Path, tmp_path: Path) -> None:
    from qa_engine.render import html as mod

    first = render_html(example_report("mooc-intro-ai"))
    mod._environment.cache_clear()  # a fresh environment (as in a new process)
    second = render_html(example_report("mooc-intro-ai"))
    assert first == second
    outs = []
    for i in range(2):
        for fmt in ("html", "json"):
            out = tmp_path / f"r{i}.{fmt}"
            run("check", "examples/dossiers/bootcamp-web-dev.yaml", "--as-of", "2026-01-01", "--engine", "python",
                "-f", fmt, "-o", str(out))
            outs.append(out.read_bytes())
    assert outs[0] == outs[2] and outs[1] == outs[3]
    # no wall-clock time and no random ids
    today = _dt.date.today().isoformat()
    assert today not in first or today == AS_OF.isoformat()
    assert not re.search(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", first)


# --------------------------------------------------------------------------- escaping


def _assert_only_escaped(html: str, allowed_scripts: int = 1) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<img" not in html
    assert ESCAPED_SCRIPT in html and ESCAPED_IMG in html
    page = Page(html)
    assert len(page.all("script")) == allowed_scripts
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (tag, name, value)


def test_every_dossier_text_is_escaped(tmp_path: Path) -> None:
    path = write_hostile_dossier(tmp_path)
    report = check_file(resolve(as_of=AS_OF, engine="python"), path)
    html = render_html(report)
    _assert_only_escaped(html)
    # the dossier's own texts are shown (escaped), not dropped
    assert html.count(ESCAPED_SCRIPT) >= 4  # title (h1 + <title>), provider, file name, evidence
    assert f"<h1>{ESCAPED_SCRIPT}{ESCAPED_IMG}&#34;&#39;&amp;amp;</h1>" in html


def test_hostile_ruleset_texts_are_escaped_and_links_filtered(tmp_path: Path) -> None:
    criteria, standards = hostile_ruleset_criteria()
    reg = write_ruleset(
        tmp_path, criteria=criteria, standards=standards, rid="hostile",
        rubric={"title": PAYLOAD, "bands": [
            {"id": "ok", "label": f"OK {PAYLOAD}", "min_score": 50, "max_essential_failures": 0, "passes": True},
            {"id": "no", "label": f"No {PAYLOAD}", "min_score": 0, "passes": False},
        ]},
        extra={"title": f"Ruleset {PAYLOAD}"},
    )
    setup = resolve(ruleset="hostile", as_of=AS_OF, engine="python", registry=reg)
    report = check_file(setup, write_hostile_dossier(tmp_path))
    assert {c.state for c in report.criteria} >= {"not_met", "not_applicable"}
    html = render_html(report)
    _assert_only_escaped(html)
    page = Page(html)
    hrefs = [a.get("href") or "" for a in page.all("a")]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert f"https://example.org/?q={IMG}".replace("<", "&lt;").replace(">", "&gt;") in html
    # ids from a hostile criterion id are still valid, unique anchors
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", i or "") for i in ids)


# --------------------------------------------------------------------------- self-containment


@pytest.mark.parametrize("name", EXAMPLES)
def test_self_contained(name: str) -> None:
    html = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    page = Page(html)
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    for tag, attrs in page.tags:
        for attr in ("src", "srcset", "data", "poster", "action"):
            assert attr not in attrs, (tag, attr)
        if tag in ("link", "script", "img", "use", "image", "source"):
            for attr in ("href", "xlink:href"):
                value = attrs.get(attr) or ""
                assert not re.match(r"^(https?:)?//", value), (tag, value)
                if tag == "use" and attr == "href":
                    assert value.startswith("#")
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    # CSS and script are inline, and a CSP forbids anything else
    assert len(page.all("style")) == 1 and len(page.all("script")) == 1
    csp = [a for a in page.all("meta") if (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in (csp[0].get("content") or "")
    # references may link out, through <a> only
    assert "https://www.w3.org/TR/WCAG21/" in html


def test_csp_hashes_match_the_inline_style_and_script() -> None:
    from qa_engine.render.html import csp_hash

    html = (GOLDEN / "bootcamp-web-dev.html").read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert style and script
    assert f"style-src '{csp_hash(style.group(1))}'" in html
    assert f"script-src '{csp_hash(script.group(1))}'" in html


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("name", EXAMPLES)
def test_accessible_structure(name: str) -> None:
    html = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    doc = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    page = Page(html)
    assert page.all("html")[0].get("lang") == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert len(page.all(landmark)) == 1, landmark
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for prev, cur in zip(page.headings, page.headings[1:], strict=False):
        assert cur <= prev + 1, f"heading level jumps from h{prev} to h{cur}"
    first_link = page.all("a")[0]
    assert first_link.get("href") == "#main" and 'class="skip-link"' in html
    assert html.count("<table") == html.count("<caption")
    assert all(a.get("scope") in ("col", "row") for a in page.all("th"))
    assert 'role="img"' in html and "<title id=\"area-chart-title\">" in html and "<desc id=\"area-chart-desc\">" in html
    assert ":focus-visible" in html and "@media print" in html
    # every criterion: state in words, points, explanation, parts, condition, remediation
    for c in doc["criteria"]:
        block = re.search(rf'<article[^>]*id="crit-{re.escape(c["id"])}".*?</article>', html, re.S)
        assert block, c["id"]
        text = block.group(0)
        assert f'data-state="{c["state"]}"' in text
        label = {"met": "Met", "exemplary": "Exemplary", "partially_met": "Partially met", "not_met": "Not met",
                 "not_applicable": "Not applicable", "unknown": "Unknown", "error": "Error"}[c["state"]]
        assert f"</svg>{label}</span>" in text
        assert f"{_num(c['points'])} / {_num(c['max_points'])}" in text
        for part in c["parts"]:
            held = {True: "held", False: "did not hold", None: "unknown"}[part["held"]]
            assert f"</svg>{held}</span>" in text
        for e in c["evidence"]:
            assert f"<code>{e['path']}</code>" in text
    # essential failures come first
    order = [m.group(1) for m in re.finditer(r'<article[^>]*id="crit-([^"]+)"', html)]
    failed = doc["essential_failures"]
    assert order[: len(failed)] == [c["id"] for c in doc["criteria"] if c["essential_failed"]]
    assert set(order[: len(failed)]) == set(failed)
    # the fix list marks the plan
    assert html.count('<tr class="in-plan">') == sum(1 for f in doc["fixes"] if f["in_plan"])


def test_filters_are_hidden_without_script_and_list_every_state() -> None:
    html = (GOLDEN / "mooc-intro-ai.html").read_text(encoding="utf-8")
    doc = json.loads((GOLDEN / "mooc-intro-ai.json").read_text(encoding="utf-8"))
    assert '<form id="filters" class="filters" aria-label="Filter criteria" hidden>' in html
    for state in doc["counts"]:
        assert f'name="state" value="{state}"' in html
    for area in doc["areas"]:
        assert f'<option value="{area["id"]}">' in html
    # nothing is hidden in the markup itself: without JS every criterion shows
    assert not re.search(r"<article[^>]*\shidden", html)


def test_error_and_unknown_states_are_written_out() -> None:
    report = example_report("mooc-intro-ai")
    crit = report.criteria[-1].model_copy(update={"state": "error", "error": "division by zero <b>"})
    report = report.model_copy(update={"criteria": [*report.criteria[:-1], crit]})
    html = render_html(report)
    assert "</svg>Error</span>" in html and "Error: division by zero &lt;b&gt;" in html
    assert "</svg>Unknown</span>" in html


# --------------------------------------------------------------------------- templates


def test_branded_templates_override_and_fall_back(tmp_path: Path) -> None:
    brand = tmp_path / "brand"
    brand.mkdir()
    (brand / "report.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    (brand / "partials").mkdir()
    (brand / "partials" / "audit-summary.html.j2").write_text(
        '<section class="section" id="summary"><h2>Branded summary of {{ report.dossier.id }}</h2></section>\n',
        encoding="utf-8",
    )
    report = example_report("uni-data-analytics")
    html = render_html(report, templates_dir=brand)
    assert "body { color: #123456; }" in html and "--ink:" not in html
    assert "<h2>Branded summary of uni-data-analytics</h2>" in html
    assert 'id="areas"' in html  # bundled partials fill in
    assert html != render_html(report)


def test_broken_template_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "audit-report.html.j2").write_text("{{ report.no_such_field }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="undefined value"):
        render_html(example_report("uni-data-analytics"), templates_dir=tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "audit-report.html.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(TemplateError, match="does not parse"):
        render_html(example_report("uni-data-analytics"), templates_dir=bad)


def test_cli_templates_option(tmp_path: Path, in_root: Path) -> None:
    (tmp_path / "audit-report.html.j2").write_text("{{ report.no_such_field }}", encoding="utf-8")
    res = CliRunner().invoke(
        cli, ["check", "examples/dossiers/uni-data-analytics.yaml", "-f", "html", "--templates", str(tmp_path)]
    )
    assert res.exit_code == 2 and "undefined value" in res.stderr and "Traceback" not in res.stderr
    res = CliRunner().invoke(cli, ["check", "examples/dossiers/uni-data-analytics.yaml", "--templates", str(tmp_path)])
    assert res.exit_code == 2 and "--templates applies to --format html or pdf only" in res.stderr


# --------------------------------------------------------------------------- CLI


def test_cli_html_to_file_and_several_dossiers(tmp_path: Path, in_root: Path) -> None:
    one = tmp_path / "one.html"
    res = run("check", "examples/dossiers/mooc-intro-ai.yaml", "--as-of", "2026-01-01", "--engine", "python",
              "-f", "html", "-o", str(one))
    assert res.exit_code == 1 and res.stdout == ""
    assert one.read_text(encoding="utf-8") == (GOLDEN / "mooc-intro-ai.html").read_text(encoding="utf-8")

    two = [f"examples/dossiers/{n}.yaml" for n in ("mooc-intro-ai", "uni-data-analytics")]
    res = CliRunner().invoke(cli, ["check", *two, "-f", "html"])
    assert res.exit_code == 2 and "-o an existing folder" in res.stderr
    res = CliRunner().invoke(cli, ["check", *two, "-f", "html", "-o", str(tmp_path / "file.html")])
    assert res.exit_code == 2
    res = run("check", *two, "--as-of", "2026-01-01", "--engine", "python", "-f", "html", "-o", f"{tmp_path}/many/")
    assert res.exit_code == 1
    for n in ("mooc-intro-ai", "uni-data-analytics"):
        written = (tmp_path / "many" / f"{n}.html").read_text(encoding="utf-8")
        assert written == (GOLDEN / f"{n}.html").read_text(encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", "examples/dossiers/mooc-intro-ai.yaml", "-f", "json", "-o", str(tmp_path)])
    assert res.exit_code == 2 and "is a folder" in res.stderr
    assert SCRIPT not in res.stderr


def test_inlined_assets_cannot_close_their_element(tmp_path: Path) -> None:
    (tmp_path / "report.css").write_text("p { color: red; } </style><script>alert(1)</script>\n", encoding="utf-8")
    html = render_html(example_report("uni-data-analytics"), templates_dir=tmp_path)
    page = Page(html)
    assert len(page.all("style")) == 1 and len(page.all("script")) == 1
    assert "</style><script>alert" not in html and "<\\/style><script>alert(1)<\\/script>" in html


def _reviewed(report: Report) -> Report:
    from qa_engine.formats.report import ReviewOut, ReviewSummaryOut

    first, second = report.criteria[0], report.criteria[1]
    over = first.model_copy(update={"state": "overridden", "review": ReviewOut(
        action_id=7, evaluation_id=3, kind="override", state_before=first.state, state="met",
        reason=f"Evidence sent by mail {SCRIPT}", reviewer=f"Dr. R {IMG}",
        created=_dt.datetime(2025, 12, 1, 9, 30), expires=_dt.date(2026, 6, 30))})
    waive = second.model_copy(update={"state": "waived", "review": ReviewOut(
        action_id=8, evaluation_id=3, kind="waiver", state_before=second.state, state="waived",
        reason="Pilot cohort", reviewer="Dr. S", created=_dt.datetime(2025, 12, 2, 10, 0))})
    summary = ReviewSummaryOut(
        evaluation_id=3, as_of=AS_OF, stored_decision="not_accredited", stored_score=31.29, stored_passed=False,
        active=2, lapsed=[f"waiver of ST-XX by {IMG} not applied: expired"],
    )
    return report.model_copy(update={"criteria": [over, waive, *report.criteria[2:]], "review": summary,
                                     "counts": {**report.counts, "overridden": 1, "waived": 1}})


def test_reviewer_actions_are_shown() -> None:
    html = render_html(_reviewed(example_report("mooc-intro-ai")))
    _assert_only_escaped(html)
    assert "Effective report:" in html and "2 reviewer actions applied to stored evaluation 3" in html
    assert "Overridden by Dr. R" in html and "Waived by Dr. S</strong>" in html
    assert "expires 2026-06-30" in html and "</svg>Overridden</span>" in html and "</svg>Waived</span>" in html
    assert 'name="state" value="overridden"' in html and 'name="state" value="waived"' in html
