"""Review panels through the web workspace for real: uvicorn on loopback over SQLite and
PostgreSQL, people signing in through the form and posting the pages' forms (with their
CSRF tokens), and API clients with tokens. A coordinator forms a panel (a panel the
policy refuses is refused with the policy's message), each member declares before seeing
anything, drafts are kept, the others' judgments stay hidden until one's own review is
submitted, the consolidation lists every disagreement with its reasons, and the chair
resolves what the rule leaves open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from web_helpers import Live, live_server
from workspace_helpers import PASSWORD, upload

from qa_engine.services import accounts, submissions

HOSTILE = "<script>alert(1)</script> outcome 4"


@dataclass
class Panels:
    live: Live
    people: dict[str, Any]  # chair, ext, sme, dee (reviewers) and the workspace's roles
    case_a: int  # the whole way: three members, a disagreement, the chair resolves
    case_b: int  # a member declares a conflict


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Panels]:
    if request.param == "sqlite":
        with live_server(str(tmp_path_factory.mktemp("web-panels") / "store.sqlite")) as lv:
            yield _populate(lv)
        return
    import os

    base = os.environ.get("QA_ENGINE_TEST_PG")
    if not base:
        pytest.skip("QA_ENGINE_TEST_PG is not set")
    from store_fixtures import _admin_engine, pg_schema_url

    schema = f"webpanels_{os.getpid()}"
    eng = _admin_engine(base)
    with eng.begin() as c:
        c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        with live_server(pg_schema_url(base, schema)) as lv:
            yield _populate(lv)
    finally:
        with eng.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        eng.dispose()


def _populate(lv: Live) -> Panels:
    s, u = lv.ws.store, lv.ws.users
    people = dict(u)
    for key, name, external, chair in (("chair", "Ada Chair", False, True), ("ext", "Bo External", True, False),
                                       ("sme", "Cy Expert", False, False), ("dee", "Dee Fourth", False, False)):
        people[key] = accounts.add_user(s, f"{key}@reviewers.example", role="reviewer", password=PASSWORD,
                                        name=name, external=external, chair_qualified=chair, actor="test")
    cases = []
    for _ in range(2):
        cid = submissions.create_draft(s, u["provider"], *upload("bootcamp-web-dev")).case.id
        submissions.submit(s, u["provider"], cid)
        submissions.screen(s, u["coordinator"], cid, "accept")
        cases.append(cid)
    return Panels(lv, people, cases[0], cases[1])


def _signed_in(site: Panels, who: str) -> tuple[httpx.Client, str]:
    from web_helpers import csrf_of, login

    c = site.live.client()
    r = login(c, site.people[who].email)
    assert r.status_code == 303, r.text[:300]
    return c, csrf_of(c)


def _api(site: Panels, who: str) -> httpx.Client:
    t = accounts.create_token(site.live.ws.store, site.people[who].email, name="panels", actor="test")
    return site.live.client(headers={"Authorization": f"Bearer {t.secret}"})


def _main(html: str) -> str:
    return html[html.find("<main"):html.find("</main>")]


def test_the_whole_panel_by_forms_and_api(site: Panels) -> None:
    p, a = site.people, site.case_a
    coord, ct = _signed_in(site, "coordinator")
    # the case page offers the form: every reviewer with their flags
    page = coord.get(f"/submissions/{a}")
    assert page.status_code == 200 and "Form the panel" in page.text
    assert "Bo External" in page.text and "Ada Chair" in page.text
    assert "asks for 3 member(s), one of them the chair (qualified to chair), at least 1 external" in page.text
    # the form needs its CSRF token
    r = coord.post(f"/submissions/{a}/panel", data={"csrf_token": "stale", "reviewers": [str(p["ext"].id)],
                                                    "chair": str(p["chair"].id)})
    assert r.status_code == 403 and "CSRF" in r.text
    # a panel the policy refuses: an unqualified chair, nobody external; the page says why
    bad = {"csrf_token": ct, "reviewers": [str(p["sme"].id), str(p["dee"].id)], "chair": str(p["dee"].id),
           "subject_matter": [str(p["sme"].id)]}
    r = coord.post(f"/submissions/{a}/panel", data=bad)
    assert r.status_code == 409, r.text[:500]
    main = _main(r.text)
    assert 'role="alert"' in main and "the panel does not fit policy qa-starter" in main
    assert "Dee Fourth is not qualified to chair" in main and "at least 1 external members, the panel has 0" in main
    assert "Traceback" not in r.text
    assert re.search(rf'name="subject_matter" value="{p["sme"].id}" checked', main)  # the picks are kept
    # too few: the API answers with the same one message
    api = _api(site, "coordinator")
    r = api.post(f"/api/v1/submissions/{a}/panel", json={"reviewers": [p["ext"].email], "chair": p["chair"].email})
    assert r.status_code == 409 and "the policy asks for 3 members, the panel has 2" in r.json()["error"]["message"]
    # a valid one by the form
    good = {"csrf_token": ct, "reviewers": [str(p["chair"].id), str(p["ext"].id), str(p["sme"].id)],
            "chair": str(p["chair"].id), "subject_matter": [str(p["sme"].id)]}
    r = coord.post(f"/submissions/{a}/panel", data=good)
    assert r.status_code == 303 and r.headers["location"] == f"/submissions/{a}#panel"
    page = coord.get(f"/submissions/{a}").text
    assert "Members of panel" in page and page.count("not declared yet") == 3 and "Form the panel" not in page
    panel = coord.get(f"/api/v1/submissions/{a}").json()["panel"]["panel"]
    assert [m["name"] for m in panel["members"]] == ["Ada Chair", "Bo External", "Cy Expert"]
    assert [m["role"] for m in panel["members"]] == ["chair", "member", "member"]
    assert panel["members"][2]["subject_matter"] and panel["members"][1]["external"]
    # a second panel while this one is open: refused
    r = api.post(f"/api/v1/submissions/{a}/panel", json={"reviewers": [p["ext"].id, p["sme"].id], "chair": p["chair"].id})
    assert r.status_code == 409 and "already has an open panel" in r.json()["error"]["message"]

    # ---- the declaration gate
    chair, cht = _signed_in(site, "chair")
    mine = chair.get("/api/v1/reviews").json()["reviews"]
    assert [(x["submission"]["id"], x["declared"], x["role"]) for x in mine] == [(a, "pending", "chair")]
    assert "declare first" in chair.get("/reviews").text
    page = chair.get(f"/submissions/{a}/reviews")
    assert page.status_code == 200 and "I have no conflict of interest with Open Campus" in page.text
    assert "ST-AS-01" not in page.text and "Machine verdict" not in page.text  # nothing of the submission yet
    assert set(chair.get(f"/api/v1/submissions/{a}/reviews").json()) == {"submission", "panel", "states",
                                                                         "declaration", "chair"}
    assert chair.get(f"/submissions/{a}").status_code == 404  # the submission's own page: not before declaring
    assert chair.get(f"/api/v1/submissions/{a}/consolidation").status_code == 403
    r = chair.post(f"/submissions/{a}/reviews", data={"csrf_token": cht, "action": "draft"})
    assert r.status_code == 403 and "declare first" in r.text
    assert chair.post(f"/submissions/{a}/declaration", data={"conflict": "no"}).status_code == 403  # no CSRF
    r = chair.post(f"/submissions/{a}/declaration", data={"csrf_token": cht, "conflict": "no"})
    assert r.status_code == 303 and r.headers["location"] == f"/submissions/{a}/reviews"
    assert chair.get(f"/submissions/{a}").status_code == 200

    # ---- the review form: a draft kept, a different state needs its reason
    form = chair.get(f"/submissions/{a}/reviews").text
    assert form.count('<tr id="row-') == 17 and "Save draft" in form and "Submit review" in form
    assert "partially met" in form  # the machine's verdict on ST-AS-01, with its explanation and evidence
    r = chair.post(f"/submissions/{a}/reviews", data={"csrf_token": cht, "action": "draft", "state-ST-AS-01": "not_met"})
    assert r.status_code == 409 and "the reason for ST-AS-01 is empty" in r.text
    assert re.search(r'<option value="not_met" selected>', r.text)  # what was entered stays on the form
    reason = "LO3 and LO4 have no assessment"
    r = chair.post(f"/submissions/{a}/reviews", data={"csrf_token": cht, "action": "draft", "state-ST-AS-01": "not_met",
                                                      "reason-ST-AS-01": reason, "comment": "first pass"})
    assert r.status_code == 303 and r.headers["location"].endswith("?saved=1")
    again = chair.get(f"/submissions/{a}/reviews?saved=1").text
    assert "Draft saved" in again and reason in again and "first pass" in again
    row = again[again.find('id="state-ST-AS-01"'):]
    assert re.match(r'[^<]*>\s*<option value="agree">.*?<option value="not_met" selected>', row, re.S)
    mine = chair.get(f"/api/v1/submissions/{a}/reviews").json()
    assert mine["own"]["state"] == "draft" and mine["others"] == []
    assert [j["id"] for j in mine["own"]["criteria"] if not j["agrees"]] == ["ST-AS-01"]

    # ---- the external member declares and submits in one API call, disagreeing with a reason
    ext = _api(site, "ext")
    r = ext.post(f"/api/v1/submissions/{a}/reviews", json={"criteria": [{"id": "ST-CU-03", "state": "partially_met"}]})
    assert r.status_code == 403 and "declare first" in r.json()["error"]["message"]
    r = ext.post(f"/api/v1/submissions/{a}/reviews", json={
        "conflict_of_interest": False, "submit": True, "comment": "well documented",
        "criteria": [{"id": "ST-CU-03", "state": "partially_met", "reason": HOSTILE, "comment": "see module 3"}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["own"]["state"] == "submitted" and body["declaration"] == "none"
    assert body["others"] == [] and reason not in r.text  # the chair's draft stays the chair's
    r = ext.post(f"/api/v1/submissions/{a}/reviews", json={"criteria": []})
    assert r.status_code == 409 and "submitted your review already" in r.json()["error"]["message"]
    # the chair has not submitted: ext's judgments are hidden from them, everywhere
    for path in (f"/submissions/{a}/reviews", f"/api/v1/submissions/{a}/reviews"):
        got = chair.get(path)
        assert got.status_code == 200 and "outcome 4" not in got.text and "well documented" not in got.text, path
    assert chair.get(f"/submissions/{a}/consolidation").status_code == 403
    # the chair submits by the form; now ext's judgment shows, escaped
    r = chair.post(f"/submissions/{a}/reviews", data={"csrf_token": cht, "action": "submit", "state-ST-AS-01": "not_met",
                                                      "reason-ST-AS-01": reason, "comment": "first pass"})
    assert r.status_code == 303
    after = chair.get(f"/submissions/{a}/reviews").text
    assert "The other reviewers" in after and "Bo External" in after and "well documented" in after
    assert "&lt;script&gt;alert(1)&lt;/script&gt; outcome 4" in after and "<script>alert(1)" not in after
    assert "Save draft" not in after  # a submitted review is final
    others = chair.get(f"/api/v1/submissions/{a}/reviews").json()["others"]
    assert [(o["reviewer"]["name"], o["criteria"][0]["id"], o["criteria"][0]["reason"]) for o in others] == [
        ("Bo External", "ST-CU-03", HOSTILE)]

    # ---- the third member by the form; the consolidation, then the chair resolves
    sme, st = _signed_in(site, "sme")
    assert sme.post(f"/submissions/{a}/declaration", data={"csrf_token": st, "conflict": "no"}).status_code == 303
    cons = coord.get(f"/api/v1/submissions/{a}/consolidation").json()
    assert cons["waiting_for"] == ["Cy Expert"] and not cons["complete"] and cons["decision_url"] is None
    assert sme.post(f"/submissions/{a}/reviews", data={"csrf_token": st, "action": "submit"}).status_code == 303
    cons = coord.get(f"/api/v1/submissions/{a}/consolidation").json()
    assert cons["waiting_for"] == [] and cons["open"] == ["ST-AS-01"] and not cons["complete"]
    by_id = {c["id"]: c for c in cons["criteria"]}
    as01, cu03 = by_id["ST-AS-01"], by_id["ST-CU-03"]
    assert as01["rule"] == "unanimous" and as01["open"] and as01["final"] is None
    assert ("Ada Chair", "not_met", reason) in [(d["name"], d["state"], d["reason"]) for d in as01["disagreements"]]
    assert cu03["rule"] == "majority" and cu03["final"] == "met" and cu03["source"] == "machine"
    assert [(d["name"], d["state"], d["reason"]) for d in cu03["disagreements"]] == [("Bo External", "partially_met",
                                                                                       HOSTILE)]
    page = coord.get(f"/submissions/{a}/consolidation")
    assert page.status_code == 200 and "Left open by the consensus rule" in page.text
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text and reason in page.text
    assert "Resolve ST-AS-01" not in page.text  # only the chair resolves
    assert coord.post(f"/submissions/{a}/consolidation", data={"csrf_token": ct, "criterion": "ST-AS-01",
                                                               "state": "not_met", "reason": "x"}).status_code == 403
    ext_page, et = _signed_in(site, "ext")
    assert "Resolve ST-AS-01" not in ext_page.get(f"/submissions/{a}/consolidation").text
    r = ext.post(f"/api/v1/submissions/{a}/consolidation", json={"criterion": "ST-AS-01", "state": "not_met",
                                                                 "reason": "I am not the chair"})
    assert r.status_code == 403 and "only the panel's chair" in r.json()["error"]["message"]
    page = chair.get(f"/submissions/{a}/consolidation").text
    assert "Resolve ST-AS-01" in page and page.count('action="/submissions/') == 1  # the one open criterion
    # a settled criterion is not the chair's to resolve; an empty reason is refused; CSRF is needed
    r = chair.post(f"/submissions/{a}/consolidation", data={"csrf_token": cht, "criterion": "ST-CU-03",
                                                            "state": "not_met", "reason": "no"})
    assert r.status_code == 409 and "settled by the rule (majority)" in r.text
    r = chair.post(f"/submissions/{a}/consolidation", data={"csrf_token": cht, "criterion": "ST-AS-01",
                                                            "state": "not_met", "reason": " "})
    assert r.status_code == 409 and "the reason is empty" in r.text
    r = chair.post(f"/submissions/{a}/consolidation", data={"criterion": "ST-AS-01", "state": "not_met",
                                                            "reason": "two of eight outcomes are unassessed"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = chair.post(f"/submissions/{a}/consolidation", data={"csrf_token": cht, "criterion": "ST-AS-01",
                                                            "state": "not_met", "reason": "two of eight outcomes are unassessed"})
    assert r.status_code == 303
    cons = coord.get(f"/api/v1/submissions/{a}/consolidation").json()
    assert cons["complete"] and cons["open"] == []
    assert cons["changes"] == [{"criterion": "ST-AS-01", "machine": "partially_met", "final": "not_met"}]
    as01 = next(c for c in cons["criteria"] if c["id"] == "ST-AS-01")
    assert as01["source"] == "chair" and as01["resolution"]["by"] == "Ada Chair"
    assert cons["consolidated"]["score"] < cons["machine"]["score"]
    assert cons["decision_url"] == f"/submissions/{a}/decision"
    page = coord.get(f"/submissions/{a}/consolidation").text
    assert f'href="/submissions/{a}/decision"' in page and "partially met → <strong>not met</strong>" in page
    # the auditor reads, never acts; the decision link is the coordinator's
    aud = _api(site, "auditor")
    got = aud.get(f"/api/v1/submissions/{a}/consolidation").json()
    assert got["complete"] and got["decision_url"] is None
    assert len(aud.get(f"/api/v1/submissions/{a}/reviews").json()["reviews"]) == 3
    assert aud.post(f"/api/v1/submissions/{a}/consolidation", json={"criterion": "ST-AS-01", "state": "met",
                                                                    "reason": "x"}).status_code == 403
    # the case page: every member declared none and submitted
    page = coord.get(f"/submissions/{a}").text
    assert page.count("declared none") == 3 and page.count("<td>submitted</td>") == 3


def test_who_sees_what(site: Panels) -> None:
    """The provider sees the submission, not the panel's work (403); another
    organisation and a reviewer on no panel of it get 404 on every panel route."""
    a = site.case_a
    reads = [f"/submissions/{a}/reviews", f"/api/v1/submissions/{a}/reviews", f"/submissions/{a}/consolidation",
             f"/api/v1/submissions/{a}/consolidation"]
    writes = [f"/api/v1/submissions/{a}/panel", f"/api/v1/submissions/{a}/declaration",
              f"/api/v1/submissions/{a}/reviews", f"/api/v1/submissions/{a}/consolidation"]
    for who, want in (("provider2", 404), ("reviewer", 404), ("dee", 404), ("provider", 403), ("admin", 403)):
        c = _api(site, who)
        for path in reads:
            assert c.get(path).status_code == want, (who, path)
        for path in writes:
            assert c.post(path, json={}).status_code == want, (who, path)
    prov, _t = _signed_in(site, "provider")
    page = prov.get(f"/submissions/{a}")
    assert page.status_code == 200 and "Review panel" not in page.text and "Ada Chair" not in page.text
    assert prov.get(f"/api/v1/submissions/{a}").json()["panel"] is None
    assert _api(site, "chair").get("/api/v1/submissions/999999/reviews").status_code == 404
    assert _api(site, "coordinator").get("/api/v1/reviews").status_code == 403


def test_a_declared_conflict_takes_the_member_off(site: Panels) -> None:
    p, b = site.people, site.case_b
    coord = _api(site, "coordinator")
    r = coord.post(f"/api/v1/submissions/{b}/panel",
                   json={"reviewers": [p["ext"].id, p["dee"].email], "chair": p["chair"].id})
    assert r.status_code == 201, r.text
    assert [m["declared"] for m in r.json()["panel"]["members"]] == ["pending"] * 3
    dee = _api(site, "dee")
    assert b in [x["submission"]["id"] for x in dee.get("/api/v1/reviews").json()["reviews"]]
    r = dee.post(f"/api/v1/submissions/{b}/declaration", json={"conflict_of_interest": True, "note": " "})
    assert r.status_code == 409 and "the note is empty" in r.json()["error"]["message"]
    r = dee.post(f"/api/v1/submissions/{b}/reviews", json={"conflict_of_interest": True,
                                                           "conflict_note": "I taught on this bootcamp in 2024"})
    assert r.status_code == 200 and r.json() == {"declared": "declared", "on_panel": False}
    # off the panel: the submission is gone for them
    for path in (f"/api/v1/submissions/{b}/reviews", f"/api/v1/submissions/{b}/consolidation",
                 f"/api/v1/submissions/{b}"):
        assert dee.get(path).status_code == 404, path
    assert b not in [x["submission"]["id"] for x in dee.get("/api/v1/reviews").json()["reviews"]]
    members = coord.get(f"/api/v1/submissions/{b}").json()["panel"]["panel"]["members"]
    gone = next(m for m in members if m["name"] == "Dee Fourth")
    assert gone["declared"] == "declared" and gone["conflict_note"] == "I taught on this bootcamp in 2024"
    c, _t = _signed_in(site, "coordinator")
    assert "declared a conflict (off the panel): “I taught on this bootcamp in 2024”" in c.get(f"/submissions/{b}").text
    # by the page: a conflict needs its note, then the member leaves for their list
    chair, cht = _signed_in(site, "chair")
    r = chair.post(f"/submissions/{b}/declaration", data={"csrf_token": cht, "conflict": "yes", "note": ""})
    assert r.status_code == 409 and "the note is empty" in r.text and "I have a conflict" in r.text
    r = chair.post(f"/submissions/{b}/declaration", data={"csrf_token": cht, "conflict": "yes",
                                                          "note": "I advise the provider"})
    assert r.status_code == 303 and r.headers["location"] == "/reviews?declared=conflict"
    assert "off that panel" in chair.get(r.headers["location"]).text
    assert chair.get(f"/submissions/{b}/reviews").status_code == 404

    # the coordinator seats replacements: by the API (a new chair), then by the page's form
    s = site.live.ws.store
    eve = accounts.add_user(s, "eve@reviewers.example", role="reviewer", password=PASSWORD, name="Eve Fifth",
                            chair_qualified=True, actor="test")
    seats = f"/api/v1/submissions/{b}/panel/members"
    for body, status, says in (
        ({"reviewer": p["dee"].email}, 409, "left it with a conflict"),
        ({"reviewer": site.people["coordinator"].email}, 409, "not a reviewer"),
        ({"reviewer": p["sme"].email, "chair": True}, 409, "Cy Expert is not qualified to chair"),
        ({"reviewer": "nobody@nowhere.example"}, 404, "there is no account"),
    ):
        r = coord.post(seats, json=body)
        assert r.status_code == status and says in r.json()["error"]["message"], (body, r.text)
    assert _api(site, "provider").post(seats, json={"reviewer": eve.email}).status_code == 403
    assert _api(site, "ext").post(seats, json={"reviewer": eve.email}).status_code == 403
    r = coord.post(seats, json={"reviewer": eve.email, "chair": True})
    assert r.status_code == 201, r.text
    assert [(m["name"], m["role"], m["declared"]) for m in r.json()["panel"]["members"]][-1] == \
        ("Eve Fifth", "chair", "pending")
    page = c.get(f"/submissions/{b}").text
    assert "Replace the member who declared a conflict" in page and "Eve Fifth" in page
    c2, ct = _signed_in(site, "coordinator")
    r = c2.post(f"/submissions/{b}/panel/members", data={"csrf_token": ct, "reviewer": str(p["sme"].id),
                                                          "subject_matter": "1"})
    assert r.status_code == 303 and r.headers["location"] == f"/submissions/{b}#panel", r.text[:400]
    members = coord.get(f"/api/v1/submissions/{b}").json()["panel"]["panel"]["members"]
    seated = [m["name"] for m in members if m["declared"] != "declared"]
    assert seated == ["Bo External", "Eve Fifth", "Cy Expert"]
    full = coord.post(seats, json={"reviewer": site.people["reviewer"].email})
    assert full.status_code == 409 and "has its 3 members already" in full.json()["error"]["message"]
    eve_api = site.live.client(headers={"Authorization": "Bearer " + accounts.create_token(
        s, eve.email, name="t", actor="test").secret})
    assert b in [x["submission"]["id"] for x in eve_api.get("/api/v1/reviews").json()["reviews"]]
    assert eve_api.post(f"/api/v1/submissions/{b}/declaration", json={"conflict_of_interest": False}).status_code == 200


def test_openapi_names_the_design_panel_api(site: Panels) -> None:
    paths = site.live.client().get("/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/submissions/{case_id}/panel"]
    assert {"get", "post"} <= set(paths["/api/v1/submissions/{case_id}/reviews"])
    assert {"get", "post"} <= set(paths["/api/v1/submissions/{case_id}/consolidation"])
    assert "get" in paths["/api/v1/reviews"]
    review = paths["/api/v1/submissions/{case_id}/reviews"]["post"]["requestBody"]["content"]["application/json"]
    ref = review["schema"]["$ref"].rsplit("/", 1)[1]
    fields = site.live.client().get("/openapi.json").json()["components"]["schemas"][ref]["properties"]
    assert {"conflict_of_interest", "criteria"} <= set(fields)
