"""The example corpus in examples/dossiers: every dossier loads, and together they reach
every decision band of the bundled rulesets (quality-review 1.0.0, eu-microcredential
1.0.0 and 1.1.0) so that reports, diffs and docs have something to show for each.

The corpus is whatever ``examples/dossiers/*.yaml`` holds: add a dossier there and it is
checked here, with no list to update.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from qa_engine.formats.loader import load_dossier
from qa_engine.formats.report import Report
from qa_engine.services.check import Setup, check_file, resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
README = ROOT / "examples" / "README.md"
CORPUS = sorted(EXAMPLES.glob("*.yaml"))
AS_OF = dt.date(2026, 1, 1)

#: the ruleset versions whose every band the corpus must reach
BANDED = ["quality-review@1.0.0", "eu-microcredential@1.0.0", "eu-microcredential@1.1.0"]
#: also shown in examples/README.md
SHOWN = [*BANDED, "qa-starter@1.0.0", "quality-review@1.1.0", "qa-starter@1.1.0", "nzqa-microcredential@1.0.0"]
#: how far a score must stay from a threshold whose crossing would change the decision
MARGIN = 1.5
#: each band must be reached by at least this many dossiers
PER_BAND = 2


@cache
def setup(ref: str) -> Setup:
    return resolve(ruleset=ref, as_of=AS_OF, engine="python")


@cache
def report(ref: str, path: Path) -> Report:
    return check_file(setup(ref), path)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 13


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_dossier_loads(path: Path) -> None:
    dossier = load_dossier(path)
    assert dossier.id == path.stem, "the file name is the dossier id"
    first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
    assert first.startswith("# "), "each example starts with a comment saying what it illustrates"


@pytest.mark.parametrize("ref", BANDED)
def test_corpus_reaches_every_band(ref: str) -> None:
    bands = [b.id for b in setup(ref).rubric.spec.bands]
    decisions = Counter(report(ref, p).decision for p in CORPUS)
    assert set(decisions) == set(bands), f"{ref}: decisions {dict(decisions)}, bands {bands}"
    thin = {b: decisions[b] for b in bands if decisions[b] < PER_BAND}
    assert not thin, f"{ref}: fewer than {PER_BAND} dossiers reach {thin}"


def test_some_eu_decisions_change_from_1_0_0_to_1_1_0() -> None:
    changed = [
        p.stem
        for p in CORPUS
        if report("eu-microcredential@1.0.0", p).decision != report("eu-microcredential@1.1.0", p).decision
    ]
    assert len(changed) >= 2, changed


@pytest.mark.parametrize("ref", BANDED)
def test_scores_keep_clear_of_thresholds_that_matter(ref: str) -> None:
    """No decision turns on a score within MARGIN points of a band threshold.

    Crossing the threshold of a band can only change the decision when the dossier's
    essential failures are within that band's limit; otherwise the band is out of reach
    whatever the score.
    """
    bands = setup(ref).rubric.spec.bands
    fragile = []
    for p in CORPUS:
        rep = report(ref, p)
        failures = len(rep.essential_failures)
        for b in bands:
            if b.min_score <= 0:
                continue
            within = b.max_essential_failures is None or failures <= b.max_essential_failures
            if within and abs(rep.score - b.min_score) < MARGIN:
                fragile.append(f"{p.stem}: {rep.score} near {b.id} ({b.min_score})")
    assert not fragile, fragile


# --------------------------------------------------------------------------- examples/README.md

_ROW = re.compile(r"^\|\s*\[([^\]]+)\]\(dossiers/([^)]+)\.yaml\)\s*\|(.*)\|\s*$")
_CELL = re.compile(r"^`?([a-z_]+)`?\s*\(([\d.]+)\)$")


def _cell(rep: Report) -> str:
    return f"`{rep.decision}` ({rep.score:.2f})"


def test_readme_table_matches_the_engine() -> None:
    """examples/README.md lists every dossier with its decision and score under each version."""
    rows: dict[str, list[str]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            assert m.group(1) == m.group(2), line
            cells = [c.strip() for c in m.group(3).split("|")]
            rows[m.group(1)] = cells[-len(SHOWN):]
    expected = {p.stem: [_cell(report(ref, p)) for ref in SHOWN] for p in CORPUS}
    assert sorted(rows) == sorted(expected), "one README row per dossier in examples/dossiers"
    assert all(len(cells) == len(SHOWN) for cells in rows.values()), rows
    stale = {
        name: {ref: (got, want) for ref, got, want in zip(SHOWN, rows[name], expected[name], strict=True) if got != want}
        for name in expected
    }
    stale = {k: v for k, v in stale.items() if v}
    assert not stale, f"examples/README.md is stale (README, engine): {stale}"
    for cells in rows.values():
        assert all(_CELL.match(c) for c in cells), cells
