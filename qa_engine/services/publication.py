"""Publication of stored decisions (DESIGN.md Part 2, "Trust and publication").

A coordinator publishes a decision the review workflow stored: its
:class:`~qa_engine.formats.decision.Decision` model (``as_model``) is signed into the
same decision credential as ``qa-engine decisions sign FILE`` issues
(:func:`qa_engine.services.trust.sign_decision`: a place in the status lists, the
issuer's copy in the status directory), the credential and the model it was signed
from are kept with the decision, and the case moves ``decided -> published`` — the
credential row and the move in one transaction under one ``case.publish`` audit entry.
Revoking, suspending and reinstating a published decision re-sign the status list and
move the case (``published -> revoked | suspended``, ``suspended -> published``).

The public face reads only published decisions: the register (its entries built by
:func:`qa_engine.services.register.entry_of`, the same as the static site's), one
decision with its credential, the issuer's DID document and status lists, and the
DEQAR / ELM / CTDL exports, validated before they are handed out.

Where the keys live: a key directory and a status directory on the server
(``qa-engine serve --keys DIR --status-dir DIR``, default ``$QA_ENGINE_KEYS`` /
``$QA_ENGINE_STATUS``), never the store; the agency profile for exports likewise
(``--agency FILE``, default ``$QA_ENGINE_AGENCY``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from qa_engine.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    TrustError,
)
from qa_engine.formats.decision import Decision
from qa_engine.formats.lifecycle import transition
from qa_engine.render.register import RegisterEntry
from qa_engine.signing.credentials import decision_credential_id
from qa_engine.signing.keys import KeyRing, load_signer, trusted_from
from qa_engine.signing.proof import jcs
from qa_engine.signing.statuslist import PURPOSES, StatusLists
from qa_engine.store import Store
from qa_engine.store import cases as cdb
from qa_engine.store import publication as pdb
from qa_engine.store import workflow as wdb
from qa_engine.store.cases import Move, StaleStateError
from qa_engine.store.models import AUDIT_HEAD

ENV_AGENCY = "QA_ENGINE_AGENCY"
STATUS_ACTIONS = ("suspend", "reinstate", "revoke")  # the mildest first (the form's default)


class Actor(Protocol):
    """Who acts (a workspace account)."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Setup:
    """Where the issuer's files live: the key directory, the status directory and the
    agency profile (None: the environment's, else the defaults of the CLI)."""

    keys_dir: str | None = None
    status_dir: str | None = None
    agency: str | None = None

    def agency_profile(self) -> str | None:
        return self.agency or os.environ.get(ENV_AGENCY) or None


def _require_coordinator(user: Actor, what: str) -> None:
    if user.role != "coordinator":
        raise PermissionDeniedError(f"a {user.role} may not {what}", hint="this is for coordinators")


def _audit_head(store: Store) -> str | None:
    r = store.read(lambda c: c.execute(select(AUDIT_HEAD.c.last_hash)).first())
    return str(r[0]) if r is not None else None


@dataclass(frozen=True)
class Published:
    """A published decision: the stored credential and the case's state now."""

    credential: pdb.CredentialRow
    case_state: str

    def to_dict(self) -> dict[str, Any]:
        c = self.credential
        return {"decision_id": c.decision_id, "submission": c.case_id, "state": self.case_state,
                "credential_id": c.credential_id, "credential_sha256": c.credential_sha256,
                "status_index": c.status_index, "published_at": c.published_at.isoformat(),
                "permalink": c.credential_id}


