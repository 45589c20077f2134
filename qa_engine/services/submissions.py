"""Submissions: a provider's dossier on its way through the life cycle.

The use cases behind the workspace's pages and API (and the CLI): create a draft
from an uploaded file (a YAML/JSON dossier, or an OB3/CLR/ELM/CTDL credential
through the importers) and self-check it at once; upload further versions and see
what changed between two; submit (which freezes the version's dossier sha256 and
its evaluation); withdraw; screen (accept for review / return as ineligible, with a
reason); attach evidence files. Every state change is written by
:func:`qa_engine.store.cases.move`: a ``submission_event`` row plus an audit entry
naming who did it and vouching for the records.

Who may do what is :mod:`qa_engine.services.access`'s; uploads are parsed with the
CLI's own limits (:data:`qa_engine.formats.loader.DEFAULT_MAX_BYTES`, nesting depth).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from qa_engine.errors import (
    ConflictError,
    DossierError,
    InputError,
    NotFoundError,
    PayloadTooLargeError,
)
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.lifecycle import Transition, next_actions, transition
from qa_engine.formats.loader import DEFAULT_MAX_BYTES
from qa_engine.formats.report import Report
from qa_engine.rules.registry import shared_registry
from qa_engine.services import access
from qa_engine.services.check import DEFAULT_RULESET, check_dossier, resolve
from qa_engine.store import Store
from qa_engine.store import cases as db
from qa_engine.store.accounts import User
from qa_engine.store.cases import Case, Event, Evidence, Move, NewVersion, StaleStateError, Version
from qa_engine.textsafe import has_unsafe, safe_line

#: The largest dossier or credential upload (the CLI's limit for a file).
MAX_DOSSIER_BYTES = DEFAULT_MAX_BYTES
#: The largest evidence file.
MAX_EVIDENCE_BYTES = 10_000_000
MAX_REASON = 4000

#: Evidence file types: extension -> (media type, how the content must begin or None
#: for text, which must be UTF-8 without NUL).
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain; charset=utf-8", None),
    "md": ("text/markdown; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
    "json": ("application/json", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}
_EVIDENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


# --------------------------------------------------------------------------- reading an upload


@dataclass(frozen=True)
class Upload:
    """A parsed upload: the dossier, where it came from and the upload's sha256."""

    dossier: Dossier
    source_format: str
    filename: str
    sha256: str
    notes: tuple[str, ...] = ()


