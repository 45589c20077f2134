"""Three-valued evaluator of the condition language.

Two entry points over one compiler (``_Compiler``), in two modes:

* ``compile_expr(expr)`` compiles a syntax tree once into nested Python closures; the
  result is called as ``f(data, ctx)`` for thousands of dossiers (no tree walking).
* ``explain(expr, data, ctx)`` is the path for reports: it evaluates every part (no
  short-circuit), records which atomic tests held, which list items matched and every
  value read. It is compiled once per syntax tree as well (kept on the tree): texts,
  labels and detail formats are fixed at compile time, list items run through
  recording closures, and only the items a detail names are explained in full.

Values are True / False / None for conditions, None meaning UNKNOWN (evidence is
missing). ``and``/``or``/``not`` follow Kleene's three-valued logic; reading a null or
absent value gives None, and None propagates through comparisons, arithmetic and
most functions (see docs/condition-language.md).

``data`` is the dossier as ``model.model_dump(mode="python")`` (nested dicts and
lists), or the pydantic model itself, which is dumped first.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic import BaseModel

from qa_engine.errors import ConditionError, EngineError
from qa_engine.lang import wording
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
from qa_engine.lang.checker import FUNCTION_ARITY, compile_pattern, parse_date_literal
from qa_engine.lang.parser import QUANT_FUNCTIONS, chain, check_limits, parse
from qa_engine.lang.printer import format_value, quote, to_source

__all__ = [
    "Context",
    "EvaluationError",
    "Evidence",
    "Explanation",
    "Part",
    "compile_expr",
    "evaluate",
    "RawExplanation",
    "explain",
    "explain_raw",
]


class EvaluationError(EngineError):
    """A condition could not be evaluated on a dossier (the data does not have the
    shape the condition was checked against). The engine records state ``error``."""


@dataclass(frozen=True)
class Context:
    """What a condition may know besides the dossier."""

    as_of: dt.date
    """The evaluation date: ``as_of()``, ``days_since()``, ``years_since()``."""
    states: Mapping[str, str] = field(default_factory=dict)
    """Verdict states of other criteria, for ``state()`` and ``met()``."""


# --------------------------------------------------------------------------- values

_FAST = frozenset({str, int, float, bool, type(None), dt.date, dict, list})


class _DataError(Exception):
    pass


def _slow_norm(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, enum.Enum):
        return _norm(v.value)
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, dt.date):
        return dt.date(v.year, v.month, v.day)
    if isinstance(v, Mapping):
        return dict(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        return list(v)
    if isinstance(v, BaseModel):
        return v.model_dump(mode="python")
    return str(v)  # URLs, UUIDs, paths...


def _norm(v: Any) -> Any:
    return v if type(v) in _FAST else _slow_norm(v)


def _walk(v: Any, parts: tuple[str, ...]) -> Any:
    for p in parts:
        if v is None:
            return None
        if type(v) is not dict:
            v = _slow_norm(v)
            if type(v) is not dict:
                raise _DataError(f"cannot read '{p}' from a {type(v).__name__}")
        v = v.get(p)
    return _norm(v)


def _root(data: Any) -> dict[str, Any]:
    if type(data) is dict:
        return data
    if isinstance(data, BaseModel):
        return data.model_dump(mode="python")
    if isinstance(data, Mapping):
        return dict(data)
    raise EvaluationError(
        f"a dossier must be a mapping or a pydantic model, not {type(data).__name__}"
    )


# --------------------------------------------------------------------------- shared semantics

_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _div(a: Any, b: Any) -> Any:
    return None if b == 0 else a / b


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _div,
}

_MET_TRUE = frozenset({"met", "exemplary"})
_MET_UNKNOWN = frozenset({"unknown", "error"})


def _met(state: str | None) -> bool | None:
    if state in _MET_TRUE:
        return True
    if state is None or state in _MET_UNKNOWN:
        return None
    return False


def _member(x: Any, seq: Any) -> bool | None:
    if x is None or seq is None:
        return None
    if x in seq:
        return True
    for e in seq:
        if type(e) not in _FAST:
            return x in [_norm(e) for e in seq]
    return False


def _empty(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() == ""
    if isinstance(v, (list, dict, tuple)):
        return len(v) == 0
    return False


def _len(v: Any) -> int | None:
    return None if v is None else len(v)


def _lower(v: Any) -> str | None:
    return None if v is None else v.lower()


def _word_count(v: Any) -> int | None:
    return None if v is None else len(v.split())


def _contains(s: Any, sub: Any) -> bool | None:
    return None if s is None or sub is None else sub in s


def _startswith(s: Any, p: Any) -> bool | None:
    return None if s is None or p is None else s.startswith(p)


def _endswith(s: Any, p: Any) -> bool | None:
    return None if s is None or p is None else s.endswith(p)


_UNARY_FUNCS: dict[str, Callable[[Any], Any]] = {
    "empty": _empty,
    "len": _len,
    "lower": _lower,
    "word_count": _word_count,
}
_BINARY_FUNCS: dict[str, Callable[[Any, Any], Any]] = {
    "contains": _contains,
    "startswith": _startswith,
    "endswith": _endswith,
}


def _k_any(values: list[Any]) -> bool | None:
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def _k_all(values: list[Any]) -> bool | None:
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def _k_not(v: Any) -> bool | None:
    return None if v is None else not v


def _count(values: list[Any]) -> int | None:
    n = 0
    for v in values:
        if v is None:
            return None
        if v:
            n += 1
    return n


def _sum(values: list[Any]) -> Any:
    total: Any = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _minmax(func: str, values: list[Any]) -> Any:
    if not values or any(v is None for v in values):
        return None
    return min(values) if func == "min" else max(values)


def _share(values: list[Any]) -> float | None:
    if not values:
        return None
    n = _count(values)
    return None if n is None else n / len(values)


_NOCONST = object()


def _constant(node: Expr) -> Any:
    """The value of a constant expression (literal, negated number, list of
    constants, ``date("...")``), or _NOCONST."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Literal):
        v = node.operand.value
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return -v
        return _NOCONST
    if isinstance(node, ListLit):
        values = [_constant(i) for i in node.items]
        if any(v is _NOCONST for v in values):
            return _NOCONST
        return values
    if (
        isinstance(node, Call)
        and node.func == "date"
        and len(node.args) == 1
        and isinstance(node.args[0], Literal)
        and isinstance(node.args[0].value, str)
    ):
        try:
            return parse_date_literal(node.args[0].value)
        except ValueError as exc:
            raise _node_error(node.args[0], str(exc)) from None
    return _NOCONST


def _node_error(node: Expr, message: str, hint: str | None = None) -> ConditionError:
    return ConditionError(message, line=node.line or None, column=node.col or None, hint=hint)


def _string_literal_arg(node: Call) -> str:
    arg = node.args[0] if node.args else None
    if not (isinstance(arg, Literal) and isinstance(arg.value, str)):
        raise _node_error(node, f"{node.func}() needs a string literal argument")
    return arg.value


def _validate_call(node: Call) -> None:
    if node.func not in FUNCTION_ARITY:
        raise _node_error(node, f"unknown function '{node.func}'")
    want = FUNCTION_ARITY[node.func]
    if len(node.args) != want:
        raise _node_error(node, f"{node.func}() takes {want} argument(s) but {len(node.args)} were given")


def _pattern(node: Call) -> Any:
    pat = node.args[1]
    if not (isinstance(pat, Literal) and isinstance(pat.value, str)):
        raise _node_error(node, "matches() needs the regular expression as a string literal")
    try:
        return compile_pattern(pat.value)
    except ValueError as exc:
        raise _node_error(pat, str(exc)) from None


# --------------------------------------------------------------------------- compiler

Fn = Callable[[Any, Context, list], Any]


