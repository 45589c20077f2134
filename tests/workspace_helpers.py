"""A populated workspace for tests: organisations, one account per role, cases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
#: bootcamp-web-dev with its one unassessed outcome (LO4) assessed by A2: meets ST-AS-01
#: (`make demo`'s amendment; tests/test_submissions_cli.py checks nothing else differs)
AMENDED = ROOT / "examples" / "amendments" / "bootcamp-web-dev-amended.yaml"
PASSWORD = "correct horse battery staple"


@dataclass
class Workspace:
    store: Any
    users: dict[str, Any]  # provider, provider2, coordinator, reviewer, auditor, admin


def people(store: Any) -> Workspace:
    """Two provider organisations and the body; one account per role (two providers)."""
    from qa_engine.services import accounts

    accounts.add_organisation(store, "open-campus", "Open Campus", country="DE", actor="test")
    accounts.add_organisation(store, "north-academy", "North Academy", actor="test")
    accounts.add_organisation(store, "the-body", "The Accrediting Body", kind="body", actor="test")
    spec = {
        "provider": ("pia@open-campus.example", "provider", "open-campus"),
        "provider2": ("nils@north-academy.example", "provider", "north-academy"),
        "coordinator": ("cora@body.example", "coordinator", "the-body"),
        "reviewer": ("rey@body.example", "reviewer", None),
        "auditor": ("aud@body.example", "auditor", None),
        "admin": ("adm@body.example", "admin", None),
    }
    users = {
        key: accounts.add_user(store, email, role=role, org=org, password=PASSWORD, actor="test")
        for key, (email, role, org) in spec.items()
    }
    return Workspace(store, users)


def upload(name: str = "mooc-intro-ai") -> tuple[bytes, str]:
    path = EXAMPLES / f"{name}.yaml"
    return path.read_bytes(), path.name
