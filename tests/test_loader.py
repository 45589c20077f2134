"""Reading YAML/JSON documents and dossiers: located errors, safety, round trips."""

from __future__ import annotations

import datetime as _dt
import io
import json
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_engine.errors import DossierError, InputError
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import (
    LineMap,
    dump_dossier_yaml,
    format_loc,
    load_document,
    load_dossier,
)

#: A "today" after every date, for properties that are not about future dates.
NO_FUTURE = _dt.date.max

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "dossiers"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

HEAD = 'schema_version: "1.0"\nid: d1\n'


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def dossier_error(tmp_path: Path, content: str, name: str = "d.yaml") -> DossierError:
    path = write(tmp_path, name, content)
    with pytest.raises(DossierError) as info:
        load_dossier(path)
    error = info.value
    text = str(error)
    # one sentence naming the file
    assert "\n" not in text and text.endswith(".") and text.startswith(str(path))
    return error


def input_error(
    tmp_path: Path, content: str | bytes, name: str = "d.yaml", **kw: Any
) -> InputError:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        load_document(path, **kw)
    text = str(info.value)
    assert "\n" not in text and text.endswith(".") and text.startswith(str(path))
    return info.value


# --------------------------------------------------------------------------- examples


def test_the_three_reference_examples_exist() -> None:
    stems = {p.stem for p in EXAMPLE_FILES}
    assert {"bootcamp-web-dev", "mooc-intro-ai", "uni-data-analytics"} <= stems


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_each_example_loads(path: Path) -> None:
    d = load_dossier(path)
    assert isinstance(d, Dossier) and d.id == path.stem
    assert d.outcomes and d.modules and d.assessments and d.credential.title


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_each_example_round_trips_through_yaml(path: Path) -> None:
    d = load_dossier(path)
    text = dump_dossier_yaml(d)
    # generated dates may lie after today, which loading refuses (issue 13); the round
    # trip is checked as on the last day a date can name
    assert load_dossier(text=text, today=NO_FUTURE) == d
    assert "null" not in text and "[]" not in text  # empty values are left out
    assert dump_dossier_yaml(load_dossier(text=text)) == text


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_json_dossier_loads_like_yaml(path: Path, tmp_path: Path) -> None:
    d = load_dossier(path)
    json_path = write(tmp_path, "d.json", json.dumps(d.model_dump(mode="json"), indent=2))
    assert load_dossier(json_path) == d


# --------------------------------------------------------------------------- dossier errors


def test_unknown_field_names_path_line_and_column(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD + "credential:\n  title: T\n  workload:\n    ects: 5\n    hourz: 130\n",
    )
    assert error.path == "credential.workload.hourz"
    assert (error.line, error.column) == (7, 5)
    assert "unknown field 'hourz'" in str(error)
    assert "perhaps you meant 'hours'" in str(error)
    assert "qa-engine schema dossier" in str(error)
    assert f"{error.file}:7:5 at credential.workload.hourz" in str(error)


def test_unknown_top_level_field(tmp_path: Path) -> None:
    error = dossier_error(tmp_path, HEAD + "colour: blue\n")
    assert (error.path, error.line) == ("colour", 3)
    assert "remove it or check its spelling against `qa-engine schema dossier`" in str(error)


def test_wrong_type_names_path_and_line(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD + "assessments:\n  - id: A1\n    weight: 0.5\n  - id: A2\n    weight: abc\n",
    )
    assert error.path == "assessments[1].weight"
    assert (error.line, error.column) == (7, 13)  # the value itself
    assert "expected a number, got 'abc'" in str(error)


