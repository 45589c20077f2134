"""What changed between two ruleset versions, and whom it affects.

The structural diff compares criteria on their normalised condition trees (so
reformatting a condition is not a change), pairs renamed criteria through ``replaces``,
and compares the two rubrics. The impact analysis re-evaluates a corpus under both
versions and attributes each dossier's score delta to the criteria that caused it:
per dossier, the criteria contributions add up exactly to the score delta.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .check import Setup, dossier_data, evaluate
from .dossier import Dossier
from .errors import InputError, QAError
from .lang.printer import to_source
from .loader import load_dossier
from .registry import CompiledCriterion, LoadedRubric, LoadedRuleset
from .scoring import pct, pct_delta, score

DIFF_SCHEMA = "qa-engine.diff/1"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VersionRef(_M):
    id: str
    version: str
    sha256: str
    rubric: str
    rubric_sha256: str


class FieldChange(_M):
    field: str
    before: Any = None
    after: Any = None


class CriterionChange(_M):
    criterion: str
    kind: Literal["added", "removed", "renamed", "changed"]
    title: str
    previous_id: str | None = None
    fields: list[FieldChange] = Field(default_factory=list)


class CriterionImpact(_M):
    id: str
    state_before: str | None
    state_after: str | None
    score_contribution: float = Field(description="Percentage points this criterion moved the score.")
    score_contribution_exact: str


class DossierImpact(_M):
    id: str
    file: str | None = None
    decision_before: str
    decision_after: str
    passed_before: bool
    passed_after: bool
    score_before: float
    score_after: float
    score_delta: float
    score_delta_exact: str
    criteria: list[CriterionImpact]


class ImpactSummary(_M):
    dossiers: int
    decision_changed: int
    improved: int
    worsened: int
    unchanged: int
    pass_to_fail: int
    fail_to_pass: int
    transitions: dict[str, int]
    rejected: list[str] = Field(default_factory=list)


class Impact(_M):
    as_of: _dt.date
    dossiers: list[DossierImpact]
    summary: ImpactSummary


class DiffReport(_M):
    diff_schema: str = DIFF_SCHEMA
    engine_version: str = __version__
    from_: VersionRef = Field(alias="from")
    to: VersionRef
    changes: list[CriterionChange]
    rubric_changes: list[FieldChange]
    impact: Impact | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


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


# ------------------------------------------------------------------ text


def _show(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, str):
        return v if len(v) <= 160 else v[:157] + "..."
    return str(v)


def render_diff_text(d: DiffReport) -> str:
    f, t = d.from_, d.to
    out = [
        f"{f.id}@{f.version} [{f.sha256[:12]}] -> {t.id}@{t.version} [{t.sha256[:12]}]",
        f"  rubric {f.rubric} -> {t.rubric}",
    ]
    if not d.changes and not d.rubric_changes:
        out.append("  No changes.")
    kinds = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    if d.changes:
        counts: dict[str, int] = {}
        for c in d.changes:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        out.append("  Criteria: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    for c in d.changes:
        head = f"  {kinds[c.kind]} {c.criterion} {c.title} ({c.kind}"
        head += f" from {c.previous_id})" if c.previous_id else ")"
        out.append(head)
        for fc in c.fields:
            out.append(f"      {fc.field}: {_show(fc.before)}")
            out.append(f"      {' ' * len(fc.field)}  -> {_show(fc.after)}")
    if d.rubric_changes:
        out.append("  Rubric changes:")
        for fc in d.rubric_changes:
            out.append(f"      {fc.field}: {_show(fc.before)} -> {_show(fc.after)}")
    if d.impact is not None:
        s = d.impact.summary
        out.append(
            f"  Impact on {s.dossiers} dossiers (as of {d.impact.as_of.isoformat()}): "
            f"{s.decision_changed} change decision ({s.improved} better, {s.worsened} worse), "
            f"{s.pass_to_fail} pass -> fail, {s.fail_to_pass} fail -> pass"
        )
        for key, n in s.transitions.items():
            out.append(f"      {key}: {n}")
        for r in d.impact.dossiers:
            mark = "*" if r.decision_before != r.decision_after else " "
            out.append(
                f"    {mark} {r.id}: {r.decision_before} -> {r.decision_after}, "
                f"score {r.score_before:.2f} -> {r.score_after:.2f} ({r.score_delta:+.2f})"
            )
            for ci in r.criteria:
                out.append(
                    f"        {ci.id}: {ci.state_before or '(absent)'} -> {ci.state_after or '(absent)'} "
                    f"({ci.score_contribution:+.2f})"
                )
        for rej in s.rejected:
            out.append(f"    rejected: {rej}")
    return "\n".join(out) + "\n"


def diff_json(d: DiffReport) -> str:
    import json

    return json.dumps(d.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"
