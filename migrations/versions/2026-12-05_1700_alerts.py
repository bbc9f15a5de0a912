"""Alerts: the `alerts` and `alert_rules` tables, and what the rollups need for them.

- `alerts`: one row per alert; at most one open per series and direction (a
  partial unique index). `alert_rules`: the rules, one JSON document.
- The rollups gain the sum of squared SERVQUAL perceptions per dimension
  (`sq_<dimension>_sum_p_sq`: the alerts need the spread of the perceptions) and a
  cube of branch by touchpoint (cube 9, `location_touchpoint`: alerts per branch and
  moment of truth).
- The cells in place hold neither, so the rollups are emptied and the watermark set
  back to 0: the service's rollup worker rolls every event up again in the
  background (200,000 events a round). Answers stay exact meanwhile; they read more
  raw rows until it is done (`feedback rollups status` shows the progress).

Revision ID: 7d2e4f6a8c10
Revises: 3c9d1e7a5b24
Create Date: 2026-12-05 17:00:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7d2e4f6a8c10"
down_revision: str | None = "3c9d1e7a5b24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

# Frozen copies, as in the other rollup migrations.
SERVQUAL = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")
SPANS = ("hour", "day", "week", "month")
CUBE_LOCATION_TOUCHPOINT = 9


def _reset_rollups() -> None:
    pending = op.get_bind().execute(sa.text("SELECT watermark FROM metric_rollup_state")).scalar()
    op.execute("TRUNCATE metric_rollups")
    op.execute("UPDATE metric_rollup_state SET watermark = 0, rolled_at = NULL WHERE id = 1")
    if pending:
        log.warning(
            "rollups emptied: the service rolls up the %s events again in the background", pending
        )


def upgrade() -> None:
    for d in SERVQUAL:
        op.add_column("metric_rollups", sa.Column(f"sq_{d}_sum_p_sq", sa.Integer(), nullable=True))
    cube = CUBE_LOCATION_TOUCHPOINT
    op.execute(
        f"CREATE TABLE metric_rollups_c{cube} PARTITION OF metric_rollups "
        f"FOR VALUES IN ({cube}) PARTITION BY LIST (span)"
    )
    for span in SPANS:
        op.execute(
            f"CREATE TABLE metric_rollups_c{cube}_{span} PARTITION OF metric_rollups_c{cube} "
            f"FOR VALUES IN ('{span}')"
        )
    _reset_rollups()

    op.create_table(
        "alerts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("dimension", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column(
            "conditions",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("location_id", sa.Text(), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=128), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("muted_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("direction IN ('down', 'up')", name=op.f("ck_alerts_direction")),
        sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f("ck_alerts_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(
        "uq_alerts_open_series", "alerts", ["series", "direction"], unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )  # fmt: skip
    op.create_index("ix_alerts_opened", "alerts", ["opened_at", "id"])
    op.create_index("ix_alerts_status_opened", "alerts", ["status", "opened_at", "id"])
    op.create_index(op.f("ix_alerts_location_id"), "alerts", ["location_id"])
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column(
            "rules",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_alert_rules_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
    )


def downgrade() -> None:
    op.drop_table("alert_rules")
    op.drop_table("alerts")
    op.execute(f"DROP TABLE metric_rollups_c{CUBE_LOCATION_TOUCHPOINT}")
    for d in SERVQUAL:
        op.drop_column("metric_rollups", f"sq_{d}_sum_p_sq")
    _reset_rollups()