class _Compiler:
    """The one walker of the condition language: compiles a syntax tree into nested
    closures ``f(d, ctx, frame)`` (``frame``: the list items bound by quantifiers, by slot).

    Two modes of the same code. Fast (``record=False``, for verdicts): ``d`` is the
    dossier; ``and``/``or``, quantifiers and arithmetic stop as soon as the value is
    known. Recording (``record=True``, for explanations): ``d`` is the _Explainer;
    every operand and every list item is evaluated, so that every value read becomes
    evidence (with its concrete path; the item paths by slot are in ``d.fp``).
    Constants, functions, comparisons, membership and validation are the same code in
    both, and the explainer (_Detailed) builds its parts on the recording closures.
    """

    def __init__(self, record: bool = False) -> None:
        self.nslots = 0
        self.record = record

    def c(self, node: Expr, slots: dict[str, int]) -> Fn:
        k = _constant(node)
        if k is not _NOCONST:
            return lambda d, x, fr: k
        if isinstance(node, Path):
            return self.path(node, slots)
        if isinstance(node, ListLit):
            fs = [self.c(i, slots) for i in node.items]
            return lambda d, x, fr: [f(d, x, fr) for f in fs]
        if isinstance(node, Unary):
            return self.unary(node, slots)
        if isinstance(node, Binary):
            return self.binary(node, slots)
        if isinstance(node, Call):
            return self.call(node, slots)
        if isinstance(node, Quant):
            return self.quant(node, slots)
        raise ConditionError(f"not a condition syntax tree node: {type(node).__name__}")

    # -- paths
    def path(self, node: Path, slots: dict[str, int]) -> Fn:
        parts = node.parts
        fast = _FAST
        slow = _slow_norm
        if node.var is not None:
            if node.var not in slots:
                raise _node_error(node, f"'{node.var}' is not bound by an enclosing quantifier")
            slot = slots[node.var]
            if self.record:
                return _record_item_path(parts, slot)
            if not parts:

                def item(d: dict, x: Context, fr: list) -> Any:
                    v = fr[slot]
                    return v if type(v) in fast else slow(v)

                return item
            if len(parts) == 1:
                (a,) = parts

                def item1(d: dict, x: Context, fr: list) -> Any:
                    v = fr[slot]
                    if v is None:
                        return None
                    v = v.get(a)
                    return v if type(v) in fast else slow(v)

                return item1

            def itemn(d: dict, x: Context, fr: list) -> Any:
                return _walk(fr[slot], parts)

            return itemn
        if not parts:
            raise _node_error(node, "empty path")
        if self.record:
            return _record_root_path(parts)
        if len(parts) == 1:
            (a,) = parts

            def root1(d: dict, x: Context, fr: list) -> Any:
                v = d.get(a)
                return v if type(v) in fast else slow(v)

            return root1
        if len(parts) == 2:
            a, b = parts

            def root2(d: dict, x: Context, fr: list) -> Any:
                v = d.get(a)
                if v is None:
                    return None
                v = v.get(b)
                return v if type(v) in fast else slow(v)

            return root2
        if len(parts) == 3:
            a, b, c = parts

            def root3(d: dict, x: Context, fr: list) -> Any:
                v = d.get(a)
                if v is None:
                    return None
                v = v.get(b)
                if v is None:
                    return None
                v = v.get(c)
                return v if type(v) in fast else slow(v)

            return root3

        def rootn(d: dict, x: Context, fr: list) -> Any:
            return _walk(d, parts)

        return rootn

    # -- operators
    def unary(self, node: Unary, slots: dict[str, int]) -> Fn:
        g = self.c(node.operand, slots)
        if node.op == "not":

            def not_(d: dict, x: Context, fr: list) -> Any:
                v = g(d, x, fr)
                return None if v is None else not v

            return not_
        if node.op == "-":

            def neg(d: dict, x: Context, fr: list) -> Any:
                v = g(d, x, fr)
                return None if v is None else -v

            return neg
        raise _node_error(node, f"unknown operator '{node.op}'")

    def binary(self, node: Binary, slots: dict[str, int]) -> Fn:
        op = node.op
        if op in ("and", "or"):
            first, links = chain(node)
            fs = [self.c(first, slots)] + [self.c(link.right, slots) for link in links]
            if self.record:
                return _kleene(op, fs)
            return _and(fs) if op == "and" else _or(fs)
        if op in _ARITH:
            first, links = chain(node)
            f0 = self.c(first, slots)
            rest = [(_ARITH[link.op], self.c(link.right, slots)) for link in links]
            if self.record:

                def arith_all(d: Any, x: Context, fr: list) -> Any:
                    acc = f0(d, x, fr)
                    for fn, g in rest:
                        b = g(d, x, fr)
                        acc = None if acc is None or b is None else fn(acc, b)
                    return acc

                return arith_all
            if len(rest) == 1:
                fn, g = rest[0]

                def arith2(d: dict, x: Context, fr: list) -> Any:
                    a = f0(d, x, fr)
                    if a is None:
                        return None
                    b = g(d, x, fr)
                    if b is None:
                        return None
                    return fn(a, b)

                return arith2

            def arithn(d: dict, x: Context, fr: list) -> Any:
                acc = f0(d, x, fr)
                for fn, g in rest:
                    if acc is None:
                        return None
                    b = g(d, x, fr)
                    if b is None:
                        return None
                    acc = fn(acc, b)
                return acc

            return arithn
        if op in COMPARISONS:
            return self.comparison(node, slots)
        if op in ("in", "not in"):
            return self.membership(node, slots)
        raise _node_error(node, f"unknown operator '{op}'")

    def comparison(self, node: Binary, slots: dict[str, int]) -> Fn:
        cmp = _CMP[node.op]
        fl = self.c(node.left, slots)
        k = _constant(node.right)
        if k is not _NOCONST and k is not None:

            def cmp_const(d: dict, x: Context, fr: list) -> Any:
                a = fl(d, x, fr)
                if a is None:
                    return None
                return cmp(a, k)

            return cmp_const
        fr_ = self.c(node.right, slots)
        if self.record:

            def cmp_both(d: Any, x: Context, fr: list) -> Any:
                a = fl(d, x, fr)
                b = fr_(d, x, fr)
                return None if a is None or b is None else cmp(a, b)

            return cmp_both

        def cmp_any(d: dict, x: Context, fr: list) -> Any:
            a = fl(d, x, fr)
            if a is None:
                return None
            b = fr_(d, x, fr)
            if b is None:
                return None
            return cmp(a, b)

        return cmp_any

    def membership(self, node: Binary, slots: dict[str, int]) -> Fn:
        negate = node.op == "not in"
        fl = self.c(node.left, slots)
        k = _constant(node.right)
        if isinstance(k, list):
            try:
                values: Any = frozenset(k)
            except TypeError:
                values = k

            if negate:

                def not_in_const(d: dict, x: Context, fr: list) -> Any:
                    a = fl(d, x, fr)
                    return None if a is None else a not in values

                return not_in_const

            def in_const(d: dict, x: Context, fr: list) -> Any:
                a = fl(d, x, fr)
                return None if a is None else a in values

            return in_const
        fseq = self.c(node.right, slots)
        if self.record:

            def in_both(d: Any, x: Context, fr: list) -> Any:
                a = fl(d, x, fr)
                seq = fseq(d, x, fr)
                r = None if seq is None else _member(a, seq)
                return not r if negate and r is not None else r

            return in_both

        def in_any(d: dict, x: Context, fr: list) -> Any:
            seq = fseq(d, x, fr)
            if seq is None:
                return None
            r = _member(fl(d, x, fr), seq)
            if negate and r is not None:
                return not r
            return r

        return in_any

    # -- functions
    def call(self, node: Call, slots: dict[str, int]) -> Fn:
        name = node.func
        if name in QUANT_FUNCTIONS:
            raise _node_error(node, f"{name}() must be written as {name}(x in list: ...)")
        _validate_call(node)
        if name == "as_of":
            return lambda d, x, fr: x.as_of
        if name in ("state", "met"):
            ref = _string_literal_arg(node)
            if name == "state":
                return lambda d, x, fr: x.states.get(ref, "unknown")
            return lambda d, x, fr: _met(x.states.get(ref))
        if name == "date":  # a non-literal argument (literal dates are constants)
            raise _node_error(node, "date() needs a date written as a string literal")
        g = self.c(node.args[0], slots)
        if name == "exists":
            return lambda d, x, fr: g(d, x, fr) is not None
        if name == "days_since":

            def days_since(d: dict, x: Context, fr: list) -> Any:
                v = g(d, x, fr)
                return None if v is None else (x.as_of - v).days

            return days_since
        if name == "years_since":

            def years_since(d: dict, x: Context, fr: list) -> Any:
                v = g(d, x, fr)
                return None if v is None else (x.as_of - v).days / 365.25

            return years_since
        if name == "matches":
            rx = _pattern(node)
            search = rx.search

            def matches(d: dict, x: Context, fr: list) -> Any:
                v = g(d, x, fr)
                return None if v is None else search(v) is not None

            return matches
        if name in _UNARY_FUNCS:
            fn1 = _UNARY_FUNCS[name]
            return lambda d, x, fr: fn1(g(d, x, fr))
        fn2 = _BINARY_FUNCS[name]
        h = self.c(node.args[1], slots)
        return lambda d, x, fr: fn2(g(d, x, fr), h(d, x, fr))

    # -- quantifiers and aggregates
    def quant(self, node: Quant, slots: dict[str, int]) -> Fn:
        func = node.func
        if func not in QUANT_FUNCTIONS:
            raise _node_error(node, f"unknown quantifier '{func}'")
        src = self.c(node.source, slots)
        if (node.var is None) != (node.body is None):
            raise _node_error(node, f"malformed {func}()")
        if node.var is None or node.body is None:
            if func in ("any", "all", "none", "share"):
                raise _node_error(node, f"{func}() needs an item variable and a condition")
            return _aggregate_plain(func, src)
        if node.var in slots:
            raise _node_error(node, f"'{node.var}' is already bound by an enclosing quantifier")
        slot = len(slots)
        self.nslots = max(self.nslots, slot + 1)
        body = self.c(node.body, {**slots, node.var: slot})
        if self.record:
            return _q_record(func, src, body, slot, _label_fn(node.source, slots))
        return _QUANT_FACTORIES[func](src, body, slot)


