"""What makes reports fast without changing what they show: explainers compiled once per
condition, details built only for the items they name, evidence capped per criterion,
pydantic-core JSON and cached scoring. No timings here (bench/ holds the figures)."""

from __future__ import annotations

import copy
import datetime as _dt
import json
import pickle
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lang_evaluator import bool_exprs, contexts, dossiers
from yaml_helpers import criterion, write_ruleset

from qa_engine.engine.explain import MAX_EVIDENCE, OMITTED_PATH, explain_verdict, omitted_text
from qa_engine.engine.verdicts import Verdict
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import load_dossier
from qa_engine.formats.report import Report
from qa_engine.formats.rubric import Rubric
from qa_engine.lang.evaluator import Context, compile_expr, explain, explain_raw
from qa_engine.lang.parser import parse
from qa_engine.rules.registry import LoadedRubric
from qa_engine.scoring import score
from qa_engine.services.check import check_dossier, report_json, resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dossiers" / "mooc-intro-ai.yaml"
AS_OF = _dt.date(2026, 1, 1)
CTX = Context(as_of=AS_OF)


def weights(*ws: float | None) -> dict[str, Any]:
    return {"assessments": [{"id": f"A{i}", "weight": w} for i, w in enumerate(ws)]}


# --------------------------------------------------------------------------- compiled once


def test_explainer_is_compiled_once_and_kept_on_the_tree() -> None:
    expr = parse("all(a in assessments: a.weight >= 0.1) and count(assessments) >= 2")
    first = explain(expr, weights(0.5, 0.05), CTX)
    slot = expr.__dict__["_explainer"]
    second = explain(expr, weights(0.5, 0.05), CTX)
    assert expr.__dict__["_explainer"] is slot and slot.value is not None
    assert first == second
    # a fresh parse of the same text explains the same way
    assert explain("all(a in assessments: a.weight >= 0.1) and count(assessments) >= 2", weights(0.5, 0.05), CTX) == first


def test_trees_with_a_compiled_explainer_pickle_and_copy() -> None:
    expr = parse("any(m in modules: any(x in m.activities: x.interactive == true))")
    data = {"modules": [{"activities": [{"interactive": False}]}, {"activities": [{"interactive": True}]}]}
    before = explain(expr, data, CTX)
    for other in (pickle.loads(pickle.dumps(expr)), copy.deepcopy(expr), copy.copy(expr)):
        assert other == expr
        assert explain(other, data, CTX) == before
    assert pickle.loads(pickle.dumps(expr)).__dict__["_explainer"].value is None  # not pickled


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bool_exprs(), st.lists(dossiers(), min_size=2, max_size=3), contexts)
def test_a_compiled_explainer_keeps_no_state_between_dossiers(text, datas, ctx) -> None:
    expr = parse(text)
    for data in datas + datas[::-1]:
        fresh = explain(parse(text), data, ctx)  # compiled for this call only
        assert explain(expr, data, ctx) == fresh
        assert fresh.value is compile_expr(expr)(data, ctx)


# --------------------------------------------------------------------------- details of long lists


def test_quantifier_names_five_items_and_counts_the_rest_but_reads_all() -> None:
    data = weights(*([0.05] * 12 + [0.5]))
    ex = explain("all(a in assessments: a.weight >= 0.1)", data, CTX)
    (part,) = ex.parts
    assert part.detail == "; ".join(
        f"weight of assessment A{i} is 0.05, but it must be at least 0.1" for i in range(5)
    ) + "; and 7 more"
    assert len(part.items) == 13 and part.items[12] == ("assessments[12]", True)
    assert [e.path for e in ex.evidence] == ["assessments"] + [f"assessments[{i}].weight" for i in range(13)]


def test_nested_quantifier_details_use_concrete_paths() -> None:
    data = {"modules": [{"activities": [{"interactive": False}] * 7} for _ in range(2)]}
    ex = explain("all(m in modules: any(x in m.activities: x.interactive == true))", data, CTX)
    assert ex.value is False
    detail = ex.parts[0].detail
    assert detail.startswith(
        "none of the 7 activities of module 1 qualifies: interactive of activity 1 in module 1 is false, "
        "but it must be true; "
    )
    assert "; and 2 more; none of the 7 activities of module 2 qualifies" in detail


