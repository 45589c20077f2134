"""Schema 4: the review workflow — panels and their members (with conflict-of-interest
declarations), independent reviews and their judgments, the chair's resolutions,
decisions, their conditions and the amendments answering them.

Revision ID: 0004_review_workflow
Revises: 0003_compact_reports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_review_workflow"
down_revision = "0003_compact_reports"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _fk(name: str, target: str, *, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=nullable, index=index)


def upgrade() -> None:
    op.create_table(
        "review_panel",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("case_id", "submission_case.id", index=True),
        _fk("evaluation_id", "evaluation.id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("policy_ref", sa.String(100), nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _fk("created_by", "user_account.id"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint("state IN ('open', 'closed')", name="review_panel_state"),
    )
    op.create_table(
        "panel_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("panel_id", "review_panel.id", index=True),
        _fk("user_id", "user_account.id", index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("external", sa.Boolean(), nullable=False),
        sa.Column("subject_matter", sa.Boolean(), nullable=False),
        sa.Column("conflict", sa.String(16), nullable=False),
        sa.Column("conflict_note", sa.Text(), nullable=True),
        sa.Column("declared_at", _utc(), nullable=True),
        sa.UniqueConstraint("panel_id", "user_id", name="panel_member_once"),
        sa.CheckConstraint("role IN ('chair', 'member')", name="panel_member_role"),
        sa.CheckConstraint("conflict IN ('pending', 'none', 'declared')", name="panel_member_conflict"),
    )
    op.create_table(
        "panel_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("panel_id", "review_panel.id", index=True),
        _fk("user_id", "user_account.id"),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=True),
        sa.UniqueConstraint("panel_id", "user_id", name="panel_review_once"),
        sa.CheckConstraint("state IN ('draft', 'submitted')", name="panel_review_state"),
    )
    op.create_table(
        "review_judgment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("review_id", "panel_review.id", index=True),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.UniqueConstraint("review_id", "criterion_id", name="review_judgment_once"),
        sa.CheckConstraint("agrees OR reason IS NOT NULL", name="review_judgment_reason"),
    )
    op.create_table(
        "panel_resolution",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("panel_id", "review_panel.id", index=True),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _fk("user_id", "user_account.id"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.UniqueConstraint("panel_id", "criterion_id", name="panel_resolution_once"),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("case_id", "submission_case.id", index=True),
        _fk("panel_id", "review_panel.id", nullable=True),
        _fk("evaluation_id", "evaluation.id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("dossier_sha256", sa.String(64), nullable=False),
        sa.Column("ruleset_sha256", sa.String(64), nullable=False),
        sa.Column("rubric_sha256", sa.String(64), nullable=False),
        sa.Column("report_sha256", sa.String(64), nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("decided_outcome", sa.String(32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("score_exact", sa.String(100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("criteria_json", sa.Text(), nullable=False),
        sa.Column("panel_json", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        _fk("decided_by", "user_account.id"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('accredited', 'accredited_with_conditions', 'not_accredited')", name="decision_outcome"
        ),
    )
    op.create_table(
        "decision_condition",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("decision_id", "decision.id", index=True),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("criteria", sa.String(2000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _fk("closed_by", "user_account.id", nullable=True),
        sa.Column("met_in_amendment", sa.Integer(), nullable=True),
        sa.UniqueConstraint("decision_id", "label", name="decision_condition_once"),
        sa.CheckConstraint("state IN ('open', 'met')", name="decision_condition_state"),
    )
    op.create_table(
        "decision_amendment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("decision_id", "decision.id", index=True),
        _fk("evaluation_id", "evaluation.id"),
        sa.Column("dossier_sha256", sa.String(64), nullable=False),
        sa.Column("checks_json", sa.Text(), nullable=False),
        sa.Column("re_review", sa.String(2000), nullable=True),
        _fk("created_by", "user_account.id"),
        sa.Column("created_at", _utc(), nullable=False),
    )


def downgrade() -> None:
    """Drop the workflow's tables (children first); for tests that step back to 0002."""
    for name in ("decision_amendment", "decision_condition", "decision", "panel_resolution",
                 "review_judgment", "panel_review", "panel_member", "review_panel"):
        op.drop_table(name)
