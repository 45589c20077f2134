"""Decisions in the web workspace for real (uvicorn on loopback, SQLite and PostgreSQL):
the coordinator decides with a condition through the form, the provider sees it, an
amended dossier shows its diff and the condition not yet / met, the chair's or
coordinator's close turns it accredited, the letter downloads as PDF and HTML, the due
list names the open condition before it is met and not after; the case's state after
each step. The panel's reviews are set up through the workflow services (their pages
are another router's)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_helpers import Live, live_server
from workspace_helpers import EXAMPLES, PASSWORD, upload

from qa_engine.formats.loader import dump_dossier_yaml, load_dossier
from qa_engine.services import accounts, submissions
from qa_engine.services.workflow import service as wf
from qa_engine.store import workflow as wdb

TODAY = _dt.date.today()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if request.param == "sqlite":
        with live_server(str(tmp_path_factory.mktemp("webdec") / "store.sqlite")) as lv:
            yield lv
        return
    import os

    base = os.environ.get("QA_ENGINE_TEST_PG")
    if not base:
        pytest.skip("QA_ENGINE_TEST_PG is not set")
    from store_fixtures import _admin_engine, pg_schema_url

    schema = f"webdec_{os.getpid()}"
    eng = _admin_engine(base)
    with eng.begin() as c:
        c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        with live_server(pg_schema_url(base, schema)) as lv:
            yield lv
    finally:
        with eng.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        eng.dispose()


@pytest.fixture(scope="module")
def panel_people(live: Live) -> dict[str, Any]:
    return make_panel_people(live.ws.store)


def make_panel_people(s: Any) -> dict[str, Any]:
    """Three reviewers who fit the qa-starter policy: a qualified chair, an external
    member and a subject-matter expert."""
    return {
        "chair": accounts.add_user(s, "chair@panel.example", role="reviewer", password=PASSWORD, name="Ada Chair",
                                   chair_qualified=True, actor="test"),
        "ext": accounts.add_user(s, "ext@panel-else.example", role="reviewer", password=PASSWORD, name="Bo External",
                                 external=True, actor="test"),
        "sme": accounts.add_user(s, "sme@panel.example", role="reviewer", password=PASSWORD, name="Cy Expert",
                                 actor="test"),
    }


def reviewed_case(live: Live, who: dict[str, Any]) -> tuple[int, int]:
    """bootcamp-web-dev submitted, accepted, reviewed by a panel of three (the chair
    resolves ST-AS-01 as not met): ready for the decision. (case id, panel id)"""
    s, u = live.ws.store, live.ws.users
    cid = submissions.create_draft(s, u["provider"], *upload("bootcamp-web-dev"), ruleset="qa-starter").case.id
    submissions.submit(s, u["provider"], cid)
    submissions.screen(s, u["coordinator"], cid, "accept")
    panel = wf.form_panel(s, u["coordinator"], cid, [wf.Pick(who["chair"], chair=True), wf.Pick(who["ext"]),
                                                     wf.Pick(who["sme"], subject_matter=True)])
    for k in ("chair", "ext", "sme"):
        wf.declare(s, who[k], panel.id, conflict=False)
    wf.save_review(s, who["chair"], panel.id, [wf.JudgmentIn("ST-AS-01", "not_met", "LO3 and LO4 unassessed")],
                   submit=True)
    for k in ("ext", "sme"):
        wf.save_review(s, who[k], panel.id, [], submit=True)
    wf.resolve_criterion(s, who["chair"], panel.id, "ST-AS-01", state="not_met", reason="two outcomes unassessed")
    return cid, panel.id


def _state(c: Any, cid: int) -> str:
    return str(c.get(f"/api/v1/submissions/{cid}").json()["submission"]["state"])


def _signed_in(live: Live, user: Any) -> tuple[Any, str]:
    from web_helpers import csrf_of, login

    c = live.client()
    assert login(c, user.email).status_code == 303
    return c, csrf_of(c)


def test_decide_amend_close_letter_and_due(live: Live, panel_people: dict[str, Any]) -> None:
    cid, _pid = reviewed_case(live, panel_people)
    coord, ctoken = live.signed_in("coordinator")
    prov, ptoken = live.signed_in("provider")
    assert _state(coord, cid) == "in_review"

    # the form: the policy's validity as the default, blank condition rows, the final states
    page = coord.get(f"/submissions/{cid}/decision")
    assert page.status_code == 200 and 'id="decide-form"' in page.text
    default_until = wf.default_valid_until(wf.content_of(live.ws.store, submissions.get(
        live.ws.store, live.ws.users["coordinator"], cid).evaluation_id or 0).policy.spec, TODAY)
    assert f'name="valid_until" type="date" value="{default_until.isoformat()}"' in page.text
    assert page.text.count('name="condition_text"') == 3
    # "Add a condition row" is a round trip keeping what was typed
    hostile = "Sound programme <script>alert(1)</script> & gaps"
    more = coord.post(f"/submissions/{cid}/decision", data={
        "csrf_token": ctoken, "rationale": hostile, "condition_criteria": ["ST-AS-01", "", ""],
        "condition_text": ["Assess every outcome.", "", ""], "condition_due": ["", "", ""], "more": "1"})
    assert more.status_code == 200 and more.text.count('name="condition_text"') == 4
    assert 'value="Assess every outcome."' in more.text and "&lt;script&gt;" in more.text
    assert "<script>alert" not in more.text
    assert _state(coord, cid) == "in_review"  # nothing recorded

    # a condition on a criterion the evaluation does not have is refused with one message
    bad = coord.post(f"/submissions/{cid}/decision", data={
        "csrf_token": ctoken, "rationale": "x", "outcome": "accredited_with_conditions",
        "condition_criteria": ["NO-SUCH-01"], "condition_text": ["t"], "condition_due": [""]})
    assert bad.status_code in (409, 422) and 'role="alert"' in bad.text and "NO-SUCH-01" in bad.text
    assert _state(coord, cid) == "in_review"
    # the provider may not decide; the CSRF token is needed
    assert prov.post(f"/submissions/{cid}/decision", data={"csrf_token": ptoken, "rationale": "x"}).status_code == 403
    assert coord.post(f"/submissions/{cid}/decision", data={"rationale": "x"}).status_code == 403

    due = TODAY + _dt.timedelta(days=60)
    r = coord.post(f"/submissions/{cid}/decision", data={
        "csrf_token": ctoken, "rationale": hostile, "outcome": "accredited_with_conditions",
        "condition_criteria": ["ST-AS-01", "", ""], "condition_text": ["Assess every learning outcome.", "", ""],
        "condition_due": [due.isoformat(), "", ""]})
    assert r.status_code == 303 and r.headers["location"] == f"/submissions/{cid}/decision", r.text[:300]
    assert _state(coord, cid) == "decided"

    # the provider sees the decision with its condition; others of other organisations do not
    page = prov.get(f"/submissions/{cid}/decision")
    assert page.status_code == 200 and "Outcome: Accredited with conditions" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'id="condition-C1"' in page.text and "Assess every learning outcome." in page.text
    assert 'id="amend-form"' in page.text and 'id="close-C1"' not in page.text
    data = prov.get(f"/api/v1/submissions/{cid}/decision").json()["decision"]
    assert data["outcome"] == "accredited_with_conditions" and data["status"] == "in_force"
    assert [(c["id"], c["criteria"], c["state"], c["due"]) for c in data["conditions"]] == [
        ("C1", ["ST-AS-01"], "open", due.isoformat())]
    assert len(data["hashes"]["dossier"]) == 64 and data["hashes"]["dossier"] in page.text
    other, _t = live.signed_in("provider2")
    stranger, _t2 = live.signed_in("reviewer")
    for c in (other, stranger):
        for path in (f"/submissions/{cid}/decision", f"/api/v1/submissions/{cid}/decision",
                     f"/submissions/{cid}/decision/letter"):
            assert c.get(path).status_code == 404, path
    chair, chair_token = _signed_in(live, panel_people["chair"])
    assert chair.get(f"/api/v1/submissions/{cid}/decision").status_code == 200  # the panel's member sees it

    # the due list names the open condition
    items = coord.get("/api/v1/due?within=90d").json()["items"]
    mine = [i for i in items if i["submission"] == cid]
    assert [(i["kind"], i["condition"], i["state"], i["due"]) for i in mine] == [
        ("condition", "C1", "open", due.isoformat())]
    assert f'href="/submissions/{cid}/decision"' in coord.get("/due?within=90d").text
    assert not [i for i in other.get("/api/v1/due").json()["items"] if i["submission"] == cid]
    assert [i["condition"] for i in prov.get("/api/v1/due").json()["items"] if i["submission"] == cid] == ["C1"]
    assert not [i for i in coord.get("/api/v1/due?within=30d").json()["items"] if i["submission"] == cid]
    assert coord.get("/api/v1/due?within=soon").status_code == 422

    # an amended dossier that does not yet meet it: the diff and "not yet"
    dossier = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    renamed = dossier.model_copy(update={"title": "Web Development Bootcamp (renamed)"})
    r = prov.post(f"/submissions/{cid}/amendments", files={"file": ("renamed.yaml", dump_dossier_yaml(renamed).encode())},
                  data={"csrf_token": ptoken})
    assert r.status_code == 303, r.text[:300]
    page = prov.get(f"/submissions/{cid}/decision").text
    assert re.search(r'id="condition-C1".*?cstate-not-yet', page, re.S)
    assert "What changed from the decided version 1 to version 2" in page and "<code>title</code>" in page
    assert _state(prov, cid) == "decided"
    # the coordinator cannot close what is not met
    no = coord.post(f"/submissions/{cid}/conditions/C1/close", data={"csrf_token": ctoken})
    assert no.status_code == 409 and "is not met" in no.text

    fixed = dossier.model_copy(update={"outcomes": [o.model_copy(update={"assessed_by": ["A1"]})
                                                    for o in dossier.outcomes]})
    t = accounts.create_token(live.ws.store, live.ws.users["provider"].email, actor="test")
    api = live.client(headers={"Authorization": f"Bearer {t.secret}"})
    r = api.post(f"/api/v1/submissions/{cid}/amendments", files={"file": ("fixed.yaml", dump_dossier_yaml(fixed).encode())})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["version"] == 3 and body["state"] == "decided" and body["re_review"] == []
    assert [(c["condition"], c["met"]) for c in body["checks"]] == [("C1", True)]
    page = coord.get(f"/submissions/{cid}/decision").text
    assert re.search(r'id="condition-C1".*?cstate-met', page, re.S) and 'id="close-C1"' in page
    assert "ST-AS-01" in page.split('id="diff-criteria"')[1].split("</table>")[0]
    # a bad upload shows its problems on the page
    bad = prov.post(f"/submissions/{cid}/amendments", files={"file": ("bad.yaml", b"title: [unclosed\n")},
                    data={"csrf_token": ptoken})
    assert bad.status_code == 422 and 'role="alert"' in bad.text and "Traceback" not in bad.text

    # the provider cannot close it; the chair can (and it is listed as due until then)
    assert prov.post(f"/submissions/{cid}/conditions/C1/close", data={"csrf_token": ptoken}).status_code == 403
    assert [i["condition"] for i in coord.get("/api/v1/due").json()["items"] if i["submission"] == cid] == ["C1"]
    r = chair.post(f"/submissions/{cid}/conditions/C1/close", data={"csrf_token": chair_token})
    assert r.status_code == 303, r.text[:300]
    data = prov.get(f"/api/v1/submissions/{cid}/decision").json()["decision"]
    assert data["outcome"] == "accredited" and data["decided_outcome"] == "accredited_with_conditions"
    assert data["conditions"][0]["state"] == "closed" and data["conditions"][0]["closed_by"] == "Ada Chair"
    assert "Outcome: Accredited</h2>" in prov.get(f"/submissions/{cid}/decision").text
    assert not [i for i in coord.get("/api/v1/due").json()["items"] if i["submission"] == cid]
    assert _state(prov, cid) == "decided"

    # the letter: a PDF to download, and the HTML it is made of
    pdf = prov.get(f"/submissions/{cid}/decision/letter?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    html = prov.get(f"/api/v1/submissions/{cid}/decision/letter?format=html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Accredited" in html.text and "&lt;script&gt;alert(1)" in html.text and "<script>alert(1)" not in html.text
    assert "frame-ancestors 'none'" in html.headers["content-security-policy"]
    assert prov.get(f"/submissions/{cid}/decision/letter?format=docx").status_code == 422
    assert live.ws.store.verify_audit().ok


def test_api_decision_and_an_amendment_forcing_re_review(live: Live, panel_people: dict[str, Any]) -> None:
    cid, _pid = reviewed_case(live, panel_people)
    s, u = live.ws.store, live.ws.users
    tc = accounts.create_token(s, u["coordinator"].email, actor="test")
    coord = live.client(headers={"Authorization": f"Bearer {tc.secret}"})
    assert coord.post(f"/api/v1/submissions/{cid}/decision", json={"rationale": "x", "outcome": "great"}).status_code == 422
    r = coord.post(f"/api/v1/submissions/{cid}/decision", json={
        "outcome": "accredited_with_conditions", "rationale": "Good; one gap.",
        "valid_from": "2026-01-01", "valid_until": "2027-12-31",
        "conditions": [{"criteria": ["ST-AS-01"], "text": "Assess every outcome."}]})
    assert r.status_code == 201, r.text
    d = r.json()["decision"]
    assert (d["valid_from"], d["valid_until"]) == ("2026-01-01", "2027-12-31")
    assert d["conditions"][0]["id"] == "C1" and d["conditions"][0]["due"]  # the policy's window
    assert r.json()["submission"]["state"] == "decided"
    again = coord.post(f"/api/v1/submissions/{cid}/decision", json={"rationale": "again"})
    assert again.status_code == 409 and "not in review" in again.json()["error"]["message"]

    # the provider changes what the policy says forces a new review: back in review, amended version submitted
    dossier = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    assert dossier.provider is not None
    moved = dossier.model_copy(update={"provider": dossier.provider.model_copy(update={"name": "Another Academy"})})
    tp = accounts.create_token(s, u["provider"].email, actor="test")
    prov = live.client(headers={"Authorization": f"Bearer {tp.secret}"})
    assert coord.post(f"/api/v1/submissions/{cid}/amendments",
                      files={"file": ("m.yaml", b"x")}).status_code == 403
    r = prov.post(f"/api/v1/submissions/{cid}/amendments", files={"file": ("moved.yaml", dump_dossier_yaml(moved).encode())})
    assert r.status_code == 201, r.text
    assert r.json()["re_review"] == ["provider"] and r.json()["state"] == "in_review"
    case = prov.get(f"/api/v1/submissions/{cid}").json()
    assert case["submission"]["state"] == "in_review" and case["submission"]["submitted_version"] == 2
    assert [(e["action"], e["to"]) for e in case["events"]][-3:] == [
        ("decide", "decided"), ("request_amendment", "amendment"), ("resubmit", "in_review")]
    page = live.client()
    from web_helpers import login

    login(page, u["provider"].email)
    text = page.get(f"/submissions/{cid}/decision").text
    assert "forces a new review" in text and 'id="amend-form"' not in text
    again = prov.post(f"/api/v1/submissions/{cid}/amendments", files={"file": ("moved.yaml", dump_dossier_yaml(moved).encode())})
    assert again.status_code == 409
    # the coordinator sees the form again, waiting for a new panel
    cpage = live.client()
    login(cpage, u["coordinator"].email)
    assert "Not ready to decide: the submission has no open review panel yet" in cpage.get(f"/submissions/{cid}/decision").text


def test_expire_from_the_due_page(live: Live, panel_people: dict[str, Any]) -> None:
    cid, pid = reviewed_case(live, panel_people)
    s, u = live.ws.store, live.ws.users
    wf.decide(s, u["coordinator"], pid, rationale="Short validity.", outcome="accredited",
              valid_from=TODAY - _dt.timedelta(days=400), valid_until=TODAY - _dt.timedelta(days=1),
              today=TODAY - _dt.timedelta(days=400), people=wdb.people(s))
    coord, ctoken = live.signed_in("coordinator")
    items = [i for i in coord.get("/api/v1/due").json()["items"] if i["submission"] == cid]
    assert [(i["kind"], i["state"]) for i in items] == [("re-review", "expired")]
    aud, atoken = live.signed_in("auditor")
    assert aud.post("/due/expire", data={"csrf_token": atoken}).status_code == 403
    assert 'id="expire"' not in aud.get("/due").text and 'id="expire"' in coord.get("/due").text
    r = coord.post("/due/expire", data={"csrf_token": ctoken})
    assert r.status_code == 303 and _state(coord, cid) == "expired"
    assert "expired" in coord.get(f"/submissions/{cid}/decision").text
