"""The store's tables (sqlmodel), in schema version :data:`SCHEMA_VERSION`.

The tables live in their own SQLAlchemy registry/metadata so that other modules'
sqlmodel tables never end up in a qa-engine store. Hashes are lower-case hex sha256.
Timestamps are UTC wall-clock (``created_at``); ``as_of`` and ``expires`` are the
calendar dates of the accreditation logic.

A change to these classes is a schema change: bump ``SCHEMA_VERSION`` and add an
upgrade step in :mod:`qa_engine.store.schema` (the step to version 1 creates the
version-1 tables; freeze it before changing a table here).
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
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

#: The schema version these models describe.
SCHEMA_VERSION = 1
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
    dossier_json: str = Field(sa_column=Column(Text, nullable=False))
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
    report_json: str = Field(sa_column=Column(Text, nullable=False))
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

#: Every table of the store (a database holding some of these but no schema_meta is foreign).
TABLE_NAMES = tuple(t.name for t in _metadata.sorted_tables)
