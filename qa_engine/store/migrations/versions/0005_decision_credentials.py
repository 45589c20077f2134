"""Schema 5: publication — the signed decision credential of a published decision,
with the decision model it was signed from.

Revision ID: 0005_decision_credentials
Revises: 0004_review_workflow
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_decision_credentials"
down_revision = "0004_review_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_credential",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decision.id"), nullable=False, index=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("submission_case.id"), nullable=False, index=True),
        sa.Column("credential_id", sa.String(500), nullable=False),
        sa.Column("credential_json", sa.Text(), nullable=False),
        sa.Column("credential_sha256", sa.String(64), nullable=False),
        sa.Column("decision_json", sa.Text(), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("verification_method", sa.String(500), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("decision_credential")
