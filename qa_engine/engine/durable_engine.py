"""The durable-rules engine: the only module that imports durable_rules.

How it is built around durable-rules' measured limits (docs/engine.md):

* Each condition is compiled twice, into the rules "it holds" (T) and "it fails" (F),
  so that three-valued logic survives a two-valued rules network: a value that is
  missing is left out of the fact, and neither T nor F fires -> ``unknown``.
* Durable-rules compares; Python derives. Every operand of a comparison and every
  aggregate, quantifier, string or date function is computed in Python into a field
  of a *slim fact* that holds only what the rules of one shard read.
* Rulesets are sharded (at most 48 rules, 240 tests and 200 fields per durable
  ruleset), well below the 64-sibling-rule, 512-test and 253-property limits at which
  durable-rules loses findings.
* Each shard has one long-lived session; every dossier's fact carries a sequence number
  (facts with equal content are rejected) and is retracted after its rules fired, so
  no state accumulates. No ``Host`` is created, so no dispatcher threads run, and no
  Python actions run inside the engine: fired rules are read from the action messages.
* Numbers are written without exponents (the engine rejects ``1e-05``), NaN and
  infinities cannot reach it (the dossier model rejects them), strings are never
  compared with numbers (the checker rejects it), and every rule is guarded by
  ``qa == 1`` so that no rule is a bare ``$nex``.
* durable-rules reads integers as 64 bits and compares them with decimals as doubles,
  so only numbers up to 2**53 in size reach it (:func:`_exact`). A comparison with a
  larger constant is computed in Python. When a derived value cannot be held exactly
  (a huge or infinite number, text that is not valid Unicode) or its computation
  fails, the criteria of that shard are decided by the Python engine's semantics for
  this dossier (:func:`~.python_engine.run_entry`), so that both engines agree on
  every verdict, ``error`` included.
* Each durable ruleset is registered once per process (registering repeatedly leaks).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import durable_rules_engine as _dre

from qa_engine.engine.python_engine import PlanEntry, plan_entry, run_entry
from qa_engine.engine.verdicts import ALWAYS, Verdict, decide
from qa_engine.errors import EngineError
from qa_engine.lang.ast import COMPARISONS, Binary, Call, Expr, ListLit, Literal, Unary
from qa_engine.lang.evaluator import Context, compile_expr
from qa_engine.lang.printer import to_source
from qa_engine.rules.registry import CompiledCriterion, LoadedRuleset

MAX_RULES_PER_SHARD = 48
MAX_TESTS_PER_SHARD = 240
MAX_FIELDS_PER_SHARD = 200

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_DOP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}

Fn = Callable[[dict[str, Any], Context], Any]
Cond = dict[str, Any]


# --------------------------------------------------------------------------- JSON


def _num(value: int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise EngineError(f"the number {value!r} cannot be evaluated", hint="use a finite number")
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def dumps(value: Any) -> str:
    """JSON as durable-rules accepts it: no exponent notation, dates as day numbers."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return _num(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, _dt.date):
        return str(value.toordinal())
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    raise EngineError(f"value of type {type(value).__name__} cannot be sent to the rules engine")


def _fact_value(value: Any) -> Any:
    """A derived value as a fact field, or None to leave the field out (unknown)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, _dt.date):
        return value.toordinal()
    raise TypeError(f"a comparison operand evaluated to a {type(value).__name__}")


#: Largest magnitude durable-rules holds exactly (as a 64-bit integer and as a double).
_EXACT = 2**53


def _exact(value: Any) -> bool:
    """Whether durable-rules holds ``value`` (a fact field or rule constant) exactly."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -_EXACT <= value <= _EXACT
    if isinstance(value, float):
        return -_EXACT <= value <= _EXACT  # False for NaN and infinities too
    if isinstance(value, str):
        if value.isascii():
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: the engine rejects the fact
            return False
        return True
    return True


# --------------------------------------------------------------------------- compiling

#: A condition in disjunctive normal form: it holds when every test of some term holds.
#: Each term becomes one durable rule whose condition is a flat ``$and`` of tests
#: (durable-rules rejects with error 113 an ``$or`` with many compound branches; flat
#: conjunctions of any length are accepted).
Term = tuple[Cond, ...]
DNF = list[Term]

MAX_TERMS = 16  # a condition with more terms is computed in Python instead
MAX_TESTS_PER_TERM = 64


@dataclass
class _Rule:
    name: str
    cond: Cond
    fields: set[str]  # derived-field keys it reads
    tests: int


def _fields_of(test: Cond) -> set[str]:
    """Derived-field keys a single test reads."""
    if "$and" in test:  # field-to-field comparison: guards plus the comparison
        out: set[str] = set()
        for t in test["$and"]:
            out |= _fields_of(t)
        return out
    (key, val), = test.items()
    if key.startswith("$"):
        (f, operand), = val.items()
        extra = {operand["$m"]} if isinstance(operand, dict) and "$m" in operand else set()
        return {f} | extra
    return {key}


