"""Scores, decisions and the fix plan, from verdict states and a rubric.

All arithmetic is exact (``Fraction``); percentages are rounded only for display.
Scoring models follow XCCDF's: ``weighted`` (default: criterion weights within an
area, area weights across areas), ``flat`` (criterion weights, no areas),
``flat_unweighted`` (every applicable criterion counts the same) and ``absolute``
(100 only when every applicable criterion earns full credit).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from qa_engine.formats.rubric import Band
from qa_engine.rules.registry import LoadedRubric, LoadedRuleset

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


def _fraction(x: float) -> Fraction:
    return Fraction(str(x))


def _lcm_of_denominators(values: Iterable[Fraction]) -> int:
    d = 1
    for v in values:
        d = math.lcm(d, v.denominator)
    return d


class _Shares:
    """Each counted criterion's share of 100% for one set of counted criteria (shares
    depend on which criteria count, not on their states), with what follows from it
    per (criterion, state): contributions and fix gains."""

    __slots__ = ("contrib", "den", "gains", "num", "shares")

    def __init__(self, shares: dict[str, Fraction], ids: tuple[str, ...]) -> None:
        self.shares = shares
        #: shares as integers over one denominator (0 for criteria without a share)
        self.den = _lcm_of_denominators(shares.values())
        zero = Fraction(0)
        self.num = tuple(
            (sh.numerator * (self.den // sh.denominator)) if (sh := shares.get(cid, zero)) else 0
            for cid in ids
        )
        self.contrib: dict[tuple[int, str], Fraction] = {}
        self.gains: dict[tuple[int, str], tuple[Fraction, int]] = {}


class _Prepared:
    """What scoring needs from one ruleset and rubric, computed once per pair: exact
    weights and credits (also as integers over common denominators), area weights,
    band thresholds, per-(criterion, state) scores and the shares per set of counted
    criteria."""

    _MAX_SHARES = 512

    def __init__(self, ruleset: LoadedRuleset, rubric: LoadedRubric) -> None:
        spec = rubric.spec
        self.ruleset = ruleset
        self.rubric = rubric
        crits = ruleset.criteria
        self.ids = tuple(c.id for c in crits)
        self.areas = tuple(c.area for c in crits)
        self.weights = tuple(c.weight for c in crits)
        self.essential = tuple(c.essential for c in crits)
        self.titles = tuple(c.spec.title for c in crits)
        self.wden = _lcm_of_denominators(self.weights)
        self.wnum = tuple(w.numerator * (self.wden // w.denominator) for w in self.weights)
        self.level_credits = {k: _fraction(v) for k, v in spec.credits.items()}
        self.unknown_credit = _fraction(spec.unknown_credit)
        self.kden = _lcm_of_denominators([*self.level_credits.values(), self.unknown_credit])
        self.met_credit = self.level_credits["met"]
        self.area_w = {s.id: _fraction(spec.area_weights.get(s.id, 1)) for s in ruleset.standards}
        self.band_min = tuple(_fraction(b.min_score) for b in spec.bands)
        self.scores: dict[tuple[int, str], CriterionScore] = {}
        self.by_counted: dict[tuple[bool, ...], _Shares] = {}

    def credit(self, state: str) -> Fraction | None:
        if state in EXCLUDED:
            return None
        return self.level_credits.get(state, self.unknown_credit)  # unknown, error

    def knum(self, credit: Fraction) -> int:
        """``credit`` as an integer over ``kden``."""
        return credit.numerator * (self.kden // credit.denominator)

    def criterion(self, i: int, state: str) -> CriterionScore:
        hit = self.scores.get((i, state))
        if hit is None:
            credit = self.credit(state)
            w = self.weights[i]
            hit = CriterionScore(
                id=self.ids[i],
                area=self.areas[i],
                state=state,
                essential=self.essential[i],
                weight=w,
                credit=credit,
                points=(w * credit) if credit is not None else Fraction(0),
                max_points=w if credit is not None else Fraction(0),
                essential_failed=self.essential[i] and state not in GATE_OK,
            )
            self.scores[(i, state)] = hit
        return hit

    def shares(self, crits: list[CriterionScore], areas: tuple[AreaScore, ...]) -> _Shares:
        key = tuple(c.credit is not None for c in crits)
        hit = self.by_counted.get(key)
        if hit is None:
            if len(self.by_counted) >= self._MAX_SHARES:
                self.by_counted.clear()
            hit = _Shares(_shares_of(self, crits, areas), self.ids)
            self.by_counted[key] = hit
        return hit


def _shares_of(prep: _Prepared, crits: list[CriterionScore], areas: tuple[AreaScore, ...]) -> dict[str, Fraction]:
    """Each counted criterion's share of 100%."""
    model = prep.rubric.spec.scoring
    counted = [c for c in crits if c.credit is not None]
    shares: dict[str, Fraction] = {}
    if not counted:
        return shares
    if model == "weighted":
        area_w = prep.area_w
        live = [a for a in areas if a.max_points and area_w[a.id]]
        total_aw = sum((area_w[a.id] for a in live), Fraction(0))
        if not total_aw:
            return shares
        amax = {a.id: a.max_points for a in live}
        for c in counted:
            if c.area in amax:
                shares[c.id] = area_w[c.area] / total_aw * c.weight / amax[c.area] * HUNDRED
            else:
                shares[c.id] = Fraction(0)
    elif model == "flat":
        total = sum((c.weight for c in counted), Fraction(0))
        shares = {c.id: c.weight / total * HUNDRED for c in counted}
    else:  # flat_unweighted, absolute
        shares = {c.id: HUNDRED / len(counted) for c in counted}
    return shares


