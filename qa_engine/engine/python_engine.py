"""The pure-Python engine: the condition tree compiled once into closures.

It is the reference the durable-rules engine is tested against, and the engine where
durable-rules cannot be imported (Python 3.13+).

The hot loop is kept close to calling the compiled conditions directly (the floor in
bench/run.py): the plan is flattened once (strata in order), every verdict a criterion
can reach without an error is built once and shared (``Verdict`` is frozen), and the
truth-value check is inlined. Only an ``error`` verdict is built per call.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from qa_engine.engine.verdicts import ALWAYS, Verdict, decide
from qa_engine.lang.evaluator import Context, compile_expr
from qa_engine.rules.registry import CompiledCriterion, LoadedRuleset

Fn = Callable[[dict[str, Any], Context], Any]

#: states ``decide`` returns besides a level name
_FIXED_STATES = ("not_applicable", "unknown", "not_met")


class PythonEngine:
    name = "python"

    def __init__(self, ruleset: LoadedRuleset) -> None:
        self.ruleset = ruleset
        # one flat list in stratum order: criteria of a stratum only read states of
        # earlier strata, so evaluating them in this order is all stratification needs
        self._plan: list[PlanEntry] = [plan_entry(c) for stratum in ruleset.strata for c in stratum]

    def evaluate(self, data: dict[str, Any], as_of: _dt.date) -> dict[str, Verdict]:
        states: dict[str, str] = {}
        ctx = Context(as_of=as_of, states=states)
        out: dict[str, Verdict] = {}
        for entry in self._plan:
            verdict = run_entry(entry, data, ctx)
            out[entry[0]] = verdict
            states[entry[0]] = verdict.state
        return out


PlanEntry = tuple[str, Fn | None, tuple[tuple[str, Fn], ...], dict[str, Verdict]]


def plan_entry(c: CompiledCriterion) -> PlanEntry:
    """A criterion compiled for :func:`run_entry`: id, applies, levels, shared verdicts."""
    applies = compile_expr(c.applies) if c.applies is not None else None
    levels = tuple((lv.level, compile_expr(lv.expr)) for lv in c.levels)
    verdicts = {s: Verdict(c.id, s) for s in (*_FIXED_STATES, *(name for name, _ in levels))}
    return c.id, applies, levels, verdicts


def run_entry(entry: PlanEntry, data: dict[str, Any], ctx: Context) -> Verdict:
    """The verdict of one criterion (the reference semantics; the durable engine falls
    back to it for values durable-rules cannot hold)."""
    cid, applies, levels, verdicts = entry
    try:
        if applies is None:
            app: Any = ALWAYS
        else:
            app = applies(data, ctx)
            if app is not True and app is not False and app is not None:
                raise _not_a_truth_value(app)
        values: list[tuple[str, bool | None]] = []
        if app is True or app is ALWAYS:
            for name, fn in levels:
                v = fn(data, ctx)
                if v is True:
                    values.append((name, True))
                    break
                if v is not False and v is not None:
                    raise _not_a_truth_value(v)
                values.append((name, v))
        return verdicts[decide(app, values)]
    except Exception as exc:  # a check that cannot run is an `error`, never a pass
        return Verdict(cid, "error", f"{type(exc).__name__}: {exc}")


def _not_a_truth_value(value: Any) -> TypeError:
    return TypeError(f"condition produced {value!r}, not a truth value")
