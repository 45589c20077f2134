"""A store with review-workflow records: people, cases, panels, reviews, decisions.

Organisations, accounts and submission cases are made by the workspace's own services
(accounts, submissions: a provider uploads, submits, a coordinator accepts) where
they exist, else written with plain SQL (a branch without them); everything of the
workflow goes through :mod:`qa_engine.store.workflow` and its services.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import Connection, select

from qa_engine.store import Store
from qa_engine.store import workflow as wf
from qa_engine.store.models import (
    EVALUATION,
    ORGANISATION,
    SUBMISSION,
    SUBMISSION_CASE,
    SUBMISSION_VERSION,
    USER_ACCOUNT,
)

#: (email, name, role, external, chair_qualified)
PEOPLE = [
    ("coord@body.example", "Cora Coordinator", "coordinator", False, False),
    ("chair@body.example", "Ada Chair", "reviewer", False, True),
    ("ext@elsewhere.example", "Bo External", "reviewer", True, False),
    ("sme@body.example", "Cy Expert", "reviewer", False, False),
    ("dee@body.example", "Dee Fourth", "reviewer", False, False),
    ("prov@provider.example", "Pat Provider", "provider", False, False),
]


def _workspace() -> Any:
    try:
        from qa_engine.services import accounts, submissions  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    return accounts, submissions


def people_and_cases(store: Store, evaluation_ids: list[int]) -> dict[str, Any]:
    """A provider organisation, the people above and one case in review per evaluation
    (its dossier, ruleset and rubric)."""
    ws = _workspace()
    if ws is not None:
        return _through_services(store, evaluation_ids, *ws)
    return _through_sql(store, evaluation_ids)


def _through_services(store: Store, evaluation_ids: list[int], accounts: Any, submissions: Any) -> dict[str, Any]:
    accounts.add_organisation(store, "codeharbour", "CodeHarbour Academy", kind="provider", country="DE",
                              actor="admin")
    users: dict[str, int] = {}
    for email, name, role, external, chair in PEOPLE:
        u = accounts.add_user(store, email, role=role, password=None, name=name,
                              org="codeharbour" if role == "provider" else None, external=external,
                              chair_qualified=chair, actor="admin")
        users[email.split("@")[0]] = u.id
    prov, coord = accounts.user(store, "prov@provider.example"), accounts.user(store, "coord@body.example")
    cases = []
    for ev in evaluation_ids:
        r = store.get_report(ev)
        checked = submissions.create_draft(
            store, prov, wf.dossier_json_of(store, ev).encode("utf-8"), f"{r.dossier.id}.json",
            ruleset=f"{r.ruleset.id}@{r.ruleset.version}", rubric=f"{r.rubric.id}@{r.rubric.version}",
            as_of=r.as_of,
        )
        submissions.submit(store, prov, checked.case.id)
        submissions.screen(store, coord, checked.case.id, "accept")
        cases.append(int(checked.case.id))
    return {"org": None, "users": users, "cases": cases}


def _through_sql(store: Store, evaluation_ids: list[int]) -> dict[str, Any]:
    now = _dt.datetime.now(_dt.UTC)

    def write(conn: Connection) -> dict[str, Any]:
        org = conn.execute(ORGANISATION.insert().values(
            slug="codeharbour", name="CodeHarbour Academy", kind="provider", country="DE", created_at=now,
        )).inserted_primary_key[0]
        users: dict[str, int] = {}
        for email, name, role, external, chair in PEOPLE:
            users[email.split("@")[0]] = int(conn.execute(USER_ACCOUNT.insert().values(
                email=email, name=name, role=role, organisation_id=org if role == "provider" else None,
                external=external, chair_qualified=chair, created_at=now,
            )).inserted_primary_key[0])
        cases = []
        for i, ev in enumerate(evaluation_ids):
            e = conn.execute(select(EVALUATION.c.submission_id, EVALUATION.c.dossier_id, EVALUATION.c.dossier_sha256)
                             .where(EVALUATION.c.id == ev)).one()
            case = int(conn.execute(SUBMISSION_CASE.insert().values(
                organisation_id=org, dossier_id=e.dossier_id, title=f"Programme {i}", state="in_review",
                ruleset_ref="qa-starter", current_version=1, submitted_version=1, created_by=users["prov"],
                created_at=now, updated_at=now,
            )).inserted_primary_key[0])
            conn.execute(SUBMISSION_VERSION.insert().values(
                case_id=case, number=1, kind="draft", content_id=e.submission_id, dossier_sha256=e.dossier_sha256,
                evaluation_id=ev, source_format="yaml", upload_sha256=e.dossier_sha256, created_by=users["prov"],
                created_at=now,
            ))
            cases.append(case)
            assert conn.execute(select(SUBMISSION.c.id).where(SUBMISSION.c.id == e.submission_id)).first()
        return {"org": int(org), "users": users, "cases": cases}

    return store.write(write)


def populate_workflow(store: Store, evaluation_ids: list[int]) -> dict[str, Any]:
    """Two rows (at least) in every workflow table, through the store's writers."""
    base = people_and_cases(store, evaluation_ids)
    u = base["users"]
    panels, decisions = [], []
    for case_id, ev in zip(base["cases"], evaluation_ids, strict=True):
        pid = wf.form_panel(
            store, case_id=case_id, evaluation_id=ev, version=1, policy_ref="qa-starter@1.0.0",
            policy_sha256="a" * 64, created_by=u["coord"], actor="coord@body.example",
            members=[wf.NewMember(u["chair"], "chair", False, False), wf.NewMember(u["ext"], "member", True, False),
                     wf.NewMember(u["sme"], "member", False, True)],
        )
        wf.declare(store, pid, u["chair"], conflict="none", note=None, actor="chair@body.example")
        wf.declare(store, pid, u["ext"], conflict="none", note="no ties to the provider", actor="ext@elsewhere.example")
        wf.save_review(store, pid, u["chair"], comment="solid", submit=True, actor="chair@body.example", judgments=[
            wf.JudgmentRow("ST-AS-01", False, "not_met", "outcome 4 is not assessed", None),
            wf.JudgmentRow("ST-TR-01", True, "met", None, "clear"),
        ])
        wf.save_review(store, pid, u["ext"], comment=None, submit=False, actor="ext@elsewhere.example", judgments=[
            wf.JudgmentRow("ST-AS-01", True, "met", None, None),
        ])
        wf.resolve(store, pid, "ST-AS-01", state="not_met", reason="outcome 4 unassessed", user_id=u["chair"],
                   actor="chair@body.example")
        did = wf.record_decision(store, {
            "case_id": case_id, "panel_id": pid, "evaluation_id": ev, "version": 1, "dossier_sha256": "b" * 64,
            "ruleset_sha256": "c" * 64, "rubric_sha256": "d" * 64, "report_sha256": "e" * 64,
            "policy_sha256": "a" * 64, "outcome": "accredited_with_conditions",
            "decided_outcome": "accredited_with_conditions", "rationale": "good, one gap", "score_exact": "81/2",
            "score": 40.5, "criteria": [{"id": "ST-AS-01", "final_state": "not_met"}], "panel": [{"name": "Ada"}],
            "valid_from": _dt.date(2026, 3, 1), "valid_until": _dt.date(2029, 2, 28),
            "decided_on": _dt.date(2026, 3, 1), "decided_by": u["coord"],
        }, [wf.NewCondition("C1", ("ST-AS-01",), "assess outcome 4", _dt.date(2026, 9, 1))],
            actor="coord@body.example")
        aid = wf.record_amendment(
            store, did, evaluation_id=ev, dossier_sha256="f" * 64, re_review=["assessments"],
            checks=[{"condition": "C1", "met": True, "states": {"ST-AS-01": "met"}, "explanation": "Met"}],
            created_by=u["prov"], actor="prov@provider.example",
        )
        cond = wf.get_decision(store, did).conditions[0]  # type: ignore[union-attr]
        wf.close_condition(store, cond.id, on=_dt.date(2026, 6, 1), by=u["coord"], amendment_id=aid,
                           actor="coord@body.example")
        panels.append(pid)
        decisions.append(did)
    return {**base, "panels": panels, "decisions": decisions}


