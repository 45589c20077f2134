"""The public register of published decisions (DESIGN.md Part 2, "Public register").

Built from the decision credentials the issuer signed (the status directory's
``issued/``): each is verified with the issuer's own keys and its current state read
from the signed status lists, so that the register never shows a credential that does
not verify and always shows a revoked, suspended or expired decision as such.
:func:`export_register` writes the static site; a web server can serve the same pages
from :func:`register_entries` and :mod:`qa_engine.render.register`.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from qa_engine.errors import TrustError
from qa_engine.fileio import atomic_write_text
from qa_engine.render.register import RegisterEntry, render_site
from qa_engine.signing.credentials import DECISION_TYPE
from qa_engine.signing.keys import KeyRing, TrustedKeys, trusted_from
from qa_engine.signing.statuslist import StatusLists
from qa_engine.signing.verify import load_json, verify_credential

STATE_LABELS = {
    "current": "In force",
    "expired": "Expired",
    "suspended": "Suspended",
    "revoked": "Revoked",
    "not_yet_valid": "Not yet in force",
}


def _state(checks: dict[str, Any]) -> tuple[str, str]:
    rev, sus, val = checks.get("status (revocation)"), checks.get("status (suspension)"), checks["validity"]
    if rev is not None and rev.outcome == "fail":
        return "revoked", rev.detail
    if sus is not None and sus.outcome == "fail":
        return "suspended", sus.detail
    if val.outcome == "fail":
        return ("expired" if val.detail.startswith("expired") else "not_yet_valid"), val.detail
    return "current", val.detail


def status_documents(status_dir: str | None = None) -> list[dict[str, Any]]:
    """The signed status list credentials (revocation, suspension) that exist."""
    lists = StatusLists(status_dir)
    return [load_json(str(lists.path / f"{p}.json"), "the status list") for p in ("revocation", "suspension")
            if (lists.path / f"{p}.json").exists()]


def entry_of(vc: Any, *, trusted: TrustedKeys, status_docs: list[Any], now: _dt.datetime | None = None,
             where: str = "the credential") -> RegisterEntry:
    """One decision credential as a register entry: verified with the issuer's keys
    (one that does not verify is an error, never shown) and in its state now."""
    if not isinstance(vc, dict) or DECISION_TYPE not in (vc.get("type") or []):
        raise TrustError(f"{where}: not a decision credential", hint=f"its type must include {DECISION_TYPE}")
    result = verify_credential(vc, trusted=trusted, status_lists=status_docs, now=now)
    by = {c.name: c for c in result.checks}
    broken = [c for c in result.checks if c.outcome == "fail" and c.name in ("proof context", "key", "signature")]
    if broken:
        raise TrustError(f"{where}: does not verify ({broken[0].name}: {broken[0].detail})",
                         hint="re-issue it with qa-engine decisions sign")
    state, detail = _state(by)
    sub = vc["credentialSubject"]
    return RegisterEntry(
        decision_id=int(sub["decisionId"]),
        credential=vc,
        credential_id=str(vc["id"]),
        state=state,
        state_label=STATE_LABELS[state],
        state_detail=detail,
        provider=str(sub["provider"]["name"]),
        provider_slug=str(sub["provider"]["slug"]),
        programme=str(sub["programme"]["title"]),
        dossier_id=str(sub["programme"]["dossierId"]),
        outcome=str(sub["outcome"]),
        ruleset=f"{sub['ruleset']['id']}@{sub['ruleset']['version']}",
        valid_from=str(sub["validFrom"]),
        valid_until=str(sub["validUntil"]),
        decided_on=str(sub["decidedOn"]),
        subject=sub,
    )


def public_files(ring: KeyRing, status_docs: list[Any]) -> dict[str, Any]:
    """The files a relying party needs: the DID document and the status lists, by path."""
    public: dict[str, Any] = {".well-known/did.json": ring.did_document()}
    for doc in status_docs:
        public[f"status/{doc['credentialSubject']['statusPurpose']}.json"] = doc
    return public


def register_entries(
    *, keys_dir: str | None = None, status_dir: str | None = None, extra: tuple[str, ...] = (),
    now: _dt.datetime | None = None, credentials: list[dict[str, Any]] | None = None, issued: bool = True,
) -> tuple[list[RegisterEntry], dict[str, Any]]:
    """Every issued decision credential (the status directory's ``issued/`` unless
    ``issued`` is false, the ``extra`` files, the ``credentials`` given, e.g. from the
    store), verified, with its state now; and the public files that go with them
    (DID document, status lists)."""
    ring = KeyRing(keys_dir)
    trusted = trusted_from(ring.did_document(), "the issuer's key ring")
    status_docs = status_documents(status_dir)
    lists = StatusLists(status_dir)
    entries: list[RegisterEntry] = []
    seen: set[str] = set()
    sources: list[tuple[str, Any]] = [(str(p), None) for p in [*(lists.issued() if issued else []), *(Path(p) for p in extra)]]
    sources += [(f"the stored credential of decision {vc.get('credentialSubject', {}).get('decisionId', '?')}", vc)
                for vc in credentials or []]
    for where, given in sources:
        vc = given if given is not None else load_json(where)
        if isinstance(vc, dict) and vc.get("id") in seen:
            continue
        e = entry_of(vc, trusted=trusted, status_docs=status_docs, now=now, where=where)
        seen.add(e.credential_id)
        entries.append(e)
    entries.sort(key=lambda e: (e.decided_on, e.decision_id), reverse=True)
    return entries, public_files(ring, status_docs)


def export_register(
    out_dir: str | Path, *, keys_dir: str | None = None, status_dir: str | None = None,
    extra: tuple[str, ...] = (), now: _dt.datetime | None = None, title: str | None = None,
) -> list[Path]:
    """Write the static register: pages, feeds, credentials, status lists, DID document."""
    ring = KeyRing(keys_dir)
    base = ring.base_url()
    if not base:
        raise TrustError("the register needs its public address", hint="create the keys with --base-url")
    moment = now or _dt.datetime.now(_dt.UTC)
    entries, public = register_entries(keys_dir=keys_dir, status_dir=status_dir, extra=extra, now=moment)
    files = render_site(entries, base_url=base, title=title or (ring.issuer_name() or "Register") + ": accreditation decisions",
                        issuer=ring.issuer(), generated=moment)
    for name, doc in public.items():
        files[name] = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    out = Path(out_dir)
    written = []
    for name, text in sorted(files.items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, text)
        written.append(target)
    return written
