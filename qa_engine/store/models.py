"""The store's tables (sqlmodel), in schema version :data:`SCHEMA_VERSION`.

The tables live in their own SQLAlchemy registry/metadata so that other modules'
sqlmodel tables never end up in a qa-engine store. Hashes are lower-case hex sha256.
Timestamps are UTC wall-clock (``created_at``); ``as_of`` and ``expires`` are the
calendar dates of the accreditation logic.

A change to these classes is a schema change: add an Alembic revision under
``qa_engine/store/migrations/versions/`` (written out with ``op.*`` calls, never
importing these classes, so that old revisions stay frozen) and bump
``SCHEMA_VERSION`` to its number. ``tests/test_store_migrations.py`` fails while the
models and the migrations disagree.

Schema 1 holds the checker's records: ruleset and rubric versions, ``submission``
(one dossier *content* by hash — the name predates the workspace), evaluations,
findings, rejections, reviewer actions and the audit chain. Schema 2 adds the
workspace: organisations, user accounts, web sessions, API tokens, login attempts,
and the submission *cases* the API calls submissions (``submission_case``, with
their versions, state changes and evidence files). Schema 3 keeps each report
and dossier compressed (``evaluation.report_json`` and ``submission.dossier_json``
hold bytes: :mod:`qa_engine.store.codec`). Schema 4 adds the review workflow: panels
with their members' conflict declarations, independent reviews and their judgments,
the chair's resolutions, decisions, their conditions and the amendments answering them.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, ClassVar, cast

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from qa_engine.formats.lifecycle import CASE_STATES, ROLES

#: The schema version these models describe.
SCHEMA_VERSION = 5
#: What ``schema_meta.application`` says in every qa-engine store.
APPLICATION = "qa-engine"

_metadata = MetaData()


class StoreModel(SQLModel, registry=registry(metadata=_metadata)):
    """Base of the store's tables (a registry of their own)."""


def _utc() -> Any:
    return DateTime(timezone=True)


class SchemaMeta(StoreModel, table=True):
    """One row: which application wrote the database and in which schema version."""

    __tablename__: ClassVar[str] = "schema_meta"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("id = 1", name="schema_meta_one_row"),)
    id: int = Field(default=1, primary_key=True)
    application: str = Field(max_length=64)
    version: int
    created_at: _dt.datetime = Field(sa_type=_utc())
    upgraded_at: _dt.datetime = Field(sa_type=_utc())


class RulesetVersion(StoreModel, table=True):
    __tablename__: ClassVar[str] = "ruleset_version"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    ruleset_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    sha256: str = Field(max_length=64, unique=True)
    title: str
    source: str | None = Field(default=None, description="File it was loaded from.")
    content: str = Field(sa_column=Column(Text, nullable=False), description="Canonical JSON.")
    created_at: _dt.datetime = Field(sa_type=_utc())


class RubricVersion(StoreModel, table=True):
    __tablename__: ClassVar[str] = "rubric_version"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    rubric_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    sha256: str = Field(max_length=64, unique=True)
    title: str
    source: str | None = None
    content: str = Field(sa_column=Column(Text, nullable=False), description="Canonical JSON.")
    created_at: _dt.datetime = Field(sa_type=_utc())


class Submission(StoreModel, table=True):
    """One dossier content (by hash); evaluated any number of times."""

    __tablename__: ClassVar[str] = "submission"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: str = Field(max_length=200, index=True)
    dossier_sha256: str = Field(max_length=64, unique=True)
    #: The dossier's canonical JSON, zstd (:func:`qa_engine.store.codec.pack_document`).
    dossier_json: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    source_file: str | None = None
    created_at: _dt.datetime = Field(sa_type=_utc())


