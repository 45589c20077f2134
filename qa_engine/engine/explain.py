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
from qa_engine.lang import wording
from qa_engine.lang.ast import Expr
from qa_engine.lang.evaluator import Context, explain_raw
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

#: values read that a report lists per criterion (declared evidence comes on top)
MAX_EVIDENCE = 25
#: the path of the evidence entry that counts the values read but not listed
OMITTED_PATH = "…"
#: deciding facts an explanation names
_MAX_SHOWN = 6


def omitted_text(n: int) -> str:
    return f"(and {n} more value{'s' if n != 1 else ''})"


class PartView(NamedTuple):
    text: str  # as written in the rule, a `not` in front of a test included
    held: bool | None  # whether the part as written held
    detail: str
    decides: bool = True  # among the parts that decided the condition's value


class ExplainedVerdict(NamedTuple):
    criterion: str
    state: str
    explanation: str
    parts: tuple[PartView, ...]
    evidence: tuple[tuple[str, Any], ...]
    condition: str | None  # the condition text that was explained
    error: str | None = None


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


def _short_of_met(
    c: CompiledCriterion, data: dict[str, Any], ctx: Context, names: dict[str, str] | None
) -> list[str]:
    """The parts that kept the `met` condition from holding."""
    met = next((lv for lv in c.levels if lv.level == "met"), None)
    if met is None:
        return []
    ex = explain_raw(met.expr, data, ctx, max_evidence=1, names=names)
    return wording.dedupe_clauses(
        detail for _, held, detail, _, _, decides in ex.parts if decides and held is not True
    )


def _level_to_explain(
    c: CompiledCriterion,
    state: str,
    data: dict[str, Any],
    ctx: Context,
    limit: int | None,
    names: dict[str, str] | None,
) -> Any:
    """The level whose condition explains ``state``: the level reached; for ``not_met``
    the `met` bar; for ``unknown`` the first level that could not be decided (levels
    are tried top down, and the first unknown one makes the verdict unknown)."""
    for lv in c.levels:
        if lv.level == state:
            return lv, None
    if state == "unknown":
        for lv in c.levels:
            ex = explain_raw(lv.expr, data, ctx, max_evidence=limit, names=names)
            if ex.value is None:
                return lv, ex
    # not_met: explain the "met" bar, or the lowest level
    return next((lv for lv in c.levels if lv.level == "met"), c.levels[-1]), None


def explain_verdict(
    c: CompiledCriterion,
    verdict: Verdict,
    data: dict[str, Any],
    as_of: _dt.date,
    states: Mapping[str, str],
    *,
    ctx: Context | None = None,
    max_evidence: int | None = MAX_EVIDENCE,
    names: dict[str, str] | None = None,
) -> ExplainedVerdict:
    """Explain ``verdict`` for a report.

    ``ctx`` may be given to share one Context (``as_of`` and ``states``) across the
    criteria of a dossier. At most ``max_evidence`` values read are listed (None: all),
    then the declared evidence not among them, then an ``OMITTED_PATH`` entry that
    counts the values read but not listed. ``names``: one dict per dossier, shared by
    its criteria, in which the item paths named in words are kept (each path is looked
    up in the dossier once).
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
    expr: Expr | None = None
    if c.applies is not None and state in ("not_applicable", "unknown"):
        ex = explain_raw(c.applies, data, ctx, max_evidence=limit, names=names)
        if state == "unknown" and ex.value is not None:
            ex = None  # it applies; a level condition was unknown
        else:
            text = c.spec.applies_when
            expr = c.applies
    if ex is None:
        level, ex = _level_to_explain(c, state, data, ctx, limit, names)
        text = level.text
        expr = level.expr
        if ex is None:
            ex = explain_raw(expr, data, ctx, max_evidence=limit, names=names)
    assert expr is not None
    parts = tuple(PartView(t, held, detail, decides) for t, held, detail, _, _, decides in ex.parts)
    if state == "not_applicable" and expr is c.applies:  # where it applies, not a failure
        parts = tuple(p._replace(detail=wording.scope(p.detail)) if p.held is False else p for p in parts)
    # the reasons: the parts that decided the condition's value, each fact once
    relevant = wording.dedupe_clauses(clause for p in parts if p.decides for clause in p.detail.split("; "))
    # keep explanations short: the deciding facts, at most six
    if relevant:
        explanation = f"{_STATE_TEXT[state]}: " + "; ".join(relevant[:_MAX_SHOWN])
        if len(relevant) > _MAX_SHOWN:
            explanation += f" (and {len(relevant) - _MAX_SHOWN} more)"
    else:
        explanation = _STATE_TEXT[state]
    if state == "partially_met":  # say also what falls short of `met`
        short = [s for s in _short_of_met(c, data, ctx, names) if s not in relevant]
        if short:
            explanation += "; short of met: " + "; ".join(wording.clip(s, 300) for s in short[:3])
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
