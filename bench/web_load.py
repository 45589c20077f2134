"""Load on the web workspace: concurrent providers self-checking dossiers against
`qa-engine serve` (a real uvicorn process on loopback over a fresh SQLite store).

usage: python bench/web_load.py [--users 20] [--duration 120] [--think 1.0]
                                [--ruleset quality-review] [--append bench/RESULTS.md]

Each user is a provider of one of 20 organisations with an API token. In a loop until
the duration ends, a user uploads one of the example dossiers as a new draft (POST
/api/v1/submissions: parse, validate, evaluate, score, store), reads its report (GET
…/report?format=json) and its page's JSON twin (GET …/{id}), and lists its
organisation's submissions (GET /api/v1/submissions), waiting ``--think`` seconds
(uniform 0.5x–1.5x) between requests as a person clicking through would, and starting
at a random moment of the first 2x ``--think`` seconds; ``--think 0``
is a closed loop that measures capacity. Reported: p50/p95/p99 latency per request kind
and overall, requests per second, and errors (a transport error or any status other than
the expected one). The load goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = sorted((ROOT / "examples" / "dossiers").glob("*.yaml"))
KINDS = ("upload", "report", "submission", "list")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(db: str, users: int) -> list[str]:
    """``users`` providers (one per organisation), each with an API token."""
    from qa_engine.services import accounts
    from qa_engine.store import open_store

    secrets = []
    with open_store(db, actor="bench") as store:
        for i in range(users):
            slug = f"load-org-{i:02d}"
            accounts.add_organisation(store, slug, f"Load Org {i}", actor="bench")
            email = f"p{i:02d}@{slug}.example"
            accounts.add_user(store, email, role="provider", org=slug, password=None, actor="bench")
            secrets.append(accounts.create_token(store, email, name="load", actor="bench").secret)
    return secrets


def _serve(db: str, port: int, log: Path | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # its access log (a line a request) goes to a file: a pipe nobody reads fills up
    # after ~600 requests and then blocks the server
    err: Any = log.open("wb") if log else subprocess.DEVNULL
    # -X faulthandler: a SIGABRT prints every thread's stack (where a stalled server waits)
    proc = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "qa_engine", "serve", "--db", db,
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=err)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"qa-engine serve exited ({proc.returncode})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("qa-engine serve did not answer within 60 s")


class User(threading.Thread):
    def __init__(self, n: int, base: str, token: str, until: float, think: float, ruleset: str) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.until, self.think, self.ruleset = base, token, until, think, ruleset
        self.rng = random.Random(n)
        self.samples: list[tuple[str, float]] = []
        self.errors: list[str] = []

    def _wait(self) -> None:
        if self.think > 0:
            time.sleep(min(self.think * self.rng.uniform(0.5, 1.5), max(0.0, self.until - time.monotonic())))

    def _call(self, c: Any, kind: str, method: str, path: str, want: int, **kw: Any) -> Any:
        start = time.perf_counter()
        try:
            r = c.request(method, path, **kw)
        except Exception as exc:  # a transport error is an error, and the run goes on
            self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        self.samples.append((kind, time.perf_counter() - start))
        if r.status_code != want:
            self.errors.append(f"{kind}: HTTP {r.status_code}: {r.text[:200]}")
            return None
        return r

    def run(self) -> None:
        import httpx

        with httpx.Client(base_url=self.base, timeout=60,
                          headers={"Authorization": f"Bearer {self.token}"}) as c:
            if self.think > 0:  # people do not all click at the same instant: arrivals spread
                time.sleep(self.rng.uniform(0, 2 * self.think))
            while time.monotonic() < self.until:
                path = self.rng.choice(EXAMPLES)
                r = self._call(c, "upload", "POST", "/api/v1/submissions", 201,
                               files={"file": (path.name, path.read_bytes())}, data={"ruleset": self.ruleset})
                self._wait()
                if r is None:
                    continue
                cid = r.json()["id"]
                for kind, url in (("report", f"/api/v1/submissions/{cid}/report?format=json"),
                                  ("submission", f"/api/v1/submissions/{cid}"),
                                  ("list", "/api/v1/submissions")):
                    if time.monotonic() >= self.until:
                        break
                    self._call(c, kind, "GET", url, 200)
                    self._wait()


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--duration", type=float, default=120.0, help="seconds of load (default 120)")
    ap.add_argument("--think", type=float, default=1.0,
                    help="mean seconds a user waits between requests (0: a closed loop)")
    ap.add_argument("--ruleset", default="quality-review")
    ap.add_argument("--append", type=Path, help="append the results as Markdown to this file")
    ap.add_argument("--server-log", type=Path, help="keep the server's standard error (its access log) here")
    ap.add_argument("--note", default="", help="a note printed beside the figures (e.g. the machine's load)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory(prefix="qa-web-load-") as tmp:
        db = str(Path(tmp) / "web.sqlite")
        tokens = _seed(db, args.users)
        port = _free_port()
        server = _serve(db, port, args.server_log or Path(tmp) / "server.log")
        print(f"server pid {server.pid} on port {port}", flush=True)
        try:
            # warm-up, outside the figures: the server's first upload of a ruleset loads
            # and compiles it (once a process); the cold figure is printed on its own
            import httpx

            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120,
                              headers={"Authorization": f"Bearer {tokens[0]}"}) as c:
                t0 = time.perf_counter()
                r = c.post("/api/v1/submissions", files={"file": (EXAMPLES[0].name, EXAMPLES[0].read_bytes())},
                           data={"ruleset": args.ruleset})
                cold = time.perf_counter() - t0
                if r.status_code != 201:
                    raise RuntimeError(f"the warm-up upload got HTTP {r.status_code}: {r.text[:300]}")
            load_before = os.getloadavg()[0]
            start = time.monotonic()
            until = start + args.duration
            users = [User(i, f"http://127.0.0.1:{port}", tokens[i], until, args.think, args.ruleset)
                     for i in range(args.users)]
            for u in users:
                u.start()
            for u in users:
                u.join(args.duration + 120)
            wall = time.monotonic() - start
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        load_after = os.getloadavg()[0]

    samples = [s for u in users for s in u.samples]
    errors = [e for u in users for e in u.errors]
    rows: list[tuple[str, int, float, float, float]] = []
    for kind in (*KINDS, "all"):
        ms = [t * 1000 for k, t in samples if kind in ("all", k)]
        rows.append((kind, len(ms), _pct(ms, 50), _pct(ms, 95), _pct(ms, 99)))
    overall = rows[-1]
    target = "met" if overall[3] < 300 and not errors else "missed"
    when = dt.date.today().isoformat()
    head = (f"Command: `python bench/web_load.py --users {args.users} --duration {args.duration:g} "
            f"--think {args.think:g} --ruleset {args.ruleset}` ({when}; {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}; server and load generator on the same "
            f"machine); {wall:.0f} s, {len(samples)} requests ({len(samples) / wall:.1f}/s), "
            f"{len(errors)} errors; load average {load_before:.1f} at the start, {load_after:.1f} at the end; "
            f"the server's first upload (loading and compiling {args.ruleset}, before the clock) took {cold * 1000:.0f} ms."
            + (f" {args.note}" if args.note else ""))
    lines = [head, "", "| request | n | p50 | p95 | p99 |", "|---|---:|---:|---:|---:|"]
    for kind, n, p50, p95, p99 in rows:
        lines.append(f"| {kind} | {n} | {p50:.0f} ms | {p95:.0f} ms | {p99:.0f} ms |")
    lines += ["", f"Target p95 < 300 ms with 0 errors: {target} (p95 {overall[3]:.0f} ms, {len(errors)} errors)."]
    if errors:
        lines.append("First errors: " + "; ".join(sorted(set(errors))[:5]))
    text = "\n".join(lines)
    print(text)
    if args.append:
        with args.append.open("a", encoding="utf-8") as f:
            f.write("\n" + text + "\n")
    mean = statistics.fmean(t for _, t in samples) * 1000 if samples else float("nan")
    print(f"(mean latency {mean:.0f} ms)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
