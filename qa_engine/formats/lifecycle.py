"""Roles and the submission life cycle, as data (DESIGN.md, Part 2).

One table of transitions that the services enforce and the pages and the API show,
so that "what may happen next" is answered in one place:

```
draft ─submit→ submitted ─screen→ in_review ─decide→ decided ─publish→ published
  │                └─return→ returned         │                        │
  └─withdraw→ withdrawn                       └─(conditions)→ amendment ─resubmit→ in_review
published ─valid_until passes→ expired;  published ─revoke/suspend→ revoked / suspended
```

The workflow moves the case itself: recording a decision moves it in_review -> decided;
an amendment whose changes the review policy says force a new review moves it decided
-> amendment -> in_review (the amended version submitted); ``qa-engine expire`` moves a
decided or published case whose decision's validity ended to expired.

The store's ``submission_case.state`` column carries a CHECK constraint with the
states of the migration that created it: adding a state here needs an Alembic
revision that widens the constraint.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Who a user is; what each may do is in DESIGN.md Part 2 ("Roles and who sees what").
ROLES: tuple[str, ...] = ("provider", "coordinator", "reviewer", "auditor", "admin")

#: Every state a submission case can be in.
CASE_STATES: tuple[str, ...] = (
    "draft",
    "submitted",
    "returned",
    "withdrawn",
    "in_review",
    "decided",
    "amendment",
    "published",
    "expired",
    "revoked",
    "suspended",
)

#: States from which no action of the provider or the body leads anywhere.
FINAL_STATES: frozenset[str] = frozenset({"withdrawn", "expired", "revoked"})


@dataclass(frozen=True)
class Transition:
    """``action`` moves a case from ``source`` to ``target``; ``roles`` may do it."""

    action: str
    source: str
    target: str
    roles: tuple[str, ...]
    needs_reason: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "draft", "submitted", ("provider",)),
    Transition("withdraw", "draft", "withdrawn", ("provider",)),
    Transition("withdraw", "submitted", "withdrawn", ("provider",), needs_reason=True),
    Transition("withdraw", "in_review", "withdrawn", ("provider",), needs_reason=True),
    Transition("withdraw", "amendment", "withdrawn", ("provider",), needs_reason=True),
    Transition("accept", "submitted", "in_review", ("coordinator",)),
    Transition("return", "submitted", "returned", ("coordinator",), needs_reason=True),
    # A returned (ineligible) submission can be reworked as a new draft by its provider.
    Transition("reopen", "returned", "draft", ("provider",)),
    Transition("decide", "in_review", "decided", ("coordinator",)),
    Transition("request_amendment", "decided", "amendment", ("coordinator",)),
    Transition("resubmit", "amendment", "in_review", ("provider",)),
    Transition("publish", "decided", "published", ("coordinator",)),
    Transition("expire", "published", "expired", ("coordinator",)),
    # a decision never published lapses too when its validity ends
    Transition("expire", "decided", "expired", ("coordinator",)),
    Transition("revoke", "published", "revoked", ("coordinator",), needs_reason=True),
    Transition("revoke", "suspended", "revoked", ("coordinator",), needs_reason=True),
    Transition("suspend", "published", "suspended", ("coordinator",), needs_reason=True),
    Transition("reinstate", "suspended", "published", ("coordinator",), needs_reason=True),
)


def transition(action: str, source: str) -> Transition | None:
    """The transition ``action`` from ``source``, or None when it is not allowed there."""
    for t in TRANSITIONS:
        if t.action == action and t.source == source:
            return t
    return None


def next_actions(state: str, role: str) -> list[Transition]:
    """What ``role`` may do to a case in ``state`` (for pages and the API's ``actions``)."""
    return [t for t in TRANSITIONS if t.source == state and role in t.roles]

