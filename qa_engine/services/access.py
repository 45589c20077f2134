"""Who may see and do what: the one place that decides (DESIGN.md Part 2, "Roles and
who sees what"). Every CLI command and web route acting for a signed-in person asks
here, per object.

- provider: its own organisation's cases only; another organisation's case is a
  :class:`NotFoundError`, exactly as if it did not exist;
- coordinator: every case; screens them (and, with the workflow, forms panels, decides);
- reviewer: only the cases whose panel they sit on, once they have declared no
  conflict of interest (read from the review workflow's panels);
- auditor: reads everything, changes nothing;
- admin: accounts and organisations; not the cases' content.

Two answers for "no": :class:`NotFoundError` when the person may not even know the
object exists, :class:`PermissionDeniedError` when they may see it (or the kind of
page) but not do this.
"""

from __future__ import annotations

from dataclasses import replace

from qa_engine.errors import ConflictError, NotFoundError, PermissionDeniedError
from qa_engine.formats.lifecycle import transition
from qa_engine.store import Store
from qa_engine.store.accounts import User
from qa_engine.store.cases import Case, CaseFilter
from qa_engine.store.workflow import cases_of_reviewer

#: Capabilities that do not concern one case, and the roles that have them.
PERMISSIONS: dict[str, frozenset[str]] = {
    "cases.list": frozenset({"provider", "coordinator", "reviewer", "auditor"}),
    "cases.create": frozenset({"provider"}),
    "cases.queue": frozenset({"coordinator", "auditor"}),
    "dashboard": frozenset({"coordinator", "auditor"}),
    "audit.verify": frozenset({"auditor", "coordinator", "admin"}),
    "rulesets.read": frozenset({"provider", "coordinator", "reviewer", "auditor", "admin"}),
    "users.manage": frozenset({"admin"}),
    "orgs.manage": frozenset({"admin"}),
    "users.read": frozenset({"admin", "coordinator", "auditor"}),
    # publication (services/publication.py): the coordinator publishes, revokes, suspends
    "decisions.publish": frozenset({"coordinator"}),
    "publication.read": frozenset({"coordinator", "auditor"}),
}

#: Roles that see every case.
SEE_ALL = frozenset({"coordinator", "auditor"})
#: What a provider may do to its own case besides life-cycle actions.
PROVIDER_EDITS = frozenset({"version", "evidence.add", "evidence.remove"})
#: States in which a provider may upload a new version or change evidence.
EDITABLE_STATES = frozenset({"draft", "amendment"})


def reviewer_cases(store: Store, user: User) -> frozenset[int]:
    """The cases a reviewer may read: their panels', after declaring no conflict."""
    return cases_of_reviewer(store, user.id)


def require(user: User, permission: str) -> None:
    """Refuse (403) what the user's role may not do at all."""
    if user.role not in PERMISSIONS[permission]:
        raise PermissionDeniedError(f"a {user.role} may not do this ({permission})",
                                    hint="sign in with an account that has the right role")


def allowed(user: User, permission: str) -> bool:
    return user.role in PERMISSIONS[permission]


def case_filter(store: Store, user: User, *, state: str | None = None, ruleset: str | None = None,
                decision: str | None = None, provider: str | None = None) -> CaseFilter:
    """The filter of the cases the user may list, narrowed by the queue's filters."""
    require(user, "cases.list")
    f = CaseFilter(state=state or None, ruleset=ruleset or None, decision=decision or None,
                   provider=provider or None)
    if user.role == "provider":
        return replace(f, organisation_id=user.organisation_id)
    if user.role == "reviewer":
        return replace(f, ids=reviewer_cases(store, user))
    return f


def _not_found(case_id: int) -> NotFoundError:
    return NotFoundError(f"there is no submission {case_id}", hint="see the submissions you may open under Submissions (/submissions; GET /api/v1/submissions)")


def can_view(store: Store, user: User, case: Case) -> bool:
    if user.role in SEE_ALL:
        return True
    if user.role == "provider":
        return user.organisation_id is not None and case.organisation_id == user.organisation_id
    if user.role == "reviewer":
        return case.id in reviewer_cases(store, user)
    return False


def check_view(store: Store, user: User, case: Case) -> None:
    """Raise NotFound for a case the user may not know of (403 for an admin, who may
    know cases exist but not read them)."""
    if can_view(store, user, case):
        return
    if user.role == "admin":
        raise PermissionDeniedError("an admin manages accounts and organisations, not submissions",
                                    hint="sign in as a coordinator or an auditor to read submissions")
    raise _not_found(case.id)


def check_edit(store: Store, user: User, case: Case, what: str) -> None:
    """A provider's change to its own case (a new version, evidence) in a state that allows it."""
    check_view(store, user, case)
    if user.role != "provider" or what not in PROVIDER_EDITS:
        raise PermissionDeniedError(f"a {user.role} may not change a provider's dossier",
                                    hint="only the provider's own members upload versions and evidence")
    if case.state not in EDITABLE_STATES:
        raise ConflictError(f"submission {case.id} is {case.state}; its dossier can be changed only as a "
                            "draft or while an amendment is asked for",
                            hint="withdraw it and start a new draft, or wait for the panel's conditions")


def check_action(store: Store, user: User, case: Case, action: str) -> None:
    """A life-cycle action (formats.lifecycle): the role must be allowed to take it
    (403) and the case's state must allow it (409)."""
    check_view(store, user, case)
    t = transition(action, case.state)
    roles = {r for tr in _transitions_named(action) for r in tr}
    if user.role not in roles:
        raise PermissionDeniedError(f"a {user.role} may not {action.replace('_', ' ')} a submission")
    if t is None or user.role not in t.roles:
        raise ConflictError(f"submission {case.id} is {case.state}: it cannot be {_past(action)} now",
                            hint=_hint(case.state))


def _transitions_named(action: str) -> list[tuple[str, ...]]:
    from qa_engine.formats.lifecycle import TRANSITIONS

    return [t.roles for t in TRANSITIONS if t.action == action]


def _past(action: str) -> str:
    return {"submit": "submitted", "withdraw": "withdrawn", "accept": "accepted for review",
            "return": "returned", "reopen": "reopened", "resubmit": "resubmitted"}.get(action, f"given '{action}'")


def _hint(state: str) -> str:
    from qa_engine.formats.lifecycle import TRANSITIONS

    ok = sorted({t.action for t in TRANSITIONS if t.source == state})
    return f"from {state} the next steps are: {', '.join(ok)}" if ok else f"{state} is final"
