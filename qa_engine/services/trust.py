"""Use cases of trust and publication: sign a decision, seal a self-check, verify a
credential, revoke or suspend a decision (DESIGN.md Part 2, "Trust and publication").

Until the review workflow stores decisions, a decision comes as a JSON file of
:class:`qa_engine.formats.decision.Decision`; :func:`sign_decision` and
:func:`set_decision_status` take the model, so the workflow's store can call them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qa_engine.errors import TrustError
from qa_engine.formats.decision import Decision
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.report import Report
from qa_engine.signing.credentials import (
    decision_credential,
    decision_credential_id,
    receipt_credential,
)
from qa_engine.signing.keys import load_signer, load_trusted
from qa_engine.signing.proof import jcs
from qa_engine.signing.statuslist import StatusLists
from qa_engine.signing.verify import Verification, fetch_json, load_json, verify_credential


def load_decision(path: str | Path) -> Decision:
    """A decision JSON file; one clear error naming the field when it is not one."""
    data = load_json(str(path), "the decision")
    try:
        return Decision.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise TrustError(f"not a decision: {err['msg']}", file=str(path), path=where) from exc


def _audit(db: str | None, action: str, subject: str, payload: dict[str, Any]) -> None:
    """The change in the store's audit chain, when a store is named."""
    if db is None:
        return
    from qa_engine.store import open_store

    with open_store(db) as store:
        store.record_event(action, subject, payload)


def sign_decision(
    decision: Decision, *, keys_dir: str | None = None, status_dir: str | None = None, created: str | None = None,
    db: str | None = None,
) -> dict[str, Any]:
    """The signed decision credential, with its place in the status lists (allocated
    the first time, the lists signed and written when they do not exist yet)."""
    signer = load_signer(keys_dir)
    if not signer.base_url:
        raise TrustError(
            "a decision credential needs the register's address (its id and status lists live there)",
            hint="create the keys with --base-url, or set $QA_ENGINE_BASE_URL",
        )
    lists = StatusLists(status_dir)
    index = lists.allocate(decision_credential_id(signer.base_url, decision.id))
    if not all((lists.path / f"{p}.json").exists() for p in ("revocation", "suspension")):
        lists.publish(signer)
    vc = decision_credential(decision, signer, index, created=created)
    lists.record_issued(decision.id, vc)
    _audit(db, "decision.credential.issue", f"decision:{decision.id}", {
        "credential_id": vc["id"], "status_index": index, "verification_method": signer.verification_method,
        "outcome": decision.outcome, "valid_until": decision.valid_until.isoformat(),
        "credential_sha256": hashlib.sha256(jcs(vc)).hexdigest(),
    })
    return vc


def set_decision_status(
    credential_id: str, action: str, *, reason: str, by: str,
    keys_dir: str | None = None, status_dir: str | None = None, db: str | None = None,
) -> dict[str, Any]:
    """revoke | suspend | reinstate one decision credential; re-signs the status list
    and, with a store, records the change in its audit chain."""
    purpose, value = {"revoke": ("revocation", True), "suspend": ("suspension", True), "reinstate": ("suspension", False)}[action]
    if not reason.strip():
        raise TrustError(f"{action} needs a reason", hint="pass --reason TEXT")
    signer = load_signer(keys_dir)
    lists = StatusLists(status_dir)
    state = lists.set(credential_id, purpose, value, signer, reason=reason, by=by)
    _audit(db, f"decision.status.{action}", credential_id, {
        "status_index": state["index"], "purpose": purpose, "set": value, "reason": reason, "by": by,
        "status_list_sha256": hashlib.sha256((lists.path / f"{purpose}.json").read_bytes()).hexdigest(),
    })
    return state


def resolve_credential_id(ref: str, *, keys_dir: str | None = None) -> str:
    """A decision id (number), a credential id (URL) or a credential file, as its id."""
    if ref.isdigit():
        base = load_signer(keys_dir).base_url
        if not base:
            raise TrustError("a decision number needs the register's address", hint="create the keys with --base-url")
        return decision_credential_id(base, int(ref))
    if Path(ref).is_file():
        doc = load_json(ref)
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            raise TrustError(f"{ref}: the credential has no id")
        return str(doc["id"])
    return ref


def seal_receipt(report: Report, report_json: str, *, keys_dir: str | None = None) -> dict[str, Any]:
    return receipt_credential(report, report_json, load_signer(keys_dir))


def verify_file(
    path: str, *, key: str | None = None, status_lists: tuple[str, ...] = (), at: _dt.datetime | None = None
) -> Verification:
    doc = load_json(path)
    trusted = load_trusted(key) if key else None
    lists = [fetch_json(s) if s.startswith(("http://", "https://")) else load_json(s, "the status list") for s in status_lists]
    return verify_credential(doc, trusted=trusted, status_lists=lists, now=at)


def dump(doc: Any) -> str:
    """JSON for a file or the terminal: DEL, C1 and line separators as \\u escapes
    (the same JSON value, so a signature over it still holds)."""
    from qa_engine.textsafe import safe_json

    return safe_json(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


# -- exports --------------------------------------------------------------------

EXPORTS = ("deqar", "elm", "ctdl")


def load_profile(path: str | Path) -> Any:
    """The agency profile (YAML or JSON), validated."""
    import yaml

    from qa_engine.exporters.profile import AgencyProfile

    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise TrustError(f"{path}: no such agency profile") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TrustError(f"{path}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise TrustError(
            f"the agency profile is not YAML: {getattr(exc, 'problem', exc)}", file=str(path),
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
        ) from exc
    try:
        return AgencyProfile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise TrustError(f"not an agency profile: {err['msg']}", file=str(path), path=where) from exc


def export_decision(
    kind: str, decision: Decision, *, dossier_path: str | Path | None = None, profile_path: str | Path,
    today: _dt.date | None = None, dossier: Dossier | None = None,
) -> dict[str, Any]:
    """The export, validated against the receiver's rules; the dossier (a file, or the
    model as stored) must be the very version decided on (same id and sha256)."""
    from qa_engine.exporters import ctdl, deqar, elm
    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.check import dossier_sha256

    if kind not in EXPORTS:
        raise TrustError(f"unknown export {kind!r}", hint=f"choose one of {', '.join(EXPORTS)}")
    profile = load_profile(profile_path)
    if dossier is None:
        if dossier_path is None:
            raise TrustError("an export needs the dossier decided on", hint="pass --dossier FILE")
        dossier = load_dossier(dossier_path)
    digest = dossier_sha256(dossier)
    if dossier.id != decision.programme.dossier_id or digest != decision.programme.dossier_sha256:
        raise TrustError(
            f"the dossier is not the version decided on (decision: {decision.programme.dossier_id} "
            f"sha256 {decision.programme.dossier_sha256[:12]}…, file: {dossier.id} sha256 {digest[:12]}…)",
            file=str(dossier_path or "the stored dossier"), hint="give the dossier exactly as submitted for the decision",
        )
    if kind == "deqar":
        doc = deqar.build(decision, dossier, profile)
        deqar.validate(doc, profile)
    elif kind == "elm":
        doc = elm.build(decision, dossier, profile)
        elm.validate(doc, decision)
    else:
        doc = ctdl.build(decision, profile, today_iso=(today or _dt.date.today()).isoformat())
        ctdl.validate(doc, decision)
    return doc
