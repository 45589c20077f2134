"""Explanation time per dossier: ``explain_verdict`` for every criterion of every example
dossier, verdicts computed once beforehand (the engines are not timed here).

    .venv/bin/python bench/explain_time.py [--ruleset quality-review] [--repeat 20]

Prints the median time per dossier (all criteria explained, as a report does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from qa_engine.engine.explain import explain_verdict
from qa_engine.formats.loader import load_dossier
from qa_engine.lang.evaluator import Context
from qa_engine.services.check import dossier_data, evaluate, resolve

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ruleset", default="quality-review")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    as_of = dt.date(2026, 12, 1)
    setup = resolve(ruleset=args.ruleset, as_of=as_of, engine="python")
    cases = []
    for path in sorted((ROOT / "examples" / "dossiers").glob("*.yaml")):
        data = dossier_data(load_dossier(path))
        verdicts = evaluate(setup, data)
        states = {cid: v.state for cid, v in verdicts.items()}
        cases.append((data, verdicts, states))
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for data, verdicts, states in cases:
            ctx = Context(as_of=as_of, states=states)
            names: dict[str, str] = {}  # one per dossier, as build_report does
            for c in setup.ruleset.criteria:
                explain_verdict(c, verdicts[c.id], data, as_of, states, ctx=ctx, names=names)
        times.append((time.perf_counter() - start) / len(cases))
    print(
        f"{args.ruleset}: {len(cases)} dossiers x {len(setup.ruleset.criteria)} criteria, "
        f"median {statistics.median(times) * 1000:.2f} ms per dossier (explanations only)"
    )


if __name__ == "__main__":
    main()
