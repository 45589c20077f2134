"""Static checker of the condition language (types, paths, hints, limits)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any, Literal, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import AnyUrl, BaseModel, Field, computed_field

from qa_engine.errors import ConditionError
from qa_engine.lang.ast import Binary, Call, Path, Quant, Unary
from qa_engine.lang.ast import Literal as Lit
from qa_engine.lang.checker import (
    CRITERION_STATES,
    CheckResult,
    Type,
    TypeEnv,
    check,
    check_condition,
    compile_pattern,
)
from qa_engine.lang.parser import MAX_DEPTH, parse

# --------------------------------------------------------------------------- test schema


class Level(enum.Enum):
    BASIC = "basic"
    ADVANCED = "advanced"


class Workload(BaseModel):
    ects: float | None = None
    hours: int | None = None


class Participation(BaseModel):
    mode: Literal["online", "blended", "on-site"]
    synchronous: bool | None = None


class Credential(BaseModel):
    title: str
    issued: date | None = None
    workload: Workload | None = None
    participation: Participation
    eqf_level: Literal[1, 2, 3, 4, 5, 6, 7, 8] | None = None
    languages: list[str] = []
    stackable: Optional[bool] = None  # noqa: UP045 - Optional on purpose
    url: AnyUrl | None = None
    tier: Level | None = None


class Outcome(BaseModel):
    id: str
    statement: str
    bloom_level: Annotated[int, Field(ge=1, le=6)] | None = None
    assessed_by: list[str] = []


class Activity(BaseModel):
    kind: str
    interactive: bool | None = None


class Module(BaseModel):
    id: str
    hours: float | None = None
    activities: list[Activity] = []


class Assessment(BaseModel):
    id: str
    type: Literal["exam", "project", "quiz"]
    weight: float | None = None
    supervised: bool = False
    due: datetime | None = None


class Support(BaseModel):
    services: list[str] = []
    response_hours: int | None = None


class Dossier(BaseModel):
    id: str
    submitted: date
    credential: Credential
    outcomes: list[Outcome] = []
    modules: list[Module] = []
    assessments: list[Assessment] = []
    support: Support | None = None
    extra: dict[str, Any] = {}
    scores: list[float] = []
    review_dates: list[date] = []
    matrix: list[list[int]] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outcome_count(self) -> int:
        return len(self.outcomes)


ENV = TypeEnv.from_model(Dossier)
CRITERIA = {"ASSESS-01", "LO-03"}


def ok(text: str, **kw: Any) -> CheckResult:
    return check(parse(text), ENV, **kw)


def err(text: str, *, condition: bool = False, **kw: Any) -> ConditionError:
    with pytest.raises(ConditionError) as info:
        if condition:
            check_condition(parse(text), ENV, **kw)
        else:
            check(parse(text), ENV, **kw)
    return info.value


# --------------------------------------------------------------------------- TypeEnv


@pytest.mark.parametrize(
    ("path", "kind", "nullable"),
    [
        ("id", "string", False),
        ("submitted", "date", False),
        ("credential", "object", False),
        ("credential.workload", "object", True),
        ("credential.workload.ects", "number", True),
        ("credential.workload.hours", "number", True),
        ("credential.participation.mode", "string", False),
        ("credential.participation.synchronous", "bool", True),
        ("credential.stackable", "bool", True),
        ("credential.eqf_level", "number", True),
        ("credential.url", "string", True),
        ("credential.tier", "string", True),
        ("credential.languages", "list", False),
        ("credential.languages[]", "string", False),
        ("outcomes", "list", False),
        ("outcomes[]", "object", False),
        ("outcomes[].bloom_level", "number", True),
        ("modules[].activities[].interactive", "bool", True),
        ("assessments[].due", "date", True),
        ("extra", "opaque", True),
        ("matrix[][]", "number", False),
        ("outcome_count", "number", False),
    ],
)
def test_type_env_from_model(path, kind, nullable):
    t = ENV.resolve(path)
    assert t.kind == kind
    assert t.nullable is nullable


def test_type_env_literal_and_enum_values():
    assert ENV.resolve("credential.participation.mode").allowed == ("online", "blended", "on-site")
    assert ENV.resolve("credential.tier").allowed == ("basic", "advanced")
    assert ENV.resolve("credential.eqf_level").allowed == (1, 2, 3, 4, 5, 6, 7, 8)
    assert ENV.resolve("outcomes[]").models == (Outcome,)


def test_type_env_resolve_errors():
    with pytest.raises(ConditionError, match="unknown field 'nope'"):
        ENV.resolve("credential.nope")
    with pytest.raises(ConditionError, match="not a list"):
        ENV.resolve("credential[]")


def test_type_env_rejects_non_models():
    with pytest.raises(TypeError):
        TypeEnv.from_model(dict)  # type: ignore[arg-type]


def test_recursive_model():
    class Node(BaseModel):
        name: str
        children: list[Node] = []

    Node.model_rebuild()
    env = TypeEnv.from_model(Node)
    assert env.resolve("children[].children[].name").kind == "string"
    r = check(parse('any(c in children: any(g in c.children: g.name == "x"))'), env)
    assert r.paths == ("children", "children[].children", "children[].children[].name")


def test_union_of_models_merges_fields():
    class A(BaseModel):
        kind: Literal["a"]
        x: int

    class B(BaseModel):
        kind: Literal["b"]
        y: str

    class Root(BaseModel):
        items: list[A | B]

    env = TypeEnv.from_model(Root)
    assert env.resolve("items[].kind").allowed == ("a", "b")
    assert env.resolve("items[].x").nullable  # only present on A
    check(parse('any(i in items: i.kind == "a" and i.x > 1)'), env)


def test_type_str():
    assert str(ENV.resolve("outcomes")) == "list of object (Outcome)"
    assert ENV.resolve("credential.workload.ects").describe() == "a number"
    assert Type("opaque").describe() == "a free-form value"


# --------------------------------------------------------------------------- accepted expressions


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("credential.workload.ects >= 5", "bool"),
        ("credential.workload.ects * 25 + 1", "number"),
        ("-credential.workload.hours", "number"),
        ("credential.title", "string"),
        ('lower(credential.title) == "data"', "bool"),
        ("credential.issued >= date(\"2023-01-01\")", "bool"),
        ("credential.issued < as_of()", "bool"),
        ("days_since(credential.issued) <= 365", "bool"),
        ("years_since(submitted) < 1.5", "bool"),
        ("exists(credential.workload)", "bool"),
        ("exists(extra)", "bool"),
        ("empty(extra) or empty(credential.title) or empty(outcomes)", "bool"),
        ("len(credential.title) > 3 and len(outcomes) >= 1 and len(extra) == 0", "bool"),
        ('matches(credential.title, "^[A-Z]")', "bool"),
        ('contains(credential.title, "Data") and startswith(credential.title, "D")', "bool"),
        ('endswith(credential.title, credential.title)', "bool"),
        ("word_count(credential.title) >= 2", "bool"),
        ('credential.participation.mode in ["online", "blended"]', "bool"),
        ('credential.participation.mode != "on-site"', "bool"),
        ('"on-site" != credential.participation.mode', "bool"),
        ('"en" in credential.languages', "bool"),
        ('"en" not in credential.languages', "bool"),
        ("credential.eqf_level in [5, 6]", "bool"),
        ("credential.eqf_level >= 5", "bool"),
        ('credential.tier == "advanced"', "bool"),
        ("credential.participation.synchronous", "bool"),
        ("credential.participation.synchronous == false", "bool"),
        ("not credential.stackable", "bool"),
        ("any(o in outcomes: o.bloom_level >= 4)", "bool"),
        ("all(a in assessments: a.weight >= 0.1)", "bool"),
        ("none(a in assessments: a.supervised)", "bool"),
        ("count(outcomes)", "number"),
        ("count(o in outcomes: exists(o.bloom_level))", "number"),
        ("sum(a in assessments: a.weight)", "number"),
        ("sum(scores)", "number"),
        ("min(scores) + max(m in modules: m.hours)", "number"),
        ("min(review_dates) < date(\"2020-01-01\")", "bool"),
        ("max(a in assessments: a.due) > credential.issued", "bool"),
        ("share(o in outcomes: len(o.assessed_by) > 0) >= 0.8", "bool"),
        ('any(s in support.services: startswith(s, "24"))', "bool"),
        ("any(row in matrix: any(cell in row: cell > 0))", "bool"),
        ("any(m in modules: any(a in m.activities: a.interactive))", "bool"),
        ('state("ASSESS-01") == "met"', "bool"),
        ('met("ASSESS-01") or met("LO-03")', "bool"),
        ("outcome_count >= 3", "bool"),
        ("credential.workload.ects / 0", "number"),
        ("true", "bool"),
        ("(credential.workload.ects > 1) == (credential.workload.hours > 1)", "bool"),
    ],
)
def test_accepted(text, kind):
    result = ok(text, criteria=CRITERIA)
    assert result.type.kind == kind


def test_paths_and_criteria_refs():
    r = ok(
        'credential.workload.ects >= 5 and all(a in assessments: a.weight >= 0.1) '
        'and any(m in modules: any(x in m.activities: x.interactive)) and met("LO-03") '
        'and state("ASSESS-01") != "error" and "en" in credential.languages '
        'and any(s in support.services: s == "x")',
        criteria=CRITERIA,
    )
    assert r.paths == (
        "assessments",
        "assessments[].weight",
        "credential.languages",
        "credential.workload.ects",
        "modules",
        "modules[].activities",
        "modules[].activities[].interactive",
        "support.services",
        "support.services[]",
    )
    assert r.criteria_refs == frozenset({"LO-03", "ASSESS-01"})


def test_check_accepts_text_and_criteria_none_allows_any_id():
    r = check('met("ANYTHING")', ENV)
    assert r.criteria_refs == {"ANYTHING"}
    assert check_condition("exists(id)", ENV).type.kind == "bool"


# --------------------------------------------------------------------------- rejected expressions


@pytest.mark.parametrize(
    ("text", "message", "col", "hint"),
    [
        # unknown paths
        ("credential.workload.ectz > 1", "unknown field 'ectz' in 'credential.workload'", 21, "did you mean 'ects'?"),
        ("credentail.title", "unknown field 'credentail' in the dossier", 1, "did you mean 'credential'?"),
        ("credential.nope", "unknown field 'nope' in 'credential'", 12, "fields: title, issued"),
        ("any(o in outcomes: o.levle > 1)", "unknown field 'levle' in 'o' (an item of outcomes)", 22, "fields: id, statement"),
        ("True", "unknown field 'True'", 1, "write 'true' in lower case"),
        ("outcomes.id", "'outcomes' is a list, so '.id' cannot be read", 10, "any(x in outcomes: x.id"),
        ("extra.foo", "'extra' is a free-form value", 7, "only exists(), empty() and len()"),
        ("credential.title.x", "'credential.title' is a string and has no field 'x'", 18, None),
        # comparisons
        ("credential.title == 5", "cannot compare credential.title (string) with 5 (number)", 18, "same type"),
        ('credential.workload.ects >= "5"', "cannot compare", 26, "remove the quotes"),
        ('credential.issued > "2024-01-01"', "cannot compare credential.issued (date) with", 19, 'date("2024-01-31")'),
        ('credential.stackable == "true"', "cannot compare", 22, "without quotes"),
        ('credential.title > "M"', "'>' only orders numbers and dates", 18, "'==', '!=' or 'in'"),
        ("credential.stackable < true", "'<' only orders numbers and dates", 22, "booleans"),
        ("outcomes == 1", "'==' cannot compare outcomes, which is a list", 10, "len(outcomes)"),
        ("extra == 1", "cannot compare extra, which is a free-form value", 7, None),
        ("credential == credential", "which is an object", 12, None),
        ('credential.participation.mode == "onlin"', '"onlin" is not a possible value of credential.participation.mode', 34, 'did you mean "online"?'),
        ('"Online" == credential.participation.mode', '"Online" is not a possible value', 1, 'possible values: "online", "blended", "on-site"'),
        ('credential.participation.mode in ["online", "hybrid"]', '"hybrid" is not a possible value', 45, None),
        ('credential.tier != "expert"', '"expert" is not a possible value of credential.tier', 20, None),
        ("credential.eqf_level == 9", "9 is not a possible value of credential.eqf_level", 25, "possible values: 1, 2"),
        ('state("LO-03") == "passed"', '"passed" is not a possible value of state("LO-03")', 19, '"met"'),
        ('any(a in assessments: a.type == "essay")', '"essay" is not a possible value of a.type', 33, None),
        ("credential.workload.ects == null", "null cannot be used in a condition", 29, "exists(...)"),
        ("exists(null)", "null cannot be used", 8, None),
        # membership
        ('"Data" in credential.title', "'in' needs a list on its right, but credential.title is a string", 8, "contains(credential.title, ...)"),
        ('5 in credential.languages', "cannot look for 5 (number) in credential.languages", 3, None),
        ('credential.workload.ects in ["a"]', "cannot look for", 26, None),
        ("outcomes in [1]", "needs a single value on its left", 10, None),
        ("credential.title in [credential.title]", "the items of a list must be literal values", 22, None),
        ('credential.title in [1, "a"]', "all be of one type", 21, None),
        ("credential.title in []", "an empty list never contains anything", 21, None),
        ('credential.title in ["a", null]', "null cannot be an item of a list", 27, None),
        # boolean operators and arithmetic
        ("credential.workload.ects and true", "'and' needs conditions on both sides, but credential.workload.ects is a number", 26, "compare it"),
        ("true or credential.title", "'or' needs conditions on both sides, but credential.title is a string", 6, "exists(...)"),
        ("not credential.workload.ects", "'not' needs a condition, but credential.workload.ects is a number", 1, None),
        ('credential.title + "x"', "'+' needs numbers, but credential.title is a string", 18, "numbers only"),
        ("credential.issued - submitted", "'-' needs numbers, but credential.issued is a date", 19, "days_since"),
        ("1 + 2 * credential.title", "'*' needs numbers", 7, None),
        ("-credential.title", "'-' needs a number", 1, None),
        # functions
        ("exists(credential.title, 1)", "exists() takes 1 argument but 2 were given", 1, None),
        ("as_of(1)", "as_of() takes 0 arguments but 1 were given", 1, None),
        ("matches(credential.title)", "matches() takes 2 arguments but 1 were given", 1, None),
        ("exists(5)", "exists() needs a path, not a constant", 8, None),
        ("empty(credential.workload.ects)", "empty() needs a string or a list, but credential.workload.ects is a number", 1, "exists(credential.workload.ects)"),
        ("len(credential.workload.ects) > 1", "len() needs a string or a list", 1, None),
        ("lower(credential.workload.ects)", "lower() needs a string", 1, None),
        ('contains(credential.languages, "en")', "contains() needs a string, but credential.languages is a list", 1, "value in credential.languages"),
        ('contains(credential.title, 5)', "contains() needs a string as its second argument", 28, None),
        ("word_count(outcomes) > 1", "word_count() needs a string", 1, None),
        ("days_since(credential.title) > 1", "days_since() needs a date, but credential.title is a string", 1, 'date("2024-01-31")'),
        ("years_since(5) > 1", "years_since() needs a date", 1, None),
        ('date("2024-02-30") < submitted', "is not a valid calendar date", 6, None),
        ('date("31/01/2024") < submitted', "is not a date written as YYYY-MM-DD", 6, None),
        ("date(credential.title) < submitted", "date() needs a date written as a string literal", 6, None),
        ("met(credential.title)", "met() needs a criterion id written as a string literal", 5, None),
        ('state("ASES-01") == "met"', 'unknown criterion "ASES-01" in state()', 7, 'did you mean "ASSESS-01"?'),
        ('met("NOPE")', 'unknown criterion "NOPE" in met()', 5, None),
        ('matches(credential.title, credential.title)', "matches() needs the regular expression as a string literal", 27, None),
        ('matches(credential.title, "(a+)+$")', "could be very slow", 27, None),
        ('matches(credential.title, "(x*)*")', "could be very slow", 27, None),
        ('matches(credential.title, "(a|a)*")', "could be very slow", 27, None),
        ('matches(credential.title, "([a-z]+\\.)+com")', "could be very slow", 27, None),
        ('matches(credential.title, "(")', "invalid regular expression", 27, None),
        ('matches(credential.title, "' + "a" * 201 + '")', "too long", 27, None),
        # quantifiers
        ("any(o in credential: true)", "any() needs a list, but credential is an object (Credential)", 10, None),
        ("count(credential.title)", "count() needs a list", 7, None),
        ("any(o in outcomes: o.bloom_level)", "the body of any() must be a condition, but o.bloom_level is a number", 20, None),
        ("share(o in outcomes: o.id)", "the body of share() must be a condition", 22, None),
        ("sum(o in outcomes: o.id)", "the body of sum() must be a number, but o.id is a string", 20, None),
        ("max(o in outcomes: o.id)", "the body of max() must be a number or a date", 20, None),
        ("sum(outcomes)", "sum() needs a list of numbers", 1, "sum(x in outcomes: x.field)"),
        ("min(credential.languages)", "min() needs a list of numbers or dates", 1, None),
        ("any(id in outcomes: true)", "the item name 'id' hides the dossier field 'id'", 1, None),
    ],
)
def test_rejected(text, message, col, hint):
    e = err(text, criteria=CRITERIA)
    assert message in e.message
    assert e.line == 1
    assert e.column == col
    if hint is not None:
        assert e.hint is not None and hint in e.hint
    assert str(e).endswith(".")


def test_error_positions_on_later_lines():
    e = err("exists(id)\n  and credential.workload.ectz >= 1")
    assert (e.line, e.column) == (2, 27)


def test_condition_must_be_boolean():
    e = err("credential.workload.ects", condition=True)
    assert "a condition must be true or false, but this expression is a number" in e.message
    assert (e.line, e.column) == (1, 1)
    err('"a"', condition=True)
    err("count(outcomes)", condition=True)
    assert check_condition(parse("count(outcomes) > 0"), ENV).type.kind == "bool"


def test_unknown_function_in_hand_built_tree():
    with pytest.raises(ConditionError, match="unknown function 'eval'"):
        check(Call("eval", (Lit("1"),)), ENV)
    with pytest.raises(ConditionError, match="must be written as any"):
        check(Call("any", (Path(None, ("outcomes",)),)), ENV)


def test_shadowing_in_hand_built_tree():
    inner = Quant("any", "o", Path("o", ("assessed_by",)), Lit(True))
    with pytest.raises(ConditionError, match="already bound"):
        check(Quant("any", "o", Path(None, ("outcomes",)), inner), ENV)
    with pytest.raises(ConditionError, match="not bound"):
        check(Path("o", ("id",)), ENV)
    with pytest.raises(ConditionError, match="must be a path"):
        check(Quant("any", "o", Call("lower", (Lit("x"),)), Lit(True)), ENV)


def test_hand_built_limits():
    node: Any = Path(None, ("credential", "stackable"))
    for _ in range(MAX_DEPTH + 1):
        node = Unary("not", node)
    with pytest.raises(ConditionError, match="nested too deeply"):
        check(node, ENV)
    wide: Any = Lit(True)
    for _ in range(300):
        wide = Binary("and", wide, Lit(True))
    with pytest.raises(ConditionError, match="too large"):
        check(wide, ENV)


def test_long_chain_is_checked_without_recursion_problems():
    text = " + ".join(["outcome_count"] * 240) + " > 1"
    assert ok(text).type.kind == "bool"


# --------------------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    "pattern",
    [r"^[A-Z]{2}[0-9]{6}$", r"(?i)data", r"^(com|org)+$", r"\d+(\.\d+)?", r"a{2,3}", r"(ab)+", "x|y"],
)
def test_safe_patterns_compile(pattern):
    assert compile_pattern(pattern).pattern == pattern


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+", r"(a*)*", r"(a|a)*", r"(\w+\s?)*$", r"((ab)*)+", r"(a|ab)+", r"(.*a){3,}", r"(?:x+y?)+"],
)
def test_dangerous_patterns_rejected(pattern):
    with pytest.raises(ValueError, match="very slow"):
        compile_pattern(pattern)


# --------------------------------------------------------------------------- properties

_NUMBER_PATHS = ["credential.workload.ects", "credential.workload.hours", "credential.eqf_level"]
_STRING_PATHS = ["credential.title", "id", "credential.participation.mode"]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_NUMBER_PATHS),
    st.sampled_from(_STRING_PATHS),
    st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
)
def test_number_string_comparisons_always_rejected(num, text, op):
    with pytest.raises(ConditionError, match="cannot compare"):
        check(parse(f"{num} {op} {text}"), ENV)
    assert check(parse(f"{num} {op} {num}"), ENV).type.kind == "bool"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.", min_size=1, max_size=20))
def test_random_paths_check_or_raise_condition_error(text):
    try:
        expr = parse(text)
    except ConditionError:
        return
    try:
        check(expr, ENV)
    except ConditionError as e:
        assert e.line == 1 and e.column is not None


def test_states_constant():
    assert set(CRITERION_STATES) == {
        "met", "partially_met", "not_met", "exemplary", "not_applicable", "unknown", "error",
    }
