"""kill -9 in the middle of a batch, several times, then run it to completion: every
dossier is evaluated exactly once, no file is ever half-written, no temporary file is
left, and the audit log verifies."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_helpers import AS_OF, db_rows, generate

from qa_engine.store import open_store

N = 200
KILLS = 4


def _cmd(inp: Path, out: Path, db: Path) -> list[str]:
    return [
        sys.executable, "-m", "qa_engine", "batch", str(inp), "--out", str(out),
        "--db", str(db), "--as-of", AS_OF, "--workers", "2",
    ]


def _visible_files_are_whole(out: Path) -> None:
    """What a reader can open is complete; only .tmp files may be partial."""
    for p in (out / "reports").glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))
    for p in (out / "reports").glob("*.html"):
        assert p.read_text(encoding="utf-8").endswith("</html>\n"), p
    if (out / "index.html").exists():
        assert (out / "index.html").read_text(encoding="utf-8").endswith("</html>\n")


@pytest.mark.slow
def test_kill_9_and_resume(tmp_path: Path) -> None:
    inp, out, db = tmp_path / "in", tmp_path / "out", tmp_path / "qa.sqlite"
    ids = generate(inp, N)
    seed = int(os.environ.get("QA_ENGINE_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    killed_with_work_done = 0
    for n in range(KILLS):
        proc = subprocess.Popen(
            _cmd(inp, out, db), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        )
        # kill at a random moment once this run has done some work of its own
        journal = out / ".qa-batch" / "records.jsonl"
        start = journal.stat().st_size if journal.exists() else 0
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if journal.exists() and journal.stat().st_size > start:
                break
            time.sleep(0.05)
        try:
            proc.wait(timeout=rng.uniform(0.0, 2.0))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)  # the batch process itself, mid-flight
            proc.wait(timeout=30)
        log = proc.stdout.read().decode() if proc.stdout else ""
        if proc.returncode == 0:  # finished before the kill: nothing more to break
            break
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}, run {n}: {log}"
        _visible_files_are_whole(out)
        if db.exists() and db_rows(db, "SELECT COUNT(*) FROM evaluation")[0][0]:
            killed_with_work_done += 1
    done = subprocess.run(_cmd(inp, out, db), capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"seed {seed}: {done.stdout}{done.stderr}"
    assert f"{N} dossier file(s):" in done.stdout and " 0 rejected" in done.stdout
    # every dossier evaluated exactly once
    assert db_rows(db, "SELECT COUNT(*), COUNT(DISTINCT dossier_sha256) FROM evaluation") == [(N, N)]
    assert sorted(r[0] for r in db_rows(db, "SELECT dossier_id FROM evaluation")) == ids
    assert db_rows(db, "SELECT COUNT(*) FROM rejection") == [(0,)]
    # the output folder: one JSON and one HTML report per dossier, nothing partial or temporary
    assert sorted(p.stem for p in (out / "reports").glob("*.json")) == ids
    assert sorted(p.stem for p in (out / "reports").glob("*.html")) == ids
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == []
    _visible_files_are_whole(out)
    lines = (out / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == N + 1 and all(",evaluated," in line for line in lines[1:])
    # a last run evaluates nothing
    again = subprocess.run(_cmd(inp, out, db), capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0 and f"0 evaluated, {N} already evaluated" in again.stdout
    # the audit trail is intact
    with open_store(str(db)) as store:
        assert store.verify_audit().ok
    verify = subprocess.run(
        [sys.executable, "-m", "qa_engine", "audit", "verify", "--db", str(db)],
        capture_output=True, text=True, env=env,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    print(f"kill seed {seed}: {killed_with_work_done} of {KILLS} kills hit a batch with work done")