@pytest.mark.parametrize(
    ("yaml_text", "path", "line", "words"),
    [
        ("modules:\n  - id: M1\n    hours: -4\n", "modules[0].hours", 5, "at least 0"),
        ("cohorts:\n  - id: c\n    satisfaction: 85\n", "cohorts[0].satisfaction", 5, "at most 1"),
        (
            "credential:\n  issue_date_shown: yes\n",
            "credential.issue_date_shown",
            4,
            "true or false",
        ),
        ("submitted: 2025-02-30\n", "submitted", 3, "expected a date"),
        ("credential:\n  level:\n    eqf: 6.5\n", "credential.level.eqf", 5, "whole number"),
        ("provider:\n  country: Germany\n", "provider.country", 4, "ISO 3166-1"),
        ("assessments:\n  - id: A\n    type: oral\n", "assessments[0].type", 5, "must be one of"),
        ("cohorts:\n  - enrolled: 3\n", "cohorts[0].id", 4, "required field 'id' is missing"),
        ("outcomes: LO1\n", "outcomes", 3, "expected a list"),
    ],
)
def test_value_errors_are_located(
    tmp_path: Path, yaml_text: str, path: str, line: int, words: str
) -> None:
    error = dossier_error(tmp_path, HEAD + yaml_text)
    assert error.path == path
    assert error.line == line
    assert words in str(error)


def test_schema_version_as_number_explains_the_quotes(tmp_path: Path) -> None:
    error = dossier_error(tmp_path, "schema_version: 1.0\nid: d1\n")
    assert error.path == "schema_version" and error.line == 1
    assert 'quoted string "1.0"' in str(error)


def test_weights_that_cannot_add_up(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD + "assessments:\n  - id: A1\n    weight: 0.7\n  - id: A2\n    weight: 0.6\n",
    )
    assert error.path == "assessments" and error.line == 3
    assert "weights that cannot add up" in str(error)


def test_completed_more_than_enrolled(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD
        + "cohorts:\n  - id: c1\n    enrolled: 30\n    completed: 20\n"
        + "  - id: c2\n    enrolled: 30\n    completed: 31\n",
    )
    assert error.path == "cohorts[1].completed"
    assert (error.line, error.column) == (9, 5)
    assert "completed (31) is more than enrolled (30)" in str(error)


def test_unknown_outcome_reference(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD
        + "outcomes:\n  - id: LO1\n    statement: s\n"
        + "assessments:\n  - id: A1\n    outcomes: [LO1]\n  - id: A2\n  - id: A3\n"
        + "    outcomes:\n      - LO7\n",
    )
    assert error.path == "assessments[2].outcomes[0]"
    assert (error.line, error.column) == (12, 9)
    assert "unknown outcome 'LO7'" in str(error)


def test_duplicate_ids(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD + "evidence:\n  - id: E1\n  - id: E2\n  - id: E1\n",
    )
    assert error.path == "evidence[2].id" and error.line == 6
    assert "duplicate id 'E1'" in str(error) and "evidence[0].id" in str(error)


def test_first_problem_in_file_order_and_count_of_the_rest(tmp_path: Path) -> None:
    error = dossier_error(
        tmp_path,
        HEAD
        + "title: 5\n"
        + "credential:\n  workload:\n    hours: -1\n"
        + "provider:\n  nmae: x\n",
    )
    assert error.path == "title" and error.line == 3
    assert str(error).endswith("(and 2 more problems).")
    assert [p.path for p in error.problems] == [
        "title",
        "credential.workload.hours",
        "provider.nmae",
    ]
    assert [p.line for p in error.problems] == [3, 6, 8]


def test_json_dossier_errors_have_lines(tmp_path: Path) -> None:
    data = {"schema_version": "1.0", "id": "d1", "cohorts": [{"id": "c", "enrolled": 3}]}
    text = json.dumps(data, indent=2).replace('"enrolled": 3', '"enrolled": 3,\n"foo": 1')
    error = dossier_error(tmp_path, text, name="d.json")
    assert error.path == "cohorts[0].foo"
    assert error.line == text.splitlines().index('"foo": 1') + 1


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    error = dossier_error(tmp_path, "- a\n- b\n")
    assert error.path is None and error.line == 1
    assert "expected a mapping" in str(error)


