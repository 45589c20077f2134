"""Scores, decisions and the fix plan, from verdict states and a rubric.

All arithmetic is exact (``Fraction``); percentages are rounded only for display.
Scoring models follow XCCDF's: ``weighted`` (default: criterion weights within an
area, area weights across areas), ``flat`` (criterion weights, no areas),
``flat_unweighted`` (every applicable criterion counts the same) and ``absolute``
(100 only when every applicable criterion earns full credit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from .registry import LoadedRubric, LoadedRuleset
from .rubric import Band

HUNDRED = Fraction(100)
#: states that leave the denominator (not_applicable; waived by a reviewer)
EXCLUDED = frozenset({"not_applicable", "waived"})
#: states that satisfy an essential gate
GATE_OK = frozenset({"exemplary", "met", "not_applicable", "waived"})
#: states a fix can raise
FIXABLE = frozenset({"not_met", "partially_met", "unknown", "error"})


def pct(value: Fraction | None) -> float | None:
    """A percentage for display and JSON, rounded down to two decimals.

    Rounding down keeps the shown score consistent with the decision: 84.9986% shows as
    84.99, never as an 85.00 that a band requiring 85 would reject.
    """
    if value is None:
        return None
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_FLOOR
    )
    return float(d)


def pct_delta(value: Fraction) -> float:
    """A signed difference of percentages for display: two decimals, half-even."""
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    return float(d)


@dataclass(frozen=True)
class CriterionScore:
    id: str
    area: str
    state: str
    essential: bool
    weight: Fraction
    credit: Fraction | None  # None when excluded
    points: Fraction
    max_points: Fraction
    essential_failed: bool


@dataclass(frozen=True)
class AreaScore:
    id: str
    title: str
    weight: Fraction
    points: Fraction
    max_points: Fraction
    percent: Fraction | None  # None when nothing in the area applies
    counted: int
    failed: int


@dataclass(frozen=True)
class Fix:
    criterion: str
    title: str
    area: str
    state: str
    essential: bool
    clears_essential: bool
    gain: Fraction  # percentage points the score rises if this criterion is met
    in_plan: bool  # part of the smallest set that reaches the next band


@dataclass(frozen=True)
class ScoreResult:
    model: str
    percent: Fraction
    areas: tuple[AreaScore, ...]
    criteria: tuple[CriterionScore, ...]
    essential_failures: tuple[str, ...]
    band: Band
    passed: bool
    next_band: Band | None
    fixes: tuple[Fix, ...]
    plan_reaches: bool | None = None  # whether the plan reaches next_band
    notes: tuple[str, ...] = field(default=())
    #: each criterion's part of ``percent`` (they add up to it, except under ``absolute``)
    contributions: dict[str, Fraction] = field(default_factory=dict)


def _credit(rubric: LoadedRubric, state: str) -> Fraction | None:
    if state in EXCLUDED:
        return None
    credits = rubric.spec.credits
    if state in credits:
        return Fraction(str(credits[state]))
    return Fraction(str(rubric.spec.unknown_credit))  # unknown, error


def _band(rubric: LoadedRubric, percent: Fraction, essential_failures: int) -> int:
    for i, b in enumerate(rubric.spec.bands):
        if percent >= Fraction(str(b.min_score)) and (
            b.max_essential_failures is None or essential_failures <= b.max_essential_failures
        ):
            return i
    return len(rubric.spec.bands) - 1  # unreachable: validate_bands guarantees a catch-all


def score(ruleset: LoadedRuleset, rubric: LoadedRubric, states: Mapping[str, str]) -> ScoreResult:
    """Score the verdict ``states`` (criterion id -> state) of one dossier."""
    spec = rubric.spec
    crits: list[CriterionScore] = []
    for c in ruleset.criteria:
        state = states[c.id]
        credit = _credit(rubric, state)
        w = c.weight
        crits.append(
            CriterionScore(
                id=c.id,
                area=c.area,
                state=state,
                essential=c.essential,
                weight=w,
                credit=credit,
                points=(w * credit) if credit is not None else Fraction(0),
                max_points=w if credit is not None else Fraction(0),
                essential_failed=c.essential and state not in GATE_OK,
            )
        )
    percent, areas, shares = _percent(ruleset, rubric, crits)
    failures = tuple(c.id for c in crits if c.essential_failed)
    bi = _band(rubric, percent, len(failures))
    band = spec.bands[bi]
    next_band = _next_passing_or_better(rubric, bi)
    fixes, reaches = _plan(ruleset, rubric, crits, shares, percent, failures, next_band)
    return ScoreResult(
        model=spec.scoring,
        percent=percent,
        areas=areas,
        criteria=tuple(crits),
        essential_failures=failures,
        band=band,
        passed=band.passes,
        next_band=next_band,
        fixes=fixes,
        plan_reaches=reaches,
        contributions={
            c.id: shares.get(c.id, Fraction(0)) * c.credit if c.credit is not None else Fraction(0)
            for c in crits
        },
    )


def _next_passing_or_better(rubric: LoadedRubric, bi: int) -> Band | None:
    return rubric.spec.bands[bi - 1] if bi > 0 else None


def _percent(
    ruleset: LoadedRuleset, rubric: LoadedRubric, crits: list[CriterionScore]
) -> tuple[Fraction, tuple[AreaScore, ...], dict[str, Fraction]]:
    """Overall percent, per-area scores, and each counted criterion's share of 100%."""
    spec = rubric.spec
    counted = [c for c in crits if c.credit is not None]
    areas: list[AreaScore] = []
    area_w: dict[str, Fraction] = {}
    for s in ruleset.standards:
        in_area = [c for c in counted if c.area == s.id]
        if spec.scoring == "flat_unweighted":
            pts = sum((c.credit for c in in_area if c.credit is not None), Fraction(0))
            mx = Fraction(len(in_area))
        else:
            pts = sum((c.points for c in in_area), Fraction(0))
            mx = sum((c.max_points for c in in_area), Fraction(0))
        aw = Fraction(str(spec.area_weights.get(s.id, 1)))
        area_w[s.id] = aw
        areas.append(
            AreaScore(
                id=s.id,
                title=s.title,
                weight=aw,
                points=pts,
                max_points=mx,
                percent=(pts / mx * HUNDRED) if mx else None,
                counted=len(in_area),
                failed=sum(1 for c in in_area if c.state not in GATE_OK),
            )
        )
    shares: dict[str, Fraction] = {}
    if not counted:
        return Fraction(0), tuple(areas), shares
    if spec.scoring == "weighted":
        live = [a for a in areas if a.max_points and area_w[a.id]]
        total_aw = sum((area_w[a.id] for a in live), Fraction(0))
        if not total_aw:
            return Fraction(0), tuple(areas), shares
        amax = {a.id: a.max_points for a in live}
        for c in counted:
            if c.area in amax:
                shares[c.id] = area_w[c.area] / total_aw * c.weight / amax[c.area] * HUNDRED
            else:
                shares[c.id] = Fraction(0)
    elif spec.scoring == "flat":
        total = sum((c.weight for c in counted), Fraction(0))
        shares = {c.id: c.weight / total * HUNDRED for c in counted}
    else:  # flat_unweighted, absolute
        shares = {c.id: HUNDRED / len(counted) for c in counted}
    raw = sum((shares[c.id] * c.credit for c in counted if c.credit is not None), Fraction(0))
    if spec.scoring == "absolute":
        full = all(c.credit == 1 for c in counted)
        return (HUNDRED if full else Fraction(0)), tuple(areas), shares
    return raw, tuple(areas), shares


