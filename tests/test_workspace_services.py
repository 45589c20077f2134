"""The workspace's service layer on SQLite and PostgreSQL: accounts, sessions, tokens,
throttling, access per object, submissions through their life cycle, evidence files —
and the CLI commands over them (users, orgs, tokens)."""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from realdata import OB
from sqlalchemy import create_engine, select, update
from workspace_helpers import PASSWORD, Workspace, people, upload

from qa_engine.cli import cli
from qa_engine.errors import (
    AuthenticationError,
    ConflictError,
    DossierError,
    InputError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    QAError,
    TooManyRequestsError,
)
from qa_engine.services import accounts, submissions
from qa_engine.store import open_store, resolve_url
from qa_engine.store.models import API_TOKEN, LOGIN_ATTEMPT, USER_ACCOUNT, WEB_SESSION


@pytest.fixture
def ws(store_url: str) -> Iterator[Workspace]:
    store = open_store(store_url, actor="test")
    try:
        yield people(store)
    finally:
        store.close()


def _verify_ok(ws: Workspace) -> Any:
    result = ws.store.verify_audit()
    assert result.ok, result.record_problems or result.first_broken
    return result


# --------------------------------------------------------------------------- errors


def test_every_error_has_an_http_status() -> None:
    import qa_engine.errors as errors
    import qa_engine.store.errors as store_errors

    want = {"NotFoundError": 404, "AuthenticationError": 401, "PermissionDeniedError": 403,
            "ConflictError": 409, "TooManyRequestsError": 429, "PayloadTooLargeError": 413,
            "InputError": 422, "DossierError": 422, "NotInStoreError": 404, "StoreBusyError": 503}
    seen = {}
    for mod in (errors, store_errors):
        for name in dir(mod):
            cls = getattr(mod, name)
            if isinstance(cls, type) and issubclass(cls, QAError):
                assert 400 <= cls.http_status <= 599, name
                seen[name] = cls.http_status
    for name, status in want.items():
        assert seen[name] == status, name
    assert issubclass(store_errors.NotInStoreError, NotFoundError)


# --------------------------------------------------------------------------- accounts


def test_accounts_are_validated(ws: Workspace) -> None:
    s = ws.store
    with pytest.raises(ConflictError):
        accounts.add_user(s, "PIA@open-campus.example", role="provider", org="open-campus", password=PASSWORD,
                          actor="t")
    with pytest.raises(InputError, match="not an e-mail address"):
        accounts.add_user(s, "no-at-sign", role="auditor", password=PASSWORD, actor="t")
    with pytest.raises(InputError, match="needs its organisation"):
        accounts.add_user(s, "p@x.example", role="provider", password=PASSWORD, actor="t")
    with pytest.raises(NotFoundError, match="no organisation"):
        accounts.add_user(s, "p@x.example", role="provider", org="nowhere", password=PASSWORD, actor="t")
    with pytest.raises(InputError, match="at least 12"):
        accounts.add_user(s, "p@x.example", role="auditor", password="short", actor="t")
    with pytest.raises(InputError, match="unknown role"):
        accounts.add_user(s, "p@x.example", role="root", password=PASSWORD, actor="t")
    with pytest.raises(ConflictError):
        accounts.add_organisation(s, "open-campus", "Again", actor="t")
    with pytest.raises(InputError, match="slug"):
        accounts.add_organisation(s, "Bad Slug", "Bad", actor="t")
    # stored as argon2id, never in clear (tests hash with argon2's cheapest profile;
    # the workspace with RFC 9106's low-memory one)
    assert accounts.PRODUCTION_HASHER.type.name == "ID" and accounts.PRODUCTION_HASHER.memory_cost >= 65536
    u = accounts.user(s, "pia@open-campus.example")
    assert u.password_hash is not None and u.password_hash.startswith("$argon2id$")
    assert PASSWORD not in u.password_hash
    assert "password_hash" not in u.to_dict()