# --------------------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("a: [1, 2\nb: 3\n", 2),
        ("a: 1\n b: 2\n  c: 3\n", 2),
        ("a:\n  - x\n  y: 1\n", 3),
        ("a: 'unterminated\n", 2),
        ("key: value\n\tindented: tab\n", 2),
    ],
)
def test_broken_yaml_gives_line(tmp_path: Path, content: str, line: int) -> None:
    error = input_error(tmp_path, content)
    assert error.line == line and error.column is not None
    assert "fix the YAML syntax" in str(error)


@pytest.mark.parametrize(
    "content",
    [
        "a: !!python/object/apply:os.system ['touch {pwned}']\n",
        "a: !!python/object/new:os.system ['touch {pwned}']\n",
        "a: !!python/name:os.system\n",
        "!!python/object/apply:os.system\nargs: ['touch {pwned}']\n",
        "a: !custom 1\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {{x, y}}\n",
    ],
)
def test_object_constructing_tags_are_rejected(tmp_path: Path, content: str) -> None:
    pwned = tmp_path / "pwned"
    error = input_error(tmp_path, content.format(pwned=pwned))
    assert "tag" in str(error) and error.line is not None
    assert not pwned.exists()


def test_tags_rejected_in_dossier_too(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", HEAD + "title: !!python/object/apply:os.getcwd []\n")
    with pytest.raises(InputError) as info:
        load_dossier(path)
    assert info.value.line == 3


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    start = time.perf_counter()
    error = input_error(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert "alias" in str(error) and error.line == 2


def test_even_a_single_alias_is_rejected(tmp_path: Path) -> None:
    error = input_error(tmp_path, "a: &x {k: 1}\nb: *x\n")
    assert (error.line, error.column) == (2, 4)


def test_merge_keys_are_rejected(tmp_path: Path) -> None:
    assert "merge" in str(input_error(tmp_path, "a:\n  <<: {k: 1}\n"))


def test_recursive_alias_does_not_hang(tmp_path: Path) -> None:
    assert "alias" in str(input_error(tmp_path, "a: &a [*a]\n"))


def test_multiple_documents_are_rejected(tmp_path: Path) -> None:
    error = input_error(tmp_path, HEAD + "---\n" + HEAD)
    assert "more than one YAML document" in str(error) and error.line == 4


@pytest.mark.parametrize("content", ["", "   \n\n", "# just a comment\n", "---\n", "~\n"])
def test_empty_files_are_rejected(tmp_path: Path, content: str) -> None:
    assert "is empty" in str(input_error(tmp_path, content))


def test_duplicate_yaml_keys_are_rejected(tmp_path: Path) -> None:
    error = input_error(tmp_path, "a: 1\nb:\n  c: 1\n  c: 2\n")
    assert "twice" in str(error) and (error.line, error.column) == (4, 3)


def test_too_deep_nesting_is_rejected(tmp_path: Path) -> None:
    assert "too deeply" in str(input_error(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n"))
    assert "too deeply" in str(input_error(tmp_path, "[" * 200 + "]" * 200, name="d.json"))
    assert "too deeply" in str(input_error(tmp_path, "[" * 100000 + "]" * 100000, name="d.json"))


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('{\n  "a": 1,\n  "b": \n}\n', 4, "invalid JSON"),
        ('{"a": 1,}', 1, "invalid JSON"),
        ('{\n "a": 1,\n "a": 2\n}', 3, "duplicate key"),
        ('{\n "a": NaN\n}', 2, "not a valid JSON number"),
    ],
)
def test_broken_json_gives_line(tmp_path: Path, content: str, line: int, words: str) -> None:
    error = input_error(tmp_path, content, name="d.json")
    assert error.line == line and words in str(error)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    text = (EXAMPLES / "mooc-intro-ai.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_dossier(path) == load_dossier(EXAMPLES / "mooc-intro-ai.yaml")
    json_path = write(tmp_path, "bom.json", b'\xef\xbb\xbf{"schema_version": "1.0", "id": "x"}')
    assert load_dossier(json_path).id == "x"
    assert load_dossier(text="\ufeff" + HEAD).id == "d1"


def test_non_utf8_is_rejected_with_position(tmp_path: Path) -> None:
    error = input_error(tmp_path, HEAD.encode() + "title: Café\n".encode("latin-1"))
    assert "UTF-8" in str(error) and (error.line, error.column) == (3, 11)
    assert "UTF-16" in str(input_error(tmp_path, HEAD.encode("utf-16")))


def test_control_characters_are_rejected(tmp_path: Path) -> None:
    error = input_error(tmp_path, HEAD + "title: a\x07b\n")
    assert error.line == 3


def test_size_limit(tmp_path: Path) -> None:
    error = input_error(tmp_path, HEAD + "title: " + "x" * 200 + "\n", max_bytes=100)
    assert "larger than the limit of 100 bytes" in str(error)
    with pytest.raises(InputError):
        load_document("big.yaml", text="x" * 101, max_bytes=100)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_dossier(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="directory"):
        load_dossier(tmp_path)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HEAD.encode())))
    assert load_dossier("-").id == "d1"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a: [")))
    with pytest.raises(InputError) as info:
        load_document("-")
    assert str(info.value).startswith("<stdin>:")


def test_format_is_chosen_by_extension_then_content(tmp_path: Path) -> None:
    # flow-style YAML in a .yaml file is YAML, even though it starts with "{"
    data, _ = load_document(write(tmp_path, "a.yaml", "{a: 1, b: [x]}\n"))
    assert data == {"a": 1, "b": ["x"]}
    with pytest.raises(InputError, match="invalid JSON"):
        load_document(write(tmp_path, "a.json", "{a: 1}\n"))
    with pytest.raises(InputError, match="invalid JSON"):
        load_document(text="{a: 1}")
    assert load_document(text="a: 1")[0] == {"a": 1}


# --------------------------------------------------------------------------- plain data, line map


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items()) and type(value) is dict
    if isinstance(value, list):
        return type(value) is list and all(_plain(v) for v in value)
    return type(value) in (str, int, float, bool, type(None), date, datetime)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_documents_are_plain_python(path: Path) -> None:
    data, _ = load_document(path)
    assert _plain(data)


