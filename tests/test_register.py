"""The public register: a static site built from verified decision credentials, with
permalinks, provider and ruleset filters, JSON and Atom feeds, and expired, suspended
and revoked decisions shown as such. Pages are checked in headless Chromium with axe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from test_browser import AXE, Watched, browser, context, serious_axe_violations  # noqa: F401  (fixtures)
from trust_helpers import make_decision, run, write_decision

from qa_engine.signing.keys import KeyRing


@pytest.fixture()
def site(tmp_path: Path) -> dict[str, Path]:
    kd, sd, out = tmp_path / "keys", tmp_path / "status", tmp_path / "site"
    assert run("keys", "create", "--keys", str(kd), "--base-url", "https://qa.example.org", "--name", "Example Quality Agency").exit_code == 0
    decisions = [
        make_decision("uni-data-analytics", decision_id=1),
        make_decision("bootcamp-web-dev", decision_id=2, valid_from="2024-01-01", valid_until="2026-03-31",
                      provider=("codeharbour", "CodeHarbour Academy <GmbH>")),
        make_decision("mooc-intro-ai", decision_id=3),
        make_decision("uni-data-analytics", decision_id=4, provider=("other-uni", "Other University")),
    ]
    for d in decisions:
        f = write_decision(tmp_path / f"d{d.id}.json", d)
        assert run("decisions", "sign", str(f), "--keys", str(kd), "--status-dir", str(sd), "-o", str(tmp_path / f"vc{d.id}.json")).exit_code == 0
    common = ["--keys", str(kd), "--status-dir", str(sd)]
    assert run("decisions", "suspend", "3", "--reason", "complaint", *common).exit_code == 0
    assert run("decisions", "revoke", "4", "--reason", "issued in error", *common).exit_code == 0
    res = run("register", "export", str(out), *common, "--at", "2026-02-01")
    assert res.exit_code == 0, res.output
    return {"out": out, "keys": kd, "status": sd, "tmp": tmp_path}


def _states(html: str) -> dict[str, str]:
    import re

    rows = re.findall(r'<tr data-state="([a-z_]+)">\s*<td><a href="[^"]*decisions/(\d+)/index.html">', html)
    return {num: state for state, num in rows}


def test_pages_feeds_and_states(site: dict[str, Path]) -> None:
    out = site["out"]
    index = (out / "index.html").read_text()
    assert _states(index) == {"1": "current", "2": "current", "3": "suspended", "4": "revoked"}
    assert "CodeHarbour Academy &lt;GmbH&gt;" in index and "<GmbH>" not in index
    # permalinks: decisions/<id>/ with the credential beside it, verifiable with the published files
    page = (out / "decisions" / "3" / "index.html").read_text()
    assert "Suspended" in page and "suspended: bit" in page
    cred = out / "decisions" / "3" / "credential.json"
    res = run("verify", str(cred), "--key", str(out / ".well-known" / "did.json"), "--status-list", str(out / "status" / "revocation.json"),
              "--status-list", str(out / "status" / "suspension.json"), "--at", "2026-02-01")
    assert res.exit_code == 1 and "FAIL  status (suspension): suspended" in res.stdout
    res = run("verify", str(out / "decisions" / "1" / "credential.json"), "--key", str(out / ".well-known" / "did.json"),
              "--status-list", str(out / "status" / "revocation.json"), "--status-list", str(out / "status" / "suspension.json"), "--at", "2026-02-01")
    assert res.exit_code == 0, res.output
    # filters
    prov = (out / "providers" / "codeharbour" / "index.html").read_text()
    assert set(_states(prov)) == {"2"}
    assert set(_states((out / "rulesets" / "qa-starter-1.0.0" / "index.html").read_text())) == {"1", "2", "3", "4"}
    # feeds
    feed = json.loads((out / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    by_id = {i["id"]: i for i in feed["items"]}
    assert by_id["https://qa.example.org/decisions/4"]["_qa_engine"]["state"] == "revoked"
    assert by_id["https://qa.example.org/decisions/1"]["url"] == "https://qa.example.org/decisions/1/"
    atom = ET.parse(out / "atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    terms = {e.find("a:id", ns).text: e.find("a:category", ns).get("term") for e in atom.findall("a:entry", ns)}  # type: ignore[union-attr]
    assert terms["https://qa.example.org/decisions/3"] == "suspended"


def test_expired_is_no_longer_shown_as_current(site: dict[str, Path]) -> None:
    later = site["tmp"] / "later"
    res = run("register", "export", str(later), "--keys", str(site["keys"]), "--status-dir", str(site["status"]), "--at", "2026-04-01")
    assert res.exit_code == 0
    assert _states((later / "index.html").read_text())["2"] == "expired"
    feed = json.loads((later / "feed.json").read_text())
    assert {i["id"]: i["_qa_engine"]["state"] for i in feed["items"]}["https://qa.example.org/decisions/2"] == "expired"


def test_a_credential_that_does_not_verify_is_refused(site: dict[str, Path]) -> None:
    issued = site["status"] / "issued" / "1.json"
    vc = json.loads(issued.read_text())
    vc["credentialSubject"]["outcome"] = "accredited_with_conditions"
    issued.write_text(json.dumps(vc))
    res = run("register", "export", str(site["tmp"] / "x"), "--keys", str(site["keys"]), "--status-dir", str(site["status"]))
    assert res.exit_code == 2 and "does not verify (signature" in res.stderr
    # a credential by another issuer is refused too
    issued.unlink()
    other = KeyRing(site["tmp"] / "other")
    other.create(base_url="https://qa.example.org")
    d = write_decision(site["tmp"] / "o.json", make_decision(decision_id=9))
    assert run("decisions", "sign", str(d), "--keys", str(site["tmp"] / "other"), "--status-dir", str(site["tmp"] / "ost"), "-o", str(site["tmp"] / "o.vc.json")).exit_code == 0
    res = run("register", "export", str(site["tmp"] / "x"), "--keys", str(site["keys"]), "--status-dir", str(site["status"]), "--credential", str(site["tmp"] / "o.vc.json"))
    assert res.exit_code == 2 and "does not verify (key" in res.stderr


def _urls(out: Path) -> list[str]:
    return [p.as_uri() for p in (out / "index.html", out / "providers" / "codeharbour" / "index.html", out / "decisions" / "2" / "index.html")]


def test_register_pages_in_chromium(site: dict[str, Path], context: Any) -> None:  # noqa: F811
    for url in _urls(site["out"]):
        w = Watched(context)
        w.page.goto(url)
        assert w.errors == [], (url, w.errors)
        assert all(r.startswith("file://") for r in w.requests), w.requests
        assert w.page.locator("h1").count() == 1
    w = Watched(context)
    w.page.goto((site["out"] / "index.html").as_uri())
    w.page.get_by_role("link", name="CodeHarbour Academy <GmbH>").first.click()
    assert "Decisions on programmes of CodeHarbour Academy <GmbH>" in w.page.locator("h1").inner_text()
    w.page.get_by_role("link", name="Full-Stack Web Development Bootcamp").click()
    assert w.page.url.endswith("/decisions/2/index.html")
    assert w.page.locator(".state").first.inner_text() == "In force"
    assert w.page.get_by_role("link", name="credential.json").count() == 1


def test_register_pages_have_no_serious_axe_violations(site: dict[str, Path], browser: Any) -> None:  # noqa: F811
    for url in _urls(site["out"]):
        version, serious = serious_axe_violations(browser, url)
        assert serious == [], (url, version, serious)


def test_verify_reads_the_status_lists_from_the_published_site(site: dict[str, Path]) -> None:
    """The register served over HTTP on loopback: verify fetches the status lists by URL."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site["out"]))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        lists = ["--status-list", f"{base}/status/revocation.json", "--status-list", f"{base}/status/suspension.json"]
        did = site["out"] / ".well-known" / "did.json"
        res = run("verify", str(site["out"] / "decisions" / "4" / "credential.json"), "--key", str(did), *lists, "--at", "2026-02-01")
        assert res.exit_code == 1 and "FAIL  status (revocation): revoked" in res.stdout
        res = run("verify", str(site["out"] / "decisions" / "1" / "credential.json"), "--key", str(did), *lists, "--at", "2026-02-01")
        assert res.exit_code == 0, res.output
        res = run("verify", str(site["out"] / "decisions" / "1" / "credential.json"), "--key", str(did),
                  "--status-list", f"{base}/status/missing.json")
        assert res.exit_code == 2 and "cannot be fetched" in res.stderr
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    kd, sd, out = tmp_path / "keys", tmp_path / "status", tmp_path / "site"
    run("keys", "create", "--keys", str(kd), "--base-url", "https://qa.example.org")
    d = make_decision("uni-data-analytics", decision_id=5, provider=("evil", "Evil <script>alert(1)</script> \x1b[31mCorp\x07"))
    d = d.model_copy(update={"rationale": "ok\x1b]0;pwned\x07 \u2028 <b>bold</b> \x85"})
    f = write_decision(tmp_path / "d.json", d)
    res = run("decisions", "sign", str(f), "--keys", str(kd), "--status-dir", str(sd))
    assert res.exit_code == 0 and "\x1b" not in res.stdout and "\x85" not in res.stdout and "\u2028" not in res.stdout
    assert run("register", "export", str(out), "--keys", str(kd), "--status-dir", str(sd)).exit_code == 0
    for page in (out / "index.html", out / "decisions" / "5" / "index.html", out / "providers" / "evil" / "index.html"):
        html = page.read_text()
        assert "<script>" not in html and "&lt;script&gt;" in html, page
    ET.parse(out / "atom.xml")  # still well-formed XML
    vc = out / "decisions" / "5" / "credential.json"
    assert "\x1b" not in vc.read_text()
    assert run("verify", str(vc), "--key", str(out / ".well-known" / "did.json")).exit_code == 0
