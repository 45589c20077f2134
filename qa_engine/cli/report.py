"""`qa-engine report`: any stored evaluation's report, rendered on demand."""

from __future__ import annotations

import datetime as _dt
import sys

import click

from qa_engine.cli.base import (
    DATE,
    _as_date,
    _open_existing_store,
    _write_bytes,
    cli,
    store_db_option,
)


@cli.command("report")
@click.argument("evaluation_id", type=int)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["html", "json", "pdf"]), default="html", show_default=True,
    help="The self-contained HTML audit report, the JSON report, or the audit report as PDF.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the report here (atomically); default: standard output.",
)
@click.option(
    "--templates", type=click.Path(exists=True, file_okay=False),
    help="Folder with your own copy of the report designs (HTML and PDF).",
)
@click.option("--date", "pdf_date", type=DATE, help="PDF only: the creation date its metadata names (default: none, so the same report gives the same bytes).")
@store_db_option
def report_cmd(
    evaluation_id: int, fmt: str, output: str | None, templates: str | None,
    pdf_date: _dt.datetime | None, db: str | None,
) -> None:
    """Render the stored report of EVALUATION_ID (as the batch recorded it; reviewer
    actions are applied by `qa-engine review show`).

    The bytes are those the batch writes into OUT/reports/ for the same evaluation,
    whether or not it wrote them (`batch --html`/`--json`). Find evaluation ids with
    `qa-engine history DOSSIER_ID` or on the batch dashboard. Exit 0 when the dossier
    passes, 1 when it does not, 2 on an error.
    """
    from qa_engine.services.reports import render_stored

    if pdf_date is not None and fmt != "pdf":
        raise click.UsageError("--date applies to --format pdf only.")
    with _open_existing_store(db) as store:
        rendered = render_stored(
            store, evaluation_id, fmt, templates_dir=templates, date=_as_date(pdf_date)
        )
    _write_bytes(output, rendered.content)
    sys.exit(0 if rendered.passed else 1)

