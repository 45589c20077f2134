"""Schema 1: the checker's records (qa-engine 0.1): ruleset and rubric versions,
dossier contents, evaluations, findings, rejections, reviewer actions, audit chain.

Frozen: stores written before migrations existed have exactly these tables and are
stamped with this revision when first opened by a newer qa-engine.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _bigint_pk() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "schema_meta",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("upgraded_at", _utc(), nullable=False),
        sa.CheckConstraint("id = 1", name="schema_meta_one_row"),
    )
    for name, key in (("ruleset_version", "ruleset_id"), ("rubric_version", "rubric_id")):
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(key, sa.String(64), nullable=False),
            sa.Column("version", sa.String(32), nullable=False),
            sa.Column("sha256", sa.String(64), nullable=False, unique=True),
            sa.Column("title", sa.String(), nullable=False),
            sa.Column("source", sa.String(), nullable=True),
            sa.Column("content", sa.Text(), nullable=False),
            sa.Column("created_at", _utc(), nullable=False),
        )
        op.create_index(f"ix_{name}_{key}", name, [key])
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.String(200), nullable=False),
        sa.Column("dossier_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("dossier_json", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_index("ix_submission_dossier_id", "submission", ["dossier_id"])
    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("dossier_id", sa.String(200), nullable=False),
        sa.Column("dossier_sha256", sa.String(64), nullable=False),
        sa.Column("ruleset_version_id", sa.Integer(), sa.ForeignKey("ruleset_version.id"), nullable=False),
        sa.Column("ruleset_sha256", sa.String(64), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), sa.ForeignKey("rubric_version.id"), nullable=False),
        sa.Column("rubric_sha256", sa.String(64), nullable=False),
        sa.Column("engine", sa.String(32), nullable=False),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(64), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("score_exact", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.String(200), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.UniqueConstraint("dossier_sha256", "ruleset_sha256", "rubric_sha256", name="evaluation_once"),
    )
    op.create_index("ix_evaluation_batch_id", "evaluation", ["batch_id"])
    op.create_index("ix_evaluation_dossier_id", "evaluation", ["dossier_id"])
    op.create_table(
        "finding",
        sa.Column("id", _bigint_pk(), primary_key=True),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("evaluation.id"), nullable=False),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("criterion_sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("essential_failed", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("evaluation_id", "criterion_id", name="finding_once"),
    )
    op.create_index("ix_finding_state", "finding", ["state"])
    op.create_table(
        "rejection",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("input_file", sa.String(), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("dossier_id", sa.String(200), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.String(200), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_index("ix_rejection_batch_id", "rejection", ["batch_id"])
    op.create_index("ix_rejection_dossier_id", "rejection", ["dossier_id"])
    op.create_table(
        "review_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("evaluation.id"), nullable=False),
        sa.Column("dossier_id", sa.String(200), nullable=False),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("criterion_sha256", sa.String(64), nullable=False),
        sa.Column("state_before", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.CheckConstraint("kind IN ('override', 'waiver')", name="review_action_kind"),
        sa.CheckConstraint(
            "(kind = 'override' AND state IS NOT NULL) OR (kind = 'waiver' AND state IS NULL)",
            name="review_action_state",
        ),
    )
    op.create_index("review_action_lookup", "review_action", ["dossier_id", "criterion_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="audit_head_one_row"),
    )
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("last_id"), sa.column("last_hash")),
        [{"id": 1, "last_id": 0, "last_hash": "0" * 64}],
    )


def downgrade() -> None:
    raise NotImplementedError("qa-engine stores are only upgraded")
