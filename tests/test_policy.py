"""Review policies beside the rubrics: bundled ones load, bad ones fail located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa_engine.errors import ResolutionError, RulesetError
from qa_engine.rules.policies import load_policy_file, policy_for
from qa_engine.rules.registry import Registry, bundled_rubrics_dir

BUNDLED = sorted(p.name for p in bundled_rubrics_dir().iterdir() if p.is_dir())


@pytest.mark.parametrize("rid", BUNDLED)
def test_every_bundled_rubric_has_a_policy_that_maps_every_band(rid: str) -> None:
    reg = Registry()
    for version in reg.rubric_index[rid]:
        policy_for(reg.rubric(f"{rid}@{version}"))
    rubric = reg.rubric(rid)
    policy = policy_for(rubric)
    assert policy.spec.rubric == rid
    assert len(policy.sha256) == 64
    for band in rubric.spec.bands:
        assert policy.spec.outcome_of_band(band.id) is not None
    assert policy.spec.sources, "a bundled policy cites where its figures come from"


def test_quality_matters_figures() -> None:
    p = policy_for(Registry().rubric("quality-review")).spec
    assert (p.panel.size, p.panel.chair_required, p.amendment_weeks, p.validity_months) == (3, True, 20, 60)
    assert p.consensus.rule_for("X", essential=True) == "majority"


def test_policy_file_is_not_taken_for_a_rubric_version() -> None:
    assert list(Registry().rubric_index["quality-review"]) == ["1.0.0"]


def _copy(tmp_path: Path, rid: str) -> Path:
    dst = tmp_path / "rubrics" / rid
    shutil.copytree(bundled_rubrics_dir() / rid, dst)
    return dst


def test_unknown_field_is_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "qa-starter")
    f = folder / "1.0.0.policy.yaml"
    f.write_text(f.read_text().replace("  min_external: 1\n", "  min_externals: 1\n"))
    reg = Registry(rubric_dirs=[tmp_path / "rubrics"])
    with pytest.raises(RulesetError) as e:
        policy_for(reg.rubric("qa-starter"))
    msg = str(e.value)
    assert "1.0.0.policy.yaml:" in msg and "min_externals" in msg and "panel.min_externals" in msg


def test_wrong_rubric_and_unmapped_band(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "eu-microcredential")
    f = folder / "1.0.0.policy.yaml"
    text = f.read_text()
    reg = Registry(rubric_dirs=[tmp_path / "rubrics"])
    f.write_text(text.replace("  compliant_with_gaps: accredited_with_conditions\n", ""))
    with pytest.raises(RulesetError, match="band 'compliant_with_gaps' of the rubric maps to no decision outcome"):
        policy_for(reg.rubric("eu-microcredential"))
    f.write_text(text.replace("version: 1.0.0", "version: 1.1.0", 1))
    with pytest.raises(RulesetError, match="lies beside eu-microcredential@1.0.0"):
        policy_for(reg.rubric("eu-microcredential"))


def test_bad_values(tmp_path: Path) -> None:
    f = tmp_path / "p.policy.yaml"
    base = (bundled_rubrics_dir() / "qa-starter" / "1.0.0.policy.yaml").read_text()
    f.write_text(base.replace("min_external: 1", "min_external: 4"))
    with pytest.raises(RulesetError, match="larger than the panel size"):
        load_policy_file(f)
    f.write_text(base.replace("[credential, provider]", "[outcomez]"))
    with pytest.raises(RulesetError, match="'outcomez' is not a dossier field"):
        load_policy_file(f)
    f.write_text(base.replace("essential: unanimous", "essential: loudest"))
    with pytest.raises(RulesetError, match=r"consensus\.essential"):
        load_policy_file(f)


def test_consensus_rule_for_unknown_criterion(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "qa-starter")
    f = folder / "1.0.0.policy.yaml"
    f.write_text(f.read_text().replace("  essential: unanimous\n", "  essential: unanimous\n  criteria: {NOPE-1: chair}\n"))
    reg = Registry(rubric_dirs=[tmp_path / "rubrics"])
    ruleset = reg.ruleset("qa-starter")
    with pytest.raises(RulesetError, match="criterion NOPE-1"):
        policy_for(reg.rubric("qa-starter"), ruleset)


def test_missing_policy_says_what_to_do(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "qa-starter")
    (folder / "1.0.0.policy.yaml").unlink()
    reg = Registry(rubric_dirs=[tmp_path / "rubrics"])
    with pytest.raises(ResolutionError, match="has no review policy"):
        policy_for(reg.rubric("qa-starter"))


def test_policy_show_cli() -> None:
    from click.testing import CliRunner

    from qa_engine.cli import cli

    res = CliRunner().invoke(cli, ["policy", "show", "quality-review"])
    assert res.exit_code == 0, res.output
    assert "panel: 3 members, chair required (qualified), at least 1 external, 1 subject-matter" in res.stdout
    assert "conditions due within 20 weeks; valid 60 months" in res.stdout and "Quality Matters" in res.stdout
    doc = __import__("json").loads(CliRunner().invoke(cli, ["policy", "show", "qa-starter@1.0.0", "--json"]).stdout)
    assert doc["panel"]["size"] == 3 and len(doc["sha256"]) == 64
    bad = CliRunner().invoke(cli, ["policy", "show", "nope"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