class Evaluation(StoreModel, table=True):
    __tablename__: ClassVar[str] = "evaluation"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint(
            "dossier_sha256", "ruleset_sha256", "rubric_sha256", name="evaluation_once"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(sa_column=Column(Integer, ForeignKey("submission.id"), nullable=False))
    dossier_id: str = Field(max_length=200, index=True)
    dossier_sha256: str = Field(max_length=64)
    ruleset_version_id: int = Field(
        sa_column=Column(Integer, ForeignKey("ruleset_version.id"), nullable=False)
    )
    ruleset_sha256: str = Field(max_length=64)
    rubric_version_id: int = Field(
        sa_column=Column(Integer, ForeignKey("rubric_version.id"), nullable=False)
    )
    rubric_sha256: str = Field(max_length=64)
    engine: str = Field(max_length=32)
    engine_version: str = Field(max_length=32)
    as_of: _dt.date = Field(sa_type=Date())
    decision: str = Field(max_length=64)
    passed: bool
    score_exact: str = Field(description="The exact score as a fraction, e.g. 1703/20.")
    score: float = Field(description="The score for display (two decimals).")
    #: The report JSON in its stored form (zstd against the ruleset and rubric
    #: versions: :mod:`qa_engine.store.codec`); the column keeps its name so that the
    #: audit entries naming the field keep naming it.
    report_json: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    batch_id: str | None = Field(default=None, max_length=200, index=True)
    created_at: _dt.datetime = Field(sa_type=_utc())


class Finding(StoreModel, table=True):
    """One criterion's verdict in one evaluation."""

    __tablename__: ClassVar[str] = "finding"  # type: ignore[misc]
    __table_args__ = (UniqueConstraint("evaluation_id", "criterion_id", name="finding_once"),)
    id: int | None = Field(
        default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    )
    evaluation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("evaluation.id"), nullable=False)
    )
    criterion_id: str = Field(max_length=64)
    criterion_sha256: str = Field(max_length=64)
    state: str = Field(max_length=32, index=True)
    points: float
    max_points: float
    essential_failed: bool


class Rejection(StoreModel, table=True):
    """An input that could not be evaluated; recorded once per input content."""

    __tablename__: ClassVar[str] = "rejection"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    input_file: str
    input_sha256: str = Field(max_length=64, unique=True)
    dossier_id: str | None = Field(default=None, max_length=200, index=True)
    error: str = Field(sa_column=Column(Text, nullable=False))
    batch_id: str | None = Field(default=None, max_length=200, index=True)
    created_at: _dt.datetime = Field(sa_type=_utc())


class ReviewAction(StoreModel, table=True):
    """A reviewer's override or waiver of one criterion, made on one evaluation."""

    __tablename__: ClassVar[str] = "review_action"  # type: ignore[misc]
    __table_args__ = (
        CheckConstraint("kind IN ('override', 'waiver')", name="review_action_kind"),
        CheckConstraint(
            "(kind = 'override' AND state IS NOT NULL) OR (kind = 'waiver' AND state IS NULL)",
            name="review_action_state",
        ),
        Index("review_action_lookup", "dossier_id", "criterion_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(sa_column=Column(Integer, ForeignKey("evaluation.id"), nullable=False))
    dossier_id: str = Field(max_length=200)
    criterion_id: str = Field(max_length=64)
    criterion_sha256: str = Field(max_length=64)
    state_before: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    state: str | None = Field(default=None, max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    reviewer: str = Field(max_length=200)
    created_at: _dt.datetime = Field(sa_type=_utc())
    expires: _dt.date | None = Field(default=None, sa_type=Date())


class AuditEntry(StoreModel, table=True):
    """The append-only, hash-chained audit log (ids are gapless: 1, 2, 3, ...)."""

    __tablename__: ClassVar[str] = "audit_log"  # type: ignore[misc]
    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    at: str = Field(max_length=40, description="UTC ISO 8601 timestamp, as hashed.")
    actor: str = Field(max_length=200)
    action: str = Field(max_length=64)
    subject: str = Field(max_length=300, index=True)
    payload: str = Field(sa_column=Column(Text, nullable=False), description="Canonical JSON.")
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))


class AuditHead(StoreModel, table=True):
    """One row: the last entry of the audit chain (locked by every writer)."""

    __tablename__: ClassVar[str] = "audit_head"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("id = 1", name="audit_head_one_row"),)
    id: int = Field(default=1, primary_key=True)
    last_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_hash: str = Field(sa_column=Column(String(64), nullable=False))