def safe_filename(name: str | None, default: str = "upload") -> str:
    """The last path part of a client's file name, without control characters, at
    most 200 characters (shown in pages and stored; never used as a path)."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return (base or default)[:200]


def read_upload(data: bytes, filename: str | None, *, fmt: str = "auto", dossier_id: str | None = None,
                today: _dt.date | None = None) -> Upload:
    """Parse an uploaded dossier (YAML or JSON) or credential (OB3, CLR, ELM, CTDL).

    Raises :class:`PayloadTooLargeError` over :data:`MAX_DOSSIER_BYTES`,
    :class:`InputError` for a file that does not parse and :class:`DossierError`
    (with ``.problems``: every problem with its line and column) for a dossier that
    does not match the schema. ``dossier_id`` picks one of several dossiers a CLR holds.
    """
    from qa_engine.formats.loader import _decode, load_document, load_dossier
    from qa_engine.importers import detect_format
    from qa_engine.importers.elm import unwrap_envelope

    name = safe_filename(filename, "upload.yaml")
    if len(data) > MAX_DOSSIER_BYTES:
        raise PayloadTooLargeError(f"is {len(data):,} bytes, larger than the limit of {MAX_DOSSIER_BYTES:,}",
                                   file=name, hint="split the dossier or remove embedded files")
    if data.lstrip().startswith(b"<"):
        raise InputError("is an XML document; qa-engine reads YAML or JSON dossiers and JSON-LD credentials",
                         file=name, hint="export the credential as JSON-LD and upload that")
    text = _decode(data, name)
    sha = hashlib.sha256(data).hexdigest()
    doc, _lines = load_document(name, text=text)
    if fmt not in ("auto", "dossier"):
        return _imported(doc, fmt, name, sha, dossier_id, today)
    if fmt == "auto" and isinstance(doc, dict):
        inner = doc
        if "payload" in doc and ("signatures" in doc or "signature" in doc):
            inner, _root = unwrap_envelope(doc, name)
        if detect_format(inner) is not None:
            return _imported(doc, "auto", name, sha, dossier_id, today)
    d = load_dossier(name, text=text, today=today)
    src = "json" if text.lstrip()[:1] in ("{", "[") or name.lower().endswith(".json") else "yaml"
    return Upload(d, src, name, sha)


def _imported(doc: Any, fmt: str, name: str, sha: str, dossier_id: str | None,
              today: _dt.date | None) -> Upload:
    from qa_engine.importers import import_document

    if not isinstance(doc, dict):
        raise InputError(f"the document is a {type(doc).__name__}, not one JSON object", file=name)
    result = import_document(doc, fmt, as_of=today, file=name)
    ds = result.dossiers
    if dossier_id is not None:
        ds = [d for d in ds if d.id == dossier_id]
        if not ds:
            raise InputError(f"holds no dossier {safe_line(dossier_id)!r}", file=name,
                             hint="it holds: " + ", ".join(d.id for d in result.dossiers))
    if len(ds) > 1:
        raise InputError(f"holds {len(ds)} credentials; a submission is one programme", file=name,
                         hint="choose one with dossier_id: " + ", ".join(d.id for d in ds))
    if not ds:
        raise InputError("holds no credential to check", file=name)
    short = {"openbadges-3.0": "ob3", "clr-2.0": "clr", "elm-3": "elm"}.get(result.format, result.format)
    return Upload(ds[0], short[:16], name, sha, tuple(result.notes))


def problems_of(exc: DossierError) -> list[dict[str, Any]]:
    """Every problem of a dossier that does not match the schema, with its location."""
    out = []
    for p in getattr(exc, "problems", []) or []:
        out.append({"message": p.message, "line": p.line, "column": p.column, "path": p.path or None,
                    "hint": p.hint})
    if not out:
        out.append({"message": exc.message, "line": exc.line, "column": exc.column, "path": exc.path,
                    "hint": exc.hint})
    return out


# --------------------------------------------------------------------------- drafts and versions


@dataclass(frozen=True)
class Checked:
    """A stored version: the case as it is now and the self-check report."""

    case: Case
    report: Report
    evaluation_id: int
    version: int
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "id": self.case.id, "state": self.case.state, "version": self.version,
            "dossier": {"id": r.dossier.id, "sha256": r.dossier.sha256, "title": r.dossier.title},
            "evaluation": {"id": self.evaluation_id, "decision": r.decision, "decision_label": r.decision_label,
                           "passed": r.passed, "score": r.score,
                           "ruleset": f"{r.ruleset.id}@{r.ruleset.version}",
                           "rubric": f"{r.rubric.id}@{r.rubric.version}"},
            "notes": list(self.notes),
        }


def _evaluate(store: Store, up: Upload, ruleset: str, rubric: str | None,
              as_of: _dt.date | None) -> tuple[Report, int, int]:
    # the process's registry: a server compiles each ruleset once, not on every upload
    setup = resolve(ruleset=ruleset, rubric=rubric, as_of=as_of, registry=shared_registry())
    report = check_dossier(setup, up.dossier, file=up.filename)
    store.ensure_content(setup.ruleset, setup.rubric)
    eid, _created = store.record_evaluation(report, up.dossier.model_dump_json(exclude_none=True))
    content_id = int(store.evaluation_info(eid)["submission_id"])
    return report, eid, content_id


def _title(d: Dossier) -> str:
    return (d.title or d.id)[:500]


def create_draft(store: Store, user: User, data: bytes, filename: str | None, *,
                 ruleset: str | None = None, rubric: str | None = None, fmt: str = "auto",
                 dossier_id: str | None = None, note: str | None = None,
                 as_of: _dt.date | None = None) -> Checked:
    """A new draft from an upload, self-checked at once (the evaluation is stored)."""
    access.require(user, "cases.create")
    assert user.organisation_id is not None  # a provider always has one (a CHECK constraint)
    up = read_upload(data, filename, fmt=fmt, dossier_id=dossier_id)
    ref = (ruleset or DEFAULT_RULESET).strip()
    report, eid, content_id = _evaluate(store, up, ref, rubric, as_of)
    cid = db.create_case(
        store, organisation_id=user.organisation_id, dossier_id=up.dossier.id, title=_title(up.dossier),
        ruleset_ref=ref, rubric_ref=rubric,
        version=NewVersion(content_id, report.dossier.sha256, eid, up.source_format, up.filename, up.sha256,
                           _clean_note(note)),
        actor_id=user.id, actor=user.email,
    )
    case = db.get_case(store, cid)
    assert case is not None
    return Checked(case, report, eid, 1, up.notes)


def add_version(store: Store, user: User, case_id: int, data: bytes, filename: str | None, *,
                fmt: str = "auto", dossier_id: str | None = None, note: str | None = None,
                as_of: _dt.date | None = None) -> Checked:
    """The next version of a draft (or an amendment asked for), self-checked at once."""
    case = get(store, user, case_id)
    access.check_edit(store, user, case, "version")
    up = read_upload(data, filename, fmt=fmt, dossier_id=dossier_id)
    report, eid, content_id = _evaluate(store, up, case.ruleset_ref, case.rubric_ref, as_of)
    kind = "amendment" if case.state == "amendment" else "draft"
    try:
        number = db.add_version(
            store, case_id,
            NewVersion(content_id, report.dossier.sha256, eid, up.source_format, up.filename, up.sha256,
                       _clean_note(note), kind),
            expect_state=case.state, dossier_id=up.dossier.id, title=_title(up.dossier),
            actor_id=user.id, actor=user.email,
        )
    except StaleStateError as exc:
        raise _moved_on(case_id, exc.state) from None
    now = db.get_case(store, case_id)
    assert now is not None
    return Checked(now, report, eid, number, up.notes)


def _clean_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    return _clean_reason(note, what="note")


# --------------------------------------------------------------------------- reading cases


def get(store: Store, user: User, case_id: int) -> Case:
    """The case, if the user may see it (NotFound otherwise, as if it did not exist)."""
    case = db.get_case(store, case_id)
    if case is None:
        raise NotFoundError(f"there is no submission {case_id}", hint="see the submissions you may open under Submissions (/submissions; GET /api/v1/submissions)")
    access.check_view(store, user, case)
    return case


def list_cases(store: Store, user: User, *, state: str | None = None, ruleset: str | None = None,
               decision: str | None = None, provider: str | None = None) -> list[Case]:
    return db.list_cases(store, access.case_filter(store, user, state=state, ruleset=ruleset,
                                                   decision=decision, provider=provider))


@dataclass(frozen=True)
class Queue:
    """The coordinator's queue: the cases shown and the counts by state (of all the
    user may see, unfiltered), by decision and by provider (of those shown)."""

    cases: list[Case]
    by_state: dict[str, int]
    by_decision: dict[str, int] = field(default_factory=dict)
    by_provider: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"submissions": [c.to_dict() for c in self.cases], "counts": {
            "state": self.by_state, "decision": self.by_decision, "provider": self.by_provider}}


def queue(store: Store, user: User, *, state: str | None = None, ruleset: str | None = None,
          decision: str | None = None, provider: str | None = None) -> Queue:
    f = access.case_filter(store, user)
    shown = list_cases(store, user, state=state, ruleset=ruleset, decision=decision, provider=provider)
    by_decision: dict[str, int] = {}
    by_provider: dict[str, int] = {}
    for c in shown:
        by_decision[c.decision or "none"] = by_decision.get(c.decision or "none", 0) + 1
        by_provider[c.organisation_slug] = by_provider.get(c.organisation_slug, 0) + 1
    return Queue(shown, db.counts_by_state(store, f.ids, f.organisation_id), by_decision, by_provider)


def versions(store: Store, user: User, case_id: int) -> list[Version]:
    get(store, user, case_id)
    return db.versions(store, case_id)


def version(store: Store, user: User, case_id: int, number: int | None = None) -> Version:
    vs = versions(store, user, case_id)
    if number is None:
        number = max(v.number for v in vs)
    for v in vs:
        if v.number == number:
            return v
    raise NotFoundError(f"submission {case_id} has no version {number}",
                        hint=f"its versions are 1 to {len(vs)}")


def events(store: Store, user: User, case_id: int) -> list[Event]:
    get(store, user, case_id)
    return db.events(store, case_id)


def report(store: Store, user: User, case_id: int, number: int | None = None) -> tuple[Version, Report]:
    """The self-check report of a version (the latest by default)."""
    v = version(store, user, case_id, number)
    if v.evaluation_id is None:
        raise NotFoundError(f"version {v.number} of submission {case_id} has no evaluation")
    store.require_trail(v.evaluation_id)
    return v, store.get_report(v.evaluation_id)


def actions(user: User, case: Case) -> list[Transition]:
    """What the user may do next to the case (for the pages' buttons and the API)."""
    return next_actions(case.state, user.role) if user.role in ("provider", "coordinator") else []


# --------------------------------------------------------------------------- state changes


def _clean_reason(reason: str, *, what: str = "reason") -> str:
    r = reason.strip()
    if len(r) > MAX_REASON:
        raise InputError(f"the {what} is {len(r)} characters long; at most {MAX_REASON} are allowed")
    if has_unsafe(r, allow_newlines=True) or "\x00" in r:
        raise InputError(f"the {what} holds control characters", hint="write it as plain text")
    return r


def _moved_on(case_id: int, state: str) -> ConflictError:
    return ConflictError(f"submission {case_id} changed meanwhile (it is now {state})",
                         hint="reload it and try again")


def act(store: Store, user: User, case_id: int, action: str, *, reason: str | None = None) -> Case:
    """Take a life-cycle action (submit, withdraw, accept, return, reopen, ...).

    Submitting freezes the current version: its dossier sha256 and its evaluation are
    named in the audit entry and ``submitted_version`` points at it."""
    case = get(store, user, case_id)
    access.check_action(store, user, case, action)
    t = transition(action, case.state)
    assert t is not None
    why = _clean_reason(reason) if reason else None
    if t.needs_reason and not why:
        raise InputError(f"{action.replace('_', ' ')} needs a reason", path="reason",
                         hint="say why: the provider and the auditors read it")
    m = Move(action, case.state, t.target, why)
    if action in ("submit", "resubmit"):
        v = db.versions(store, case_id)[-1]
        if v.evaluation_id is None:
            raise ConflictError(f"version {v.number} of submission {case_id} has no evaluation to submit")
        m.changes = {"submitted_version": v.number}
        m.payload = {"version": v.number, "dossier_sha256": v.dossier_sha256, "evaluation_id": v.evaluation_id}
    try:
        db.move(store, case_id, m, actor_id=user.id, actor=user.email)
    except StaleStateError as exc:
        raise _moved_on(case_id, exc.state) from None
    after = db.get_case(store, case_id)
    assert after is not None
    return after


def submit(store: Store, user: User, case_id: int) -> Case:
    return act(store, user, case_id, "submit")


def withdraw(store: Store, user: User, case_id: int, reason: str | None = None) -> Case:
    return act(store, user, case_id, "withdraw", reason=reason)


def screen(store: Store, user: User, case_id: int, outcome: str, reason: str | None = None) -> Case:
    """Screening: ``accept`` for review, or ``return`` as ineligible (with a reason)."""
    if outcome not in ("accept", "return"):
        raise InputError(f"unknown screening outcome {safe_line(outcome)!r}", path="outcome",
                         hint="use accept (for review) or return (as ineligible, with a reason)")
    return act(store, user, case_id, outcome, reason=reason)


# --------------------------------------------------------------------------- versions' diff


@dataclass(frozen=True)
class VersionDiff:
    """What changed from version ``a`` to ``b``: dossier fields (by path) and criteria."""

    a: int
    b: int
    fields: list[tuple[str, Any, Any]]
    criteria: list[tuple[str, str, str | None, str | None]]  # (id, title, state in a, state in b)
    decision: tuple[str, str]
    score: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.a, "to": self.b,
                "fields": [{"path": p, "from": x, "to": y} for p, x, y in self.fields],
                "criteria": [{"id": i, "title": t, "from": x, "to": y} for i, t, x, y in self.criteria],
                "decision": {"from": self.decision[0], "to": self.decision[1]},
                "score": {"from": self.score[0], "to": self.score[1]}}


