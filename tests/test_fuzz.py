"""Bounded fuzzing of everything that reads untrusted input, with hypothesis.

What is fuzzed (each test's docstring says more):

1. the condition language: arbitrary text into the parser; typed syntax trees over the
   real dossier schema through printer -> parser -> checker -> compiled evaluator (and
   the explainer) on generated dossiers;
2. the dossier loader: arbitrary text and bytes, and damaged copies of the example
   dossiers (YAML and JSON);
3. the importers (Open Badges 3.0, CLR 2.0, ELM v3, CTDL): structural mutations of the
   public samples in ../shared/realdata (read in place, see tests/realdata.py) and of
   the project's own samples in tests/data;
4. the two rules engines: schema-valid mutations of the example dossiers must get the
   same verdict states from the durable-rules and the pure-Python engine on every
   bundled ruleset; so must rulesets of generated conditions on generated dossiers
   (which fuzzes the durable compiler).

The contract under test: an input either works or raises the project's own error
(``qa_engine.errors.QAError``: ConditionError with a line and column, InputError or
DossierError with a one-line message); never another exception, a hang or a
disagreement.

Budget: every test runs ``QA_ENGINE_FUZZ_EXAMPLES`` examples (default 300; the whole
file takes about a minute on two cores). Raise it for a longer hunt, e.g.
``QA_ENGINE_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_fuzz.py``. Runs are not
derandomised: a failure prints the seed and the falsifying example (and hypothesis
replays it from .hypothesis/ on the next run). Every bug fuzzing found has a plain
regression test below, next to the fuzz test that found it.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from fuzz_strategies import (
    CRITERIA,
    ENV,
    condition_text,
    mutated_bytes,
    mutated_dossier,
    mutated_json,
    mutated_text,
    typed_conditions,
)
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from realdata import DATA, REALDATA
from strategies import dossiers
from yaml_helpers import criterion, write_ruleset

from qa_engine.engine import durable_available, get_engine
from qa_engine.errors import ConditionError, DossierError, InputError, QAError
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import dump_dossier_yaml, load_document, load_dossier
from qa_engine.importers import detect_format, import_document
from qa_engine.lang.checker import check_condition
from qa_engine.lang.evaluator import Context, EvaluationError, compile_expr, explain
from qa_engine.lang.parser import MAX_DEPTH, MAX_LENGTH, parse
from qa_engine.lang.printer import to_source
from qa_engine.rules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "dossiers").glob("*.yaml"))
AS_OF = dt.date(2026, 1, 1)

FUZZ_EXAMPLES = int(os.environ.get("QA_ENGINE_FUZZ_EXAMPLES", "300"))
settings.register_profile(
    "qa-engine-fuzz",
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
#: The profile of this file (applied per test, so other test files keep their own).
FUZZ = settings.get_profile("qa-engine-fuzz")


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _one_line(error: QAError) -> str:
    message = str(error)
    assert message, repr(error)
    assert "\n" not in message and "\r" not in message, repr(message)
    return message


# =========================================================================== 1. language

_CRITERIA = set(CRITERIA)
_contexts = st.builds(
    Context,
    as_of=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    states=st.dictionaries(
        st.sampled_from(sorted(_CRITERIA)),
        st.sampled_from(
            ["met", "partially_met", "not_met", "exemplary", "not_applicable", "unknown", "error"]
        ),
    ),
)


@FUZZ
@given(text=condition_text)
@example(text="(" * 3000)
@example(text="not " * 3000 + "a")
@example(text="-" * 4000)
@example(text=" and ".join(["a"] * 800))
@example(text="a" * (MAX_LENGTH + 1))
@example(text='"\r"')
@example(text="-" * 26 + "0")  # regression: its canonical text "-(-(...))" did not parse
def test_parser_accepts_or_raises_a_located_condition_error(text: str) -> None:
    """Arbitrary text (grammar pieces, deep nesting, long chains, any character): the
    parser returns a tree or raises ConditionError pointing at a real line and column;
    a tree it returns prints to canonical text that parses back to the same tree."""
    try:
        tree = parse(text)
    except ConditionError as err:
        event("rejected")
        assert err.message
        assert err.line is not None and err.column is not None, str(err)
        lines = text.split("\n")
        assert 1 <= err.line <= len(lines), (err.line, str(err))
        assert 1 <= err.column <= len(lines[err.line - 1]) + 1, (err.column, str(err))
        return
    event("parsed")
    canonical = to_source(tree)
    # escapes make canonical text longer ('"' -> "\""): past the length limit it cannot
    # be read back (a known limit of the canonical form, never met by real conditions)
    assume(len(canonical) <= MAX_LENGTH)
    again = parse(canonical)
    assert again == tree
    assert to_source(again) == canonical


def test_canonical_text_of_nested_negation_parses_back() -> None:
    """Found by fuzzing: "- - ... - 0" (26 minus signs) parsed, but its canonical text
    "-(-(... 0))" counted every parenthesis as one more level and was rejected as
    nested too deeply, so a condition could not be re-read from its canonical form."""
    for k in (26, 40, MAX_DEPTH - 1):
        tree = parse("-" * k + "0")
        assert parse(to_source(tree)) == tree
        assert parse("-(" * k + "x" + ")" * k) is not None
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse("-" * (MAX_DEPTH + 1) + "0")


def test_integer_literals_beyond_the_float_range_are_rejected() -> None:
    """Found while writing these fuzzers: decimals beyond the float range were rejected
    but integers were not, so `credential.workload.ects * 1000...0` passed the checker and then ended in
    `error` on every dossier."""
    largest = int(sys.float_info.max)
    assert parse(f"credential.workload.ects < {largest}") is not None
    for text in (
        f"credential.workload.ects * {largest + 1} > 1",
        "1" + "0" * 400 + " > count(outcomes)",
    ):
        with pytest.raises(ConditionError, match="too large") as info:
            parse(text)
        assert info.value.line == 1 and info.value.column is not None


def _evaluate_everywhere(
    tree: Any, docs: list[dict[str, Any]], ctx: Context, checked: bool
) -> None:
    try:
        fn = compile_expr(tree)
    except ConditionError:
        assert not checked, "a checked condition must compile"
        return
    for data in docs:
        try:
            value = fn(data, ctx)
        except EvaluationError as err:
            # a checked condition fails at run time only on arithmetic beyond the float
            # range (an `error` verdict in both engines); anything else is a bug
            assert not checked or isinstance(err.__cause__, OverflowError), str(err)
            continue
        if checked:
            # three-valued: True, False or None (unknown), nothing else
            assert value is True or value is False or value is None, repr(value)
            assert explain(tree, data, ctx).value is value


@FUZZ
@given(
    case=typed_conditions(noise=40),
    docs=st.lists(dossiers(), min_size=1, max_size=3),
    ctx=_contexts,
)
def test_generated_conditions_round_trip_check_and_evaluate(
    case: tuple[Any, bool], docs: list[dict[str, Any]], ctx: Context
) -> None:
    """Typed syntax trees over the real dossier schema (every path kind, every operator,
    function, quantifier and aggregate; now and then a deliberately wrong part):
    print -> parse gives the same tree and a fixed-point canonical text; the checker
    accepts every well-typed tree and rejects others only with ConditionError; the
    compiled evaluator gives True/False/None (and the same as the explainer) on
    generated dossiers, and raises nothing but the project's errors."""
    tree, noisy = case
    text = to_source(tree)
    if len(text) > MAX_LENGTH:
        with pytest.raises(ConditionError, match="too long"):
            parse(text)
        return
    try:
        parsed = parse(text)
    except ConditionError as err:  # only the size limits may reject a generated tree
        assert "too large" in err.message or "too deeply" in err.message, str(err)
        return
    assert parsed == tree, text
    canonical = to_source(parsed)
    assert canonical == text
    assert parse(canonical) == parsed
    try:
        check_condition(parsed, ENV, criteria=_CRITERIA)
        checked = True
    except ConditionError as err:
        event("checker rejected a noisy condition")
        assert noisy, f"the checker rejected a well-typed condition: {text}: {err}"
        assert err.message
        checked = False
    data = [Dossier.model_validate(d).model_dump(mode="python") for d in docs]
    _evaluate_everywhere(parsed, data, ctx, checked)