def decided_case(store: Store) -> dict[str, Any]:
    """A case of bootcamp-web-dev (qa-starter) taken through the services to a decision
    with one condition (ST-AS-01, resolved by the chair as not met)."""
    from store_helpers import EXAMPLES, setup

    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.check import check_dossier
    from qa_engine.services.workflow import service as svc

    s = setup()
    store.ensure_content(s.ruleset, s.rubric)
    d = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    ev = store.record_evaluation(check_dossier(s, d, file="bootcamp-web-dev.yaml"),
                                 d.model_dump_json(exclude_none=True))[0]
    base = people_and_cases(store, [ev])
    who = {k: wf.people(store)[v] for k, v in base["users"].items()}
    panel = svc.form_panel(store, who["coord"], base["cases"][0], [
        svc.Pick(who["chair"], chair=True), svc.Pick(who["ext"]), svc.Pick(who["sme"], subject_matter=True)])
    for k in ("chair", "ext", "sme"):
        svc.declare(store, who[k], panel.id, conflict=False)
    svc.save_review(store, who["chair"], panel.id,
                    [svc.JudgmentIn("ST-AS-01", "not_met", "LO3 and LO4 have no assessment")], submit=True)
    for k in ("ext", "sme"):
        svc.save_review(store, who[k], panel.id, [], submit=True)
    svc.resolve_criterion(store, who["chair"], panel.id, "ST-AS-01", state="not_met",
                          reason="two of eight outcomes are unassessed")
    decision = svc.decide(store, who["coord"], panel.id, rationale="Sound programme; assessment gaps remain.",
                          outcome="accredited_with_conditions", people=wf.people(store),
                          today=_dt.date(2026, 3, 2),
                          conditions=[svc.ConditionIn(("ST-AS-01",), "Assess every learning outcome.",
                                                      _dt.date(2026, 5, 1))])
    return {**base, "who": who, "panel": panel, "decision": decision, "dossier": d}


def bootcamp_case_in_review(url: str) -> int:
    """A store at ``url`` with PEOPLE and bootcamp-web-dev (qa-starter) evaluated, submitted
    and accepted for review: the case id (the CLI tests' starting point)."""
    from store_helpers import EXAMPLES, setup

    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.check import check_dossier
    from qa_engine.store import open_store

    store = open_store(url)
    try:
        s = setup()
        store.ensure_content(s.ruleset, s.rubric)
        d = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
        ev = store.record_evaluation(check_dossier(s, d, file="x.yaml"), d.model_dump_json(exclude_none=True))[0]
        return int(people_and_cases(store, [ev])["cases"][0])
    finally:
        store.close()