_PREPARED: dict[tuple[int, int], _Prepared] = {}
_MAX_PREPARED = 32


def _prepared(ruleset: LoadedRuleset, rubric: LoadedRubric) -> _Prepared:
    """The _Prepared of this very ruleset and rubric (by identity: an entry keeps both
    alive, so their ids are not reused while it is cached)."""
    key = (id(ruleset), id(rubric))
    hit = _PREPARED.get(key)
    if hit is None or hit.ruleset is not ruleset or hit.rubric is not rubric:
        if len(_PREPARED) >= _MAX_PREPARED:
            _PREPARED.pop(next(iter(_PREPARED)))
        hit = _Prepared(ruleset, rubric)
        _PREPARED[key] = hit
    return hit


def _band(prep: _Prepared, percent: Fraction, essential_failures: int) -> int:
    for i, b in enumerate(prep.rubric.spec.bands):
        if percent >= prep.band_min[i] and (
            b.max_essential_failures is None or essential_failures <= b.max_essential_failures
        ):
            return i
    return len(prep.rubric.spec.bands) - 1  # unreachable: validate_bands guarantees a catch-all


def score(ruleset: LoadedRuleset, rubric: LoadedRubric, states: Mapping[str, str]) -> ScoreResult:
    """Score the verdict ``states`` (criterion id -> state) of one dossier.

    Exact: weights, credits and shares are ``Fraction``s (sums of many terms are taken
    as integers over a common denominator, which gives the same fractions).
    """
    spec = rubric.spec
    prep = _prepared(ruleset, rubric)
    crits = [prep.criterion(i, states[cid]) for i, cid in enumerate(prep.ids)]
    areas = _areas(prep, crits)
    sh = prep.shares(crits, areas)
    percent = _percent(prep, crits, sh)
    failures = tuple(c.id for c in crits if c.essential_failed)
    bi = _band(prep, percent, len(failures))
    band = spec.bands[bi]
    next_band = _next_passing_or_better(rubric, bi)
    fixes, reaches = _plan(prep, crits, sh, percent, failures, next_band)
    contributions: dict[str, Fraction] = {}
    zero = Fraction(0)
    for i, c in enumerate(crits):
        if c.credit is None:
            contributions[c.id] = zero
            continue
        got = sh.contrib.get((i, c.state))
        if got is None:
            got = sh.shares.get(c.id, zero) * c.credit
            sh.contrib[(i, c.state)] = got
        contributions[c.id] = got
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
        contributions=contributions,
    )


def _next_passing_or_better(rubric: LoadedRubric, bi: int) -> Band | None:
    return rubric.spec.bands[bi - 1] if bi > 0 else None


def _areas(prep: _Prepared, crits: list[CriterionScore]) -> tuple[AreaScore, ...]:
    """Per-area scores (points as integers over the weight and credit denominators)."""
    unweighted = prep.rubric.spec.scoring == "flat_unweighted"
    acc: dict[str, list[int]] = {s.id: [0, 0, 0, 0] for s in prep.ruleset.standards}
    wnum = prep.wnum
    for i, c in enumerate(crits):
        if c.credit is None:
            continue
        a = acc.get(c.area)
        if a is None:
            continue
        k = prep.knum(c.credit)
        if unweighted:
            a[0] += k
            a[1] += 1
        else:
            a[0] += wnum[i] * k
            a[1] += wnum[i]
        a[2] += 1
        if c.state not in GATE_OK:
            a[3] += 1
    out = []
    for s in prep.ruleset.standards:
        pts_n, mx_n, n, failed = acc[s.id]
        if unweighted:
            pts, mx = Fraction(pts_n, prep.kden), Fraction(mx_n)
        else:
            pts, mx = Fraction(pts_n, prep.wden * prep.kden), Fraction(mx_n, prep.wden)
        out.append(
            AreaScore(
                id=s.id,
                title=s.title,
                weight=prep.area_w[s.id],
                points=pts,
                max_points=mx,
                percent=(pts / mx * HUNDRED) if mx else None,
                counted=n,
                failed=failed,
            )
        )
    return tuple(out)