# =========================================================================== 2. loader

_EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
_EXAMPLE_JSON = [
    json.dumps(
        load_dossier(p).model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False
    )
    for p in EXAMPLES[:6]
]
_yaml_text = st.text(
    st.one_of(
        st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\n\t \\") + ["\u2028", "\x85", "\ufeff", "\x00"]),
        st.characters(),
    ),
    max_size=200,
)


def _load_or_raise(name: str | Path | None, text: str | None) -> Dossier | None:
    """Load ``text`` (or the file ``name`` when text is None): a Dossier, or None after
    checking the project's error."""
    try:
        loaded = load_dossier(name, text=text)
    except (InputError, DossierError) as err:
        event(type(err).__name__)
        message = _one_line(err)
        if isinstance(name, Path):
            assert message.startswith(str(name)), message
        assert err.line is None or err.line >= 1
        assert err.column is None or err.column >= 1
        return None
    event("loaded")
    assert isinstance(loaded, Dossier)
    loaded.model_dump_json()  # every text is valid Unicode
    # what loads writes back as YAML and reloads unchanged
    again = load_dossier(None, text=dump_dossier_yaml(loaded))
    assert again == loaded
    return loaded


@FUZZ
@given(
    text=st.one_of(st.text(max_size=300), _yaml_text),
    name=st.sampled_from([None, "in.yaml", "in.json", "-"]),
)
def test_loader_on_arbitrary_text(text: str, name: str | None) -> None:
    """Arbitrary text as a YAML or JSON dossier: a Dossier or InputError/DossierError
    with a one-line message; load_document alone raises nothing but InputError."""
    _load_or_raise(name, text)
    try:
        load_document(name, text=text)
    except InputError as err:
        _one_line(err)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": NaN, "b": {"c"}}',
        '{"a": {"b": 1, "b": 2}, "c" 1}',
        '{"a": {"b": 1, "b": 2}, "c\x01": 1}',
    ],
)
def test_json_syntax_error_after_a_duplicate_key_or_nan(text: str) -> None:
    """Found by fuzzing (fixed in the loader): a duplicate key or NaN followed by a JSON
    syntax error raised a bare ValueError from the loader's position scanner."""
    with pytest.raises(InputError) as info:
        load_document("in.json", text=text)
    _one_line(info.value)