def _plan(
    ruleset: LoadedRuleset,
    rubric: LoadedRubric,
    crits: list[CriterionScore],
    shares: dict[str, Fraction],
    percent: Fraction,
    failures: tuple[str, ...],
    target: Band | None,
) -> tuple[tuple[Fix, ...], bool | None]:
    """Rank fixes by what they add; pick the fewest that reach ``target``.

    Gains add up independently (a criterion's share of the score does not depend on
    other criteria's states), so taking the largest gains first is the smallest set.
    """
    met_credit = Fraction(str(rubric.spec.credits["met"]))
    cands: list[tuple[CriterionScore, Fraction]] = []
    for c in crits:
        if c.state not in FIXABLE:
            continue
        current = c.credit if c.credit is not None else Fraction(0)
        gain = shares.get(c.id, Fraction(0)) * max(met_credit - current, Fraction(0))
        cands.append((c, gain))
    cands.sort(key=lambda t: (not t[0].essential_failed, -t[1], t[0].id))

    chosen: set[str] = set()
    reaches: bool | None = None
    if target is not None:
        score_now = percent
        n_fail = len(failures)
        limit = target.max_essential_failures
        if limit is not None and n_fail > limit:
            gate = [t for t in cands if t[0].essential_failed]
            gate.sort(key=lambda t: (-t[1], t[0].id))
            for c, gain in gate[: n_fail - limit]:
                chosen.add(c.id)
                score_now += gain
                n_fail -= 1
        need = Fraction(str(target.min_score))
        rest = sorted((t for t in cands if t[0].id not in chosen), key=lambda t: (-t[1], t[0].id))
        if rubric.spec.scoring == "absolute":
            if need > 0:
                chosen |= {c.id for c, _ in cands}
                score_now = HUNDRED
        else:
            for c, gain in rest:
                if score_now >= need:
                    break
                if gain <= 0:
                    continue
                chosen.add(c.id)
                score_now += gain
        reaches = score_now >= need and (limit is None or n_fail <= limit)
        if not reaches:
            chosen = set()
    by_id = ruleset.by_id
    fixes = tuple(
        Fix(
            criterion=c.id,
            title=by_id[c.id].spec.title,
            area=c.area,
            state=c.state,
            essential=c.essential,
            clears_essential=c.essential_failed,
            gain=gain,
            in_plan=c.id in chosen,
        )
        for c, gain in cands
    )
    return fixes, reaches
