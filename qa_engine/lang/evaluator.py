"""Three-valued evaluator of the condition language.

Two entry points over the same semantics:

* ``compile_expr(expr)`` compiles a syntax tree once into nested Python closures; the
  result is called as ``f(data, ctx)`` for thousands of dossiers (no tree walking).
* ``explain(expr, data, ctx)`` is the slower path for reports: it evaluates every
  part (no short-circuit), records which atomic tests held, which list items matched
  and every value read.

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
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from qa_engine.errors import ConditionError, EngineError
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
    "explain",
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
    if any(type(e) not in _FAST for e in seq):
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

Fn = Callable[[dict, Context, list], Any]


class _Compiler:
    def __init__(self) -> None:
        self.nslots = 0

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
            return _and(fs) if op == "and" else _or(fs)
        if op in _ARITH:
            first, links = chain(node)
            f0 = self.c(first, slots)
            rest = [(_ARITH[link.op], self.c(link.right, slots)) for link in links]
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
        return _QUANT_FACTORIES[func](src, body, slot)


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
    check_limits(expr)
    compiler = _Compiler()
    fn = compiler.c(expr, {})
    nslots = compiler.nslots

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


def _summary(v: Any) -> Any:
    """The value recorded as evidence: scalars and lists of scalars as they are,
    objects and lists of objects as short markers."""
    if isinstance(v, dict):
        return "<object>"
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

    ``text``: canonical source; ``held``: True/False/None (its own value, before any
    enclosing ``not``); ``detail``: a sentence for the report; ``kind``: comparison,
    membership, call, quantifier or value; ``items``: for quantifiers and aggregates,
    (concrete item path, whether the body held) per list item.
    """

    text: str
    held: bool | None
    detail: str
    kind: str
    items: list[tuple[str, bool | None]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "held": self.held,
            "detail": self.detail,
            "kind": self.kind,
            "items": [{"path": p, "held": h} for p, h in self.items],
        }


@dataclass(frozen=True)
class Explanation:
    """The value of a condition with its parts and the evidence read."""

    value: Any
    parts: list[Part] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": _jsonable(self.value),
            "parts": [p.to_dict() for p in self.parts],
            "evidence": [e.to_dict() for e in self.evidence],
        }


Scope = dict[str, tuple[str, Any]]  # var -> (concrete item path, item value)
_BOOL_CALLS = frozenset({"exists", "empty", "matches", "contains", "startswith", "endswith", "met"})
_MAX_LISTED = 5


def _bindings(scope: Scope) -> dict[str, str]:
    return {var: path for var, (path, _) in scope.items()}


def _label(node: Expr, scope: Scope) -> str:
    b = _bindings(scope)
    if isinstance(node, Quant):
        src = to_source(node.source, bindings=b)
        if node.var is None:
            return f"{node.func}({src})"
        return f"{node.func}({node.var} in {src}: ...)"
    return to_source(node, bindings=b)


def _shown(v: Any) -> str:
    if isinstance(v, dict):
        return "{...}"
    if isinstance(v, list) and any(isinstance(i, dict) for i in v):
        return f"a list of {len(v)} item{'s' if len(v) != 1 else ''}"
    return format_value(v)


def _listing(details: list[str]) -> str:
    shown = details[:_MAX_LISTED]
    text = "; ".join(shown)
    if len(details) > _MAX_LISTED:
        text += f"; and {len(details) - _MAX_LISTED} more"
    return text


