"""Ruleset diff: structure, mirror symmetry, impact attribution (hypothesis) and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import dossiers
from yaml_helpers import criterion, write_ruleset

from qa_engine.cli import cli
from qa_engine.formats.dossier import Dossier
from qa_engine.services.check import Setup
from qa_engine.services.diff import diff, structural_changes

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 1, 1)

BASE = [
    criterion("K1", "count(outcomes) >= 3", area="a", weight=3, essential=True),
    criterion("K2", "sum(a in assessments: a.weight) >= 0.999", area="a", weight=2),
    criterion("K3", [("met", "min(c in cohorts: c.completed / c.enrolled) >= 0.6"),
                     ("partially_met", "min(c in cohorts: c.completed / c.enrolled) >= 0.4")], area="b"),
    criterion("K4", "exists(quality_assurance.external_body)", area="b", weight=2),
    criterion("K5", 'credential.participation.mode in ["online", "blended"]', area="c"),
]

# each mutation: (name, function on a list of criteria dicts -> new list)
def _replace(cid, **kw):
    def f(cs):
        return [{**c, **kw} if c["id"] == cid else c for c in cs]
    return f


MUTATIONS = {
    "tighten": _replace("K1", levels=[{"level": "met", "when": "count(outcomes) >= 5"}]),
    "reformat": _replace("K2", levels=[{"level": "met", "when": "sum( a in assessments : a.weight )>=0.999"}]),
    "reweight": _replace("K4", weight=5),
    "essential": _replace("K3", essential=True),
    "applies": _replace("K5", applies_when="exists(credential)"),
    "retitle": _replace("K2", title="Weights add up"),
    "remove": lambda cs: [c for c in cs if c["id"] != "K5"],
    "add": lambda cs: [*cs, criterion("K6", "not empty(staff)", area="c")],
    "rename": lambda cs: [({**c, "id": "K4b", "replaces": ["K4"]} if c["id"] == "K4" else c) for c in cs],
}


def _setup(rs, reg) -> Setup:
    return Setup(rs, reg.rubric_for(rs), "python", AS_OF)


def _pair(tmp: Path, names: list[str], bands_b: list | None = None):
    crits = list(BASE)
    for n in names:
        crits = MUTATIONS[n](crits)
    ra = write_ruleset(tmp / "a", criteria=BASE)
    rb = write_ruleset(tmp / "b", criteria=crits, rubric={"bands": bands_b} if bands_b else None)
    a, b = ra.ruleset("t"), rb.ruleset("t")
    return _setup(a, ra), _setup(b, rb)


def test_diff_with_itself_is_empty(tmp_path: Path) -> None:
    a, _ = _pair(tmp_path, [])
    d = diff(a, a)
    assert d.changes == [] and d.rubric_changes == []


def test_structural_changes(tmp_path: Path) -> None:
    bands = [
        {"id": "accredited", "label": "Accredited", "min_score": 90, "max_essential_failures": 0, "passes": True},
        {"id": "not_accredited", "label": "Not accredited", "min_score": 0, "passes": False},
    ]
    a, b = _pair(tmp_path, list(MUTATIONS), bands)
    d = diff(a, b)
    by = {c.criterion: c for c in d.changes}
    assert by["K1"].kind == "changed" and [f.field for f in by["K1"].fields] == ["levels.met"]
    assert by["K1"].fields[0].after == "count(outcomes) >= 5"
    assert by["K2"].kind == "changed" and [f.field for f in by["K2"].fields] == ["title"]  # reformat is no change
    assert by["K3"].kind == "changed" and by["K3"].fields[0].field == "essential"
    assert by["K4b"].kind == "renamed" and by["K4b"].previous_id == "K4"
    assert [f.field for f in by["K4b"].fields] == ["weight"]
    assert by["K5"].kind == "removed" and by["K6"].kind == "added"
    fields = {f.field for f in d.rubric_changes}
    assert {"bands.accredited.min_score", "bands.order", "bands.conditions"} <= fields


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(sorted(MUTATIONS)), unique=True, max_size=5))
def test_diff_mirrors(tmp_path_factory, names) -> None:
    a, b = _pair(tmp_path_factory.mktemp("m"), names)
    fwd, _ = structural_changes(a.ruleset, b.ruleset)
    back, _ = structural_changes(b.ruleset, a.ruleset)
    flip = {"added": "removed", "removed": "added", "renamed": "renamed", "changed": "changed"}
    def key(c, reverse=False):
        if c.kind == "renamed":
            pair = (c.previous_id, c.criterion) if not reverse else (c.criterion, c.previous_id)
        else:
            pair = (c.criterion, c.criterion)
        return pair
    f_map = {key(c): (c.kind, [(x.field, x.before, x.after) for x in c.fields]) for c in fwd}
    b_map = {key(c, reverse=True): (flip[c.kind], [(x.field, x.after, x.before) for x in c.fields]) for c in back}
    assert f_map == b_map


@pytest.fixture(scope="module")
def impact_pair(tmp_path_factory):
    return _pair(tmp_path_factory.mktemp("impact"), ["tighten", "reweight", "rename", "add", "remove", "essential"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(docs=st.lists(dossiers(), min_size=1, max_size=4))
def test_contributions_add_up_to_the_score_delta(impact_pair, docs) -> None:
    a, b = impact_pair
    items = [(None, Dossier.model_validate(d)) for d in docs]
    d = diff(a, b, dossiers=items)
    assert d.impact is not None and d.impact.summary.dossiers == len(docs)
    for r in d.impact.dossiers:
        total = sum((Fraction(c.score_contribution_exact) for c in r.criteria), Fraction(0))
        assert total == Fraction(r.score_delta_exact)
        if r.decision_before == r.decision_after and r.score_delta_exact == "0":
            assert all(c.state_before == c.state_after or c.state_before is None or c.state_after is None
                       or Fraction(c.score_contribution_exact) == 0 for c in r.criteria)


def test_cli_diff_text_and_json(tmp_path: Path) -> None:
    a, b = _pair(tmp_path, ["tighten", "rename"])
    # put both versions side by side in one rulesets folder
    import shutil
    root = tmp_path / "both" / "rulesets" / "t"
    shutil.copytree(tmp_path / "a" / "rulesets" / "t" / "1.0.0", root / "1.0.0")
    shutil.copytree(tmp_path / "b" / "rulesets" / "t" / "1.0.0", root / "1.1.0")
    y = (root / "1.1.0" / "ruleset.yaml").read_text().replace('"version": "1.0.0"', '"version": "1.1.0"')
    (root / "1.1.0" / "ruleset.yaml").write_text(y)
    shutil.copytree(tmp_path / "a" / "rubrics", tmp_path / "both" / "rubrics")
    args = ["diff", "t@1.0.0", "t@1.1.0", "--rulesets-dir", str(tmp_path / "both" / "rulesets"),
            "--corpus", str(ROOT / "examples" / "dossiers"), "--as-of", "2026-01-01"]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    n = len(list((ROOT / "examples" / "dossiers").glob("*.yaml")))
    assert "K1" in res.stdout and "renamed from K4" in res.stdout and f"Impact on {n} dossiers" in res.stdout
    res = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    doc = json.loads(res.stdout)
    assert doc["from"]["version"] == "1.0.0" and doc["to"]["version"] == "1.1.0"
    assert {c["kind"] for c in doc["changes"]} == {"changed", "renamed"}
    assert len(doc["impact"]["dossiers"]) == n
    for r in doc["impact"]["dossiers"]:
        assert {"id", "decision_before", "decision_after", "score_before", "score_after", "criteria"} <= set(r)


def test_cli_diff_bad_ref() -> None:
    res = CliRunner().invoke(cli, ["diff", "qa-starter@1.0.0", "qa-starter@7.0.0"])
    assert res.exit_code == 2 and "no version 7.0.0" in res.stderr
