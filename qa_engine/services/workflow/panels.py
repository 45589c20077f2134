"""What the web workspace's panel pages ask beyond :mod:`~qa_engine.services.workflow.service`:
which panel of a submission a person sees, whether they may open a panel page of it at
all, whom a coordinator may pick, and a reviewer's own panels ("My reviews").

Who sees what (DESIGN.md Part 2, "Roles and who sees what"):

- a reviewer on a submission's panel who has not declared yet sees that the panel
  exists and the declaration form (the provider's and the programme's names, to judge a
  conflict by), nothing of the submission; one who declared a conflict, or who sits on
  no panel of it, is told the submission does not exist (404);
- the coordinator and the auditor see every panel, every review and the consolidation;
- the provider sees the submission but none of the panel's work (403): what the panel
  concluded reaches the provider as the decision, with its per-criterion final states
  and rationale, not as reviewers' individual judgments;
- an admin manages accounts, not submissions (403, as everywhere).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from qa_engine.errors import NotFoundError, PermissionDeniedError
from qa_engine.services import access
from qa_engine.services.workflow.service import NotVisibleError
from qa_engine.store import Store
from qa_engine.store import cases as cases_db
from qa_engine.store import workflow as db
from qa_engine.store.accounts import User
from qa_engine.store.cases import Case

_WHAT = {
    "provider": "a provider does not see the review panel's work; the decision will say what it concluded",
    "reviewer": "this is for the panel's coordinator and auditors",
    "coordinator": "this is for the panel's reviewers",
    "auditor": "an auditor reads the panel's work but changes nothing",
}


def _seated_on(store: Store, user: User, case_id: int) -> list[db.PanelRow]:
    """The panels of the case ``user`` sits on and has not declared a conflict on."""
    out = []
    for p in db.panels_of_member(store, user.id):
        m = p.member(user.id)
        if p.case_id == case_id and m is not None and m.conflict != "declared":
            out.append(p)
    return out


def case_for_panel(store: Store, user: User, case_id: int, roles: Collection[str]) -> Case:
    """The case, if ``user`` may open its panel pages at all (404: they may not know of
    it; 403: they may, but this page or action is not for their role)."""
    case = cases_db.get_case(store, case_id)
    if case is None:
        raise NotFoundError(f"there is no submission {case_id}", hint="list yours with GET /api/v1/submissions")
    if user.role == "reviewer":
        if not _seated_on(store, user, case_id):
            raise NotFoundError(f"there is no submission {case_id}", hint="see your reviews at /reviews")
    else:
        access.check_view(store, user, case)
    if user.role not in roles:
        raise PermissionDeniedError(_WHAT.get(user.role, f"a {user.role} may not do this"),
                                    hint=f"this is for: {', '.join(sorted(roles))}")
    return case


def current_panel(store: Store, user: User, case_id: int) -> db.PanelRow | None:
    """The panel of the case that ``user`` sees: the newest one (for a reviewer the
    newest one they sit on), None when there is none."""
    if user.role == "reviewer":
        mine = _seated_on(store, user, case_id)
        return mine[0] if mine else None
    if user.role in access.SEE_ALL:
        panels = db.panels_of_case(store, case_id)
        return panels[-1] if panels else None
    return None


def require_panel(store: Store, user: User, case_id: int) -> db.PanelRow:
    p = current_panel(store, user, case_id)
    if p is None:
        raise NotVisibleError(f"submission {case_id} has no review panel",
                              hint="a coordinator forms one on the submission's page once it is in review")
    return p


def candidates(store: Store, user: User) -> list[User]:
    """The reviewer accounts a coordinator may put on a panel (active ones)."""
    if user.role != "coordinator":
        raise PermissionDeniedError(f"a {user.role} does not form review panels", hint="this is for coordinators")
    from qa_engine.store import accounts as accounts_db

    return [u for u in accounts_db.users(store, role="reviewer", organisation_id=None) if u.active]


@dataclass(frozen=True)
class MyPanel:
    """One line of a reviewer's "My reviews"."""

    panel: db.PanelRow
    case_id: int
    title: str
    provider: str
    role: str  # chair | member
    declared: str  # pending | none
    review: str | None  # None (not started) | draft | submitted


def my_panels(store: Store, user: User) -> list[MyPanel]:
    """The panels a reviewer sits on (not those they declared a conflict on), newest first."""
    if user.role != "reviewer":
        raise PermissionDeniedError(f"a {user.role} sits on no review panel", hint="this is for reviewers")
    out = []
    for p in db.panels_of_member(store, user.id):
        m = p.member(user.id)
        if m is None or m.conflict == "declared":
            continue
        case = cases_db.get_case(store, p.case_id)
        if case is None:
            continue
        own = next((r for r in db.reviews(store, p.id) if r.user_id == user.id), None)
        out.append(MyPanel(p, case.id, case.title, case.organisation_name, "chair" if m.role == "chair" else "member",
                           m.conflict, own.state if own else None))
    return out


__all__ = ["MyPanel", "candidates", "case_for_panel", "current_panel", "my_panels", "require_panel"]
