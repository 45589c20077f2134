"""Explanations of verdicts: which parts of the deciding condition held, and the values read.

The engines only decide states; explaining runs the pure-Python explainer over the one
condition that decided each criterion (or the ones that failed), so that a report can
print "not met: assessments[2].weight = 0.05, required >= 0.1".

Explainers are compiled once per condition (see ``lang.evaluator.explain``); a report
lists at most ``MAX_EVIDENCE`` values read per criterion, then the criterion's declared
evidence, then one entry at ``OMITTED_PATH`` that counts the values not listed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from qa_engine.engine.verdicts import Verdict
from qa_engine.lang.ast import Binary, Expr, Unary
from qa_engine.lang.evaluator import Context, explain_raw
from qa_engine.lang.printer import to_source
from qa_engine.rules.registry import CompiledCriterion

_STATE_TEXT = {
    "exemplary": "exemplary",
    "met": "met",
    "partially_met": "partially met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "unknown": "unknown (evidence missing)",
    "error": "error (the check could not run)",
}
#: what a state shows when its condition is explained: the parts that held, failed or were unknown
_WANT: dict[str, bool | None] = {
    "exemplary": True,
    "met": True,
    "partially_met": True,
    "unknown": None,
}

#: values read that a report lists per criterion (declared evidence comes on top)
MAX_EVIDENCE = 25
#: the path of the evidence entry that counts the values read but not listed
OMITTED_PATH = "…"
#: deciding parts an explanation names
_MAX_SHOWN = 5


def omitted_text(n: int) -> str:
    return f"(and {n} more value{'s' if n != 1 else ''})"


class PartView(NamedTuple):
    text: str
    held: bool | None
    detail: str


class ExplainedVerdict(NamedTuple):
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


@lru_cache(maxsize=4096)
def _one_line(text: str) -> str:
    return " ".join(text.split())


def _read(data: Any, path: str) -> Any:
    cur = data
    for seg in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(seg)
    return cur


def _short_of_met(c: CompiledCriterion, data: dict[str, Any], ctx: Context) -> list[str]:
    """The parts of the `met` condition that failed (or were unknown)."""
    met = next((lv for lv in c.levels if lv.level == "met"), None)
    if met is None:
        return []
    ex = explain_raw(met.expr, data, ctx, max_evidence=1)
    polarity = _polarity(met.expr)
    out = []
    for t, held, detail, _, _ in ex.parts:
        if held is not None and polarity.get(t, False):
            held = not held
        if held is not True:
            out.append(detail if len(detail) <= 160 else detail[:157].rstrip() + "...")
    return list(dict.fromkeys(out))


def explain_verdict(
    c: CompiledCriterion,
    verdict: Verdict,
    data: dict[str, Any],
    as_of: _dt.date,
    states: Mapping[str, str],
    *,
    ctx: Context | None = None,
    max_evidence: int | None = MAX_EVIDENCE,
) -> ExplainedVerdict:
    """Explain ``verdict`` for a report.

    ``ctx`` may be given to share one Context (``as_of`` and ``states``) across the
    criteria of a dossier. At most ``max_evidence`` values read are listed (None: all),
    then the declared evidence not among them, then an ``OMITTED_PATH`` entry that
    counts the values read but not listed.
    """
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
    if ctx is None:
        ctx = Context(as_of=as_of, states=states)  # read only: no copy
    # one more than listed: a marker never stands in for a single value
    limit = None if max_evidence is None else max_evidence + 1
    ex = None
    text: str | None = None
    want: bool | None = None
    expr: Expr | None = None
    if c.applies is not None and state in ("not_applicable", "unknown"):
        ex = explain_raw(c.applies, data, ctx, max_evidence=limit)
        if state == "unknown" and ex.value is not None:
            ex = None  # it applies; a level condition was unknown
        else:
            text = c.spec.applies_when
            want = False if state == "not_applicable" else None
            expr = c.applies
    if ex is None:
        level = None
        for lv in c.levels:
            if lv.level == state:
                level = lv
                break
        if level is None:  # not_met / unknown: explain the "met" bar, or the lowest level
            level = next((lv for lv in c.levels if lv.level == "met"), c.levels[-1])
        text = level.text
        want = _WANT.get(state, False)
        expr = level.expr
        ex = explain_raw(expr, data, ctx, max_evidence=limit)
    assert expr is not None
    polarity = _polarity(expr)
    parts = tuple(PartView(t, held, detail) for t, held, detail, _, _ in ex.parts)
    deciding = []
    for p in parts:
        held = p.held
        if held is not None and polarity.get(p.text, False):
            held = not held
        if held is want:
            deciding.append(p.detail)
    relevant = list(dict.fromkeys(deciding or [p.detail for p in parts]))
    # keep explanations short: the deciding parts, at most five
    if relevant:
        explanation = f"{_STATE_TEXT[state]}: " + "; ".join(relevant[:_MAX_SHOWN])
        if len(relevant) > _MAX_SHOWN:
            explanation += f" (and {len(relevant) - _MAX_SHOWN} more)"
    else:
        explanation = _STATE_TEXT[state]
    if state == "partially_met":  # say also what falls short of `met`
        short = _short_of_met(c, data, ctx)
        if short:
            explanation += "; short of met: " + "; ".join(short[:3])
    evidence = ex.evidence
    omitted = ex.evidence_omitted
    if omitted and max_evidence is not None:
        omitted += len(evidence) - max_evidence
        evidence = evidence[:max_evidence]
    if c.spec.evidence:
        seen = {p for p, _ in evidence}
        extra = [(p, _read(data, p)) for p in c.spec.evidence if p not in seen]  # declared: always listed
        evidence = evidence + extra
    if omitted:
        evidence = [*evidence, (OMITTED_PATH, omitted_text(omitted))]
    return ExplainedVerdict(
        c.id, state, explanation, parts, tuple(evidence), _one_line(text) if text else None
    )