def publish(store: Store, user: Actor, decision_id: int, *, setup: Setup = Setup(),
            created: str | None = None) -> Published:
    """Sign a stored, decided decision and publish it (coordinator). Only the case's
    latest decision, while the case is ``decided``, and only once."""
    _require_coordinator(user, "publish decisions")
    d = wdb.get_decision(store, decision_id)
    if d is None:
        raise NotFoundError(f"there is no decision {decision_id}", hint="check the number (qa-engine due)")
    if pdb.credential_of(store, decision_id) is not None:
        raise ConflictError(f"decision {decision_id} is published already",
                            hint=f"see its permalink; revoke or suspend it with qa-engine decisions revoke {decision_id}")
    state = wdb.case_state(store, d.case_id)
    latest = max(x.id for x in wdb.decisions(store, case_id=d.case_id))
    if latest != d.id:
        raise ConflictError(f"decision {decision_id} is not submission {d.case_id}'s latest decision ({latest})",
                            hint=f"publish decision {latest}")
    if state != "decided" or transition("publish", state) is None:
        raise ConflictError(f"submission {d.case_id} is {str(state).replace('_', ' ')}, not decided",
                            hint="only a decided submission's decision can be published")
    signer = load_signer(setup.keys_dir)
    lists = StatusLists(setup.status_dir)
    if signer.base_url:
        cid = decision_credential_id(signer.base_url, d.id)
        known = lists.known().get(cid)
        issued = lists.path / "issued" / f"{d.id}.json"
        if issued.exists() or (known is not None and (known.get("revocation") or known.get("suspension"))):
            raise TrustError(
                f"{cid} was issued already from a decision file (qa-engine decisions sign), not from this store",
                hint="use a status directory of the store's own for the server",
            )
    model = wdb_model(store, d).model_copy(update={"audit_head": _audit_head(store)})
    from qa_engine.services.trust import sign_decision

    vc = sign_decision(model, keys_dir=setup.keys_dir, status_dir=setup.status_dir, created=created)
    digest = hashlib.sha256(jcs(vc)).hexdigest()
    index = int(vc["credentialStatus"][0]["statusListIndex"])
    values = {
        "decision_id": d.id, "case_id": d.case_id, "credential_id": str(vc["id"]),
        "credential_json": json.dumps(vc, sort_keys=True, ensure_ascii=False),
        "credential_sha256": digest, "decision_json": model.model_dump_json(),
        "status_index": index, "verification_method": str(vc["proof"]["verificationMethod"]),
        "published_by": user.id,
    }
    move = Move("publish", "decided", "published", payload={
        "decision_id": d.id, "credential_id": vc["id"], "credential_sha256": digest, "status_index": index,
        "verification_method": vc["proof"]["verificationMethod"], "valid_until": model.valid_until.isoformat(),
    })
    try:
        cdb.move(store, d.case_id, move, actor_id=user.id, actor=user.email,
                 extra=lambda conn, at: [pdb.insert_credential(conn, {**values, "published_at": at})])
    except StaleStateError as exc:
        (lists.path / "issued" / f"{d.id}.json").unlink(missing_ok=True)
        raise ConflictError(f"submission {d.case_id} changed meanwhile (it is now {exc.state})",
                            hint="reload it and try again") from None
    except BaseException:
        (lists.path / "issued" / f"{d.id}.json").unlink(missing_ok=True)
        raise
    row = pdb.credential_of(store, d.id)
    assert row is not None
    return Published(row, "published")


def wdb_model(store: Store, d: wdb.DecisionRow) -> Decision:
    from qa_engine.services.workflow.service import as_model

    return as_model(store, d, wdb.people(store))


def set_status(store: Store, user: Actor, decision_id: int, action: str, *, reason: str,
               setup: Setup = Setup()) -> Published:
    """Revoke (final), suspend or reinstate a published decision (coordinator): the
    status list is re-signed and the case moves as the life cycle says."""
    _require_coordinator(user, f"{action} decisions")
    if action not in STATUS_ACTIONS:
        raise InputError(f"unknown action {action!r}", path="action", hint=f"use one of {', '.join(STATUS_ACTIONS)}")
    d = wdb.get_decision(store, decision_id)
    if d is None:
        raise NotFoundError(f"there is no decision {decision_id}", hint="check the number")
    row = pdb.credential_of(store, decision_id)
    if row is None:
        raise ConflictError(f"decision {decision_id} is not published", hint="publish it first")
    state = wdb.case_state(store, d.case_id) or "?"
    t = transition(action, state)
    if t is None:
        done = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}[action]
        raise ConflictError(f"submission {d.case_id} is {state.replace('_', ' ')}: its decision cannot be {done}",
                            hint="see the submission's history")
    if not reason.strip():
        raise TrustError(f"{action} needs a reason", path="reason", hint="say why: the history keeps it")
    from qa_engine.services.trust import set_decision_status

    status = set_decision_status(row.credential_id, action, reason=reason, by=user.email,
                                 keys_dir=setup.keys_dir, status_dir=setup.status_dir)
    purpose = "revocation" if action == "revoke" else "suspension"
    listed = StatusLists(setup.status_dir).path / f"{purpose}.json"
    try:
        cdb.move(store, d.case_id, Move(action, state, t.target, reason.strip(), payload={
            "decision_id": d.id, "credential_id": row.credential_id, "status_index": status["index"],
            "purpose": purpose, "status_list_sha256": hashlib.sha256(listed.read_bytes()).hexdigest(),
        }), actor_id=user.id, actor=user.email)
    except StaleStateError as exc:
        raise ConflictError(f"submission {d.case_id} changed meanwhile (it is now {exc.state})",
                            hint="reload it and try again") from None
    return Published(row, t.target)


