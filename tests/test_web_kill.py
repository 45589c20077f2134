"""`qa-engine serve` survives a kill -9 without losing an acknowledged write: a real
server process over SQLite takes uploads from several clients at once, is killed with
SIGKILL while uploads are in flight, and is started again over the same store. Every
upload it answered 201 is there (same dossier hash, its report readable), no half-written
submission shows up, and `qa-engine audit verify` passes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from web_helpers import free_port
from workspace_helpers import EXAMPLES, ROOT, people

from qa_engine.services import accounts
from qa_engine.store import open_store

NAMES = ("mooc-intro-ai", "bootcamp-web-dev", "uni-data-analytics")


def _serve(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # the access log to a file: a pipe nobody reads would fill up and block the server
    proc = subprocess.Popen([sys.executable, "-m", "qa_engine", "serve", "--db", db, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("qa-engine serve did not answer within 90 s")


def test_kill_9_loses_no_acknowledged_upload(tmp_path: Path) -> None:
    db = str(tmp_path / "web.sqlite")
    with open_store(db, actor="test") as store:
        ws = people(store)
        secret = accounts.create_token(store, ws.users["provider"].email, name="kill", actor="test").secret
    files = {n: (EXAMPLES / f"{n}.yaml").read_bytes() for n in NAMES}
    port = free_port()
    server = _serve(db, port, tmp_path / "server.log")
    acked: list[dict[str, Any]] = []
    lost_in_flight: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client(k: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          headers={"Authorization": f"Bearer {secret}"}) as c:
            i = 0
            while not stop.is_set() and i < 40:
                name = NAMES[(k + i) % len(NAMES)]
                i += 1
                try:
                    r = c.post("/api/v1/submissions", files={"file": (f"{name}.yaml", files[name])})
                except httpx.HTTPError as exc:  # the server died under this request: not acknowledged
                    with lock:
                        lost_in_flight.append(type(exc).__name__)
                    return
                assert r.status_code == 201, r.text[:300]
                with lock:
                    acked.append(r.json())

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while len(acked) < 6 and time.monotonic() < deadline:  # let writes land, then kill mid-stream
        time.sleep(0.02)
    assert len(acked) >= 6, "the server acknowledged too few uploads to test anything"
    server.send_signal(signal.SIGKILL)
    server.wait(30)
    assert server.returncode == -signal.SIGKILL
    stop.set()
    for t in threads:
        t.join(90)
    assert lost_in_flight, "no request was in flight at the kill: the test did not test a crash"
    with lock:
        acknowledged = list(acked)

    # started again over the same store: every acknowledged upload is there, whole
    port2 = free_port()
    again = _serve(db, port2, tmp_path / "server.log")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port2}", timeout=60,
                          headers={"Authorization": f"Bearer {secret}"}) as c:
            listed = {s["id"]: s for s in c.get("/api/v1/submissions").json()["submissions"]}
            for a in acknowledged:
                r = c.get(f"/api/v1/submissions/{a['id']}")
                assert r.status_code == 200, (a["id"], r.text[:200])
                assert r.json()["versions"][0]["dossier_sha256"] == a["dossier"]["sha256"]
                rep = c.get(f"/api/v1/submissions/{a['id']}/report?format=json")
                assert rep.status_code == 200 and rep.json()["dossier"]["id"] == a["dossier"]["id"]
                assert a["id"] in listed
            # nothing half-made: every listed submission has its version and evaluation
            for sid, s in listed.items():
                assert s["current_version"] >= 1 and s["evaluation"] is not None, (sid, s)
            # the restarted server takes writes again
            r = c.post("/api/v1/submissions", files={"file": ("mooc-intro-ai.yaml", files["mooc-intro-ai"])})
            assert r.status_code == 201, r.text[:300]
    finally:
        again.terminate()
        again.wait(30)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    audit = subprocess.run([sys.executable, "-m", "qa_engine", "audit", "verify", "--db", db],
                           env=env, capture_output=True, text=True, timeout=120)
    assert audit.returncode == 0 and "audit log OK" in audit.stdout, audit.stdout + audit.stderr
