"""Shared pieces of the trust tests: a decision built from a real self-check of an
example dossier, key directories and the CLI runner."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.formats.decision import (
    Condition,
    Decision,
    PanelMember,
    Programme,
    Provider,
    VersionRef,
)
from qa_engine.services.check import check_file, report_json, resolve
from qa_engine.signing.credentials import report_sha256

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "dossiers"


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def make_decision(
    name: str = "bootcamp-web-dev", *, decision_id: int = 7, valid_from: str = "2026-01-15",
    valid_until: str = "2031-01-14", provider: tuple[str, str] = ("code-academy", "Code Academy Ltd"),
) -> Decision:
    """A decision on a real evaluation: the hashes are those of an actual check."""
    setup = resolve(ruleset="qa-starter", as_of=_dt.date(2026, 1, 1), engine="python")
    report = check_file(setup, EX / f"{name}.yaml")
    conditions = []
    if report.decision == "accredited_with_conditions":
        failed = [c.id for c in report.criteria if c.state == "not_met"][:1] or [report.criteria[0].id]
        conditions.append(Condition(id="C1", criteria=failed, text="Publish the assessment rubric for every module.", due=_dt.date(2026, 7, 1)))
    return Decision(
        id=decision_id,
        submission=3,
        provider=Provider(slug=provider[0], name=provider[1], country="IE"),
        programme=Programme(dossier_id=report.dossier.id, title=report.dossier.title or name, dossier_sha256=report.dossier.sha256, version=2),
        ruleset=VersionRef(id=report.ruleset.id, version=report.ruleset.version, sha256=report.ruleset.sha256),
        rubric=VersionRef(id=report.rubric.id, version=report.rubric.version, sha256=report.rubric.sha256),
        evaluation_id=11,
        report_sha256=report_sha256(report_json(report)),
        panel=[PanelMember(name="Dr A. Chair", role="chair"), PanelMember(name="B. Member", role="member", external=True)],
        score=report.score,
        score_exact=report.score_exact,
        outcome=report.decision if report.decision in ("accredited", "accredited_with_conditions", "not_accredited") else "not_accredited",  # type: ignore[arg-type]
        rationale="The panel agrees with the machine evaluation.",
        valid_from=_dt.date.fromisoformat(valid_from),
        valid_until=_dt.date.fromisoformat(valid_until),
        conditions=conditions,
        decided_on=_dt.date.fromisoformat(valid_from),
        decided_by="Accreditation Committee",
        audit_head="9f" * 32,
    )


def write_decision(path: Path, decision: Decision) -> Path:
    path.write_text(decision.model_dump_json(indent=2), encoding="utf-8")
    return path


def leaf_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every scalar's path in a JSON value (to tamper with each in turn)."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaf_paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaf_paths(v, (*prefix, i))]
    return [prefix]


def tampered(doc: Any, path: tuple[Any, ...]) -> Any:
    """A deep copy of ``doc`` with the scalar at ``path`` changed (type kept where it can be)."""
    out = json.loads(json.dumps(doc))
    node = out
    for step in path[:-1]:
        node = node[step]
    old = node[path[-1]]
    if isinstance(old, bool):
        new: Any = not old
    elif isinstance(old, (int, float)):
        new = old + 1
    elif old is None:
        new = "x"
    else:
        new = old + "x" if not old.endswith("x") else old[:-1] + "y"
    node[path[-1]] = new
    return out