class _Explainer:
    def __init__(self, root: dict[str, Any], ctx: Context) -> None:
        self.root = root
        self.ctx = ctx
        self.evidence: dict[str, Any] = {}
        self.sinks: list[list[Part]] = [[]]
        self.reads: list[list[tuple[str, Any]]] = [[]]
        self.items: list[list[tuple[str, bool | None]]] = [[]]

    # -- infrastructure
    def record(self, path: str, value: Any) -> None:
        if path not in self.evidence:
            self.evidence[path] = _summary(value)
        self.reads[-1].append((path, value))

    def part(
        self,
        node: Expr,
        scope: Scope,
        kind: str,
        compute: Callable[[], tuple[Any, str | None]],
    ) -> Any:
        self.reads.append([])
        self.items.append([])
        value, detail = compute()
        reads = self.reads.pop()
        items = self.items.pop()
        self.reads[-1].extend(reads)
        if detail is None:
            detail = self.unknown_detail(node, scope, reads)
        self.sinks[-1].append(
            Part(text=to_source(node), held=value, detail=detail, kind=kind, items=items)
        )
        return value

    def unknown_detail(self, node: Expr, scope: Scope, reads: list[tuple[str, Any]]) -> str:
        missing: list[str] = []
        for path, value in reads:
            if value is None and path not in missing:
                missing.append(path)
        if len(missing) == 1:
            return f"{missing[0]} is missing"
        if missing:
            return ", ".join(missing[:-1]) + f" and {missing[-1]} are missing"
        return f"{_label(node, scope)} could not be evaluated (e.g. a division by zero)"

    # -- evaluation
    def cond(self, node: Expr, scope: Scope) -> Any:
        """Evaluate ``node`` where a condition is expected: a bare path becomes a part."""
        if isinstance(node, Path):
            v = self.ev(node, scope)
            if v is None or isinstance(v, bool):
                label = _label(node, scope)
                detail = f"{label} is missing" if v is None else f"{label} = {_shown(v)}"
                self.sinks[-1].append(Part(text=to_source(node), held=v, detail=detail, kind="value"))
            return v
        return self.ev(node, scope)

    def ev(self, node: Expr, scope: Scope) -> Any:
        k = _constant(node)
        if k is not _NOCONST:
            return k
        if isinstance(node, Path):
            return self.path(node, scope)
        if isinstance(node, ListLit):
            return [self.ev(i, scope) for i in node.items]
        if isinstance(node, Unary):
            if node.op == "not":
                return _k_not(self.cond(node.operand, scope))
            v = self.ev(node.operand, scope)
            return None if v is None else -v
        if isinstance(node, Binary):
            return self.binary(node, scope)
        if isinstance(node, Call):
            return self.call(node, scope)
        if isinstance(node, Quant):
            return self.quant(node, scope)
        raise ConditionError(f"not a condition syntax tree node: {type(node).__name__}")

    def path(self, node: Path, scope: Scope) -> Any:
        if node.var is not None:
            prefix, base = scope[node.var]
            concrete = ".".join((prefix, *node.parts))
        else:
            base = self.root
            concrete = ".".join(node.parts)
        value = _walk(base, node.parts)
        self.record(concrete, value)
        return value

    def binary(self, node: Binary, scope: Scope) -> Any:
        op = node.op
        if op in ("and", "or"):
            first, links = chain(node)
            values = [self.cond(first, scope)] + [self.cond(link.right, scope) for link in links]
            return _k_all(values) if op == "and" else _k_any(values)
        if op in _ARITH:
            first, links = chain(node)
            acc = self.ev(first, scope)
            for link in links:
                b = self.ev(link.right, scope)
                acc = None if acc is None or b is None else _ARITH[link.op](acc, b)
            return acc
        if op in COMPARISONS or op in ("in", "not in"):
            kind = "comparison" if op in COMPARISONS else "membership"
            return self.part(node, scope, kind, lambda: self.comparison(node, scope))
        raise _node_error(node, f"unknown operator '{op}'")

    def comparison(self, node: Binary, scope: Scope) -> tuple[Any, str | None]:
        op = node.op
        lv = self.ev(node.left, scope)
        rv = self.ev(node.right, scope)
        if op in COMPARISONS:
            value = None if lv is None or rv is None else _CMP[op](lv, rv)
        else:
            value = None if rv is None else _member(lv, rv)
            if op == "not in" and value is not None:
                value = not value
        if value is None:
            return None, None
        lconst = _constant(node.left) is not _NOCONST
        rconst = _constant(node.right) is not _NOCONST
        left, right = _label(node.left, scope), _label(node.right, scope)
        membership = op in ("in", "not in")
        if rconst and not lconst:
            detail = f"{left} = {_shown(lv)}, required {op} {right}"
        elif lconst and not rconst:
            if membership:
                verb = "to contain" if op == "in" else "not to contain"
                detail = f"{right} = {_shown(rv)}, required {verb} {left}"
            else:
                detail = f"{right} = {_shown(rv)}, required {left} {op} {right}"
        elif not lconst and not rconst:
            detail = f"{left} = {_shown(lv)}, {right} = {_shown(rv)}, required {left} {op} {right}"
        else:
            detail = f"{left} {op} {right}"
        detail += self.aggregate_note(node, value)
        return value, detail

    def aggregate_note(self, node: Binary, value: Any) -> str:
        """For ``count/share(...) >= k`` that failed, name the items that did not count
        (and for ``<=``/``<`` the items that did)."""
        if value is not False or not isinstance(node.left, Quant):
            return ""
        if node.left.func not in ("count", "share") or node.left.body is None:
            return ""
        items = self.items[-1]
        if node.op in (">=", ">", "=="):
            paths = [p for p, held in items if held is False]
            label = "does not hold for"
        elif node.op in ("<=", "<"):
            paths = [p for p, held in items if held is True]
            label = "holds for"
        else:
            return ""
        if not paths:
            return ""
        shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
        return f"; {label} {shown}"

    def call(self, node: Call, scope: Scope) -> Any:
        name = node.func
        if name in _BOOL_CALLS:
            return self.part(node, scope, "call", lambda: self.bool_call(node, scope))
        if name == "as_of":
            return self.ctx.as_of
        if name == "state":
            return self.ctx.states.get(_string_literal_arg(node), "unknown")
        v = self.ev(node.args[0], scope)
        if name == "days_since":
            return None if v is None else (self.ctx.as_of - v).days
        if name == "years_since":
            return None if v is None else (self.ctx.as_of - v).days / 365.25
        if name in _UNARY_FUNCS:
            return _UNARY_FUNCS[name](v)
        raise _node_error(node, f"unknown function '{name}'")

    def bool_call(self, node: Call, scope: Scope) -> tuple[Any, str | None]:
        name = node.func
        if name == "met":
            ref = _string_literal_arg(node)
            state = self.ctx.states.get(ref)
            value = _met(state)
            shown = state if state is not None else "not evaluated"
            detail = f"criterion {ref} is {shown}"
            if value is False:
                detail += ", required met or exemplary"
            return value, detail
        arg = node.args[0]
        label = _label(arg, scope)
        v = self.ev(arg, scope)
        if name == "exists":
            if v is None:
                return False, f"{label} is missing"
            return True, f"{label} = {_shown(v)}" if not isinstance(v, dict) else f"{label} is present"
        if name == "empty":
            value = _empty(v)
            if v is None:
                return value, f"{label} is missing"
            if value:
                return value, f"{label} is empty"
            if isinstance(v, list):
                return value, f"{label} has {len(v)} item{'s' if len(v) != 1 else ''}"
            return value, f"{label} = {_shown(v)}"
        if name == "matches":
            rx = _pattern(node)
            if v is None:
                return None, None
            return rx.search(v) is not None, f"{label} = {_shown(v)}, required to match {quote(rx.pattern)}"
        sub = self.ev(node.args[1], scope)
        value = _BINARY_FUNCS[name](v, sub)
        if value is None:
            return None, None
        verb = {"contains": "to contain", "startswith": "to start with", "endswith": "to end with"}[name]
        return value, f"{label} = {_shown(v)}, required {verb} {_shown(sub)}"

    def quant(self, node: Quant, scope: Scope) -> Any:
        if node.func in ("any", "all", "none"):
            return self.part(node, scope, "quantifier", lambda: self.quantifier(node, scope))
        return self.aggregate(node, scope)

    def iterate(self, node: Quant, scope: Scope, seq: list[Any], src: str, as_cond: bool) -> list[tuple[str, Any, str]]:
        rows: list[tuple[str, Any, str]] = []
        assert node.var is not None and node.body is not None
        for i, item in enumerate(seq):
            path = f"{src}[{i}]"
            inner = {**scope, node.var: (path, item)}
            self.sinks.append([])
            self.items.append([])
            v = self.cond(node.body, inner) if as_cond else self.ev(node.body, inner)
            sub = self.sinks.pop()
            self.items.pop()
            relevant = [p for p in sub if p.held is v] or sub
            detail = _listing([p.detail for p in relevant]) if relevant else f"{path}: {_shown(v)}"
            rows.append((path, v, detail))
        return rows

    def quantifier(self, node: Quant, scope: Scope) -> tuple[Any, str | None]:
        func = node.func
        src = _label(node.source, scope)
        seq = self.ev(node.source, scope)
        if seq is None:
            return None, f"{src} is missing"
        rows = self.iterate(node, scope, seq, src, as_cond=True)
        self.items[-1].extend((p, v) for p, v, _ in rows)
        values = [v for _, v, _ in rows]
        if func == "all":
            value = _k_all(values)
        else:
            value = _k_any(values)
            if func == "none":
                value = _k_not(value)
        if not rows:
            return value, f"{src} has no items"

        def details(want: Any) -> list[str]:
            return [d for _, v, d in rows if v is want]

        n = len(rows)
        if value is None:
            return None, _listing(details(None))
        if func == "any":
            if value:
                return True, _listing(details(True))
            return False, f"no item of {src} holds ({n} item{'s' if n != 1 else ''}): " + _listing(details(False))
        if func == "all":
            if value:
                return True, f"all {n} item{'s' if n != 1 else ''} of {src} hold"
            return False, _listing(details(False))
        # none
        if value:
            return True, f"no item of {src} holds ({n} item{'s' if n != 1 else ''})"
        return False, _listing(details(True))

    def aggregate(self, node: Quant, scope: Scope) -> Any:
        func = node.func
        src = _label(node.source, scope)
        seq = self.ev(node.source, scope)
        if seq is None:
            return None
        if node.var is None:
            if func == "count":
                return len(seq)
            values = [_norm(v) for v in seq]
            return _sum(values) if func == "sum" else _minmax(func, values)
        as_cond = func in ("count", "share")
        rows = self.iterate(node, scope, seq, src, as_cond=as_cond)
        values = [v for _, v, _ in rows]
        if as_cond:
            self.items[-1].extend((p, v) for p, v, _ in rows)
            return _count(values) if func == "count" else _share(values)
        if func == "sum":
            return _sum(values)
        return _minmax(func, values)


def explain(expr: Expr | str, data: Any, ctx: Context) -> Explanation:
    """Evaluate ``expr`` on ``data`` and explain the result (see Explanation/Part).

    ``explain(e, d, c).value == compile_expr(e)(d, c)`` always holds.
    """
    if isinstance(expr, str):
        expr = parse(expr)
    check_limits(expr)
    _Compiler().c(expr, {})  # validates functions, arities, patterns, bindings
    explainer = _Explainer(_root(data), ctx)
    try:
        value = explainer.cond(expr, {})
    except _RUNTIME_ERRORS as exc:
        raise EvaluationError(
            f"the condition {to_source(expr)[:120]} could not be evaluated: {exc}"
        ) from exc
    return Explanation(
        value=value,
        parts=list(explainer.sinks[0]),
        evidence=[Evidence(path, value) for path, value in explainer.evidence.items()],
    )