@pytest.mark.parametrize(
    "text",
    [
        'schema_version: "1.0"\nid: x\ntitle: "\\ud83d\\ude00"\n',
        '{"schema_version": "1.0", "id": "x", "title": "\\ud800"}',
    ],
)
def test_surrogate_escapes_give_characters_or_an_input_error(text: str) -> None:
    """Found by fuzzing (fixed in the loader): YAML \\u surrogate-pair escapes were not
    combined and JSON lone surrogates were accepted, so a dossier held text that cannot
    be written as UTF-8 (reports, JSON output and the store failed on it)."""
    try:
        loaded = load_dossier(None, text=text)
    except InputError as err:
        _one_line(err)
        return
    loaded.model_dump_json()


@pytest.mark.parametrize(
    "description", ["x " * 42 + "y  z", "w" * 84 + "\n\tz z", "w " * 43 + "\\z: '"]
)
def test_yaml_dump_keeps_white_space(description: str) -> None:
    """Found by fuzzing: the YAML writer folded long texts where reading them back
    changed their white space (a run of spaces, a tab after a line break, a fold after
    an escaped backslash). It no longer folds."""
    dossier = Dossier.model_validate(
        {"schema_version": "1.0", "id": "x", "description": description}
    )
    assert load_dossier(None, text=dump_dossier_yaml(dossier)) == dossier


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=300), mutated_bytes(_EXAMPLE_TEXTS)),
    suffix=st.sampled_from([".yaml", ".json", ".txt"]),
)
def test_loader_on_arbitrary_bytes(data: bytes, suffix: str, fuzz_dir: Path) -> None:
    """Arbitrary bytes and encoding damage (BOMs, UTF-16, cut or stray multi-byte
    sequences, NUL) in a file: a Dossier or InputError/DossierError, one line."""
    path = fuzz_dir / f"doc{suffix}"
    path.write_bytes(data)
    _load_or_raise(path, None)


