"""`qa-engine crosswalk show|lint`: mappings between criteria of different rulesets."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from qa_engine.cli.base import QAGroup, _registry, cli, rulesets_dir_option, say
from qa_engine.errors import QAError

if TYPE_CHECKING:
    from qa_engine.rules.crosswalks import Crosswalks

crosswalks_dir_option = click.option(
    "--crosswalks-dir", "crosswalks_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
    help="Extra folder of crosswalks (<id>/<version>.yaml); searched before the bundled ones.",
)


@cli.group(cls=QAGroup)
def crosswalk() -> None:
    """Show and lint crosswalks between rulesets."""


def _crosswalks(rulesets_dir: tuple[str, ...], crosswalks_dirs: tuple[str, ...]) -> Crosswalks:
    from qa_engine.rules.crosswalks import Crosswalks

    return Crosswalks(_registry(rulesets_dir), crosswalks_dirs)


@crosswalk.command("show")
@click.argument("ref", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rulesets_dir_option
@crosswalks_dir_option
def crosswalk_show(ref: str | None, fmt: str, rulesets_dir: tuple[str, ...], crosswalks_dirs: tuple[str, ...]) -> None:
    """List the crosswalks, or show the mappings of one (ID or ID@VERSION)."""
    from qa_engine.textsafe import safe_json, safe_line

    cws = _crosswalks(rulesets_dir, crosswalks_dirs)
    if ref is None:
        loaded = cws.all()
        if fmt == "json":
            click.echo(safe_json(json.dumps(
                [{"id": c.spec.id, "version": c.spec.version, "title": c.spec.title, "rulesets": c.spec.rulesets,
                  "mappings": len(c.spec.mappings), "sha256": c.sha256} for c in loaded],
                indent=2, ensure_ascii=False)))
            return
        if not loaded:
            say("No crosswalks.")
        for c in loaded:
            say(safe_line(f"{c.ref}  {c.spec.title}  ({len(c.spec.mappings)} mappings: {', '.join(c.spec.rulesets)})"))
        return
    c = cws.get(ref)
    if fmt == "json":
        click.echo(safe_json(json.dumps({"sha256": c.sha256, **c.spec.model_dump(mode="json")}, indent=2, ensure_ascii=False)))
        return
    say(safe_line(f"{c.ref}  {c.spec.title}"))
    say(f"  sha256 {c.sha256}")
    say(f"  rulesets: {', '.join(c.spec.rulesets)}")
    titles: dict[str, str] = {}
    reg = cws.registry
    for r in c.spec.rulesets:
        rs = reg.ruleset(r)
        titles.update({f"{rs.id}:{x.id}": x.spec.title for x in rs.criteria})
    for m in c.spec.mappings:
        say(safe_line(f"  {m.source} {m.kind.upper()} {m.target}"))
        say(safe_line(f"      {titles[m.source]}  /  {titles[m.target]}"))
        if m.note:
            say(safe_line(f"      {' '.join(m.note.split())}"))


@crosswalk.command("lint")
@click.argument("refs", nargs=-1)
@rulesets_dir_option
@crosswalks_dir_option
def crosswalk_lint(refs: tuple[str, ...], rulesets_dir: tuple[str, ...], crosswalks_dirs: tuple[str, ...]) -> None:
    """Check crosswalks (all, or REFS): every ruleset version resolves and every mapped
    criterion exists in it. Exit 2 on any problem."""
    cws = _crosswalks(rulesets_dir, crosswalks_dirs)
    names = list(refs) or cws.refs()
    problems = 0
    for name in names:
        try:
            cws.get(name)
        except QAError as exc:
            problems += 1
            say(f"qa-engine: error: {exc}", err=True)
    if problems:
        sys.exit(2)
    say(f"{len(names)} crosswalk(s) clean.")
