"""The quality-review pipeline at scale: parser floors, batch throughput, store bytes.

usage: python bench/pipeline.py [--n N] [--yaml-n N] [--memory-n N] [--dask-only] [--write FILE | --append FILE]

* floors: JSON parse (json, orjson when installed), YAML parse with libyaml
  (PyYAML's CSafeLoader, marks included) beside the project's ``load_document``;
* batch (``qa-engine batch``, the CLI as a user runs it) with quality-review (37
  criteria), a fresh store and output folder per run: JSON input ``--html none`` with
  1 and 2 workers, YAML input ``--html none`` with 2 workers, ``--html all`` with 2
  workers; wall time, CPU per dossier over all processes, peak RSS of the largest
  process;
* store bytes per evaluation (SQLite file size / evaluations, and the average stored
  report and dossier).

The machine is shared: the load average before and after each run is printed beside
it, and CPU per dossier (which load changes little) is the figure to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402
from corpus import dossiers  # noqa: E402
from run import QA, run_measured, timed  # noqa: E402

from qa_engine.formats.loader import load_document  # noqa: E402

AS_OF = dt.date(2026, 1, 1)


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def floors(n: int, yaml_n: int, rows: list[tuple[str, str, str]]) -> None:
    docs = dossiers(n)
    texts = [json.dumps(d) for d in docs]
    t = timed(lambda: [json.loads(x) for x in texts])
    rows.append((f"JSON parse, json.loads, N={n:,}", f"{n / t:,.0f}/s", f"{1e6 * t / n:.0f} µs each"))
    try:
        import orjson

        t = timed(lambda: [orjson.loads(x) for x in texts])
        rows.append((f"JSON parse, orjson (floor), N={n:,}", f"{n / t:,.0f}/s", f"{1e6 * t / n:.0f} µs each"))
    except ImportError:
        rows.append(("JSON parse, orjson (floor)", "not installed", "pip install orjson"))
    t = timed(lambda: [load_document(text=x, path="d.json") for x in texts])
    rows.append((f"JSON load_document (line map), N={n:,}", f"{n / t:,.0f}/s", f"{1e6 * t / n:.0f} µs each"))
    ytexts = [yaml.dump(d, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False) for d in docs[:yaml_n]]
    size = sum(map(len, ytexts)) / len(ytexts)
    t_floor = timed(lambda: [yaml.compose(x, Loader=yaml.CSafeLoader) for x in ytexts])
    t_data = timed(lambda: [yaml.load(x, Loader=yaml.CSafeLoader) for x in ytexts])
    t_ours = timed(lambda: [load_document(text=x, path="d.yaml") for x in ytexts])
    rows.append((f"YAML compose, libyaml CSafeLoader (floor, marks), N={yaml_n:,}, {size / 1024:.1f} KB each",
                 f"{yaml_n / t_floor:,.0f}/s", f"{1e3 * t_floor / yaml_n:.2f} ms each"))
    rows.append(("YAML load to data, libyaml CSafeLoader", f"{yaml_n / t_data:,.0f}/s",
                 f"{1e3 * t_data / yaml_n:.2f} ms each"))
    rows.append(("YAML load_document (data + line map)", f"{yaml_n / t_ours:,.0f}/s",
                 f"{1e3 * t_ours / yaml_n:.2f} ms each; {t_ours / t_floor:.2f}x the compose floor "
                 "(target <= 1.5x)"))


def write_inputs(folder: Path, n: int, fmt: str) -> None:
    folder.mkdir(parents=True)
    for i, d in enumerate(dossiers(n)):
        if fmt == "json":
            (folder / f"d-{i:07d}.json").write_text(json.dumps(d), encoding="utf-8")
        else:
            text = yaml.dump(d, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
            (folder / f"d-{i:07d}.yaml").write_text(text, encoding="utf-8")


def batch(tmp: Path, inputs: Path, n: int, workers: int, html: str, label: str,
          rows: list[tuple[str, str, str]], *, scheduler: str | None = None) -> dict[str, Any]:
    """One ``qa-engine batch`` run; with ``scheduler`` on that Dask cluster (``workers``
    is then the tasks in flight, and the CPU figure is the batch process's alone: the
    cluster's worker processes are not its children)."""
    out = tmp / f"out-{label}-{workers}"
    db = out / "store.sqlite"
    cmd = [*QA, "batch", str(inputs), "--ruleset", "quality-review", "--out", str(out), "--db", str(db),
           "--workers", str(workers), "--html", html, "--json", "none", "--as-of", AS_OF.isoformat()]
    if scheduler:
        cmd += ["--executor", "dask", "--scheduler", scheduler]
    before = load()
    k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    res, wall, peak = run_measured(cmd)
    k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (k1.ru_utime + k1.ru_stime) - (k0.ru_utime + k0.ru_stime)
    if res.returncode != 0:
        rows.append((f"batch {label}", "failed", res.stderr.strip()[-300:]))
        return {}
    info: dict[str, Any] = {"rate": n / wall, "cpu_ms": 1000 * cpu / n, "peak": peak}
    who = "the batch process; the cluster's workers not counted" if scheduler else "all processes"
    runs_on = f"Dask, 2 worker processes, {workers} tasks in flight" if scheduler else f"{workers} worker(s)"
    rows.append((f"batch quality-review, {label}, N={n:,}, {runs_on}", f"{n / wall:,.0f}/s",
                 f"CPU {1000 * cpu / n:.1f} ms per dossier ({who}); peak RSS {peak:.0f} MB; "
                 f"load {before} -> {load()}"))
    if label == "JSON, --html none" and workers == 2 and not scheduler:
        con = sqlite3.connect(db)
        evals = con.execute("SELECT count(*) FROM evaluation").fetchone()[0]
        rep = con.execute("SELECT avg(length(report_json)) FROM evaluation").fetchone()[0]
        dos = con.execute("SELECT avg(length(dossier_json)) FROM submission").fetchone()[0]
        con.close()
        size = db.stat().st_size + sum(p.stat().st_size for p in out.glob("store.sqlite-*"))
        rows.append((f"store bytes per evaluation (SQLite, N={evals:,})", f"{size / evals / 1024:,.1f} KB",
                     f"stored report {rep / 1024:.1f} KB, dossier {dos / 1024:.1f} KB (zstd); target <= 20 KB"))
    shutil.rmtree(out, ignore_errors=True)
    return info


def dask_batch(tmp: Path, inputs: Path, n: int, rows: list[tuple[str, str, str]]) -> dict[str, Any]:
    """The same batch on a real Dask LocalCluster of two single-threaded worker processes
    on this machine (the scheduler in this process)."""
    try:
        import distributed
    except ImportError:
        rows.append(("batch on Dask", "not installed", "pip install 'qa-engine[dask]'"))
        return {}
    import psutil  # a dependency of distributed

    def cluster_cpu() -> float:  # the nannies and workers are this process's children
        total = 0.0
        for proc in psutil.Process().children(recursive=True):
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        me = psutil.Process()
        c0, s0 = cluster_cpu(), sum(me.cpu_times()[:2])
        info = batch(tmp, inputs, n, 4, "none", "JSON, --html none", rows, scheduler=cluster.scheduler_address)
        # (the batch process has exited: it is no longer among the children)
        workers, scheduler = cluster_cpu() - c0, sum(me.cpu_times()[:2]) - s0
    if info:
        rows.append(("Dask: CPU of the cluster (2 workers with their nannies; the scheduler)",
                     f"{1000 * workers / n:.1f} ms; {1000 * scheduler / n:.1f} ms per dossier",
                     "beside the local batch's CPU per dossier over all processes"))
    return info


def profile(n: int) -> str:
    """cProfile of the worker's per-dossier path (``process_chunk``: parse, validate,
    evaluate, explain, build the report, hash and compress it; ``--html none``), the
    top lines by cumulative time."""
    import cProfile
    import io
    import pstats

    from qa_engine.services.batch.worker import WorkerSpec, process_chunk
    from qa_engine.services.check import resolve

    s = resolve(ruleset="quality-review", as_of=AS_OF)
    spec = WorkerSpec(ruleset=s.ruleset.ref, rubric=s.rubric.ref, ruleset_sha256=s.ruleset.sha256,
                      rubric_sha256=s.rubric.sha256, as_of=AS_OF, engine=s.engine, html="none", json="none")
    items = [(i, f"d-{i}.yaml", yaml.dump(d, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False).encode())
             for i, d in enumerate(dossiers(n))]
    process_chunk(spec, items[:5], frozenset(), None)  # set-up and compile outside the profile
    t0 = time.process_time()
    process_chunk(spec, items, frozenset(), None)
    plain = time.process_time() - t0
    pr = cProfile.Profile()
    pr.enable()
    process_chunk(spec, items, frozenset(), None)
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf)
    st.sort_stats("cumulative").print_stats(r"qa_engine|pydantic|zstandard|json", 22)
    lines = [ln.replace(str(HERE.parent) + "/", "") for ln in buf.getvalue().splitlines()
             if ln.strip() and not ln.lstrip().startswith(("Ordered", "List reduced"))]
    return (f"{n} YAML dossiers, quality-review, engine {s.engine}, --html none: {1000 * plain / n:.1f} ms CPU "
            "per dossier without the profiler.\n\n```\n" + "\n".join(lines) + "\n```\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000, help="dossiers per batch run")
    ap.add_argument("--yaml-n", type=int, default=2_000, help="dossiers for the YAML floors")
    ap.add_argument("--skip-html-all", action="store_true")
    ap.add_argument("--profile-n", type=int, default=200, help="dossiers for the worker profile (0: none)")
    ap.add_argument("--dask-only", action="store_true",
                    help="only local (2 workers) against Dask (a LocalCluster of 2 worker processes)")
    ap.add_argument("--memory-n", type=int, default=0,
                    help="also one batch of this many dossiers (2 workers, --html none) for its peak memory")
    ap.add_argument("--write", type=Path, help="write the results as Markdown here")
    ap.add_argument("--append", type=Path, help="append them, as a section, to this Markdown file")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="qa-pipeline-"))
    started = time.perf_counter()
    start_load = load()
    try:
        prof = profile(args.profile_n) if args.profile_n and not args.dask_only else ""
        if not args.dask_only:
            floors(min(args.n, 10_000), args.yaml_n, rows)
        for r in rows:
            print(" | ".join(r), flush=True)
        jin, yin = tmp / "json", tmp / "yaml"
        write_inputs(jin, args.n, "json")
        runs: dict[tuple[str, int], dict[str, Any]] = {}
        plan = [("JSON, --html none", jin, 2, "none")] if args.dask_only else [
            ("JSON, --html none", jin, 1, "none"),
            ("JSON, --html none", jin, 2, "none"),
            ("YAML, --html none", yin, 2, "none"),
            *((("JSON, --html all", jin, 2, "all"),) if not args.skip_html_all else ()),
        ]
        if not args.dask_only:
            write_inputs(yin, args.n, "yaml")
        for label, inputs, workers, html in plan:
            runs[(label, workers)] = batch(tmp, inputs, args.n, workers, html, label, rows)
            print(" | ".join(rows[-1]), flush=True)
        remote = dask_batch(tmp, jin, args.n, rows)
        print(" | ".join(rows[-1]), flush=True)
        local2 = runs.get(("JSON, --html none", 2))
        if local2 and remote:
            rows.append(("Dask (2 worker processes) / local (2 workers), JSON, --html none",
                         f"{remote['rate'] / local2['rate']:.2f}x", "target >= 1.0x"))
        one, two = runs.get(("JSON, --html none", 1)), runs.get(("JSON, --html none", 2))
        if one and two:
            rows.append(("batch speed-up, 2 workers vs 1 (JSON, --html none)", f"{two['rate'] / one['rate']:.2f}x",
                         "target >= 1.8x"))
        y = runs.get(("YAML, --html none", 2))
        if y and two:
            rows.append(("YAML batch time / JSON batch time (2 workers)", f"{two['rate'] / y['rate']:.2f}x",
                         "target <= 1.3x"))
        if args.memory_n:  # the batch process must not grow with the folder
            big = tmp / "big"
            write_inputs(big, args.memory_n, "json")
            shutil.rmtree(jin, ignore_errors=True)
            shutil.rmtree(yin, ignore_errors=True)
            at_scale = batch(tmp, big, args.memory_n, 2, "none", "JSON, --html none, for memory", rows)
            print(" | ".join(rows[-1]), flush=True)
            if at_scale and two:
                rows.append((f"peak RSS of the largest batch process, N={args.memory_n:,} / N={args.n:,}",
                             f"{at_scale['peak']:.0f} MB / {two['peak']:.0f} MB", "target < 500 MB at 100,000"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = time.perf_counter() - started
    table = ["| measurement | figure | note |", "|---|---:|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    print("\n".join(table))
    head = (
        "## The quality-review pipeline (`bench/pipeline.py`)\n\n"
        f"Command: `python bench/pipeline.py --n {args.n:,}{' --dask-only' if args.dask_only else ''}"
        f"{f' --memory-n {args.memory_n:,}' if args.memory_n else ''}` ({dt.date.today().isoformat()}; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}); "
        f"{total:.0f} s; load average {start_load} at the start, {load()} at the end.\n\n"
    )
    text = head + "\n".join(table) + "\n"
    if prof:
        text += "\n### Where a worker's time goes (cProfile, top lines)\n\n" + prof
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    if args.append:
        with args.append.open("a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