def _flat(value: Any, path: str = "", out: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {} if out is None else out
    if isinstance(value, dict) and value:
        for k in sorted(value):
            _flat(value[k], f"{path}.{k}" if path else str(k), out)
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            _flat(v, f"{path}[{i}]", out)
    else:
        out[path] = value
    return out


def diff_versions(store: Store, user: User, case_id: int, a: int, b: int) -> VersionDiff:
    va, vb = version(store, user, case_id, a), version(store, user, case_id, b)
    da = _flat(json.loads(db.dossier_json(store, va.content_id)))
    dbb = _flat(json.loads(db.dossier_json(store, vb.content_id)))
    fields = [(p, da.get(p), dbb.get(p)) for p in sorted(set(da) | set(dbb)) if da.get(p) != dbb.get(p)
              and not p.startswith("source.")]
    _va, ra = report(store, user, case_id, a)
    _vb, rb = report(store, user, case_id, b)
    sa = {c.id: (c.title, c.state) for c in ra.criteria}
    sb = {c.id: (c.title, c.state) for c in rb.criteria}
    crit = []
    for cid in sorted(set(sa) | set(sb)):
        x, y = sa.get(cid), sb.get(cid)
        if (x[1] if x else None) != (y[1] if y else None):
            crit.append((cid, (y or x or ("", ""))[0], x[1] if x else None, y[1] if y else None))
    return VersionDiff(a, b, fields, crit, (ra.decision, rb.decision), (ra.score, rb.score))


# --------------------------------------------------------------------------- evidence


def _evidence_type(name: str, data: bytes) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise InputError(f"{safe_line(name)!r}: evidence files of this type are not accepted",
                         hint="upload one of: " + ", ".join(sorted(EVIDENCE_TYPES)))
    media, magic = EVIDENCE_TYPES[ext]
    if magic is not None:
        if not any(data.startswith(m) for m in magic):
            raise InputError(f"{safe_line(name)!r} does not hold what its name says (.{ext})",
                             hint="upload the file itself, not a renamed one")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{safe_line(name)!r} is not UTF-8 text", hint="save it as UTF-8") from None
        if "\x00" in text:
            raise InputError(f"{safe_line(name)!r} holds NUL characters: not a text file")
        if ext == "json":
            try:
                json.loads(text)
            except ValueError as exc:
                raise InputError(f"{safe_line(name)!r} is not JSON ({exc})") from None
    return media


def add_evidence(store: Store, user: User, case_id: int, data: bytes, filename: str | None, *,
                 evidence_id: str | None = None, effective_from: _dt.date | None = None,
                 expires: _dt.date | None = None) -> Evidence:
    """Attach an evidence file (stored once by its sha256), citable from the dossier's
    ``evidence`` by ``evidence_id`` (default: the file name without its extension)."""
    case = get(store, user, case_id)
    access.check_edit(store, user, case, "evidence.add")
    name = safe_filename(filename, "evidence")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise PayloadTooLargeError(f"{name!r} is {len(data):,} bytes, larger than the limit of "
                                   f"{MAX_EVIDENCE_BYTES:,} for an evidence file",
                                   hint="upload a smaller file or a link to it in the dossier")
    if not data:
        raise InputError(f"{name!r} is empty")
    media = _evidence_type(name, data)
    eid = (evidence_id or name.rsplit(".", 1)[0]).strip()
    eid = re.sub(r"[^A-Za-z0-9._-]+", "-", eid).strip("-.")[:64] if not evidence_id else eid
    if not _EVIDENCE_ID.match(eid):
        raise InputError(f"{safe_line(eid)!r} is not an evidence id", path="evidence_id",
                         hint="use letters, digits, dots, hyphens and underscores (at most 64)")
    if effective_from and expires and expires <= effective_from:
        raise InputError(f"the expiry {expires.isoformat()} is not after the effective date "
                         f"{effective_from.isoformat()}", path="expires")
    if any(e.evidence_id == eid for e in db.evidence_files(store, case_id)):
        raise ConflictError(f"submission {case_id} has an evidence file {eid} already",
                            hint="remove it first, or give this one another evidence id")
    return db.add_evidence(store, case_id, evidence_id=eid, data=data, sha256=hashlib.sha256(data).hexdigest(),
                           filename=name, media_type=media, effective_from=effective_from, expires=expires,
                           actor_id=user.id, actor=user.email)


def evidence(store: Store, user: User, case_id: int) -> list[Evidence]:
    get(store, user, case_id)
    return db.evidence_files(store, case_id)


def _evidence_of(store: Store, user: User, case_id: int, file_id: int) -> Evidence:
    get(store, user, case_id)
    e = db.evidence_file(store, file_id)
    if e is None or e.case_id != case_id or e.removed_at is not None:
        raise NotFoundError(f"submission {case_id} has no evidence file {file_id}")
    return e


def evidence_download(store: Store, user: User, case_id: int, file_id: int) -> tuple[Evidence, bytes]:
    e = _evidence_of(store, user, case_id, file_id)
    return e, db.evidence_bytes(store, e.sha256)


def remove_evidence(store: Store, user: User, case_id: int, file_id: int) -> None:
    # who may act first: one who may not remove evidence learns nothing about its files
    access.check_edit(store, user, get(store, user, case_id), "evidence.remove")
    e = _evidence_of(store, user, case_id, file_id)
    db.remove_evidence(store, e.id, actor=user.email)


def figures(store: Store, user: User) -> dict[str, Any]:
    """The dashboard's figures over the stored evaluations of the cases the user may
    see: the latest version of each, and (separately) the versions frozen by submit."""
    access.require(user, "dashboard")
    cases = list_cases(store, user)
    latest = [c.evaluation_id for c in cases if c.evaluation_id is not None]
    out = db.evaluation_figures(store, latest)
    out["submissions"] = len(cases)
    out["by_state"] = db.counts_by_state(store)
    return out