def test_yaml_scalars_and_keys() -> None:
    data, _ = load_document(
        "x.yaml",
        text="a: 2024-01-02\nb: 2024-01-02 10:00:00\nc: yes\nd: ~\n1: one\ntrue: t\ne: 0x10\n",
    )
    assert data == {
        "a": date(2024, 1, 2),
        "b": datetime(2024, 1, 2, 10, 0),
        "c": "yes",  # YAML 1.2
        "d": None,
        "1": "one",  # keys are always text, as in JSON
        "true": "t",
        "e": 16,
    }
    assert _plain(data)


def test_yaml_line_map() -> None:
    text = (
        HEAD + "assessments:\n  - id: A1\n    weight: 0.5\n  - id: A2\n    outcomes: [LO1, LO2]\n"
    )
    _, lines = load_document("x.yaml", text=text)
    assert isinstance(lines, LineMap)
    assert lines[("id",)] == (2, 1)
    assert lines[("assessments", 0, "weight")] == (5, 5)
    assert lines.value_position(("assessments", 0, "weight")) == (5, 13)
    assert lines[("assessments", 1, "outcomes", 1)] == (7, 21)
    assert lines.nearest(("assessments", 1, "weight")) == (("assessments", 1), (6, 5))
    assert lines.nearest(("nothing", "here")) == ((), (1, 1))
    assert ("assessments", 1) in lines and ("assessments", 2) not in lines


