"""Peak memory of one process streaming N generated dossiers through the engine
(validate, evaluate on the default durable engine, score).

usage: python bench/rss_probe.py N RULESETS_DIR REF     prints {"max_rss_mb", "rate"}

Dossiers are generated and dropped one at a time, so a flat peak across N shows the
engine keeps no per-dossier state (durable-rules sessions, facts, caches). Reports are
left out so that N = 100,000 fits the benchmark's time budget; the batch's own peak
memory is measured end to end in run.py.
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

from qa_engine.formats.dossier import Dossier  # noqa: E402
from qa_engine.rules.registry import Registry  # noqa: E402
from qa_engine.scoring import score  # noqa: E402
from qa_engine.services.check import dossier_data, evaluate, resolve  # noqa: E402


def peak_rss_mb() -> float:
    """This process's peak resident memory. /proc's VmHWM belongs to the address space
    and so starts afresh at exec; ``ru_maxrss`` would include the peak of the (large)
    benchmark process this one was forked from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    n, folder, ref = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    setup = resolve(ruleset=ref, as_of=dt.date(2026, 1, 1), registry=Registry(ruleset_dirs=[folder], include_bundled=False))
    rnd = random.Random(11)
    t0 = time.perf_counter()
    decisions: dict[str, int] = {}
    for i in range(n):
        d = Dossier.model_validate(dossier(i, rnd))
        verdicts = evaluate(setup, dossier_data(d))
        res = score(setup.ruleset, setup.rubric, {c: v.state for c, v in verdicts.items()})
        decisions[res.band.id] = decisions.get(res.band.id, 0) + 1
    el = time.perf_counter() - t0
    rss = peak_rss_mb()
    print(json.dumps({"max_rss_mb": rss, "rate": n / el, "engine": setup.engine, "decisions": decisions}))


if __name__ == "__main__":
    main()
