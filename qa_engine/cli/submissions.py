"""`qa-engine submissions …`: a provider's and a coordinator's submission steps from the
command line, so that a body (or a provider's own tooling) can script what the
workspace's pages do.

Thin, like :mod:`qa_engine.cli.workflow`: each command names the account acting
(``--as EMAIL``, default ``$QA_ENGINE_AS``) and calls one function of
:mod:`qa_engine.services.submissions`, the same the pages and the API call, with the
same checks of who may do what (another organisation's submission is "not found").
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import click

from qa_engine.cli.base import (
    DATE,
    QAGroup,
    _as_date,
    _open_existing_store,
    cli,
    say,
    store_db_option,
)
from qa_engine.cli.workflow import as_option, json_option
from qa_engine.errors import UsageError

FORMATS = ["auto", "dossier", "ob3", "clr", "elm", "ctdl"]


def _account(store: Any, email: str) -> Any:
    from qa_engine.services import accounts

    u = accounts.user(store, email)
    if not u.active:
        raise UsageError(f"the account {u.email} is disabled", hint="see `qa-engine users list`")
    return u


def _read(path: Path) -> bytes:
    """The file's bytes, read no further than the upload limit (the service says it is too large)."""
    from qa_engine.services.submissions import MAX_DOSSIER_BYTES

    with path.open("rb") as fh:
        return fh.read(MAX_DOSSIER_BYTES + 1)


def _print_checked(c: Any, as_json: bool, email: str) -> None:
    if as_json:
        click.echo(json.dumps(c.to_dict(), indent=2, ensure_ascii=False))
        return
    r = c.report
    say(f"submission {c.case.id} ({c.case.state.replace('_', ' ')}, version {c.version}): {r.dossier.title or r.dossier.id}")
    say(f"   self-check with {r.ruleset.id}@{r.ruleset.version}: {r.decision_label}, score {r.score:.2f}"
        f" ({'passes' if r.passed else 'does not pass'}; evaluation {c.evaluation_id})")
    for note in c.notes:
        say(f"   note: {note}")
    if c.case.state == "draft":
        say(f"   submit it: qa-engine submissions submit {c.case.id} --as {email}")


@cli.group(cls=QAGroup)
def submissions() -> None:
    """Submissions: add a dossier as a draft (self-checked at once), add versions, submit,
    withdraw; screen them (coordinator); list and show them.

    The same steps as the web workspace's pages, through the same services.
    """


