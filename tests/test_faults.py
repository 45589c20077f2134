"""Fault injection against the real CLI (``python -m qa_engine batch ...`` in subprocesses).

Each test breaks something from outside, the way production breaks, and then holds the
batch to its contract — exit codes, the files of the output folder, the store's rows and
``qa-engine audit verify`` — never to its internals, so that the tests hold across
rewrites of the batch runner:

1. ``kill -9`` of the batch at seeded random moments, over 20 times, and of its worker
   processes twice; each time the same command resumes, then a last run completes:
   every dossier is evaluated exactly once, no visible file is partial, no temporary
   file is left, ``summary.csv`` lists every input once, the audit log verifies.
2. The disk of the output folder fills up mid-batch (a small tmpfs, plus a filler
   file): exit 2 with one line about the space, no traceback, nothing partial visible,
   the store consistent; after the filler is deleted the same command completes.
3. Another process holds the SQLite write lock (``BEGIN EXCLUSIVE``) longer than the
   retry budget (``$QA_ENGINE_DB_TIMEOUT``): batch, ``review override`` and (with a
   lock that also blocks readers) ``history`` stop within the budget with one line;
   released within the budget, they succeed.
4. PostgreSQL connections are terminated (``pg_terminate_backend``) mid-batch: the
   batch reconnects or stops with one line; a rerun completes; exactly once; verified.

Seeds: ``QA_ENGINE_FAULT_SEED`` (default: from the clock; printed, and named in every
assertion message) replays a run of the kill test.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import AS_OF, generate

#: kill -9 of the whole batch, and of its workers only (on top)
PARENT_KILLS = 20
WORKER_KILL_RUNS = (6, 15)
KILL_CORPUS = 200
#: the retry budget (seconds) of the lock test: small, so that the test is quick
LOCK_BUDGET = 1.5

PY = sys.executable


# --------------------------------------------------------------------------- running the CLI


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QA_ENGINE_DEBUG", "QA_ENGINE_DB")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def batch_cmd(inputs: Sequence[Path], out: Path, db: str) -> list[str]:
    return [
        PY,
        "-m",
        "qa_engine",
        "batch",
        *map(str, inputs),
        "--out",
        str(out),
        "--db",
        db,
        "--as-of",
        AS_OF,
        "--workers",
        "2",
    ]


def qa(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "qa_engine", *args],
        capture_output=True,
        text=True,
        env=env or _env(),
        timeout=timeout,
    )


def audit_ok(db: str) -> None:
    res = qa("audit", "verify", "--db", db)
    assert res.returncode == 0, f"audit verify: {res.stdout}{res.stderr}"
    assert "audit log OK" in res.stdout


def error_line(stderr: str) -> str:
    """The command failed cleanly: no traceback, and exactly one error line, the last."""
    assert "Traceback" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower()]
    assert len(errors) == 1, f"expected one error line, got:\n{stderr}"
    assert lines[-1] == errors[0], f"the error is not the last line:\n{stderr}"
    return errors[0]


# --------------------------------------------------------------------------- the contract


def store_rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on the store (a SQLite file path or a SQLAlchemy PostgreSQL URL)."""
    if "://" not in db:
        import sqlite3

        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return [tuple(r) for r in con.execute(sql)]
        finally:
            con.close()
    from sqlalchemy import create_engine, text

    eng = create_engine(db)
    try:
        with eng.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        eng.dispose()


def assert_evaluated_once(db: str, ids: Sequence[str], why: str = "") -> None:
    """Exactly one evaluation row per dossier, all with one ruleset and rubric; no rejection."""
    rows = store_rows(
        db, "SELECT dossier_id, dossier_sha256, ruleset_sha256, rubric_sha256 FROM evaluation"
    )
    per_key = Counter((d, rs, rb) for _i, d, rs, rb in rows)
    assert [k for k, n in per_key.items() if n > 1] == [], f"{why}: evaluated more than once"
    assert len({(rs, rb) for _i, _d, rs, rb in rows}) == 1, f"{why}: several rulesets/rubrics"
    by_id = Counter(r[0] for r in rows)
    assert sorted(by_id) == sorted(ids), f"{why}: evaluated ids differ from the inputs"
    assert max(by_id.values()) == 1, f"{why}: {[i for i, n in by_id.items() if n > 1]}"
    assert store_rows(db, "SELECT COUNT(*) FROM rejection") == [(0,)], why


