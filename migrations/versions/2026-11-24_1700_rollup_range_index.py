"""A narrow index for reading rollup cells: (zone, respondent_type, bucket) per partition.

Revision ID: 9d3b2e7f4c18
Revises: 7c1e4f9a2b60
Create Date: 2026-11-24 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9d3b2e7f4c18"
down_revision: str | None = "7c1e4f9a2b60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # On the partitioned table: PostgreSQL creates it on every partition.
    op.create_index(
        "ix_metric_rollups_range", "metric_rollups", ["zone", "respondent_type", "bucket"]
    )


def downgrade() -> None:
    op.drop_index("ix_metric_rollups_range", table_name="metric_rollups")