def test_json_line_map() -> None:
    text = '{\n  "id": "x",\n  "list": [\n    1,\n    {"k": "v, ]}"},\n    []\n  ],\n  "e": {}\n}'
    data, lines = load_document("x.json", text=text)
    assert data == {"id": "x", "list": [1, {"k": "v, ]}"}, []], "e": {}}
    assert lines[("id",)] == (2, 3)
    assert lines.value_position(("id",)) == (2, 9)
    assert lines[("list", 0)] == (4, 5)
    assert lines[("list", 1, "k")] == (5, 6)
    assert lines[("list", 2)] == (6, 5)
    assert lines[("e",)] == (8, 3)


@pytest.mark.parametrize(
    ("loc", "text"),
    [
        (("assessments", 2, "weight"), "assessments[2].weight"),
        (("credential", "workload", "ects"), "credential.workload.ects"),
        (("languages", 0), "languages[0]"),
        ((), ""),
        (("source", "provenance", "a b"), 'source.provenance["a b"]'),
        ((0, "x"), "[0].x"),
    ],
)
def test_format_loc(loc: tuple, text: str) -> None:
    assert format_loc(loc) == text


# --------------------------------------------------------------------------- round trips (hypothesis)

_EXAMPLE_DATA = [
    load_dossier(p).model_dump(mode="python", exclude_none=True) for p in EXAMPLE_FILES
]
_REQUIRED = {"schema_version", "id", "statement", "name", "feedback", "change"}
_FREE_TEXT = {
    "title", "description", "name", "statement", "action_verb", "learner_identification",
    "assessment_type", "quality_assurance_type", "prerequisites", "grade", "stackability",
    "further_information", "format", "role", "external_body", "external_result", "feedback",
    "change", "labour_market_evidence", "skills_framework", "public_url", "url", "file",
    "website", "identifier", "nqf_framework", "nqf_level", "wcag_version", "statement_url",
    "services", "employer_partners", "published_items", "issuer_countries", "notes",
}  # fmt: skip
_FRACTIONS = {"satisfaction", "survey_response_rate", "progression_rate", "employment_rate"}
_text = st.text(max_size=40)
_fraction = st.floats(min_value=0, max_value=1)