def assert_visible_files_whole(out: Path, why: str = "") -> None:
    """Whatever a reader can see in the output folder is complete; only hidden files
    (temporary files of interrupted writes) may be partial."""
    reports = out / "reports"
    if reports.is_dir():
        for p in reports.iterdir():
            if p.name.startswith("."):
                continue
            assert p.suffix in (".json", ".html"), f"{why}: unexpected visible file {p.name}"
            text = p.read_text(encoding="utf-8")
            if p.suffix == ".json":
                try:
                    json.loads(text)
                except ValueError:
                    pytest.fail(f"{why}: {p.name} is not whole JSON ({len(text)} chars)")
            else:
                assert text.rstrip().endswith("</html>"), f"{why}: {p.name} is cut short"
    index = out / "index.html"
    if index.exists():
        assert index.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"{why}: index.html"


def temporary_files(out: Path) -> list[Path]:
    return [
        p for p in out.rglob("*") if p.name.endswith((".tmp", ".temp")) or p.name.startswith(".qa-engine-")
    ]


def assert_complete(out: Path, db: str, ids: Sequence[str], why: str = "") -> None:
    """The whole contract after a batch that completed."""
    assert_evaluated_once(db, ids, why)
    assert_visible_files_whole(out, why)
    assert temporary_files(out) == [], f"{why}: temporary files left"
    reports = out / "reports"
    json_ids = Counter(
        json.loads(p.read_text(encoding="utf-8"))["dossier"]["id"] for p in reports.glob("*.json")
    )
    assert sorted(json_ids) == sorted(ids) and max(json_ids.values()) == 1, f"{why}: JSON reports"
    assert len(list(reports.glob("*.html"))) == len(ids), f"{why}: HTML reports"
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    files = Counter(Path(r["file"]).name for r in rows)
    assert sorted(files) == sorted(f"{i}.yaml" for i in ids), f"{why}: summary.csv inputs"
    assert max(files.values()) == 1, f"{why}: summary.csv lists an input twice"
    assert {r["status"] for r in rows} == {"evaluated"}, f"{why}: summary.csv statuses"
    audit_ok(db)


# --------------------------------------------------------------------------- processes


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rfind(")") + 2 :].split()[1])


def worker_pids(parent: int) -> list[int]:
    """The batch's worker processes: its children except multiprocessing's resource tracker."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or _ppid(int(entry)) != parent:
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmd:
            out.append(int(entry))
    return out


def _report_count(out: Path) -> int:
    try:
        return len(os.listdir(out / "reports"))
    except OSError:
        return 0


def _wait_for_work(proc: subprocess.Popen[bytes], out: Path, start: int, limit: float = 60) -> None:
    """Until this run has written into reports/ (or it ended)."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if _report_count(out) != start:
            return
        time.sleep(0.02)


# --------------------------------------------------------------------------- 1. kill -9