class _Compiler:
    """Turns condition trees into DNF over derived fields (see module docstring)."""

    def __init__(self) -> None:
        self.derived: dict[str, Fn] = {}  # key (canonical source) -> closure

    def field(self, expr: Expr) -> str:
        key = to_source(expr)
        if key not in self.derived:
            self.derived[key] = compile_expr(expr)
        return key

    def const(self, expr: Expr) -> tuple[bool, Any]:
        """(True, value) when ``expr`` is a constant the rules can hold literally."""
        if isinstance(expr, Literal) and expr.value is not None:
            return True, expr.value
        if isinstance(expr, Unary) and expr.op == "-" and isinstance(expr.operand, Literal):
            v = expr.operand.value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return True, -v
        if isinstance(expr, Call) and expr.func == "date" and len(expr.args) == 1:
            arg = expr.args[0]
            if isinstance(arg, Literal) and isinstance(arg.value, str):
                try:
                    return True, _dt.date.fromisoformat(arg.value).toordinal()
                except ValueError:
                    return False, None
        return False, None

    def inexact(self, expr: Expr) -> bool:
        """A constant durable-rules cannot hold exactly (see :func:`_exact`)."""
        ok, value = self.const(expr)
        return ok and not _exact(value)

    def derived_truth(self, expr: Expr, positive: bool) -> DNF:
        """A truth value computed in Python, matched as true/false (absent: unknown)."""
        return [({self.field(expr): positive},)]

    def dnf(self, expr: Expr, positive: bool) -> DNF:
        """Terms whose firing means ``expr`` is True (positive) or False (not positive)."""
        if isinstance(expr, Binary) and expr.op in ("and", "or"):
            left = self.dnf(expr.left, positive)
            right = self.dnf(expr.right, positive)
            if (expr.op == "and") == positive:  # conjunction: cross product
                if len(left) * len(right) > MAX_TERMS:
                    return self.derived_truth(expr, positive)
                terms = [a + b for a in left for b in right]
                if any(len(t) > MAX_TESTS_PER_TERM for t in terms):
                    return self.derived_truth(expr, positive)
                return terms
            if len(left) + len(right) > MAX_TERMS:  # disjunction: union
                return self.derived_truth(expr, positive)
            return left + right
        if isinstance(expr, Unary) and expr.op == "not":
            return self.dnf(expr.operand, not positive)
        if isinstance(expr, Binary) and expr.op in COMPARISONS:
            if self.inexact(expr.left) or self.inexact(expr.right):
                return self.derived_truth(expr, positive)
            lconst, lval = self.const(expr.left)
            rconst, rval = self.const(expr.right)
            op = expr.op if positive else _NEGATE[expr.op]
            if rconst and not lconst:
                return [(self._cmp(op, self.field(expr.left), rval),)]
            if lconst and not rconst:
                return [(self._cmp(_FLIP[op], self.field(expr.right), lval),)]
            if not lconst and not rconst:
                fl, fr = self.field(expr.left), self.field(expr.right)
                # a missing right-hand field must not count as a match
                guard: list[Cond] = [{"$ex": {fl: 1}}, {"$ex": {fr: 1}}]
                if op == "==":
                    # durable-rules has no $eq with $m: a == b  <=>  a <= b and a >= b
                    cmp: list[Cond] = [{"$lte": {fl: {"$m": fr}}}, {"$gte": {fl: {"$m": fr}}}]
                else:
                    cmp = [{_DOP[op]: {fl: {"$m": fr}}}]
                return [tuple(guard + cmp)]
        if isinstance(expr, Binary) and expr.op in ("in", "not in") and isinstance(expr.right, ListLit):
            consts = [self.const(i) for i in expr.right.items]
            if (
                consts
                and all(ok and _exact(v) for ok, v in consts)
                and not self.const(expr.left)[0]
            ):
                f = self.field(expr.left)
                vals = [v for _, v in consts]
                if (expr.op == "in") == positive:  # one of the values
                    if len(vals) <= MAX_TERMS:
                        return [(self._cmp("==", f, v),) for v in vals]
                else:  # none of the values
                    return [tuple(self._cmp("!=", f, v) for v in vals)]
        # anything else that is a truth value: computed in Python, matched as true/false
        return self.derived_truth(expr, positive)

    @staticmethod
    def _cmp(op: str, field: str, value: Any) -> Cond:
        if op == "==":
            return {field: value}
        return {_DOP[op]: {field: value}}