def _record_root_path(parts: tuple[str, ...]) -> Fn:
    """A path from the dossier's root, its value recorded as evidence."""
    fast = _FAST
    slow = _slow_norm
    concrete = ".".join(parts)
    if len(parts) == 1:
        (a,) = parts

        def root1(ex: _Explainer, x: Context, fr: list) -> Any:
            v = ex.root.get(a)
            if type(v) not in fast:
                v = slow(v)
            if concrete not in ex.evidence:
                ex.evidence[concrete] = v
            if v is None:
                ex.missing.append(concrete)
            return v

        return root1

    def rootn(ex: _Explainer, x: Context, fr: list) -> Any:
        v = _walk(ex.root, parts)
        if concrete not in ex.evidence:
            ex.evidence[concrete] = v
        if v is None:
            ex.missing.append(concrete)
        return v

    return rootn


def _record_item_path(parts: tuple[str, ...], slot: int) -> Fn:
    """A path from a list item bound to ``slot``, recorded under the item's concrete path."""
    fast = _FAST
    slow = _slow_norm
    suffix = "".join("." + p for p in parts)
    if len(parts) == 1:
        (a,) = parts

        def item1(ex: _Explainer, x: Context, fr: list) -> Any:
            base = fr[slot]
            if type(base) is dict:
                v = base.get(a)
                if type(v) not in fast:
                    v = slow(v)
            else:
                v = _walk(base, parts)
            path = ex.fp[slot] + suffix
            if path not in ex.evidence:
                ex.evidence[path] = v
            if v is None:
                ex.missing.append(path)
            return v

        return item1

    def itemn(ex: _Explainer, x: Context, fr: list) -> Any:
        v = _walk(fr[slot], parts)
        path = ex.fp[slot] + suffix
        if path not in ex.evidence:
            ex.evidence[path] = v
        if v is None:
            ex.missing.append(path)
        return v

    return itemn


def _q_record(func: str, src: Fn, body: Fn, slot: int, label: Callable[[list], str]) -> Fn:
    """A quantifier or aggregate that evaluates every item (recording mode)."""
    combine = _COMBINE[func]

    def quant(ex: _Explainer, x: Context, fr: list) -> Any:
        seq = src(ex, x, fr)
        if seq is None:
            return None
        fp = ex.fp
        base = label(fp)
        values = []
        for i, item in enumerate(seq):
            fr[slot] = item
            fp[slot] = f"{base}[{i}]"
            values.append(body(ex, x, fr))
        return combine(values)

    return quant


def _kleene(op: str, fs: list[Fn]) -> Fn:
    """``and``/``or`` with every operand evaluated (recording mode)."""
    if len(fs) == 2:
        f1, f2 = fs
        if op == "and":

            def and2(ex: _Explainer, x: Context, fr: list) -> Any:
                a = f1(ex, x, fr)
                b = f2(ex, x, fr)
                if a is False or b is False:
                    return False
                return None if a is None or b is None else True

            return and2

        def or2(ex: _Explainer, x: Context, fr: list) -> Any:
            a = f1(ex, x, fr)
            b = f2(ex, x, fr)
            if a is True or b is True:
                return True
            return None if a is None or b is None else False

        return or2
    combine = _k_all if op == "and" else _k_any
    return lambda ex, x, fr: combine([f(ex, x, fr) for f in fs])


def _and(fs: list[Fn]) -> Fn:
    if len(fs) == 2:
        f1, f2 = fs

        def and2(d: dict, x: Context, fr: list) -> Any:
            a = f1(d, x, fr)
            if a is False:
                return False
            b = f2(d, x, fr)
            if b is False:
                return False
            if a is None or b is None:
                return None
            return True

        return and2

    def andn(d: dict, x: Context, fr: list) -> Any:
        unknown = False
        for f in fs:
            v = f(d, x, fr)
            if v is False:
                return False
            if v is None:
                unknown = True
        return None if unknown else True

    return andn


def _or(fs: list[Fn]) -> Fn:
    if len(fs) == 2:
        f1, f2 = fs

        def or2(d: dict, x: Context, fr: list) -> Any:
            a = f1(d, x, fr)
            if a is True:
                return True
            b = f2(d, x, fr)
            if b is True:
                return True
            if a is None or b is None:
                return None
            return False

        return or2

    def orn(d: dict, x: Context, fr: list) -> Any:
        unknown = False
        for f in fs:
            v = f(d, x, fr)
            if v is True:
                return True
            if v is None:
                unknown = True
        return None if unknown else False

    return orn


def _aggregate_plain(func: str, src: Fn) -> Fn:
    if func == "count":

        def count_plain(d: dict, x: Context, fr: list) -> Any:
            seq = src(d, x, fr)
            return None if seq is None else len(seq)

        return count_plain

    def agg_plain(d: dict, x: Context, fr: list) -> Any:
        seq = src(d, x, fr)
        if seq is None:
            return None
        values = [_norm(v) for v in seq]
        return _sum(values) if func == "sum" else _minmax(func, values)

    return agg_plain


def _q_any(src: Fn, body: Fn, slot: int) -> Fn:
    def any_(d: dict, x: Context, fr: list) -> Any:
        seq = src(d, x, fr)
        if seq is None:
            return None
        unknown = False
        for item in seq:
            fr[slot] = item
            v = body(d, x, fr)
            if v is True:
                return True
            if v is None:
                unknown = True
        return None if unknown else False

    return any_


def _q_all(src: Fn, body: Fn, slot: int) -> Fn:
    def all_(d: dict, x: Context, fr: list) -> Any:
        seq = src(d, x, fr)
        if seq is None:
            return None
        unknown = False
        for item in seq:
            fr[slot] = item
            v = body(d, x, fr)
            if v is False:
                return False
            if v is None:
                unknown = True
        return None if unknown else True

    return all_


def _q_none(src: Fn, body: Fn, slot: int) -> Fn:
    inner = _q_any(src, body, slot)

    def none_(d: dict, x: Context, fr: list) -> Any:
        v = inner(d, x, fr)
        return None if v is None else not v

    return none_


def _q_count(src: Fn, body: Fn, slot: int) -> Fn:
    def count_(d: dict, x: Context, fr: list) -> Any:
        seq = src(d, x, fr)
        if seq is None:
            return None
        n = 0
        for item in seq:
            fr[slot] = item
            v = body(d, x, fr)
            if v is None:
                return None
            if v:
                n += 1
        return n

    return count_