def test_aggregate_note_names_ten_items() -> None:
    data = weights(*([0.05] * 14))
    ex = explain("count(a in assessments: a.weight >= 0.1) >= 1", data, CTX)
    assert ex.parts[0].detail.endswith(", assessment A9 and 4 more)")


# --------------------------------------------------------------------------- evidence limits


def test_max_evidence_lists_the_first_values_and_counts_the_others() -> None:
    data = weights(*([0.5] * 10))
    full = explain("all(a in assessments: a.weight >= 0.1)", data, CTX)
    short = explain("all(a in assessments: a.weight >= 0.1)", data, CTX, max_evidence=4)
    assert short.evidence == full.evidence[:4] and short.evidence_omitted == 7
    assert short.parts == full.parts and short.value is full.value
    assert full.evidence_omitted == 0 and "evidence_omitted" not in full.to_dict()
    assert short.to_dict()["evidence_omitted"] == 7
    raw = explain_raw("all(a in assessments: a.weight >= 0.1)", data, CTX, max_evidence=4)
    assert raw.evidence == [(e.path, e.value) for e in short.evidence]
    assert raw.parts == [(p.text, p.held, p.detail, p.kind, p.items, p.decides) for p in short.parts]


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("limits")
    reg = write_ruleset(root, criteria=[
        criterion("R-1", "all(a in assessments: a.rubric_published == true)", evidence=["title"]),
        criterion("R-2", "count(outcomes) >= 1"),
    ])
    return reg


def example_data(n_assessments: int) -> dict[str, Any]:
    data = load_dossier(EXAMPLE).model_dump(mode="python")
    data["assessments"] = [
        {"id": f"A{i}", "outcomes": [], "rubric_published": i % 2 == 0} for i in range(n_assessments)
    ]
    return data


@pytest.mark.parametrize(("n", "listed", "omitted"), [(MAX_EVIDENCE - 1, MAX_EVIDENCE, 0), (MAX_EVIDENCE, MAX_EVIDENCE + 1, 0), (40, MAX_EVIDENCE, 41 - MAX_EVIDENCE)])
def test_report_evidence_is_capped_with_a_marker(ruleset: Any, n: int, listed: int, omitted: int) -> None:
    rs = ruleset.ruleset("t")
    c = rs.by_id["R-1"]
    data = example_data(n)
    ev = explain_verdict(c, Verdict("R-1", "not_met"), data, AS_OF, {})
    paths = [p for p, _ in ev.evidence]
    # values read (the list, then one weight per item), the declared evidence, the marker
    assert paths[:listed] == ["assessments"] + [f"assessments[{i}].rubric_published" for i in range(listed - 1)]
    assert paths[listed] == "title"
    if omitted:
        assert ev.evidence[-1] == (OMITTED_PATH, omitted_text(omitted)) == ("…", f"(and {omitted} more values)")
        assert len(ev.evidence) == MAX_EVIDENCE + 2
    else:
        assert OMITTED_PATH not in paths and len(paths) == n + 2
    assert ev.explanation.startswith("not met: rubric_published of assessment A1 is false, but it must be true; ")
    everything = explain_verdict(c, Verdict("R-1", "not_met"), data, AS_OF, {}, max_evidence=None)
    assert [p for p, _ in everything.evidence] == ["assessments"] + [
        f"assessments[{i}].rubric_published" for i in range(n)
    ] + ["title"]


def test_capped_report_is_a_valid_report(ruleset: Any) -> None:
    setup = resolve(ruleset="t", as_of=AS_OF, engine="python", registry=ruleset)
    doc = load_dossier(EXAMPLE).model_dump(mode="json", exclude_none=True)
    doc["assessments"] += [{"id": f"extra-{i}", "rubric_published": False} for i in range(60)]
    read = 1 + len(doc["assessments"])  # the list, then each item's rubric_published
    report = check_dossier(setup, Dossier.model_validate(doc))
    text = report_json(report)
    crit = next(c for c in json.loads(text)["criteria"] if c["id"] == "R-1")
    assert len(crit["evidence"]) == MAX_EVIDENCE + 2  # + declared evidence + marker
    assert crit["evidence"][-1] == {"path": "…", "value": f"(and {read - MAX_EVIDENCE} more values)", "source": None}
    assert Report.model_validate_json(text) == report


