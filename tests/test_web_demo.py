"""`qa-engine users seed-demo` (what `make demo` runs): the demo organisations and one
account per role, idempotent, signed in with the printed demo password, and enough
reviewers for a panel that the review policy allows."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from workspace_helpers import upload

from qa_engine.cli import cli
from qa_engine.formats.lifecycle import ROLES
from qa_engine.services import accounts, submissions
from qa_engine.services.workflow import service as wf
from qa_engine.store import open_store


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_seed_demo_makes_every_role_twice_is_a_no_op_and_the_password_signs_in(store_url: str) -> None:
    db = ["--db", store_url]
    first = _cli("users", "seed-demo", *db)
    assert first.exit_code == 0, first.output
    assert f"{len(accounts.DEMO_PEOPLE)} added, 0 there already" in first.output
    assert accounts.DEMO_PASSWORD in first.output and "demo password" in first.output
    assert "qa-engine serve --db" in first.output and "http://127.0.0.1:8000/login" in first.output
    for p in accounts.DEMO_PEOPLE:
        assert p.email in first.output
    # a second run (make demo twice) adds nothing and fails on nothing
    again = _cli("users", "seed-demo", *db, "--json")
    assert again.exit_code == 0, again.output
    doc = json.loads(again.output)
    assert [u["new"] for u in doc["users"]] == [False] * len(accounts.DEMO_PEOPLE)
    assert [o["new"] for o in doc["organisations"]] == [False] * len(accounts.DEMO_ORGANISATIONS)
    users = doc["users"]
    assert {u["role"] for u in users} == set(ROLES)
    providers = [u for u in users if u["role"] == "provider"]
    assert len({u["organisation"] for u in providers}) == 2
    reviewers = [u for u in users if u["role"] == "reviewer"]
    assert len(reviewers) >= 3 and any(u["chair_qualified"] for u in reviewers) and any(u["external"] for u in reviewers)
    r = _cli("audit", "verify", *db)
    assert r.exit_code == 0 and "audit log OK" in r.output, r.output

    with open_store(store_url, actor="test") as s:
        # one account changed its password since: a new run leaves it alone
        accounts.set_password(s, "admin@demo-agency.example", "another long password", actor="test")
        accounts.seed_demo(s, actor="test")
        assert accounts.sign_in(s, "admin@demo-agency.example", "another long password", address="t").user.role == "admin"
        for p in accounts.DEMO_PEOPLE[:-1]:
            assert accounts.sign_in(s, p.email, accounts.DEMO_PASSWORD, address="t").user.email == p.email
        # a Demo Campus submission is invisible to North Academy and can get a valid panel of the demo reviewers
        who = {u.email: u for u in accounts.list_users(s)}
        provider = who["provider@demo-campus.example"]
        cid = submissions.create_draft(s, provider, *upload("bootcamp-web-dev")).case.id
        other = who["provider@north-academy.example"]
        assert cid not in [c.id for c in submissions.list_cases(s, other)]
        submissions.submit(s, provider, cid)
        coordinator = who["coordinator@demo-agency.example"]
        assert submissions.screen(s, coordinator, cid, "accept").state == "in_review"
        panel = wf.form_panel(s, coordinator, cid, [
            wf.Pick(who["chair@demo-agency.example"], chair=True),
            wf.Pick(who["external@peer-university.example"]),
            wf.Pick(who["reviewer@demo-agency.example"], subject_matter=True),
        ])
        assert len(panel.members) == 3
