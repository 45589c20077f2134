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
* Each durable ruleset is registered once per process (registering repeatedly leaks).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import durable_rules_engine as _dre

from ..errors import EngineError
from ..lang.ast import COMPARISONS, Binary, Call, Expr, ListLit, Literal, Unary
from ..lang.evaluator import Context, compile_expr
from ..lang.printer import to_source
from ..registry import CompiledCriterion, LoadedRuleset
from .verdicts import ALWAYS, Verdict, decide

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


# --------------------------------------------------------------------------- compiling


@dataclass
class _Rule:
    name: str
    cond: Cond
    fields: set[str]  # derived-field keys it reads
    tests: int


class _Compiler:
    """Turns condition trees into durable-rules conditions over derived fields."""

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

    def cond(self, expr: Expr, positive: bool) -> tuple[Cond, set[str], int]:
        """Condition that fires iff ``expr`` is True (positive) or False (not positive)."""
        if isinstance(expr, Binary) and expr.op in ("and", "or"):
            lc, lf, lt = self.cond(expr.left, positive)
            rc, rf, rt = self.cond(expr.right, positive)
            conj = (expr.op == "and") == positive
            op = "$and" if conj else "$or"
            parts: list[Cond] = []
            for c in (lc, rc):  # flatten nested $and/$or of the same kind
                parts.extend(c[op] if list(c) == [op] else [c])
            return {op: parts}, lf | rf, lt + rt
        if isinstance(expr, Unary) and expr.op == "not":
            return self.cond(expr.operand, not positive)
        if isinstance(expr, Binary) and expr.op in COMPARISONS:
            lconst, lval = self.const(expr.left)
            rconst, rval = self.const(expr.right)
            op = expr.op if positive else _NEGATE[expr.op]
            if rconst and not lconst:
                f = self.field(expr.left)
                return self._cmp(op, f, rval), {f}, 1
            if lconst and not rconst:
                f = self.field(expr.right)
                return self._cmp(_FLIP[op], f, lval), {f}, 1
            if not lconst and not rconst:
                fl, fr = self.field(expr.left), self.field(expr.right)
                # a missing right-hand field must not count as a match
                guard = [{"$ex": {fl: 1}}, {"$ex": {fr: 1}}]
                if op == "==":
                    # durable-rules has no $eq with $m: a == b  <=>  a <= b and a >= b
                    cmp: list[Cond] = [{"$lte": {fl: {"$m": fr}}}, {"$gte": {fl: {"$m": fr}}}]
                else:
                    cmp = [{_DOP[op]: {fl: {"$m": fr}}}]
                return {"$and": guard + cmp}, {fl, fr}, 4
        if (
            isinstance(expr, Binary)
            and expr.op in ("in", "not in")
            and isinstance(expr.right, ListLit)
        ):
            consts = [self.const(i) for i in expr.right.items]
            if consts and all(ok for ok, _ in consts) and not self.const(expr.left)[0]:
                f = self.field(expr.left)
                inside = (expr.op == "in") == positive
                vals = [v for _, v in consts]
                if inside:
                    return {"$or": [self._cmp("==", f, v) for v in vals]}, {f}, len(vals)
                return {"$and": [self._cmp("!=", f, v) for v in vals]}, {f}, len(vals)
        # anything else that is a truth value: computed in Python, matched as true/false
        f = self.field(expr)
        return {f: positive}, {f}, 1

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
    rules: dict[str, tuple[str, str, str]]  # durable rule name -> (criterion, kind, level)
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


