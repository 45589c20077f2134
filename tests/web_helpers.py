"""A real uvicorn server on loopback over a real store, and signed-in HTTP clients."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from workspace_helpers import PASSWORD, Workspace, people


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    url: str
    ws: Workspace
    app: Any
    keys_dir: str = ""  # the issuer's keys (base URL: this server), for publication
    status_dir: str = ""

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=120, **kw)

    def signed_in(self, who: str) -> tuple[httpx.Client, str]:
        """A client signed in through the sign-in form as ``who``; (client, CSRF token)."""
        c = self.client()
        login(c, self.ws.users[who].email)
        return c, csrf_of(c)


def login(c: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    page = c.get("/login")
    token = re.search(r'action="/login"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    return c.post("/login", data={"email": email, "password": password, "csrf_token": token.group(1), "next": "/"})


def csrf_of(c: httpx.Client) -> str:
    page = c.get("/rulesets/diff")
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert m, page.text[:500]
    return m.group(1)


@contextmanager
def live_server(store_url: str) -> Iterator[Live]:
    """uvicorn serving the workspace on 127.0.0.1 in a thread, over ``store_url`` with
    the test people in it; stopped (and the store closed) on exit. It publishes with a
    key ring of its own whose base URL is the server itself (so the credentials' ids,
    status lists and did:web resolve to it) and the example agency profile."""
    import tempfile
    from pathlib import Path

    import uvicorn

    from qa_engine.signing.keys import KeyRing
    from qa_engine.store import open_store
    from qa_engine.web.app import create_app

    store = open_store(store_url, actor="test")
    ws = people(store)
    port = free_port()
    trust = Path(tempfile.mkdtemp(prefix="qa-engine-live-"))
    KeyRing(trust / "keys").create(base_url=f"http://127.0.0.1:{port}", name="Example Quality Agency")
    agency = Path(__file__).resolve().parent.parent / "examples" / "agency" / "agency.yaml"
    app = create_app(store=store, keys_dir=str(trust / "keys"), status_dir=str(trust / "status"), agency=str(agency))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", ws, app, str(trust / "keys"), str(trust / "status"))
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        store.close()
        import shutil

        shutil.rmtree(trust, ignore_errors=True)
