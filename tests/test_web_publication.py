"""Publication over a real uvicorn (SQLite and PostgreSQL): a coordinator publishes a
stored decision through the form; the public register (page, JSON feed, Atom), the
permalink, the credential, the exports, the DID document and the status lists are
served to anyone, and `qa-engine verify` checks the credential with what the server
serves; suspension and revocation show; an unpublished decision is 404 for everyone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from publication_helpers import decided
from sqlalchemy import update
from test_web import live  # noqa: F401  (the sqlite / postgresql server fixture)
from trust_helpers import run
from web_helpers import Live

from qa_engine.services import accounts
from qa_engine.store import workflow as wdb
from qa_engine.store.models import ORGANISATION

HOSTILE = '<script>alert(1)</script> & "CodeHarbour" <img src=x onerror=alert(2)>'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def world(live: Live) -> Iterator[dict[str, Any]]:  # noqa: F811
    store = live.ws.store
    made = decided(store)
    # a provider whose name is markup (written directly: there is no rename command)
    store.write(lambda c: c.execute(update(ORGANISATION).where(ORGANISATION.c.slug == "codeharbour")
                                    .values(name=HOSTILE)))
    yield {"decision": made["decision"], "id": made["decision"].id, "case": made["decision"].case_id}


def _token(live: Live, who: str) -> str:  # noqa: F811
    return accounts.create_token(live.ws.store, live.ws.users[who].email, actor="test").secret


def test_an_unpublished_decision_is_404_for_everyone_then_the_coordinator_publishes_it(
        live: Live, world: dict[str, Any]) -> None:  # noqa: F811
    did = world["id"]
    paths = (f"/decisions/{did}", f"/api/v1/decisions/{did}", f"/decisions/{did}/credential.json",
             f"/decisions/{did}/export/deqar.json")
    for who in (None, "coordinator", "auditor", "provider"):
        c = live.client(headers={"Authorization": f"Bearer {_token(live, who)}"} if who else {})
        for p in paths:
            assert c.get(p).status_code == 404, (who, p)
    assert live.client().get("/api/v1/register").json()["items"] == []
    coord, token = live.signed_in("coordinator")
    page = coord.get("/publication")
    assert page.status_code == 200 and f'action="/decisions/{did}/publish"' in page.text
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text
    # no CSRF token: refused; a provider or a reviewer may not publish; anonymous must sign in
    assert coord.post(f"/decisions/{did}/publish", data={}).status_code == 403
    for who in ("provider", "reviewer", "auditor"):
        r = live.client(headers={"Authorization": f"Bearer {_token(live, who)}"}).post(f"/api/v1/decisions/{did}/publish")
        assert r.status_code == 403, who
    assert live.client().post(f"/api/v1/decisions/{did}/publish").status_code == 401
    r = coord.post(f"/decisions/{did}/publish", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == f"/decisions/{did}"
    assert wdb.case_state(live.ws.store, world["case"]) == "published"
    # twice: a conflict, as one clear message
    r = live.client(headers={"Authorization": f"Bearer {_token(live, 'coordinator')}"}).post(
        f"/api/v1/decisions/{did}/publish")
    assert r.status_code == 409 and "is published already" in r.json()["error"]["message"]
    api = coord.get("/api/v1/publication").json()["decisions"]
    assert [(d["decision_id"], d["published"], d["state"]) for d in api] == [(did, True, "published")]


def test_the_permalink_and_the_api_show_the_decision_to_anyone(live: Live, world: dict[str, Any]) -> None:  # noqa: F811
    did = world["id"]
    anon = live.client()
    page = anon.get(f"/decisions/{did}")
    assert page.status_code == 200
    assert "Accredited with conditions: Full-Stack Web Development Bootcamp" in page.text
    assert "In force" in page.text and "Assess every learning outcome." in page.text
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;CodeHarbour&#34;" in page.text
    csp = page.headers["content-security-policy"]
    assert "style-src 'sha256-" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    for kind in ("credential.json", "export/deqar.json", "export/elm.json", "export/ctdl.json"):
        assert f'href="/decisions/{did}/{kind}"' in page.text, kind
    body = anon.get(f"/api/v1/decisions/{did}").json()
    assert body["state"] == "current" and body["outcome"] == "accredited_with_conditions"
    assert body["provider"]["name"] == HOSTILE
    assert body["credential"]["id"] == f"{live.url}/decisions/{did}" == body["permalink"]
    assert body["decision"]["id"] == did and body["decision"]["conditions"][0]["id"] == "C1"


def test_verify_passes_with_the_served_did_document_and_status_lists(
        live: Live, world: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    did = world["id"]
    anon = live.client()
    dl = anon.get(f"/decisions/{did}/credential.json")
    assert dl.status_code == 200 and dl.headers["content-disposition"].startswith("attachment;")
    vc = dl.json()
    port = live.url.rsplit(":", 1)[1]
    assert vc["issuer"]["id"] == f"did:web:127.0.0.1%3A{port}"
    # the did:web document and the status lists are served exactly where the credential points
    doc = anon.get("/.well-known/did.json")
    assert doc.status_code == 200 and doc.json()["id"] == vc["issuer"]["id"]
    urls = [s["statusListCredential"] for s in vc["credentialStatus"]]
    assert urls == [f"{live.url}/status/revocation.json", f"{live.url}/status/suspension.json"]
    for u in urls:
        assert anon.get(u.removeprefix(live.url)).json()["id"] == u
    (tmp_path / "vc.json").write_bytes(dl.content)
    (tmp_path / "did.json").write_bytes(doc.content)
    res = run("verify", str(tmp_path / "vc.json"), "--key", str(tmp_path / "did.json"),
              *(a for u in urls for a in ("--status-list", u)))
    assert res.exit_code == 0 and "OK    status (revocation)" in res.output and "VERIFIED" in res.output, res.output
    assert anon.get("/status/other.json").status_code == 404


def test_register_page_json_feed_and_atom(live: Live, world: dict[str, Any]) -> None:  # noqa: F811
    did = world["id"]
    anon = live.client()
    page = anon.get("/register")
    assert page.status_code == 200 and "Example Quality Agency: accreditation decisions" in page.text
    assert f'href="/decisions/{did}"' in page.text and 'href="/register?provider=codeharbour"' in page.text
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert 'href="/register?ruleset=qa-starter-1.0.0"' in page.text
    feed = anon.get("/api/v1/register").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    [item] = feed["items"]
    assert item["id"] == f"{live.url}/decisions/{did}" and item["url"] == item["id"]
    facts = item["_qa_engine"]
    assert (facts["state"], facts["provider"], facts["ruleset"]) == ("current", HOSTILE, "qa-starter@1.0.0")
    assert facts["credential"] == f"{live.url}/decisions/{did}/credential.json"
    assert anon.get("/api/v1/register?provider=codeharbour").json()["items"] == [item]
    assert anon.get("/api/v1/register?ruleset=qa-starter-1.0.0").json()["items"] == [item]
    assert anon.get("/api/v1/register?provider=nobody").json()["items"] == []
    filtered = anon.get("/register?provider=codeharbour")
    assert "Filtered by provider" in filtered.text and 'aria-current="page"' in filtered.text
    r = anon.get("/register.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [item["id"]]
    assert HOSTILE in (entries[0].findtext(f"{ATOM}summary") or "")
    assert entries[0].find(f"{ATOM}category").get("term") == "current"  # type: ignore[union-attr]
    assert anon.get("/register?at=not-a-date").status_code == 422


def test_an_expired_decision_is_not_shown_as_in_force(live: Live, world: dict[str, Any]) -> None:  # noqa: F811
    d = world["decision"]
    anon = live.client()
    later = f"{d.valid_until.year + 1}-01-01"
    [item] = anon.get(f"/api/v1/register?at={later}").json()["items"]
    assert item["_qa_engine"]["state"] == "expired"
    page = anon.get(f"/register?at={later}").text
    in_force = page[page.index("<caption>In force"):page.index("<caption>Not in force")]
    assert "data-state" not in in_force and 'data-state="expired"' in page and "Expired" in page
    assert "Expired" in anon.get(f"/decisions/{d.id}?at={later}").text
    assert anon.get(f"/api/v1/decisions/{d.id}?at={later}").json()["state"] == "expired"


def test_exports_are_validated_downloads(live: Live, world: dict[str, Any]) -> None:  # noqa: F811
    did = world["id"]
    anon = live.client()
    # this dossier gives its workload in hours only: DEQAR requires whole ECTS credits, so
    # the export is refused before anything is handed out, with the receiver's rule
    deqar = anon.get(f"/decisions/{did}/export/deqar.json")
    assert deqar.status_code == 422 and "workload_ects" in deqar.json()["error"]["message"]
    elm = anon.get(f"/decisions/{did}/export/elm.json")
    assert elm.status_code == 200, elm.text
    assert elm.headers["content-disposition"] == f'attachment; filename="decision-{did}.elm.json"'
    assert "Accreditation" in json.dumps(elm.json()["type"])
    ctdl = anon.get(f"/decisions/{did}/export/ctdl.json")
    assert ctdl.status_code == 200 and ctdl.json()["@type"] == "ceterms:AccreditAction"
    assert anon.get(f"/decisions/{did}/export/pdf.json").status_code == 404


def test_suspend_reinstate_and_revoke_show_in_the_register_and_in_verify(
        live: Live, world: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    did, store = world["id"], live.ws.store
    coord, token = live.signed_in("coordinator")
    anon = live.client()
    r = coord.post(f"/decisions/{did}/status", data={"csrf_token": token, "action": "suspend", "reason": ""})
    assert r.status_code == 422 and "needs a reason" in r.text
    r = coord.post(f"/decisions/{did}/status", data={"csrf_token": token, "action": "suspend",
                                                     "reason": "complaint under review"})
    assert r.status_code == 303 and wdb.case_state(store, world["case"]) == "suspended"
    assert anon.get("/api/v1/register").json()["items"][0]["_qa_engine"]["state"] == "suspended"
    assert "Suspended" in anon.get(f"/decisions/{did}").text
    vc_file, did_file = tmp_path / "vc.json", tmp_path / "did.json"
    vc_file.write_bytes(anon.get(f"/decisions/{did}/credential.json").content)
    did_file.write_bytes(anon.get("/.well-known/did.json").content)
    lists = ("--status-list", f"{live.url}/status/revocation.json", "--status-list", f"{live.url}/status/suspension.json")
    res = run("verify", str(vc_file), "--key", str(did_file), *lists)
    assert res.exit_code == 1 and "FAIL  status (suspension): suspended" in res.output
    api = live.client(headers={"Authorization": f"Bearer {_token(live, 'coordinator')}"})
    r = api.post(f"/api/v1/decisions/{did}/status", data={"action": "reinstate", "reason": "complaint cleared"})
    assert r.status_code == 200 and r.json()["state"] == "published"
    assert run("verify", str(vc_file), "--key", str(did_file), *lists).exit_code == 0
    r = api.post(f"/api/v1/decisions/{did}/status", data={"action": "revoke", "reason": "issued in error"})
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    res = run("verify", str(vc_file), "--key", str(did_file), *lists)
    assert res.exit_code == 1 and "FAIL  status (revocation): revoked" in res.output
    page = anon.get("/register").text
    assert 'data-state="revoked"' in page and "Revoked" in page
    r = api.post(f"/api/v1/decisions/{did}/status", data={"action": "reinstate", "reason": "x"})
    assert r.status_code == 409