@FUZZ
@given(text=mutated_text(_EXAMPLE_TEXTS), name=st.sampled_from(["in.yaml", None]))
def test_loader_on_damaged_yaml_examples(text: str, name: str | None) -> None:
    """Example dossiers with lines deleted, duplicated, swapped, re-indented (spaces
    and tabs), truncated, characters inserted or cut and values replaced by YAML
    oddities (tags, anchors, aliases, merge keys, odd scalars): a Dossier (that writes
    back as YAML and reloads unchanged) or InputError/DossierError, one line."""
    _load_or_raise(name, text)


@FUZZ
@given(
    text=mutated_text(
        _EXAMPLE_JSON, specials=list('{}[]:,"\\ \n') + ["null", "NaN", "-Infinity", "1e999", "\x00"]
    )
)
def test_loader_on_damaged_json_examples(text: str) -> None:
    """The same damage to example dossiers written as JSON."""
    _load_or_raise("in.json", text)


# =========================================================================== 3. importers

#: The project's own samples (CTDL has no public sample in ../shared/realdata).
_OWN_SAMPLES = sorted((DATA / "ctdl").glob("*.json")) + sorted((DATA / "elm").glob("*.jsonld"))


def _samples() -> list[tuple[str, str, Any]]:
    """(name, format, parsed JSON) of every JSON sample (the public ones read in place),
    the format being the one it is detected as; skips (locally) or fails (under CI) when
    ../shared/realdata is absent, as tests/realdata.py does."""
    if not REALDATA.is_dir():
        message = f"the public samples are not at {REALDATA} (set QA_ENGINE_REALDATA)"
        if _under_ci():
            pytest.fail(message)
        pytest.skip(message)
    public = sorted(p for p in REALDATA.glob("*/*") if p.suffix in (".json", ".jsonld"))
    out = []
    for path in public + _OWN_SAMPLES:
        doc = json.loads(path.read_text(encoding="utf-8"))
        out.append((path.name, detect_format(doc) or "auto", doc))
    assert {fmt for _name, fmt, _doc in out} >= {"ob3", "clr", "elm", "ctdl"}
    return out


def _import_or_raise(doc: Any, fmt: str, name: str) -> None:
    try:
        result = import_document(doc, fmt, as_of=AS_OF, file=name)
    except QAError as err:
        event(type(err).__name__)
        # the importers' own "report this as an importer bug" (mapped data that does not
        # validate) is a bug, whatever the input
        assert "importer bug" not in _one_line(err), str(err)
        return
    event("imported")
    for dossier in result.dossiers:
        assert isinstance(dossier, Dossier)
        assert dossier.source is not None and dossier.source.format
        # the result is a valid dossier: it validates again from plain data
        assert Dossier.model_validate(dossier.model_dump(mode="python")) == dossier


@pytest.fixture(scope="module")
def samples() -> list[tuple[str, str, Any]]:
    return _samples()


@FUZZ
@given(data=st.data())
def test_importers_on_mutated_samples(
    data: st.DataObject, samples: list[tuple[str, str, Any]]
) -> None:
    """Structural mutations of real credentials (keys dropped or renamed, values of
    another type, huge/empty/markup/control-character strings, values nested deeper
    in lists, @value, @list and language maps, lists and objects swapped, types of
    another format, JSON embedded in strings as sealed ELM envelopes and CLR JWTs carry
    it), imported as their own format, as 'auto' or as another format: dossiers that
    validate, or a QAError with a one-line message (never "report this as an importer
    bug")."""
    name, fmt, doc = data.draw(st.sampled_from(samples), label="sample")
    mutated = data.draw(mutated_json(doc), label="document")
    assume(not isinstance(mutated, str))  # import_document reads a string as a file path
    as_fmt = data.draw(
        st.sampled_from([fmt, fmt, "auto", "ob3", "clr", "elm", "ctdl"]), label="format"
    )
    _import_or_raise(mutated, as_fmt, name)


