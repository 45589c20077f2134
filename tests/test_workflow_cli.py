"""The review workflow through the command line (a coordinator scripting a cycle):
panel form/declare/review/consolidate/resolve, decide, due, amend, condition close."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from store_helpers import EXAMPLES
from workflow_helpers import bootcamp_case_in_review

from qa_engine.cli import cli
from qa_engine.formats.loader import dump_dossier_yaml, load_dossier
from qa_engine.store import open_store


def run(url: str, *args: str, who: str | None = None) -> Any:
    extra = ["--as", who] if who else []
    return CliRunner().invoke(cli, [*args, *extra, "--db", url])


def test_a_cycle_through_the_cli(sqlite_url: str, tmp_path: Path) -> None:
    url = sqlite_url
    case = bootcamp_case_in_review(url)
    coord, chair, ext, sme = "coord@body.example", "chair@body.example", "ext@elsewhere.example", "sme@body.example"

    bad = run(url, "panel", "form", str(case), "--chair", chair, "--member", "dee@body.example",
              "--member", sme, who=coord)
    assert bad.exit_code == 2 and "does not fit policy qa-starter@1.0.0" in bad.stderr
    assert "Traceback" not in bad.output
    out = run(url, "panel", "form", str(case), "--chair", chair, "--member", ext, "--member", sme,
              "--subject-matter", sme, who=coord)
    assert out.exit_code == 0, out.output
    assert "panel 1 formed" in out.stdout
    assert run(url, "panel", "show", "1", who="dee@body.example").exit_code == 2  # not on the panel
    early = run(url, "panel", "review", "1", "--submit", who=ext)
    assert early.exit_code == 2 and "declare first" in early.stderr
    assert run(url, "panel", "declare", "1", who=ext).exit_code == 2  # neither flag
    for who in (chair, ext, sme):
        assert run(url, "panel", "declare", "1", "--no-conflict", who=who).exit_code == 0
    r = run(url, "panel", "review", "1", "--judge", "ST-AS-01=not_met:LO3 and LO4 are not assessed",
            "--submit", who=chair)
    assert r.exit_code == 0 and "review submitted (1 criteria judged, 1 differ" in r.stdout, r.output
    bad = run(url, "panel", "review", "1", "--judge", "ST-AS-01=great", who=ext)
    assert bad.exit_code == 2 and "is not CRITERION=STATE[:REASON]" in bad.stderr
    # a member's view lists only their own review until they submit
    shown = json.loads(run(url, "panel", "show", "1", "--json", who=ext).stdout)
    assert shown["reviews"] == []
    for who in (ext, sme):
        assert run(url, "panel", "review", "1", "--submit", who=who).exit_code == 0
    shown = json.loads(run(url, "panel", "show", "1", "--json", who=ext).stdout)
    assert len(shown["reviews"]) == 3

    con = json.loads(run(url, "panel", "consolidate", "1", "--json", who=coord).stdout)
    assert con["open"] == ["ST-AS-01"] and not con["complete"]
    text = run(url, "panel", "consolidate", "1", who=coord).stdout
    assert "LO3 and LO4 are not assessed" in text and "the chair has to resolve it" in text
    no = run(url, "decide", "1", "--rationale", "x", "--today", "2026-03-02", who=coord)
    assert no.exit_code == 2 and "left open by the consensus rule: ST-AS-01" in no.stderr
    assert run(url, "panel", "resolve", "1", "ST-AS-01", "--state", "not_met", "--reason", "two outcomes unassessed",
               who=chair).exit_code == 0
    dec = run(url, "decide", "1", "--rationale", "Sound; assessment gaps.", "--outcome", "accredited_with_conditions",
              "--condition", "ST-AS-01:Assess every learning outcome.@2026-05-01", "--today", "2026-03-02", who=coord)
    assert dec.exit_code == 0, dec.output
    assert "decision 1: accredited_with_conditions" in dec.stdout and "C1 (ST-AS-01) due 2026-05-01" in dec.stdout

    due = run(url, "due", "--within", "90d", "--today", "2026-03-02", who=coord)
    assert due.exit_code == 0 and "2026-05-01  decision 1  condition C1 (open)" in due.stdout
    late = run(url, "due", "--today", "2026-05-02", "--json", who=coord)
    assert json.loads(late.stdout)[0]["state"] == "overdue"
    assert run(url, "due", "--within", "soon", who=coord).exit_code == 2

    d = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml")
    fixed = d.model_copy(update={"outcomes": [o.model_copy(update={"assessed_by": ["A1"]}) for o in d.outcomes]})
    path = tmp_path / "amended.yaml"
    path.write_text(dump_dossier_yaml(fixed), encoding="utf-8")
    am = run(url, "amend", "1", str(path), who="prov@provider.example")
    assert am.exit_code == 0 and "C1: met" in am.stdout, am.output
    cl = run(url, "condition", "close", "1", "C1", "--today", "2026-04-01", who=coord)
    assert cl.exit_code == 0 and "outcome accredited" in cl.stdout
    after = run(url, "due", "--today", "2026-03-02", who=coord)
    assert "nothing due within 90d" in after.stdout
    # deciding moved the case to decided; the validity's end expires it (coordinator only)
    store = open_store(url)
    from qa_engine.store import workflow as wdb

    assert wdb.case_state(store, case) == "decided"
    store.close()
    assert run(url, "expire", "--today", "2029-03-01", who=coord).stdout.startswith("no decision's validity")
    assert run(url, "expire", "--today", "2029-03-02", who="prov@provider.example").exit_code == 2
    ex = run(url, "expire", "--today", "2029-03-02", who=coord)
    assert ex.exit_code == 0 and f"submission {case}: decision 1 valid until 2029-03-01; decided -> expired" in ex.stdout
    verify = CliRunner().invoke(cli, ["audit", "verify", "--db", url])
    assert verify.exit_code == 0, verify.output


def test_panel_add_replaces_a_member_who_declared_a_conflict(store_url: str) -> None:
    """`qa-engine panel add`: only in place of a member who left with a conflict, only a
    reviewer not on the panel yet, and the panel must fit the policy once full."""
    case = bootcamp_case_in_review(store_url)
    url = store_url
    coord, chair, ext, sme, dee = ("coord@body.example", "chair@body.example", "ext@elsewhere.example",
                                   "sme@body.example", "dee@body.example")
    assert run(url, "panel", "form", str(case), "--chair", chair, "--member", ext, "--member", sme,
               "--subject-matter", sme, who=coord).exit_code == 0
    early = run(url, "panel", "add", "1", "--member", dee, who=coord)
    assert early.exit_code == 2 and "nobody on panel 1 declared a conflict" in early.stderr
    assert run(url, "panel", "declare", "1", "--conflict", "I advise the provider", who=sme).exit_code == 0
    wrong = run(url, "panel", "add", "1", "--member", dee, "--chair", who=coord)  # the chair is still there
    assert wrong.exit_code == 2 and "a panel has one chair, this one has 2" in wrong.stderr, wrong.output
    back = run(url, "panel", "add", "1", "--member", sme, "--subject-matter", who=coord)
    assert back.exit_code == 2 and "left it with a conflict" in back.stderr
    assert run(url, "panel", "add", "1", "--member", dee, "--subject-matter", who=ext).exit_code == 2  # coordinators only
    ok = run(url, "panel", "add", "1", "--member", dee, "--subject-matter", who=coord)
    assert ok.exit_code == 0 and "Dee Fourth seated as member" in ok.stdout, ok.output
    shown = json.loads(run(url, "panel", "show", "1", "--json", who=coord).stdout)
    assert [(m["email"], m["conflict"]) for m in shown["members"]][-1] == (dee, "pending")
    for who in (chair, ext, dee):
        assert run(url, "panel", "declare", "1", "--no-conflict", who=who).exit_code == 0
        assert run(url, "panel", "review", "1", "--submit", who=who).exit_code == 0
    con = json.loads(run(url, "panel", "consolidate", "1", "--json", who=coord).stdout)
    assert con["waiting_for"] == [] and con["complete"] is True
    assert run(url, "audit", "verify").exit_code == 0
