"""Peak memory of one process evaluating N generated dossiers end to end in memory
(validate, evaluate on the durable engine, score, build and serialise the report).

usage: python bench/rss_probe.py N RULESETS_DIR REF     prints {"max_rss_mb", "rate"}

Dossiers are generated and dropped one at a time, so a flat peak shows the engine keeps
no per-dossier state (durable-rules sessions, caches).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import dossier  # noqa: E402

from qa_engine.check import check_dossier, report_json, resolve  # noqa: E402
from qa_engine.dossier import Dossier  # noqa: E402
from qa_engine.registry import Registry  # noqa: E402


def main() -> None:
    n, folder, ref = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    setup = resolve(ruleset=ref, as_of=dt.date(2026, 1, 1), registry=Registry(ruleset_dirs=[folder], include_bundled=False))
    rnd = random.Random(11)
    t0 = time.perf_counter()
    size = 0
    for i in range(n):
        d = Dossier.model_validate(dossier(i, rnd))
        size += len(report_json(check_dossier(setup, d)))
    el = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"max_rss_mb": rss, "rate": n / el, "bytes": size}))


if __name__ == "__main__":
    main()
