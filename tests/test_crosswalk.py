"""Crosswalks and the multi-ruleset check: `qa-engine crosswalk show|lint` and
`qa-engine check DOSSIER -r A -r B ...` with its coverage matrix (text, JSON, HTML)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import load_dossier
from qa_engine.rules.crosswalks import Crosswalks, bundled_crosswalks_dir
from qa_engine.rules.registry import Registry
from qa_engine.services.check import resolve
from qa_engine.services.multi import check_multi

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "dossiers"
THREE = ["-r", "eu-microcredential@1.1.0", "-r", "quality-review@1.1.0", "-r", "nzqa-microcredential@1.0.0"]
AS_OF = ["--as-of", "2026-07-01"]


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def multi(dossier: Dossier) -> object:
    reg = Registry()
    setups = [resolve(ruleset=r, as_of=dt.date(2026, 7, 1), registry=reg, engine="python") for r in THREE[1::2]]
    return check_multi(setups, dossier, Crosswalks(reg))


# --------------------------------------------------------------------------- crosswalk show / lint


def test_bundled_crosswalks_lint_clean_and_show() -> None:
    code, out, _ = run("crosswalk", "lint")
    assert code == 0 and "1 crosswalk(s) clean." in out
    code, out, _ = run("crosswalk", "show")
    assert code == 0 and out.startswith("eu-qr-nzqa@1.0.0")
    code, out, _ = run("crosswalk", "show", "eu-qr-nzqa")
    assert code == 0
    assert "nzqa-microcredential:NZ-07 EQUAL quality-review:QR-ASM-01" in out
    assert "nzqa-microcredential:NZ-05 NARROWER eu-microcredential:EU-06" in out
    code, out, _ = run("crosswalk", "show", "eu-qr-nzqa@1.0.0", "--format", "json")
    data = json.loads(out)
    assert data["rulesets"] == ["eu-microcredential@1.1.0", "quality-review@1.1.0", "nzqa-microcredential@1.0.0"]
    assert {m["kind"] for m in data["mappings"]} == {"equal", "narrower", "related"}
    assert run("crosswalk", "show", "no-such")[0] == 2


def _bad(tmp_path: Path, old: str, new: str) -> tuple[int, str]:
    folder = tmp_path / "cw" / "eu-qr-nzqa"
    folder.mkdir(parents=True)
    src = (bundled_crosswalks_dir() / "eu-qr-nzqa" / "1.0.0.yaml").read_text(encoding="utf-8")
    assert old in src
    (folder / "1.0.0.yaml").write_text(src.replace(old, new, 1), encoding="utf-8")
    code, _, err = run("crosswalk", "lint", "--crosswalks-dir", str(tmp_path / "cw"))
    return code, err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("target: eu-microcredential:EU-06", "target: eu-microcredential:EU-66",
         "mappings[0].target names EU-66, which eu-microcredential@1.1.0 does not have"),
        ("  - nzqa-microcredential@1.0.0", "  - nzqa-microcredential@9.9.9",
         "rulesets[2] nzqa-microcredential@9.9.9 does not resolve"),
        ("target: eu-microcredential:EU-06", "target: qa-starter:ST-CU-01",
         "mappings[0].target names ruleset qa-starter, which the crosswalk does not list"),
        ("target: eu-microcredential:EU-06", "target: nzqa-microcredential:NZ-04",
         "mappings[0] maps two criteria of the same ruleset"),
        ("    kind: narrower", "    kind: similar", "kind"),
        ("version: 1.0.0", "version: 1.0.1", "the file says eu-qr-nzqa@1.0.1 but lies at eu-qr-nzqa/1.0.0.yaml"),
    ],
)
def test_lint_names_file_line_and_what_is_wrong(tmp_path: Path, old: str, new: str, message: str) -> None:
    code, err = _bad(tmp_path, old, new)
    assert code == 2
    assert "1.0.0.yaml:" in err and message in err, err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- the multi-ruleset check


def test_matrix_groups_corresponding_criteria_across_frameworks() -> None:
    m = multi(load_dossier(EX / "nz-barista-skills.yaml"))
    rows = {tuple(sorted(c.criterion for cells in r.cells.values() for c in cells)): r for r in m.matrix}  # type: ignore[attr-defined]
    outcomes = rows[("EU-06", "NZ-05", "QR-CUR-01")]
    assert outcomes.failing_in == []
    review = rows[("NZ-09", "QR-QA-01")]
    assert review.failing_in == ["quality-review@1.1.0", "nzqa-microcredential@1.0.0"]
    assert not review.same_requirement  # related, not the same requirement
    counts = [len(r.failing_in) for r in m.matrix]  # type: ignore[attr-defined]
    assert counts == sorted(counts, reverse=True)


def test_an_equal_mapping_fixes_both_at_once() -> None:
    data = load_dossier(EX / "nz-solar-pv-maintenance.yaml").model_dump(mode="json", exclude_none=True)
    for o in data["outcomes"]:
        o.pop("assessed_by", None)
    for a in data["assessments"]:
        a["outcomes"] = []
    m = multi(Dossier.model_validate(data))
    row = next(r for r in m.matrix if any(c.criterion == "NZ-07" for c in r.cells["nzqa-microcredential@1.0.0"]))  # type: ignore[attr-defined]
    states = {c.criterion: c.state for cells in row.cells.values() for c in cells}
    assert states["NZ-07"] == states["QR-ASM-01"] == "not_met"
    assert "nzqa-microcredential@1.0.0" in row.failing_in and "quality-review@1.1.0" in row.failing_in
    assert row.same_requirement == (states["EU-09"] not in ("not_met", "partially_met", "unknown"))


def test_check_with_several_rulesets_text_json_html(tmp_path: Path) -> None:
    path = str(EX / "nz-barista-skills.yaml")
    code, out, _ = run("check", path, *THREE, *AS_OF)
    assert code == 1
    assert "Coverage matrix" in out and "FURTHER WORK NEEDED" in out and "eu-qr-nzqa@1.0.0" in out
    assert "a fix moves 2 frameworks forward" in out
    code, out, _ = run("check", path, *THREE, *AS_OF, "--format", "json")
    data = json.loads(out)
    assert [f["ruleset"] for f in data["frameworks"]] == THREE[1::2]
    assert len(data["reports"]) == 3 and data["matrix"]
    target = tmp_path / "multi.html"
    code, _, _ = run("check", path, *THREE, *AS_OF, "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert code == 1 and "Coverage matrix" in html and "QR-QA-01" in html and "NZ-09" in html


def test_all_frameworks_pass_exits_0() -> None:
    code, out, _ = run("check", str(EX / "nz-solar-pv-maintenance.yaml"), "-r", "quality-review@1.1.0",
                       "-r", "nzqa-microcredential@1.0.0", *AS_OF)
    assert code == 0, out


def test_hostile_text_is_escaped_in_html(tmp_path: Path) -> None:
    data = load_dossier(EX / "nz-barista-skills.yaml").model_dump(mode="json", exclude_none=True)
    data["title"] = "<script>alert(1)</script>"
    src = tmp_path / "d.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "m.html"
    run("check", str(src), *THREE, *AS_OF, "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "junit"],
        ["--rubric", "quality-review"],
        ["-r", "eu-microcredential@1.1.0"],
        ["-r", "eu-microcredential@1.0.0"],
    ],
)
def test_usage_errors_exit_2(extra: list[str]) -> None:
    code, _, err = run("check", str(EX / "nz-barista-skills.yaml"), *THREE, *AS_OF, *extra)
    assert code == 2 and "Traceback" not in err


def test_crosswalk_option_needs_several_rulesets() -> None:
    code, _, _ = run("check", str(EX / "nz-barista-skills.yaml"), "--crosswalk", "eu-qr-nzqa", *AS_OF)
    assert code == 2


def test_no_crosswalk_says_so(tmp_path: Path) -> None:
    code, out, _ = run("check", str(EX / "nz-barista-skills.yaml"), "-r", "qa-starter@1.0.0", "-r", "nzqa-microcredential", *AS_OF)
    assert code == 1 and "no crosswalk maps two of these ruleset versions" in out
    shutil.rmtree(tmp_path)