# --------------------------------------------------------------------------- JSON


def test_report_json_has_the_bytes_of_json_dumps() -> None:
    setup = resolve(as_of=AS_OF, engine="python")
    for path in sorted((ROOT / "examples" / "dossiers").glob("*.yaml"))[:6]:
        report = check_dossier(setup, load_dossier(path), file=path.name)
        report = report.model_copy(update={"notes": ["ünïcödé — “quotes” \\ \"esc\" \t tab", *report.notes]})
        expected = json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
        assert report_json(report) == expected
        assert report_json(report) == report_json(Report.model_validate_json(report_json(report)))


# --------------------------------------------------------------------------- scoring cache


def rubric(partial: float, title: str = "r") -> LoadedRubric:
    spec = Rubric.model_validate({
        "id": "t", "version": "1.0.0", "title": title, "credits": {"partially_met": partial},
        "bands": [
            {"id": "acc", "label": "A", "min_score": 85, "max_essential_failures": 0, "passes": True},
            {"id": "no", "label": "N", "min_score": 0, "passes": False},
        ],
    })
    return LoadedRubric(spec, "test", "0" * 64)  # same sha256 on purpose


def test_scoring_cache_is_per_rubric_object_not_per_sha(ruleset: Any) -> None:
    rs = ruleset.ruleset("t")
    states = {"R-1": "partially_met", "R-2": "met"}
    a, b = rubric(0.5), rubric(0.25)
    ra, rb = score(rs, a, states), score(rs, b, states)
    assert ra.percent == Fraction(75) and rb.percent == Fraction(125, 2)
    assert score(rs, a, states) == ra and score(rs, b, dict(states)) == rb
    states_na = {"R-1": "not_applicable", "R-2": "met"}
    assert score(rs, a, states_na).percent == 100 and score(rs, a, states).percent == 75


# --------------------------------------------------------------------------- one compiled form


def test_evaluation_and_explanation_share_one_compiled_form_on_the_tree() -> None:
    expr = parse("any(a in assessments: a.weight >= 0.1) and count(assessments) >= 2")
    run = compile_expr(expr)
    slot = expr.__dict__["_explainer"]
    form = slot.value
    assert form is not None
    assert explain(expr, weights(0.5, 0.05), CTX).value == run(weights(0.5, 0.05), CTX) is True
    assert expr.__dict__["_explainer"].value is form  # the explainer was added to the same form
    compile_expr(expr)  # a second compile of the same tree reuses it
    assert expr.__dict__["_explainer"].value is form


def test_recording_mode_reads_every_operand_where_evaluation_stops_early() -> None:
    """The fast mode stops at a false `and`; the explanation still lists both values."""
    ex = explain("a.x > 1 and b.y > 1", {"a": {"x": 0}, "b": {"y": 5}}, CTX)
    assert ex.value is False
    assert [(e.path, e.value) for e in ex.evidence] == [("a.x", 0), ("b.y", 5)]
    assert [p.held for p in ex.parts] == [False, True]
    assert [p.decides for p in ex.parts] == [True, False]


# --------------------------------------------------------------------------- item names indexed per dossier


@pytest.mark.parametrize("path", sorted(EXAMPLE.parent.glob("*.yaml"))[:8], ids=lambda p: p.stem)
def test_a_shared_name_index_changes_no_explanation(path: Path) -> None:
    """Explanations with one index of item names per dossier read exactly as without."""
    setup = resolve(ruleset="quality-review", as_of=AS_OF, engine="python")
    from qa_engine.services.check import dossier_data, evaluate

    data = dossier_data(load_dossier(path))
    verdicts = evaluate(setup, data)
    states = {cid: v.state for cid, v in verdicts.items()}
    names: dict[str, str] = {}
    for c in setup.ruleset.criteria:
        plain = explain_verdict(c, verdicts[c.id], data, AS_OF, states)
        shared = explain_verdict(c, verdicts[c.id], data, AS_OF, states, names=names)
        assert shared == plain, c.id
    assert names and all("[" in p for p in names)  # item paths and texts -> words