@submissions.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-r", "--ruleset", help="The ruleset to check against (ID or ID@VERSION; default qa-starter).")
@click.option("--rubric", help="The rubric (ID or ID@VERSION; default the ruleset's).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="What FILE is: a dossier or a credential to import (auto: detected).")
@click.option("--dossier-id", help="Which dossier of a CLR holding several.")
@click.option("--note", help="A note on this version (shown in its history).")
@click.option("--as-of", type=DATE, help="The date to judge dates against (default: today).")
@click.option("--submit", "then_submit", is_flag=True, help="Submit the draft at once (freezes it).")
@as_option
@json_option
@store_db_option
def submissions_add(file: Path, ruleset: str | None, rubric: str | None, fmt: str, dossier_id: str | None,
                    note: str | None, as_of: _dt.datetime | None, then_submit: bool, as_email: str, as_json: bool,
                    db: str | None) -> None:
    """Add FILE as a new draft of your organisation (provider), self-checked at once.

    Exit 0 when the draft is stored, whatever its self-check says (`qa-engine check` is
    the command whose exit code says pass or fail); 2 when FILE does not read as a dossier
    (every problem with its line and column).
    """
    from qa_engine.services import submissions as svc

    data = _read(file)
    with _open_existing_store(db) as store:
        user = _account(store, as_email)
        c = svc.create_draft(store, user, data, file.name, ruleset=ruleset, rubric=rubric, fmt=fmt,
                             dossier_id=dossier_id, note=note, as_of=_as_date(as_of))
        if then_submit:
            c = svc.Checked(svc.submit(store, user, c.case.id), c.report, c.evaluation_id, c.version, c.notes)
    _print_checked(c, as_json, as_email)


@submissions.command("version")
@click.argument("submission", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--dossier-id", help="Which dossier of a CLR holding several.")
@click.option("--note", help="A note on this version.")
@click.option("--as-of", type=DATE, help="The date to judge dates against (default: today).")
@as_option
@json_option
@store_db_option
def submissions_version(submission: int, file: Path, fmt: str, dossier_id: str | None, note: str | None,
                        as_of: _dt.datetime | None, as_email: str, as_json: bool, db: str | None) -> None:
    """Add FILE as the next version of the draft SUBMISSION, self-checked at once."""
    from qa_engine.services import submissions as svc

    data = _read(file)
    with _open_existing_store(db) as store:
        c = svc.add_version(store, _account(store, as_email), submission, data, file.name, fmt=fmt,
                            dossier_id=dossier_id, note=note, as_of=_as_date(as_of))
    _print_checked(c, as_json, as_email)


def _moved(case: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(case.to_dict(), indent=2, ensure_ascii=False))
    else:
        say(f"submission {case.id}: now {case.state.replace('_', ' ')}")


@submissions.command("submit")
@click.argument("submission", type=int)
@as_option
@json_option
@store_db_option
def submissions_submit(submission: int, as_email: str, as_json: bool, db: str | None) -> None:
    """Submit the draft SUBMISSION: its current version and evaluation are frozen."""
    from qa_engine.services import submissions as svc

    with _open_existing_store(db) as store:
        case = svc.submit(store, _account(store, as_email), submission)
    _moved(case, as_json)


@submissions.command("withdraw")
@click.argument("submission", type=int)
@click.option("--reason", help="Why (required once it is submitted).")
@as_option
@json_option
@store_db_option
def submissions_withdraw(submission: int, reason: str | None, as_email: str, as_json: bool, db: str | None) -> None:
    """Withdraw SUBMISSION (a provider's own, before a decision)."""
    from qa_engine.services import submissions as svc

    with _open_existing_store(db) as store:
        case = svc.withdraw(store, _account(store, as_email), submission, reason)
    _moved(case, as_json)


@submissions.command("screen")
@click.argument("submission", type=int)
@click.argument("outcome", type=click.Choice(["accept", "return"]))
@click.option("--reason", help="Why it is returned as ineligible (required with return).")
@as_option
@json_option
@store_db_option
def submissions_screen(submission: int, outcome: str, reason: str | None, as_email: str, as_json: bool,
                       db: str | None) -> None:
    """Screen a submitted SUBMISSION (coordinator): accept it for review or return it."""
    from qa_engine.services import submissions as svc

    with _open_existing_store(db) as store:
        case = svc.screen(store, _account(store, as_email), submission, outcome, reason)
    _moved(case, as_json)


@submissions.command("list")
@click.option("--state", help="Only submissions in this state (e.g. submitted, in_review).")
@click.option("-r", "--ruleset", help="Only those checked against this ruleset.")
@click.option("--provider", help="Only this provider organisation's (its slug).")
@as_option
@json_option
@store_db_option
def submissions_list(state: str | None, ruleset: str | None, provider: str | None, as_email: str, as_json: bool,
                     db: str | None) -> None:
    """The submissions the account may see, with counts by state."""
    from qa_engine.services import submissions as svc

    with _open_existing_store(db) as store:
        q = svc.queue(store, _account(store, as_email), state=state, ruleset=ruleset, provider=provider)
    if as_json:
        click.echo(json.dumps(q.to_dict(), indent=2, ensure_ascii=False))
        return
    for c in q.cases:
        check = f"{c.decision.replace('_', ' ')} {c.score:.2f}" if c.decision and c.score is not None else "-"
        say(f"{c.id:>5}  {c.state:<11} {c.organisation_slug:<20} {c.ruleset_ref:<24} {check:<28} {c.title}")
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(q.by_state.items()))
    say(f"{len(q.cases)} shown; by state: {counts or 'none'}")


@submissions.command("show")
@click.argument("submission", type=int)
@as_option
@json_option
@store_db_option
def submissions_show(submission: int, as_email: str, as_json: bool, db: str | None) -> None:
    """SUBMISSION: its state, versions, history and what the account may do next."""
    from qa_engine.services import submissions as svc

    with _open_existing_store(db) as store:
        user = _account(store, as_email)
        case = svc.get(store, user, submission)
        vs = svc.versions(store, user, submission)
        evs = svc.events(store, user, submission)
        nxt = svc.actions(user, case)
    if as_json:
        click.echo(json.dumps({"submission": case.to_dict(), "versions": [v.to_dict() for v in vs],
                               "events": [e.to_dict() for e in evs], "actions": sorted({t.action for t in nxt})},
                              indent=2, ensure_ascii=False))
        return
    say(f"submission {case.id}: {case.title}  ({case.organisation_name}; {case.state.replace('_', ' ')})")
    say(f"   ruleset {case.ruleset_ref}; version {case.current_version}"
        + (f", submitted version {case.submitted_version}" if case.submitted_version else ""))
    for v in vs:
        say(f"   version {v.number} ({v.kind}) {v.filename}  evaluation {v.evaluation_id}  {v.created_at:%Y-%m-%d %H:%M}")
    for e in evs:
        by = f" by {e.actor_email}" if e.actor_email else ""
        why = f": {e.reason}" if e.reason else ""
        say(f"   {e.at:%Y-%m-%d %H:%M}  {e.action.replace('_', ' ')}  {(e.from_state or '-').replace('_', ' ')} -> "
            f"{e.to_state.replace('_', ' ')}{by}{why}")
    if nxt:
        say("   next: " + ", ".join(sorted({t.action.replace('_', ' ') for t in nxt})))
