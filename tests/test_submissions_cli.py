"""`qa-engine submissions …`: the provider's and coordinator's steps from the command line,
checked per account as the pages check them; and `examples/accreditation-cycle.sh`, the
scripted accreditation `make demo` runs, end to end over a real store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from store_helpers import EXAMPLES
from test_workflow_cli import run

from qa_engine.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PROV, OTHER = "provider@demo-campus.example", "provider@north-academy.example"
COORD, AUDITOR = "coordinator@demo-agency.example", "auditor@demo-agency.example"


def seeded(url: str) -> str:
    r = CliRunner().invoke(cli, ["users", "seed-demo", "--db", url])
    assert r.exit_code == 0, r.output
    return url


def test_add_submit_screen_and_who_sees_what(store_url: str) -> None:
    url = seeded(store_url)
    r = run(url, "submissions", "add", str(EXAMPLES / "bootcamp-web-dev.yaml"), "--as-of", "2026-01-01",
            "--json", who=PROV)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    cid = str(doc["id"])
    assert doc["state"] == "draft" and doc["version"] == 1
    assert doc["evaluation"]["decision"] == "accredited_with_conditions" and doc["evaluation"]["ruleset"] == "qa-starter@1.0.0"

    # another organisation's provider: not found, by every command, as if it did not exist
    for args in (("show", cid), ("submit", cid), ("withdraw", cid)):
        other = run(url, "submissions", *args, who=OTHER)
        assert other.exit_code == 2 and f"there is no submission {cid}" in other.stderr, (args, other.output)
        assert "Traceback" not in other.output
    listed = json.loads(run(url, "submissions", "list", "--json", who=OTHER).stdout)
    assert listed["submissions"] == []

    # a coordinator may not screen a draft; a provider may not screen at all
    early = run(url, "submissions", "screen", cid, "accept", who=COORD)
    assert early.exit_code == 2 and "Traceback" not in early.output
    assert run(url, "submissions", "screen", cid, "accept", who=PROV).exit_code == 2

    ok = run(url, "submissions", "submit", cid, who=PROV)
    assert ok.exit_code == 0 and f"submission {cid}: now submitted" in ok.stdout
    again = run(url, "submissions", "submit", cid, who=PROV)
    assert again.exit_code == 2  # submitted already: one clear error, no second submit
    no_reason = run(url, "submissions", "screen", cid, "return", who=COORD)
    assert no_reason.exit_code == 2 and "reason" in no_reason.stderr
    assert run(url, "submissions", "screen", cid, "accept", who=AUDITOR).exit_code == 2  # reads, changes nothing
    accepted = run(url, "submissions", "screen", cid, "accept", who=COORD)
    assert accepted.exit_code == 0 and "now in review" in accepted.stdout

    shown = run(url, "submissions", "show", cid, who=AUDITOR)
    assert shown.exit_code == 0
    assert "submit  draft -> submitted by provider@demo-campus.example" in shown.stdout
    assert "accept  submitted -> in review by coordinator@demo-agency.example" in shown.stdout
    js = json.loads(run(url, "submissions", "show", cid, "--json", who=COORD).stdout)
    assert [e["action"] for e in js["events"]] == ["create", "submit", "accept"]
    assert js["actions"] == ["decide"]
    queue = json.loads(run(url, "submissions", "list", "--state", "in_review", "--json", who=COORD).stdout)
    assert [s["id"] for s in queue["submissions"]] == [int(cid)]
    assert run(url, "audit", "verify").exit_code == 0


def test_versions_and_bad_files(sqlite_url: str, tmp_path: Path) -> None:
    url = seeded(sqlite_url)
    cid = str(json.loads(run(url, "submissions", "add", str(EXAMPLES / "mooc-intro-ai.yaml"), "--json",
                             who=PROV).stdout)["id"])
    bad = tmp_path / "broken.yaml"
    bad.write_text("schema_version: '1.0'\nid: x\ntitle: [unclosed\n", encoding="utf-8")
    r = run(url, "submissions", "version", cid, str(bad), who=PROV)
    assert r.exit_code == 2 and "broken.yaml:4:1: invalid YAML" in r.stderr, r.output
    assert "Traceback" not in r.output
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("schema_version: '1.0'\nid: x\ntitle: T\noutcomes: 3\n", encoding="utf-8")
    r = run(url, "submissions", "add", str(invalid), who=PROV)
    assert r.exit_code == 2 and "outcomes" in r.stderr and "Traceback" not in r.output
    missing = run(url, "submissions", "add", str(tmp_path / "nope.yaml"), who=PROV)
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    v2 = run(url, "submissions", "version", cid, str(EXAMPLES / "mooc-intro-ai.yaml"), "--note", "second", who=PROV)
    assert v2.exit_code == 0 and "version 2" in v2.stdout, v2.output
    assert run(url, "submissions", "version", cid, str(EXAMPLES / "mooc-intro-ai.yaml"), who=OTHER).exit_code == 2
    assert run(url, "submissions", "add", str(EXAMPLES / "mooc-intro-ai.yaml"), who=COORD).exit_code == 2
    assert run(url, "submissions", "list", who="nobody@nowhere.example").exit_code == 2
    CliRunner().invoke(cli, ["users", "disable", PROV, "--db", url])
    off = run(url, "submissions", "list", who=PROV)
    assert off.exit_code == 2 and "disabled" in off.stderr


def test_control_characters_in_a_title_are_shown_escaped(sqlite_url: str, tmp_path: Path) -> None:
    url = seeded(sqlite_url)
    text = (EXAMPLES / "mooc-intro-ai.yaml").read_text(encoding="utf-8")
    lines = [('title: "Intro\\e[2J\\u202e AI"' if ln.startswith("title:") else ln) for ln in text.splitlines()]
    f = tmp_path / "ctl.yaml"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run(url, "submissions", "add", str(f), who=PROV)
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout


def test_the_demo_amendment_changes_only_what_answers_the_condition() -> None:
    """examples/amendments/: bootcamp-web-dev with LO4 assessed by A2, nothing else."""
    from workspace_helpers import AMENDED

    from qa_engine.formats.loader import load_dossier

    before, after = load_dossier(EXAMPLES / "bootcamp-web-dev.yaml"), load_dossier(AMENDED)
    assert [o.id for o in before.outcomes if not o.assessed_by] == ["LO4"]
    fixed = before.model_copy(update={"outcomes": [
        o if o.assessed_by else o.model_copy(update={"assessed_by": ["A2"]}) for o in before.outcomes]})
    assert after == fixed


def test_the_demo_cycle_script(tmp_path: Path) -> None:
    """`make demo`'s step 6 as a person would run it: a whole accreditation by the demo
    accounts, from submission to a published decision that verifies offline."""
    db = tmp_path / "demo.sqlite"
    qa = [sys.executable, "-m", "qa_engine"]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("QA_ENGINE_DB", None)
    subprocess.run([*qa, "users", "seed-demo", "--db", str(db)], check=True, capture_output=True, env=env)
    keys = tmp_path / "keys"
    subprocess.run([*qa, "keys", "create", "--keys", str(keys), "--base-url", "http://127.0.0.1:8000",
                    "--name", "Demo Quality Agency"], check=True, capture_output=True, env=env)
    shim = tmp_path / "bin" / "qa-engine"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m qa_engine "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    assert shutil.which("bash")
    p = subprocess.run(["bash", str(ROOT / "examples" / "accreditation-cycle.sh"), str(db), str(keys),
                        str(tmp_path / "status"), str(tmp_path), str(shim)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert "C1 (ST-AS-01) due" in p.stderr  # the decision (tee'd to stderr as the ids are read)
    # due lists the open condition before it is met and not after
    before, after = out.split("exactly ST-AS-01 is re-checked", 1)
    assert "condition C1 (open): Assess every learning outcome, LO4 included." in before
    assert "C1: met - Met: ST-AS-01 is met on the amended dossier." in after
    assert "C1 met; outcome accredited" in after and "nothing due within 13m" in after
    assert "VERIFIED:" in out and "audit log OK" in out
    assert (tmp_path / "decision-letter.pdf").read_bytes().startswith(b"%PDF-")
    vc = json.loads((tmp_path / "published.vc.json").read_text(encoding="utf-8"))
    assert "accredited" in json.dumps(vc["credentialSubject"])
    env_line = (tmp_path / "cycle.env").read_text(encoding="utf-8")
    assert env_line.startswith("SUBMISSION=1 DECISION=1")