@FUZZ
@given(data=st.data())
def test_importers_read_mutated_samples_from_files(
    data: st.DataObject, samples: list[tuple[str, str, Any]], fuzz_dir: Path
) -> None:
    """The same through a file (the loader's JSON reading and its size/depth limits)."""
    name, fmt, doc = data.draw(st.sampled_from(samples), label="sample")
    mutated = data.draw(mutated_json(doc, max_ops=3), label="document")
    path = fuzz_dir / name
    path.write_text(json.dumps(mutated, ensure_ascii=data.draw(st.booleans())), encoding="utf-8")
    try:
        result = import_document(path, "auto", as_of=AS_OF)
    except QAError as err:
        event(type(err).__name__)
        message = _one_line(err)
        assert message.startswith(str(path)) and "importer bug" not in message, message
        return
    event("imported")
    assert all(isinstance(d, Dossier) for d in result.dossiers)


def _ob3_credential() -> dict[str, Any]:
    """A small Open Badges 3.0 credential with a result and its rubric level."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "id": "urn:x:1",
        "issuer": {"id": "urn:x:issuer", "type": ["Profile"], "name": "Uni"},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:x:a",
                "type": ["Achievement"],
                "name": "A",
                "resultDescription": [
                    {
                        "id": "urn:rd",
                        "type": ["ResultDescription"],
                        "name": "Grade",
                        "resultType": "RubricCriterionLevel",
                        "rubricCriterionLevel": [
                            {"id": "urn:l1", "type": ["RubricCriterionLevel"], "name": "Good"}
                        ],
                    }
                ],
            },
            "result": [
                {"type": ["Result"], "resultDescription": ["urn:rd"], "achievedLevel": ["urn:l1"]},
                {"type": ["Result"], "resultDescription": "urn:rd", "achievedLevel": "urn:l1"},
            ],
        },
    }


def test_ob3_results_with_lists_for_references_import() -> None:
    """Found by fuzzing: a result whose resultDescription or achievedLevel is a list
    (not an id) crashed the Open Badges importer with TypeError: unhashable type."""
    (dossier,) = import_document(_ob3_credential(), "ob3", as_of=AS_OF).dossiers
    assert dossier.credential is not None
    assert dossier.credential.grade == "result: urn:l1; Grade: Good"


def test_ctdl_credit_unit_that_is_not_a_list_or_object() -> None:
    """Found by fuzzing: a ceterms:creditUnitType that is true, a number or a string
    crashed the CTDL importer (TypeError: not iterable)."""
    for unit in (True, 5, "ECTS"):
        doc = {
            "@context": "https://credreg.net/ctdl/schema/context/json",
            "@type": "ceterms:Certificate",
            "ceterms:name": "C",
            "ceterms:creditValue": [
                {"@type": "ceterms:ValueProfile", "schema:value": 6, "ceterms:creditUnitType": unit}
            ],
        }
        (dossier,) = import_document(doc, "ctdl", as_of=AS_OF).dossiers
        assert dossier.credential is not None


@pytest.mark.parametrize(
    "payload", ["null", "[1, 2]", '"a string"', "5", base64.b64encode(b"[]").decode()]
)
def test_sealed_envelope_whose_payload_is_no_object(payload: str) -> None:
    """Found by fuzzing: a sealed ELM envelope whose payload decodes to null, a list,
    a string or a number crashed format detection with AttributeError."""
    for fmt in ("auto", "elm"):
        with pytest.raises(InputError, match="not one JSON object") as info:
            import_document({"payload": payload, "signatures": []}, fmt, as_of=AS_OF)
        _one_line(info.value)


@pytest.mark.parametrize("graph", [True, 5, "nodes", {"@id": "x"}])
def test_ctdl_graph_that_is_not_a_list(graph: Any) -> None:
    """Found by fuzzing: a CTDL ``@graph`` that is not a list crashed the importer
    (TypeError) before it could say so."""
    doc = {"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": graph}
    for fmt in ("auto", "ctdl"):
        with pytest.raises(InputError, match="must be a list") as info:
            import_document(doc, fmt, as_of=AS_OF)
        _one_line(info.value)


def test_embedded_json_nested_deeper_than_files_may_be() -> None:
    """Found while writing these fuzzers: JSON inside a string (a sealed ELM envelope's
    payload, a JWT in a CLR) nested thousands of levels deep crashed the importers with
    RecursionError; nested past the loader's limit it is refused like a file."""
    deep = "[" * 5000 + '"x"' + "]" * 5000
    shallow = "[" * 100 + '"x"' + "]" * 100
    elm = (DATA / "elm" / "microcredential.jsonld").read_text(encoding="utf-8").rstrip().rstrip("}")
    for nested in (deep, shallow):
        payload = elm + ', "qaFuzz": ' + nested + "}"
        for sealed in (payload, base64.urlsafe_b64encode(payload.encode()).decode()):
            with pytest.raises(InputError, match="nested too deeply"):
                import_document({"payload": sealed, "signatures": []}, "auto", as_of=AS_OF)
        badge = json.dumps(_ob3_credential())[:-1] + ', "qaFuzz": ' + nested + "}"
        token = "e30." + base64.urlsafe_b64encode(badge.encode()).decode().rstrip("=") + ".sig"
        clr = {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
            ],
            "type": ["VerifiableCredential", "ClrCredential"],
            "credentialSubject": {"type": ["ClrSubject"], "verifiableCredential": [token]},
        }
        with pytest.raises(InputError, match="nested too deeply"):
            import_document(clr, "auto", as_of=AS_OF)


