"""Static checker of the condition language.

Checks a parsed condition against the dossier schema (a pydantic v2 model) before it
ever runs: every path must exist, operand types must fit the operators and functions,
string constants compared with ``Literal``-typed fields must be possible values, and
``state()``/``met()`` must name known criteria. Reports the schema paths a condition
reads and the criteria it refers to.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import difflib
import enum
import re
import types
import typing
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from qa_engine.errors import ConditionError
from qa_engine.lang.ast import (
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
from qa_engine.lang.parser import QUANT_FUNCTIONS, chain, check_limits, parse
from qa_engine.lang.printer import format_literal, to_source

__all__ = [
    "CRITERION_STATES",
    "FUNCTION_ARITY",
    "CheckResult",
    "Type",
    "TypeEnv",
    "check",
    "check_condition",
    "compile_pattern",
    "parse_date_literal",
]

CRITERION_STATES = (
    "met",
    "partially_met",
    "not_met",
    "exemplary",
    "not_applicable",
    "unknown",
    "error",
)
"""Values ``state("ID")`` can return."""

FUNCTION_ARITY: dict[str, int] = {
    "exists": 1,
    "empty": 1,
    "len": 1,
    "matches": 2,
    "contains": 2,
    "startswith": 2,
    "endswith": 2,
    "lower": 1,
    "word_count": 1,
    "date": 1,
    "as_of": 0,
    "days_since": 1,
    "years_since": 1,
    "state": 1,
    "met": 1,
}

MAX_PATTERN_LENGTH = 200

# --------------------------------------------------------------------------- types

BOOL = "bool"
NUMBER = "number"
STRING = "string"
DATE = "date"
LIST = "list"
OBJECT = "object"
NULL = "null"
OPAQUE = "opaque"
_SCALARS = (BOOL, NUMBER, STRING, DATE)


@dataclass(frozen=True)
class Type:
    """The static type of a value.

    ``kind`` is one of bool, number, string, date, list, object, null, opaque
    (a value the checker cannot see into, e.g. a ``dict`` field: only ``exists``,
    ``empty`` and ``len`` apply). ``elem`` is the item type of a list; ``allowed`` the
    possible values of a ``Literal``/``Enum`` field; ``models`` the pydantic model
    class(es) of an object; ``nullable`` whether the value may be null.
    """

    kind: str
    elem: Type | None = None
    allowed: tuple[Any, ...] | None = None
    models: tuple[type[BaseModel], ...] = ()
    nullable: bool = False

    def __str__(self) -> str:
        if self.kind == LIST:
            return f"list of {self.elem}" if self.elem is not None else "list"
        if self.kind == OBJECT:
            names = "/".join(m.__name__ for m in self.models)
            return f"object ({names})" if names else "object"
        if self.kind == BOOL:
            return "boolean"
        if self.kind == OPAQUE:
            return "free-form value"
        return self.kind

    def describe(self) -> str:
        """``str(self)`` with an article: 'a number', 'an object (Outcome)'."""
        text = str(self)
        return ("an " if text[0] in "aeiou" else "a ") + text


_T_BOOL = Type(BOOL)
_T_NUMBER = Type(NUMBER)
_T_STRING = Type(STRING)
_T_DATE = Type(DATE)
_T_NULL = Type(NULL, nullable=True)
_T_OPAQUE = Type(OPAQUE, nullable=True)
_T_STATE = Type(STRING, allowed=CRITERION_STATES)


def _string_like_classes() -> tuple[type, ...]:
    classes: list[type] = [str, uuid.UUID, PurePath]
    try:
        import pydantic.networks as networks

        for name in ("AnyUrl", "EmailStr", "NameEmail", "AnyHttpUrl", "HttpUrl"):
            cls = getattr(networks, name, None)
            if isinstance(cls, type):
                classes.append(cls)
    except ImportError:  # pragma: no cover
        pass
    try:
        import pydantic_core

        for name in ("Url", "MultiHostUrl"):
            cls = getattr(pydantic_core, name, None)
            if isinstance(cls, type):
                classes.append(cls)
    except ImportError:  # pragma: no cover
        pass
    return tuple(classes)


_STRING_LIKE = _string_like_classes()
_SEQUENCE_ORIGINS = (
    list,
    tuple,
    set,
    frozenset,
    cabc.Sequence,
    cabc.MutableSequence,
    cabc.Set,
    cabc.MutableSet,
    cabc.Iterable,
    cabc.Collection,
)
_MAPPING_ORIGINS = (dict, cabc.Mapping, cabc.MutableMapping)


def _merge(types_: list[Type]) -> Type:
    """The type of a value that may be any of ``types_`` (a Union)."""
    if not types_:
        return _T_NULL
    kinds = {t.kind for t in types_}
    nullable = any(t.nullable for t in types_)
    if len(kinds) != 1:
        return replace(_T_OPAQUE, nullable=True)
    kind = kinds.pop()
    if kind == LIST:
        elems = [t.elem for t in types_ if t.elem is not None]
        return Type(LIST, elem=_merge(elems) if elems else _T_OPAQUE, nullable=nullable)
    if kind == OBJECT:
        models: list[type[BaseModel]] = []
        for t in types_:
            for m in t.models:
                if m not in models:
                    models.append(m)
        return Type(OBJECT, models=tuple(models), nullable=nullable)
    allowed: tuple[Any, ...] | None = None
    if all(t.allowed is not None for t in types_):
        values: list[Any] = []
        for t in types_:
            for v in t.allowed or ():
                if v not in values:
                    values.append(v)
        allowed = tuple(values)
    return Type(kind, allowed=allowed, nullable=nullable)


def _literal_type(values: tuple[Any, ...]) -> Type:
    nullable = any(v is None for v in values)
    values = tuple(v.value if isinstance(v, enum.Enum) else v for v in values if v is not None)
    if not values:
        return _T_NULL
    if all(isinstance(v, bool) for v in values):
        return Type(BOOL, nullable=nullable)
    if all(isinstance(v, str) for v in values):
        return Type(STRING, allowed=values, nullable=nullable)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return Type(NUMBER, allowed=values, nullable=nullable)
    return replace(_T_OPAQUE, nullable=True)


def type_of_annotation(tp: Any) -> Type:
    """The language type of a Python/pydantic type annotation."""
    if tp is None or tp is type(None):
        return _T_NULL
    if tp is typing.Any or tp is object:
        return _T_OPAQUE
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return type_of_annotation(args[0])
    if origin is typing.Union or origin is types.UnionType:
        non_none = [a for a in args if a is not type(None)]
        merged = _merge([type_of_annotation(a) for a in non_none])
        if len(non_none) < len(args):
            merged = replace(merged, nullable=True)
        return merged
    if origin is typing.Literal:
        return _literal_type(args)
    if origin is not None:
        if origin in _SEQUENCE_ORIGINS:
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                elems = [type_of_annotation(a) for a in args]
                return Type(LIST, elem=_merge(elems) if elems else _T_OPAQUE)
            return Type(LIST, elem=type_of_annotation(args[0]) if args else _T_OPAQUE)
        if origin in _MAPPING_ORIGINS:
            return _T_OPAQUE
        return _T_OPAQUE
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            return Type(OBJECT, models=(tp,))
        if issubclass(tp, enum.Enum):
            return _literal_type(tuple(m.value for m in tp))
        if tp is bool:
            return _T_BOOL
        if issubclass(tp, (int, float, Decimal)) and not issubclass(tp, bool):
            return _T_NUMBER
        if issubclass(tp, dt.date):  # datetime values are compared as dates
            return _T_DATE
        if issubclass(tp, _STRING_LIKE):
            return _T_STRING
        if issubclass(tp, (list, tuple, set, frozenset)):
            return Type(LIST, elem=_T_OPAQUE)
    return _T_OPAQUE


class TypeEnv:
    """The schema conditions are checked against: the type of the dossier root and
    the fields of every object type, introspected lazily from pydantic models."""

    def __init__(self, root: Type) -> None:
        if root.kind != OBJECT:
            raise TypeError("the root of a TypeEnv must be an object type")
        self.root = root
        self._fields: dict[tuple[type[BaseModel], ...], dict[str, Type]] = {}

    @classmethod
    def from_model(cls, model: type[BaseModel]) -> TypeEnv:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(f"expected a pydantic model class, got {model!r}")
        return cls(Type(OBJECT, models=(model,)))

    def fields(self, t: Type) -> dict[str, Type]:
        """Field name -> type of an object type (in declaration order)."""
        if t.kind != OBJECT:
            return {}
        cached = self._fields.get(t.models)
        if cached is not None:
            return cached
        merged: dict[str, list[Type]] = {}
        for model in t.models:
            for name, info in model.model_fields.items():
                merged.setdefault(name, []).append(type_of_annotation(info.annotation))
            for name, cinfo in getattr(model, "model_computed_fields", {}).items():
                merged.setdefault(name, []).append(type_of_annotation(cinfo.return_type))
        out: dict[str, Type] = {}
        for name, ts in merged.items():
            ft = _merge(ts)
            if len(t.models) > 1 and len(ts) < len(t.models):
                ft = replace(ft, nullable=True)
            out[name] = ft
        self._fields[t.models] = out
        return out

    def resolve(self, path: str) -> Type:
        """The type at a schema path such as ``assessments[].weight`` (``[]`` steps
        into a list). Raises ConditionError for an unknown path."""
        t = self.root
        seen = ""
        for raw in path.split("."):
            steps = 0
            name = raw
            while name.endswith("[]"):
                name = name[:-2]
                steps += 1
            if name:
                fields = self.fields(t)
                if name not in fields:
                    where = f"'{seen}'" if seen else "the dossier"
                    raise ConditionError(
                        f"unknown field '{name}' in {where}",
                        path=path,
                        hint=_field_hint(name, list(fields), where),
                    )
                t = fields[name]
                seen = f"{seen}.{name}" if seen else name
            for _ in range(steps):
                if t.kind != LIST or t.elem is None:
                    raise ConditionError(f"'{seen}' is not a list", path=path)
                t = t.elem
                seen += "[]"
        return t


def _field_hint(name: str, fields: list[str], where: str) -> str:
    special = {"True": "true", "False": "false", "None": "null", "NULL": "null",
               "AND": "and", "OR": "or", "NOT": "not"}
    if name in special:
        return f"write '{special[name]}' in lower case"
    close = difflib.get_close_matches(name, fields, n=3, cutoff=0.6)
    shown = ", ".join(fields[:25]) + (", ..." if len(fields) > 25 else "")
    text = f"{where} has the fields: {shown}" if fields else f"{where} has no fields"
    if close:
        text = "did you mean " + " or ".join(f"'{c}'" for c in close) + "? " + text
    return text


# --------------------------------------------------------------------------- regex & dates


def _pattern_has_nested_repeat(parsed: Any) -> str | None:
    """Walk a parsed regular expression; return a reason if a repeated part contains
    another repeat, or alternatives that can start with the same character."""
    from re import _constants as c  # type: ignore[attr-defined]

    repeats = {c.MAX_REPEAT, c.MIN_REPEAT}
    possessive = getattr(c, "POSSESSIVE_REPEAT", None)
    if possessive is not None:
        repeats.add(possessive)

    def subpatterns(op: Any, av: Any) -> list[Any]:
        if op in repeats:
            return [av[2]]
        if op is c.SUBPATTERN:
            return [av[3]]
        if op is c.BRANCH:
            return list(av[1])
        if op is getattr(c, "ATOMIC_GROUP", object()):
            return [av]
        if op in (c.ASSERT, c.ASSERT_NOT):
            return [av[1]]
        if op is c.GROUPREF_EXISTS:
            return [p for p in av[1:] if p is not None]
        return []

    def contains_repeat(seq: Any) -> bool:
        for op, av in seq:
            if op in repeats and (av[1] is c.MAXREPEAT or av[1] > 1):
                return True
            if any(contains_repeat(s) for s in subpatterns(op, av)):
                return True
        return False

    def first_chars(seq: Any) -> set[Any] | None:
        """Literal characters a sequence can start with; None when it may start with
        anything (classes, wildcards, empty matches...)."""
        for op, av in seq:
            if op is c.LITERAL:
                return {av}
            if op is c.SUBPATTERN:
                return first_chars(av[3])
            if op is c.BRANCH:
                out: set[Any] = set()
                for b in av[1]:
                    fc = first_chars(b)
                    if fc is None:
                        return None
                    out |= fc
                return out
            if op is c.AT:
                continue
            return None
        return None

    def overlapping_branches(seq: Any) -> bool:
        for op, av in seq:
            if op is c.BRANCH:
                seen: set[Any] = set()
                for b in av[1]:
                    fc = first_chars(b)
                    if fc is None or fc & seen:
                        return True
                    seen |= fc
            if any(overlapping_branches(s) for s in subpatterns(op, av) if op is not c.BRANCH):
                return True
            if op is c.BRANCH and any(overlapping_branches(b) for b in av[1]):
                return True
        return False

    def walk(seq: Any) -> str | None:
        for op, av in seq:
            if op in repeats and (av[1] is c.MAXREPEAT or av[1] > 1):
                if contains_repeat(av[2]):
                    return "a repeated group contains another repetition (like (a+)+)"
                if overlapping_branches(av[2]):
                    return "a repeated group has alternatives that can match the same text (like (a|a)*)"
            for s in subpatterns(op, av):
                reason = walk(s)
                if reason:
                    return reason
        return None

    return walk(parsed) or _adjacent_repeats(parsed)


# Characters that stand for every kind a regular expression can tell apart: ASCII,
# Latin-1 and other letters, digits of other scripts, Unicode spaces and an emoji.
_SAMPLE_CHARS = frozenset(
    [chr(i) for i in range(128)]
    + list("\u00a0\u00b2\u00e9\u00df\u0416\u0663\u2003\u2028\u4e2d\U0001f600")
)
_CATEGORY_RES = {
    "CATEGORY_DIGIT": re.compile(r"\d"),
    "CATEGORY_NOT_DIGIT": re.compile(r"\D"),
    "CATEGORY_SPACE": re.compile(r"\s"),
    "CATEGORY_NOT_SPACE": re.compile(r"\S"),
    "CATEGORY_WORD": re.compile(r"\w"),
    "CATEGORY_NOT_WORD": re.compile(r"\W"),
}


def _adjacent_repeats(parsed: Any) -> str | None:
    """A reason when two unbounded repetitions follow each other and can match the same
    characters (``a*a*b``, ``.*.*x``, ``\\w+\\w+$``), else None.

    Such a pattern backtracks through every way of splitting a run of those characters
    between the repetitions: polynomial time, hours on a long text. A repetition stays
    "open" after it while what follows is optional or characters it could match too
    (``.*=.*``: ``.*`` matches the ``=``); the next unbounded repetition that can match
    a character of an open one is reported. Case is ignored (conservatively).
    """
    from re import _constants as c  # type: ignore[attr-defined]

    repeats = {c.MAX_REPEAT, c.MIN_REPEAT}
    possessive = getattr(c, "POSSESSIVE_REPEAT", None)
    if possessive is not None:
        repeats.add(possessive)
    everything = frozenset(_SAMPLE_CHARS)

    def with_case(chars: set[str]) -> frozenset[str]:
        return frozenset(chars | {x.swapcase() for x in chars})

    def in_class(items: Any, ch: str) -> bool:
        negate = matched = False
        for op, av in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                matched = matched or ch == chr(av)
            elif op is c.RANGE:
                matched = matched or av[0] <= ord(ch) <= av[1]
            elif op is c.CATEGORY:
                rx = _CATEGORY_RES.get(str(av))
                matched = matched or rx is None or rx.match(ch) is not None
            else:  # anything unexpected matches everything (conservative)
                matched = True
        return matched != negate

    def single(op: Any, av: Any) -> frozenset[str] | None:
        """The sample characters one single-character item matches, or None."""
        if op is c.LITERAL:
            return with_case({chr(av)})
        if op is c.NOT_LITERAL:
            return with_case({x for x in everything if x.lower() != chr(av).lower()})
        if op is c.ANY:
            return everything
        if op is c.IN:
            return with_case({x for x in everything if in_class(av, x)})
        return None

    def consumable(seq: Any) -> frozenset[str]:
        """Every character ``seq`` may consume (zero-width parts consume none)."""
        out: set[str] = set()
        for op, av in seq:
            chars = single(op, av)
            if chars is not None:
                out |= chars
            elif op in repeats:
                out |= consumable(av[2])
            elif op is c.SUBPATTERN:
                out |= consumable(av[3])
            elif op is c.BRANCH:
                for branch in av[1]:
                    out |= consumable(branch)
            elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            else:  # back references, conditionals...
                return everything
        return frozenset(out)

    def sequence(
        seq: Any, open_sets: list[frozenset[str]]
    ) -> tuple[str | None, list[frozenset[str]]]:
        for op, av in seq:
            if op in repeats:
                low, high, body = av
                chars = consumable(body)
                if high is c.MAXREPEAT:
                    if any(chars & other for other in open_sets):
                        return (
                            "two repetitions in a row can match the same characters "
                            "(like a*a* or .*.*)",
                            open_sets,
                        )
                    kept = open_sets if low == 0 else [o for o in open_sets if chars <= o]
                    open_sets = [*kept, chars]
                else:
                    reason, _ = sequence(body, [])
                    if reason:
                        return reason, open_sets
                    if low > 0:
                        open_sets = [o for o in open_sets if chars <= o]
                continue
            if op is c.SUBPATTERN:
                reason, open_sets = sequence(av[3], open_sets)
                if reason:
                    return reason, open_sets
                continue
            if op is c.BRANCH:
                merged: list[frozenset[str]] = []
                for branch in av[1]:
                    reason, after = sequence(branch, open_sets)
                    if reason:
                        return reason, open_sets
                    merged.extend(o for o in after if o not in merged)
                open_sets = merged
                continue
            if op is c.AT:
                continue
            if op in (c.ASSERT, c.ASSERT_NOT):
                reason, _ = sequence(av[1], [])
                if reason:
                    return reason, open_sets
                continue
            one = single(op, av)
            # a character only an open repetition could also match keeps it open;
            # back references and the like end every open repetition
            open_sets = [] if one is None else [o for o in open_sets if one <= o]
        return None, open_sets

    return sequence(parsed, [])[0]


class Pattern(typing.Protocol):
    """What a compiled ``matches()`` pattern offers: ``search``."""

    def search(self, text: str) -> object | None: ...


def _linear(pattern: str) -> Pattern:
    """The pattern compiled for RE2, whose matching time is linear in the text: a
    pattern that backtracks badly in Python's ``re`` (``a*b`` on a long text is
    quadratic) cannot slow a batch down."""
    import re2

    options = re2.Options()
    options.log_errors = False  # the error comes back as ours, not on stderr
    try:
        return typing.cast(Pattern, re2.compile(pattern, options))
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(
            f"the regular expression uses a construct matches() does not support ({reason}); "
            "back references and look-around are not available"
        ) from None


def compile_pattern(pattern: str) -> Pattern:
    """Compile a ``matches()`` pattern after the safety checks (length, no nested
    quantifiers) for the linear-time RE2 engine (RE2 syntax: Python's without back
    references and look-around). Raises ValueError with a reason."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(
            f"the regular expression is too long ({len(pattern)} characters; "
            f"the limit is {MAX_PATTERN_LENGTH})"
        )
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    except (RecursionError, OverflowError):
        raise ValueError("the regular expression is too complex") from None
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        reason = _pattern_has_nested_repeat(sre_parse.parse(pattern))
    except (ImportError, AttributeError):  # pragma: no cover - other Python versions
        reason = (
            "a repeated group contains another repetition"
            if re.search(r"\([^()]*[*+}][^()]*\)\s*[*+{]", pattern)
            else None
        )
    if reason:
        raise ValueError(f"the regular expression could be very slow: {reason}")
    del compiled  # Python's re checked the syntax and shape; RE2 runs it
    return _linear(pattern)


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_literal(text: str) -> dt.date:
    """Parse the argument of ``date("YYYY-MM-DD")``. Raises ValueError."""
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"{format_literal(text)} is not a date written as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{format_literal(text)} is not a valid calendar date") from None