def _percent(prep: _Prepared, crits: list[CriterionScore], sh: _Shares) -> Fraction:
    """The overall percent: the counted criteria's shares weighted by their credits."""
    counted = [c for c in crits if c.credit is not None]
    if not counted or not sh.shares:
        return Fraction(0)
    if prep.rubric.spec.scoring == "absolute":
        return HUNDRED if all(c.credit == 1 for c in counted) else Fraction(0)
    num = sh.num
    raw = 0
    for i, c in enumerate(crits):
        if c.credit is not None and num[i]:
            raw += num[i] * prep.knum(c.credit)
    return Fraction(raw, sh.den * prep.kden)


def _plan(
    prep: _Prepared,
    crits: list[CriterionScore],
    sh: _Shares,
    percent: Fraction,
    failures: tuple[str, ...],
    target: Band | None,
) -> tuple[tuple[Fix, ...], bool | None]:
    """Rank fixes by what they add; pick the fewest that reach ``target``.

    Gains add up independently (a criterion's share of the score does not depend on
    other criteria's states), so taking the largest gains first is the smallest set.
    Gains are compared and added as integers over the common denominator ``den``.
    """
    met_k = prep.knum(prep.met_credit)
    den = sh.den * prep.kden
    zero = Fraction(0)
    # (criterion index, score, gain, gain as an integer over den)
    cands: list[tuple[int, CriterionScore, Fraction, int]] = []
    for i, c in enumerate(crits):
        if c.state not in FIXABLE:
            continue
        hit = sh.gains.get((i, c.state))
        if hit is None:
            current = c.credit if c.credit is not None else zero
            gain = sh.shares.get(c.id, zero) * max(prep.met_credit - current, zero)
            up = max(met_k - (prep.knum(current) if c.credit is not None else 0), 0)
            hit = (gain, sh.num[i] * up)
            sh.gains[(i, c.state)] = hit
        cands.append((i, c, hit[0], hit[1]))
    cands.sort(key=lambda t: (not t[1].essential_failed, -t[3], t[1].id))

    chosen: set[str] = set()
    reaches: bool | None = None
    if target is not None:
        # the score as an integer over den: exact, percent is 0, 100 or a sum over den
        now = percent.numerator * den // percent.denominator
        n_fail = len(failures)
        limit = target.max_essential_failures
        if limit is not None and n_fail > limit:
            gate = [t for t in cands if t[1].essential_failed]
            gate.sort(key=lambda t: (-t[3], t[1].id))
            for _, c, _, g in gate[: n_fail - limit]:
                chosen.add(c.id)
                now += g
                n_fail -= 1
        need = _fraction(target.min_score)
        # now / den >= need  <=>  now * need.denominator >= need.numerator * den
        need_n, need_d = need.numerator * den, need.denominator
        if prep.rubric.spec.scoring == "absolute":
            if need > 0:
                chosen |= {c.id for _, c, _, _ in cands}
                # full marks only if something counts and every counted criterion then
                # earns full credit (the fixed ones at the credit for `met`)
                counted = [c for c in crits if c.credit is not None]
                full = bool(counted) and all(
                    (prep.met_credit if c.id in chosen else c.credit) == 1 for c in counted
                )
                now = 100 * den if full else 0
        else:
            rest = sorted((t for t in cands if t[1].id not in chosen), key=lambda t: (-t[3], t[1].id))
            for _, c, _, g in rest:
                if now * need_d >= need_n:
                    break
                if g <= 0:
                    continue
                chosen.add(c.id)
                now += g
        reaches = now * need_d >= need_n and (limit is None or n_fail <= limit)
        if not reaches:
            chosen = set()
    fixes = tuple(
        Fix(
            criterion=c.id,
            title=prep.titles[i],
            area=c.area,
            state=c.state,
            essential=c.essential,
            clears_essential=c.essential_failed,
            gain=gain,
            in_plan=c.id in chosen,
        )
        for i, c, gain, _ in cands
    )
    return fixes, reaches
