"""Running the pass/fail examples that every criterion carries (``rulesets test``).

An example is a dossier fragment; it is completed with ``schema_version`` and an ``id``
and evaluated with the whole ruleset, on every engine that runs here, and the state
of its criterion must equal the expected one.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from pydantic import ValidationError

from qa_engine.engine import durable_available, get_engine
from qa_engine.formats.dossier import Dossier
from qa_engine.rules.registry import LoadedRuleset

#: the date examples are evaluated on, unless an example gives its own ``as_of``
EXAMPLE_AS_OF = _dt.date(2026, 1, 1)
PASSING = frozenset({"met", "exemplary"})
FAILING = frozenset({"not_met", "partially_met", "unknown"})


@dataclass(frozen=True)
class ExampleResult:
    ruleset: str
    criterion: str
    example: str
    expected: str
    got: dict[str, str]  # engine -> state
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(s == self.expected for s in self.got.values())


def example_dossier(fragment: dict, name: str) -> Dossier:
    data = {"schema_version": "1.0", "id": "example"}
    data.update(fragment)
    return Dossier.model_validate(data)


def engines_here() -> list[str]:
    return ["python", "durable"] if durable_available() else ["python"]


def run_examples(rs: LoadedRuleset, *, engines: list[str] | None = None) -> list[ExampleResult]:
    engines = engines or engines_here()
    results: list[ExampleResult] = []
    for c in rs.criteria:
        for ex in c.spec.examples:
            try:
                d = example_dossier(ex.dossier, ex.name)
            except ValidationError as exc:
                first = exc.errors()[0]
                loc = ".".join(str(p) for p in first["loc"])
                results.append(ExampleResult(rs.ref, c.id, ex.name, ex.expect, {}, f"example dossier is invalid at {loc}: {first['msg']}"))
                continue
            data = d.model_dump(mode="python")
            got = {}
            for name in engines:
                verdicts = get_engine(rs, name).evaluate(data, ex.as_of or EXAMPLE_AS_OF)
                got[name] = verdicts[c.id].state
            results.append(ExampleResult(rs.ref, c.id, ex.name, ex.expect, got))
    return results


def missing_examples(rs: LoadedRuleset) -> list[str]:
    """Criteria without at least one passing and one failing example."""
    out = []
    for c in rs.criteria:
        kinds = {ex.expect for ex in c.spec.examples}
        if not (kinds & PASSING) or not (kinds & FAILING):
            out.append(c.id)
    return out