# --------------------------------------------------------------------------- checker


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a successful check.

    ``type``: the type of the expression. ``paths``: sorted schema paths it reads
    (``[]`` steps into list items, e.g. ``assessments[].weight``). ``criteria_refs``:
    ids named in ``state()``/``met()``.
    """

    type: Type
    paths: tuple[str, ...] = ()
    criteria_refs: frozenset[str] = field(default_factory=frozenset)


_MISSING = object()


def _const(node: Expr) -> Any:
    """The value of a constant scalar expression, or _MISSING."""
    if isinstance(node, Literal):
        return node.value
    if (
        isinstance(node, Unary)
        and node.op == "-"
        and isinstance(node.operand, Literal)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)
    ):
        return -node.operand.value
    return _MISSING


def _scalar_kind_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return STRING
    return NULL


class _Checker:
    def __init__(self, env: TypeEnv, criteria: Collection[str] | None) -> None:
        self.env = env
        self.criteria = None if criteria is None else set(criteria)
        self.paths: set[str] = set()
        self.refs: set[str] = set()

    # -- errors
    def error(self, node: Expr, message: str, hint: str | None = None, col_offset: int = 0) -> ConditionError:
        line = node.line or None
        col = (node.col + col_offset) if node.col else None
        return ConditionError(message, line=line, column=col, hint=hint)

    # -- dispatch
    def check(self, node: Expr, scope: dict[str, tuple[Type, str]]) -> Type:
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, Path):
            return self.path(node, scope)[0]
        if isinstance(node, ListLit):
            return self.list_literal(node)
        if isinstance(node, Unary):
            return self.unary(node, scope)
        if isinstance(node, Binary):
            return self.binary(node, scope)
        if isinstance(node, Call):
            return self.call(node, scope)
        if isinstance(node, Quant):
            return self.quant(node, scope)
        raise ConditionError(f"not a condition syntax tree node: {type(node).__name__}")

    def literal(self, node: Literal) -> Type:
        v = node.value
        if v is None:
            raise self.error(
                node,
                "null cannot be used in a condition",
                "test for a missing value with exists(...) or empty(...)",
            )
        kind = _scalar_kind_of_value(v)
        if kind == NULL:
            raise self.error(node, f"unsupported literal {v!r}")
        return Type(kind)

    def path(self, node: Path, scope: dict[str, tuple[Type, str]]) -> tuple[Type, str]:
        if node.var is not None:
            if node.var not in scope:
                raise self.error(node, f"'{node.var}' is not bound by an enclosing quantifier")
            t, schema = scope[node.var]
            written = node.var
            where_root = f"'{node.var}' (an item of {schema[:-2]})"
        else:
            if not node.parts:
                raise self.error(node, "empty path")
            t, schema, written = self.env.root, "", ""
            where_root = "the dossier"
        for part in node.parts:
            offset = len(written) + 1 if written else 0
            where = where_root if written == (node.var or "") else f"'{written}'"
            if t.kind == OBJECT:
                fields = self.env.fields(t)
                if part not in fields:
                    raise self.error(
                        node,
                        f"unknown field '{part}' in {where}",
                        _field_hint(part, list(fields), where),
                        col_offset=offset,
                    )
                t = fields[part]
            elif t.kind == LIST:
                var = "x" if part != "x" else "y"
                raise self.error(
                    node,
                    f"'{written}' is a list, so '.{part}' cannot be read from it directly",
                    f"use a quantifier, e.g. any({var} in {written}: {var}.{part} ...)",
                    col_offset=offset,
                )
            elif t.kind == OPAQUE:
                raise self.error(
                    node,
                    f"'{written}' is a free-form value whose fields cannot be checked",
                    "only exists(), empty() and len() apply to it",
                    col_offset=offset,
                )
            else:
                raise self.error(
                    node,
                    f"'{written}' is {t.describe()} and has no field '{part}'",
                    col_offset=offset,
                )
            schema = f"{schema}.{part}" if schema else part
            written = f"{written}.{part}" if written else part
        self.paths.add(schema)
        return t, schema

    def list_literal(self, node: ListLit) -> Type:
        if not node.items:
            raise self.error(node, "an empty list never contains anything", "list the values, e.g. [\"a\", \"b\"]")
        kinds: set[str] = set()
        values: list[Any] = []
        for item in node.items:
            v = _const(item)
            if v is _MISSING:
                raise self.error(
                    item,
                    "the items of a list must be literal values",
                    "write the values out, e.g. [\"online\", \"blended\"]",
                )
            if v is None:
                raise self.error(item, "null cannot be an item of a list", "test for a missing value with exists(...)")
            kinds.add(_scalar_kind_of_value(v))
            values.append(v)
        if len(kinds) > 1:
            raise self.error(node, "the items of a list must all be of one type (all numbers, all strings or all booleans)")
        return Type(LIST, elem=Type(kinds.pop()))

    def unary(self, node: Unary, scope: dict[str, tuple[Type, str]]) -> Type:
        t = self.check(node.operand, scope)
        if node.op == "not":
            if t.kind != BOOL:
                raise self.error(
                    node,
                    f"'not' needs a condition, but {to_source(node.operand)} is {t.describe()}",
                    _bool_hint(t),
                )
            return _T_BOOL
        if node.op == "-":
            if t.kind != NUMBER:
                raise self.error(node, f"'-' needs a number, but {to_source(node.operand)} is {t.describe()}")
            return _T_NUMBER
        raise self.error(node, f"unknown operator '{node.op}'")

    def binary(self, node: Binary, scope: dict[str, tuple[Type, str]]) -> Type:
        op = node.op
        if op in ("and", "or", "+", "-", "*", "/"):
            first, links = chain(node)
            want = BOOL if op in ("and", "or") else NUMBER
            operands = [(first, links[0])] + [(link.right, link) for link in links]
            for operand, link in operands:
                t = self.check(operand, scope)
                if t.kind != want:
                    raise self.error(link, *_operand_message(link.op, operand, t))
            return _T_BOOL if want == BOOL else _T_NUMBER
        if op in COMPARISONS:
            return self.comparison(node, scope)
        if op in ("in", "not in"):
            return self.membership(node, scope)
        raise self.error(node, f"unknown operator '{op}'")

    def comparison(self, node: Binary, scope: dict[str, tuple[Type, str]]) -> Type:
        lt = self.check(node.left, scope)
        rt = self.check(node.right, scope)
        op = node.op
        ls, rs = to_source(node.left), to_source(node.right)
        for t, s in ((lt, ls), (rt, rs)):
            if t.kind not in _SCALARS:
                hint = None
                if t.kind == LIST:
                    hint = f"use len({s}), count(...) or a quantifier such as any(x in {s}: ...)"
                elif t.kind == OPAQUE:
                    hint = "only exists(), empty() and len() apply to it"
                raise self.error(node, f"'{op}' cannot compare {s}, which is {t.describe()}", hint)
        if lt.kind != rt.kind:
            raise self.error(
                node,
                f"cannot compare {ls} ({lt}) with {rs} ({rt})",
                _mismatch_hint(node, lt, rt),
            )
        if op in ("<", "<=", ">", ">=") and lt.kind not in (NUMBER, DATE):
            hint = (
                "compare strings with '==', '!=' or 'in'"
                if lt.kind == STRING
                else "compare booleans with '==' or use them directly as conditions"
            )
            raise self.error(node, f"'{op}' only orders numbers and dates, but {ls} is {lt.describe()}", hint)
        if op in ("==", "!="):
            self.check_allowed(node.right, lt, node.left)
            self.check_allowed(node.left, rt, node.right)
        return _T_BOOL

    def membership(self, node: Binary, scope: dict[str, tuple[Type, str]]) -> Type:
        lt = self.check(node.left, scope)
        rt = self.check(node.right, scope)
        ls, rs = to_source(node.left), to_source(node.right)
        if rt.kind != LIST:
            hint = None
            if rt.kind == STRING:
                hint = f"to look for text inside a string use contains({rs}, ...)"
            raise self.error(node, f"'{node.op}' needs a list on its right, but {rs} is {rt.describe()}", hint)
        if lt.kind not in _SCALARS:
            raise self.error(node, f"'{node.op}' needs a single value on its left, but {ls} is {lt.describe()}")
        elem = rt.elem or _T_OPAQUE
        if elem.kind != lt.kind:
            raise self.error(
                node,
                f"cannot look for {ls} ({lt}) in {rs} ({rt})",
                "the value and the list items must be of the same type",
            )
        self.check_allowed(node.left, elem, node.right, container=True)
        if isinstance(node.right, ListLit):
            for item in node.right.items:
                self.check_allowed(item, lt, node.left)
        return _T_BOOL

    def check_allowed(self, const_node: Expr, other: Type, other_node: Expr, container: bool = False) -> None:
        if other.allowed is None:
            return
        value = _const(const_node)
        if value is _MISSING or value is None or isinstance(value, bool):
            return
        if value in other.allowed:
            return
        of = f"the items of {to_source(other_node)}" if container else to_source(other_node)
        choices = [v for v in other.allowed]
        close = (
            difflib.get_close_matches(value, [c for c in choices if isinstance(c, str)], n=1)
            if isinstance(value, str)
            else []
        )
        shown = ", ".join(format_literal(c) for c in choices)
        hint = f"possible values: {shown}"
        if close:
            hint = f"did you mean {format_literal(close[0])}? {hint}"
        raise self.error(
            const_node,
            f"{format_literal(value)} is not a possible value of {of}",
            hint,
        )

    # -- functions
    def call(self, node: Call, scope: dict[str, tuple[Type, str]]) -> Type:
        name = node.func
        if name in QUANT_FUNCTIONS:
            raise self.error(node, f"{name}() must be written as {name}(x in list: ...)")
        if name not in FUNCTION_ARITY:
            close = difflib.get_close_matches(name, list(FUNCTION_ARITY) + list(QUANT_FUNCTIONS), n=1)
            raise self.error(
                node,
                f"unknown function '{name}'",
                f"did you mean {close[0]}()?" if close else "see the list of functions in the condition language reference",
            )
        want = FUNCTION_ARITY[name]
        args = node.args
        if len(args) != want:
            plural = "argument" if want == 1 else "arguments"
            raise self.error(node, f"{name}() takes {want} {plural} but {len(args)} were given")

        if name in ("state", "met", "date"):
            arg = args[0]
            if not (isinstance(arg, Literal) and isinstance(arg.value, str)):
                what = "a date written as a string literal" if name == "date" else "a criterion id written as a string literal"
                raise self.error(arg, f"{name}() needs {what}", f'e.g. {name}("{"2024-01-31" if name == "date" else "CRIT-ID"}")')
            if name == "date":
                try:
                    parse_date_literal(arg.value)
                except ValueError as exc:
                    raise self.error(arg, str(exc), 'write e.g. date("2024-01-31")') from None
                return _T_DATE
            ref = arg.value
            if self.criteria is not None and ref not in self.criteria:
                close = difflib.get_close_matches(ref, sorted(self.criteria), n=1)
                raise self.error(
                    arg,
                    f"unknown criterion {format_literal(ref)} in {name}()",
                    f"did you mean {format_literal(close[0])}?" if close else "name a criterion of this ruleset",
                )
            self.refs.add(ref)
            return _T_STATE if name == "state" else _T_BOOL

        if name == "as_of":
            return _T_DATE

        types_ = [self.check(a, scope) for a in args]
        t0 = types_[0]
        a0 = to_source(args[0])
        if name == "exists":
            if _const(args[0]) is not _MISSING or isinstance(args[0], ListLit):
                raise self.error(args[0], "exists() needs a path, not a constant", "e.g. exists(credential.title)")
            return _T_BOOL
        if name in ("empty", "len"):
            if t0.kind not in (STRING, LIST, OPAQUE):
                hint = f"use exists({a0}) to test for a missing value" if name == "empty" else None
                raise self.error(node, f"{name}() needs a string or a list, but {a0} is {t0.describe()}", hint)
            return _T_BOOL if name == "empty" else _T_NUMBER
        if name in ("days_since", "years_since"):
            if t0.kind != DATE:
                hint = 'write a date constant as date("2024-01-31")' if t0.kind == STRING else None
                raise self.error(node, f"{name}() needs a date, but {a0} is {t0.describe()}", hint)
            return _T_NUMBER
        # string functions
        if t0.kind != STRING:
            hint = None
            if t0.kind == LIST and name == "contains":
                hint = f"to test whether a list holds a value write: value in {a0}"
            raise self.error(node, f"{name}() needs a string, but {a0} is {t0.describe()}", hint)
        if name == "lower":
            return _T_STRING
        if name == "word_count":
            return _T_NUMBER
        # two-argument string functions
        if name == "matches":
            pat = args[1]
            if not (isinstance(pat, Literal) and isinstance(pat.value, str)):
                raise self.error(pat, "matches() needs the regular expression as a string literal", 'e.g. matches(credential.title, "^[A-Z]")')
            try:
                compile_pattern(pat.value)
            except ValueError as exc:
                raise self.error(pat, str(exc), "simplify the regular expression") from None
            return _T_BOOL
        t1 = types_[1]
        if t1.kind != STRING:
            raise self.error(args[1], f"{name}() needs a string as its second argument, but {to_source(args[1])} is {t1.describe()}")
        return _T_BOOL

    # -- quantifiers and aggregates
    def quant(self, node: Quant, scope: dict[str, tuple[Type, str]]) -> Type:
        func = node.func
        if func not in QUANT_FUNCTIONS:
            raise self.error(node, f"unknown quantifier '{func}'")
        if not isinstance(node.source, Path):
            raise self.error(node.source, f"the list of {func}() must be a path", f"e.g. {func}(o in outcomes: ...)")
        st, schema = self.path(node.source, scope)
        src = to_source(node.source)
        if st.kind != LIST:
            raise self.error(node.source, f"{func}() needs a list, but {src} is {st.describe()}")
        elem = st.elem or _T_OPAQUE
        if (node.var is None) != (node.body is None):
            raise self.error(node, f"malformed {func}(): an item variable needs a body and vice versa")
        if node.var is None:
            if func in ("any", "all", "none", "share"):
                raise self.error(node, f"{func}() needs an item variable and a condition", f"write {func}(x in {src}: condition)")
            if func == "count":
                return _T_NUMBER
            if func == "sum" and elem.kind != NUMBER:
                raise self.error(node, f"sum() needs a list of numbers, but {src} is {st.describe()}", f"write sum(x in {src}: x.field)")
            if func in ("min", "max") and elem.kind not in (NUMBER, DATE):
                raise self.error(node, f"{func}() needs a list of numbers or dates, but {src} is {st.describe()}", f"write {func}(x in {src}: x.field)")
            return Type(elem.kind) if func in ("min", "max") else _T_NUMBER
        var = node.var
        if var in scope:
            raise self.error(node, f"'{var}' is already bound by an enclosing quantifier", "choose a different name for the inner item")
        if var in self.env.fields(self.env.root):
            raise self.error(
                node,
                f"the item name '{var}' hides the dossier field '{var}'",
                "choose a different name for the item",
            )
        inner = dict(scope)
        inner[var] = (elem, schema + "[]")
        assert node.body is not None
        bt = self.check(node.body, inner)
        body_src = to_source(node.body)
        if func in ("any", "all", "none", "count", "share"):
            if bt.kind != BOOL:
                raise self.error(
                    node.body,
                    f"the body of {func}() must be a condition, but {body_src} is {bt.describe()}",
                    _bool_hint(bt),
                )
            return _T_BOOL if func in ("any", "all", "none") else _T_NUMBER
        if func == "sum":
            if bt.kind != NUMBER:
                raise self.error(node.body, f"the body of sum() must be a number, but {body_src} is {bt.describe()}")
            return _T_NUMBER
        if bt.kind not in (NUMBER, DATE):
            raise self.error(node.body, f"the body of {func}() must be a number or a date, but {body_src} is {bt.describe()}")
        return Type(bt.kind)


def _bool_hint(t: Type) -> str | None:
    if t.kind == NUMBER:
        return "compare it with a number, e.g. '... >= 1'"
    if t.kind in (STRING, LIST, OBJECT, OPAQUE):
        return "use exists(...), empty(...) or a comparison"
    return None


def _operand_message(op: str, operand: Expr, t: Type) -> tuple[str, str | None]:
    src = to_source(operand)
    if op in ("and", "or"):
        return (f"'{op}' needs conditions on both sides, but {src} is {t.describe()}", _bool_hint(t))
    hint = None
    if t.kind == DATE:
        hint = "use days_since(...) or years_since(...) for durations"
    elif t.kind == STRING:
        hint = "arithmetic works on numbers only"
    return (f"'{op}' needs numbers, but {src} is {t.describe()}", hint)


def _mismatch_hint(node: Binary, lt: Type, rt: Type) -> str | None:
    kinds = {lt.kind, rt.kind}
    if kinds == {DATE, STRING}:
        return 'write a date constant as date("2024-01-31")'
    if kinds == {NUMBER, STRING}:
        for side in (node.left, node.right):
            v = _const(side)
            if isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v.strip()):
                return "remove the quotes around the number"
        return "both sides must be of the same type"
    if kinds == {BOOL, STRING}:
        return "write true or false without quotes"
    return "both sides must be of the same type"


def check(
    expr: Expr | str, env: TypeEnv, *, criteria: Collection[str] | None = None
) -> CheckResult:
    """Type-check an expression (a syntax tree, or text that is parsed first).

    ``criteria``: the criterion ids ``state()``/``met()`` may name (None: any).
    Raises ConditionError with line/column relative to the expression text.
    """
    if isinstance(expr, str):
        expr = parse(expr)
    check_limits(expr)
    checker = _Checker(env, criteria)
    t = checker.check(expr, {})
    return CheckResult(type=t, paths=tuple(sorted(checker.paths)), criteria_refs=frozenset(checker.refs))


def check_condition(
    expr: Expr | str, env: TypeEnv, *, criteria: Collection[str] | None = None
) -> CheckResult:
    """``check`` plus: the expression must be a condition (true/false)."""
    if isinstance(expr, str):
        expr = parse(expr)
    result = check(expr, env, criteria=criteria)
    if result.type.kind != BOOL:
        raise ConditionError(
            f"a condition must be true or false, but this expression is {result.type.describe()}",
            line=expr.line or None,
            column=expr.col or None,
            hint=_bool_hint(result.type),
        )
    return result