def test_sign_in_rotates_the_session_and_signs_out(ws: Workspace) -> None:
    s = ws.store
    first = accounts.sign_in(s, "pia@open-campus.example", PASSWORD, address="10.0.0.1")
    sess, user = accounts.session_user(s, first.secret)
    assert user.email == "pia@open-campus.example" and sess.csrf_token
    # the store keeps only the sha256 of the cookie's secret
    assert sess.id == hashlib.sha256(first.secret.encode()).hexdigest() != first.secret
    # signing in again from the same browser replaces (revokes) the session it had
    second = accounts.sign_in(s, "pia@open-campus.example", PASSWORD, address="10.0.0.1",
                              replaces=sess.id)
    assert second.secret != first.secret and second.session.csrf_token != sess.csrf_token
    with pytest.raises(AuthenticationError, match="ended"):
        accounts.session_user(s, first.secret)
    third = accounts.sign_in(s, "pia@open-campus.example", PASSWORD, address="10.0.0.2")
    assert accounts.sign_out(s, second.secret) == 1
    with pytest.raises(AuthenticationError):
        accounts.session_user(s, second.secret)
    accounts.session_user(s, third.secret)  # the other browser stays signed in
    fourth = accounts.sign_in(s, "pia@open-campus.example", PASSWORD, address="10.0.0.3")
    assert accounts.sign_out(s, fourth.secret, everywhere=True) == 2
    with pytest.raises(AuthenticationError):
        accounts.session_user(s, third.secret)
    with pytest.raises(AuthenticationError):
        accounts.session_user(s, "made-up")
    _verify_ok(ws)


def test_wrong_password_unknown_user_and_disabled_account_get_one_answer(ws: Workspace) -> None:
    s = ws.store
    msgs = set()
    for email, pw in (("pia@open-campus.example", "wrong password!!"), ("nobody@x.example", PASSWORD)):
        with pytest.raises(AuthenticationError) as exc:
            accounts.sign_in(s, email, pw, address="10.1.0.1")
        msgs.add(str(exc.value))
    live = accounts.sign_in(s, "aud@body.example", PASSWORD, address="10.1.0.2")
    accounts.disable_user(s, "aud@body.example", actor="test")
    with pytest.raises(AuthenticationError):  # disabling ends its sessions
        accounts.session_user(s, live.secret)
    with pytest.raises(AuthenticationError) as exc:
        accounts.sign_in(s, "aud@body.example", PASSWORD, address="10.1.0.3")
    msgs.add(str(exc.value))
    assert len(msgs) == 1, msgs
    _verify_ok(ws)


