"""The command line: a thin layer over the library.

Each command calls one library function and turns :class:`QAError` into one line on
stderr and exit code 2. Exit codes: 0 = ran and passes, 1 = ran and does not pass,
2 = usage, input or configuration error. Imports are lazy so ``--help`` is instant.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import sys
from typing import Any

import click

from . import __version__
from .errors import QAError

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.obj or {}).get("debug")) or os.environ.get("QA_ENGINE_DEBUG") == "1"


class QAGroup(click.Group):
    """Turns our exceptions into one clear line and exit code 2 (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QAError as exc:
            if _debug(ctx):
                raise
            click.echo(f"qa-engine: error: {exc}", err=True)
            ctx.exit(2)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("qa-engine: interrupted.", err=True)
            ctx.exit(130)
        except OSError as exc:  # the machine, not the input: a full disk, permissions
            if _debug(ctx):
                raise
            if exc.errno in _ENV_ERRNOS:
                click.echo(f"qa-engine: error: {_os_error(exc)}", err=True)
            else:
                _internal(exc)
            ctx.exit(2)
        except Exception as exc:  # a bug: say so in one line, full trace with --debug
            if _debug(ctx):
                raise
            _internal(exc)
            ctx.exit(2)


def _internal(exc: BaseException) -> None:
    click.echo(
        f"qa-engine: internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it.",
        err=True,
    )


#: OSErrors that are the machine's state, not a bug: reported as one line, exit 2.
_ENV_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EIO")
    if hasattr(errno, name)
)


def _os_error(exc: OSError) -> QAError:
    """A full disk, a read-only file system or missing permissions, as one sentence."""
    where = exc.filename or "a file qa-engine writes"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return QAError(
            f"{where} cannot be written: no space left on its disk",
            hint="free disk space (or choose another output folder), then run the same command "
            "again: a batch resumes where it stopped",
        )
    return QAError(
        f"{where} cannot be written: {exc.strerror or exc}",
        hint="check the permissions and free space of its folder (or choose another one), "
        "then run the same command again",
    )


