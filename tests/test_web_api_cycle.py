"""One whole accreditation through the JSON API alone, as a body's or a provider's own
tooling would drive it (bearer tokens, uvicorn on loopback, SQLite and PostgreSQL):
upload, submit, screen, panel, declarations, independent reviews with a disagreement,
consolidation and the chair's resolution, a decision with a condition, the due list, an
amended dossier meeting it, closing it, the letter, publication, the public decision and
register, offline verification of the credential; who else asks gets 404 or 403."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from test_web_decisions import live, make_panel_people  # noqa: F401  (the module's live server)
from web_helpers import Live
from workspace_helpers import AMENDED, EXAMPLES

from qa_engine.cli import cli
from qa_engine.services import accounts


def _bearer(lv: Live, user: Any) -> httpx.Client:
    token = accounts.create_token(lv.ws.store, user.email, actor="test")
    return lv.client(headers={"Authorization": f"Bearer {token.secret}"})


def test_one_accreditation_through_the_api(live: Live, tmp_path: Path) -> None:  # noqa: F811
    u = live.ws.users
    who = make_panel_people(live.ws.store)
    prov, other, coord = _bearer(live, u["provider"]), _bearer(live, u["provider2"]), _bearer(live, u["coordinator"])
    chair, ext, sme = (_bearer(live, who[k]) for k in ("chair", "ext", "sme"))
    outsider, anon = _bearer(live, u["reviewer"]), live.client()

    # the provider uploads and submits
    r = prov.post("/api/v1/submissions", files={"file": ("bootcamp.yaml", (EXAMPLES / "bootcamp-web-dev.yaml").read_bytes())},
                  data={"ruleset": "qa-starter"})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.headers["location"] == f"/api/v1/submissions/{cid}"
    assert other.get(f"/api/v1/submissions/{cid}").status_code == 404
    assert anon.get(f"/api/v1/submissions/{cid}").status_code == 401
    assert prov.post(f"/api/v1/submissions/{cid}/submit").status_code == 200
    assert prov.post(f"/api/v1/submissions/{cid}/screen", data={"outcome": "accept"}).status_code == 403
    r = coord.post(f"/api/v1/submissions/{cid}/screen", data={"outcome": "accept"})
    assert r.status_code == 200 and r.json()["submission"]["state"] == "in_review", r.text

    # the panel: a reviewer not on it sees nothing of the case
    r = coord.post(f"/api/v1/submissions/{cid}/panel", json={
        "reviewers": [who["chair"].email, who["ext"].email, who["sme"].email], "chair": who["chair"].email,
        "subject_matter": [who["sme"].email]})
    assert r.status_code == 201, r.text
    assert outsider.get(f"/api/v1/submissions/{cid}").status_code == 404
    assert outsider.get(f"/api/v1/submissions/{cid}/reviews").status_code == 404
    early = chair.post(f"/api/v1/submissions/{cid}/reviews", json={"criteria": [], "submit": True})
    assert early.status_code == 403 and "declar" in early.json()["error"]["message"], early.text
    for c in (chair, ext, sme):
        assert c.post(f"/api/v1/submissions/{cid}/declaration", json={"conflict_of_interest": False}).status_code == 200

    # independent reviews: the chair disagrees with the machine on ST-AS-01
    r = chair.post(f"/api/v1/submissions/{cid}/reviews", json={"submit": True, "comment": "One outcome unassessed.",
                   "criteria": [{"id": "ST-AS-01", "state": "not_met", "reason": "LO4 has no assessment"}]})
    assert r.status_code == 200, r.text
    mine = ext.get(f"/api/v1/submissions/{cid}/reviews").json()
    assert "LO4 has no assessment" not in str(mine)  # the others' judgments only after one's own
    assert ext.post(f"/api/v1/submissions/{cid}/reviews", json={"submit": True}).status_code == 200
    assert "LO4 has no assessment" in str(ext.get(f"/api/v1/submissions/{cid}/reviews").json())
    assert sme.post(f"/api/v1/submissions/{cid}/reviews", json={"submit": True}).status_code == 200

    # consolidation: unanimity on an essential criterion leaves ST-AS-01 to the chair
    con = coord.get(f"/api/v1/submissions/{cid}/consolidation").json()
    assert "ST-AS-01" in str(con) and prov.get(f"/api/v1/submissions/{cid}/consolidation").status_code == 403
    assert ext.post(f"/api/v1/submissions/{cid}/consolidation", json={
        "criterion": "ST-AS-01", "state": "not_met", "reason": "x"}).status_code == 403  # only the chair
    r = chair.post(f"/api/v1/submissions/{cid}/consolidation", json={
        "criterion": "ST-AS-01", "state": "not_met", "reason": "one of four outcomes is not assessed"})
    assert r.status_code == 200, r.text

    # the decision with a condition; the provider sees it and what is due
    r = coord.post(f"/api/v1/submissions/{cid}/decision", json={
        "outcome": "accredited_with_conditions", "rationale": "Sound; one outcome is not assessed.",
        "conditions": [{"criteria": ["ST-AS-01"], "text": "Assess every learning outcome."}]})
    assert r.status_code == 201, r.text
    did = r.json()["decision"]["id"]
    seen = prov.get(f"/api/v1/submissions/{cid}/decision").json()
    assert seen["decision"]["outcome"] == "accredited_with_conditions"
    assert [c["id"] for c in seen["decision"]["conditions"]] == ["C1"]
    due = prov.get("/api/v1/due", params={"within": "400d"}).json()["items"]
    assert [(i["submission"], i["condition"], i["state"]) for i in due] == [(cid, "C1", "open")]
    assert other.get("/api/v1/due", params={"within": "400d"}).json()["items"] == []

    # the amendment meets the condition; closing it makes the decision "accredited"
    assert other.post(f"/api/v1/submissions/{cid}/amendments",
                      files={"file": ("a.yaml", AMENDED.read_bytes())}).status_code == 404
    r = prov.post(f"/api/v1/submissions/{cid}/amendments", files={"file": ("amended.yaml", AMENDED.read_bytes())})
    assert r.status_code == 201, r.text
    assert [(c["condition"], c["met"]) for c in r.json()["checks"]] == [("C1", True)]
    assert prov.post(f"/api/v1/submissions/{cid}/conditions/C1/close").status_code == 403
    r = coord.post(f"/api/v1/submissions/{cid}/conditions/C1/close")
    assert r.status_code == 200, r.text
    assert coord.get(f"/api/v1/submissions/{cid}/decision").json()["decision"]["outcome"] == "accredited"
    assert prov.get("/api/v1/due", params={"within": "400d"}).json()["items"] == []
    letter = prov.get(f"/api/v1/submissions/{cid}/decision/letter", params={"format": "pdf"})
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF-")

    # publication: public once published, verifiable offline with what the server serves
    assert anon.get(f"/api/v1/decisions/{did}").status_code == 404
    assert prov.post(f"/api/v1/decisions/{did}/publish").status_code == 403
    r = coord.post(f"/api/v1/decisions/{did}/publish")
    assert r.status_code == 201, r.text
    public = anon.get(f"/api/v1/decisions/{did}")
    assert public.status_code == 200
    items = {i["url"].rsplit("/", 1)[-1]: i["_qa_engine"] for i in anon.get("/api/v1/register").json()["items"]}
    assert items[str(did)]["state"] == "current" and items[str(did)]["outcome"] == "accredited"
    vc = tmp_path / "vc.json"
    vc.write_bytes(anon.get(f"/decisions/{did}/credential.json").content)
    (tmp_path / "did.json").write_bytes(anon.get("/.well-known/did.json").content)
    lists = ("--status-list", f"{live.url}/status/revocation.json", "--status-list", f"{live.url}/status/suspension.json")
    res = CliRunner().invoke(cli, ["verify", str(vc), "--key", str(tmp_path / "did.json"), *lists])
    assert res.exit_code == 0 and "VERIFIED" in res.stdout, res.output
    state = coord.get(f"/api/v1/submissions/{cid}").json()["submission"]["state"]
    assert state == "published"
    assert CliRunner().invoke(cli, ["audit", "verify", "--db", live.ws.store.url]).exit_code == 0