# --------------------------------------------------------------------------- the public face


@dataclass(frozen=True)
class Register:
    """The register as a page or feed shows it."""

    entries: list[RegisterEntry]
    base_url: str
    title: str
    issuer: str
    generated: _dt.datetime


def _ring(setup: Setup) -> KeyRing | None:
    ring = KeyRing(setup.keys_dir)
    return ring if ring.exists() else None


def register(store: Store, *, setup: Setup = Setup(), now: _dt.datetime | None = None) -> Register:
    """Every decision published from the store, verified, in its state at ``now``."""
    from qa_engine.services.register import register_entries

    moment = now or _dt.datetime.now(_dt.UTC)
    ring = _ring(setup)
    rows = pdb.credentials(store)
    if ring is None:
        if rows:
            raise TrustError("the server's key directory is missing; its published decisions cannot be checked",
                             hint="start it with --keys DIR (or $QA_ENGINE_KEYS)")
        return Register([], "", "Register: accreditation decisions", "(no issuer keys configured)", moment)
    entries, _public = register_entries(keys_dir=setup.keys_dir, status_dir=setup.status_dir, now=moment,
                                        credentials=[r.credential for r in rows], issued=False)
    title = (ring.issuer_name() or "Register") + ": accreditation decisions"
    return Register(entries, ring.base_url() or "", title, ring.issuer(), moment)


@dataclass(frozen=True)
class PublicDecision:
    entry: RegisterEntry
    decision: dict[str, Any]
    register: Register

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        return {"id": e.decision_id, "permalink": e.credential_id, "state": e.state, "state_label": e.state_label,
                "state_detail": e.state_detail, "outcome": e.outcome, "outcome_label": e.outcome_label,
                "provider": {"name": e.provider, "slug": e.provider_slug}, "programme": e.programme,
                "ruleset": e.ruleset, "valid_from": e.valid_from, "valid_until": e.valid_until,
                "decision": self.decision, "credential": e.credential}


def public_decision(store: Store, decision_id: int, *, setup: Setup = Setup(),
                    now: _dt.datetime | None = None) -> PublicDecision:
    """A published decision with its credential and state; 404 for anything else
    (unpublished decisions do not exist for the public)."""
    row = pdb.credential_of(store, decision_id)
    if row is None:
        raise NotFoundError(f"there is no published decision {decision_id}", hint="see the register")
    from qa_engine.services.register import entry_of, status_documents

    ring = _ring(setup)
    if ring is None:
        raise TrustError("the server's key directory is missing", hint="start it with --keys DIR")
    reg = Register([], ring.base_url() or "", (ring.issuer_name() or "Register") + ": accreditation decisions",
                   ring.issuer(), now or _dt.datetime.now(_dt.UTC))
    entry = entry_of(row.credential, trusted=trusted_from(ring.did_document(), "the issuer's key ring"),
                     status_docs=status_documents(setup.status_dir), now=reg.generated,
                     where=f"the stored credential of decision {decision_id}")
    return PublicDecision(entry, row.decision, reg)


