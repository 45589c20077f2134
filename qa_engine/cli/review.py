"""`qa-engine review`, `history` and `audit verify`: the store's reviewer actions and trail."""

from __future__ import annotations

import datetime as _dt
import json
import sys

import click

from qa_engine.cli.base import (
    DATE,
    QAGroup,
    _as_date,
    _open_existing_store,
    _write,
    cli,
    store_db_option,
)


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
    from qa_engine.services.review import effective_report

    with _open_existing_store(db) as store:
        report = effective_report(store, evaluation_id, as_of=_as_date(as_of) or _dt.date.today())
    if fmt == "json":
        from qa_engine.services.check import report_json

        text = report_json(report)
    elif fmt == "html":
        from qa_engine.render.html import render_html

        text = render_html(report)
    else:
        from qa_engine.render.text import render_text

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
