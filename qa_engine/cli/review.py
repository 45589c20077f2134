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
    say,
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
    say(
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
    say(
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
        legacy = [c for c in store.require_trail(evaluation_id) if c.status == "legacy"]
        report = effective_report(
            store, evaluation_id, as_of=_as_date(as_of) or _dt.date.today(), trail_checked=True
        )
    if legacy:
        from qa_engine.store.trail import record_name

        names = ", ".join(record_name(c.table, c.id) for c in legacy[:5]) + (", ..." if len(legacy) > 5 else "")
        say(
            f"qa-engine: warning: {names} predate(s) record binding in the audit trail "
            "(written by an older qa-engine): not checked against their content.",
            err=True,
        )
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
    """Every evaluation, rejection and reviewer action of DOSSIER_ID, oldest first.

    Each record is checked against the audit trail: one that was edited, inserted
    behind qa-engine's back or deleted is flagged "!! DOES NOT MATCH THE AUDIT TRAIL"
    (exit 1); one written before record binding is marked "(not content-checked)".
    """
    from qa_engine.textsafe import safe_json

    with _open_existing_store(db) as store:
        entries = store.history(dossier_id)
        where = store.display
    flagged = [e for e in entries if not e.trusted]
    if fmt == "json":
        click.echo(safe_json(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False)))
        sys.exit(1 if flagged else 0)
    if not entries:
        say(f"no evaluations, rejections or reviewer actions of dossier {dossier_id} in {where}.")
        return
    say(f"dossier {dossier_id} in {where}: {len(entries)} entries")
    for e in entries:
        at = e.at.strftime("%Y-%m-%d %H:%M:%SZ")
        say(f"  {at}  {(e.kind + ' ' + str(e.id)).ljust(16)} {e.summary}")
        if not e.trusted:
            say(f"      !! DOES NOT MATCH THE AUDIT TRAIL: {e.trail_problem}")
        elif e.trail == "legacy":
            say("      (not content-checked: written before record binding)")
    if flagged:
        say(
            f"qa-engine: {len(flagged)} record(s) do not match the audit trail; "
            "run `qa-engine audit verify` and restore the store from a backup.",
            err=True,
        )
        sys.exit(1)


@cli.group(cls=QAGroup)
def audit() -> None:
    """The store's hash-chained audit log, and the records it vouches for."""


@audit.command("verify")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--expect-head", metavar="HASH",
    help="A head hash printed by an earlier verify and kept elsewhere: the chain must still contain it "
    "(catches a truncated or recomputed chain).",
)
@store_db_option
def audit_verify(fmt: str, expect_head: str | None, db: str | None) -> None:
    """Check every link of the audit chain and every record it vouches for.

    Recomputes the hash of each evaluation (with its report and findings), submission,
    rejection, reviewer action and ruleset/rubric version from the tables and compares
    it with the audit entry that vouches for it. Exit 0 when intact, 1 at the first
    broken entry or record. Keep the head hash it prints somewhere else and pass it
    back with --expect-head later.
    """
    with _open_existing_store(db) as store:
        result = store.verify_audit(expect_head=expect_head)
        where = store.display
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        sys.exit(0 if result.ok else 1)
    if result.first_broken is not None:
        entry, reason = result.first_broken
        say(f"audit log BROKEN at entry {entry} of {where}: {reason} ({result.entries} entries verified before it)")
        sys.exit(1)
    if result.record_problems:
        first = result.record_problems[0]
        more = result.record_problem_count - 1
        tail = f"; {more} more record problem(s) below" if more else ""
        say(f"audit log BROKEN in {where}: {first.reason}{tail}")
        for p in result.record_problems[1:]:
            say(f"  {p.reason}")
        if result.record_problem_count > len(result.record_problems):
            say(f"  ... and {result.record_problem_count - len(result.record_problems)} more")
    elif result.anchor_missing:
        say(
            f"audit log BROKEN in {where}: the expected head {result.expected_head} is not in the chain "
            "(the log was truncated or recomputed)"
        )
    else:
        say(
            f"audit log OK: {result.entries} entries in {where}; {result.records} records match their entries; "
            f"head {result.head_hash}"
        )
        if result.anchor_entry is not None:
            say(f"  the expected head is entry {result.anchor_entry} of the chain")
    if result.legacy_entries:
        spans = _spans(result.legacy_entries)
        say(
            f"  note: {len(result.legacy_entries)} entries ({spans}) predate record binding (written by an older "
            f"qa-engine): the {result.legacy_records} records only they vouch for are checked by id, not by content"
        )
    sys.exit(0 if result.ok else 1)


def _spans(ids: tuple[int, ...] | list[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5' (at most six spans shown)."""
    spans: list[str] = []
    start = prev = ids[0]
    for i in list(ids[1:]) + [None]:  # type: ignore[list-item]
        if i is not None and i == prev + 1:
            prev = i
            continue
        spans.append(str(start) if start == prev else f"{start}-{prev}")
        if i is not None:
            start = prev = i
    return ", ".join(spans[:6]) + (", ..." if len(spans) > 6 else "")
