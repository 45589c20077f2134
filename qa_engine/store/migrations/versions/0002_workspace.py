"""Schema 2: the web workspace — organisations, user accounts, web sessions, API
tokens, login attempts, and submission cases with their versions, state changes and
evidence files.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copies (formats.lifecycle may grow; a later revision widens the constraints).
ROLES = ("provider", "coordinator", "reviewer", "auditor", "admin")
CASE_STATES = (
    "draft", "submitted", "returned", "withdrawn", "in_review", "decided", "amendment",
    "published", "expired", "revoked", "suspended",
)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user_fk(name: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("user_account.id"), nullable=nullable, index=index)


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("identifier", sa.String(300), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint("kind IN ('provider', 'body')", name="organisation_kind"),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("external", sa.Boolean(), nullable=False),
        sa.Column("chair_qualified", sa.Boolean(), nullable=False),
        sa.Column("expertise", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("disabled_at", _utc(), nullable=True),
        sa.CheckConstraint(_in("role", ROLES), name="user_account_role"),
        sa.CheckConstraint(
            "role <> 'provider' OR organisation_id IS NOT NULL", name="user_account_provider_org"
        ),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(64), primary_key=True),
        _user_fk("user_id", index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("last_seen_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(300), nullable=True),
        sa.Column("revoked_at", _utc(), nullable=True),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("user_id", index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=True),
        sa.Column("last_used_at", _utc(), nullable=True),
        sa.Column("revoked_at", _utc(), nullable=True),
    )
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, index=True),
        sa.Column("address", sa.String(64), nullable=False, index=True),
        sa.Column("at", _utc(), nullable=False, index=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "submission_case",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False, index=True),
        sa.Column("dossier_id", sa.String(200), nullable=False, index=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("ruleset_ref", sa.String(100), nullable=False),
        sa.Column("rubric_ref", sa.String(100), nullable=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("submitted_version", sa.Integer(), nullable=True),
        _user_fk("created_by"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(_in("state", CASE_STATES), name="submission_case_state"),
    )
    op.create_table(
        "submission_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("submission_case.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("content_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("dossier_sha256", sa.String(64), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("evaluation.id"), nullable=True),
        sa.Column("source_format", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(300), nullable=True),
        sa.Column("upload_sha256", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _user_fk("created_by"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.UniqueConstraint("case_id", "number", name="submission_version_once"),
        sa.CheckConstraint("kind IN ('draft', 'amendment')", name="submission_version_kind"),
    )
    op.create_table(
        "submission_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("submission_case.id"), nullable=False, index=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        _user_fk("actor_id", nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", _utc(), nullable=False),
    )
    op.create_table(
        "evidence_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("submission_case.id"), nullable=False),
        sa.Column("evidence_id", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("evidence_blob.sha256"), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("expires", sa.Date(), nullable=True),
        _user_fk("uploaded_by"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("removed_at", _utc(), nullable=True),
    )
    op.create_index("evidence_file_lookup", "evidence_file", ["case_id", "evidence_id"])


def downgrade() -> None:
    raise NotImplementedError("qa-engine stores are only upgraded")
