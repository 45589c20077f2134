"""The loader's two YAML readers agree: libyaml (the fast path) and the pure-Python path.

The fast path may give up on any text (the pure path then reads it and reports its
errors); when it does not give up, its data and every line/column of the line map
must equal the pure path's. Checked on every YAML file of the project, on the example
dossiers damaged at random, on arbitrary text, and on the YAML oddities the loader
refuses (which the fast path must always leave to the pure path).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fuzz_strategies import mutated_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_engine.errors import InputError
from qa_engine.formats import loader

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    not loader._fast_available() and not os.environ.get("CI"), reason="PyYAML without libyaml"
)

_YAML_FILES = sorted(
    p
    for folder in ("examples", "rulesets", "rubrics", "tests/data")
    for p in (ROOT / folder).rglob("*.y*ml")
)
_EXAMPLES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples/dossiers").glob("*.yaml"))]
EXAMPLES = int(os.environ.get("QA_ENGINE_FUZZ_EXAMPLES", "300"))


def _pure(text: str) -> tuple[Any, dict[Any, Any], dict[Any, Any]] | InputError:
    try:
        data, linemap = loader._load_yaml(text, "in.yaml")
        data = loader._without_surrogates(data, linemap, "in.yaml")
    except InputError as exc:
        return exc
    return data, dict(linemap._keys), dict(linemap._values)


def _agree(text: str) -> bool:
    """Whether the fast path read ``text``; asserts it read it as the pure path does."""
    fast = loader._load_yaml_fast(text)
    if fast is None:
        return False
    pure = _pure(text)
    assert not isinstance(pure, InputError), f"the fast path accepts what the pure path refuses: {pure}"
    data, keys, values = pure
    assert fast[0] == data
    assert type(fast[0]) is type(data)
    assert dict(fast[1]._keys) == keys
    assert dict(fast[1]._values) == values
    return True


def test_the_project_yaml_files_take_the_fast_path_and_agree() -> None:
    assert len(_YAML_FILES) > 50
    taken = [p for p in _YAML_FILES if _agree(p.read_text(encoding="utf-8"))]
    # every file the project ships is a plain document: none needs the slow path
    assert len(taken) == len(_YAML_FILES)


def test_scalar_types_agree() -> None:
    text = (
        "a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf: 2024-01-31\ng: 2024-02-30\n"
        "h: 2024-01-31T10:00:00Z\ni: 0x1F\nj: 0o17\nk: 1_000\nl: .inf\nm: yes\nn: 'quoted 1'\n"
        "o: |\n  block\n  text\np: >\n  folded\n  text\nq: [1, two, {r: 3}]\n1: number key\n"
        "2024-01-01: date key\n~: null key\n? complex\n: value\ns: ''\nt: \"esc\\t\\u00e9\"\n"
    )
    assert _agree(text)
    assert _agree(text.replace("\n", "\r\n"))
    data, _ = loader.load_document("in.yaml", text=text)
    assert data["m"] == "yes" and data["1"] == "number key" and data["s"] == ""


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: !!str 1\n",  # a tag, even an allowed one
        "a: !!python/object:os.system x\n",
        "<<: {a: 1}\n",  # merge key
        "%YAML 1.1\n---\na: yes\n",  # a directive changes how scalars resolve
        "a: 1\na: 2\n",  # duplicate key
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",  # syntax error
        "a:\tb\n\tc: d\n",
        "a: \x85b\n",  # NEL
        "a: b\u2028c\n",
        "a: '\x07'\n",  # a control character
        "",
        "# only a comment\n",
        "~\n",
        "[" * 70 + "]" * 70,  # deeper than the limit
        "? [a, b]\n: c\n",  # a list as a key
        "a: =\n",  # the value tag
    ],
)
def test_the_fast_path_leaves_odd_or_bad_yaml_to_the_pure_path(text: str) -> None:
    assert loader._load_yaml_fast(text) is None


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
@given(
    text=st.one_of(
        mutated_text(_EXAMPLES),
        st.text(
            st.one_of(st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\n\t \\0123456789.~")), st.characters()),
            max_size=120,
        ),
    )
)
def test_damaged_and_arbitrary_yaml_agree(text: str) -> None:
    _agree(text)


def test_load_document_uses_the_fast_path() -> None:
    """The whole loader gives the pure path's data (and positions) for an example."""
    text = _EXAMPLES[0]
    data, linemap = loader.load_document("in.yaml", text=text)
    pure = _pure(text)
    assert not isinstance(pure, InputError)
    assert data == pure[0]
    assert {k: linemap[k] for k in pure[2]} == {
        k: pure[1].get(k, v) for k, v in pure[2].items()
    }


def test_an_empty_value_is_left_to_the_pure_path() -> None:
    """libyaml places an empty value at the end of its key, ruamel at the next token:
    the fast path gives up rather than report another position."""
    text = "a: 1\nb:\nc: 2\n"
    assert loader._load_yaml_fast(text) is None
    data, linemap = loader.load_document("in.yaml", text=text)
    assert data == {"a": 1, "b": None, "c": 2}


@pytest.mark.parametrize("text", ["0\t", "a:\tb\n", "a: 'x\ty'\n", "  |# ", "a: >-#\n  b\n", '>-\n#">-\n#',
     "\n    |\n  \n    @11[|'", "a: |\n\n  b\n"])
def test_tabs_and_fragile_constructs_are_left_to_the_pure_path(text: str) -> None:
    """Found by the differential test: libyaml accepted a tab after a scalar that
    ruamel refuses, a block scalar header followed by "#", and block texts at the top
    level or with leading blank lines (the readers differ at their edges)."""
    assert loader._load_yaml_fast(text) is None
