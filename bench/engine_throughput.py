"""Engine throughput: dossiers per second for each engine on the example dossiers.

usage: python bench/engine_throughput.py [--ruleset ID] [--n N]

Measures evaluation only (the dossier is validated and dumped once), which is what the
engines differ in. The full benchmark suite with floors and ratios is `make bench`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from qa_engine.engine import durable_available, get_engine
from qa_engine.formats.loader import load_dossier
from qa_engine.rules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ruleset", default="qa-starter")
    ap.add_argument("--n", type=int, default=20000)
    args = ap.parse_args()
    rs = Registry().ruleset(args.ruleset)
    docs = [load_dossier(p).model_dump(mode="python") for p in sorted((ROOT / "examples" / "dossiers").glob("*.yaml"))]
    as_of = dt.date(2026, 1, 1)
    engines = ["python", "durable"] if durable_available() else ["python"]
    print(f"ruleset {rs.ref}: {len(rs.criteria)} criteria; {len(docs)} distinct dossiers, N={args.n}")
    for name in engines:
        eng = get_engine(rs, name)
        for d in docs:
            eng.evaluate(d, as_of)
        t0 = time.perf_counter()
        for i in range(args.n):
            eng.evaluate(docs[i % len(docs)], as_of)
        dt_s = time.perf_counter() - t0
        print(f"  {name:8s} {args.n / dt_s:10.0f} dossiers/s  ({dt_s / args.n * 1e6:.1f} us each)")


if __name__ == "__main__":
    main()
