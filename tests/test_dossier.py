"""The dossier model: fields, strictness, cross-field checks and its JSON Schema."""

from __future__ import annotations

import copy
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from qa_engine.formats.dossier import (
    DOSSIER_SCHEMA_ID,
    Cohort,
    Dossier,
    dossier_json_schema,
)
from qa_engine.formats.loader import load_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "dossiers"


def minimal(**extra: Any) -> dict[str, Any]:
    return {"schema_version": "1.0", "id": "d1", **extra}


def errors_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        Dossier.model_validate(data)
    return info.value.errors(include_url=False)


def consistency_paths(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Absolute paths of all dossier-consistency problems."""
    out = []
    for error in errors_of(data):
        assert error["type"] == "dossier_consistency", error
        for problem in error["ctx"]["problems"]:
            out.append(tuple(error["loc"]) + tuple(problem["path"]))
    return out


def example_data(name: str) -> dict[str, Any]:
    data, _ = load_document(EXAMPLES / f"{name}.yaml")
    return data


# --------------------------------------------------------------------------- basics


def test_minimal_dossier_has_empty_lists_and_unknown_fields_as_none() -> None:
    d = Dossier.model_validate(minimal())
    assert d.outcomes == [] and d.modules == [] and d.assessments == [] and d.cohorts == []
    assert d.languages == [] and d.staff == [] and d.evidence == []
    assert d.credential is None and d.provider is None and d.submitted is None


@pytest.mark.parametrize("field", ["schema_version", "id"])
def test_required_fields(field: str) -> None:
    data = minimal()
    del data[field]
    errors = errors_of(data)
    assert errors[0]["type"] == "missing" and errors[0]["loc"] == (field,)


@pytest.mark.parametrize("version", ["1.1", "2.0", 1.0, None])
def test_schema_version_must_be_the_string_1_0(version: Any) -> None:
    errors = errors_of(minimal(schema_version=version))
    assert errors[0]["loc"] == ("schema_version",)


@pytest.mark.parametrize("slug", ["a", "uni-data-analytics", "x.y_z-1", "0abc", "a" * 128])
def test_valid_slugs(slug: str) -> None:
    assert Dossier.model_validate(minimal(id=slug)).id == slug


@pytest.mark.parametrize(
    "slug", ["", "A", "-abc", ".abc", "a..b", "a/b", "a b", "ä", "a" * 129, "../etc"]
)
def test_invalid_slugs(slug: str) -> None:
    errors = errors_of(minimal(id=slug))
    assert errors[0]["loc"] == ("id",)


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        (minimal(foo=1), ("foo",)),
        (minimal(credential={"titel": "x"}), ("credential", "titel")),
        (minimal(outcomes=[{"id": "a", "statement": "s", "bloom": 3}]), ("outcomes", 0, "bloom")),
        (
            minimal(credential={"workload": {"ects": 5, "ETCS": 5}}),
            ("credential", "workload", "ETCS"),
        ),
    ],
)
def test_unknown_fields_are_errors_with_their_path(data: dict[str, Any], loc: tuple) -> None:
    errors = errors_of(data)
    assert errors[0]["type"] == "extra_forbidden"
    assert errors[0]["loc"] == loc


# --------------------------------------------------------------------------- strictness


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        (minimal(credential={"workload": {"ects": "5"}}), ("credential", "workload", "ects")),
        (minimal(credential={"workload": {"hours": True}}), ("credential", "workload", "hours")),
        (minimal(credential={"level": {"eqf": 6.5}}), ("credential", "level", "eqf")),
        (minimal(credential={"issue_date_shown": "yes"}), ("credential", "issue_date_shown")),
        (minimal(credential={"issue_date_shown": 1}), ("credential", "issue_date_shown")),
        (minimal(title=5), ("title",)),
        (minimal(languages="en"), ("languages",)),
        (minimal(submitted=1700000000), ("submitted",)),
        (minimal(submitted="14/03/2025"), ("submitted",)),
        (minimal(submitted="2025-02-30"), ("submitted",)),
        (minimal(submitted=datetime(2025, 3, 14, 10, 30)), ("submitted",)),
        (minimal(cohorts=[{"id": "c", "satisfaction": math.inf}]), ("cohorts", 0, "satisfaction")),
        (minimal(modules=[{"id": "m", "hours": math.nan}]), ("modules", 0, "hours")),
        (minimal(provider="ACME"), ("provider",)),
    ],
)
def test_wrong_types_are_rejected(data: dict[str, Any], loc: tuple) -> None:
    errors = errors_of(data)
    assert errors[0]["loc"] == loc, errors


def test_dates_accept_iso_strings_dates_and_midnight_datetimes() -> None:
    for value in ("2025-03-14", date(2025, 3, 14), datetime(2025, 3, 14)):
        d = Dossier.model_validate(minimal(submitted=value, cohorts=[{"id": "c", "start": value}]))
        assert d.submitted == date(2025, 3, 14) and type(d.submitted) is date
        assert d.cohorts[0].start == date(2025, 3, 14)


def test_integers_are_accepted_for_float_fields() -> None:
    d = Dossier.model_validate(minimal(credential={"workload": {"ects": 5, "hours": 130}}))
    assert d.credential.workload.ects == 5.0 and isinstance(d.credential.workload.ects, float)


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        (minimal(modules=[{"id": "m", "hours": -1}]), ("modules", 0, "hours")),
        (minimal(credential={"workload": {"hours": -0.5}}), ("credential", "workload", "hours")),
        (minimal(credential={"workload": {"ects": 361}}), ("credential", "workload", "ects")),
        (minimal(credential={"level": {"eqf": 9}}), ("credential", "level", "eqf")),
        (minimal(credential={"level": {"eqf": 0}}), ("credential", "level", "eqf")),
        (minimal(assessments=[{"id": "a", "weight": 1.5}]), ("assessments", 0, "weight")),
        (minimal(assessments=[{"id": "a", "pass_mark": 55}]), ("assessments", 0, "pass_mark")),
        (minimal(cohorts=[{"id": "c", "satisfaction": 4.2}]), ("cohorts", 0, "satisfaction")),
        (minimal(cohorts=[{"id": "c", "enrolled": -3}]), ("cohorts", 0, "enrolled")),
        (
            minimal(outcomes=[{"id": "o", "statement": "s", "bloom_level": 7}]),
            ("outcomes", 0, "bloom_level"),
        ),
        (minimal(staff=[{"years_experience": -2}]), ("staff", 0, "years_experience")),
        (
            minimal(quality_assurance={"internal_review_cycle_months": 0}),
            ("quality_assurance", "internal_review_cycle_months"),
        ),
    ],
)
def test_out_of_range_values_are_rejected(data: dict[str, Any], loc: tuple) -> None:
    errors = errors_of(data)
    assert errors[0]["loc"] == loc, errors


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        (minimal(provider={"country": "de"}), ("provider", "country")),
        (minimal(provider={"country": "DEU"}), ("provider", "country")),
        (
            minimal(credential={"awarding_bodies": [{"name": "X", "country": "Germany"}]}),
            ("credential", "awarding_bodies", 0, "country"),
        ),
        (
            minimal(outcomes=[{"id": "o", "statement": "s", "esco_skill": "not a uri"}]),
            ("outcomes", 0, "esco_skill"),
        ),
        (minimal(assessments=[{"id": "a", "type": "oral"}]), ("assessments", 0, "type")),
        (minimal(credential={"supervision": "proctored"}), ("credential", "supervision")),
        (
            minimal(credential={"participation": {"mode": "hybrid"}}),
            ("credential", "participation", "mode"),
        ),
        (
            minimal(support={"accessibility": {"wcag_level": "AAAA"}}),
            ("support", "accessibility", "wcag_level"),
        ),
        (
            minimal(credential={"awarding_bodies": [{"country": "DE"}]}),
            ("credential", "awarding_bodies", 0, "name"),
        ),
        (minimal(outcomes=[{"id": "o", "statement": ""}]), ("outcomes", 0, "statement")),
    ],
)
def test_codes_enums_and_required_nested_fields(data: dict[str, Any], loc: tuple) -> None:
    errors = errors_of(data)
    assert errors[0]["loc"] == loc, errors


def test_language_codes_are_checked_per_item() -> None:
    assert Dossier.model_validate(minimal(languages=["en", "de"])).languages == ["en", "de"]
    assert consistency_paths(minimal(languages=["en", "EN"])) == [("languages", 1)]


def test_literal_values_dump_as_plain_strings() -> None:
    d = Dossier.model_validate(
        minimal(
            credential={"supervision": "supervised_with_id", "participation": {"mode": "online"}},
            assessments=[{"id": "a", "type": "exam"}],
        )
    )
    dumped = d.model_dump(mode="json")
    assert dumped["credential"]["supervision"] == "supervised_with_id"
    assert type(dumped["assessments"][0]["type"]) is str
    assert json.loads(d.model_dump_json())["credential"]["participation"]["mode"] == "online"


# --------------------------------------------------------------------------- cross-field checks


@pytest.mark.parametrize(
    ("cohort", "field"),
    [
        ({"enrolled": 10, "completed": 11}, "completed"),
        ({"enrolled": 10, "completed": 8, "passed": 9}, "passed"),
        ({"enrolled": 10, "passed": 11}, "passed"),
        ({"completed": 5, "passed": 6}, "passed"),
    ],
)
def test_impossible_cohort_numbers(cohort: dict[str, int], field: str) -> None:
    data = minimal(cohorts=[{"id": "ok", "enrolled": 1}, {"id": "bad", **cohort}])
    assert consistency_paths(data) == [("cohorts", 1, field)]


@pytest.mark.parametrize(
    "cohort",
    [
        {"enrolled": 10, "completed": 10, "passed": 10},
        {"enrolled": 10, "passed": 10},
        {"completed": 3},
        {"passed": 3},
        {"enrolled": 0, "completed": 0, "passed": 0},
    ],
)
def test_possible_cohort_numbers(cohort: dict[str, int]) -> None:
    Cohort.model_validate({"id": "c", **cohort})


def test_weights_above_one_cannot_add_up() -> None:
    data = minimal(
        assessments=[{"id": "a", "weight": 0.6}, {"id": "b", "weight": 0.5}, {"id": "c"}]
    )
    errors = errors_of(data)
    assert errors[0]["ctx"]["path"] == ("assessments",)
    assert "weights that cannot add up" in errors[0]["msg"]
    assert "1.1" in errors[0]["msg"]


@pytest.mark.parametrize(
    "weights",
    [[0.2, 0.3, 0.5], [0.1] * 10, [0.3, 0.3, 0.3], [1.0], [0.0], [], [1 / 3] * 3],
)
def test_weights_summing_to_at_most_one_are_fine(weights: list[float]) -> None:
    data = minimal(assessments=[{"id": f"a{i}", "weight": w} for i, w in enumerate(weights)])
    assert len(Dossier.model_validate(data).assessments) == len(weights)


@pytest.mark.parametrize("field", ["outcomes", "modules", "assessments", "cohorts", "evidence"])
def test_duplicate_ids(field: str) -> None:
    item = {"id": "x"}
    if field == "outcomes":
        item["statement"] = "s"
    data = minimal(**{field: [dict(item, id="y"), dict(item), dict(item)]})
    assert consistency_paths(data) == [(field, 2, "id")]


def test_unknown_references_name_their_exact_path() -> None:
    data = minimal(
        outcomes=[
            {"id": "LO1", "statement": "s", "assessed_by": ["A1"]},
            {"id": "LO2", "statement": "t", "assessed_by": ["A1", "A9"]},
        ],
        modules=[{"id": "M1", "outcomes": ["LO1"]}, {"id": "M2", "outcomes": ["LO3"]}],
        assessments=[
            {"id": "A1", "outcomes": ["LO1"]},
            {"id": "A2", "outcomes": ["LO2"]},
            {"id": "A3", "outcomes": ["LO9", "LO1"]},
        ],
    )
    errors = errors_of(data)
    assert len(errors) == 1
    problems = errors[0]["ctx"]["problems"]
    assert [p["path"] for p in problems] == [
        ("outcomes", 1, "assessed_by", 1),
        ("modules", 1, "outcomes", 0),
        ("assessments", 2, "outcomes", 0),
    ]
    assert problems[2]["message"].startswith("assessments[2].outcomes[0]:")
    assert "'LO9'" in problems[2]["message"]
    assert "and 2 more" in errors[0]["msg"]


def test_references_without_any_outcomes_are_unknown() -> None:
    assert consistency_paths(minimal(modules=[{"id": "m", "outcomes": ["LO1"]}])) == [
        ("modules", 0, "outcomes", 0)
    ]


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("name", ["uni-data-analytics", "bootcamp-web-dev", "mooc-intro-ai"])
def test_examples_are_valid_dossiers(name: str) -> None:
    d = Dossier.model_validate(example_data(name))
    assert d.id == name


def test_examples_show_their_quality_levels() -> None:
    uni = Dossier.model_validate(example_data("uni-data-analytics"))
    boot = Dossier.model_validate(example_data("bootcamp-web-dev"))
    mooc = Dossier.model_validate(example_data("mooc-intro-ai"))

    def assessed(d: Dossier) -> set[str]:
        ids = {o.id for o in d.outcomes if o.assessed_by}
        return ids | {ref for a in d.assessments for ref in a.outcomes}

    def completion(d: Dossier) -> list[float]:
        return [c.completed / c.enrolled for c in d.cohorts]

    # strong
    assert uni.credential.workload.ects == 5 and uni.credential.workload.hours == 130
    assert uni.credential.level.eqf == 6
    assert len(uni.outcomes) == 5 and all(3 <= o.bloom_level <= 5 for o in uni.outcomes)
    assert all(o.esco_skill for o in uni.outcomes)
    assert {ref for m in uni.modules for ref in m.outcomes} == {o.id for o in uni.outcomes}
    assert assessed(uni) == {o.id for o in uni.outcomes}
    assert sorted(a.weight for a in uni.assessments) == [0.2, 0.3, 0.5]
    assert any(a.type == "exam" and a.supervision == "supervised_with_id" for a in uni.assessments)
    assert all(a.rubric_published for a in uni.assessments)
    assert all(s.online_teaching_training for s in uni.staff)
    assert uni.support.accessibility.wcag_level == "AA"
    assert uni.quality_assurance.internal_review_cycle_months == 12
    assert uni.quality_assurance.external_last_review.year == 2024
    assert uni.quality_assurance.feedback_changes
    assert len(uni.cohorts) == 3 and min(completion(uni)) > 0.7
    assert all(c.satisfaction > 0.8 and c.survey_response_rate > 0.5 for c in uni.cohorts)
    assert uni.relevance.employer_involvement and uni.transparency.public_url and uni.evidence
    # decent, with gaps
    assert boot.credential.workload.ects is None and boot.credential.workload.hours
    assert boot.credential.level.eqf == 5
    assert len({o.id for o in boot.outcomes} - assessed(boot)) == 1
    assert sum(a.weight for a in boot.assessments) == pytest.approx(0.9)
    assert not any(s.online_teaching_training for s in boot.staff)
    assert boot.quality_assurance.external_body is None
    assert boot.quality_assurance.external_last_review is None
    assert all(0.5 <= r <= 0.6 for r in completion(boot))
    # weak
    assert mooc.credential.level is None and mooc.credential.workload.ects is None
    assert [(b.country, b.identifier, b.url) for b in mooc.credential.awarding_bodies] == [
        (None, None, None)
    ]
    assert {a.type for a in mooc.assessments} == {"quiz"}
    assert mooc.credential.supervision == "unsupervised_no_id"
    assert len(mooc.outcomes) == 3 and all(o.bloom_level <= 2 for o in mooc.outcomes)
    assert any(o.statement.lower().startswith("understand ai") for o in mooc.outcomes)
    assert mooc.quality_assurance is None
    assert all(r <= 0.1 for r in completion(mooc))


# --------------------------------------------------------------------------- JSON Schema


def _jsonable(value: Any) -> Any:
    """YAML data as an editor's JSON view sees it (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = dossier_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schema_has_id_title_and_forbids_extras() -> None:
    schema = dossier_json_schema()
    assert schema["$id"] == DOSSIER_SCHEMA_ID
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["title"].startswith("qa-engine dossier")
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"schema_version", "id"}
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values())
    assert schema["properties"]["outcomes"]["description"]
    json.dumps(schema)  # serialisable


@pytest.mark.parametrize("name", ["uni-data-analytics", "bootcamp-web-dev", "mooc-intro-ai"])
def test_schema_validates_every_example(name: str, validator: Any) -> None:
    errors = list(validator.iter_errors(_jsonable(example_data(name))))
    assert errors == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(unknown=1),
        lambda d: d["credential"].update(titel="x"),
        lambda d: d["assessments"][0].update(weight=2),
        lambda d: d["credential"]["workload"].update(ects="5"),
        lambda d: d.update(id="Bad Id"),
        lambda d: d.update(id="a..b"),
        lambda d: d.update(languages=["EN"]),
        lambda d: d.update(schema_version="2.0"),
        lambda d: d["cohorts"][0].update(start="2024-13-01"),
        lambda d: d["outcomes"][0].pop("statement"),
    ],
)
def test_schema_and_model_reject_the_same_bad_dossiers(mutate: Any, validator: Any) -> None:
    data = _jsonable(example_data("uni-data-analytics"))
    bad = copy.deepcopy(data)
    mutate(bad)
    assert not validator.is_valid(bad)
    with pytest.raises(ValidationError):
        Dossier.model_validate(bad)
