"""Hypothesis strategies for tests/test_fuzz.py: condition text and syntax trees over the
real dossier schema, text mutations of YAML/JSON files, structural mutations of JSON
documents and schema-valid mutations of dossiers.

Valid generated dossiers come from tests/strategies.py (``dossiers``); this module only
adds what fuzzing needs on top of it.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from qa_engine.formats import dossier as dm
from qa_engine.lang.ast import (
    ARITHMETIC,
    COMPARISONS,
    Binary,
    Call,
    Expr,
    ListLit,
    Literal,
    Path,
    Quant,
    Unary,
)
from qa_engine.lang.checker import CRITERION_STATES, Type, TypeEnv

# --------------------------------------------------------------------------- condition text

#: Pieces of the condition language (and near misses) that arbitrary text is built from.
GRAMMAR_TOKENS = [
    *("and", "or", "not", "in", "not in", "true", "false", "null"),
    *("any", "all", "none", "count", "sum", "min", "max", "share"),
    *("exists", "empty", "len", "matches", "contains", "startswith", "endswith", "lower"),
    *("word_count", "date", "as_of", "days_since", "years_since", "state", "met"),
    *("==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "(", ")", "[", "]", ",", ":", "."),
    *('"', "'", "\\", '"a"', "'b'", '"\\d+"', '"2024-01-31"', '"unterminated', "\\n"),
    *("0", "1", "42", "0.5", "12.25", "1.", ".5", "1e5", "1E+3", "007", "9" * 40, "1" * 400 + ".0"),
    *("credential", "credential.workload.ects", "outcomes", "o", "o.bloom_level", "x", "a.b.c"),
    *("o in outcomes:", "x in", "_x", "a .b", "a. b", "a..b", "lenght", "NULL", "True"),
    *(" ", "  ", "\n", "\t", "\r", "\f", "\u00a0", "\u2028", "\x00", "\x85", "\ufeff"),
    *("=", "!", "&", "|", "#", "%", "^", "~", "@", "$", "?", ";", "{", "}", "`"),
    *("≥", "≤", "≠", "“", "”", "‘", "’", "−", "×", "÷", "é", "ß", "😀", "İ"),
]
GRAMMAR_CHARS = sorted({c for t in GRAMMAR_TOKENS for c in t})

_grammar_char = st.one_of(st.sampled_from(GRAMMAR_CHARS), st.characters())
_PREFIXES = ["(", "[", "not ", "-", "len(", "any(x in y: ", "count(o in outcomes: ", "((", "- -"]
_SUFFIXES = [")", "]", ")", ")", ")", "", " and x", "))"]


@st.composite
def _nested(draw: st.DrawFn) -> str:
    """Deep nesting of brackets, prefixes and calls (limits, recursion)."""
    n = draw(st.integers(0, 3000))
    prefix = draw(st.sampled_from(_PREFIXES))
    suffix = draw(st.sampled_from(_SUFFIXES))
    atom = draw(st.sampled_from(["a", "1", "true", '"s"', "o.x", "", "a and b"]))
    closes = draw(st.integers(0, n))
    return prefix * n + atom + suffix * closes


@st.composite
def _long_chains(draw: st.DrawFn) -> str:
    """Long chains of binary operators (the node limit), around the length limit."""
    op = draw(st.sampled_from([" and ", " or ", "+", " - ", "*", "/", " == ", " < ", ","]))
    atom = draw(st.sampled_from(["a", "1", "x.y", "true", "(a)", "-1"]))
    n = draw(st.integers(1, 1200))
    return op.join([atom] * n)


condition_text = st.one_of(
    st.text(_grammar_char, max_size=300),
    st.lists(st.one_of(st.sampled_from(GRAMMAR_TOKENS), st.text(max_size=3)), max_size=80).map(
        "".join
    ),
    st.lists(st.sampled_from(GRAMMAR_TOKENS), max_size=80).map(" ".join),
    _nested(),
    _long_chains(),
    # around the length limit
    st.tuples(st.sampled_from(GRAMMAR_TOKENS + ["a"]), st.integers(3990, 4010)).map(
        lambda t: (t[0] * (t[1] // max(len(t[0]), 1) + 1))[: t[1]]
    ),
)


# --------------------------------------------------------------------------- typed syntax trees

ENV = TypeEnv.from_model(dm.Dossier)
CRITERIA = ("C-1", "C-2", "ASSESS-01")
#: Item variable names: plain, function names (not reserved) and near misses.
VAR_NAMES = ("o", "a", "m", "x", "item", "s2", "count", "len", "date", "exists", "Item_1")
SAFE_PATTERNS = ("^[A-Z]", "\\d+", "(?i)data", "^$", "a|b", "[a-z]{2,5}$", "\\.", "é")
STRINGS = (
    "",
    " ",
    "a",
    "Data Analytics",
    "online",
    "<script>alert(1)</script>",
    'q"uote',
    "back\\slash",
    "line\nbreak",
    "tab\t",
    "é😀",
)
#: Where doubles (2**53) and 64-bit integers (2**63) stop holding integers exactly.
BIG_NUMBERS = (2**53, 2**63 - 1, 2**63, 10**19, 2**64, 2.0**53, 9.3e18)
#: Number literals, with the edges of what durable-rules holds exactly (2**53, int64).
NUMBERS = (
    0,
    1,
    2,
    5,
    25,
    100,
    1000000,
    0.5,
    0.1,
    0.999,
    12.25,
    1e-7,
    1e20,
    2**53 + 1,
    2**63 - 1,
    10**19,
    1e300,
)

_ROOT_FIELDS = frozenset(ENV.fields(ENV.root))


def _object_paths(t: Type, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Type]]:
    """Every path that can be read from an object type without stepping into a list."""
    out: list[tuple[tuple[str, ...], Type]] = []
    for name, ft in ENV.fields(t).items():
        parts = (*prefix, name)
        out.append((parts, ft))
        if ft.kind == "object":
            out.extend(_object_paths(ft, parts))
    return out


ROOT_PATHS = _object_paths(ENV.root)

Scope = tuple[tuple[str, Type], ...]  # bound item variables, innermost last


def _paths(scope: Scope) -> list[tuple[Path, Type]]:
    out = [(Path(None, parts), t) for parts, t in ROOT_PATHS]
    for var, elem in scope:
        if elem.kind == "object":
            out += [(Path(var, parts), t) for parts, t in _object_paths(elem)]
        else:
            out.append((Path(var, ()), elem))
    return out


def _paths_of(scope: Scope, *kinds: str, elem: str | None = None) -> list[tuple[Path, Type]]:
    found = [(p, t) for p, t in _paths(scope) if t.kind in kinds]
    if elem is not None:
        found = [(p, t) for p, t in found if t.elem is not None and t.elem.kind == elem]
    return found


def _chain(op: str, operands: list[Expr]) -> Expr:
    node = operands[0]
    for right in operands[1:]:
        node = Binary(op, node, right)
    return node


def _number(value: int | float) -> Expr:
    return Unary("-", Literal(-value)) if value < 0 else Literal(value)


class _Gen:
    """A typed generator of syntax trees over the dossier schema.

    ``noise`` is the chance (per node, in 1/1000) of a deliberately wrong part: a node
    of another type, an unknown field, a null, a wrong arity. ``self.noisy`` records
    whether any was drawn (then the checker may reject the tree).
    """

    def __init__(self, draw: st.DrawFn, noise: int) -> None:
        self.draw = draw
        self.noise = noise
        self.noisy = False
        self.nodes = 0
        self.budget = 2  # wrong parts per tree at most (noise inside noise is bounded)

    def pick(self, options: list[Any]) -> Any:
        return self.draw(st.sampled_from(options))

    def maybe_noise(self, depth: int, scope: Scope) -> Expr | None:
        # hypothesis prefers small integers: 0 must mean "no noise"
        if self.budget and self.noise and self.draw(st.integers(0, 999)) >= 1000 - self.noise:
            self.noisy = True
            self.budget -= 1
            kind = self.pick(
                ["wrong-type", "unknown-field", "null", "arity", "list-step", "bad-var"]
            )
            if kind == "wrong-type":
                return self.expr(self.pick(["bool", "number", "string", "date"]), depth, scope)
            if kind == "unknown-field":
                return Path(
                    None,
                    (
                        self.pick(["credential", "outcomes", "nope"]),
                        self.pick(["ectz", "x", "title"]),
                    ),
                )
            if kind == "null":
                return Literal(None)
            if kind == "arity":
                return Call(self.pick(["len", "exists", "matches", "as_of", "date", "met"]), ())
            if kind == "list-step":
                return Path(None, ("outcomes", "id"))
            return Quant(
                "any", self.pick(sorted(_ROOT_FIELDS)), Path(None, ("outcomes",)), Literal(True)
            )
        return None

    def expr(self, kind: str, depth: int, scope: Scope) -> Expr:
        self.nodes += 1
        if self.nodes > 120:
            depth = 0
        bad = self.maybe_noise(max(depth - 1, 0), scope)
        if bad is not None:
            return bad
        return getattr(self, kind)(depth, scope)

    # -- leaves and compound nodes per type
    def bool(self, depth: int, scope: Scope) -> Expr:
        choices = ["literal", "path", "exists", "empty", "met"]
        if depth > 0:
            choices += [
                "not",
                "andor",
                "andor",
                "cmp_num",
                "cmp_num",
                "cmp_str",
                "cmp_date",
                "cmp_bool",
                "cmp_big",
                "in_lit",
                "in_path",
                "strfunc",
                "quant",
                "state",
            ]
        choice = self.pick(choices)
        d = depth - 1
        if choice == "literal":
            return Literal(self.draw(st.booleans()))
        if choice == "path":
            found = _paths_of(scope, "bool")
            return self.pick(found)[0] if found else Literal(True)
        if choice == "exists":
            return Call("exists", (self.pick(_paths(scope))[0],))
        if choice == "empty":
            return Call("empty", (self.pick(_paths_of(scope, "string", "list", "opaque"))[0],))
        if choice == "met":
            return Call("met", (Literal(self.pick(list(CRITERIA))),))
        if choice == "state":
            op = self.pick(["==", "!="])
            return Binary(
                op,
                Call("state", (Literal(self.pick(list(CRITERIA))),)),
                Literal(self.pick(list(CRITERION_STATES))),
            )
        if choice == "not":
            return Unary("not", self.expr("bool", d, scope))
        if choice == "andor":
            n = self.draw(st.integers(2, 4))
            return _chain(self.pick(["and", "or"]), [self.expr("bool", d, scope) for _ in range(n)])
        if choice == "cmp_num":
            left, right = self.expr("number", d, scope), self.expr("number", d, scope)
            return Binary(self.pick(list(COMPARISONS)), left, right)
        if choice == "cmp_big":
            # a small value shifted or scaled to where doubles and 64-bit integers lose
            # precision, compared with a constant next to it
            base = self.pick(list(BIG_NUMBERS))
            shifted = Binary(self.pick(["+", "*"]), self.expr("number", d, scope), Literal(base))
            near = base + self.pick([-1, 0, 1, 2, 1000])
            return Binary(self.pick(list(COMPARISONS)), shifted, Literal(near))
        if choice == "cmp_date":
            left, right = self.expr("date", d, scope), self.expr("date", d, scope)
            return Binary(self.pick(list(COMPARISONS)), left, right)
        if choice == "cmp_bool":
            return Binary(
                self.pick(["==", "!="]), self.expr("bool", d, scope), self.expr("bool", d, scope)
            )
        if choice == "cmp_str":
            left, allowed = self.string_operand(d, scope)
            right = Literal(self.pick(list(allowed))) if allowed else self.expr("string", d, scope)
            if self.draw(st.booleans()):
                left, right = right, left
            return Binary(self.pick(["==", "!="]), left, right)
        if choice == "in_lit":
            if self.draw(st.booleans()):
                left, allowed = self.string_operand(d, scope)
                pool = list(allowed) if allowed else list(STRINGS)
                items = self.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))
                right = ListLit(tuple(Literal(v) for v in items))
            else:
                left = self.expr("number", d, scope)
                nums = self.draw(
                    st.lists(st.sampled_from(NUMBERS + (-1, -2.5)), min_size=1, max_size=4)
                )
                right = ListLit(tuple(_number(v) for v in nums))
            return Binary(self.pick(["in", "not in"]), left, right)
        if choice == "in_path":
            lists = _paths_of(scope, "list", elem="string")
            if not lists:
                return Literal(False)
            path, t = self.pick(lists)
            assert t.elem is not None
            if t.elem.allowed:
                left: Expr = Literal(self.pick(list(t.elem.allowed)))
            else:
                left = self.expr("string", d, scope)
            return Binary(self.pick(["in", "not in"]), left, path)
        if choice == "strfunc":
            func = self.pick(["matches", "contains", "startswith", "endswith"])
            subject = self.expr("string", d, scope)
            if func == "matches":
                return Call(func, (subject, Literal(self.pick(list(SAFE_PATTERNS)))))
            return Call(func, (subject, self.expr("string", d, scope)))
        # quantifier
        return self.quant(self.pick(["any", "all", "none"]), "bool", d, scope)

    def string_operand(self, depth: int, scope: Scope) -> tuple[Expr, tuple[Any, ...] | None]:
        """A string expression and the values it may take (for literals compared with it)."""
        if self.draw(st.booleans()):
            found = _paths_of(scope, "string")
            if found:
                path, t = self.pick(found)
                return path, t.allowed
        return self.expr("string", depth, scope), None

    def number(self, depth: int, scope: Scope) -> Expr:
        choices = ["literal", "path", "path", "count"]
        if depth > 0:
            choices += ["neg", "arith", "arith", "len", "word_count", "since", "agg", "agg"]
        choice = self.pick(choices)
        d = depth - 1
        if choice == "literal":
            value = self.draw(
                st.one_of(st.sampled_from(NUMBERS), st.integers(0, 10**6), st.floats(0, 1e6))
            )
            return Literal(value)
        if choice == "path":
            found = _paths_of(scope, "number")
            return self.pick(found)[0] if found else Literal(1)
        if choice == "count":
            return Quant("count", None, self.pick(_paths_of(scope, "list"))[0], None)
        if choice == "neg":
            return Unary("-", self.expr("number", d, scope))
        if choice == "arith":
            n = self.draw(st.integers(2, 3))
            return _chain(
                self.pick(list(ARITHMETIC)), [self.expr("number", d, scope) for _ in range(n)]
            )
        if choice == "len":
            return Call("len", (self.pick(_paths_of(scope, "string", "list", "opaque"))[0],))
        if choice == "word_count":
            return Call("word_count", (self.expr("string", d, scope),))
        if choice == "since":
            return Call(self.pick(["days_since", "years_since"]), (self.expr("date", d, scope),))
        func = self.pick(["count", "share", "sum", "min", "max"])
        body = "bool" if func in ("count", "share") else "number"
        return self.quant(func, body, d, scope)

    def string(self, depth: int, scope: Scope) -> Expr:
        choice = self.pick(["literal", "path", "path"] + (["lower"] if depth > 0 else []))
        if choice == "literal":
            return Literal(self.draw(st.one_of(st.sampled_from(STRINGS), st.text(max_size=8))))
        if choice == "path":
            # fields with fixed choices only where the values compared with them are known
            found = [(p, t) for p, t in _paths_of(scope, "string") if t.allowed is None]
            return self.pick(found)[0] if found else Literal("x")
        return Call("lower", (self.expr("string", depth - 1, scope),))

    def date(self, depth: int, scope: Scope) -> Expr:
        choice = self.pick(["literal", "path", "path", "as_of"] + (["agg"] if depth > 0 else []))
        if choice == "literal":
            day = self.draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
            return Call("date", (Literal(day.isoformat()),))
        if choice == "path":
            found = _paths_of(scope, "date")
            return self.pick(found)[0] if found else Call("as_of", ())
        if choice == "as_of":
            return Call("as_of", ())
        return self.quant(self.pick(["min", "max"]), "date", depth - 1, scope)

    def quant(self, func: str, body_kind: str, depth: int, scope: Scope) -> Expr:
        lists = _paths_of(scope, "list")
        source, t = self.pick(lists)
        taken = {v for v, _ in scope} | _ROOT_FIELDS
        var = self.pick([v for v in VAR_NAMES if v not in taken])
        elem = t.elem if t.elem is not None else Type("opaque")
        inner: Scope = (*scope, (var, elem))
        # a body over an item of plain values uses the item itself when it fits
        return Quant(func, var, source, self.expr(body_kind, depth, inner))


@st.composite
def typed_conditions(draw: st.DrawFn, noise: int = 0, depth: int = 5) -> tuple[Expr, bool]:
    """A condition syntax tree over the real dossier schema and whether it is noisy
    (holds a deliberately wrong part, so the checker may reject it)."""
    gen = _Gen(draw, noise)
    tree = gen.expr("bool", draw(st.integers(1, depth)), ())
    return tree, gen.noisy


# --------------------------------------------------------------------------- text mutations

_YAML_SPECIALS = list(":-[]{}#&*!|>'\"%@`,?\n\t \\") + [
    "\r\n",
    "---",
    "...",
    "- ",
    ": ",
    "  ",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
]
_YAML_VALUES = [
    "",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "1e400",
    ".nan",
    "-.inf",
    "0x1F",
    "0o17",
    "1_000",
    "2024-02-30",
    "2024-01-31T10:00:00Z",
    "[",
    "{a: 1}",
    "[1, [2, [3]]]",
    "!!python/object:os.system",
    "!!binary aGVsbG8=",
    "&a x",
    "*a",
    "<<: {a: 1}",
    "'unterminated",
    '"\\x"',
    '"\\u0000"',
    "|",
    ">-",
    "-1",
    "0",
    "1.5",
    "true",
    "'5'",
    '"1.0"',
    "[]",
    "{}",
    "A" * 300,
    "<script>alert(1)</script>",
    "9" * 50,
    "-0",
    "+.5",
    "é😀",
    "\ttab",
]
_JSON_SPECIALS = list('{}[]:,"\\ \n') + [
    "null",
    "true",
    "NaN",
    "-Infinity",
    "1e999",
    "\ufeff",
    '"\\ud800"',
    "\x00",
]


@st.composite
def mutated_text(draw: st.DrawFn, texts: list[str], specials: list[str] | None = None) -> str:
    """A file's text with 1-4 random edits: lines deleted, duplicated, swapped or
    re-indented, the text truncated, characters inserted or deleted, values replaced."""
    specials = specials if specials is not None else _YAML_SPECIALS
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "swap",
                    "indent",
                    "dedent",
                    "tab",
                    "truncate",
                    "insert",
                    "insert",
                    "cut",
                    "value",
                ]
            )
        )
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif op == "dedent":
            stripped = lines[i].lstrip(" ")
            keep = draw(st.integers(0, max(len(lines[i]) - len(stripped) - 1, 0)))
            lines[i] = " " * keep + stripped
        elif op == "tab":
            stripped = lines[i].lstrip(" ")
            lines[i] = "\t" * draw(st.integers(1, 2)) + stripped
        elif op == "value":
            key, sep, _value = lines[i].partition(": ")
            lines[i] = (
                key
                + (sep or ": ")
                + draw(st.one_of(st.sampled_from(_YAML_VALUES), st.text(max_size=10)))
            )
        if op in ("truncate", "insert", "cut"):
            k = draw(st.integers(0, len(text)))
            if op == "truncate":
                text = text[:k]
            elif op == "insert":
                piece = draw(st.one_of(st.sampled_from(specials), st.text(min_size=1, max_size=5)))
                text = text[:k] + piece + text[k:]
            else:
                text = text[:k] + text[k + draw(st.integers(1, 20)) :]
        else:
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, texts: list[str]) -> bytes:
    """A file's UTF-8 bytes with encoding damage: BOMs, UTF-16, stray or cut multi-byte
    sequences, NUL bytes."""
    data = draw(st.sampled_from(texts)).encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "flip", "truncate", "bom", "utf16", "latin1"]))
        if op == "insert":
            data = (
                data[:k]
                + draw(
                    st.one_of(
                        st.binary(min_size=1, max_size=4),
                        st.sampled_from(
                            [
                                b"\xff",
                                b"\xc3",
                                b"\xe2\x82",
                                b"\xed\xa0\x80",
                                b"\x00",
                                b"\xef\xbb\xbf",
                                b"\xf4\x90\x80\x80",
                            ]
                        ),
                    )
                )
                + data[k:]
            )
        elif op == "flip" and data:
            k = min(k, len(data) - 1)
            data = data[:k] + bytes([data[k] ^ (1 << draw(st.integers(0, 7)))]) + data[k + 1 :]
        elif op == "truncate":
            data = data[:k]
        elif op == "bom":
            data = b"\xef\xbb\xbf" + data
        elif op == "utf16":
            data = data.decode("utf-8", "replace").encode("utf-16")
        elif op == "latin1":
            data = data.decode("utf-8", "replace").encode("latin-1", "replace")
    return data


# --------------------------------------------------------------------------- JSON mutations

HUGE = "x" * 100_000
_STRING_REPLACEMENTS = [
    "",
    " ",
    "\n\t ",
    HUGE,
    "word " * 5000,
    "<script>alert(1)</script>",
    "<b>bold</b> &amp; &lt;",
    "line one\nline two\r\nthree",
    "\x00\x01\x1b[31m",
    "\u202eevil",
    "é😀" * 50,
    "..",
    "-",
    "@",
    "P1Y2M",
    "PT10H",
    "P2DT12H",
    "P",
    "PT",
    "P1.5W",
    "P99999999999D",
    "2024-02-30",
    "9999-12-31T23:59:59Z",
    "0000-01-01",
    "2024-01-31",
    "http://data.europa.eu/esco/skill/x",
    "javascript:alert(1)",
    "urn:x",
    "DE",
    "DEU",
    "xx",
    "en-US",
    "eng",
    "5",
    "2,5",
    "-1",
    "1e308",
    "NaN",
    "true",
    "null",
    "{}",
    "http://publications.europa.eu/resource/authority/country/DEU",
]
_SCALARS = [None, True, False, 0, -1, 1, 2.5, 1e308, -1e-308, 2**64, -(2**63), 0.1]
_TYPE_VALUES = [
    "OpenBadgeCredential",
    ["VerifiableCredential", "OpenBadgeCredential"],
    "AchievementCredential",
    "Achievement",
    ["VerifiableCredential", "ClrCredential"],
    "EuropeanDigitalCredential",
    "ceterms:Certificate",
    "ceterms:Course",
    "ceterms:LearningProgram",
    "ceterms:CredentialOrganization",
    "LearningAchievement",
    "Profile",
    "Organisation",
    "Result",
    [],
    {},
    None,
    5,
]


def json_paths(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path in a JSON tree (the root first), iteratively."""
    stack: list[tuple[tuple[Any, ...], Any]] = [(path, doc)]
    while stack:
        here, node = stack.pop()
        yield here
        if isinstance(node, dict):
            stack.extend(((*here, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in enumerate(node))


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutated_json(draw: st.DrawFn, doc: Any, max_ops: int = 5) -> Any:
    """A deep copy of a JSON document with 1-``max_ops`` structural mutations: keys
    dropped or renamed, values of another type, strings huge/empty/markup, values
    nested deeper, lists and objects swapped, list items duplicated, types changed."""
    doc = copy.deepcopy(doc)
    deep_done = False
    for _ in range(draw(st.integers(1, max_ops))):
        paths = sorted(json_paths(doc), key=repr)
        path = draw(st.sampled_from(paths))
        value = _get(doc, path)
        op = draw(
            st.sampled_from(
                [
                    "drop",
                    "drop",
                    "retype",
                    "string",
                    "string",
                    "nest",
                    "swap",
                    "dup",
                    "rename",
                    "type",
                    "sibling",
                    "embed",
                ]
            )
        )
        new: Any = value
        if op == "drop":
            if not path:
                continue
            parent = _get(doc, path[:-1])
            del parent[path[-1]]
            continue
        if op == "retype":
            new = draw(
                st.one_of(
                    st.sampled_from(_SCALARS),
                    st.sampled_from(_STRING_REPLACEMENTS),
                    st.just([]),
                    st.just({}),
                )
            )
        elif op == "string":
            new = draw(st.one_of(st.sampled_from(_STRING_REPLACEMENTS), st.text(max_size=20)))
        elif op == "nest":
            # once per document, deeper than any file may be (the loader's limit is 64);
            # deeper still would only test the recursion of copy.deepcopy and json.dumps,
            # and hit it at a depth that depends on the stack (a flaky strategy)
            small = st.integers(1, 6)
            levels = draw(small if deep_done else st.one_of(small, small, st.integers(65, 100)))
            deep_done = deep_done or levels > 6
            for _ in range(levels):
                wrapper = draw(st.sampled_from(["list", "@list", "@value", "lang", "node", "key"]))
                new = {
                    "list": lambda v: [v],
                    "@list": lambda v: {"@list": [v]},
                    "@value": lambda v: {"@value": v},
                    "lang": lambda v: {
                        "de": "Text",
                        "en": v,
                    },  # never v twice: sizes would double per level
                    "node": lambda v: {"id": "urn:x:1", "type": "Thing", "name": v},
                    "key": lambda v: {"x": v},
                }[wrapper](new)
        elif op == "swap":
            if isinstance(value, list):
                new = {str(i): v for i, v in enumerate(value)}
            elif isinstance(value, dict):
                new = draw(st.sampled_from([list(value.values()), [value], list(value)]))
            else:
                new = [value, value]
        elif op == "dup":
            if isinstance(value, list) and value:
                k = draw(st.integers(0, len(value) - 1))
                new = value[: k + 1] + [copy.deepcopy(value[k])] + value[k + 1 :]
            elif isinstance(value, dict):
                new = {
                    **value,
                    **{f"{key}_copy": copy.deepcopy(v) for key, v in list(value.items())[:3]},
                }
        elif op == "rename":
            if isinstance(value, dict) and value:
                key = draw(st.sampled_from(sorted(value)))
                other = draw(
                    st.one_of(
                        st.sampled_from(
                            sorted({str(p[-1]) for p in paths if p and isinstance(p[-1], str)})
                        ),
                        st.text(max_size=6),
                    )
                )
                new = {(other if k == key else k): v for k, v in value.items()}
        elif op == "type":
            if isinstance(value, dict):
                new = {
                    **value,
                    draw(st.sampled_from(["type", "@type"])): draw(st.sampled_from(_TYPE_VALUES)),
                }
        elif op == "embed":
            # JSON inside a string, as sealed ELM envelopes and CLR JWTs carry it
            text = json.dumps(value)
            form = draw(st.sampled_from(["json", "base64", "jwt", "seal"]))
            if form == "json":
                new = text
            elif form == "base64":
                new = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
            elif form == "jwt":
                new = "e30." + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=") + ".sig"
            else:
                new = {"payload": text, "signatures": []}
        elif op == "sibling":
            # a value moved to where another one was expected
            other_path = draw(st.sampled_from(paths))
            new = copy.deepcopy(_get(doc, other_path))
        if not path:
            doc = new
        else:
            _get(doc, path[:-1])[path[-1]] = new
    return doc


# --------------------------------------------------------------------------- schema-valid dossier mutations

_PATTERN_VALUES = {
    dm.SLUG_PATTERN: ["x", "a.b-c_d", "9" * 128],
    dm.COUNTRY_PATTERN: ["DE", "NL", "FR", "ZZ"],
    dm.LANGUAGE_PATTERN: ["en", "de", "fr", "zz"],
    dm.URI_PATTERN: ["http://data.europa.eu/esco/skill/x", "urn:x:1", "https://example.org/a?b=c"],
}
_TEXT = [
    "x",
    " ",
    "Data Analytics",
    "<script>alert(1)</script>",
    "word " * 60,
    "é😀",
    "line\nbreak",
    "online_chat",
    "24/7 helpdesk",
]


def _meta(info: Any, name: str) -> Any:
    for m in info.metadata:
        value = getattr(m, name, None)
        if value is not None:
            return value
    return None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


def _scalar_strategy(annotation: Any, info: Any) -> st.SearchStrategy[Any] | None:
    """Valid values of a scalar field (respecting its bounds, pattern and choices)."""
    ge, le = _meta(info, "ge"), _meta(info, "le")
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        lo = ge if ge is not None else -5
        if le is not None:
            return st.one_of(
                st.sampled_from(sorted({lo, le, min(lo + 1, le)})), st.integers(lo, le)
            )
        # unbounded: machine-word and float-precision edges and beyond
        return st.one_of(
            st.sampled_from([lo, lo + 1, 2**31, 2**53 + 1, 2**63, 2**64 + 1, 10**30, 10**400]),
            st.integers(lo, 10**6),
        )
    if annotation is float:
        lo = float(ge) if ge is not None else 0.0
        if le is not None:
            edges = sorted({lo, float(le), (lo + le) / 2, lo + (le - lo) * 0.05, 5e-324, 1e-300})
            return st.one_of(
                st.sampled_from([e for e in edges if lo <= e <= le]),
                st.floats(lo, le, allow_nan=False, allow_infinity=False),
            )
        edges = [lo, 5e-324, 1e-300, 0.1, 2.0**53 + 2, 1e300, 1.7976931348623157e308]
        return st.one_of(
            st.sampled_from(edges),
            st.floats(lo, 1e6),
            st.floats(lo, allow_nan=False, allow_infinity=False),
        )
    if annotation is str:
        pattern = _meta(info, "pattern")
        if pattern is not None:
            return st.sampled_from(_PATTERN_VALUES[pattern])
        pool = _TEXT if _meta(info, "min_length") else ["", *_TEXT]
        return st.one_of(
            st.sampled_from(pool),
            st.text(min_size=1 if _meta(info, "min_length") else 0, max_size=12),
        )
    if typing.get_origin(annotation) is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if annotation is dt.date:
        return st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
    return None


def _objects(
    data: dict[str, Any], model: type[BaseModel]
) -> Iterator[tuple[dict[str, Any], type[BaseModel]]]:
    """Every mapping in dossier data with the model it validates against."""
    stack = [(data, model)]
    while stack:
        node, m = stack.pop()
        yield node, m
        for name, info in m.model_fields.items():
            inner, _ = _unwrap(info.annotation)
            value = node.get(name)
            if isinstance(inner, type) and issubclass(inner, BaseModel) and isinstance(value, dict):
                stack.append((value, inner))
            elif typing.get_origin(inner) is list and isinstance(value, list):
                (item,) = typing.get_args(inner)
                if isinstance(item, type) and issubclass(item, BaseModel):
                    stack.extend((v, item) for v in value if isinstance(v, dict))


def _repair(doc: dict[str, Any]) -> None:
    """Keep the cross-field rules of the dossier after a mutation: unique ids, no
    dangling references, weights summing to at most 1, possible cohort numbers."""
    for field in ("outcomes", "modules", "assessments", "cohorts", "evidence"):
        seen: set[str] = set()
        for n, item in enumerate(doc.get(field) or []):
            while item["id"] in seen:
                item["id"] = f"{item['id'][:120]}-{n}"
            seen.add(item["id"])
    outcome_ids = {o["id"] for o in doc.get("outcomes") or []}
    assessment_ids = {a["id"] for a in doc.get("assessments") or []}
    for o in doc.get("outcomes") or []:
        o["assessed_by"] = [r for r in o.get("assessed_by") or [] if r in assessment_ids]
    for field in ("modules", "assessments"):
        for item in doc.get(field) or []:
            item["outcomes"] = [r for r in item.get("outcomes") or [] if r in outcome_ids]
    total = 0.0
    for a in doc.get("assessments") or []:
        w = a.get("weight")
        if w is not None:
            if total + w > 1:
                a["weight"] = None
            else:
                total += w
    for c in doc.get("cohorts") or []:
        if (
            c.get("enrolled") is not None
            and c.get("completed") is not None
            and c["completed"] > c["enrolled"]
        ):
            c["completed"] = c["enrolled"]
        top = c.get("completed") if c.get("completed") is not None else c.get("enrolled")
        if c.get("passed") is not None and top is not None and c["passed"] > top:
            c["passed"] = top


@st.composite
def mutated_dossier(draw: st.DrawFn, examples: list[dict[str, Any]]) -> dict[str, Any]:
    """An example dossier (plain data) with 1-8 changes that keep it valid: optional
    fields deleted or emptied, values changed within the schema (bounds, patterns,
    choices), list items deleted, duplicated (with a new id) or the list cleared."""
    doc = copy.deepcopy(draw(st.sampled_from(examples)))
    for _ in range(draw(st.integers(1, 8))):
        objects = list(_objects(doc, dm.Dossier))
        node, model = draw(st.sampled_from(objects))
        name = draw(st.sampled_from(sorted(model.model_fields)))
        if model is dm.Dossier and name in ("schema_version", "id"):
            continue
        info = model.model_fields[name]
        inner, nullable = _unwrap(info.annotation)
        op = draw(st.sampled_from(["delete", "set", "set", "set", "list"]))
        if op == "delete":
            if not info.is_required():
                node.pop(name, None)
            continue
        if typing.get_origin(inner) is list:
            (item,) = typing.get_args(inner)
            items = node.setdefault(name, [])
            if isinstance(item, type) and issubclass(item, BaseModel):
                if not items:
                    continue
                k = draw(st.integers(0, len(items) - 1))
                action = draw(st.sampled_from(["remove", "duplicate", "clear"]))
                if action == "remove":
                    del items[k]
                elif action == "duplicate":
                    twin = copy.deepcopy(items[k])
                    if "id" in twin:
                        twin["id"] = f"{twin['id'][:100]}-copy"
                    items.insert(k + 1, twin)
                else:
                    items.clear()
            else:
                element = _scalar_strategy(item, info)
                if element is None or name == "languages":
                    element = st.sampled_from(_PATTERN_VALUES[dm.LANGUAGE_PATTERN])
                node[name] = draw(st.lists(element, max_size=4))
            continue
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if draw(st.booleans()):
                node[name] = (
                    {}
                    if not any(f.is_required() for f in inner.model_fields.values())
                    else node.get(name)
                )
            elif nullable:
                node[name] = None
            continue
        if typing.get_origin(inner) is dict:
            node[name] = draw(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
            continue
        values = _scalar_strategy(inner, info)
        if values is None:
            continue
        node[name] = draw(st.one_of(st.none(), values) if nullable else values)
    _repair(doc)
    return doc
