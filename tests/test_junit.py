"""JUnit XML: one testsuite per dossier, one testcase per criterion, failures carrying
the explanation, valid XML whatever the dossier says."""

from __future__ import annotations

import datetime as _dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import CONTROL, IMG, PAYLOAD, SCRIPT, hostile_ruleset_criteria, write_hostile_dossier
from yaml_helpers import write_ruleset

from qa_engine.cli import cli
from qa_engine.formats.report import Report
from qa_engine.render.junit import render_junit
from qa_engine.services.check import check_file, resolve

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "dossiers"
AS_OF = _dt.date(2026, 1, 1)


def report_of(name: str) -> Report:
    return check_file(resolve(as_of=AS_OF, engine="python"), EX / f"{name}.yaml")


def parse(xml: str) -> ET.Element:
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(xml.encode("utf-8"))


@pytest.mark.parametrize("name", ["bootcamp-web-dev", "mooc-intro-ai", "uni-data-analytics"])
def test_structure_and_counts(name: str) -> None:
    r = report_of(name)
    root = parse(render_junit(r))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == r.dossier.id
    cases = suite.findall("testcase")
    assert len(cases) == len(r.criteria) == int(suite.get("tests", "-1"))
    by_name = {c.get("name"): c for c in cases}
    n_fail = n_err = n_skip = 0
    for c in r.criteria:
        case = by_name[f"{c.id} {c.title}"]
        assert case.get("classname") == f"{r.ruleset.id}.{c.area}"
        failure, error, skipped = case.find("failure"), case.find("error"), case.find("skipped")
        if c.state in ("not_met", "partially_met", "unknown"):
            n_fail += 1
            assert failure is not None and error is None and skipped is None
            assert failure.get("message") == c.explanation
            assert failure.get("type") == c.state
            assert c.remediation in (failure.text or "")
            assert f"Explanation: {c.explanation}" in (failure.text or "")
        elif c.state == "not_applicable":
            n_skip += 1
            assert skipped is not None and failure is None
        elif c.state == "error":
            n_err += 1
            assert error is not None
        else:
            assert list(case) == [], (c.id, c.state)
    assert (int(suite.get("failures", "-1")), int(suite.get("errors", "-1")), int(suite.get("skipped", "-1"))) == (
        n_fail, n_err, n_skip,
    )
    assert root.get("tests") == suite.get("tests") and root.get("failures") == suite.get("failures")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["decision"] == r.decision and props["passed"] == ("true" if r.passed else "false")
    assert props["ruleset"] == f"{r.ruleset.id}@{r.ruleset.version}"
    assert props["ruleset_sha256"] == r.ruleset.sha256 and props["rubric_sha256"] == r.rubric.sha256
    assert props["dossier_sha256"] == r.dossier.sha256
    assert props["rubric"] == f"{r.rubric.id}@{r.rubric.version}"
    assert float(props["score"] or "nan") == pytest.approx(r.score)


def test_failure_message_names_the_values() -> None:
    root = parse(render_junit(report_of("mooc-intro-ai")))
    msgs = {c.get("name", "").split()[0]: c.find("failure") for c in root.iter("testcase")}
    qa01 = msgs["ST-QA-01"]
    assert qa01 is not None
    assert "quality_assurance.internal_review_cycle_months is missing" in (qa01.get("message") or "")
    assert "essential gate failed" in (qa01.text or "")
    assert "[did not hold] exists(quality_assurance.internal_review_cycle_months)" in (qa01.text or "")
    assert msgs["ST-AS-01"] is None  # met: a passing test case


def test_error_state_gives_an_error_element() -> None:
    r = report_of("uni-data-analytics")
    crit = r.criteria[0].model_copy(update={"state": "error", "error": "cannot compare <text> & a number"})
    r = r.model_copy(update={"criteria": [crit, *r.criteria[1:]]})
    root = parse(render_junit(r))
    case = next(root.iter("testcase"))
    err = case.find("error")
    assert err is not None and err.get("type") == "error"
    assert "cannot compare <text> & a number" in (err.get("message") or "")
    assert root.find("testsuite").get("errors") == "1"  # type: ignore[union-attr]


def test_several_dossiers_give_several_suites_via_cli(tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    res = CliRunner().invoke(
        cli,
        ["check", str(EX / "uni-data-analytics.yaml"), str(EX / "mooc-intro-ai.yaml"), "--as-of", "2026-01-01",
         "-f", "junit", "-o", str(out)],
    )
    assert res.exit_code == 1, res.output
    root = parse(out.read_text(encoding="utf-8"))
    assert [s.get("name") for s in root.findall("testsuite")] == ["uni-data-analytics", "mooc-intro-ai"]
    assert int(root.get("tests", "0")) == sum(int(s.get("tests", "0")) for s in root.findall("testsuite"))
    # deterministic: no timestamps
    again = CliRunner().invoke(
        cli,
        ["check", str(EX / "uni-data-analytics.yaml"), str(EX / "mooc-intro-ai.yaml"), "--as-of", "2026-01-01",
         "-f", "junit"],
    )
    assert again.stdout == out.read_text(encoding="utf-8")
    assert "timestamp" not in again.stdout


def test_hostile_texts_stay_text_and_xml_stays_valid(tmp_path: Path) -> None:
    text = PAYLOAD + CONTROL + "]]>"
    criteria, standards = hostile_ruleset_criteria()
    reg = write_ruleset(tmp_path, criteria=criteria, standards=standards, rid="hostile")
    setup = resolve(ruleset="hostile", as_of=AS_OF, engine="python", registry=reg)
    report = check_file(setup, write_hostile_dossier(tmp_path, text))
    xml = render_junit(report)
    assert "<script>" not in xml and "<img src=x" not in xml
    for ch in CONTROL:
        assert ch not in xml
    root = parse(xml)  # would raise on forbidden characters or broken markup
    suite = root.find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    # round-trips as text; control characters are shown escaped (issue 13: never dropped
    # silently, never raw)
    shown = "".join(f"\\x{ord(ch):02x}" for ch in CONTROL if ch != "\ufffe")  # XML forbids U+FFFE
    assert props["dossier_title"] == PAYLOAD + shown + "]]>"
    assert props["provider"] == PAYLOAD + shown + "]]>"
    assert IMG in (props["dossier_file"] or "")
    names = [c.get("name") for c in suite.iter("testcase")]
    assert f"X-1 Title {PAYLOAD}" in names
    classnames = {c.get("classname") for c in suite.iter("testcase")}
    assert classnames == {f"hostile.area{SCRIPT}"}
    failures = list(suite.iter("failure"))
    assert failures and all(SCRIPT in (f.text or "") for f in failures)


def test_reviewed_criteria() -> None:
    from test_report_html import _reviewed

    r = _reviewed(report_of("mooc-intro-ai"))
    root = parse(render_junit(r))
    cases = list(root.iter("testcase"))
    over, waived = cases[0], cases[1]
    assert over.find("failure") is None and "Overridden by Dr. R" in (over.findtext("system-out") or "")
    assert "Reason: Evidence sent by mail <script>" in (over.findtext("system-out") or "")
    skipped = waived.find("skipped")
    assert skipped is not None and skipped.get("message") == "waived by Dr. S: Pilot cohort"
    suite = root.find("testsuite")
    assert suite is not None
    assert int(suite.get("skipped", "0")) == sum(1 for c in r.criteria if c.state in ("not_applicable", "waived"))
    assert int(suite.get("failures", "0")) == sum(
        1 for c in r.criteria if c.state in ("not_met", "partially_met", "unknown")
    )
