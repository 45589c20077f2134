"""Every criterion's pass/fail examples, discovered from the ruleset folders (never a list),
run on every engine; and every criterion carries rationale, remediation and both kinds
of example."""

from __future__ import annotations

import pytest

from qa_engine.rules.registry import Registry
from qa_engine.services.examples import FAILING, PASSING, run_examples

REGISTRY = Registry()
RULESETS = REGISTRY.all_rulesets()
CASES = [(rs, c) for rs in RULESETS for c in rs.criteria]


def test_rulesets_are_discovered() -> None:
    assert any(rs.id == "qa-starter" for rs in RULESETS)


@pytest.mark.parametrize("rs, c", CASES, ids=[f"{rs.ref}:{c.id}" for rs, c in CASES])
def test_criterion_has_texts_and_both_kinds_of_example(rs, c) -> None:
    assert c.spec.rationale.strip() and c.spec.remediation.strip()
    kinds = {e.expect for e in c.spec.examples}
    assert kinds & PASSING, f"{c.id} has no passing example"
    assert kinds & FAILING, f"{c.id} has no failing example"


@pytest.mark.parametrize("rs", RULESETS, ids=[rs.ref for rs in RULESETS])
def test_examples_pass(rs) -> None:
    bad = [r for r in run_examples(rs) if not r.ok]
    assert not bad, "\n".join(f"{r.criterion} '{r.example}': expected {r.expected}, got {r.got} {r.error or ''}" for r in bad)