def test_kill_9_at_random_points_then_resume(tmp_path: Path) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc (Linux) to find the worker processes")
    inp, out, db = tmp_path / "in", tmp_path / "out", str(tmp_path / "qa.sqlite")
    ids = generate(inp, KILL_CORPUS)
    seed = int(os.environ.get("QA_ENGINE_FAULT_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    env = _env()
    cmd = batch_cmd([inp], out, db)
    parent_kills = worker_kills = with_work = grown = 0
    t_start = time.monotonic()
    run = 0
    while parent_kills < PARENT_KILLS or worker_kills < len(WORKER_KILL_RUNS):
        run += 1
        why = f"seed {seed}, run {run}"
        kill_workers = run in WORKER_KILL_RUNS or (
            parent_kills >= PARENT_KILLS and worker_kills < len(WORKER_KILL_RUNS)
        )
        before = _report_count(out)
        log = tmp_path / f"run{run}.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
            try:
                early = not kill_workers and rng.random() < 0.3
                if early:  # anywhere from interpreter start-up to the first reports
                    time.sleep(rng.uniform(0.05, 1.5))
                else:  # once this run has written something of its own
                    _wait_for_work(proc, out, before)
                    time.sleep(rng.uniform(0.0, 0.6))
                if proc.poll() is None:
                    if kill_workers:
                        pids = worker_pids(proc.pid)
                        # none: every chunk is done and the pool has shut down; the run
                        # must then finish by itself (exit 0, handled below)
                        assert pids or proc.wait(timeout=120) == 0, f"{why}: no worker processes found"
                        for pid in pids:
                            with contextlib.suppress(ProcessLookupError):
                                os.kill(pid, signal.SIGKILL)
                    else:
                        proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=120)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        text = log.read_text(encoding="utf-8", errors="replace")
        if proc.returncode == 0:  # finished before the kill: give it more to do
            assert_visible_files_whole(out, why)
            # each resumed run has only what is left to do: on a quiet machine late runs can
            # finish inside the random delay, so give them more (a bound on the test's own
            # loop, not on the batch: every kill below is still checked as before)
            ids += generate(inp, 40 * (grown + 1), prefix=f"more{run}")
            grown += 1
            assert grown <= 10, f"{why}: the batch keeps finishing before the kill"
            continue
        if kill_workers:
            assert proc.returncode == 2, (
                f"{why}: killed workers gave exit {proc.returncode}:\n{text}"
            )
            line = error_line(text)
            assert "worker" in line.lower(), f"{why}: {line}"
            worker_kills += 1
        else:
            assert proc.returncode == -signal.SIGKILL, f"{why}: exit {proc.returncode}:\n{text}"
            parent_kills += 1
        assert_visible_files_whole(out, why)
        if _report_count(out) != before:
            with_work += 1
    killed_in = time.monotonic() - t_start
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, f"seed {seed}: {done.stdout}{done.stderr}"
    assert_complete(out, db, ids, f"seed {seed}")
    # the same command once more evaluates nothing new
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert again.returncode == 0, f"seed {seed}: {again.stdout}{again.stderr}"
    assert_evaluated_once(db, ids, f"seed {seed}, after a complete rerun")
    print(
        f"kill seed {seed}: {parent_kills} kill -9 of the batch, {worker_kills} of its workers, "
        f"{with_work} runs killed after writing reports, corpus {len(ids)}, {killed_in:.0f}s of kills"
    )


# --------------------------------------------------------------------------- 2. disk full


def _can_mount() -> None:
    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip("mounting a small tmpfs needs root (runs under CI)")


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _free(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


@pytest.mark.parametrize("room", [0, 2_500_000], ids=["full-from-the-start", "fills-mid-batch"])
def test_disk_full_while_writing_reports(tmp_path: Path, room: int) -> None:
    """``room``: bytes left free for the output folder (the corpus needs ~5 MB)."""
    _can_mount()
    inp, db = tmp_path / "in", str(tmp_path / "qa.sqlite")
    ids = generate(inp, 40)
    with tmpfs(tmp_path / "disk", "16m") as disk:
        out = disk / "out"
        filler = disk / "filler.bin"
        with open(filler, "wb") as fh:
            fh.write(b"\xa5" * max(0, _free(disk) - room))
        assert _free(disk) <= room + 100_000
        cmd = batch_cmd([inp], out, db)
        full = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=300)
        assert full.returncode == 2, f"{full.stdout}{full.stderr}"
        line = error_line(full.stderr)
        assert "space" in line.lower(), line
        assert str(out) in line, f"the line does not name the folder: {line}"
        assert "internal error" not in line, line
        assert_visible_files_whole(out, "disk full")
        # the store is consistent: no dossier rejected for the disk's fault, nothing twice
        assert store_rows(db, "SELECT COUNT(*) FROM rejection") == [(0,)]
        rows = store_rows(db, "SELECT dossier_id FROM evaluation")
        assert len(rows) < len(ids), "the disk did not fill up"
        assert len(rows) == len({r[0] for r in rows})
        audit_ok(db)
        # room again: the same command resumes and completes
        filler.unlink()
        done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=300)
        assert done.returncode == 0, f"{done.stdout}{done.stderr}"
        assert_complete(out, db, ids, "after the disk was freed")
        print(f"disk full ({room} bytes free): {len(rows)} stored before: {line}")


# --------------------------------------------------------------------------- 3. SQLite locked

_HOLDER = r"""
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
if sys.argv[3] == "readers":  # also keep readers out: the WAL index stays private
    con.execute("PRAGMA locking_mode=EXCLUSIVE")
con.execute("BEGIN EXCLUSIVE")
con.execute("SELECT COUNT(*) FROM audit_log").fetchall()
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
con.close()
print("released", flush=True)
"""