class DurableEngine:
    name = "durable"

    def __init__(self, ruleset: LoadedRuleset) -> None:
        self.ruleset = ruleset
        self._compiler = _Compiler()
        self._strata: list[list[_Shard]] = []
        for k, stratum in enumerate(ruleset.strata):
            self._strata.append(self._compile_stratum(k, list(stratum)))

    # -- compile
    def _criterion_rules(self, idx: int, c: CompiledCriterion) -> list[_Rule]:
        comp = self._compiler
        rules: list[_Rule] = []
        if c.applies is not None:
            tc, tf, tt = comp.cond(c.applies, True)
            fc, ff, ft = comp.cond(c.applies, False)
            rules.append(_Rule(f"c{idx}.A", tc, tf, tt))
            rules.append(_Rule(f"c{idx}.NA", fc, ff, ft))
        for li, lv in enumerate(c.levels):
            tc, tf, tt = comp.cond(lv.expr, True)
            rules.append(_Rule(f"c{idx}.L{li}", tc, tf, tt))
        fails = [comp.cond(lv.expr, False) for lv in c.levels]
        nm: Cond = {"$and": [f[0] for f in fails]} if len(fails) > 1 else fails[0][0]
        rules.append(
            _Rule(f"c{idx}.NM", nm, set().union(*(f[1] for f in fails)), sum(f[2] for f in fails))
        )
        return rules

    def _compile_stratum(self, k: int, criteria: list[CompiledCriterion]) -> list[_Shard]:
        index = {c.id: i for i, c in enumerate(self.ruleset.criteria)}
        groups: list[tuple[list[CompiledCriterion], list[_Rule]]] = []
        cur_c: list[CompiledCriterion] = []
        cur_r: list[_Rule] = []
        for c in criteria:
            rules = self._criterion_rules(index[c.id], c)
            n_rules = len(rules)
            n_tests = sum(r.tests + 1 for r in rules)
            n_fields = len(set().union(*(r.fields for r in rules)))
            if (
                n_rules > MAX_RULES_PER_SHARD
                or n_tests > MAX_TESTS_PER_SHARD
                or n_fields > MAX_FIELDS_PER_SHARD
            ):
                raise EngineError(
                    f"criterion {c.id} is too large for the durable-rules engine "
                    f"({n_rules} rules, {n_tests} tests, {n_fields} fields)",
                    file=c.file,
                    hint="split the criterion or run with --engine python",
                )
            if cur_r and (
                len(cur_r) + n_rules > MAX_RULES_PER_SHARD
                or sum(r.tests + 1 for r in cur_r) + n_tests > MAX_TESTS_PER_SHARD
                or len(set().union(*(r.fields for r in cur_r + rules))) > MAX_FIELDS_PER_SHARD
            ):
                groups.append((cur_c, cur_r))
                cur_c, cur_r = [], []
            cur_c.append(c)
            cur_r.extend(rules)
        if cur_r:
            groups.append((cur_c, cur_r))

        shards = []
        for s, (crits, rules) in enumerate(groups):
            keys = sorted(set().union(*(r.fields for r in rules)))
            names = {key: f"f{i}" for i, key in enumerate(keys)}
            definition: dict[str, Any] = {}
            meaning: dict[str, tuple[str, str, str]] = {}
            for r in rules:
                cond = _rename(r.cond, names)
                parts = cond["$and"] if list(cond) == ["$and"] else [cond]
                definition[r.name] = {"all": [{"m": {"$and": [{"qa": 1}, *parts]}}]}
                cidx, kind = r.name[1:].split(".")
                crit = self.ruleset.criteria[int(cidx)]
                level = crit.levels[int(kind[1:])].level if kind.startswith("L") else ""
                meaning[r.name] = (crit.id, kind, level)
            name = f"qa_{self.ruleset.sha256[:20]}_{k}_{s}"
            handle = _register(name, definition)
            fields = [(names[key], self._compiler.derived[key]) for key in keys]
            shards.append(_Shard(name, handle, fields, meaning, crits))
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

    def evaluate(self, data: dict[str, Any], as_of: _dt.date) -> dict[str, Verdict]:
        states: dict[str, str] = {}
        ctx = Context(as_of=as_of, states=states)
        out: dict[str, Verdict] = {}
        for shards in self._strata:
            for shard in shards:
                try:
                    parts = [f'"qa":1,"n":{next(_SEQ)}']
                    for fname, fn in shard.fields:
                        value = _fact_value(fn(data, ctx))
                        if value is not None:
                            parts.append(f'"{fname}":{dumps(value)}')
                    fired = self._fire(shard, "{" + ",".join(parts) + "}")
                except Exception as exc:  # this shard's checks could not run
                    message = (
                        str(exc) if isinstance(exc, EngineError) else f"{type(exc).__name__}: {exc}"
                    )
                    for c in shard.criteria:
                        out[c.id] = Verdict(c.id, "error", message)
                        states[c.id] = "error"
                    continue
                got: dict[str, set[str]] = {}
                for rule in fired:
                    cid, kind, level = shard.rules[rule]
                    got.setdefault(cid, set()).add(level or kind)
                for c in shard.criteria:
                    seen = got.get(c.id, set())
                    applies: Any = ALWAYS
                    if c.applies is not None:
                        applies = True if "A" in seen else False if "NA" in seen else None
                    levels: list[tuple[str, bool | None]]
                    if "NM" in seen:  # every level's F rule held
                        levels = [(lv.level, False) for lv in c.levels]
                    else:
                        levels = [(lv.level, True if lv.level in seen else None) for lv in c.levels]
                    state = decide(applies, levels)
                    out[c.id] = Verdict(c.id, state)
                    states[c.id] = state
        return out
