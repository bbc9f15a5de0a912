"""A BRIN index on feedback_events.occurred_at for metrics windows.

Revision ID: 95a0e1c88c4f
Revises: 7c1e2a9f4b10
Create Date: 2026-11-24 11:36:12.808959
"""

from collections.abc import Sequence

from alembic import op

revision: str = "95a0e1c88c4f"
down_revision: str | None = "7c1e2a9f4b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_feedback_events_occurred_at_brin",
        "feedback_events",
        ["occurred_at"],
        unique=False,
        postgresql_using="brin",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_feedback_events_occurred_at_brin", table_name="feedback_events", postgresql_using="brin"
    )
