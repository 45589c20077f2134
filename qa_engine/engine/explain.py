"""Explanations of verdicts: which parts of the deciding condition held, and the values read.

The engines only decide states; explaining runs the pure-Python explainer over the one
condition that decided each criterion (or the ones that failed), so that a report can
print "not met: assessments[2].weight = 0.05, required >= 0.1".
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..lang.ast import Binary, Expr, Unary
from ..lang.evaluator import Context, explain
from ..lang.printer import to_source
from ..registry import CompiledCriterion
from .verdicts import Verdict

_STATE_TEXT = {
    "exemplary": "exemplary",
    "met": "met",
    "partially_met": "partially met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "unknown": "unknown (evidence missing)",
    "error": "error (the check could not run)",
}


#: values read that a report lists per criterion (declared evidence comes on top)
MAX_EVIDENCE = 25
#: the path of the evidence entry that counts the values read but not listed
OMITTED_PATH = "…"


def omitted_text(n: int) -> str:
    return f"(and {n} more value{'s' if n != 1 else ''})"


@dataclass(frozen=True)
class PartView:
    text: str
    held: bool | None
    detail: str


@dataclass(frozen=True)
class ExplainedVerdict:
    criterion: str
    state: str
    explanation: str
    parts: tuple[PartView, ...]
    evidence: tuple[tuple[str, Any], ...]
    condition: str | None  # the condition text that was explained
    error: str | None = None


def _negated_parts(expr: Expr, negated: bool = False, out: dict[str, bool] | None = None) -> dict[str, bool]:
    """Canonical text of each atomic part -> whether an odd number of `not`s encloses it.

    A part's ``held`` is its own value; under ``not`` it counts the other way round.
    """
    out = {} if out is None else out
    if isinstance(expr, Unary) and expr.op == "not":
        _negated_parts(expr.operand, not negated, out)
    elif isinstance(expr, Binary) and expr.op in ("and", "or"):
        _negated_parts(expr.left, negated, out)
        _negated_parts(expr.right, negated, out)
    else:
        out.setdefault(to_source(expr), negated)
    return out


def _polarity(expr: Expr) -> dict[str, bool]:
    """``_negated_parts(expr)``, kept on the (immutable) tree like ``to_source`` keeps its text."""
    cached: dict[str, bool] | None = expr.__dict__.get("_polarity")
    if cached is None:
        cached = _negated_parts(expr)
        object.__setattr__(expr, "_polarity", cached)
    return cached


def _effect(held: bool | None, negated: bool) -> bool | None:
    return (not held) if (negated and held is not None) else held


def _read(data: Any, path: str) -> Any:
    cur = data
    for seg in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(seg)
    return cur


def explain_verdict(
    c: CompiledCriterion,
    verdict: Verdict,
    data: dict[str, Any],
    as_of: _dt.date,
    states: Mapping[str, str],
    *,
    max_evidence: int | None = MAX_EVIDENCE,
) -> ExplainedVerdict:
    """Explain ``verdict`` for a report. At most ``max_evidence`` values read are listed
    (then the criterion's declared evidence, then an ``OMITTED_PATH`` entry counting the
    values not listed); None lists them all."""
    state = verdict.state
    if state == "error":
        return ExplainedVerdict(
            c.id,
            state,
            f"error: {verdict.error or 'the check could not run'}",
            (),
            (),
            None,
            verdict.error,
        )
    ctx = Context(as_of=as_of, states=states)  # read only: no copy per criterion
    ex = None
    if c.applies is not None and state in ("not_applicable", "unknown"):
        ex = explain(c.applies, data, ctx, max_evidence=max_evidence)
        if state == "unknown" and ex.value is not None:
            ex = None  # it applies; a level condition was unknown
        else:
            text: str | None = c.spec.applies_when
            want: bool | None = False if state == "not_applicable" else None
            polarity = _polarity(c.applies)
    if ex is None:
        level = next((lv for lv in c.levels if lv.level == state), None)
        if level is None:  # not_met / unknown: explain the "met" bar, or the lowest level
            level = next((lv for lv in c.levels if lv.level == "met"), c.levels[-1])
        text = level.text
        want = (
            True
            if state in ("exemplary", "met", "partially_met")
            else (None if state == "unknown" else False)
        )
        ex = explain(level.expr, data, ctx, max_evidence=max_evidence)
        polarity = _polarity(level.expr)
    parts = tuple(PartView(p.text, p.held, p.detail) for p in ex.parts)
    relevant = list(
        dict.fromkeys(
            [p.detail for p in parts if _effect(p.held, polarity.get(p.text, False)) is want]
            or [p.detail for p in parts]
        )
    )
    # keep explanations short: the deciding parts, at most five
    shown = relevant[:5]
    more = f" (and {len(relevant) - 5} more)" if len(relevant) > 5 else ""
    explanation = (
        f"{_STATE_TEXT[state]}: " + "; ".join(shown) + more if shown else _STATE_TEXT[state]
    )
    evidence: list[tuple[str, Any]] = [(e.path, e.value) for e in ex.evidence]
    if c.spec.evidence:
        seen = {p for p, _ in evidence}
        for extra in c.spec.evidence:  # declared evidence is always listed
            if extra not in seen:
                evidence.append((extra, _read(data, extra)))
    if ex.evidence_omitted:
        evidence.append((OMITTED_PATH, omitted_text(ex.evidence_omitted)))
    return ExplainedVerdict(
        c.id, state, explanation, parts, tuple(evidence), " ".join(text.split()) if text else None
    )