def _q_share(src: Fn, body: Fn, slot: int) -> Fn:
    def share_(d: dict, x: Context, fr: list) -> Any:
        seq = src(d, x, fr)
        if not seq:  # None or []
            return None
        n = 0
        for item in seq:
            fr[slot] = item
            v = body(d, x, fr)
            if v is None:
                return None
            if v:
                n += 1
        return n / len(seq)

    return share_


def _q_sum(src: Fn, body: Fn, slot: int) -> Fn:
    def sum_(d: dict, x: Context, fr: list) -> Any:
        seq = src(d, x, fr)
        if seq is None:
            return None
        total: Any = 0
        for item in seq:
            fr[slot] = item
            v = body(d, x, fr)
            if v is None:
                return None
            total += v
        return total

    return sum_


def _q_minmax(func: str) -> Callable[[Fn, Fn, int], Fn]:
    pick = min if func == "min" else max

    def factory(src: Fn, body: Fn, slot: int) -> Fn:
        def minmax_(d: dict, x: Context, fr: list) -> Any:
            seq = src(d, x, fr)
            if not seq:
                return None
            values = []
            for item in seq:
                fr[slot] = item
                v = body(d, x, fr)
                if v is None:
                    return None
                values.append(v)
            return pick(values)

        return minmax_

    return factory


_QUANT_FACTORIES: dict[str, Callable[[Fn, Fn, int], Fn]] = {
    "any": _q_any,
    "all": _q_all,
    "none": _q_none,
    "count": _q_count,
    "share": _q_share,
    "sum": _q_sum,
    "min": _q_minmax("min"),
    "max": _q_minmax("max"),
}

_RUNTIME_ERRORS = (TypeError, AttributeError, ValueError, OverflowError, KeyError, IndexError, _DataError)


def compile_expr(expr: Expr | str) -> Callable[[Any, Context], Any]:
    """Compile a syntax tree (or text) once into a function ``f(data, ctx)``.

    Returns True/False/None (None = unknown) for conditions, the value (number,
    string, date or None) otherwise. Raises ConditionError at compile time for a
    malformed tree (unknown function, bad regular expression...) and
    EvaluationError at run time when the data does not fit the checked schema.
    """
    if isinstance(expr, str):
        expr = parse(expr)
    compiled = _compiled(expr)
    fn = compiled.fast
    nslots = compiled.fast_slots

    def run(data: Any, ctx: Context) -> Any:
        d = data if type(data) is dict else _root(data)
        try:
            return fn(d, ctx, [None] * nslots)
        except _RUNTIME_ERRORS as exc:
            raise EvaluationError(
                f"the condition {to_source(expr)[:120]} could not be evaluated: {exc}"
            ) from exc

    run.expr = expr  # type: ignore[attr-defined]
    return run


def evaluate(expr: Expr | str, data: Any, ctx: Context) -> Any:
    """One-off evaluation (compiles first; use compile_expr for many dossiers)."""
    return compile_expr(expr)(data, ctx)


# --------------------------------------------------------------------------- explain


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (list, tuple)):
        return [_jsonable(i) for i in v]
    if isinstance(v, Mapping):
        return {str(k): _jsonable(i) for k, i in v.items()}
    return v


_FAST_SCALARS = frozenset({str, int, float, bool, type(None), dt.date})


def _summary(v: Any) -> Any:
    """The value recorded as evidence: scalars and lists of scalars as they are,
    objects and lists of objects as short markers."""
    if isinstance(v, dict):
        return "<object>"
    if type(v) is list:
        for i in v:
            if type(i) not in _FAST_SCALARS:
                break
        else:  # plain scalars: as they are (a copy)
            return list(v)
    if isinstance(v, list):
        if any(isinstance(i, (dict, list)) for i in v):
            return f"<list of {len(v)} item{'s' if len(v) != 1 else ''}>"
        return [_norm(i) for i in v]
    return v


@dataclass(frozen=True)
class Evidence:
    """One value read from the dossier: its concrete path (``assessments[2].weight``)
    and value (objects and lists of objects are shown as markers)."""

    path: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "value": _jsonable(self.value)}


@dataclass(frozen=True)
class Part:
    """One atomic test of a condition: a comparison, membership, function call,
    quantifier or a boolean field used as a condition.

    ``text``: canonical source as written, a ``not`` in front of a test included
    (``not empty(x)``); ``held``: True/False/None, whether the part *as written* held;
    ``detail``: a sentence for the report (list items named by their id); ``kind``:
    comparison, membership, call, quantifier, value or negation; ``items``: for
    quantifiers and aggregates, (concrete item path, whether the body held) per list
    item; ``decides``: whether the part is among those that decided the value of the
    whole condition (the false ones of a false ``and``, the true ones of a true ``or``).
    """

    text: str
    held: bool | None
    detail: str
    kind: str
    items: list[tuple[str, bool | None]] = field(default_factory=list)
    decides: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "held": self.held,
            "detail": self.detail,
            "kind": self.kind,
            "items": [{"path": p, "held": h} for p, h in self.items],
            "decides": self.decides,
        }


