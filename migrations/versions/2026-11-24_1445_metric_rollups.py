"""Rollup tables for the metrics engine (app/rollups) and their single-row state.

`metric_rollups` is partitioned by cube (LIST), each cube by span (LIST): 8 x 3
partitions named metric_rollups_c<cube>_<span>.

Revision ID: 3f6d2b8c1a57
Revises: 95a0e1c88c4f
Create Date: 2026-11-24 14:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3f6d2b8c1a57"
down_revision: str | None = "95a0e1c88c4f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of app.metrics.aggregates.COLUMNS and app.rollups.cubes.ROLLUP_DIMENSIONS
# as they were when this migration was written: later code changes need a new migration.
DIMENSIONS = (
    "respondent_type", "channel", "touchpoint", "location_id", "employee_id", "segment",
    "acquisition_source",
)  # fmt: skip
SERVQUAL = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")
PARTS = ("n_p", "sum_p", "n_e", "sum_e", "n_pe", "sum_gap", "sum_gap_sq")
CUBES = range(1, 9)
SPANS = ("hour", "day", "week")
AGGREGATES = (
    "volume",
    *(f"nps_{s}" for s in range(0, 11)),
    *(f"csat_{s}" for s in range(1, 6)),
    *(f"ces_{s}" for s in range(1, 8)),
    *(f"sq_{d}_{part}" for d in SERVQUAL for part in PARTS),
)


def upgrade() -> None:
    op.create_table(
        "metric_rollups",
        sa.Column("cube", sa.SmallInteger(), nullable=False),
        sa.Column("span", sa.String(length=8), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respondent_type", sa.String(length=16), nullable=False),
        *(sa.Column(d, sa.Text(), nullable=True) for d in DIMENSIONS[1:]),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in AGGREGATES),
        postgresql_partition_by="LIST (cube)",
    )
    for cube in CUBES:
        op.execute(
            f"CREATE TABLE metric_rollups_c{cube} PARTITION OF metric_rollups "
            f"FOR VALUES IN ({cube}) PARTITION BY LIST (span)"
        )
        for span in SPANS:
            op.execute(
                f"CREATE TABLE metric_rollups_c{cube}_{span} PARTITION OF metric_rollups_c{cube} "
                f"FOR VALUES IN ('{span}')"
            )
    op.create_index(
        "uq_metric_rollups_cell",
        "metric_rollups",
        ["cube", "span", "zone", "bucket", *DIMENSIONS],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_table(
        "metric_rollup_state",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("watermark", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "zones",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("rolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_metric_rollup_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_rollup_state")),
    )
    op.execute("INSERT INTO metric_rollup_state (id) VALUES (1)")


def downgrade() -> None:
    op.drop_table("metric_rollup_state")
    op.drop_index("uq_metric_rollups_cell", table_name="metric_rollups")
    op.drop_table("metric_rollups")  # and its partitions