def test_sign_in_is_throttled_per_account_and_per_address(ws: Workspace) -> None:
    s = ws.store
    for i in range(accounts.MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(s, "pia@open-campus.example", "wrong password!!", address=f"10.2.0.{i}")
    # locked for the account, even with the right password and from a new address
    with pytest.raises(TooManyRequestsError, match="this account") as exc:
        accounts.sign_in(s, "pia@open-campus.example", PASSWORD, address="10.2.1.1")
    assert 0 < exc.value.retry_after <= accounts.WINDOW.total_seconds() + 1
    assert exc.value.http_status == 429
    # other accounts are not locked
    accounts.sign_in(s, "nils@north-academy.example", PASSWORD, address="10.2.1.1")
    # one address trying many accounts is locked too
    for i in range(accounts.MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(s, f"guess{i}@x.example", "wrong password!!", address="10.9.9.9")
    with pytest.raises(TooManyRequestsError, match="this address"):
        accounts.sign_in(s, "cora@body.example", PASSWORD, address="10.9.9.9")
    # the window passes: the account may sign in again
    eng = create_engine(resolve_url(s.url))
    with eng.begin() as c:
        c.execute(update(LOGIN_ATTEMPT).values(at=LOGIN_ATTEMPT.c.at - _dt.timedelta(minutes=16)))
    eng.dispose()
    accounts.sign_in(s, "pia@open-campus.example", PASSWORD, address="10.2.1.1")


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(ws: Workspace) -> None:
    s = ws.store
    t = accounts.create_token(s, "pia@open-campus.example", name="ci", actor="test")
    assert t.secret.startswith("qae_") and len(t.secret) > 40
    assert accounts.authenticate_token(s, t.secret).email == "pia@open-campus.example"
    eng = create_engine(resolve_url(s.url))
    with eng.connect() as c:
        stored = [tuple(r) for r in c.execute(select(API_TOKEN.c.token_sha256, API_TOKEN.c.prefix))]
        sessions = list(c.execute(select(WEB_SESSION.c.id)))
    eng.dispose()
    assert stored == [(hashlib.sha256(t.secret.encode()).hexdigest(), t.secret[:12])]
    assert not sessions
    with pytest.raises(AuthenticationError, match="unknown"):
        accounts.authenticate_token(s, t.secret + "x")
    with pytest.raises(AuthenticationError, match="not a qa-engine token"):
        accounts.authenticate_token(s, "Bearer nonsense")
    other = accounts.create_token(s, "pia@open-campus.example", name="other", actor="test")
    assert accounts.revoke_tokens(s, "pia@open-campus.example", prefix=t.secret[:12], actor="test") == 1
    with pytest.raises(AuthenticationError, match="revoked"):
        accounts.authenticate_token(s, t.secret)
    accounts.authenticate_token(s, other.secret)
    accounts.disable_user(s, "pia@open-campus.example", actor="test")
    with pytest.raises(AuthenticationError, match="revoked"):
        accounts.authenticate_token(s, other.secret)
    _verify_ok(ws)


# --------------------------------------------------------------------------- submissions and access


def _draft(ws: Workspace, who: str = "provider", name: str = "mooc-intro-ai") -> submissions.Checked:
    data, fname = upload(name)
    return submissions.create_draft(ws.store, ws.users[who], data, fname)


def test_a_draft_is_self_checked_at_once_and_seen_only_by_its_organisation(ws: Workspace) -> None:
    s, u = ws.store, ws.users
    made = _draft(ws)
    assert made.case.state == "draft" and made.version == 1
    d = made.to_dict()
    assert d["dossier"]["sha256"] == made.report.dossier.sha256 and len(d["dossier"]["sha256"]) == 64
    assert d["evaluation"]["ruleset"].startswith("qa-starter@")
    cid = made.case.id
    assert [c.id for c in submissions.list_cases(s, u["provider"])] == [cid]
    assert submissions.list_cases(s, u["provider2"]) == []
    with pytest.raises(NotFoundError) as other:
        submissions.get(s, u["provider2"], cid)
    with pytest.raises(NotFoundError) as missing:
        submissions.get(s, u["provider2"], cid + 1000)
    # another organisation's submission reads exactly like one that does not exist
    import re

    assert re.sub(r"submission \d+", "N", str(other.value)) == re.sub(r"submission \d+", "N", str(missing.value))
    for role in ("coordinator", "auditor"):
        assert submissions.get(s, u[role], cid).id == cid
    with pytest.raises(NotFoundError):  # no panel yet
        submissions.get(s, u["reviewer"], cid)
    with pytest.raises(PermissionDeniedError):
        submissions.get(s, u["admin"], cid)
    with pytest.raises(PermissionDeniedError):
        _draft(ws, "coordinator")
    _v, report = submissions.report(s, u["provider"], cid)
    assert report.dossier.id == made.report.dossier.id
    _verify_ok(ws)


def test_a_reviewer_sees_exactly_the_panel_cases_once_cleared_of_conflict(ws: Workspace) -> None:
    """Read from the workflow's panels: pending -> not found; no conflict -> visible (not
    actionable); a declared conflict -> not found again for that reviewer."""
    from qa_engine.store import workflow as wdb

    s, u = ws.store, ws.users
    a, b = _draft(ws).case, _draft(ws, name="bootcamp-web-dev").case
    other = accounts.add_user(s, "rev2@x.example", role="reviewer", password=PASSWORD, actor="test")
    assert b.evaluation_id is not None
    pid = wdb.form_panel(
        s, case_id=b.id, evaluation_id=b.evaluation_id, version=1, policy_ref="qa-starter@1.0.0",
        policy_sha256="0" * 64, created_by=u["coordinator"].id, actor="test",
        members=[wdb.NewMember(u["reviewer"].id, "chair", False, False), wdb.NewMember(other.id, "member", False, False)],
    )
    for who in (u["reviewer"], other):  # on the panel, but not yet declared: nothing to see
        with pytest.raises(NotFoundError):
            submissions.get(s, who, b.id)
        assert submissions.list_cases(s, who) == []
    wdb.declare(s, pid, u["reviewer"].id, conflict="none", note=None, actor=u["reviewer"].email)
    wdb.declare(s, pid, other.id, conflict="declared", note="former employee", actor=other.email)
    assert submissions.get(s, u["reviewer"], b.id).id == b.id
    assert [c.id for c in submissions.list_cases(s, u["reviewer"])] == [b.id]
    with pytest.raises(NotFoundError):  # not their panel
        submissions.get(s, u["reviewer"], a.id)
    with pytest.raises(PermissionDeniedError):  # seeing is not screening
        submissions.act(s, u["reviewer"], b.id, "accept")
    with pytest.raises(NotFoundError):  # a declared conflict removes them
        submissions.get(s, other, b.id)
    assert submissions.list_cases(s, other) == []
    _verify_ok(ws)


def test_life_cycle_submit_screen_withdraw(ws: Workspace) -> None:
    s, u = ws.store, ws.users
    made = _draft(ws)
    cid = made.case.id
    with pytest.raises(PermissionDeniedError):
        submissions.submit(s, u["coordinator"], cid)
    with pytest.raises(NotFoundError):
        submissions.submit(s, u["provider2"], cid)
    with pytest.raises(ConflictError, match="draft"):
        submissions.screen(s, u["coordinator"], cid, "accept")
    done = submissions.submit(s, u["provider"], cid)
    assert done.state == "submitted" and done.submitted_version == 1
    with pytest.raises(ConflictError):
        submissions.submit(s, u["provider"], cid)
    with pytest.raises(ConflictError, match="only as a draft"):  # the submitted version is frozen
        data, fname = upload("bootcamp-web-dev")
        submissions.add_version(s, u["provider"], cid, data, fname)
    with pytest.raises(PermissionDeniedError):  # the auditor reads, never writes
        submissions.screen(s, u["auditor"], cid, "accept")
    with pytest.raises(InputError, match="needs a reason"):
        submissions.screen(s, u["coordinator"], cid, "return")
    returned = submissions.screen(s, u["coordinator"], cid, "return", "outside our scope: not a short programme")
    assert returned.state == "returned"
    reopened = submissions.act(s, u["provider"], cid, "reopen")
    assert reopened.state == "draft"
    submissions.submit(s, u["provider"], cid)
    assert submissions.screen(s, u["coordinator"], cid, "accept").state == "in_review"
    with pytest.raises(InputError, match="needs a reason"):
        submissions.withdraw(s, u["provider"], cid)
    assert submissions.withdraw(s, u["provider"], cid, "merged into another programme").state == "withdrawn"
    evs = submissions.events(s, u["auditor"], cid)
    assert [(e.action, e.to_state) for e in evs] == [
        ("create", "draft"), ("submit", "submitted"), ("return", "returned"), ("reopen", "draft"),
        ("submit", "submitted"), ("accept", "in_review"), ("withdraw", "withdrawn")]
    assert evs[2].reason == "outside our scope: not a short programme"
    assert evs[2].actor_email == "cora@body.example"
    # every state change is an audit entry naming who, vouching for the records
    rows = ws.store.read(lambda c: list(c.execute(
        select(__import__("qa_engine.store.models", fromlist=["AUDIT_LOG"]).AUDIT_LOG)
        .where(__import__("qa_engine.store.models", fromlist=["AUDIT_LOG"]).AUDIT_LOG.c.subject == f"case:{cid}"))))
    assert [r.action for r in rows] == ["case.create", "case.submit", "case.return", "case.reopen",
                                        "case.submit", "case.accept", "case.withdraw"]
    assert rows[1].actor == "pia@open-campus.example" and rows[5].actor == "cora@body.example"
    import json

    frozen = json.loads(rows[1].payload)
    assert frozen["dossier_sha256"] == made.report.dossier.sha256 and frozen["evaluation_id"] == made.evaluation_id
    assert {r["table"] for r in frozen["records"]} == {"submission_case", "submission_event"}
    _verify_ok(ws)


def test_versions_and_their_diff(ws: Workspace) -> None:
    s, u = ws.store, ws.users
    made = _draft(ws)
    cid = made.case.id
    text = upload()[0].decode()
    changed = text.replace("Introduction to", "A Gentle Introduction to", 1)
    assert changed != text
    v2 = submissions.add_version(s, u["provider"], cid, changed.encode(), "mooc-v2.yaml", note="retitled")
    assert v2.version == 2 and v2.case.current_version == 2
    with pytest.raises(NotFoundError):
        submissions.add_version(s, u["provider2"], cid, changed.encode(), "x.yaml")
    vs = submissions.versions(s, u["provider"], cid)
    assert [(v.number, v.filename, v.note) for v in vs] == [(1, "mooc-intro-ai.yaml", None),
                                                           (2, "mooc-v2.yaml", "retitled")]
    diff = submissions.diff_versions(s, u["provider"], cid, 1, 2)
    assert diff.fields and any(p == "title" for p, _a, _b in diff.fields), diff.fields
    # the diff is the dossier's own content: no change means an empty diff
    assert submissions.diff_versions(s, u["provider"], cid, 2, 2).fields == []
    with pytest.raises(NotFoundError, match="no version 9"):
        submissions.diff_versions(s, u["provider"], cid, 1, 9)
    _verify_ok(ws)


def test_bad_uploads_get_one_clear_error_with_their_location(ws: Workspace) -> None:
    s, p = ws.store, ws.users["provider"]
    with pytest.raises(InputError) as exc:
        submissions.create_draft(s, p, b"id: x\ntitle: [unclosed\n", "bad.yaml")
    assert "bad.yaml:" in str(exc.value) and exc.value.line is not None
    good = upload()[0].decode()
    broken = good.replace("id: ", "idx: ", 1)
    with pytest.raises(DossierError) as dexc:
        submissions.create_draft(s, p, broken.encode(), "schema.yaml")
    problems = submissions.problems_of(dexc.value)
    assert problems and all("message" in q for q in problems)
    assert any(q["line"] is not None for q in problems)
    with pytest.raises(PayloadTooLargeError):
        submissions.create_draft(s, p, b"x" * (submissions.MAX_DOSSIER_BYTES + 1), "big.yaml")
    with pytest.raises(InputError, match="XML"):
        submissions.create_draft(s, p, b"<?xml version='1.0'?><a/>", "c.xml")
    with pytest.raises(InputError):
        submissions.create_draft(s, p, "\ufffe\x00\x01".encode("utf-16-le")[:3], "c.yaml")
    assert submissions.list_cases(s, p) == []  # nothing half-made


def test_a_credential_is_imported_into_a_draft(ws: Workspace) -> None:
    src = OB / "fullOpenBadge.json"
    if not src.is_file():
        pytest.skip("public samples absent")
    made = submissions.create_draft(ws.store, ws.users["provider"], src.read_bytes(), src.name)
    v = submissions.version(ws.store, ws.users["provider"], made.case.id)
    assert v.source_format == "ob3" and made.case.state == "draft"
    assert made.report.dossier.imported_from == "openbadges-3.0"


def test_evidence_files(ws: Workspace) -> None:
    s, u = ws.store, ws.users
    cid = _draft(ws).case.id
    pdf = b"%PDF-1.4\n% hostile <script>alert(1)</script>\n%%EOF\n"
    e = submissions.add_evidence(s, u["provider"], cid, pdf, "../../etc/Self review <b>.pdf",
                                 effective_from=_dt.date(2026, 1, 1), expires=_dt.date(2027, 1, 1))
    assert e.filename == "Self review <b>.pdf" and e.media_type == "application/pdf"
    assert e.sha256 == hashlib.sha256(pdf).hexdigest() and e.evidence_id == "Self-review-b"
    # the same bytes under another id are stored once (content-addressed)
    e2 = submissions.add_evidence(s, u["provider"], cid, pdf, "copy.pdf", evidence_id="copy")
    assert e2.sha256 == e.sha256
    got, data = submissions.evidence_download(s, u["coordinator"], cid, e.id)
    assert data == pdf and got.id == e.id
    with pytest.raises(NotFoundError):
        submissions.evidence_download(s, u["provider2"], cid, e.id)
    with pytest.raises(ConflictError, match="already"):
        submissions.add_evidence(s, u["provider"], cid, pdf, "x.pdf", evidence_id="copy")
    with pytest.raises(InputError, match="does not hold what its name says"):
        submissions.add_evidence(s, u["provider"], cid, b"MZ\x90\x00", "tool.pdf")
    with pytest.raises(InputError, match="not accepted"):
        submissions.add_evidence(s, u["provider"], cid, b"MZ\x90\x00", "tool.exe")
    with pytest.raises(PayloadTooLargeError):
        submissions.add_evidence(s, u["provider"], cid, b"a" * (submissions.MAX_EVIDENCE_BYTES + 1), "big.txt")
    with pytest.raises(InputError, match="not after"):
        submissions.add_evidence(s, u["provider"], cid, b"notes", "n.txt", effective_from=_dt.date(2026, 5, 1),
                                 expires=_dt.date(2026, 4, 1))
    with pytest.raises(PermissionDeniedError):
        submissions.add_evidence(s, u["coordinator"], cid, b"notes", "n.txt")
    submissions.remove_evidence(s, u["provider"], cid, e2.id)
    assert [x.id for x in submissions.evidence(s, u["auditor"], cid)] == [e.id]
    with pytest.raises(NotFoundError):
        submissions.evidence_download(s, u["provider"], cid, e2.id)
    _verify_ok(ws)


def test_queue_counts_and_filters(ws: Workspace) -> None:
    s, u = ws.store, ws.users
    a = _draft(ws).case.id
    b = _draft(ws, name="bootcamp-web-dev").case.id
    c = _draft(ws, "provider2", name="uni-data-analytics").case.id
    submissions.submit(s, u["provider"], a)
    submissions.submit(s, u["provider2"], c)
    q = submissions.queue(s, u["coordinator"])
    assert q.by_state == {"draft": 1, "submitted": 2}
    assert {x.id for x in q.cases} == {a, b, c}
    assert q.by_provider == {"open-campus": 2, "north-academy": 1}
    only = submissions.queue(s, u["coordinator"], state="submitted", provider="north-academy")
    assert [x.id for x in only.cases] == [c]
    assert [x.id for x in submissions.queue(s, u["coordinator"], ruleset="qa-starter").cases]
    assert submissions.queue(s, u["coordinator"], ruleset="eu-microcredential").cases == []
    dec = next(iter(q.by_decision))
    assert all(x.decision == dec for x in submissions.queue(s, u["coordinator"], decision=dec).cases)
    assert submissions.queue(s, u["provider"]).by_state == {"draft": 1, "submitted": 1}


# --------------------------------------------------------------------------- the CLI


def _cli(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input)


def test_cli_users_orgs_tokens(store_url: str) -> None:
    db = ["--db", store_url]
    r = _cli("orgs", "add", "open-campus", "--name", "Open Campus", "--country", "DE", *db)
    assert r.exit_code == 0, r.output
    assert _cli("orgs", "add", "open-campus", "--name", "Again", *db).exit_code == 2
    r = _cli("users", "add", "Pia@Open-Campus.example", "--role", "provider", "--org", "open-campus", *db,
             input=PASSWORD + "\n")
    assert r.exit_code == 0 and "added provider pia@open-campus.example of open-campus" in r.output, r.output
    r = _cli("users", "add", "x@y.example", "--role", "provider", *db, input=PASSWORD + "\n")
    assert r.exit_code == 2 and "needs its organisation" in r.output and "Traceback" not in r.output
    r = _cli("users", "add", "x@y.example", "--role", "auditor", *db, input="short\n")
    assert r.exit_code == 2 and "at least 12" in r.output
    assert _cli("users", "add", "a@y.example", "--role", "auditor", *db, input=PASSWORD + "\n").exit_code == 0
    r = _cli("users", "list", *db)
    assert "pia@open-campus.example" in r.output and "a@y.example" in r.output and "argon2" not in r.output
    r = _cli("tokens", "create", "pia@open-campus.example", "--name", "ci", *db)
    assert r.exit_code == 0, r.output
    secret = r.output.split()[-1]
    assert secret.startswith("qae_")
    with open_store(store_url) as s:
        assert accounts.authenticate_token(s, secret).email == "pia@open-campus.example"
    assert secret not in _cli("tokens", "list", "pia@open-campus.example", *db).output
    r = _cli("tokens", "revoke", "pia@open-campus.example", *db)
    assert r.exit_code == 0 and "revoked 1 token" in r.output
    with open_store(store_url) as s, pytest.raises(AuthenticationError):
        accounts.authenticate_token(s, secret)
    assert _cli("users", "disable", "a@y.example", *db).exit_code == 0
    assert "disabled" in _cli("users", "list", "--role", "auditor", *db).output
    r = _cli("users", "disable", "ghost@y.example", *db)
    assert r.exit_code == 2 and "no account" in r.output
    r = _cli("audit", "verify", *db)
    assert r.exit_code == 0 and "audit log OK" in r.output, r.output
    # the password is never stored in clear
    eng = create_engine(resolve_url(store_url))
    with eng.connect() as c:
        hashes = [h for (h,) in c.execute(select(USER_ACCOUNT.c.password_hash))]
    eng.dispose()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