@pytest.mark.parametrize(
    "wrap", [lambda v: [v], lambda v: {"en": v}, lambda v: {"x": v}, lambda v: {"@value": v}]
)
def test_importers_reject_data_nested_deeper_than_files_may_be(wrap: Any) -> None:
    """Found while writing these fuzzers: parsed data nested thousands of levels deep
    (files are held to 64 by the loader) crashed the importers with RecursionError."""
    value: Any = "x"
    for _ in range(5000):
        value = wrap(value)
    doc = {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@type": "ceterms:Certificate",
        "ceterms:name": value,
    }
    with pytest.raises(InputError, match="nested too deeply"):
        import_document(doc, "auto", as_of=AS_OF)


# =========================================================================== 4. engines

_EXAMPLE_DATA = [load_dossier(p).model_dump(mode="python", exclude_none=True) for p in EXAMPLES]
_RULESETS = Registry().all_rulesets()


@pytest.fixture(scope="module")
def durable() -> None:
    if not durable_available():
        if _under_ci():
            pytest.fail(
                "durable-rules does not import, and CI is set: the engines must be compared"
            )
        pytest.skip("durable-rules does not import on this Python")


@settings(FUZZ, max_examples=max(FUZZ_EXAMPLES // 2, 1))
@given(doc=mutated_dossier(_EXAMPLE_DATA))
def test_engines_agree_on_mutated_examples(doc: dict[str, Any], durable: None) -> None:
    """Example dossiers with fields deleted, emptied or changed within the schema, list
    items removed, duplicated or cleared: the durable-rules and the Python engine give
    the same verdict state for every criterion of every bundled ruleset."""
    try:
        model = Dossier.model_validate(doc)
    except Exception:  # noqa: BLE001 - the mutation broke a rule _repair does not cover
        assume(False)
        raise
    data = model.model_dump(mode="python")
    for ruleset in _RULESETS:
        python = get_engine(ruleset, "python").evaluate(data, AS_OF)
        durable_ = get_engine(ruleset, "durable").evaluate(data, AS_OF)
        assert {k: v.state for k, v in python.items()} == {
            k: v.state for k, v in durable_.items()
        }, ruleset.ref


_BASE = [
    criterion("C-1", "count(outcomes) >= 2"),
    criterion(
        "C-2",
        [
            ("exemplary", "exists(credential.title) and count(modules) >= 2"),
            ("met", "exists(credential.title)"),
        ],
    ),
    criterion(
        "ASSESS-01",
        "all(a in assessments: exists(a.weight))",
        applies_when="count(assessments) >= 1",
    ),
]
_SERIAL = itertools.count()


def _both_engines(registry: Any, docs: list[dict[str, Any]]) -> None:
    ruleset = registry.ruleset("t")
    for doc in docs:
        data = Dossier.model_validate(doc).model_dump(mode="python")
        python = get_engine(ruleset, "python").evaluate(data, AS_OF)
        durable_ = get_engine(ruleset, "durable").evaluate(data, AS_OF)
        assert {k: v.state for k, v in python.items()} == {
            k: v.state for k, v in durable_.items()
        }, data


@settings(FUZZ, max_examples=max(FUZZ_EXAMPLES // 3, 1))
@given(
    conditions=st.lists(typed_conditions(depth=4), min_size=1, max_size=6),
    docs=st.lists(dossiers(), min_size=1, max_size=4),
)
def test_engines_agree_on_generated_conditions(
    conditions: list[tuple[Any, bool]], docs: list[dict[str, Any]], durable: None, fuzz_dir: Path
) -> None:
    """A ruleset of generated conditions over the real schema (levels, applies_when,
    met()/state() of other criteria, big and tiny number constants): both engines give
    the same verdict states on generated dossiers. This fuzzes the durable compiler
    (three-valued DNF, constants, sharding of derived fields)."""
    crits = list(_BASE)
    for i, (tree, _noisy) in enumerate(conditions):
        text = to_source(tree)
        assume(len(text) <= MAX_LENGTH)
        kw: dict[str, Any] = {"applies_when": to_source(conditions[i - 1][0])} if i % 3 == 2 else {}
        crits.append(
            criterion(
                f"G{i}",
                [
                    ("exemplary", f'({text}) and met("C-1")'),
                    ("met", text),
                    ("partially_met", "exists(credential)"),
                ],
                **kw,
            )
        )
    try:
        registry = write_ruleset(fuzz_dir / f"rs{next(_SERIAL)}", criteria=crits)
        registry.ruleset("t")
    except QAError as err:  # the node/depth limits of a combined condition
        assert "too large" in str(err) or "too deeply" in str(err) or "too long" in str(err), str(
            err
        )
        assume(False)
    _both_engines(registry, docs)


@pytest.mark.parametrize(
    "condition",
    [
        # integers beyond 2**53 / 64 bits: durable-rules read them inexactly
        "count(outcomes) * 10000000000000000000 == 10000000000000000001",
        "count(outcomes) + 9223372036854775807 > 9223372036854775807",
        "credential.workload.hours * 950000000000000000 < 100000000000000000000",
        "credential.workload.hours * 950000000000000000.0 > 9300000000000000000",
        "count(outcomes) in [9007199254740993, 9223372036854775808]",
        # infinite and overflowing values: durable-rules failed the whole shard
        "credential.workload.hours * 1" + "0" * 300 + " * 1" + "0" * 300 + " > 5",
        "count(outcomes) * 1" + "0" * 300 + " * 1" + "0" * 300 + " / 3 > 5",
        "count(outcomes) > 0 or count(outcomes) * 1" + "0" * 300 + " * 1" + "0" * 300 + " / 3 > 5",
        # text that is not valid Unicode (a lone surrogate: the model takes it from data)
        'credential.title != "x"',
    ],
)
def test_engines_agree_on_numbers_and_text_durable_rules_cannot_hold(
    condition: str, durable: None, tmp_path: Path
) -> None:
    """Found while writing these fuzzers (probes of the value edges the generated
    conditions now draw): the durable engine disagreed with the Python engine on numbers
    beyond 2**53 (durable-rules holds 64-bit integers and doubles), and turned one
    criterion's run-time error (or an infinite value, or a title with a lone surrogate)
    into `error` for every criterion of its shard."""
    registry = write_ruleset(
        tmp_path,
        criteria=[
            criterion("X", condition),
            criterion("OK", "exists(credential)"),
            criterion("N", "count(outcomes) >= 1"),
        ],
    )
    docs = [
        {
            "schema_version": "1.0",
            "id": "x",
            "outcomes": [{"id": "o", "statement": "s"}],
            "credential": {"title": title, "workload": {"hours": 10}},
        }
        for title in ("T", "\ud800", "a\x00b")
    ]
    _both_engines(registry, docs)