@dataclass
class _Shard:
    name: str
    handle: int
    fields: list[tuple[str, Fn]]  # (fact field name, closure)
    rules: dict[str, tuple[str, str]]  # durable rule name -> (criterion id, kind)
    criteria: list[CompiledCriterion]


_HANDLES: dict[str, int] = {}
_SEQ = itertools.count(1)


def _register(name: str, definition: dict[str, Any]) -> int:
    """Register a durable ruleset once per process and reuse its handle."""
    if name not in _HANDLES:
        try:
            _HANDLES[name] = _dre.create_ruleset(name, dumps(definition))
        except Exception as exc:  # durable_rules_engine.error
            raise EngineError(
                f"durable-rules rejected the compiled ruleset {name}: {exc}",
                hint="run with --engine python and report this ruleset",
            ) from None
    return _HANDLES[name]


def _rename(cond: Any, names: dict[str, str]) -> Any:
    """Replace derived-field keys by the shard's short fact field names."""
    if isinstance(cond, dict):
        out = {}
        for k, v in cond.items():
            nk = names.get(k, k)
            if isinstance(v, dict) and "$m" in v and len(v) == 1:
                out[nk] = {"$m": names[v["$m"]]}
            else:
                out[nk] = _rename(v, names)
        return out
    if isinstance(cond, list):
        return [_rename(c, names) for c in cond]
    return cond


def _flat(term: Term) -> list[Cond]:
    out: list[Cond] = []
    for t in term:
        out.extend(t["$and"] if list(t) == ["$and"] else [t])
    return out