# --------------------------------------------------------------------------- schema 2: the workspace


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(StoreModel, table=True):
    """A provider (whose members submit) or the accrediting body itself."""

    __tablename__: ClassVar[str] = "organisation"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("kind IN ('provider', 'body')", name="organisation_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=16)
    country: str | None = Field(default=None, max_length=2)
    identifier: str | None = Field(default=None, max_length=300)
    created_at: _dt.datetime = Field(sa_type=_utc())


class UserAccount(StoreModel, table=True):
    """A person who signs in; ``role`` decides what they may do (formats.lifecycle.ROLES)."""

    __tablename__: ClassVar[str] = "user_account"  # type: ignore[misc]
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="user_account_role"),
        CheckConstraint(
            "role <> 'provider' OR organisation_id IS NOT NULL", name="user_account_provider_org"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, description="Lower-case.")
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    organisation_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("organisation.id"), nullable=True)
    )
    password_hash: str | None = Field(
        default=None, max_length=255, description="argon2id; NULL: no password sign-in."
    )
    external: bool = Field(default=False, description="A reviewer from outside the body.")
    chair_qualified: bool = Field(default=False, description="May chair a review panel.")
    expertise: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: _dt.datetime = Field(sa_type=_utc())
    disabled_at: _dt.datetime | None = Field(default=None, sa_type=_utc())


class WebSession(StoreModel, table=True):
    """A signed-in browser: the cookie holds a secret whose sha256 is ``id``."""

    __tablename__: ClassVar[str] = "web_session"  # type: ignore[misc]
    id: str = Field(max_length=64, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False, index=True))
    csrf_token: str = Field(max_length=64)
    created_at: _dt.datetime = Field(sa_type=_utc())
    last_seen_at: _dt.datetime = Field(sa_type=_utc())
    expires_at: _dt.datetime = Field(sa_type=_utc())
    address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    revoked_at: _dt.datetime | None = Field(default=None, sa_type=_utc())


class ApiToken(StoreModel, table=True):
    """An API token (``Authorization: Bearer``), shown once and stored as its sha256."""

    __tablename__: ClassVar[str] = "api_token"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False, index=True))
    name: str = Field(max_length=100)
    token_sha256: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16, description="The token's first characters, to recognise it.")
    created_at: _dt.datetime = Field(sa_type=_utc())
    expires_at: _dt.datetime | None = Field(default=None, sa_type=_utc())
    last_used_at: _dt.datetime | None = Field(default=None, sa_type=_utc())
    revoked_at: _dt.datetime | None = Field(default=None, sa_type=_utc())


class LoginAttempt(StoreModel, table=True):
    """One password sign-in attempt, for throttling per account and per address."""

    __tablename__: ClassVar[str] = "login_attempt"  # type: ignore[misc]
    id: int | None = Field(
        default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    )
    email: str = Field(max_length=320, index=True)
    address: str = Field(max_length=64, index=True)
    at: _dt.datetime = Field(sa_type=_utc(), index=True)
    ok: bool


class SubmissionCase(StoreModel, table=True):
    """What the API calls a submission: one organisation's programme on its way through
    the life cycle (formats.lifecycle), holding the versions of its dossier."""

    __tablename__: ClassVar[str] = "submission_case"  # type: ignore[misc]
    __table_args__ = (CheckConstraint(_in("state", CASE_STATES), name="submission_case_state"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organisation.id"), nullable=False, index=True)
    )
    dossier_id: str = Field(max_length=200, index=True)
    title: str = Field(max_length=500)
    state: str = Field(max_length=16, index=True)
    ruleset_ref: str = Field(max_length=100, description="As chosen: ID or ID@VERSION.")
    rubric_ref: str | None = Field(default=None, max_length=100)
    current_version: int = Field(default=0, description="Number of the latest version.")
    submitted_version: int | None = Field(
        default=None, description="Number of the version frozen by the last submit."
    )
    created_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())
    updated_at: _dt.datetime = Field(sa_type=_utc())


