"""What changed between two ruleset versions, and whom it affects.

The structural diff compares criteria on their normalised condition trees (so
reformatting a condition is not a change), pairs renamed criteria through ``replaces``,
and compares the two rubrics. The impact analysis re-evaluates a corpus under both
versions and attributes each dossier's score delta to the criteria that caused it:
per dossier, the criteria contributions add up exactly to the score delta.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from qa_engine.errors import InputError, QAError
from qa_engine.formats.diffreport import (
    CriterionChange,
    CriterionImpact,
    DiffReport,
    DossierImpact,
    FieldChange,
    Impact,
    ImpactSummary,
    VersionRef,
)
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import load_dossier
from qa_engine.lang.printer import to_source
from qa_engine.rules.registry import CompiledCriterion, LoadedRubric, LoadedRuleset
from qa_engine.scoring import pct, pct_delta, score
from qa_engine.services.check import Setup, dossier_data, evaluate

# ------------------------------------------------------------------ structural


def _levels(c: CompiledCriterion) -> dict[str, str]:
    return {lv.level: to_source(lv.expr) for lv in c.levels}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _criterion_fields(c: CompiledCriterion, rs: LoadedRuleset) -> dict[str, Any]:
    s = c.spec
    out: dict[str, Any] = {
        "title": _norm(s.title),
        "area": c.area,
        "weight": float(c.weight),
        "essential": s.essential,
        "applies_when": to_source(c.applies) if c.applies is not None else None,
    }
    levels = _levels(c)
    for name in ("exemplary", "met", "partially_met"):
        out[f"levels.{name}"] = levels.get(name)
    out["rationale"] = _norm(s.rationale)
    out["remediation"] = _norm(s.remediation)
    out["references"] = [r.title for r in s.references]
    out["evidence"] = list(s.evidence)
    return out


def _compare(a: CompiledCriterion, ra: LoadedRuleset, b: CompiledCriterion, rb: LoadedRuleset) -> list[FieldChange]:
    fa, fb = _criterion_fields(a, ra), _criterion_fields(b, rb)
    return [FieldChange(field=k, before=fa[k], after=fb[k]) for k in fa if fa[k] != fb[k]]


def structural_changes(a: LoadedRuleset, b: LoadedRuleset) -> tuple[list[CriterionChange], dict[str, str]]:
    """Criterion changes from ``a`` to ``b`` and the rename map (old id -> new id)."""
    ids_a = {c.id: c for c in a.criteria}
    ids_b = {c.id: c for c in b.criteria}
    only_a = [c for c in a.criteria if c.id not in ids_b]
    only_b = [c for c in b.criteria if c.id not in ids_a]
    renames: dict[str, str] = {}
    for cb in only_b:
        for ca in only_a:
            if ca.id in renames:
                continue
            if ca.id in cb.spec.replaces or cb.id in ca.spec.replaces:
                renames[ca.id] = cb.id
                break
    renamed_to = set(renames.values())
    changes: list[CriterionChange] = []
    for ca in a.criteria:
        if ca.id in ids_b:
            cb = ids_b[ca.id]
            fields = _compare(ca, a, cb, b)
            if fields:
                changes.append(CriterionChange(criterion=ca.id, kind="changed", title=_norm(cb.spec.title), fields=fields))
        elif ca.id in renames:
            cb = ids_b[renames[ca.id]]
            changes.append(
                CriterionChange(
                    criterion=cb.id, kind="renamed", title=_norm(cb.spec.title), previous_id=ca.id,
                    fields=_compare(ca, a, cb, b),
                )
            )
        else:
            changes.append(CriterionChange(criterion=ca.id, kind="removed", title=_norm(ca.spec.title)))
    for cb in b.criteria:
        if cb.id not in ids_a and cb.id not in renamed_to:
            changes.append(CriterionChange(criterion=cb.id, kind="added", title=_norm(cb.spec.title)))
    return changes, renames


def rubric_changes(a: LoadedRubric, b: LoadedRubric) -> list[FieldChange]:
    if a.sha256 == b.sha256:
        return []
    sa, sb = a.spec, b.spec
    out: list[FieldChange] = []

    def cmp(name: str, x: Any, y: Any) -> None:
        if x != y:
            out.append(FieldChange(field=name, before=x, after=y))

    cmp("rubric", a.ref, b.ref)
    cmp("scoring", sa.scoring, sb.scoring)
    for lv in ("exemplary", "met", "partially_met", "not_met"):
        cmp(f"credits.{lv}", sa.credits.get(lv), sb.credits.get(lv))
    cmp("unknown_credit", sa.unknown_credit, sb.unknown_credit)
    for area in sorted(set(sa.area_weights) | set(sb.area_weights)):
        cmp(f"area_weights.{area}", sa.area_weights.get(area, 1.0), sb.area_weights.get(area, 1.0))
    bands_a = {x.id: x for x in sa.bands}
    bands_b = {x.id: x for x in sb.bands}
    cmp("bands.order", [x.id for x in sa.bands], [x.id for x in sb.bands])
    for bid in list(bands_a) + [x for x in bands_b if x not in bands_a]:
        ba, bb = bands_a.get(bid), bands_b.get(bid)
        if ba is None or bb is None:
            cmp(f"bands.{bid}", ba.model_dump() if ba else None, bb.model_dump() if bb else None)
            continue
        for k in ("label", "min_score", "max_essential_failures", "passes"):
            cmp(f"bands.{bid}.{k}", getattr(ba, k), getattr(bb, k))
    return out


# ------------------------------------------------------------------ impact


@dataclass
class _Side:
    states: dict[str, str]
    decision: str
    passed: bool
    percent: Fraction
    contributions: dict[str, Fraction] = field(default_factory=dict)


def _run(setup: Setup, data: dict[str, Any]) -> _Side:
    verdicts = evaluate(setup, data)
    states = {k: v.state for k, v in verdicts.items()}
    r = score(setup.ruleset, setup.rubric, states)
    return _Side(states, r.band.id, r.passed, r.percent, dict(r.contributions))


def impact_of(
    a: Setup, b: Setup, dossiers: Iterable[tuple[str | None, Dossier]], renames: dict[str, str],
    rejected: Sequence[str] = (),
) -> Impact:
    back = {new: old for old, new in renames.items()}
    bands = [x.id for x in b.rubric.spec.bands]
    results: list[DossierImpact] = []
    for file, d in dossiers:
        data = dossier_data(d)
        before, after = _run(a, data), _run(b, data)
        crits: list[CriterionImpact] = []
        keys = list(dict.fromkeys([*(renames.get(k, k) for k in before.states), *after.states]))
        for cid in keys:
            old = back.get(cid, cid)
            sb = before.states.get(old)
            sa = after.states.get(cid)
            delta = after.contributions.get(cid, Fraction(0)) - before.contributions.get(old, Fraction(0))
            if sb != sa or delta != 0:
                crits.append(
                    CriterionImpact(
                        id=cid, state_before=sb, state_after=sa,
                        score_contribution=pct_delta(delta), score_contribution_exact=str(delta),
                    )
                )
        delta_total = after.percent - before.percent
        results.append(
            DossierImpact(
                id=d.id, file=file, decision_before=before.decision, decision_after=after.decision,
                passed_before=before.passed, passed_after=after.passed,
                score_before=pct(before.percent) or 0.0, score_after=pct(after.percent) or 0.0,
                score_delta=pct_delta(delta_total), score_delta_exact=str(delta_total), criteria=crits,
            )
        )
    transitions: dict[str, int] = {}
    improved = worsened = p2f = f2p = 0
    for r in results:
        if r.decision_before != r.decision_after:
            key = f"{r.decision_before} -> {r.decision_after}"
            transitions[key] = transitions.get(key, 0) + 1
            ib = bands.index(r.decision_before) if r.decision_before in bands else len(bands)
            ia = bands.index(r.decision_after)
            if ia < ib:
                improved += 1
            else:
                worsened += 1
        if r.passed_before and not r.passed_after:
            p2f += 1
        if not r.passed_before and r.passed_after:
            f2p += 1
    changed = sum(transitions.values())
    return Impact(
        as_of=b.as_of, dossiers=results,
        summary=ImpactSummary(
            dossiers=len(results), decision_changed=changed, improved=improved, worsened=worsened,
            unchanged=len(results) - changed, pass_to_fail=p2f, fail_to_pass=f2p,
            transitions=dict(sorted(transitions.items())), rejected=list(rejected),
        ),
    )


def load_corpus(paths: Sequence[str | Path]) -> tuple[list[tuple[str | None, Dossier]], list[str]]:
    """Dossiers from files and folders; bad ones are listed, the rest go on."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(f for f in path.rglob("*") if f.suffix in (".yaml", ".yml", ".json")))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{p} does not exist", hint="pass a folder or files of dossiers to --corpus")
    out: list[tuple[str | None, Dossier]] = []
    rejected: list[str] = []
    for f in files:
        try:
            out.append((str(f), load_dossier(f)))
        except QAError as exc:
            rejected.append(str(exc))
    return out, rejected


def diff(
    a: Setup, b: Setup, *, corpus: Sequence[str | Path] | None = None,
    dossiers: Iterable[tuple[str | None, Dossier]] | None = None,
) -> DiffReport:
    changes, renames = structural_changes(a.ruleset, b.ruleset)
    impact = None
    if corpus is not None or dossiers is not None:
        items: list[tuple[str | None, Dossier]] = list(dossiers or [])
        rejected: list[str] = []
        if corpus is not None:
            more, rejected = load_corpus(corpus)
            items.extend(more)
        impact = impact_of(a, b, items, renames, rejected)

    def ref(s: Setup) -> VersionRef:
        return VersionRef(
            id=s.ruleset.id, version=s.ruleset.version, sha256=s.ruleset.sha256,
            rubric=s.rubric.ref, rubric_sha256=s.rubric.sha256,
        )

    return DiffReport.model_validate(
        {
            "from": ref(a), "to": ref(b), "changes": changes,
            "rubric_changes": rubric_changes(a.rubric, b.rubric), "impact": impact,
        }
    )