class DurableEngine:
    name = "durable"

    def __init__(self, ruleset: LoadedRuleset) -> None:
        #: the shards' sessions are shared: one evaluation at a time (a server's threads)
        self._lock = threading.Lock()
        self.ruleset = ruleset
        self._compiler = _Compiler()
        self._strata: list[list[_Shard]] = []
        self._stratum_criteria: list[list[CompiledCriterion]] = []
        self._python: dict[str, PlanEntry] = {}  # criteria decided in Python (fallback)
        for k, stratum in enumerate(ruleset.strata):
            self._strata.append(self._compile_stratum(k, list(stratum)))

    # -- compile
    def _criterion_rules(self, idx: int, c: CompiledCriterion) -> list[_Rule]:
        """Rules ``c<idx>.<kind>.<term>``; kind A/NA (applies or not), T<i>/F<i> (level i)."""
        comp = self._compiler
        conditions: list[tuple[str, Expr, bool]] = []
        if c.applies is not None:
            conditions += [("A", c.applies, True), ("NA", c.applies, False)]
        for li, lv in enumerate(c.levels):
            conditions += [(f"T{li}", lv.expr, True), (f"F{li}", lv.expr, False)]
        rules: list[_Rule] = []
        for kind, expr, positive in conditions:
            for ti, term in enumerate(comp.dnf(expr, positive)):
                tests = _flat(term)
                fields: set[str] = set()
                for t in tests:
                    fields |= _fields_of(t)
                rules.append(_Rule(f"c{idx}.{kind}.{ti}", {"$and": tests}, fields, len(tests)))
        return rules

    def _compile_stratum(self, k: int, criteria: list[CompiledCriterion]) -> list[_Shard]:
        """Pack the stratum's rules into shards within durable-rules' limits.

        Rules are independent (each is one flat conjunction), so one criterion's rules
        may land in several shards; its verdict is decided once every shard has run.
        """
        index = {c.id: i for i, c in enumerate(self.ruleset.criteria)}
        groups: list[list[_Rule]] = []
        cur: list[_Rule] = []
        cur_tests = 0
        cur_fields: set[str] = set()
        for c in criteria:
            for r in self._criterion_rules(index[c.id], c):
                if r.tests + 1 > MAX_TESTS_PER_SHARD or len(r.fields) > MAX_FIELDS_PER_SHARD:
                    raise EngineError(
                        f"criterion {c.id} has a condition too large for the durable-rules engine "
                        f"({r.tests} tests, {len(r.fields)} fields in one rule)",
                        file=c.file, hint="simplify the condition or run with --engine python",
                    )
                if cur and (
                    len(cur) + 1 > MAX_RULES_PER_SHARD
                    or cur_tests + r.tests + 1 > MAX_TESTS_PER_SHARD
                    or len(cur_fields | r.fields) > MAX_FIELDS_PER_SHARD
                ):
                    groups.append(cur)
                    cur, cur_tests, cur_fields = [], 0, set()
                cur.append(r)
                cur_tests += r.tests + 1
                cur_fields |= r.fields
        if cur:
            groups.append(cur)

        shards = []
        for s, rules in enumerate(groups):
            keys = sorted(set().union(*(r.fields for r in rules)))
            names = {key: f"f{i}" for i, key in enumerate(keys)}
            definition: dict[str, Any] = {}
            meaning: dict[str, tuple[str, str]] = {}
            crit_ids: dict[str, CompiledCriterion] = {}
            for r in rules:
                cond = _rename(r.cond, names)
                definition[r.name] = {"all": [{"m": {"$and": [{"qa": 1}, *cond["$and"]]}}]}
                cidx, kind, _term = r.name[1:].split(".")
                crit = self.ruleset.criteria[int(cidx)]
                meaning[r.name] = (crit.id, kind)
                crit_ids[crit.id] = crit
            name = f"qa_{self.ruleset.sha256[:20]}_{k}_{s}"
            handle = _register(name, definition)
            fields = [(names[key], self._compiler.derived[key]) for key in keys]
            shards.append(_Shard(name, handle, fields, meaning, list(crit_ids.values())))
        self._stratum_criteria.append(criteria)
        return shards

    # -- run
    def _fire(self, shard: _Shard, fact: str) -> list[str]:
        result = _dre.assert_fact(shard.handle, fact)
        fired: list[str] = []
        try:
            code = result[0]
            if code == 2:
                raise EngineError("durable-rules saw the same fact twice", hint="report this")
            if code == 0:
                state_handle = result[1]
                started = _dre.start_action_for_state(shard.handle, state_handle)
                message = started[1] if started else None
                while message:
                    # each message is '{"<rule name>":{...the fact...}}'; rule names are
                    # ours (no quotes), so the name is read without parsing the fact
                    fired.append(message[2 : message.index('"', 2)])
                    message = _dre.complete_and_start_action(shard.handle, state_handle)
        finally:
            _dre.retract_fact(shard.handle, fact)
        return fired

    @staticmethod
    def _fact(shard: _Shard, data: dict[str, Any], ctx: Context) -> str | None:
        """The shard's fact for ``data``, or None when a derived value cannot be computed
        or held exactly by durable-rules (see :func:`_exact`)."""
        parts = [f'"qa":1,"n":{next(_SEQ)}']
        for fname, fn in shard.fields:
            try:
                value = _fact_value(fn(data, ctx))
            except Exception:  # noqa: BLE001 - the Python semantics decide, `error` included
                return None
            if value is not None:
                if not _exact(value):
                    return None
                parts.append(f'"{fname}":{dumps(value)}')
        return "{" + ",".join(parts) + "}"

    def _fallback(self, c: CompiledCriterion, data: dict[str, Any], ctx: Context) -> Verdict:
        """``c`` decided as the Python engine decides it (compiled on first use)."""
        entry = self._python.get(c.id)
        if entry is None:
            entry = self._python[c.id] = plan_entry(c)
        return run_entry(entry, data, ctx)

    def evaluate(self, data: dict[str, Any], as_of: _dt.date) -> dict[str, Verdict]:
        with self._lock:
            return self._evaluate(data, as_of)

    def _evaluate(self, data: dict[str, Any], as_of: _dt.date) -> dict[str, Verdict]:
        states: dict[str, str] = {}
        ctx = Context(as_of=as_of, states=states)
        out: dict[str, Verdict] = {}
        for shards, criteria in zip(self._strata, self._stratum_criteria, strict=True):
            got: dict[str, set[str]] = {}
            failed: dict[str, str] = {}
            in_python: set[str] = set()
            for shard in shards:
                fact = self._fact(shard, data, ctx)
                if fact is None:  # a value durable-rules cannot hold: decide in Python
                    in_python.update(c.id for c in shard.criteria)
                    continue
                try:
                    fired = self._fire(shard, fact)
                except Exception as exc:  # this shard's checks could not run
                    message = (
                        str(exc) if isinstance(exc, EngineError) else f"{type(exc).__name__}: {exc}"
                    )
                    for c in shard.criteria:
                        failed.setdefault(c.id, message)
                    continue
                for rule in fired:
                    cid, kind = shard.rules[rule]
                    got.setdefault(cid, set()).add(kind)
            for c in criteria:
                if c.id in in_python:
                    verdict = self._fallback(c, data, ctx)
                    out[c.id] = verdict
                    states[c.id] = verdict.state
                    continue
                if c.id in failed:
                    out[c.id] = Verdict(c.id, "error", failed[c.id])
                    states[c.id] = "error"
                    continue
                seen = got.get(c.id, set())
                applies: Any = ALWAYS
                if c.applies is not None:
                    applies = True if "A" in seen else False if "NA" in seen else None
                levels: list[tuple[str, bool | None]] = [
                    (lv.level, True if f"T{i}" in seen else False if f"F{i}" in seen else None)
                    for i, lv in enumerate(c.levels)
                ]
                state = decide(applies, levels)
                out[c.id] = Verdict(c.id, state)
                states[c.id] = state
        return out