@contextlib.contextmanager
def sqlite_lock(db: str, seconds: float, kind: str = "writers") -> Iterator[subprocess.Popen[str]]:
    """Another process holds the store's exclusive write lock for ``seconds``."""
    proc = subprocess.Popen(
        [PY, "-c", _HOLDER, db, str(seconds), kind], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _timed(fn: Any) -> tuple[Any, float]:
    t0 = time.monotonic()
    res = fn()
    return res, time.monotonic() - t0


def _assert_busy_line(res: subprocess.CompletedProcess[str], db: str) -> None:
    assert res.returncode == 2, f"{res.stdout}{res.stderr}"
    line = error_line(res.stderr)
    low = line.lower()
    assert "locked" in low or "busy" in low, line
    assert db in line, f"the line does not name the store: {line}"
    assert "try again" in low or "QA_ENGINE_DB_TIMEOUT" in line, f"no advice: {line}"


def test_sqlite_locked_by_another_process(tmp_path: Path) -> None:
    inp, out, db = tmp_path / "in", tmp_path / "out", str(tmp_path / "qa.sqlite")
    ids = generate(inp, 6)
    env = _env(QA_ENGINE_DB_TIMEOUT=str(LOCK_BUDGET))
    first, t_batch = _timed(
        lambda: subprocess.run(
            batch_cmd([inp], out, db), capture_output=True, text=True, env=env, timeout=300
        )
    )
    assert first.returncode == 0, first.stdout + first.stderr
    eid, dossier = store_rows(db, "SELECT id, dossier_id FROM evaluation ORDER BY id LIMIT 1")[0]
    ids += generate(inp, 3, prefix="late")  # so that the next batch has something to write
    override = (
        "review",
        "override",
        str(eid),
        "ST-AS-01",
        "--state",
        "met",
        "--reason",
        "letter of 2026-01-02",
        "--reviewer",
        "A. Jones",
        "--db",
        db,
    )
    history = ("history", dossier, "--db", db)
    # what a command costs without any lock (start-up), to bound the waits below: the
    # budget, plus one last attempt that may wait as long inside SQLite, plus slack
    _, base = _timed(lambda: qa(*history, env=env))
    bound = base + 2 * LOCK_BUDGET + 1.5

    # held longer than the budget: each stops after about the budget, with one line
    with sqlite_lock(db, 120):
        res, took = _timed(
            lambda: subprocess.run(
                batch_cmd([inp], out, db), capture_output=True, text=True, env=env, timeout=120
            )
        )
        _assert_busy_line(res, db)
        assert LOCK_BUDGET <= took < bound + 10, f"batch gave up after {took:.1f}s"
        res, took = _timed(lambda: qa(*override, env=env))
        _assert_busy_line(res, db)
        assert LOCK_BUDGET <= took < bound, f"review override gave up after {took:.1f}s"
        # a writer's lock does not keep readers out (WAL): history still answers
        res = qa(*history, env=env)
        assert res.returncode == 0 and dossier in res.stdout, res.stdout + res.stderr
    with sqlite_lock(db, 120, "readers"):  # a lock that keeps readers out too
        res, took = _timed(lambda: qa(*history, env=env))
        _assert_busy_line(res, db)
        assert LOCK_BUDGET <= took < bound, f"history gave up after {took:.1f}s"
    assert store_rows(db, "SELECT COUNT(*) FROM review_action") == [(0,)]
    assert_visible_files_whole(out, "after the locked batch")

    # released within the budget: each command waits for it and succeeds (the batch
    # first evaluates, so its lock is held about as long as a whole batch takes)
    env = _env(QA_ENGINE_DB_TIMEOUT="30")
    hold = min(t_batch + 1.0, 20.0)
    with sqlite_lock(db, hold):
        res, took = _timed(
            lambda: subprocess.run(
                batch_cmd([inp], out, db), capture_output=True, text=True, env=env, timeout=120
            )
        )
        assert res.returncode == 0, res.stdout + res.stderr
        assert took >= hold - 0.5, f"the batch did not wait for the lock ({took:.1f}s)"
    with sqlite_lock(db, 1.5):
        res, took = _timed(lambda: qa(*override, env=env))
        assert res.returncode == 0 and "override" in res.stdout, res.stdout + res.stderr
        assert took >= 1.0, f"review override did not wait for the lock ({took:.1f}s)"
    with sqlite_lock(db, 1.5, "readers"):
        res, took = _timed(lambda: qa(*history, env=env))
        assert res.returncode == 0 and "A. Jones" in res.stdout, res.stdout + res.stderr
        assert took >= 1.0, f"history did not wait for the lock ({took:.1f}s)"
    assert store_rows(db, "SELECT COUNT(*) FROM review_action") == [(1,)]
    assert_complete(out, db, ids, "after the lock was released")


# --------------------------------------------------------------------------- 4. PostgreSQL dropped


@contextlib.contextmanager
def fresh_pg_database() -> Iterator[tuple[str, str | None]]:
    """A store URL on a new database (or, without CREATEDB, a new schema of the test
    database) and the application_name that marks the batch's connections (schema
    case only: other tests may share that database)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError
    from store_fixtures import pg_base_url, pg_schema_url

    base = pg_base_url()
    name = f"qa_fault_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError:  # no CREATEDB: a schema, and the batch marked by application_name
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        url = make_url(pg_schema_url(base, name)).update_query_dict({"application_name": name})
        try:
            yield url.render_as_string(hide_password=False), name
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            admin.dispose()
        return
    u = make_url(base).set(database=name)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    try:
        yield u.render_as_string(hide_password=False), None
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgresql_connection_dropped_mid_batch(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    inp, out = tmp_path / "in", tmp_path / "out"
    ids = generate(inp, 80)
    with fresh_pg_database() as (url, app):
        cmd = batch_cmd([inp], out, url)
        kill_sql = (
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            + (" AND application_name = :app" if app else "")
        )
        watcher = create_engine(url, isolation_level="AUTOCOMMIT")
        #: (what the batch's connection was doing, how many backends were terminated)
        terminated: list[tuple[str, int]] = []
        stop = threading.Event()

        def evaluations() -> int:
            try:
                with watcher.connect() as conn:
                    return int(conn.execute(text("SELECT COUNT(*) FROM evaluation")).scalar_one())
            except DBAPIError:
                return 0  # no table yet

        def drop_connections(proc: subprocess.Popen[bytes]) -> None:
            while not stop.is_set() and proc.poll() is None and evaluations() < 5:
                time.sleep(0.05)
            # in a transaction (statements of a write under way), idle in the pool, and
            # in a transaction again
            for when in ("busy", "idle", "busy"):
                state = " AND state <> 'idle'" if when == "busy" else " AND state = 'idle'"
                deadline = time.monotonic() + 20
                with watcher.connect() as conn:
                    while not stop.is_set() and proc.poll() is None and time.monotonic() < deadline:
                        rows = conn.execute(
                            text(kill_sql + state), {"app": app} if app else {}
                        ).fetchall()
                        if any(r[0] for r in rows):
                            terminated.append((when, sum(1 for r in rows if r[0])))
                            break
                        time.sleep(0.005)
                time.sleep(0.3)

        try:
            with open(tmp_path / "run1.log", "wb") as log:
                proc = subprocess.Popen(
                    cmd, stdout=log, stderr=subprocess.PIPE, env=_env(), cwd=tmp_path
                )
                killer = threading.Thread(target=drop_connections, args=(proc,), daemon=True)
                killer.start()
                _, err = proc.communicate(timeout=300)
                stop.set()
                killer.join(timeout=30)
        finally:
            stop.set()
            watcher.dispose()
        stderr = err.decode("utf-8", "replace")
        assert terminated, f"no connection of the batch was terminated: {stderr}"
        assert proc.returncode in (0, 2), f"exit {proc.returncode}: {stderr}"
        if proc.returncode == 2:
            line = error_line(stderr)
            assert "internal error" not in line, line
        assert_visible_files_whole(out, "after the dropped connections")
        audit_ok(url)  # nothing half-committed
        rows = store_rows(url, "SELECT dossier_id FROM evaluation")
        assert len(rows) == len({r[0] for r in rows}), "an evaluation was stored twice"
        done = subprocess.run(
            cmd, capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=300
        )
        assert done.returncode == 0, f"{done.stdout}{done.stderr}"
        assert_complete(
            out, url, ids, f"after dropped connections (first run exit {proc.returncode})"
        )
        print(
            f"pg: terminated {terminated}; first run exit {proc.returncode}: {stderr.strip().splitlines()[-1]}"
        )