@click.group(cls=QAGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa-engine")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Accreditation and quality-assurance rules engine for micro-credentials.

    Providers self-check a programme dossier (`check`), accrediting bodies review
    many at once, auditors compare ruleset versions. Exit codes: 0 passes,
    1 does not pass, 2 usage or input error.
    """
    ctx.obj = {"debug": debug}


def _as_date(value: _dt.datetime | None) -> _dt.date | None:
    return value.date() if value is not None else None


def _registry(rulesets_dir: tuple[str, ...]) -> Any:
    from .registry import Registry

    return Registry(ruleset_dirs=list(rulesets_dir))


def _write(output: str | None, text: str) -> None:
    if output and output != "-":
        from .fileio import atomic_write_text

        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)


def _check_output_args(fmt: str, output: str | None, templates: str | None, *, several: bool) -> str | None:
    """Validate -o/--templates for `check` before any work; the folder for HTML files, if any."""
    if templates and fmt != "html":
        raise click.UsageError("--templates applies to --format html only.")
    is_dir = output is not None and output != "-" and (os.path.isdir(output) or output.endswith(("/", os.sep)))
    if fmt == "html" and (is_dir or several):
        if not is_dir:
            raise click.UsageError(
                "--format html with several dossiers writes one file each: give -o an existing folder "
                "or a path ending in / (e.g. -o out/reports/)."
            )
        return output
    if is_dir:
        raise click.UsageError(f"-o {output} is a folder; name a file (folders are for --format html only).")
    return None


def _html_output(reports: list[Any], output: str | None, html_dir: str | None, templates: str | None) -> str | None:
    """Render HTML reports: the text for one file/stdout, or write <dossier-id>.html files into html_dir."""
    from pathlib import Path

    from .fileio import atomic_write_text
    from .render_html import render_html

    tdir = Path(templates) if templates else None
    if html_dir is None:
        return "".join(render_html(r, templates_dir=tdir) for r in reports)
    used: set[str] = set()
    for r in reports:
        name, n = r.dossier.id, 1
        while name in used:
            n += 1
            name = f"{r.dossier.id}-{n}"
        used.add(name)
        target = Path(html_dir) / f"{name}.html"
        atomic_write_text(target, render_html(r, templates_dir=tdir))
        click.echo(f"qa-engine: wrote {target}", err=True)
    return None


rulesets_dir_option = click.option(
    "--rulesets-dir",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of rulesets (<id>/<version>/...); searched before the bundled ones.",
)


@cli.command()
@click.argument("dossiers", nargs=-1, required=True)
@click.option("-r", "--ruleset", help="Ruleset ID or ID@VERSION (default: qa-starter, latest in effect).")
@click.option("--rubric", help="Rubric ID or ID@VERSION (default: the one the ruleset names).")
@click.option("--as-of", type=DATE, help="Evaluate as on this date (YYYY-MM-DD); picks the ruleset version in effect.")
@click.option("--engine", type=click.Choice(["durable", "python"]), help="Rules engine (default: durable where it runs).")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json", "html", "junit"]), default="text", show_default=True,
    help="text summary, JSON report model, self-contained HTML audit report, or JUnit XML (one test case per criterion).",
)
@click.option(
    "-o", "--output", type=click.Path(allow_dash=True),
    help="Write the report here (atomically). With --format html and several dossiers: a folder (existing, or ending in /) that gets <dossier-id>.html each.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every criterion in the text summary.")
@click.option(
    "--from", "from_fmt", type=click.Choice(["ob3", "clr", "elm", "ctdl", "auto"]),
    help="Import each DOSSIER from a credential (Open Badges 3.0, CLR 2.0, ELM v3, CTDL, or auto) and check the result; a CLR gives one report per achievement credential.",
)
@click.option(
    "--templates", type=click.Path(exists=True, file_okay=False),
    help="Folder with your own copy of the report designs (reports/); missing files fall back to the bundled ones. Only with --format html.",
)
@rulesets_dir_option
def check(
    dossiers: tuple[str, ...],
    ruleset: str | None,
    rubric: str | None,
    as_of: _dt.datetime | None,
    engine: str | None,
    fmt: str,
    output: str | None,
    verbose: bool,
    from_fmt: str | None,
    templates: str | None,
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
    from .check import check_file, report_json, resolve
    from .render_text import render_text

    html_dir = _check_output_args(fmt, output, templates, several=len(dossiers) > 1)
    setup = resolve(
        ruleset=ruleset, rubric=rubric, as_of=_as_date(as_of), engine=engine,
        registry=_registry(rulesets_dir),
    )
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
            click.echo(f"qa-engine: error: {exc}", err=True)
    if fmt == "html" and html_dir is None and len(reports) > 1:  # an imported CLR gives several
        raise click.UsageError(
            "the imported document gave several dossiers: give -o an existing folder or a path ending in /."
        )
    text: str | None
    if fmt == "json":
        if len(dossiers) == 1 and len(reports) == 1:
            text = report_json(reports[0])
        else:
            text = json.dumps([r.model_dump(mode="json") for r in reports], indent=2, ensure_ascii=False) + "\n"
    elif fmt == "junit":
        from .render_junit import render_junit

        text = render_junit(reports)
    elif fmt == "html":
        text = _html_output(reports, output, html_dir, templates)
    else:
        text = "\n".join(render_text(r, verbose=verbose) for r in reports)
    if text is not None:
        _write(output, text)
    if failed_inputs:
        sys.exit(2)
    sys.exit(0 if all(r.passed for r in reports) else 1)


@cli.command()
@click.argument("kind", type=click.Choice(["dossier", "ruleset", "rubric", "report"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True))
def schema(kind: str, output: str | None) -> None:
    """Print the JSON Schema of a dossier, ruleset, criterion file, rubric or report."""
    if kind == "dossier":
        from .dossier import dossier_json_schema

        doc = dossier_json_schema()
    elif kind == "ruleset":
        from .ruleset import Criterion, RulesetFile

        doc = RulesetFile.model_json_schema()
        doc["$id"] = "https://qa-engine.invalid/schema/ruleset-1.json"
        doc.setdefault("$defs", {})["CriterionFile"] = Criterion.model_json_schema()
    elif kind == "rubric":
        from .rubric import Rubric

        doc = Rubric.model_json_schema()
        doc["$id"] = "https://qa-engine.invalid/schema/rubric-1.json"
    else:
        from .report import report_json_schema

        doc = report_json_schema()
    _write(output, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


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
        click.echo(f"qa-engine: error: {err}", err=True)
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
        click.echo(
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
    click.echo(f"{rs.id}@{rs.version}: {rs.title}")
    click.echo(f"  sha256 {rs.sha256}  rubric {rs.rubric_ref}  effective from {rs.effective_from}")
    if rs.extends:
        click.echo(f"  extends {rs.extends}")
    for s in rs.standards:
        crits = [c for c in rs.criteria if c.area == s.id]
        click.echo(f"\n  {s.title} [{s.id}]")
        for c in crits:
            ess = " essential" if c.essential else ""
            click.echo(f"    {c.id}  {c.spec.title}  (weight {c.spec.weight:g}{ess})")
            if c.applies is not None:
                click.echo(f"        applies when: {' '.join((c.spec.applies_when or '').split())}")
            for lv in c.levels:
                click.echo(f"        {lv.level}: {' '.join(lv.text.split())}")


@rulesets.command("test")
@click.argument("refs", nargs=-1)
@rulesets_dir_option
def rulesets_test(refs: tuple[str, ...], rulesets_dir: tuple[str, ...]) -> None:
    """Run every criterion's pass/fail examples (all rulesets, or REFS). Exit 1 on a failure."""
    from .examples_runner import run_examples

    reg = _registry(rulesets_dir)
    errors: list[QAError] = []
    targets = _load_targets(reg, refs, errors)
    bad = len(errors)
    total = len(errors)
    for err in errors:
        click.echo(f"FAIL {err}")
    for rs in targets:
        for res in run_examples(rs):
            total += 1
            if res.ok:
                continue
            bad += 1
            got = ", ".join(f"{e}: {s}" for e, s in res.got.items())
            why = res.error or f"expected {res.expected}, got {got}"
            click.echo(f"FAIL {res.ruleset} {res.criterion} example '{res.example}': {why}")
    click.echo(f"{total - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


@rulesets.command("lint")
@click.argument("refs", nargs=-1)
@rulesets_dir_option
def rulesets_lint(refs: tuple[str, ...], rulesets_dir: tuple[str, ...]) -> None:
    """Load and check rulesets and their rubrics; exit 2 on any problem."""
    from .engine import durable_available, get_engine
    from .examples_runner import missing_examples

    reg = _registry(rulesets_dir)
    errors: list[QAError] = []
    targets = _load_targets(reg, refs, errors)
    problems = len(errors)
    for err in errors:
        click.echo(str(err))
    for rs in targets:
        try:
            reg.rubric_for(rs)
            if durable_available():  # compiling catches what durable-rules cannot run
                get_engine(rs, "durable")
        except QAError as exc:
            problems += 1
            click.echo(str(exc))
        for cid in missing_examples(rs):
            problems += 1
            click.echo(f"{rs.by_id[cid].file}: criterion {cid} needs at least one passing and one failing example.")
    if problems:
        sys.exit(2)
    click.echo(f"{len(targets)} ruleset version(s) clean.")


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

    from .registry import Registry
    from .ruledocs import generate, write

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
            click.echo(f"rule reference in {output} is stale: {', '.join(stale + extra)}; run `qa-engine rulesets docs`.")
            sys.exit(1)
        click.echo(f"rule reference in {output} is current.")
        return
    paths = write(reg, output)
    click.echo(f"wrote {len(paths)} files to {output}")


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
    from .check import resolve
    from .diff import diff, diff_json, render_diff_text

    reg = _registry(rulesets_dir)
    day = _as_date(as_of)
    a = resolve(ruleset=ruleset_a, rubric=rubric_a, as_of=day, engine=engine, registry=reg)
    b = resolve(ruleset=ruleset_b, rubric=rubric_b, as_of=day, engine=engine, registry=reg)
    result = diff(a, b, corpus=list(corpus) if corpus else None)
    if fmt == "json":
        text = diff_json(result)
    elif fmt == "html":
        from .render_diff_html import render_diff_html

        text = render_diff_html(result)
    else:
        text = render_diff_text(result)
    _write(output, text)


# --------------------------------------------------------------------------- store: reviews, history, audit

store_db_option = click.option(
    "--db",
    metavar="PATH|URL",
    help="The store: a SQLite file or postgresql+psycopg://... (default: $QA_ENGINE_DB, else ./qa-engine.sqlite).",
)


def _open_existing_store(db: str | None) -> Any:
    from .store import open_store

    return open_store(db, create=False)


@cli.group(cls=QAGroup)
def review() -> None:
    """Reviewer overrides and waivers of stored evaluations, and the reviewed report.

    An action is bound to the criterion's content hash: it carries over to later
    evaluations of the same dossier while the criterion is unchanged, and lapses when
    the criterion changes or on its --expires date.
    """


@review.command("override")
@click.argument("evaluation_id", type=int)
@click.argument("criterion_id")
@click.option("--state", required=True, type=click.Choice(["exemplary", "met", "partially_met", "not_met", "not_applicable"]), help="The state the criterion gets.")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@click.option("--reviewer", required=True, help="Who decides.")
@click.option("--expires", type=DATE, help="The action lapses on this date (YYYY-MM-DD).")
@store_db_option
def review_override(
    evaluation_id: int, criterion_id: str, state: str, reason: str, reviewer: str,
    expires: _dt.datetime | None, db: str | None,
) -> None:
    """Override CRITERION_ID of evaluation EVALUATION_ID to --state."""
    with _open_existing_store(db) as store:
        aid = store.override(
            evaluation_id, criterion_id, state=state, reason=reason, reviewer=reviewer, expires=_as_date(expires)
        )
    until = f", expires {_as_date(expires)}" if expires else ""
    click.echo(
        f"override {aid} recorded: evaluation {evaluation_id} {criterion_id} -> {state} by {reviewer}{until}; "
        f"see `qa-engine review show {evaluation_id}`."
    )


@review.command("waive")
@click.argument("evaluation_id", type=int)
@click.argument("criterion_id")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@click.option("--reviewer", required=True, help="Who decides.")
@click.option("--expires", type=DATE, help="The waiver lapses on this date (YYYY-MM-DD).")
@store_db_option
def review_waive(
    evaluation_id: int, criterion_id: str, reason: str, reviewer: str,
    expires: _dt.datetime | None, db: str | None,
) -> None:
    """Waive CRITERION_ID of evaluation EVALUATION_ID (excluded from the score; its essential gate holds)."""
    with _open_existing_store(db) as store:
        aid = store.waive(evaluation_id, criterion_id, reason=reason, reviewer=reviewer, expires=_as_date(expires))
    until = f", expires {_as_date(expires)}" if expires else ""
    click.echo(
        f"waiver {aid} recorded: evaluation {evaluation_id} {criterion_id} waived by {reviewer}{until}; "
        f"see `qa-engine review show {evaluation_id}`."
    )


@review.command("show")
@click.argument("evaluation_id", type=int)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write the report here (atomically).")
@click.option("--as-of", type=DATE, help="Apply the actions in force on this date (default: today).")
@click.option("-v", "--verbose", is_flag=True, help="List every criterion in the text summary.")
@store_db_option
def review_show(
    evaluation_id: int, fmt: str, output: str | None, as_of: _dt.datetime | None, verbose: bool, db: str | None
) -> None:
    """Print the effective report of EVALUATION_ID: the stored report with the active
    overrides and waivers applied and re-scored. Exit 0 when it passes, 1 when not."""
    from .review import effective_report

    with _open_existing_store(db) as store:
        report = effective_report(store, evaluation_id, as_of=_as_date(as_of) or _dt.date.today())
    if fmt == "json":
        from .check import report_json

        text = report_json(report)
    elif fmt == "html":
        from .render_html import render_html

        text = render_html(report)
    else:
        from .render_text import render_text

        text = render_text(report, verbose=verbose)
    _write(output, text)
    sys.exit(0 if report.passed else 1)


@cli.command("history")
@click.argument("dossier_id")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_db_option
def history_cmd(dossier_id: str, fmt: str, db: str | None) -> None:
    """Every evaluation, rejection and reviewer action of DOSSIER_ID, oldest first."""
    with _open_existing_store(db) as store:
        entries = store.history(dossier_id)
        where = store.display
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo(f"no evaluations, rejections or reviewer actions of dossier {dossier_id} in {where}.")
        return
    click.echo(f"dossier {dossier_id} in {where}: {len(entries)} entries")
    for e in entries:
        at = e.at.strftime("%Y-%m-%d %H:%M:%SZ")
        click.echo(f"  {at}  {(e.kind + ' ' + str(e.id)).ljust(16)} {e.summary}")


@cli.group(cls=QAGroup)
def audit() -> None:
    """The store's hash-chained audit log."""


@audit.command("verify")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_db_option
def audit_verify(fmt: str, db: str | None) -> None:
    """Check every link of the audit chain. Exit 0 when intact, 1 at the first broken entry."""
    with _open_existing_store(db) as store:
        result = store.verify_audit()
        where = store.display
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    elif result.ok:
        click.echo(f"audit log OK: {result.entries} entries in {where}; head {result.head_hash}")
    else:
        entry, reason = result.first_broken or (0, "unknown")
        click.echo(f"audit log BROKEN at entry {entry} of {where}: {reason} ({result.entries} entries verified before it)")
    sys.exit(0 if result.ok else 1)


@cli.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("-r", "--ruleset", help="Ruleset ID or ID@VERSION (default: qa-starter, latest in effect; a resumed batch keeps its own).")
@click.option("--rubric", help="Rubric ID or ID@VERSION (default: the one the ruleset names).")
@click.option("--as-of", type=DATE, help="Evaluate as on this date (default: today; a resumed batch keeps its own).")
@click.option("--engine", type=click.Choice(["durable", "python"]), help="Rules engine (default: durable where it runs).")
@click.option("--db", help="Store: a SQLite file or postgresql+psycopg://... URL (default: $QA_ENGINE_DB, else qa-engine.sqlite).")
@click.option("-o", "--out", "out", type=click.Path(file_okay=False), default="out", show_default=True, help="Output folder: reports/, index.html, summary.csv.")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Worker processes (default: all cores; with Dask: tasks in flight).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Run on local processes or on a Dask cluster.")
@click.option("--scheduler", metavar="ADDR", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), help="Folder with your own report templates (files missing there come from the bundled design).")
@rulesets_dir_option
def batch_cmd(
    paths: tuple[str, ...],
    ruleset: str | None,
    rubric: str | None,
    as_of: _dt.datetime | None,
    engine: str | None,
    db: str | None,
    out: str,
    workers: int | None,
    executor: str,
    scheduler: str | None,
    templates: str | None,
    rulesets_dir: tuple[str, ...],
) -> None:
    """Evaluate many dossiers in parallel into an output folder, with the store as record.

    PATHS are dossier files, folders (searched recursively for *.yaml, *.yml, *.json),
    globs and .zip archives. Each evaluation's JSON and HTML report goes to
    OUT/reports/, the dashboard to OUT/index.html and OUT/summary.csv; evaluations and
    rejected files are recorded in the store. Stop it at any time and run the same
    command again: it resumes, and a dossier already evaluated with the same ruleset
    and rubric (by content hash) is not evaluated again. Exit 0 when every dossier
    was evaluated, 1 when a file was rejected, 2 on a usage or configuration error.
    """
    from .batch import run_batch
    from .batch.progress import progress_for

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask.")
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler tcp://HOST:PORT.")
    result = run_batch(
        list(paths), out=out, ruleset=ruleset, rubric=rubric, as_of=_as_date(as_of), engine=engine,
        rulesets_dirs=list(rulesets_dir), db=db, workers=workers, executor=executor,
        scheduler=scheduler, templates_dir=templates, progress=progress_for(sys.stderr),
    )
    click.echo(
        f"{result.total} dossier file(s): {result.evaluated} evaluated, {result.skipped} already "
        f"evaluated (skipped), {result.rejected} rejected, in {result.elapsed:.1f}s "
        f"({result.rate:.1f}/s)."
    )
    click.echo(f"Dashboard: {result.dashboard}")
    sys.exit(result.exit_code)


def _check_imported(setup: Any, path: str, from_fmt: str) -> list[Any]:
    """Import one credential document and check every dossier it gives."""
    from .check import check_dossier
    from .importers import import_document

    result = import_document(path, from_fmt, as_of=setup.as_of)
    several = len(result.dossiers) > 1
    return [
        check_dossier(setup, d, file=f"{result.file}#{d.id}" if several else result.file)
        for d in result.dossiers
    ]


@cli.command("import")
@click.argument("source_format", metavar="FORMAT", type=click.Choice(["ob3", "clr", "elm", "ctdl", "auto"]))
@click.argument("file")
@click.option(
    "-o", "--output", type=click.Path(allow_dash=True),
    help="Write the dossier here (atomically). When the document gives several dossiers (a CLR): a folder that gets <dossier-id>.yaml each.",
)
@click.option("--as-of", type=DATE, help="Judge the credential's expiry as on this date (YYYY-MM-DD; default today).")
def import_(source_format: str, file: str, output: str | None, as_of: _dt.datetime | None) -> None:
    """Import a credential FILE (`-` for stdin) as a dossier in YAML.

    FORMAT is ob3 (Open Badges 3.0), clr (CLR 2.0), elm (ELM v3 / European Digital
    Credential, also sealed), ctdl (Credential Engine CTDL) or auto. Every value keeps
    its provenance (source.provenance) and everything not mapped is listed in
    source.notes. Several dossiers (a CLR) go to one file each in the folder -o names,
    or to stdout as a YAML stream (documents separated by ---). A document of the wrong
    or an unsupported type exits 2 and says what was expected.
    """
    from pathlib import Path

    from .errors import UsageError
    from .fileio import atomic_write_text
    from .importers import import_document, output_name
    from .loader import dump_dossier_yaml

    result = import_document(file, source_format, as_of=_as_date(as_of))
    texts = [(d, dump_dossier_yaml(d)) for d in result.dossiers]
    written: list[str] = []
    target = Path(output) if output and output != "-" else None
    if target is not None and (len(texts) > 1 or target.is_dir()):
        if target.exists() and not target.is_dir():
            raise UsageError(
                f"the document gives {len(texts)} dossiers, so -o must name a folder, not a file",
                file=str(target), hint="give a folder (it is created when missing) or leave out -o for a YAML stream",
            )
        for dossier, text in texts:
            atomic_write_text(target / output_name(dossier), text)
            written.append(str(target / output_name(dossier)))
    elif target is not None:
        atomic_write_text(target, texts[0][1])
        written.append(str(target))
    elif len(texts) == 1:
        click.echo(texts[0][1], nl=False)
    else:
        click.echo("".join(f"---\n{text}" for _d, text in texts), nl=False)
    notes = sum(len(d.source.notes) if d.source else 0 for d, _t in texts)
    where = f" to {', '.join(written)}" if written else ""
    click.echo(
        f"qa-engine: imported {len(texts)} dossier{'s' if len(texts) != 1 else ''} ({result.format}) "
        f"from {result.file}{where}; {notes} note{'s' if notes != 1 else ''} in source.notes.",
        err=True,
    )


def main() -> None:
    cli(prog_name="qa-engine")


if __name__ == "__main__":  # pragma: no cover
    main()