@dataclass(frozen=True)
class Explanation:
    """The value of a condition with its parts and the evidence read.

    ``evidence_omitted`` counts the values read but not listed when ``explain`` was
    asked for at most ``max_evidence`` of them (0 otherwise).
    """

    value: Any
    parts: list[Part] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    evidence_omitted: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = {
            "value": _jsonable(self.value),
            "parts": [p.to_dict() for p in self.parts],
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.evidence_omitted:
            out["evidence_omitted"] = self.evidence_omitted
        return out


_BOOL_CALLS = frozenset({"exists", "empty", "matches", "contains", "startswith", "endswith", "met"})
_MAX_LISTED = 5
#: how a ``not (…)`` whose inside did not hold (as the rule asks) begins its detail
_NOT_AS_ASKED = "as the rule asks, this is not the case: "
_HOLE = "\x00"  # marks a bound variable in a label template


def _label_b(node: Expr, b: Mapping[str, str]) -> str:
    """The label of ``node`` with item variables replaced by the concrete paths ``b``;
    aggregates and quantifiers are named in words (``the number of outcomes where ...``)."""
    if isinstance(node, Quant):
        src = to_source(node.source, bindings=b)
        many = wording.nouns(src)
        if "[" in src or _HOLE in src:  # a list inside a list item: name the item
            parent = src.rsplit(".", 1)[0]
            if parent != src:
                many = f"{many} of {parent}"
        if node.var is None or node.body is None:
            return {
                "count": f"the number of {many}",
                "sum": f"the total of {src}",
                "min": f"the lowest of {src}",
                "max": f"the highest of {src}",
            }.get(node.func, f"{node.func}({src})")
        one = wording.noun(src)
        body = wording.clip_source(to_source(node.body, bindings={**b, node.var: one}), 80)
        # a short comparison reads as words ("where outcome.bloom_level >= 3"); anything with
        # calls or cut to fit is named by the condition shown beside it, as all/any are
        which = f"where {body}" if len(body) <= 48 and "(" not in body and "…" not in body else "that qualify"
        return {
            "count": f"the number of {many} {which}",
            "share": f"the share of {many} {which}",
            "sum": f"the total of {body} over {many}",
            "min": f"the lowest {body} among {many}",
            "max": f"the highest {body} among {many}",
        }.get(node.func, f"{node.func}({node.var} in {src}: ...)")
    if isinstance(node, Call) and node.func in _CALL_WORDS and len(node.args) <= 1:
        arg = _label_b(node.args[0], b) if node.args else ""
        return _CALL_WORDS[node.func].format(arg)
    return to_source(node, bindings=b)


#: functions in a detail said in words ("the days since quality_assurance.last_internal_review")
_CALL_WORDS = {
    "days_since": "the days since {}",
    "years_since": "the years since {}",
    "word_count": "the number of words in {}",
    "len": "the length of {}",
    "as_of": "the as-of date",
}


def _shown(v: Any) -> str:
    if isinstance(v, dict):
        return "{...}"
    if isinstance(v, list) and any(isinstance(i, dict) for i in v):
        return f"a list of {len(v)} item{'s' if len(v) != 1 else ''}"
    return format_value(v)


def _percent(v: Any, bar: Any = None) -> str:
    """A share as a percentage (``67%``): as few decimals as say it exactly enough, and
    never rounded onto ``bar`` (the share it is compared with) when it differs from it."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return _shown(v)
    text = ""
    for digits in (0, 1, 2, 4):
        text = f"{v * 100:.{digits}f}%"
        if bar is None:
            if abs(float(text[:-1]) - v * 100) < 1e-9:
                return text
            continue
        if v == bar or float(text[:-1]) != float(_percent(bar)[:-1]):
            return text
    return text if bar is not None else f"{v * 100:.1f}%"


def _listing(shown: list[str], total: int) -> str:
    """The first ``_MAX_LISTED`` of ``total`` details (``shown`` holds at least those)."""
    text = "; ".join(shown[:_MAX_LISTED])
    if total > _MAX_LISTED:
        text += f"; and {total - _MAX_LISTED} more"
    return text


def _k_none(values: list[Any]) -> bool | None:
    return _k_not(_k_any(values))


def _min(values: list[Any]) -> Any:
    return _minmax("min", values)


def _max(values: list[Any]) -> Any:
    return _minmax("max", values)


_COMBINE: dict[str, Callable[[list[Any]], Any]] = {
    "any": _k_any,
    "all": _k_all,
    "none": _k_none,
    "count": _count,
    "share": _share,
    "sum": _sum,
    "min": _min,
    "max": _max,
}

def _label_fn(node: Expr, slots: dict[str, int]) -> Callable[[list], str]:
    """The label of ``node`` (its canonical text with item variables replaced by the
    concrete item paths) as a function of the item paths by slot; decided at compile
    time, so that only a replace runs when a detail is built."""
    if isinstance(node, Path) and node.var is not None and node.var in slots:
        slot = slots[node.var]
        suffix = "".join("." + p for p in node.parts)
        return lambda fp: fp[slot] + suffix
    text = _label_b(node, {})
    holes = {var: f"{_HOLE}{var}{_HOLE}" for var in slots}
    template = _label_b(node, holes) if holes else text
    if template == text:  # no bound variable in it
        return lambda fp: text
    names = list(slots.items())
    if _HOLE in text:  # the text itself holds the marker: no template
        return lambda fp: _label_b(node, {var: fp[s] for var, s in names})
    pairs = [(holes[var], s) for var, s in names if holes[var] in template]

    def label(fp: list) -> str:
        out = template
        for hole, s in pairs:
            out = out.replace(hole, fp[s])
        return out

    return label


#: a part as the explainer builds it: (text, held, detail, kind, items, decides); see Part
PartTuple = tuple[str, Any, str, str, list[tuple[str, Any]], bool]

# A detailed evaluator: f(explainer, item values, item paths, parts sink, items sink).
DFn = Callable[["_Explainer", list, list, list[PartTuple], list[tuple[str, Any]]], Any]


def _missing_text(missing_reads: list[str]) -> str | None:
    missing = list(dict.fromkeys(missing_reads))
    if len(missing) == 1:
        return f"{missing[0]} is missing"
    if missing:
        return ", ".join(missing[:-1]) + f" and {missing[-1]} are missing"
    return None


def _counted_lists(node: Expr, out: list[Path]) -> list[Path]:
    """The lists counted in ``node`` (``count(cohorts)``, ``count(c in cohorts: ...)``)."""
    if isinstance(node, Quant):
        if node.func == "count" and isinstance(node.source, Path):
            out.append(node.source)
        return out
    if isinstance(node, Binary):
        _counted_lists(node.left, out)
        _counted_lists(node.right, out)
    elif isinstance(node, Unary):
        _counted_lists(node.operand, out)
    elif isinstance(node, Call):
        for arg in node.args:
            _counted_lists(arg, out)
    return out


def _denominators(node: Expr, out: list[Expr]) -> list[Expr]:
    """The right-hand sides of the divisions in ``node`` outside quantifier bodies."""
    if isinstance(node, Binary):
        if node.op in _ARITH:
            first, links = chain(node)
            _denominators(first, out)
            for link in links:
                if link.op == "/":
                    out.append(link.right)
                _denominators(link.right, out)
        else:
            _denominators(node.left, out)
            _denominators(node.right, out)
    elif isinstance(node, Unary):
        _denominators(node.operand, out)
    elif isinstance(node, Call):
        for arg in node.args:
            _denominators(arg, out)
    return out


def _unknown_fn(node: Expr, slots: dict[str, int], rec: _Compiler) -> Callable[[_Explainer, list, int], str]:
    """The detail of a part that is unknown: the values read as null since ``start``, or
    a division by zero said as what it means ("no cohorts recorded")."""
    label = _label_fn(node, slots)
    zero: list[tuple[Callable[[list], str], Fn, list[tuple[Callable[[list], str], Fn]]]] = []
    for d in _denominators(node, []):
        lists = [(_label_fn(p, slots), rec.c(p, slots)) for p in _counted_lists(d, [])]
        zero.append((_label_fn(d, slots), rec.c(d, slots), lists))

    def unknown(ex: _Explainer, fp: list, start: int) -> str:
        text = _missing_text(ex.missing[start:])
        if text is not None:
            return text
        fr = ex.frame
        for d_label, d_fn, lists in zero:
            try:
                if d_fn(ex, ex.ctx, fr) != 0:
                    continue
            except _RUNTIME_ERRORS:
                continue
            for l_label, l_fn in lists:
                seq = l_fn(ex, ex.ctx, fr)
                if isinstance(seq, list):
                    name = l_label(fp)
                    if not seq:
                        return f"cannot be judged yet: no {wording.nouns(name)} recorded"
                    return f"cannot be judged yet with {wording.plural(len(seq), wording.noun(name))} recorded"
            return f"cannot be worked out: {d_label(fp)} is 0 (a division by zero)"
        return f"{label(fp)} could not be worked out"

    return unknown


def _plural(n: int) -> str:
    return f"{n} item{'s' if n != 1 else ''}"


def _atomic(node: Expr) -> bool:
    """A test that is one part of an explanation (a ``not`` in front of it is part of it)."""
    if isinstance(node, Path):
        return True
    if isinstance(node, Binary):
        return node.op in COMPARISONS or node.op in ("in", "not in")
    if isinstance(node, Call):
        return node.func in _BOOL_CALLS
    if isinstance(node, Quant):
        return node.func in ("any", "all", "none") and node.body is not None
    return False


def _keep_deciding(sink: list[PartTuple], starts: list[int], values: list[Any], value: Any, op: str) -> None:
    """Mark the parts of the operands that did not decide an ``and``/``or`` as such.

    ``and`` is decided by its false operands when false (its unknown ones when unknown),
    by all of them when true; ``or`` the other way round. A part decides the whole
    condition when it decides at every level above it.
    """
    if (op == "and" and value is True) or (op == "or" and value is False):
        return
    for i, v in enumerate(values):
        if v is value:
            continue
        for j in range(starts[i], starts[i + 1]):
            p = sink[j]
            if p[5]:
                sink[j] = (p[0], p[1], p[2], p[3], p[4], False)


class _Detailed:
    """Compiles a condition into its explainer: the parts outside quantifier bodies
    append a Part (text as written, held, detail, kind, items, decides) to the sink they
    are given. Texts, labels and detail formats are decided here, once per expression.

    Polarity is carried through ``not``: a test written ``not empty(x)`` is one part with
    that text, whether *it* held, and a detail worded the way the rule asks (``x is
    missing; it must be given``); ``not`` over ``and``/``or`` is one part as well. So every
    part counts in the direction it is shown, and ``and``/``or`` mark which parts decided
    their value (``decides``): the reasons an explanation gives.

    Every part is evaluated (no short-circuit). Values that are no part of their own
    (paths, arithmetic operands, function values, aggregates without a body) and list
    items are the recording closures of the one compiler (values and evidence only);
    the items a detail names (at most ``_MAX_LISTED`` per quantifier) are explained once
    more to build it.
    """

    def __init__(self) -> None:
        self.rec = _Compiler(record=True)  # its nslots counts the frame slots of both

    def slot_for(self, slots: dict[str, int]) -> int:
        slot = len(slots)
        self.rec.nslots = max(self.rec.nslots, slot + 1)
        return slot

    def cond(self, node: Expr, slots: dict[str, int], neg: bool = False) -> DFn:
        """Where a condition is expected: a bare path that reads true/false/null is a part.
        ``neg``: the test is written under a ``not`` (the part is ``not <node>``)."""
        if not isinstance(node, Path):
            return self.ev(node, slots, neg)
        get = self.rec.c(node, slots)
        label = _label_fn(node, slots)
        text = _written(node, neg)
        want = "false" if neg else "true"

        def value_part(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
            v = get(ex, ex.ctx, fr)
            if v is None:
                sink.append((text, v, f"{label(fp)} is missing", "value", [], True))
            elif isinstance(v, bool):
                held = v is not neg
                fact = f"{label(fp)} is {_shown(v)}"
                detail = fact if held else wording.judged(fact, want, held)
                sink.append((text, held, detail, "value", [], True))
            return v

        return value_part

    def ev(self, node: Expr, slots: dict[str, int], neg: bool = False) -> DFn:
        k = _constant(node)
        if k is not _NOCONST:
            return lambda ex, fr, fp, sink, items: k
        if isinstance(node, (Path, ListLit)):
            return self.value(node, slots)
        if isinstance(node, Unary):
            if node.op == "not":
                if _atomic(node.operand):
                    g = self.cond(node.operand, slots, neg=True)
                    return lambda ex, fr, fp, sink, items: _k_not(g(ex, fr, fp, sink, items))
                return self.negation(node, slots)
            return self.value(node, slots)
        if isinstance(node, Binary):
            return self.binary(node, slots, neg)
        if isinstance(node, Call):
            return self.call(node, slots, neg)
        if isinstance(node, Quant):
            if node.func in ("any", "all", "none"):
                return self.quantifier(node, slots, neg)
            return self.aggregate(node, slots)
        raise ConditionError(f"not a condition syntax tree node: {type(node).__name__}")

    def value(self, node: Expr, slots: dict[str, int]) -> DFn:
        """A value that is no part of its own: the recording closure of the compiler."""
        get = self.rec.c(node, slots)
        return lambda ex, fr, fp, sink, items: get(ex, ex.ctx, fr)

    def negation(self, node: Unary, slots: dict[str, int]) -> DFn:
        """``not`` over ``and``/``or`` (or another ``not``): one part, worded from the
        parts inside that decided it."""
        inner = self.cond(node.operand, slots)
        text = to_source(node)
        unknown = _unknown_fn(node, slots, self.rec)

        def negation(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
            start = len(ex.missing)
            sub: list[PartTuple] = []
            value = _k_not(inner(ex, fr, fp, sub, items))
            shown = wording.dedupe_clauses(p[2] for p in sub if p[5])
            inner_nots = [d for d in shown if d.startswith((wording.HELD_UNDER_NOT, _NOT_AS_ASKED))]
            if value is None:
                detail = unknown(ex, fp, start)
            elif shown and len(inner_nots) == len(shown):
                # not (not X): the two cancel, and X's own facts say it (their "required"
                # is what the rule asks for)
                facts = [d.removeprefix(wording.HELD_UNDER_NOT).removeprefix(_NOT_AS_ASKED) for d in shown]
                detail = _listing(facts, len(facts))
            elif value:
                detail = _NOT_AS_ASKED + _listing(shown, len(shown))
            else:
                detail = wording.HELD_UNDER_NOT + _listing(shown, len(shown))
            sink.append((text, value, detail, "negation", [], True))
            return value

        return negation

    def binary(self, node: Binary, slots: dict[str, int], neg: bool = False) -> DFn:
        op = node.op
        if op in ("and", "or"):
            first, links = chain(node)
            fs = [self.cond(first, slots)] + [self.cond(link.right, slots) for link in links]
            combine = _k_all if op == "and" else _k_any

            def junction(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
                starts = [len(sink)]
                values = []
                for f in fs:
                    values.append(f(ex, fr, fp, sink, items))
                    starts.append(len(sink))
                value = combine(values)
                _keep_deciding(sink, starts, values, value, op)
                return value

            return junction
        if op in _ARITH:
            first, links = chain(node)
            f0 = self.ev(first, slots)
            rest = [(_ARITH[link.op], self.ev(link.right, slots)) for link in links]

            def arith(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
                acc = f0(ex, fr, fp, sink, items)
                for fn, g in rest:
                    b = g(ex, fr, fp, sink, items)
                    acc = None if acc is None or b is None else fn(acc, b)
                return acc

            return arith
        if op in COMPARISONS or op in ("in", "not in"):
            return self.comparison(node, slots, neg)
        raise _node_error(node, f"unknown operator '{op}'")

    def comparison(self, node: Binary, slots: dict[str, int], neg: bool = False) -> DFn:
        op = node.op
        membership = op in ("in", "not in")
        negate = op == "not in"
        cmp = _CMP.get(op, operator.eq)  # (unused for membership)
        kind = "membership" if membership else "comparison"
        text = _written(node, neg)
        fl = self.ev(node.left, slots)
        fr_ = self.ev(node.right, slots)
        left = _label_fn(node.left, slots)
        right = _label_fn(node.right, slots)
        lconst = _constant(node.left) is not _NOCONST
        rconst = _constant(node.right) is not _NOCONST
        unknown = _unknown_fn(node, slots, self.rec)
        out = negate is not neg  # membership asked the other way round
        # a share compared with a number: both said as percentages ("67%, at least 50%")
        share = (
            rconst
            and not membership
            and isinstance(node.left, Quant)
            and node.left.func == "share"
            and isinstance(_constant(node.right), (int, float))
        )

        def describe(lv: Any, rv: Any, fp: list, held: bool | None) -> str:
            if share:
                fact = f"{left(fp)} is {_percent(lv, rv)}"
                return wording.judged(fact, wording.requirement(op, _percent(rv), negated=neg), held)
            if rconst and not lconst:
                fact = f"{left(fp)} is {_shown(lv)}"
                if membership:
                    asked = ("not one of " if out else "one of ") + right(fp)
                else:
                    asked = wording.requirement(op, right(fp), negated=neg)
                return wording.judged(fact, asked, held)
            if lconst and not rconst:
                r = right(fp)
                fact = f"{r} is {_shown(rv)}"
                if membership:
                    asked = ("not to include " if out else "to include ") + left(fp)
                else:
                    asked = wording.requirement(wording.FLIPPED[op], left(fp), negated=neg)
                return wording.judged(fact, asked, held)
            if not lconst and not rconst:
                lt, r = left(fp), right(fp)
                fact = f"{lt} is {_shown(lv)} and {r} is {_shown(rv)}"
                if membership:
                    asked = ("not one of " if out else "one of ") + r
                else:
                    asked = wording.requirement(op, r, negated=neg)
                if held is False:
                    return f"{fact}, but {lt} must be {asked}"
                return f"{fact} (required: {lt} {asked})"
            return f"{left(fp)} {op} {right(fp)}"

        # count/share(...) >= k that failed names the items that did not count (for
        # <=/< the items that did)
        note: tuple[bool, str] | None = None
        if (
            not neg
            and isinstance(node.left, Quant)
            and node.left.func in ("count", "share")
            and node.left.body is not None
        ):
            if op in (">=", ">", "=="):
                note = (False, "not so for")
            elif op in ("<=", "<"):
                note = (True, "so for")

        def comparison(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
            start = len(ex.missing)
            own: list[tuple[str, Any]] = []
            lv = fl(ex, fr, fp, sink, own)
            rv = fr_(ex, fr, fp, sink, own)
            if membership:
                value = None if rv is None else _member(lv, rv)
                if negate and value is not None:
                    value = not value
            else:
                value = None if lv is None or rv is None else cmp(lv, rv)
            held = value if value is None or not neg else not value
            if value is None:
                detail = unknown(ex, fp, start)
            else:
                detail = describe(lv, rv, fp, held)
                if note is not None and value is False:
                    paths = [p for p, h in own if h is note[0]]
                    if paths:
                        shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
                        detail += f" ({note[1]} {shown})"
            sink.append((text, held, detail, kind, own, True))
            return value

        return comparison

    def call(self, node: Call, slots: dict[str, int], neg: bool = False) -> DFn:
        name = node.func
        if name in _BOOL_CALLS:
            return self.bool_call(node, slots, neg)
        return self.value(node, slots)  # as_of, state, days_since, len...

    def bool_call(self, node: Call, slots: dict[str, int], neg: bool = False) -> DFn:
        name = node.func
        text = _written(node, neg)
        if name == "met":
            ref = _string_literal_arg(node)

            def met(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
                state = ex.ctx.states.get(ref)
                value = _met(state)
                held = value if value is None or not neg else not value
                detail = f"criterion {ref} is {wording.state_words(state)}"
                if held is False:
                    detail = wording.judged(detail, "below met" if neg else "met or exemplary", held)
                sink.append((text, held, detail, "call", [], True))
                return value

            return met
        g = self.ev(node.args[0], slots)
        label = _label_fn(node.args[0], slots)
        unknown = _unknown_fn(node, slots, self.rec)
        rx = _pattern(node) if name == "matches" else None
        h = self.ev(node.args[1], slots) if name in _BINARY_FUNCS else None
        fn2 = _BINARY_FUNCS.get(name)
        verb = {"contains": "contain", "startswith": "start with", "endswith": "end with"}.get(name, "")
        to = "not to " if neg else "to "

        def bool_call(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
            start = len(ex.missing)
            own: list[tuple[str, Any]] = []
            v = g(ex, fr, fp, sink, own)
            value: Any
            detail: str | None
            if name == "exists":
                value = v is not None
                if v is None:
                    detail = f"{label(fp)} is missing"
                elif isinstance(v, dict):
                    detail = f"{label(fp)} is present"
                else:
                    detail = f"{label(fp)} is {_shown(v)}"
                if neg:
                    detail = wording.judged(detail, "absent", not value)
            elif name == "empty":
                value = _empty(v)
                if v is None:
                    detail = f"{label(fp)} is missing"
                elif value:
                    detail = f"{label(fp)} is empty"
                elif isinstance(v, list):
                    detail = f"{label(fp)} has {_plural(len(v))}"
                else:
                    detail = f"{label(fp)} is {_shown(v)}"
                detail = wording.judged(detail, "given" if neg else "empty", value is not neg)
            elif rx is not None:  # matches
                if v is None:
                    value, detail = None, None
                else:
                    m = rx.search(v)
                    value = m is not None
                    detail = f"{label(fp)} is {_shown(v)}"
                    found = m.group(0).strip() if m is not None else ""
                    if neg and found:  # the words the rule does not accept, not its pattern
                        detail += f", which contains {quote(wording.clip(found, 40))}, wording the rule does not accept"
                    else:
                        if found:
                            detail += f", which contains {quote(wording.clip(found, 40))}"
                        pattern = quote(wording.clip(rx.pattern, 80))
                        detail = wording.judged(detail, f"{to}match {pattern}", value is not neg)
            else:  # contains, startswith, endswith
                assert h is not None and fn2 is not None
                sub = h(ex, fr, fp, sink, own)
                value = fn2(v, sub)
                detail = None if value is None else wording.judged(
                    f"{label(fp)} is {_shown(v)}", f"{to}{verb} {_shown(sub)}", value is not neg
                )
            if detail is None:
                detail = unknown(ex, fp, start)
            held = value if value is None or not neg else not value
            sink.append((text, held, detail, "call", own, True))
            return value

        return bool_call

    def body(self, node: Quant, slots: dict[str, int]) -> tuple[int, Fn, DFn | None]:
        """The item slot, the recording body and (for any/all/none) the detailed body."""
        assert node.var is not None and node.body is not None
        slot = self.slot_for(slots)
        inner = {**slots, node.var: slot}
        detailed = self.cond(node.body, inner) if node.func in ("any", "all", "none") else None
        return slot, self.rec.c(node.body, inner), detailed

    def quantifier(self, node: Quant, slots: dict[str, int], neg: bool = False) -> DFn:
        func = node.func
        text = _written(node, neg)
        src = self.ev(node.source, slots)
        src_label = _label_fn(node.source, slots)
        slot, body, detailed = self.body(node, slots)
        assert detailed is not None
        combine = _COMBINE[func]
        # what the part asks, the `not` in front of it included
        asks = {"any": "none", "none": "any", "all": "not all"}[func] if neg else func
        lookup = _lookup(node) if asks == "any" and not neg else None
        distinct = _distinct(node) if asks == "any" and not neg else None

        def item_detail(ex: _Explainer, fr: list, fp: list, item: Any, path: str, v: Any) -> str:
            """Explain the body once more for an item a detail names."""
            fr[slot] = item
            fp[slot] = path
            start = len(ex.missing)
            sub: list[PartTuple] = []
            detailed(ex, fr, fp, sub, [])
            del ex.missing[start:]  # read (and recorded) once already
            relevant = wording.dedupe_clauses(p[2] for p in sub if p[5])
            if not relevant:
                return f"{path}: {_shown(v)}"
            return _listing(relevant, len(relevant))

        def quantifier(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
            own: list[tuple[str, Any]] = []
            base = src_label(fp)
            seq = src(ex, fr, fp, sink, own)
            if seq is None:
                sink.append((text, None, f"{base} is missing", "quantifier", own, True))
                return None
            values: list[Any] = []
            paths: list[str] = []
            kept: list[Any] = []
            for i, item in enumerate(seq):
                path = f"{base}[{i}]"
                fr[slot] = item
                fp[slot] = path
                values.append(body(ex, ex.ctx, fr))
                paths.append(path)
                kept.append(item)
            own.extend(zip(paths, values, strict=True))
            value = combine(values)
            n = len(values)
            held = value if value is None or not neg else not value
            one = wording.noun(base)
            all_n = wording.many(n, base)
            none_of = f"none of the {all_n} qualifies" if n != 1 else f"the only {all_n[2:]} does not qualify"

            def details(want: Any) -> str:
                idx = [i for i, v in enumerate(values) if v is want]
                shown = wording.dedupe_clauses(
                    item_detail(ex, fr, fp, kept[i], paths[i], want) for i in idx[:_MAX_LISTED]
                )
                return _listing(shown, len(shown) + max(len(idx) - _MAX_LISTED, 0))

            if not n:
                detail = f"no {wording.nouns(base)} recorded"
                if "[" in base:
                    detail = f"no {wording.nouns(base)} recorded for {base.rsplit('.', 1)[0]}"
                if held and asks in ("all", "none"):
                    detail += " (nothing to check)"
            elif value is None:
                detail = details(None)
            elif distinct is not None:  # any(a ...: any(b ...: a.f != b.f)): different values counted
                fw = " ".join(distinct[0]).replace("_", " ")
                got = list(dict.fromkeys(_shown(v) for v in (_walk(i, distinct[0]) for i in kept) if v is not None))
                listed = ", ".join(got[:_MAX_LISTED]) + (f" and {len(got) - _MAX_LISTED} more" if len(got) > _MAX_LISTED else "")
                kinds = wording.plural(len(got), f"different {fw}")
                if held:
                    detail = f"{kinds} among the {wording.nouns(base)}: {listed} (required: at least {distinct[1]})"
                elif len(got) <= 1 and n > 1:
                    detail = (
                        f"all {wording.many(n, base)} have the same {fw}: {listed}, "
                        f"but at least {wording.plural(distinct[1], f'different {fw}')} are needed"
                    )
                else:
                    detail = f"only {kinds} among the {wording.nouns(base)}: {listed}, but at least {distinct[1]} are needed"
            elif lookup is not None:  # any(p in list: p == "fees"): said as a look-up
                where = wording.nouns(base) + (f" of {base.rsplit('.', 1)[0]}" if "[" in base else "")
                detail = f"{lookup[0]} is {'' if held else 'not '}among the {where}{lookup[1]}"
                if not held:
                    shown = ", ".join(_shown(_norm(v)) for v in kept[:_MAX_LISTED])
                    detail += f": {shown}" + (f" and {n - _MAX_LISTED} more" if n > _MAX_LISTED else "")
            elif asks == "any":
                detail = details(True) if held else f"{none_of}: " + details(False)
            elif asks == "all":
                detail = (f"all {all_n} qualify" if n != 1 else f"the only {all_n[2:]} qualifies") if held else details(False)
            elif asks == "none":
                detail = (
                    f"none of the {all_n} is excluded by the rule"
                    if held
                    else "the rule excludes this: " + details(True)
                )
            else:  # not all
                detail = (
                    f"not every {one} qualifies: " + details(False)
                    if held
                    else f"all {all_n} qualify, which the rule does not accept"
                )
            sink.append((text, held, detail, "quantifier", own, True))
            return value

        return quantifier

    def aggregate(self, node: Quant, slots: dict[str, int]) -> DFn:
        func = node.func
        if node.var is None or node.body is None:
            return self.value(node, slots)
        src = self.ev(node.source, slots)
        src_label = _label_fn(node.source, slots)
        slot, body, _ = self.body(node, slots)
        combine = _COMBINE[func]
        counted = func in ("count", "share")

        def aggregate(ex: _Explainer, fr: list, fp: list, sink: list[PartTuple], items: list) -> Any:
            seq = src(ex, fr, fp, sink, items)
            if seq is None:
                return None
            base = src_label(fp)
            values: list[Any] = []
            paths: list[str] = []
            for i, item in enumerate(seq):
                path = f"{base}[{i}]"
                fr[slot] = item
                fp[slot] = path
                values.append(body(ex, ex.ctx, fr))
                paths.append(path)
            if counted:
                items.extend(zip(paths, values, strict=True))
            return combine(values)

        return aggregate


def _distinct(node: Quant) -> tuple[tuple[str, ...], int] | None:
    """For ``any(a in L: any(b in L: a.f != b.f))`` and deeper nestings that compare
    every pair of their items on one field: that field and how many different values it
    asks for (the number of nested items); None for any other quantifier."""
    names: list[str] = []
    src = to_source(node.source)
    cur: Expr = node
    while isinstance(cur, Quant) and cur.func == "any" and cur.var is not None and cur.body is not None:
        if to_source(cur.source) != src:
            return None
        names.append(cur.var)
        cur = cur.body
    if len(names) < 2:
        return None
    if isinstance(cur, Binary) and cur.op == "and":
        first, links = chain(cur)
        tests = [first] + [link.right for link in links]
    else:
        tests = [cur]
    fields: set[tuple[str, ...]] = set()
    pairs: set[frozenset[str | None]] = set()
    for t in tests:
        if not (isinstance(t, Binary) and t.op == "!=" and isinstance(t.left, Path) and isinstance(t.right, Path)):
            return None
        if t.left.parts != t.right.parts or not t.left.parts:
            return None
        fields.add(t.left.parts)
        pairs.add(frozenset((t.left.var, t.right.var)))
    want = {frozenset(p) for p in itertools.combinations(names, 2)}
    if len(fields) != 1 or pairs != want or len(tests) != len(want):
        return None
    return fields.pop(), len(names)


def _lookup(node: Quant) -> tuple[str, str] | None:
    """For ``any(p in list: p == "fees")`` (or ``lower(p) == "fees"``): the value looked
    for and " (upper or lower case)" for ``lower``; None for any other quantifier."""
    body = node.body
    if not (isinstance(body, Binary) and body.op == "=="):
        return None
    k = _constant(body.right)
    lhs = body.left
    folded = isinstance(lhs, Call) and lhs.func == "lower" and len(lhs.args) == 1
    item = lhs.args[0] if isinstance(lhs, Call) and folded else lhs
    if not isinstance(k, (str, int, float)) or isinstance(k, bool):
        return None
    if not (isinstance(item, Path) and item.var == node.var and not item.parts):
        return None
    return format_value(k), " (upper or lower case)" if folded else ""


def _written(node: Expr, neg: bool) -> str:
    """A part's text as the rule writes it: ``not empty(x)`` when under a ``not``."""
    return to_source(Unary(op="not", operand=node)) if neg else to_source(node)


class _Compiled:
    """The compiled form of one expression, kept on its tree: the fast evaluator (built
    at once; it validates the tree) and the explainer (built on the first explanation),
    both from the one compiler."""

    __slots__ = ("expr", "fast", "fast_slots", "_explainer")

    def __init__(self, expr: Expr) -> None:
        check_limits(expr)
        compiler = _Compiler()
        self.expr = expr
        self.fast = compiler.c(expr, {})
        self.fast_slots = compiler.nslots
        self._explainer: tuple[DFn, int] | None = None

    def explainer(self) -> tuple[DFn, int]:
        """The detailed evaluator and its frame size."""
        if self._explainer is None:
            d = _Detailed()
            self._explainer = (d.cond(self.expr, {}), d.rec.nslots)
        return self._explainer


class _CacheSlot:
    """Holds an expression's _Compiled on the tree; copies and pickles start empty."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: _Compiled | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_CacheSlot, ())

    def __deepcopy__(self, memo: dict[int, Any]) -> _CacheSlot:
        return _CacheSlot()


def _compiled(expr: Expr) -> _Compiled:
    """The compiled form of ``expr``, built on first use and kept on the (immutable) tree."""
    slot = expr.__dict__.get("_explainer")
    if slot is not None and slot.value is not None:
        return slot.value
    compiled = _Compiled(expr)
    if slot is None:
        slot = _CacheSlot()
        object.__setattr__(expr, "_explainer", slot)
    slot.value = compiled
    return compiled


class _Explainer:
    """The state of one explanation: the dossier, the context and what was read."""

    __slots__ = ("ctx", "evidence", "fp", "frame", "missing", "root")

    def __init__(self, root: dict[str, Any], ctx: Context) -> None:
        self.root = root
        self.ctx = ctx
        self.frame: list[Any] = []  # the item values by slot (the one frame of this run)
        self.fp: list[str] = []  # the concrete paths of those items, by slot
        self.evidence: dict[str, Any] = {}  # concrete path -> value (first read)
        self.missing: list[str] = []  # paths read as null, in order (with repeats)


class RawExplanation(NamedTuple):
    """What ``explain`` returns, as plain tuples (for reports, which build their own)."""

    value: Any
    parts: list[PartTuple]  # (text, held, detail, kind, items, decides) as in Part
    evidence: list[tuple[str, Any]]  # (path, value) as in Evidence
    evidence_omitted: int


def explain_raw(
    expr: Expr | str,
    data: Any,
    ctx: Context,
    *,
    max_evidence: int | None = None,
    names: dict[str, str] | None = None,
) -> RawExplanation:
    """``explain`` without the dataclasses: the same value, parts and evidence as tuples.

    ``names``: the dossier's index of item names (see ``wording.humanize``), shared
    by the explanations of one dossier."""
    if isinstance(expr, str):
        expr = parse(expr)
    fn, nslots = _compiled(expr).explainer()
    ex = _Explainer(data if type(data) is dict else _root(data), ctx)
    sink: list[PartTuple] = []
    ex.frame = [None] * nslots
    ex.fp = [""] * nslots
    try:
        value = fn(ex, ex.frame, ex.fp, sink, [])
    except _RUNTIME_ERRORS as exc:
        raise EvaluationError(
            f"the condition {to_source(expr)[:120]} could not be evaluated: {exc}"
        ) from exc
    read = ex.evidence
    if max_evidence is not None and len(read) > max_evidence:
        listed = list(read.items())[: max(max_evidence, 0)]
    else:
        listed = list(read.items())
    root = ex.root
    parts = [
        (t, h, wording.humanize(d, root, names), k, i, dec) if "[" in d else (t, h, d, k, i, dec)
        for t, h, d, k, i, dec in sink
    ]
    return RawExplanation(
        value,
        parts,
        [(path, v if type(v) in _FAST_SCALARS else _summary(v)) for path, v in listed],
        len(read) - len(listed),
    )



def explain(expr: Expr | str, data: Any, ctx: Context, *, max_evidence: int | None = None) -> Explanation:
    """Evaluate ``expr`` on ``data`` and explain the result (see Explanation/Part).

    ``explain(e, d, c).value == compile_expr(e)(d, c)`` always holds. The explainer
    is compiled once per syntax tree (and kept on it): pass the same tree to explain
    many dossiers. ``max_evidence`` lists at most that many values read (the first
    ones) and counts the others in ``evidence_omitted``.
    """
    raw = explain_raw(expr, data, ctx, max_evidence=max_evidence)
    return Explanation(
        value=raw.value,
        parts=[
            Part(text=t, held=h, detail=d, kind=k, items=i, decides=dec) for t, h, d, k, i, dec in raw.parts
        ],
        evidence=[Evidence(path, v) for path, v in raw.evidence],
        evidence_omitted=raw.evidence_omitted,
    )
