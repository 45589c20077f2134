"""Batch throughput: dossiers per second of `run_batch` with 1, 2, ... worker processes.

    .venv/bin/python bench/batch_throughput.py [N] [WORKERS...]   (default: 1000 1 2)

Generates N dossiers (the examples with other ids and titles) in a temporary folder and
runs a fresh batch (new output folder and store) per worker count: parse, evaluate,
JSON + HTML reports, store records and dashboard included. Then re-runs the last one
to time an idempotent re-run (nothing evaluated).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_engine.services.batch import run_batch  # noqa: E402


def generate(folder: Path, count: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "dossiers").glob("*.yaml"))]
    folder.mkdir(parents=True)
    for n in range(count):
        text = re.sub(r"^id: .*$", f"id: bench-{n:06d}", texts[n % len(texts)], count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1 ({n})", text, count=1, flags=re.M)
        (folder / f"bench-{n:06d}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    args = [int(a) for a in sys.argv[1:]]
    n = args[0] if args else 1000
    worker_counts = args[1:] or [1, 2]
    day = _dt.date(2026, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in"
        generate(inp, n)
        print(f"{n} dossiers, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        out = db = Path(tmp)
        for w in worker_counts:
            out, db = Path(tmp) / f"out-{w}", Path(tmp) / f"qa-{w}.sqlite"
            cpu0 = time.process_time()
            kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res = run_batch([inp], out=out, db=str(db), as_of=day, workers=w)
            parent_cpu = time.process_time() - cpu0
            kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            workers_cpu = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
            print(
                f"workers={w}: {res.evaluated} evaluated in {res.elapsed:.1f}s = "
                f"{res.evaluated / res.elapsed:.1f} dossiers/s; CPU per dossier: workers "
                f"{1000 * workers_cpu / n:.1f} ms, parent {1000 * parent_cpu / n:.1f} ms; "
                f"load average now {os.getloadavg()[0]:.1f}"
            )
        res = run_batch([inp], out=out, db=str(db), workers=worker_counts[-1])
        print(f"re-run: {res.skipped} skipped in {res.elapsed:.1f}s = {res.total / res.elapsed:.0f} files/s")


if __name__ == "__main__":
    main()