def _subset(draw: Any, value: Any, key: str | None = None) -> Any:
    """Drop optional fields and list items at random; replace free text and numbers."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if (k in _REQUIRED or k == "id" or (key == "materials" and k == "title")) or draw(
                st.booleans()
            ):
                out[k] = _subset(draw, v, k)
        return out
    if isinstance(value, list):
        keep = [item for item in value if draw(st.integers(0, 3)) > 0]
        return [_subset(draw, item, key) for item in keep]
    if isinstance(value, str) and key in _FREE_TEXT and draw(st.booleans()):
        return draw(_text.filter(bool) if key in _REQUIRED or key == "title" else _text)
    if isinstance(value, float) and key in _FRACTIONS and draw(st.booleans()):
        return draw(_fraction)
    if isinstance(value, date) and draw(st.booleans()):
        return draw(st.dates())
    return value


def _repair(data: dict[str, Any]) -> dict[str, Any]:
    """Keep references consistent after items were dropped."""
    outcome_ids = {o["id"] for o in data.get("outcomes", [])}
    assessment_ids = {a["id"] for a in data.get("assessments", [])}
    for o in data.get("outcomes", []):
        if "assessed_by" in o:
            o["assessed_by"] = [r for r in o["assessed_by"] if r in assessment_ids]
    for item in data.get("modules", []) + data.get("assessments", []):
        if "outcomes" in item:
            item["outcomes"] = [r for r in item["outcomes"] if r in outcome_ids]
    return data


@st.composite
def mutated_examples(draw: Any) -> Dossier:
    base = draw(st.sampled_from(_EXAMPLE_DATA))
    return Dossier.model_validate(_repair(_subset(draw, base)))


_ids = st.lists(st.text(min_size=1, max_size=8), min_size=0, max_size=4, unique=True)


@st.composite
def generated_dossiers(draw: Any) -> Dossier:
    outcome_ids = draw(_ids)
    assessment_ids = draw(_ids)
    weights = [draw(st.floats(0, 1 / max(1, len(assessment_ids)))) for _ in assessment_ids]
    data: dict[str, Any] = {
        "schema_version": "1.0",
        "id": draw(st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,20}\Z")),
        "title": draw(st.none() | _text),
        "description": draw(st.none() | st.text(max_size=300)),
        "languages": draw(st.lists(st.sampled_from(["en", "de", "fr", "nl"]), max_size=3)),
        "submitted": draw(st.none() | st.dates()),
        "credential": draw(
            st.none()
            | st.fixed_dictionaries(
                {},
                optional={
                    "title": _text,
                    "workload": st.fixed_dictionaries(
                        {},
                        optional={
                            "ects": st.floats(0, 360) | st.integers(0, 360),
                            "hours": st.floats(0, 20000),
                        },
                    ),
                    "level": st.fixed_dictionaries(
                        {}, optional={"eqf": st.integers(1, 8), "nqf_level": _text}
                    ),
                    "issue_date_shown": st.booleans(),
                    "supervision": st.sampled_from(
                        ["unsupervised_no_id", "supervised_no_id", "supervised_with_id"]
                    ),
                    "issuer_countries": st.lists(_text, max_size=3),
                },
            )
        ),
        "outcomes": [
            {
                "id": oid,
                "statement": draw(st.text(min_size=1, max_size=80)),
                "bloom_level": draw(st.none() | st.integers(1, 6)),
                "assessed_by": draw(st.lists(st.sampled_from(assessment_ids), max_size=2))
                if assessment_ids
                else [],
            }
            for oid in outcome_ids
        ],
        "assessments": [
            {
                "id": aid,
                "weight": weight,
                "outcomes": draw(st.lists(st.sampled_from(outcome_ids), max_size=3))
                if outcome_ids
                else [],
                "type": draw(st.none() | st.sampled_from(["exam", "quiz", "project"])),
            }
            for aid, weight in zip(assessment_ids, weights, strict=True)
        ],
        "cohorts": [
            {"id": cid, "enrolled": n, "completed": n // 2, "satisfaction": s, "start": start}
            for cid, n, s, start in draw(
                st.lists(
                    st.tuples(_text.filter(bool), st.integers(0, 10**6), _fraction, st.dates()),
                    max_size=3,
                    unique_by=lambda t: t[0],
                )
            )
        ],
        "source": draw(
            st.none()
            | st.fixed_dictionaries(
                {"provenance": st.dictionaries(_text, _text, max_size=4)},
                optional={"notes": st.lists(_text, max_size=3)},
            )
        ),
    }
    return Dossier.model_validate(data)


_roundtrip_settings = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_roundtrip_settings
@given(mutated_examples())
def test_round_trip_of_mutated_examples(d: Dossier) -> None:
    text = dump_dossier_yaml(d)
    # generated dates may lie after today, which loading refuses (issue 13); the round
    # trip is checked as on the last day a date can name
    assert load_dossier(text=text, today=NO_FUTURE) == d


@_roundtrip_settings
@given(generated_dossiers())
def test_round_trip_of_generated_dossiers(d: Dossier) -> None:
    text = dump_dossier_yaml(d)
    back = load_dossier(text=text, today=NO_FUTURE)
    assert back == d
    assert back.model_dump(mode="json") == d.model_dump(mode="json")


@settings(max_examples=100, deadline=None)
@given(generated_dossiers())
def test_json_round_trip_of_generated_dossiers(d: Dossier) -> None:
    assert load_dossier("x.json", text=d.model_dump_json(), today=NO_FUTURE) == d


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_loader(text: str) -> None:
    try:
        load_dossier("x.yaml", text=text)
    except (InputError, DossierError) as exc:
        assert "\n" not in str(exc)