def did_document(setup: Setup = Setup()) -> dict[str, Any]:
    """The issuer's DID document (what ``/.well-known/did.json`` serves)."""
    ring = _ring(setup)
    if ring is None:
        raise NotFoundError("this server has no issuer keys", hint="start it with --keys DIR")
    return ring.did_document()


def status_list(purpose: str, setup: Setup = Setup()) -> dict[str, Any]:
    """A signed status list credential, as the credentials' ``statusListCredential`` names it."""
    from qa_engine.signing.verify import load_json

    path = StatusLists(setup.status_dir).path / f"{purpose}.json"
    if purpose not in PURPOSES or not path.is_file():
        raise NotFoundError(f"there is no status list {purpose!r}", hint=f"the lists are: {', '.join(PURPOSES)}")
    doc = load_json(str(path), "the status list")
    if not isinstance(doc, dict):
        raise TrustError(f"{path}: not a status list credential")
    return doc


def export(store: Store, decision_id: int, kind: str, *, setup: Setup = Setup(),
           today: _dt.date | None = None) -> dict[str, Any]:
    """A published decision as DEQAR / ELM / CTDL, from the decision as signed and the
    dossier as stored, validated against the receiver's rules first."""
    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.trust import EXPORTS, export_decision

    if kind not in EXPORTS:
        raise NotFoundError(f"there is no export {kind!r}", hint=f"the exports are: {', '.join(EXPORTS)}")
    row = pdb.credential_of(store, decision_id)
    if row is None:
        raise NotFoundError(f"there is no published decision {decision_id}", hint="see the register")
    profile = setup.agency_profile()
    if profile is None:
        raise NotFoundError("this server has no agency profile, so it makes no exports",
                            hint="start it with --agency FILE (or $QA_ENGINE_AGENCY)")
    decision = Decision.model_validate(row.decision)
    d = wdb.get_decision(store, decision_id)
    assert d is not None
    dossier = load_dossier("stored-dossier.json", text=wdb.dossier_json_of(store, d.evaluation_id))
    return export_decision(kind, decision, dossier=dossier, profile_path=profile, today=today)


# --------------------------------------------------------------------------- the coordinator's list


@dataclass(frozen=True)
class Candidate:
    """A decision as the coordinator's publication page lists it."""

    decision_id: int
    case_id: int
    programme: str
    provider: str
    outcome: str
    valid_from: str
    valid_until: str
    case_state: str
    published: bool
    latest: bool

    @property
    def actions(self) -> list[str]:
        if not self.latest:
            return []
        if not self.published:
            return ["publish"] if self.case_state == "decided" else []
        return [a for a in STATUS_ACTIONS if transition(a, self.case_state) is not None]

    def to_dict(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "submission": self.case_id, "programme": self.programme,
                "provider": self.provider, "outcome": self.outcome, "valid_from": self.valid_from,
                "valid_until": self.valid_until, "state": self.case_state, "published": self.published,
                "actions": self.actions}


def candidates(store: Store, user: Actor) -> list[Candidate]:
    """Every stored decision with what may be done to it (coordinators and auditors)."""
    if user.role not in ("coordinator", "auditor"):
        raise PermissionDeniedError(f"a {user.role} may not see the publication list",
                                    hint="this is for coordinators and auditors")
    rows = wdb.decisions(store)
    latest: dict[int, int] = {}
    for r in rows:
        latest[r.case_id] = max(latest.get(r.case_id, 0), r.id)
    published = {c.decision_id for c in pdb.credentials(store)}
    out = []
    for r in reversed(rows):
        org = wdb.case_provider(store, r.case_id)
        out.append(Candidate(
            decision_id=r.id, case_id=r.case_id, programme=wdb.case_title(store, r.case_id) or f"submission {r.case_id}",
            provider=str(org["name"]), outcome=r.outcome, valid_from=r.valid_from.isoformat(),
            valid_until=r.valid_until.isoformat(), case_state=wdb.case_state(store, r.case_id) or "?",
            published=r.id in published, latest=latest[r.case_id] == r.id,
        ))
    return out


__all__ = [
    "Candidate", "PublicDecision", "Published", "Register", "STATUS_ACTIONS", "Setup", "candidates",
    "did_document", "export", "public_decision", "publish", "register", "set_status", "status_list",
]