class SubmissionVersion(StoreModel, table=True):
    """One uploaded version of a case's dossier (a draft or an amendment)."""

    __tablename__: ClassVar[str] = "submission_version"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("case_id", "number", name="submission_version_once"),
        CheckConstraint("kind IN ('draft', 'amendment')", name="submission_version_kind"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("submission_case.id"), nullable=False))
    number: int
    kind: str = Field(max_length=16)
    content_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submission.id"), nullable=False),
        description="The dossier content (table submission, by hash).",
    )
    dossier_sha256: str = Field(max_length=64)
    evaluation_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("evaluation.id"), nullable=True)
    )
    source_format: str = Field(max_length=16, description="yaml, json, ob3, clr, elm or ctdl.")
    filename: str | None = Field(default=None, max_length=300)
    upload_sha256: str = Field(max_length=64, description="sha256 of the uploaded bytes.")
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())


class SubmissionEvent(StoreModel, table=True):
    """One state change of a case: who moved it from which state to which, and why."""

    __tablename__: ClassVar[str] = "submission_event"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submission_case.id"), nullable=False, index=True)
    )
    action: str = Field(max_length=32)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    actor_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True)
    )
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: _dt.datetime = Field(sa_type=_utc())


class EvidenceBlob(StoreModel, table=True):
    """Uploaded evidence bytes, content-addressed (one row per distinct content)."""

    __tablename__: ClassVar[str] = "evidence_blob"  # type: ignore[misc]
    sha256: str = Field(max_length=64, primary_key=True)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())


class EvidenceFile(StoreModel, table=True):
    """An evidence file attached to a case, citable from the dossier's ``evidence`` by
    ``evidence_id``; served only as a download."""

    __tablename__: ClassVar[str] = "evidence_file"  # type: ignore[misc]
    __table_args__ = (Index("evidence_file_lookup", "case_id", "evidence_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("submission_case.id"), nullable=False))
    evidence_id: str = Field(max_length=64)
    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("evidence_blob.sha256"), nullable=False)
    )
    filename: str = Field(max_length=300)
    media_type: str = Field(max_length=100)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    effective_from: _dt.date | None = Field(default=None, sa_type=Date())
    expires: _dt.date | None = Field(default=None, sa_type=Date())
    uploaded_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())
    removed_at: _dt.datetime | None = Field(default=None, sa_type=_utc())


# --------------------------------------------------------------------------- schema 3: the review workflow


class ReviewPanel(StoreModel, table=True):
    """The panel that reviews one frozen version of a case under a review policy."""

    __tablename__: ClassVar[str] = "review_panel"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("state IN ('open', 'closed')", name="review_panel_state"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submission_case.id"), nullable=False, index=True)
    )
    evaluation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("evaluation.id"), nullable=False),
        description="The machine evaluation the panel judges on top of.",
    )
    version: int = Field(description="Number of the case version under review.")
    policy_ref: str = Field(max_length=100, description="The policy's rubric id@version.")
    policy_sha256: str = Field(max_length=64)
    state: str = Field(max_length=16)
    created_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())


class PanelMember(StoreModel, table=True):
    """A reviewer on a panel, with their conflict-of-interest declaration."""

    __tablename__: ClassVar[str] = "panel_member"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("panel_id", "user_id", name="panel_member_once"),
        CheckConstraint("role IN ('chair', 'member')", name="panel_member_role"),
        CheckConstraint("conflict IN ('pending', 'none', 'declared')", name="panel_member_conflict"),
    )
    id: int | None = Field(default=None, primary_key=True)
    panel_id: int = Field(sa_column=Column(Integer, ForeignKey("review_panel.id"), nullable=False, index=True))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False, index=True))
    role: str = Field(max_length=16)
    external: bool = False
    subject_matter: bool = False
    conflict: str = Field(max_length=16, description="pending, none (declared no conflict) or declared.")
    conflict_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    declared_at: _dt.datetime | None = Field(default=None, sa_type=_utc())


