"""`qa-engine check`: a provider's self-check of one or more dossiers."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from typing import Any

import click

from qa_engine.cli.base import (
    DATE,
    _as_date,
    _registry,
    _write,
    _write_bytes,
    cli,
    rulesets_dir_option,
    say,
)
from qa_engine.errors import QAError


def _check_output_args(fmt: str, output: str | None, templates: str | None, *, several: bool) -> str | None:
    """Validate -o/--templates for `check` before any work; the folder for HTML files, if any."""
    if templates and fmt not in ("html", "pdf"):
        raise click.UsageError("--templates applies to --format html or pdf only.")
    if fmt == "pdf" and output is None:
        raise click.UsageError("--format pdf needs -o FILE (or -o - for standard output).")
    is_dir = output is not None and output != "-" and (os.path.isdir(output) or output.endswith(("/", os.sep)))
    if fmt in ("html", "pdf") and (is_dir or several):
        if not is_dir:
            raise click.UsageError(
                f"--format {fmt} with several dossiers writes one file each: give -o an existing folder "
                "or a path ending in / (e.g. -o out/reports/)."
            )
        return output
    if is_dir:
        raise click.UsageError(f"-o {output} is a folder; name a file (folders are for --format html and pdf only).")
    return None


def _html_output(
    reports: list[Any], output: str | None, html_dir: str | None, templates: str | None, fmt: str = "html"
) -> bytes | None:
    """Render HTML (or PDF) reports: the bytes for one file/stdout, or write
    <dossier-id>.html (.pdf) files into html_dir."""
    from pathlib import Path

    from qa_engine.fileio import atomic_write_bytes
    from qa_engine.services.reports import render_report

    tdir = Path(templates) if templates else None
    if html_dir is None:
        return b"".join(render_report(r, fmt, templates_dir=tdir) for r in reports)
    used: set[str] = set()
    for r in reports:
        name, n = r.dossier.id, 1
        while name in used:
            n += 1
            name = f"{r.dossier.id}-{n}"
        used.add(name)
        target = Path(html_dir) / f"{name}.{fmt}"
        atomic_write_bytes(target, render_report(r, fmt, templates_dir=tdir))
        say(f"qa-engine: wrote {target}", err=True)
    return None


@cli.command()
@click.argument("dossiers", nargs=-1, required=True)
@click.option(
    "-r", "--ruleset", "rulesets", multiple=True,
    help="Ruleset ID or ID@VERSION (default: qa-starter, latest in effect). Repeat it to check against several rulesets in one report with a coverage matrix (text, json or html).",
)
@click.option(
    "--crosswalk", "crosswalks", multiple=True, metavar="ID[@VERSION]",
    help="With several -r: the crosswalk(s) for the coverage matrix (default: every bundled one that maps two of the chosen ruleset versions).",
)
@click.option("--rubric", help="Rubric ID or ID@VERSION (default: the one the ruleset names).")
@click.option("--as-of", type=DATE, help="Evaluate as on this date (YYYY-MM-DD); picks the ruleset version in effect.")
@click.option("--engine", type=click.Choice(["durable", "python"]), help="Rules engine (default: durable where it runs).")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json", "html", "pdf", "junit"]), default="text", show_default=True,
    help="text summary, JSON report model, self-contained HTML audit report, the audit report as PDF (needs -o), or JUnit XML (one test case per criterion).",
)
@click.option(
    "-o", "--output", type=click.Path(allow_dash=True),
    help="Write the report here (atomically). With --format html or pdf and several dossiers: a folder (existing, or ending in /) that gets <dossier-id>.html (.pdf) each.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every criterion in the text summary.")
@click.option(
    "--from", "from_fmt", type=click.Choice(["ob3", "clr", "elm", "ctdl", "auto"]),
    help="Import each DOSSIER from a credential (Open Badges 3.0, CLR 2.0, ELM v3, CTDL, or auto) and check the result; a CLR gives one report per achievement credential.",
)
@click.option(
    "--templates", type=click.Path(exists=True, file_okay=False),
    help="Folder with your own copy of the report designs (reports/); missing files fall back to the bundled ones. Only with --format html or pdf.",
)
@click.option(
    "--receipt", type=click.Path(dir_okay=False),
    help="Also write a signed evaluation receipt (VC 2.0, eddsa-jcs-2022) of this self-check to FILE; one dossier only. Signs with --keys (or $QA_ENGINE_SIGNING_KEY).",
)
@click.option("--keys", "keys_dir", metavar="DIR", help="Key directory for --receipt (default: $QA_ENGINE_KEYS, else ./qa-engine-keys).")
@rulesets_dir_option
def check(
    dossiers: tuple[str, ...],
    rulesets: tuple[str, ...],
    crosswalks: tuple[str, ...],
    rubric: str | None,
    as_of: _dt.datetime | None,
    engine: str | None,
    fmt: str,
    output: str | None,
    verbose: bool,
    from_fmt: str | None,
    templates: str | None,
    receipt: str | None,
    keys_dir: str | None,
    rulesets_dir: tuple[str, ...],
) -> None:
    """Check DOSSIER files (YAML or JSON, `-` for stdin) against a ruleset.

    Prints the decision, score, essential failures and the fewest fixes that reach
    the next decision. Exit 0 when every dossier passes, 1 when one does not, 2 on
    an input error (the other dossiers are still checked).

    Several dossiers give a JSON list, one JUnit document with a testsuite each, or
    (--format html) one HTML file each in the folder -o names; without such a folder
    html with several dossiers is a usage error (exit 2).
    """
    from qa_engine.render.text import render_text
    from qa_engine.services.check import check_file, report_json, resolve

    if len(rulesets) > 1:
        _check_multi(dossiers, rulesets, crosswalks, rubric, as_of, engine, fmt, output, verbose, from_fmt, templates, receipt, rulesets_dir)
        return
    if crosswalks:
        raise click.UsageError("--crosswalk needs several rulesets (-r A -r B ...).")
    ruleset = rulesets[0] if rulesets else None
    html_dir = _check_output_args(fmt, output, templates, several=len(dossiers) > 1)
    if receipt and len(dossiers) > 1:
        raise click.UsageError("--receipt seals one self-check: give one dossier.")
    setup = resolve(
        ruleset=ruleset, rubric=rubric, as_of=_as_date(as_of), engine=engine,
        registry=_registry(rulesets_dir),
    )
    for warning in setup.warnings:
        say(f"qa-engine: warning: {warning}.", err=True)
    reports = []
    failed_inputs = 0
    for path in dossiers:
        try:
            if from_fmt:
                reports.extend(_check_imported(setup, path, from_fmt))
            else:
                reports.append(check_file(setup, path))
        except QAError as exc:
            if len(dossiers) == 1:
                raise
            failed_inputs += 1
            say(f"qa-engine: error: {exc}", err=True)
    if fmt in ("html", "pdf") and html_dir is None and len(reports) > 1:  # an imported CLR gives several
        raise click.UsageError(
            "the imported document gave several dossiers: give -o an existing folder or a path ending in /."
        )
    text: str | None
    if fmt == "json":
        if len(dossiers) == 1 and len(reports) == 1:
            text = report_json(reports[0])
        else:
            from qa_engine.textsafe import safe_json

            text = safe_json(json.dumps([r.model_dump(mode="json") for r in reports], indent=2, ensure_ascii=False)) + "\n"
    elif fmt == "junit":
        from qa_engine.render.junit import render_junit

        text = render_junit(reports)
    elif fmt in ("html", "pdf"):
        data = _html_output(reports, output, html_dir, templates, fmt)
        if data is not None:
            _write_bytes(output, data)
        text = None
    else:
        text = "\n".join(render_text(r, verbose=verbose) for r in reports)
    if text is not None:
        _write(output, text)
    if receipt:
        _write_receipt(receipt, reports, keys_dir)
    if failed_inputs:
        sys.exit(2)
    sys.exit(0 if all(r.passed for r in reports) else 1)


def _check_multi(
    dossiers: tuple[str, ...], rulesets: tuple[str, ...], crosswalks: tuple[str, ...], rubric: str | None,
    as_of: _dt.datetime | None, engine: str | None, fmt: str, output: str | None, verbose: bool,
    from_fmt: str | None, templates: str | None, receipt: str | None, rulesets_dir: tuple[str, ...],
) -> None:
    """`check -r A -r B ...`: one report per dossier over several rulesets."""
    from pathlib import Path

    from qa_engine.formats.loader import load_dossier
    from qa_engine.importers import import_document
    from qa_engine.render.multi import render_multi_html, render_multi_json, render_multi_text
    from qa_engine.rules.crosswalks import Crosswalks
    from qa_engine.services.check import resolve
    from qa_engine.services.multi import check_multi

    if fmt not in ("text", "json", "html"):
        raise click.UsageError(f"--format {fmt} shows one ruleset; with several -r use text, json or html.")
    if rubric:
        raise click.UsageError("--rubric picks the rubric of one ruleset; with several -r each ruleset uses its own.")
    if templates and fmt != "html":
        raise click.UsageError("--templates applies to --format html only.")
    if receipt:
        raise click.UsageError("--receipt seals the self-check of one ruleset; give one -r.")
    if len(set(rulesets)) != len(rulesets):
        raise click.UsageError("a ruleset is named twice; give each -r once.")
    registry = _registry(rulesets_dir)
    setups = [resolve(ruleset=r, as_of=_as_date(as_of), engine=engine, registry=registry) for r in rulesets]
    ids = [s.ruleset.id for s in setups]
    if len(set(ids)) != len(ids):
        raise click.UsageError("two versions of one ruleset: compare versions with `qa-engine diff` instead.")
    cws = Crosswalks(registry)
    chosen = [cws.get(c) for c in crosswalks] if crosswalks else None
    results: list[Any] = []
    failed_inputs = 0
    for path in dossiers:
        try:
            if from_fmt:
                docs = import_document(path, from_fmt, as_of=setups[0].as_of).dossiers
            else:
                docs = [load_dossier(path)]
            results.extend(check_multi(setups, d, cws, file=path, chosen=chosen) for d in docs)
        except QAError as exc:
            if len(dossiers) == 1:
                raise
            failed_inputs += 1
            say(f"qa-engine: error: {exc}", err=True)
    if fmt == "json":
        _write(output, render_multi_json(results))
    elif fmt == "html":
        if len(results) != 1:
            raise click.UsageError("--format html with several rulesets takes one dossier.")
        _write(output, render_multi_html(results[0], templates_dir=Path(templates) if templates else None))
    else:
        _write(output, "\n".join(render_multi_text(m, verbose=verbose) for m in results))
    if failed_inputs:
        sys.exit(2)
    sys.exit(0 if all(m.passed for m in results) else 1)


def _write_receipt(receipt: str, reports: list[Any], keys_dir: str | None) -> None:
    """Seal the one report as an evaluation receipt (hash of its canonical JSON)."""
    from qa_engine.fileio import atomic_write_text
    from qa_engine.services.check import report_json
    from qa_engine.services.trust import dump, seal_receipt

    if len(reports) != 1:
        raise click.UsageError("--receipt seals one self-check; the imported document gave several dossiers.")
    vc = seal_receipt(reports[0], report_json(reports[0]), keys_dir=keys_dir)
    atomic_write_text(receipt, dump(vc))
    say(f"qa-engine: wrote receipt {receipt} (report sha256 {vc['credentialSubject']['reportSha256']})", err=True)


def _check_imported(setup: Any, path: str, from_fmt: str) -> list[Any]:
    """Import one credential document and check every dossier it gives."""
    from qa_engine.importers import import_document
    from qa_engine.services.check import check_dossier

    result = import_document(path, from_fmt, as_of=setup.as_of)
    several = len(result.dossiers) > 1
    return [
        check_dossier(setup, d, file=f"{result.file}#{d.id}" if several else result.file)
        for d in result.dossiers
    ]
