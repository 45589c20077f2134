"""`qa-engine rulesets list|show|test|lint|docs`."""

from __future__ import annotations

import datetime as _dt
import json
import sys
from typing import Any

import click

from qa_engine.cli.base import (
    DATE,
    QAGroup,
    _as_date,
    _registry,
    cli,
    rulesets_dir_option,
    say,
)
from qa_engine.errors import QAError


@cli.group(cls=QAGroup)
def rulesets() -> None:
    """List, show, lint and test rulesets."""


@rulesets.command("list")
@rulesets_dir_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rulesets_list(rulesets_dir: tuple[str, ...], fmt: str) -> None:
    """Every ruleset version with its effective dates, rubric and hash."""
    reg = _registry(rulesets_dir)
    rows = []
    errors: list[QAError] = []
    loaded = reg.all_rulesets(errors)
    for err in errors:
        say(f"qa-engine: error: {err}", err=True)
    for rs in loaded:
        rows.append(
            {
                "id": rs.id, "version": rs.version, "title": rs.title,
                "effective_from": rs.effective_from.isoformat(),
                "effective_until": rs.effective_until.isoformat() if rs.effective_until else None,
                "rubric": rs.rubric_ref, "criteria": len(rs.criteria), "sha256": rs.sha256,
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        until = f" until {r['effective_until']}" if r["effective_until"] else ""
        say(
            f"{r['id']}@{r['version']}  {r['title']}  (from {r['effective_from']}{until}; "
            f"{r['criteria']} criteria; rubric {r['rubric']}; sha256 {r['sha256'][:16]})"
        )


@rulesets.command("show")
@click.argument("ref")
@rulesets_dir_option
@click.option("--as-of", type=DATE)
def rulesets_show(ref: str, rulesets_dir: tuple[str, ...], as_of: _dt.datetime | None) -> None:
    """Show one ruleset's standards and criteria."""
    reg = _registry(rulesets_dir)
    rs = reg.ruleset(ref, as_of=_as_date(as_of))
    say(f"{rs.id}@{rs.version}: {rs.title}")
    say(f"  sha256 {rs.sha256}  rubric {rs.rubric_ref}  effective from {rs.effective_from}")
    if rs.extends:
        say(f"  extends {rs.extends}")
    for s in rs.standards:
        crits = [c for c in rs.criteria if c.area == s.id]
        click.echo()
        say(f"  {s.title} [{s.id}]")
        for c in crits:
            ess = " essential" if c.essential else ""
            say(f"    {c.id}  {c.spec.title}  (weight {c.spec.weight:g}{ess})")
            if c.applies is not None:
                say(f"        applies when: {' '.join((c.spec.applies_when or '').split())}")
            for lv in c.levels:
                say(f"        {lv.level}: {' '.join(lv.text.split())}")


@rulesets.command("test")
@click.argument("refs", nargs=-1)
@rulesets_dir_option
def rulesets_test(refs: tuple[str, ...], rulesets_dir: tuple[str, ...]) -> None:
    """Run every criterion's pass/fail examples (all rulesets, or REFS). Exit 1 on a failure."""
    from qa_engine.services.examples import run_examples

    reg = _registry(rulesets_dir)
    errors: list[QAError] = []
    targets = _load_targets(reg, refs, errors)
    bad = len(errors)
    total = len(errors)
    for err in errors:
        say(f"FAIL {err}")
    for rs in targets:
        for res in run_examples(rs):
            total += 1
            if res.ok:
                continue
            bad += 1
            got = ", ".join(f"{e}: {s}" for e, s in res.got.items())
            why = res.error or f"expected {res.expected}, got {got}"
            say(f"FAIL {res.ruleset} {res.criterion} example '{res.example}': {why}")
    say(f"{total - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


@rulesets.command("lint")
@click.argument("refs", nargs=-1)
@rulesets_dir_option
def rulesets_lint(refs: tuple[str, ...], rulesets_dir: tuple[str, ...]) -> None:
    """Load and check rulesets and their rubrics; exit 2 on any problem."""
    from qa_engine.engine import durable_available, get_engine
    from qa_engine.services.examples import missing_examples

    reg = _registry(rulesets_dir)
    errors: list[QAError] = []
    targets = _load_targets(reg, refs, errors)
    problems = len(errors)
    for err in errors:
        say(str(err))
    for rs in targets:
        try:
            reg.rubric_for(rs)
            if durable_available():  # compiling catches what durable-rules cannot run
                get_engine(rs, "durable")
        except QAError as exc:
            problems += 1
            say(str(exc))
        for cid in missing_examples(rs):
            problems += 1
            say(f"{rs.by_id[cid].file}: criterion {cid} needs at least one passing and one failing example.")
    if problems:
        sys.exit(2)
    say(f"{len(targets)} ruleset version(s) clean.")


def _load_targets(reg: Any, refs: tuple[str, ...], errors: list[QAError]) -> list[Any]:
    """The named rulesets, or all of them; broken ones go to ``errors``, the rest load."""
    if not refs:
        return list(reg.all_rulesets(errors))
    out = []
    for r in refs:
        try:
            out.append(reg.ruleset(r))
        except QAError as exc:
            errors.append(exc)
    return out


@rulesets.command("docs")
@click.option("-o", "--output", type=click.Path(file_okay=False), default="docs/rules", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Do not write; exit 1 when the folder is stale.")
def rulesets_docs(output: str, check_only: bool) -> None:
    """Generate the Markdown rule reference of the bundled rulesets."""
    from pathlib import Path

    from qa_engine.render.ruledocs import generate, write
    from qa_engine.rules.registry import Registry

    reg = Registry()
    if check_only:
        files = generate(reg)
        folder = Path(output)
        stale = sorted(
            n for n, text in files.items()
            if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != text
        )
        extra = sorted(p.name for p in folder.glob("*.md") if p.name not in files) if folder.is_dir() else []
        if stale or extra:
            say(f"rule reference in {output} is stale: {', '.join(stale + extra)}; run `qa-engine rulesets docs`.")
            sys.exit(1)
        say(f"rule reference in {output} is current.")
        return
    paths = write(reg, output)
    say(f"wrote {len(paths)} files to {output}")