class PanelReview(StoreModel, table=True):
    """One reviewer's independent review (a draft until submitted)."""

    __tablename__: ClassVar[str] = "panel_review"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("panel_id", "user_id", name="panel_review_once"),
        CheckConstraint("state IN ('draft', 'submitted')", name="panel_review_state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    panel_id: int = Field(sa_column=Column(Integer, ForeignKey("review_panel.id"), nullable=False, index=True))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    state: str = Field(max_length=16)
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_at: _dt.datetime = Field(sa_type=_utc())
    submitted_at: _dt.datetime | None = Field(default=None, sa_type=_utc())


class ReviewJudgment(StoreModel, table=True):
    """A reviewer's judgment of one criterion: agree with the machine, or another state with a reason."""

    __tablename__: ClassVar[str] = "review_judgment"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id", name="review_judgment_once"),
        CheckConstraint("agrees OR reason IS NOT NULL", name="review_judgment_reason"),
    )
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(sa_column=Column(Integer, ForeignKey("panel_review.id"), nullable=False, index=True))
    criterion_id: str = Field(max_length=64)
    agrees: bool
    state: str = Field(max_length=32, description="The state the reviewer gives (the machine's when agreeing).")
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PanelResolution(StoreModel, table=True):
    """The chair's resolution of a criterion the consensus rule leaves open."""

    __tablename__: ClassVar[str] = "panel_resolution"  # type: ignore[misc]
    __table_args__ = (UniqueConstraint("panel_id", "criterion_id", name="panel_resolution_once"),)
    id: int | None = Field(default=None, primary_key=True)
    panel_id: int = Field(sa_column=Column(Integer, ForeignKey("review_panel.id"), nullable=False, index=True))
    criterion_id: str = Field(max_length=64)
    state: str = Field(max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())


class DecisionRecord(StoreModel, table=True):
    """An accreditation decision (formats.decision.Decision) and what it rests on."""

    __tablename__: ClassVar[str] = "decision"  # type: ignore[misc]
    __table_args__ = (CheckConstraint(
        "outcome IN ('accredited', 'accredited_with_conditions', 'not_accredited')", name="decision_outcome"
    ),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("submission_case.id"), nullable=False, index=True))
    panel_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("review_panel.id"), nullable=True)
    )
    evaluation_id: int = Field(sa_column=Column(Integer, ForeignKey("evaluation.id"), nullable=False))
    version: int = Field(description="Number of the case version decided on.")
    dossier_sha256: str = Field(max_length=64)
    ruleset_sha256: str = Field(max_length=64)
    rubric_sha256: str = Field(max_length=64)
    report_sha256: str = Field(max_length=64)
    policy_sha256: str = Field(max_length=64)
    outcome: str = Field(max_length=32)
    decided_outcome: str = Field(max_length=32, description="The outcome as first decided.")
    rationale: str = Field(sa_column=Column(Text, nullable=False))
    score_exact: str = Field(max_length=100)
    score: float
    criteria_json: str = Field(
        sa_column=Column(Text, nullable=False), description="Per-criterion outcomes, canonical JSON."
    )
    panel_json: str = Field(sa_column=Column(Text, nullable=False), description="The panel as it decided.")
    valid_from: _dt.date = Field(sa_type=Date())
    valid_until: _dt.date = Field(sa_type=Date())
    decided_on: _dt.date = Field(sa_type=Date())
    decided_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())


class DecisionCondition(StoreModel, table=True):
    """A condition of a decision: the criteria it concerns, its text and due date."""

    __tablename__: ClassVar[str] = "decision_condition"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("decision_id", "label", name="decision_condition_once"),
        CheckConstraint("state IN ('open', 'met')", name="decision_condition_state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(sa_column=Column(Integer, ForeignKey("decision.id"), nullable=False, index=True))
    label: str = Field(max_length=16, description="Stable within the decision, e.g. C1.")
    criteria: str = Field(max_length=2000, description="Criterion ids, comma-separated.")
    text: str = Field(sa_column=Column(Text, nullable=False))
    due: _dt.date = Field(sa_type=Date())
    state: str = Field(max_length=16)
    closed_on: _dt.date | None = Field(default=None, sa_type=Date())
    closed_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True)
    )
    met_in_amendment: int | None = Field(default=None, description="The amendment that met it.")


