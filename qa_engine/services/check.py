"""Checking one dossier: evaluate, explain, score and build the report model.

This is the library function behind ``qa-engine check``; batch and diff call it too.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from qa_engine import __version__
from qa_engine.engine import get_engine
from qa_engine.engine.explain import explain_verdict
from qa_engine.engine.verdicts import Verdict, settle_unresolved
from qa_engine.formats.dossier import Dossier, dates_after
from qa_engine.formats.loader import load_dossier
from qa_engine.formats.report import Report
from qa_engine.hashing import sha256_of
from qa_engine.lang.evaluator import Context
from qa_engine.rules.registry import LoadedRubric, LoadedRuleset, Registry
from qa_engine.scoring import ScoreResult, pct, score
from qa_engine.textsafe import safe_json

DEFAULT_RULESET = "qa-starter"


@dataclass(frozen=True)
class Setup:
    """A resolved ruleset + rubric + engine, reused for many dossiers."""

    ruleset: LoadedRuleset
    rubric: LoadedRubric
    engine: str
    as_of: _dt.date
    #: Things the user should know about this setup (e.g. the as-of date lies outside
    #: the ruleset version's effective range); shown by the CLI, kept in report notes.
    warnings: tuple[str, ...] = ()


def effective_range_warning(rs: LoadedRuleset, day: _dt.date) -> str | None:
    """A warning when ``day`` lies outside the version's effective range (a pinned
    ``id@version`` is used whatever the date, so the date may not fit it)."""
    until = rs.effective_until
    span = f"from {rs.effective_from.isoformat()}" + (
        f" until {until.isoformat()} (not included)" if until else " with no end date"
    )
    if day < rs.effective_from:
        where = "before it takes effect"
    elif until is not None and day >= until:
        where = "after it ceased to be in effect"
    else:
        return None
    return (
        f"ruleset {rs.ref} is in effect {span}; the as-of date {day.isoformat()} lies {where}, "
        "so this evaluation applies a version that was not in force on that date"
    )


def resolve(
    *,
    ruleset: str | None = None,
    rubric: str | None = None,
    as_of: _dt.date | None = None,
    engine: str | None = None,
    registry: Registry | None = None,
) -> Setup:
    reg = registry or Registry()
    day = as_of or _dt.date.today()
    rs = reg.ruleset(ruleset or DEFAULT_RULESET, as_of=as_of)
    rb = reg.rubric_for(rs, rubric)
    eng = get_engine(rs, engine)
    warning = effective_range_warning(rs, day)
    return Setup(rs, rb, eng.name, day, (warning,) if warning else ())


def dossier_data(d: Dossier) -> dict[str, Any]:
    return d.model_dump(mode="python")


def dossier_sha256(d: Dossier) -> str:
    return sha256_of(d.model_dump(mode="json", exclude_none=True))


def evaluate(setup: Setup, data: dict[str, Any]) -> dict[str, Verdict]:
    verdicts = get_engine(setup.ruleset, setup.engine).evaluate(data, setup.as_of)
    source = data.get("source") or {}
    unresolved = source.get("unresolved") if isinstance(source, dict) else None
    if unresolved:
        evidence = {c.id: tuple(c.spec.evidence) or c.paths for c in setup.ruleset.criteria}
        verdicts = settle_unresolved(verdicts, evidence, unresolved)
    return verdicts


def unresolved_explanation(note: str) -> str:
    """The explanation of a criterion left unknown by an import note (never met or not
    met on data that is only related to the element)."""
    return (
        "unknown: the imported document carries something related to this element but not "
        f"the element itself ({note}). Confirm the element from the credential and record it "
        "in the dossier."
    )


def check_dossier(
    setup: Setup, dossier: Dossier, *, file: str | None = None, sha256: str | None = None
) -> Report:
    """Evaluate, score and explain one dossier. ``sha256`` is the dossier's content
    hash when the caller has it already (:func:`dossier_sha256`)."""
    data = dossier_data(dossier)
    verdicts = evaluate(setup, data)
    states = {cid: v.state for cid, v in verdicts.items()}
    result = score(setup.ruleset, setup.rubric, states)
    return build_report(setup, dossier, data, verdicts, result, file=file, sha256=sha256)


def check_file(setup: Setup, path: str | Path) -> Report:
    dossier = load_dossier(path)
    return check_dossier(setup, dossier, file=str(path))


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _JSON_SCALARS:
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _provenance(dossier: Dossier) -> dict[str, str]:
    return dict(dossier.source.provenance) if dossier.source is not None else {}


def _source_of(prov: dict[str, str], path: str) -> str | None:
    """The provenance of ``path`` or of its nearest recorded ancestor."""
    p = path
    while p:
        if p in prov:
            return prov[p]
        cut = max(p.rfind("."), p.rfind("["))
        p = p[:cut] if cut > 0 else ""
    return None


def _f(x: Fraction) -> float:
    return float(x)


_STATIC: dict[int, tuple[LoadedRuleset, list[dict[str, Any]]]] = {}


def _static_fields(rs: LoadedRuleset) -> list[dict[str, Any]]:
    """The report fields of each criterion that do not depend on the dossier, once per
    ruleset (by identity: an entry keeps its ruleset, so ids are not reused)."""
    hit = _STATIC.get(id(rs))
    if hit is None or hit[0] is not rs:
        if len(_STATIC) >= 32:
            _STATIC.pop(next(iter(_STATIC)))
        hit = (rs, [
            {
                "id": c.id, "title": c.spec.title, "area": c.area, "area_title": rs.area_title(c.area),
                "essential": c.essential, "weight": _f(c.weight),
                "rationale": c.spec.rationale.strip(), "remediation": c.spec.remediation.strip(),
                "references": [r.model_dump() for r in c.spec.references], "sha256": c.sha256,
            }
            for c in rs.criteria
        ])
        _STATIC[id(rs)] = hit
    return hit[1]


def build_report(
    setup: Setup,
    dossier: Dossier,
    data: dict[str, Any],
    verdicts: dict[str, Verdict],
    result: ScoreResult,
    *,
    file: str | None = None,
    sha256: str | None = None,
) -> Report:
    rs, rb = setup.ruleset, setup.rubric
    states = {cid: v.state for cid, v in verdicts.items()}
    ctx = Context(as_of=setup.as_of, states=states)
    names: dict[str, str] = {}  # the dossier's item paths named in words, shared by its criteria
    prov = _provenance(dossier)
    by_score = {c.id: c for c in result.criteria}
    # the report is assembled as plain data and validated once (much cheaper than one
    # model per criterion, evidence item and part)
    crits: list[dict[str, Any]] = []
    for c, static in zip(rs.criteria, _static_fields(rs), strict=True):
        v = verdicts[c.id]
        ex = explain_verdict(c, v, data, setup.as_of, states, ctx=ctx, names=names)
        sc = by_score[c.id]
        crits.append(
            {
                **static,
                "state": v.state, "essential_failed": sc.essential_failed,
                "points": _f(sc.points), "max_points": _f(sc.max_points),
                "evidence": [
                    {
                        "path": p,
                        "value": val if type(val) in _JSON_SCALARS else _jsonable(val),
                        "source": _source_of(prov, p) if prov else None,
                    }
                    for p, val in ex.evidence
                ],
                "explanation": unresolved_explanation(v.note) if v.note else ex.explanation,
                "condition": ex.condition,
                "parts": [{"text": p.text, "held": p.held, "detail": p.detail} for p in ex.parts],
                "error": v.error,
            }
        )
    # essential failures first, then by the order of the ruleset
    order = {c.id: i for i, c in enumerate(rs.criteria)}
    crits.sort(key=lambda r: (not r["essential_failed"], order[r["id"]]))
    counts = Counter(states.values())
    nxt = None
    if result.next_band is not None:
        nxt = {
            "decision": result.next_band.id, "label": result.next_band.label,
            "reachable": bool(result.plan_reaches),
            "fixes_needed": sum(1 for f in result.fixes if f.in_plan),
        }
    provider = dossier.provider.name if dossier.provider is not None else None
    return Report.model_validate(
        {
            "engine_version": __version__, "engine": setup.engine, "as_of": setup.as_of,
            "decision": result.band.id, "decision_label": result.band.label, "passed": result.passed,
            "score": pct(result.percent) or 0.0, "score_exact": str(result.percent),
            "scoring_model": result.model,
            "ruleset": {"id": rs.id, "version": rs.version, "sha256": rs.sha256, "title": rs.title},
            "rubric": {"id": rb.id, "version": rb.version, "sha256": rb.sha256, "title": rb.spec.title},
            "dossier": {
                "id": dossier.id, "sha256": sha256 or dossier_sha256(dossier), "title": dossier.title,
                "provider": provider, "file": file,
                "imported_from": dossier.source.format if dossier.source is not None else None,
                "import_notes": list(dossier.source.notes) if dossier.source is not None else [],
            },
            "areas": [
                {
                    "id": a.id, "title": a.title, "score": pct(a.percent), "points": _f(a.points),
                    "max_points": _f(a.max_points), "weight": _f(a.weight), "counted": a.counted,
                    "failed": a.failed,
                }
                for a in result.areas
            ],
            "essential_failures": list(result.essential_failures),
            "counts": {s: counts[s] for s in sorted(counts)},
            "criteria": crits,
            "fixes": [
                {
                    "criterion": f.criterion, "title": f.title, "area": f.area, "state": f.state,
                    "essential": f.essential, "clears_essential": f.clears_essential,
                    "gain": pct(f.gain) or 0.0, "in_plan": f.in_plan,
                }
                for f in result.fixes
            ],
            "next_decision": nxt,
            "notes": [*setup.warnings, *dates_after(dossier, setup.as_of), *result.notes],
        }
    )


def report_json(report: Report) -> str:
    """Stable JSON: same report -> same bytes.

    Serialised by pydantic-core (several times faster than ``json.dumps`` of
    ``model_dump``, and deterministic). The bytes are those of ``json.dumps(...,
    indent=2, ensure_ascii=False)`` except for tiny floats, which pydantic-core spells
    differently (``1e-05`` as ``0.00001``, ``1.5e-07`` as ``1.5e-7``: same numbers),
    and NaN/infinity, which become ``null`` (valid JSON, where ``json.dumps`` wrote
    ``NaN``). DEL, C1 and line-separator characters are written as ``\\uXXXX``
    escapes (:func:`qa_engine.textsafe.safe_json`: the same JSON value), so that the
    report is safe to print on a terminal.
    """
    return safe_json(report.model_dump_json(indent=2)) + "\n"
