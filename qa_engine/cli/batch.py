"""`qa-engine batch`: an accrediting body's review of many dossiers."""

from __future__ import annotations

import datetime as _dt
import sys

import click

from qa_engine.cli.base import (
    DATE,
    _as_date,
    cli,
    rulesets_dir_option,
    say,
)


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
@click.option(
    "--html", "html", type=click.Choice(["all", "failing", "none"]),
    help="Which dossiers get an HTML report file in OUT/reports/: all, failing (those that do not pass) or none. "
    "Default: all for a batch of up to 1,000 input files, failing above. The store records every evaluation either way: "
    "`qa-engine report EVALUATION_ID` renders any of them later.",
)
@click.option(
    "--json", "json_files", type=click.Choice(["all", "failing", "none"]), default="all", show_default=True,
    help="Which dossiers get a JSON report file in OUT/reports/ (same choices as --html).",
)
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
    html: str | None,
    json_files: str,
    rulesets_dir: tuple[str, ...],
) -> None:
    """Evaluate many dossiers in parallel into an output folder, with the store as record.

    PATHS are dossier files, folders (searched recursively for *.yaml, *.yml, *.json),
    globs, .zip and tar archives (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz). Every
    evaluation and rejected file (also a FIFO, a link loop, an unreadable folder) is
    recorded in the store; the dashboard goes to OUT/index.html and OUT/summary.csv, and each
    evaluation's JSON and HTML report to OUT/reports/ as --json and --html choose
    (HTML: all up to 1,000 input files, else only failing dossiers). Stop it at any time and run the same
    command again: it resumes, and a dossier already evaluated with the same ruleset
    and rubric (by content hash) is not evaluated again. Exit 0 when every dossier
    was evaluated, 1 when a file was rejected, 2 on a usage or configuration error.
    """
    from qa_engine.services.batch import run_batch
    from qa_engine.services.batch.progress import progress_for

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask.")
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler tcp://HOST:PORT.")
    result = run_batch(
        list(paths), out=out, ruleset=ruleset, rubric=rubric, as_of=_as_date(as_of), engine=engine,
        rulesets_dirs=list(rulesets_dir), db=db, workers=workers, executor=executor,
        scheduler=scheduler, templates_dir=templates, html=html, json=json_files,
        progress=progress_for(sys.stderr),
    )
    say(
        f"{result.total} dossier file(s): {result.evaluated} evaluated, {result.skipped} already "
        f"evaluated (skipped), {result.rejected} rejected, in {result.elapsed:.1f}s "
        f"({result.rate:.1f}/s)."
    )
    say(f"Dashboard: {result.dashboard}")
    sys.exit(result.exit_code)
