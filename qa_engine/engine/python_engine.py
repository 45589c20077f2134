"""The pure-Python engine: the condition tree compiled once into closures.

It is the reference the durable-rules engine is tested against, and the engine where
durable-rules cannot be imported (Python 3.13+).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from ..lang.evaluator import Context, compile_expr
from ..registry import LoadedRuleset
from .verdicts import ALWAYS, Verdict, decide

Fn = Callable[[dict[str, Any], Context], Any]


class PythonEngine:
    name = "python"

    def __init__(self, ruleset: LoadedRuleset) -> None:
        self.ruleset = ruleset
        self._plan: list[list[tuple[str, Fn | None, list[tuple[str, Fn]]]]] = []
        for stratum in ruleset.strata:
            group = []
            for c in stratum:
                applies = compile_expr(c.applies) if c.applies is not None else None
                levels = [(lv.level, compile_expr(lv.expr)) for lv in c.levels]
                group.append((c.id, applies, levels))
            self._plan.append(group)

    def evaluate(self, data: dict[str, Any], as_of: _dt.date) -> dict[str, Verdict]:
        states: dict[str, str] = {}
        ctx = Context(as_of=as_of, states=states)
        out: dict[str, Verdict] = {}
        for group in self._plan:
            for cid, applies, levels in group:
                try:
                    app: Any = ALWAYS if applies is None else _tri(applies(data, ctx))
                    values: list[tuple[str, bool | None]] = []
                    if app is True or app == ALWAYS:
                        for name, fn in levels:
                            v = _tri(fn(data, ctx))
                            values.append((name, v))
                            if v is True:
                                break
                    v_state = decide(app, values)
                    out[cid] = Verdict(cid, v_state)
                except Exception as exc:  # a check that cannot run is an `error`, never a pass
                    out[cid] = Verdict(cid, "error", f"{type(exc).__name__}: {exc}")
                states[cid] = out[cid].state
        return out


def _tri(value: Any) -> bool | None:
    if value is True or value is False or value is None:
        return value
    raise TypeError(f"condition produced {value!r}, not a truth value")
