"""The benchmark suite: every figure in one run, printed as a table with ratios.

usage: python bench/run.py [--quick] [--write bench/RESULTS.md]

Floors (what no engine can beat) are measured on the same corpus as the engines:
JSON and YAML parsing, pydantic validation, and a plain-Python evaluation of the same
compiled conditions with no engine around them. Then both engines at R = 20 and
R = 100 criteria, the end-to-end batch (validate, evaluate, score, store in SQLite,
render HTML + JSON reports) with 1 and 2 workers, peak memory at two corpus sizes,
ruleset load + compile time, and the wall time of one `qa-engine check`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import dossiers, write_corpus, write_ruleset  # noqa: E402

from qa_engine.engine import durable_available, get_engine  # noqa: E402
from qa_engine.engine.verdicts import ALWAYS, decide  # noqa: E402
from qa_engine.formats.dossier import Dossier  # noqa: E402
from qa_engine.lang.evaluator import Context, compile_expr  # noqa: E402
from qa_engine.rules.registry import Registry  # noqa: E402

AS_OF = dt.date(2026, 1, 1)
QA = [sys.executable, "-m", "qa_engine"]


def timed(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best of ``repeat`` wall times (the machine is noisy; the minimum is the signal)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, value: str, ratio: str = "", note: str = "") -> None:
        self.rows.append((what, value, ratio, note))
        print(f"  {what:58s} {value:>16s} {ratio:>10s}  {note}", flush=True)

    def markdown(self) -> str:
        out = ["| measurement | figure | ratio | note |", "|---|---:|---:|---|"]
        out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        return "\n".join(out)


def plain_floor(rs: Any) -> Callable[[dict[str, Any]], None]:
    """The same compiled conditions, called directly: levels in order, first true wins."""
    plan = []
    for stratum in rs.strata:
        for c in stratum:
            app = compile_expr(c.applies) if c.applies is not None else None
            plan.append((c.id, app, [(lv.level, compile_expr(lv.expr)) for lv in c.levels]))

    def run(data: dict[str, Any]) -> None:
        states: dict[str, str] = {}
        ctx = Context(as_of=AS_OF, states=states)
        for cid, app, levels in plan:
            a: Any = ALWAYS if app is None else app(data, ctx)
            vals = []
            if a is True or a == ALWAYS:
                for name, fn in levels:
                    v = fn(data, ctx)
                    vals.append((name, v))
                    if v is True:
                        break
            states[cid] = decide(a, vals)

    return run


def _tree_peak_mb(root: int) -> float:
    """The largest VmHWM (peak resident memory of an address space) among ``root`` and
    its descendants right now (Linux /proc; 0 elsewhere)."""
    parents: dict[int, int] = {}
    hwm: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm[int(entry.name)] = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    best = 0.0
    for pid, mb in hwm.items():
        p = pid
        while p > 1:
            if p == root:
                best = max(best, mb)
                break
            p = parents.get(p, 0)
    return best


def run_measured(cmd: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run ``cmd``; return the result, its wall time and the peak resident memory of its
    largest process (sampled: VmHWM of every process of the tree while it runs)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_peak_mb(proc.pid))
        time.sleep(0.25)
    out, err = proc.communicate()
    el = time.perf_counter() - t0
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), el, peak


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small N, for a smoke run")
    ap.add_argument("--write", type=Path, help="write the results as Markdown here")
    args = ap.parse_args()
    n = 1000 if args.quick else 10_000
    n_big = 5000 if args.quick else 100_000
    # the batch renders a full HTML audit report per dossier (~25 ms of CPU at R = 100):
    # 2,000 dossiers per worker count keep `make bench` inside its 10-minute budget
    n_batch = 300 if args.quick else 2_000
    tmp = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    table = Table()
    started = time.perf_counter()
    print(f"qa-engine benchmarks: N={n:,}, Python {platform.python_version()}, {os.cpu_count()} cores")
    try:
        # ------------------------------------------------------------ floors
        docs = dossiers(n)
        texts = [json.dumps(d) for d in docs]
        t_json = timed(lambda: [json.loads(t) for t in texts])
        table.add(f"floor: JSON parse, N={n:,}", rate(n, t_json))
        from ruamel.yaml import YAML

        from qa_engine.formats.loader import load_document

        ydump = YAML(typ="safe", pure=True)
        import io

        ytexts = []
        for d in docs[:200]:
            buf = io.StringIO()
            ydump.dump(d, buf)
            ytexts.append(buf.getvalue())
        t_yaml = timed(lambda: [load_document(text=t) for t in ytexts], repeat=1)
        table.add("floor: YAML parse with line map (200 dossiers)", rate(len(ytexts), t_yaml), note="pure-Python ruamel")
        t_val = timed(lambda: [Dossier.model_validate(d) for d in docs])
        table.add(f"floor: pydantic validation, N={n:,}", rate(n, t_val))
        datas = [Dossier.model_validate(d).model_dump(mode="python") for d in docs]

        # ------------------------------------------------------------ engines
        for r in (20, 100):
            ref = write_ruleset(tmp / f"r{r}", r)
            reg = Registry(ruleset_dirs=[tmp / f"r{r}" / "rulesets"], include_bundled=False)
            t0 = time.perf_counter()
            rs = reg.ruleset(ref)
            t_load = time.perf_counter() - t0
            floor = plain_floor(rs)
            t_floor = timed(lambda floor=floor: [floor(d) for d in datas])
            table.add(f"floor: plain-Python conditions, R={r}, N={n:,}", rate(n, t_floor), "1.00x")
            py = get_engine(rs, "python")
            t_py = timed(lambda py=py: [py.evaluate(d, AS_OF) for d in datas])
            table.add(f"engine python, R={r}", rate(n, t_py), f"{t_py / t_floor:.2f}x", "target <= 1.5x floor")
            if durable_available():
                t0 = time.perf_counter()
                du = get_engine(rs, "durable")
                t_compile = time.perf_counter() - t0
                t_du = timed(lambda du=du: [du.evaluate(d, AS_OF) for d in datas])
                table.add(f"engine durable, R={r}", rate(n, t_du), f"{t_du / t_floor:.2f}x", "target <= 5x floor (R=100)")
                if r == 100:
                    table.add("ruleset load + compile, R=100", f"{t_load + t_compile:.3f} s", "", "target < 1 s")

        # ------------------------------------------------------------ end to end
        corpus = tmp / "corpus"
        write_corpus(corpus, n_batch)
        ref = "bench@1.0.0"
        rsdir = tmp / "r100" / "rulesets"
        rates = {}
        batch_rss = 0.0
        for workers in (1, 2):
            out = tmp / f"out{workers}"
            cmd = [*QA, "batch", str(corpus), "--ruleset", ref, "--rulesets-dir", str(rsdir),
                   "--out", str(out), "--db", str(out / "store.sqlite"), "--workers", str(workers),
                   "--as-of", AS_OF.isoformat()]
            kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res, el, peak = run_measured(cmd)
            kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if res.returncode not in (0, 1):
                table.add(f"batch end to end, {workers} worker(s)", "failed", note=res.stderr.strip()[-200:])
                continue
            cpu = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
            batch_rss = max(batch_rss, peak)
            rates[workers] = n_batch / el
            note = f"CPU {1000 * cpu / n_batch:.1f} ms per dossier (all processes)"
            if workers == 2:
                note += "; target >= 500/s (2 workers)"
            table.add(f"batch end to end (HTML+JSON+SQLite), R=100, N={n_batch:,}, {workers} worker(s)",
                      rate(n_batch, el), "", note)
            shutil.rmtree(out, ignore_errors=True)
        if 1 in rates and 2 in rates:
            table.add("batch speed-up, 2 workers vs 1", f"{rates[2] / rates[1]:.2f}x", "", "target >= 1.7x")
        if batch_rss:
            table.add(f"peak RSS of one batch process (parent or worker), N={n_batch:,}", f"{batch_rss:.0f} MB")

        # ------------------------------------------------------------ memory
        for size in (n, n_big):
            res = subprocess.run(
                [sys.executable, str(HERE / "rss_probe.py"), str(size), str(rsdir), ref],
                capture_output=True, text=True,
            )
            if res.returncode != 0:
                table.add(f"peak RSS, N={size:,}", "failed", note=res.stderr.strip()[-200:])
                continue
            info = json.loads(res.stdout)
            table.add(f"peak RSS, stream through engine ({info['engine']}) + score, R=100, N={size:,}",
                      f"{info['max_rss_mb']:.0f} MB", "", f"{info['rate']:,.0f}/s; target < 500 MB at 100,000")

        # ------------------------------------------------------------ one check
        one = ROOT / "examples" / "dossiers" / "uni-data-analytics.yaml"
        walls = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([*QA, "check", str(one), "--as-of", AS_OF.isoformat()], capture_output=True)
            walls.append(time.perf_counter() - t0)
        table.add("`qa-engine check` one dossier, process start included", f"{statistics.median(walls):.3f} s",
                  "", "median of 5; target < 1 s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = time.perf_counter() - started
    print(f"total {total:.0f} s")
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        text = (
            "# Benchmark results\n\n"
            f"Command: `make bench` (`python bench/run.py --write bench/RESULTS.md`), run on {dt.date.today().isoformat()}.  \n"
            f"Machine: {machine}.  \nTotal time {total:.0f} s; the benchmark process itself peaked at {peak:.0f} MB.\n\n"
            "Ratios are against the plain-Python floor measured in the same run (same corpus, same\n"
            "compiled conditions, no engine). Absolute figures are noisy on this shared 2-core\n"
            "machine; the ratios are the stable part.\n\n"
            + table.markdown() + "\n"
        )
        args.write.write_text(text)
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
