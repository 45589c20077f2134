"""Loading rulesets and rubrics: resolution, extends/tailoring, hashes and every load-time error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from yaml_helpers import criterion, write_ruleset

from qa_engine.errors import ResolutionError, RulesetError
from qa_engine.rules.registry import Registry


def test_bundled_starter_loads_and_has_stable_hash() -> None:
    reg = Registry()
    rs = reg.ruleset("qa-starter", as_of=dt.date(2026, 1, 1))
    assert rs.ref == "qa-starter@1.0.0"
    # 1.1.0 (new programmes) takes effect on 2026-07-01
    assert reg.ruleset("qa-starter", as_of=dt.date(2026, 7, 1)).ref == "qa-starter@1.1.0"
    assert len(rs.sha256) == 64
    assert Registry().ruleset("qa-starter@1.0.0").sha256 == rs.sha256
    rb = reg.rubric_for(rs)
    assert rb.ref == "qa-starter@1.0.0" and len(rb.sha256) == 64


def test_reformatting_a_condition_keeps_the_criterion_hash(tmp_path: Path) -> None:
    a = write_ruleset(tmp_path / "a", criteria=[criterion("X", "count(outcomes)>=3 and exists(title)")])
    b = write_ruleset(tmp_path / "b", criteria=[criterion("X", "(count( outcomes ) >= 3)\n  and exists(title)")])
    assert a.ruleset("t").criteria[0].sha256 == b.ruleset("t").criteria[0].sha256
    c = write_ruleset(tmp_path / "c", criteria=[criterion("X", "count(outcomes) >= 4 and exists(title)")])
    assert c.ruleset("t").criteria[0].sha256 != a.ruleset("t").criteria[0].sha256


def test_versions_and_as_of(tmp_path: Path) -> None:
    write_ruleset(tmp_path, criteria=[criterion("X", "exists(title)")], version="1.0.0",
                  extra={"effective_until": "2025-01-01"})
    reg = write_ruleset(tmp_path, criteria=[criterion("X", "exists(title)")], version="1.1.0",
                        extra={"effective_from": "2025-01-01"})
    assert reg.ruleset("t").version == "1.1.0"
    assert reg.ruleset("t", as_of=dt.date(2024, 6, 1)).version == "1.0.0"
    assert reg.ruleset("t", as_of=dt.date(2025, 6, 1)).version == "1.1.0"
    assert reg.ruleset("t@1.0.0").version == "1.0.0"
    with pytest.raises(ResolutionError, match="no version 2.0.0"):
        reg.ruleset("t@2.0.0")
    with pytest.raises(ResolutionError, match="in effect on 2019-01-01"):
        reg.ruleset("t", as_of=dt.date(2019, 1, 1))
    with pytest.raises(ResolutionError, match="unknown ruleset"):
        reg.ruleset("nope")
    with pytest.raises(ResolutionError, match="not a valid"):
        reg.ruleset("Bad Ref!")


def test_extends_with_tailoring(tmp_path: Path) -> None:
    write_ruleset(
        tmp_path,
        rid="base",
        criteria=[
            criterion("B1", "exists(title)", weight=2),
            criterion("B2", "exists(description)"),
            criterion("B3", "exists(submitted)"),
        ],
    )
    reg = write_ruleset(
        tmp_path,
        rid="child",
        criteria=[criterion("C1", "count(outcomes) > 0")],
        extra={
            "extends": "base@1.0.0",
            "tailoring": {
                "drop": ["B3"],
                "reweight": {"B1": 5},
                "essential": {"B2": True},
                "relevel": {"B2": [{"level": "met", "when": "not empty(description)"}]},
            },
        },
    )
    rs = reg.ruleset("child")
    assert [c.id for c in rs.criteria] == ["B1", "B2", "C1"]
    assert rs.by_id["B1"].spec.weight == 5
    assert rs.by_id["B2"].essential
    assert rs.by_id["B2"].levels[0].text == "not empty(description)"
    assert rs.sha256 != reg.ruleset("base").sha256


def test_tailoring_unknown_criterion(tmp_path: Path) -> None:
    write_ruleset(tmp_path, rid="base", criteria=[criterion("B1", "exists(title)")])
    reg = write_ruleset(tmp_path, rid="child", criteria=[criterion("C1", "exists(title)")],
                        extra={"extends": "base@1.0.0", "tailoring": {"drop": ["NOPE"]}})
    with pytest.raises(RulesetError, match="tailoring.drop names criterion NOPE"):
        reg.ruleset("child")


def test_unknown_path_names_file_and_criterion(tmp_path: Path) -> None:
    reg = write_ruleset(tmp_path, criteria=[criterion("X1", "credential.workload.ectz >= 1")])
    with pytest.raises(RulesetError) as e:
        reg.ruleset("t")
    msg = str(e.value)
    assert "ruleset.yaml" in msg and "criterion X1" in msg and "ectz" in msg


def test_type_mismatch(tmp_path: Path) -> None:
    reg = write_ruleset(tmp_path, criteria=[criterion("X1", 'credential.workload.ects == "five"')])
    with pytest.raises(RulesetError, match="criterion X1"):
        reg.ruleset("t")


def test_syntax_error_has_position(tmp_path: Path) -> None:
    reg = write_ruleset(tmp_path, criteria=[criterion("X1", "count(outcomes) >= ")])
    with pytest.raises(RulesetError, match=r"column \d+ of the condition"):
        reg.ruleset("t")


@pytest.mark.parametrize(
    "crits, pattern",
    [
        ([criterion("X1", "exists(title)"), criterion("X1", "exists(title)")], "used twice"),
        ([criterion("X1", "exists(title)"), criterion("X2", "exists(title)", replaces=["X1"])], "used twice"),
        ([criterion("X1", "exists(title)", rationale="  ")], "rationale is empty"),
        ([criterion("X1", "exists(title)", remediation="")], "remediation is empty"),
        ([criterion("X1", "exists(title)", area="zz")], "is not one of the ruleset's standards"),
        ([criterion("X1", [("met", "exists(title)"), ("exemplary", "exists(title)")])], "ordered best first"),
        ([criterion("X1", 'met("X2")'), criterion("X2", 'met("X1")')], "cycle"),
        ([criterion("X1", 'met("X1")')], "own verdict"),
        ([criterion("X1", 'met("NOPE")')], "NOPE"),
        ([criterion("X1", "exists(title)", evidence=["nope.path"])], "evidence path"),
        ([criterion("X1", "count(outcomes)")], "criterion X1"),
    ],
)
def test_invalid_criteria(tmp_path: Path, crits, pattern) -> None:
    standards = [{"id": "a", "title": "A"}]
    reg = write_ruleset(tmp_path, criteria=crits, standards=standards)
    with pytest.raises(RulesetError, match=pattern):
        reg.ruleset("t")


def test_unknown_field_in_ruleset_has_line(tmp_path: Path) -> None:
    d = tmp_path / "rulesets" / "t" / "1.0.0"
    d.mkdir(parents=True)
    (d / "ruleset.yaml").write_text(
        "id: t\nversion: 1.0.0\ntitle: T\neffective_from: 2020-01-01\nrubric: t@1.0.0\nstandardz: []\n"
    )
    with pytest.raises(RulesetError) as e:
        Registry(ruleset_dirs=[tmp_path / "rulesets"], include_bundled=False).ruleset("t")
    assert "ruleset.yaml:6" in str(e.value) and "standardz" in str(e.value)


def test_criteria_folder_and_folder_mismatch(tmp_path: Path) -> None:
    d = tmp_path / "rulesets" / "t" / "1.0.0"
    (d / "criteria").mkdir(parents=True)
    (d / "ruleset.yaml").write_text(
        "id: t\nversion: 1.0.0\ntitle: T\neffective_from: 2020-01-01\nrubric: t@1.0.0\n"
        "standards: [{id: a, title: A}]\n"
    )
    (d / "criteria" / "X1.yaml").write_text(json.dumps(criterion("X1", "exists(title)")))
    reg = Registry(ruleset_dirs=[tmp_path / "rulesets"], include_bundled=False)
    assert [c.id for c in reg.ruleset("t").criteria] == ["X1"]
    assert reg.ruleset("t").criteria[0].file.endswith("X1.yaml")
    (d / "criteria" / "X2.yaml").write_text(json.dumps(criterion("X2", "exists(titel)")))
    with pytest.raises(RulesetError) as e:
        Registry(ruleset_dirs=[tmp_path / "rulesets"], include_bundled=False).ruleset("t")
    assert "X2.yaml" in str(e.value) and "criterion X2" in str(e.value)


@pytest.mark.parametrize(
    "bands, pattern",
    [
        (
            [
                {"id": "a", "label": "A", "min_score": 60, "passes": True},
                {"id": "b", "label": "B", "min_score": 80, "passes": True},
                {"id": "c", "label": "C", "min_score": 0, "passes": False},
            ],
            "band b can never be reached",
        ),
        ([{"id": "a", "label": "A", "min_score": 60, "passes": True}], "must accept every result"),
        (
            [
                {"id": "a", "label": "A", "min_score": 60, "passes": True},
                {"id": "a", "label": "A", "min_score": 0, "passes": True},
            ],
            "used twice",
        ),
    ],
)
def test_invalid_bands(tmp_path: Path, bands, pattern) -> None:
    reg = write_ruleset(tmp_path, criteria=[criterion("X", "exists(title)")], rubric={"bands": bands})
    rs = reg.ruleset("t")
    with pytest.raises(RulesetError, match=pattern):
        reg.rubric_for(rs)


def test_rubric_area_weight_for_unknown_area(tmp_path: Path) -> None:
    reg = write_ruleset(tmp_path, criteria=[criterion("X", "exists(title)")], rubric={"area_weights": {"zz": 2}})
    with pytest.raises(RulesetError, match="area 'zz'"):
        reg.rubric_for(reg.ruleset("t"))
