"""`qa-engine panel …`, `decide`, `amend`, `condition close`, `due`: the review workflow.

Thin: each command names the account it acts for (``--as EMAIL``, default
``$QA_ENGINE_AS``), calls one function of :mod:`qa_engine.services.workflow.service`
(the same the web pages call, with the same checks of who may do what) and prints
the result. Whoever can run these commands can reach the store directly, so ``--as``
is not a sign-in: it says which account the audit chain records as acting.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
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
from qa_engine.errors import UsageError

as_option = click.option(
    "--as", "as_email", envvar="QA_ENGINE_AS", required=True, metavar="EMAIL",
    help="The account acting (default: $QA_ENGINE_AS).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
notify_option = click.option(
    "--notify", is_flag=True,
    help="E-mail the people concerned through the SMTP server in $QA_ENGINE_SMTP_HOST (see README).",
)


def _mail_config(notify: bool) -> Any:
    """The SMTP configuration when --notify is given (an error when none is set)."""
    if not notify:
        return None
    from qa_engine.errors import MailError
    from qa_engine.mail import MailConfig

    config = MailConfig.from_env()
    if config is None:
        raise MailError("--notify needs an SMTP server", hint="set QA_ENGINE_SMTP_HOST (and _PORT, _FROM)")
    return config


def _deliver(config: Any, messages: list[Any]) -> None:
    if config is None:
        return
    from qa_engine.errors import MailError
    from qa_engine.services.workflow.notify import deliver

    try:
        n = deliver(config, messages)
    except MailError as exc:  # the change is committed; say the mail failed, exit 0
        say(f"qa-engine: warning: {exc}", err=True)
        return
    say(f"notified: {n} message(s) sent")
STATES = ["exemplary", "met", "partially_met", "not_met", "not_applicable"]


def _person(store: Any, email: str) -> Any:
    from qa_engine.store import workflow as db

    p = db.person_by_email(store, email)
    if p is None or p.disabled:
        raise UsageError(f"no active account {email}", hint="see `qa-engine users list`")
    return p


def parse_within(text: str) -> _dt.timedelta:
    """``90d``, ``12w``, ``6m`` (30-day months) or a number of days."""
    from qa_engine.services.workflow.logic import parse_within as parse

    span = parse(text)
    if span is None:
        raise UsageError(f"--within {text} is not a period", hint="write e.g. 90d, 12w or 6m")
    return span


@cli.group(cls=QAGroup)
def panel() -> None:
    """Review panels: form one, declare conflicts, review, consolidate, resolve.

    A panel's make-up, consensus rule and deadlines come from the review policy beside
    the rubric (docs/review-policy.md).
    """


@panel.command("form")
@click.argument("submission", type=int)
@click.option("--chair", required=True, metavar="EMAIL", help="The reviewer who chairs.")
@click.option("--member", "members", multiple=True, metavar="EMAIL", help="A further reviewer (repeatable).")
@click.option("--subject-matter", "smes", multiple=True, metavar="EMAIL",
              help="A reviewer (chair or member) who is a subject-matter expert (repeatable).")
@as_option
@notify_option
@store_db_option
def panel_form(submission: int, chair: str, members: tuple[str, ...], smes: tuple[str, ...], as_email: str,
               notify: bool, db: str | None) -> None:
    """Form the review panel of SUBMISSION (a case in review), checked against the policy."""
    from qa_engine.services.workflow import notify as mail
    from qa_engine.services.workflow import service as wf

    config = _mail_config(notify)
    with _open_existing_store(db) as store:
        user = _person(store, as_email)
        sme = {e.strip().lower() for e in smes}
        picks = [wf.Pick(_person(store, chair), chair=True, subject_matter=chair.strip().lower() in sme)]
        picks += [wf.Pick(_person(store, e), subject_matter=e.strip().lower() in sme) for e in members]
        p = wf.form_panel(store, user, submission, picks)
        messages = mail.assignment_messages(store, p) if config else []
    say(f"panel {p.id} formed for submission {p.case_id} (version {p.version}, evaluation {p.evaluation_id}, "
        f"policy {p.policy_ref}); each member declares a conflict of interest before reviewing: "
        f"`qa-engine panel declare {p.id} --as EMAIL --no-conflict`")
    _deliver(config, messages)


@panel.command("add")
@click.argument("panel_id", type=int)
@click.option("--member", "member", required=True, metavar="EMAIL", help="The reviewer who takes the seat.")
@click.option("--chair", "as_chair", is_flag=True, help="They replace the chair.")
@click.option("--subject-matter", "sme", is_flag=True, help="They sit as a subject-matter expert.")
@as_option
@notify_option
@store_db_option
def panel_add(panel_id: int, member: str, as_chair: bool, sme: bool, as_email: str, notify: bool,
              db: str | None) -> None:
    """Seat a reviewer on PANEL_ID in place of a member who declared a conflict of interest;
    the panel with them must fit the policy again."""
    from qa_engine.services.workflow import notify as mail
    from qa_engine.services.workflow import service as wf

    config = _mail_config(notify)
    with _open_existing_store(db) as store:
        who = _person(store, member)
        p = wf.add_member(store, _person(store, as_email), panel_id, wf.Pick(who, chair=as_chair, subject_matter=sme))
        messages = [m for m in mail.assignment_messages(store, p) if m.to == (who.email,)] if config else []
    say(f"panel {panel_id}: {who.name} seated as {'chair' if as_chair else 'member'}; they declare a conflict of "
        f"interest before reviewing: `qa-engine panel declare {panel_id} --as {who.email} --no-conflict`")
    _deliver(config, messages)


@panel.command("declare")
@click.argument("panel_id", type=int)
@click.option("--no-conflict", "no_conflict", is_flag=True, help="Declare no conflict of interest with the provider.")
@click.option("--conflict", metavar="NOTE", help="Declare a conflict (removes you from the panel).")
@as_option
@store_db_option
def panel_declare(panel_id: int, no_conflict: bool, conflict: str | None, as_email: str, db: str | None) -> None:
    """Declare whether you have a conflict of interest with the provider."""
    from qa_engine.services.workflow import service as wf

    if no_conflict == (conflict is not None):
        raise UsageError("give exactly one of --no-conflict and --conflict NOTE")
    with _open_existing_store(db) as store:
        wf.declare(store, _person(store, as_email), panel_id, conflict=conflict is not None, note=conflict)
    say(f"panel {panel_id}: " + ("conflict declared; you are off the panel" if conflict is not None
                                 else "no conflict declared; you may review"))


def _judgments(items: tuple[str, ...]) -> list[Any]:
    from qa_engine.services.workflow import service as wf

    out = []
    for item in items:
        m = re.fullmatch(r"([A-Za-z0-9._-]+)=(agree|" + "|".join(STATES) + r")(?::(.*))?", item, re.S)
        if not m:
            raise UsageError(f"--judge {item} is not CRITERION=STATE[:REASON]",
                             hint=f"STATE is agree or one of {', '.join(STATES)}")
        state = None if m.group(2) == "agree" else m.group(2)
        out.append(wf.JudgmentIn(m.group(1), state, m.group(3)))
    return out


@panel.command("review")
@click.argument("panel_id", type=int)
@click.option("--judge", "judge", multiple=True, metavar="CRITERION=STATE[:REASON]",
              help="Judge a criterion: agree (with the machine) or a state with the reason (repeatable).")
@click.option("--comment", help="A comment on the whole submission.")
@click.option("--submit", is_flag=True, help="Submit the review (final); without it the draft is saved.")
@as_option
@store_db_option
def panel_review(panel_id: int, judge: tuple[str, ...], comment: str | None, submit: bool, as_email: str,
                 db: str | None) -> None:
    """Save (or --submit) your review; criteria you leave alone agree with the machine."""
    from qa_engine.services.workflow import service as wf

    with _open_existing_store(db) as store:
        r = wf.save_review(store, _person(store, as_email), panel_id, _judgments(judge), comment=comment,
                           submit=submit)
    differ = sum(1 for j in r.judgments if not j.agrees)
    say(f"panel {panel_id}: review {r.state} ({len(r.judgments)} criteria judged, {differ} differ from the machine)")


@panel.command("show")
@click.argument("panel_id", type=int)
@as_option
@json_option
@store_db_option
def panel_show(panel_id: int, as_email: str, as_json: bool, db: str | None) -> None:
    """The panel: members, declarations and reviews (others' only once yours is submitted)."""
    from qa_engine.services.workflow import service as wf
    from qa_engine.store import workflow as dbm

    with _open_existing_store(db) as store:
        user = _person(store, as_email)
        p = wf.panel_for(store, user, panel_id)
        names = dbm.people(store, [m.user_id for m in p.members])
        reviews = wf.visible_reviews(store, user, panel_id)
    members: list[dict[str, Any]] = [{"name": names[m.user_id].name, "email": names[m.user_id].email, "role": m.role,
                "external": m.external, "subject_matter": m.subject_matter, "conflict": m.conflict}
               for m in p.members]
    revs: list[dict[str, Any]] = [{"reviewer": names[r.user_id].email if r.user_id in names else r.user_id, "state": r.state,
             "comment": r.comment,
             "judgments": [{"criterion": j.criterion_id, "agrees": j.agrees, "state": j.state, "reason": j.reason,
                            "comment": j.comment} for j in r.judgments]} for r in reviews]
    if as_json:
        click.echo(json.dumps({"id": p.id, "submission": p.case_id, "version": p.version,
                               "evaluation": p.evaluation_id, "policy": p.policy_ref, "state": p.state,
                               "members": members, "reviews": revs}, indent=2, ensure_ascii=False))
        return
    say(f"panel {p.id}: submission {p.case_id} version {p.version}, evaluation {p.evaluation_id}, "
        f"policy {p.policy_ref}, {p.state}")
    for m in members:
        extra = ", ".join(x for x, on in (("external", m["external"]), ("subject-matter", m["subject_matter"])) if on)
        say(f"  {m['role']:<6} {m['name']} <{m['email']}>{' (' + extra + ')' if extra else ''}: conflict {m['conflict']}")
    for r in revs:
        say(f"  review by {r['reviewer']}: {r['state']}")
        for j in r["judgments"]:
            if not j["agrees"]:
                say(f"    {j['criterion']}: {j['state']} - {j['reason']}")


@panel.command("consolidate")
@click.argument("panel_id", type=int)
@as_option
@json_option
@store_db_option
def panel_consolidate(panel_id: int, as_email: str, as_json: bool, db: str | None) -> None:
    """Consensus per criterion under the policy, disagreements, the resulting score and band."""
    from qa_engine.scoring import pct
    from qa_engine.services.workflow import service as wf
    from qa_engine.store import workflow as dbm

    with _open_existing_store(db) as store:
        pc = wf.consolidation(store, _person(store, as_email), panel_id)
        con = pc.consolidation
        names = dbm.people(store, sorted({d.reviewer for c in con.criteria for d in c.disagreements}))
    rows: list[dict[str, Any]] = [{"id": c.id, "essential": c.essential, "rule": c.rule, "machine": c.machine_state,
             "final": c.final_state, "source": c.source if not c.open else None, "open": c.open,
             "disagreements": [{"reviewer": d.reviewer, "state": d.state, "reason": d.reason}
                               for d in c.disagreements],
             "explanation": c.explanation}
            for c in con.criteria if c.disagreements or c.final_state != c.machine_state]
    doc: dict[str, Any] = {"panel": panel_id, "complete": con.complete, "open": con.open_criteria,
           "waiting_for": list(pc.waiting_for),
           "machine": {"score": pct(con.machine.percent), "band": con.machine.band.id},
           "consolidated": {"score": pct(con.result.percent), "score_exact": str(con.result.percent),
                            "band": con.result.band.id},
           "changes": [{"criterion": c.criterion, "machine": c.machine_state, "final": c.final_state}
                       for c in con.changes],
           "criteria": rows}
    if as_json:
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    say(f"panel {panel_id}: machine {doc['machine']['band']} {doc['machine']['score']:.2f}% -> "
        f"consolidated {doc['consolidated']['band']} {doc['consolidated']['score']:.2f}%"
        f"{'' if con.complete else ' (provisional: criteria open)'}")
    if pc.waiting_for:
        say(f"  waiting for {len(pc.waiting_for)} review(s)")
    for r in rows:
        say(f"  {r['id']} [{r['rule']}] {r['explanation']}")
        for d in r["disagreements"]:
            if d["reason"]:
                who = names[d["reviewer"]].name if d["reviewer"] in names else f"reviewer {d['reviewer']}"
                say(f"    {who}: {d['state'].replace('_', ' ')} - {d['reason']}")


@panel.command("resolve")
@click.argument("panel_id", type=int)
@click.argument("criterion")
@click.option("--state", required=True, type=click.Choice(STATES))
@click.option("--reason", required=True, help="Why (the provider and auditors read it).")
@as_option
@store_db_option
def panel_resolve(panel_id: int, criterion: str, state: str, reason: str, as_email: str, db: str | None) -> None:
    """The chair resolves a CRITERION the consensus rule leaves open."""
    from qa_engine.services.workflow import service as wf

    with _open_existing_store(db) as store:
        pc = wf.resolve_criterion(store, _person(store, as_email), panel_id, criterion, state=state, reason=reason)
    left = pc.consolidation.open_criteria
    say(f"panel {panel_id}: {criterion} resolved as {state}; " +
        (f"still open: {', '.join(left)}" if left else "nothing left open, the coordinator may decide"))


def _conditions(items: tuple[str, ...]) -> list[Any]:
    from qa_engine.services.workflow import service as wf

    out = []
    for item in items:
        m = re.fullmatch(r"([A-Za-z0-9._,-]+):(.+?)(?:@(\d{4}-\d{2}-\d{2}))?", item, re.S)
        if not m:
            raise UsageError(f"--condition {item} is not CRITERIA:TEXT[@YYYY-MM-DD]",
                             hint="e.g. --condition 'ST-AS-01:Assess every outcome@2026-09-01'")
        due = _dt.date.fromisoformat(m.group(3)) if m.group(3) else None
        out.append(wf.ConditionIn(tuple(c for c in m.group(1).split(",") if c), m.group(2).strip(), due))
    return out


@cli.command("decide")
@click.argument("panel_id", type=int)
@click.option("--rationale", required=True, help="Why: the letter and the register show it.")
@click.option("--outcome", type=click.Choice(["accredited", "accredited_with_conditions", "not_accredited"]),
              help="Default: the outcome of the band the consolidated score earns.")
@click.option("--condition", "conditions", multiple=True, metavar="CRITERIA:TEXT[@DUE]",
              help="A condition: criterion ids (comma-separated), its text, its due date (default: the policy's "
                   "amendment window). Repeatable.")
@click.option("--valid-from", type=DATE, help="Default: today.")
@click.option("--valid-until", type=DATE, help="Default: valid-from plus the policy's validity period.")
@click.option("--today", type=DATE, help="The decision date (default: today).")
@as_option
@notify_option
@store_db_option
def decide(panel_id: int, rationale: str, outcome: str | None, conditions: tuple[str, ...],
           valid_from: _dt.datetime | None, valid_until: _dt.datetime | None, today: _dt.datetime | None,
           as_email: str, notify: bool, db: str | None) -> None:
    """Decide on PANEL_ID's consolidated judgments (coordinator)."""
    from qa_engine.services.workflow import notify as mail
    from qa_engine.services.workflow import service as wf
    from qa_engine.store import workflow as dbm

    conds = _conditions(conditions)
    config = _mail_config(notify)
    with _open_existing_store(db) as store:
        d = wf.decide(store, _person(store, as_email), panel_id, rationale=rationale, outcome=outcome,
                      conditions=conds, valid_from=_as_date(valid_from), valid_until=_as_date(valid_until),
                      today=_as_date(today), people=dbm.people(store))
        messages = mail.decision_messages(store, d) if config else []
    say(f"decision {d.id}: {d.outcome} ({d.score:.2f}%), valid {d.valid_from} to {d.valid_until}")
    for c in d.conditions:
        say(f"  {c.label} ({', '.join(c.criteria)}) due {c.due}: {c.text}")
    _deliver(config, messages)


@cli.command("amend")
@click.argument("decision_id", type=int)
@click.argument("dossier", type=click.Path(dir_okay=False, allow_dash=True))
@as_option
@store_db_option
def amend(decision_id: int, dossier: str, as_email: str, db: str | None) -> None:
    """Answer DECISION_ID's open conditions with an amended DOSSIER (provider)."""
    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.workflow import service as wf

    d = load_dossier(dossier)
    fmt = "json" if dossier.lower().endswith(".json") else "yaml"
    with _open_existing_store(db) as store:
        res = wf.amend(store, _person(store, as_email), decision_id, d, file=dossier, source_format=fmt)
    say(f"amendment {res.amendment.id} of decision {decision_id} (version {res.version}): "
        f"changed {', '.join(res.changed) or 'nothing'}")
    for c in res.checks:
        say(f"  {c.condition}: {'met' if c.met else 'not yet met'} - {c.explanation}")
    if res.re_review:
        say(f"  the change of {', '.join(res.re_review)} forces a new review (the submission is "
            f"{(res.state or '').replace('_', ' ')})")


@cli.group(cls=QAGroup)
def condition() -> None:
    """Conditions of decisions."""


@condition.command("close")
@click.argument("decision_id", type=int)
@click.argument("label")
@click.option("--today", type=DATE, help="The closing date (default: today).")
@as_option
@store_db_option
def condition_close(decision_id: int, label: str, today: _dt.datetime | None, as_email: str, db: str | None) -> None:
    """Close condition LABEL (e.g. C1) of DECISION_ID once an amendment meets it."""
    from qa_engine.services.workflow import service as wf

    with _open_existing_store(db) as store:
        d = wf.close_condition(store, _person(store, as_email), decision_id, label, today=_as_date(today))
    left = [c.label for c in d.conditions if c.state == "open"]
    say(f"decision {decision_id}: {label} met; outcome {d.outcome}" + (f"; open: {', '.join(left)}" if left else ""))


@cli.command("due")
@click.option("--within", default="90d", show_default=True, help="Look ahead: e.g. 90d, 12w, 6m.")
@click.option("--today", type=DATE, help="Count from this date (default: today).")
@as_option
@json_option
@notify_option
@store_db_option
def due(within: str, today: _dt.datetime | None, as_email: str, as_json: bool, notify: bool, db: str | None) -> None:
    """Conditions and re-reviews coming due (overdue and expired ones too); --notify
    e-mails each provider what of theirs is due."""
    from qa_engine.services.workflow import notify as mail
    from qa_engine.services.workflow import service as wf

    span = parse_within(within)
    config = _mail_config(notify)
    day = _as_date(today) or _dt.date.today()
    with _open_existing_store(db) as store:
        items = wf.due(store, _person(store, as_email), today=day, within=span)
        messages = mail.due_messages(store, items, day) if config else []
    if as_json:
        click.echo(json.dumps([{"due": i.due.isoformat(), "decision": i.decision, "kind": i.kind,
                                "condition": i.condition, "state": i.state, "text": i.text} for i in items],
                              indent=2, ensure_ascii=False))
    else:
        if not items:
            say(f"nothing due within {within}")
        for i in items:
            what = f"condition {i.condition}" if i.kind == "condition" else "re-review"
            say(f"{i.due}  decision {i.decision}  {what} ({i.state}): {i.text}")
    _deliver(config, messages)


@cli.command("expire")
@click.option("--today", type=DATE, help="Count from this date (default: today).")
@as_option
@store_db_option
def expire(today: _dt.datetime | None, as_email: str, db: str | None) -> None:
    """Move every decided or published submission whose decision's validity has ended
    to expired (coordinator)."""
    from qa_engine.services.workflow import service as wf

    with _open_existing_store(db) as store:
        done = wf.expire(store, _person(store, as_email), today=_as_date(today))
    if not done:
        say("no decision's validity has ended")
    for e in done:
        say(f"submission {e.case_id}: decision {e.decision_id} valid until {e.valid_until}; "
            f"{e.was} -> expired")


@cli.command("letter")
@click.argument("decision_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here (default: standard output).")
@click.option("--signed-on", type=DATE, help="The signing date printed in the letter and its metadata.")
@as_option
@store_db_option
def letter(decision_id: int, fmt: str, output: str | None, signed_on: _dt.datetime | None, as_email: str,
           db: str | None) -> None:
    """The decision letter of DECISION_ID as PDF (or the HTML it is made from)."""
    from qa_engine.cli.base import _write_bytes
    from qa_engine.services.workflow import service as wf

    with _open_existing_store(db) as store:
        data = wf.letter(store, _person(store, as_email), decision_id, fmt=fmt, signed_on=_as_date(signed_on))
    _write_bytes(output, data)


@cli.group(cls=QAGroup)
def policy() -> None:
    """Review policies (rubrics/<id>/<version>.policy.yaml; docs/review-policy.md)."""


@policy.command("show")
@click.argument("rubric")
@json_option
def policy_show(rubric: str, as_json: bool) -> None:
    """The review policy of RUBRIC (ID or ID@VERSION): panel, consensus, deadlines, sources."""
    from qa_engine.rules.policies import policy_for
    from qa_engine.rules.registry import Registry

    p = policy_for(Registry().rubric(rubric))
    if as_json:
        click.echo(json.dumps({"sha256": p.sha256, **p.spec.model_dump(mode="json")}, indent=2, ensure_ascii=False))
        return
    s = p.spec
    say(f"{p.ref} [{p.sha256[:12]}] {s.title}")
    say(f"  panel: {s.panel.size} members, chair {'required' if s.panel.chair_required else 'optional'}"
        f"{' (qualified)' if s.panel.chair_qualified else ''}, at least {s.panel.min_external} external, "
        f"{s.panel.min_subject_matter} subject-matter")
    extra = "".join(f", {cid}: {rule}" for cid, rule in sorted(s.consensus.criteria.items()))
    say(f"  consensus: {s.consensus.default} (essential criteria: {s.consensus.essential}{extra})")
    say(f"  conditions due within {s.amendment_weeks} weeks; valid {s.validity_months} months; "
        f"re-review when {', '.join(s.re_review_on) or 'never'} changes")
    for src in s.sources:
        say(f"  source: {src.title}{' <' + src.url + '>' if src.url else ''}")


def _decisions_group() -> click.Group:
    from qa_engine.cli.trust import decisions as group

    return group


@_decisions_group().command("show")
@click.argument("decision_id", type=int)
@click.option("-o", "--output", metavar="FILE", help="Write the JSON here (default: standard output).")
@as_option
@store_db_option
def decisions_show(decision_id: int, output: str | None, as_email: str, db: str | None) -> None:
    """A stored decision as Decision JSON (`qa-engine schema`-style), e.g. for `decisions sign`."""
    from qa_engine.cli.base import _write
    from qa_engine.services.workflow import service as wf
    from qa_engine.store import workflow as dbm

    with _open_existing_store(db) as store:
        user = _person(store, as_email)
        d = wf.decision_for(store, user, decision_id)
        model = wf.as_model(store, d, dbm.people(store))
    _write(output, model.model_dump_json(indent=2) + "\n")
