"""`qa-engine diff`: what changed between two ruleset versions and whom it affects."""

from __future__ import annotations

import datetime as _dt

import click

from qa_engine.cli.base import (
    DATE,
    _as_date,
    _registry,
    _write,
    cli,
    rulesets_dir_option,
    say,
)


@cli.command("diff")
@click.argument("ruleset_a")
@click.argument("ruleset_b")
@click.option("--rubric-a", help="Rubric for RULESET_A (default: the one it names).")
@click.option("--rubric-b", help="Rubric for RULESET_B (default: the one it names).")
@click.option("--corpus", multiple=True, type=click.Path(exists=True), help="Folder or file of dossiers to re-evaluate under both versions (repeatable).")
@click.option("--as-of", type=DATE, help="Evaluate the corpus as on this date (default: today).")
@click.option("--engine", type=click.Choice(["durable", "python"]))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True))
@rulesets_dir_option
def diff_cmd(
    ruleset_a: str, ruleset_b: str, rubric_a: str | None, rubric_b: str | None,
    corpus: tuple[str, ...], as_of: _dt.datetime | None, engine: str | None, fmt: str,
    output: str | None, rulesets_dir: tuple[str, ...],
) -> None:
    """What changed from RULESET_A to RULESET_B (ID@VERSION each), and whom it affects.

    Lists criteria added, removed, renamed (via `replaces`) and changed (conditions
    compared on their syntax tree, levels, weight, essential flag, applicability,
    texts) and rubric changes. With --corpus, re-evaluates the dossiers under both
    versions: decision and score before and after, and the criteria that moved each
    score. Exit 0 when the diff ran, whatever it found.
    """
    from qa_engine.render.diff_text import diff_json, render_diff_text
    from qa_engine.services.check import resolve
    from qa_engine.services.diff import diff

    reg = _registry(rulesets_dir)
    day = _as_date(as_of)
    a = resolve(ruleset=ruleset_a, rubric=rubric_a, as_of=day, engine=engine, registry=reg)
    b = resolve(ruleset=ruleset_b, rubric=rubric_b, as_of=day, engine=engine, registry=reg)
    if a.ruleset.sha256 == b.ruleset.sha256 and a.rubric.sha256 == b.rubric.sha256:
        from qa_engine.errors import UsageError

        meaning = f"the version in effect on {day.isoformat()}" if day else "its latest version"
        bare = [r for r in (ruleset_a, ruleset_b) if "@" not in r]
        why = f" ({' and '.join(bare)} without @VERSION means {meaning})" if bare else ""
        others = [v for v in reg.ruleset_versions(a.ruleset.id) if v != a.ruleset.version]
        example = f"{a.ruleset.id}@{others[-1]} {a.ruleset.ref}" if others else "ID@A ID@B"
        raise UsageError(
            f"both sides are {a.ruleset.ref} with rubric {a.rubric.ref}{why}: there is nothing to compare",
            hint=f"name two different versions, e.g. {example}",
        )
    for side, s in (("RULESET_A", a), ("RULESET_B", b)):
        for warning in s.warnings:
            say(f"qa-engine: warning: {side}: {warning}.", err=True)
    result = diff(a, b, corpus=list(corpus) if corpus else None)
    if fmt == "json":
        text = diff_json(result)
    elif fmt == "html":
        from qa_engine.render.diff_html import render_diff_html

        text = render_diff_html(result)
    else:
        text = render_diff_text(result)
    _write(output, text)
