"""The CLI end to end: decisions and exit codes on the examples, JSON fields, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_engine.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "dossiers"
AS_OF = ["--as-of", "2026-01-01", "--ruleset", "qa-starter"]

EXPECTED = {
    "uni-data-analytics": ("accredited", 0),
    "bootcamp-web-dev": ("accredited_with_conditions", 0),
    "mooc-intro-ai": ("not_accredited", 1),
}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("engine", ["durable", "python"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_get_expected_decision(name: str, engine: str) -> None:
    decision, code = EXPECTED[name]
    res = run("check", str(EX / f"{name}.yaml"), "--format", "json", "--engine", engine, *AS_OF)
    assert res.exit_code == code, res.output
    doc = json.loads(res.stdout)
    assert doc["decision"] == decision
    assert doc["passed"] is (code == 0)
    assert 0 <= doc["score"] <= 100
    for key in ("id", "version", "sha256"):
        assert doc["ruleset"][key] and doc["rubric"][key]
    assert doc["dossier"]["id"] == name and len(doc["dossier"]["sha256"]) == 64
    assert doc["engine_version"] and doc["engine"] == engine
    states = {"met", "partially_met", "not_met", "exemplary", "not_applicable", "unknown", "error"}
    for c in doc["criteria"]:
        assert c["state"] in states
        assert {"id", "area", "state", "points", "max_points", "essential", "evidence", "explanation"} <= set(c)
        for e in c["evidence"]:
            assert {"path", "value"} <= set(e) <= {"path", "value", "source"}
    assert isinstance(doc["fixes"], list)


def test_text_summary_and_exit_codes() -> None:
    res = run("check", str(EX / "mooc-intro-ai.yaml"), *AS_OF)
    assert res.exit_code == 1
    assert "Decision: NOT ACCREDITED" in res.stdout
    assert "Essential criteria failed:" in res.stdout
    res = run("check", str(EX / "uni-data-analytics.yaml"), *AS_OF)
    assert res.exit_code == 0 and "Decision: ACCREDITED (passes)" in res.stdout


def test_json_is_byte_identical_across_runs_and_engines(tmp_path: Path) -> None:
    outs = []
    for i, engine in enumerate(["durable", "python", "durable"]):
        out = tmp_path / f"r{i}.json"
        run("check", str(EX / "bootcamp-web-dev.yaml"), "-f", "json", "-o", str(out), "--engine", engine, *AS_OF)
        outs.append(json.loads(out.read_text()))
    for o in outs:
        o.pop("engine")
    assert outs[0] == outs[1] == outs[2]


def test_stdin_and_multiple_dossiers() -> None:
    text = (EX / "uni-data-analytics.yaml").read_text()
    res = run("check", "-", *AS_OF, input=text)
    assert res.exit_code == 0, res.output
    res = run("check", str(EX / "uni-data-analytics.yaml"), str(EX / "mooc-intro-ai.yaml"), "-f", "json", *AS_OF)
    assert res.exit_code == 1
    assert [d["dossier"]["id"] for d in json.loads(res.stdout)] == ["uni-data-analytics", "mooc-intro-ai"]


def _one_line_error(res) -> str:
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_broken_yaml(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text("schema_version: '1.0'\nid: x\ntitle: [unclosed\n")
    err = _one_line_error(run("check", str(p)))
    assert "d.yaml:" in err


def test_unknown_field_names_path_and_line(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text("schema_version: '1.0'\nid: x\ncredential:\n  title: T\n  titel: typo\n")
    err = _one_line_error(run("check", str(p)))
    assert "d.yaml:5" in err and "credential.titel" in err


def test_wrong_type(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text("schema_version: '1.0'\nid: x\ncredential:\n  workload:\n    ects: five\n")
    err = _one_line_error(run("check", str(p)))
    assert "d.yaml:5" in err and "credential.workload.ects" in err


def test_missing_file_and_bad_ruleset_ref() -> None:
    err = _one_line_error(run("check", "does-not-exist.yaml"))
    assert "does-not-exist.yaml" in err
    err = _one_line_error(run("check", str(EX / "mooc-intro-ai.yaml"), "--ruleset", "qa-starter@9.9.9"))
    assert "no version 9.9.9" in err


def test_ruleset_with_unknown_path(tmp_path: Path) -> None:
    d = tmp_path / "rs" / "mine" / "1.0.0"
    d.mkdir(parents=True)
    (d / "ruleset.yaml").write_text(
        "id: mine\nversion: 1.0.0\ntitle: Mine\neffective_from: 2020-01-01\nrubric: qa-starter@1.0.0\n"
        "standards: [{id: a, title: A}]\ncriteria:\n  - id: M-1\n    title: t\n    area: a\n"
        "    rationale: r\n    remediation: f\n    levels:\n      - level: met\n        when: credential.workload.ectz > 1\n"
    )
    err = _one_line_error(run("check", str(EX / "mooc-intro-ai.yaml"), "--rulesets-dir", str(tmp_path / "rs"), "--ruleset", "mine"))
    assert "ruleset.yaml:15" in err and "criterion M-1" in err and "ectz" in err


def test_schema_commands() -> None:
    for kind in ("dossier", "ruleset", "rubric", "report"):
        res = run("schema", kind)
        assert res.exit_code == 0
        assert json.loads(res.stdout)["$id"]


def test_rulesets_list_show_test_lint() -> None:
    res = run("rulesets", "list")
    assert res.exit_code == 0 and "qa-starter@1.0.0" in res.stdout
    res = run("rulesets", "show", "qa-starter")
    assert res.exit_code == 0 and "ST-AS-01" in res.stdout
    res = run("rulesets", "test")
    assert res.exit_code == 0, res.stdout
    assert " 0 failed" in res.stdout
    res = run("rulesets", "lint")
    assert res.exit_code == 0, res.stdout


def test_help_for_every_command() -> None:
    for args in ([], ["check"], ["schema"], ["rulesets"], ["rulesets", "test"]):
        res = run(*args, "--help")
        assert res.exit_code == 0 and "Usage:" in res.stdout


def test_module_entry_point() -> None:
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "qa_engine", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and "qa-engine" in res.stdout