class DecisionAmendment(StoreModel, table=True):
    """An amended dossier answering a decision's conditions, with the re-check of them."""

    __tablename__: ClassVar[str] = "decision_amendment"  # type: ignore[misc]
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(sa_column=Column(Integer, ForeignKey("decision.id"), nullable=False, index=True))
    evaluation_id: int = Field(sa_column=Column(Integer, ForeignKey("evaluation.id"), nullable=False))
    dossier_sha256: str = Field(max_length=64)
    checks_json: str = Field(
        sa_column=Column(Text, nullable=False), description="Each open condition: states, met, explanation."
    )
    re_review: str | None = Field(
        default=None, max_length=2000, description="Fields whose change forces a new review (comma-separated)."
    )
    created_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    created_at: _dt.datetime = Field(sa_type=_utc())


# --------------------------------------------------------------------------- schema 5: publication


class DecisionCredentialRecord(StoreModel, table=True):
    """A published decision: the signed decision credential (VC 2.0) and the decision
    model it was signed from, kept with the decision; one per decision."""

    __tablename__: ClassVar[str] = "decision_credential"  # type: ignore[misc]
    # one per decision: publishing moves the case decided -> published under its row lock
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(sa_column=Column(Integer, ForeignKey("decision.id"), nullable=False, index=True))
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("submission_case.id"), nullable=False, index=True))
    credential_id: str = Field(max_length=500, description="The credential's id (its permalink).")
    credential_json: str = Field(sa_column=Column(Text, nullable=False), description="The signed credential.")
    credential_sha256: str = Field(max_length=64, description="sha256 of the credential's JCS form.")
    decision_json: str = Field(
        sa_column=Column(Text, nullable=False), description="The decision model as signed (formats.decision)."
    )
    status_index: int = Field(description="Its index in the revocation and suspension status lists.")
    verification_method: str = Field(max_length=500)
    published_at: _dt.datetime = Field(sa_type=_utc())
    published_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))


def table(model: type[StoreModel]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


METADATA = _metadata
SCHEMA_META = table(SchemaMeta)
RULESET_VERSION = table(RulesetVersion)
RUBRIC_VERSION = table(RubricVersion)
SUBMISSION = table(Submission)
EVALUATION = table(Evaluation)
FINDING = table(Finding)
REJECTION = table(Rejection)
REVIEW_ACTION = table(ReviewAction)
AUDIT_LOG = table(AuditEntry)
AUDIT_HEAD = table(AuditHead)
ORGANISATION = table(Organisation)
USER_ACCOUNT = table(UserAccount)
WEB_SESSION = table(WebSession)
API_TOKEN = table(ApiToken)
LOGIN_ATTEMPT = table(LoginAttempt)
SUBMISSION_CASE = table(SubmissionCase)
SUBMISSION_VERSION = table(SubmissionVersion)
SUBMISSION_EVENT = table(SubmissionEvent)
EVIDENCE_BLOB = table(EvidenceBlob)
EVIDENCE_FILE = table(EvidenceFile)
REVIEW_PANEL = table(ReviewPanel)
PANEL_MEMBER = table(PanelMember)
PANEL_REVIEW = table(PanelReview)
REVIEW_JUDGMENT = table(ReviewJudgment)
PANEL_RESOLUTION = table(PanelResolution)
DECISION = table(DecisionRecord)
DECISION_CONDITION = table(DecisionCondition)
DECISION_AMENDMENT = table(DecisionAmendment)
DECISION_CREDENTIAL = table(DecisionCredentialRecord)

#: Every table of the store (a database holding some of these but no schema_meta is foreign).
TABLE_NAMES = tuple(t.name for t in _metadata.sorted_tables)
