"""E-mail notifications of the review workflow: assignment to a panel, a decision,
conditions coming due. Sent after the change they announce is committed (a mail that
fails never undoes it); the texts name what happened and what to do next, and carry
no dossier text beyond the programme's title (one line, control characters escaped)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from qa_engine.mail import MailConfig, Message, send
from qa_engine.services.workflow.logic import DueItem
from qa_engine.store import Store
from qa_engine.store import workflow as db
from qa_engine.textsafe import safe_line

_OUTCOME_WORDS = {
    "accredited": "accredited",
    "accredited_with_conditions": "accredited with conditions",
    "not_accredited": "not accredited",
}


def _title(store: Store, case_id: int) -> str:
    return safe_line(db.case_title(store, case_id) or f"submission {case_id}")


def assignment_messages(store: Store, panel: db.PanelRow) -> list[Message]:
    people = db.people(store, [m.user_id for m in panel.members])
    title = _title(store, panel.case_id)
    out = []
    for m in panel.members:
        p = people[m.user_id]
        role = "chair" if m.role == "chair" else "a member"
        out.append(Message(
            to=(p.email,),
            subject=f"Review panel {panel.id}: {title}",
            body=(f"Dear {safe_line(p.name)},\n\nyou are {role} of review panel {panel.id} for \"{title}\" "
                  f"(submission {panel.case_id}, version {panel.version}, policy {panel.policy_ref}).\n\n"
                  "Before you see the submission, declare whether you have a conflict of interest with the "
                  f"provider:\n\n    qa-engine panel declare {panel.id} --no-conflict --as {p.email}\n"
                  f"    qa-engine panel declare {panel.id} --conflict NOTE --as {p.email}\n\n"
                  "A declared conflict removes you from the panel.\n"),
        ))
    return out


def decision_messages(store: Store, decision: db.DecisionRow) -> list[Message]:
    to = tuple(sorted(db.provider_emails(store, decision.case_id)))
    if not to:
        return []
    title = _title(store, decision.case_id)
    lines = [f"The decision on \"{title}\" (submission {decision.case_id}, version {decision.version}) is: "
             f"{_OUTCOME_WORDS.get(decision.outcome, decision.outcome)}.",
             f"Valid from {decision.valid_from} until {decision.valid_until}.", ""]
    if decision.conditions:
        lines.append("Conditions (answer them with an amended dossier: qa-engine amend "
                     f"{decision.id} DOSSIER):")
        for c in decision.conditions:
            lines.append(f"  {c.label} ({', '.join(c.criteria)}), due {c.due}: {safe_line(c.text)}")
        lines.append("")
    lines.append(f"Rationale: {safe_line(decision.rationale)}")
    return [Message(to=to, subject=f"Decision {decision.id}: {title}", body="\n".join(lines) + "\n")]


def due_messages(store: Store, items: Sequence[DueItem], today: _dt.date) -> list[Message]:
    """One message per decision with something due, to its provider's accounts."""
    by_decision: dict[int, list[DueItem]] = {}
    for i in items:
        by_decision.setdefault(i.decision, []).append(i)
    out = []
    for did, its in sorted(by_decision.items()):
        d = db.get_decision(store, did)
        if d is None:
            continue
        to = tuple(sorted(db.provider_emails(store, d.case_id)))
        if not to:
            continue
        title = _title(store, d.case_id)
        lines = [f"Coming due for \"{title}\" (decision {did}), as of {today}:"]
        for i in its:
            what = f"condition {i.condition}" if i.kind == "condition" else "re-review (validity ends)"
            lines.append(f"  {i.due}  {what}: {i.state} - {safe_line(i.text)}")
        out.append(Message(to=to, subject=f"Due: {title} (decision {did})", body="\n".join(lines) + "\n"))
    return out


def deliver(config: MailConfig | None, messages: Sequence[Message]) -> int:
    """Send the messages; without a configuration, nothing (returns 0)."""
    if config is None:
        return 0
    return send(config, messages)


__all__ = ["assignment_messages", "decision_messages", "deliver", "due_messages"]
