"""Data rights: ledger tombstones, the erasure audit table, retention state, and a BRIN
index on feedback_events.received_at for retention.

Revision ID: 5e8a1c3d9b27
Revises: 4b8e1c2d9f30
Create Date: 2026-11-24 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e8a1c3d9b27"
down_revision: str | None = "4b8e1c2d9f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")
TOMBSTONE = (
    "(event_pk IS NULL) = (occurred_at IS NULL) AND (event_pk IS NULL) = (body_hash IS NULL)"
)


def upgrade() -> None:
    # An erased event leaves its event_id in the ledger as a tombstone (nothing else), so a
    # replay is recognised and stores nothing.
    for column in ("event_pk", "occurred_at", "body_hash"):
        op.alter_column("feedback_event_ids", column, nullable=True)
    op.create_check_constraint(
        op.f("ck_feedback_event_ids_tombstone"), "feedback_event_ids", TOMBSTONE
    )
    op.create_table(
        "erasures",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("key_id", sa.Uuid(), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("follow_up_changes", sa.Integer(), nullable=False),
        sa.Column("ledger_tombstones", sa.Integer(), nullable=False),
        sa.Column("webhook_messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_table(
        "retention_state",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("cleared_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_retention_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_state")),
    )
    op.execute("INSERT INTO retention_state (id) VALUES (1)")
    op.create_index(
        "ix_feedback_events_received_at_brin",
        "feedback_events",
        ["received_at"],
        postgresql_using="brin",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_feedback_events_received_at_brin", table_name="feedback_events", postgresql_using="brin"
    )
    op.drop_table("retention_state")
    op.drop_table("erasures")
    op.drop_constraint(op.f("ck_feedback_event_ids_tombstone"), "feedback_event_ids", type_="check")
    op.execute("DELETE FROM feedback_event_ids WHERE event_pk IS NULL")  # tombstones
    for column in ("event_pk", "occurred_at", "body_hash"):
        op.alter_column("feedback_event_ids", column, nullable=False)
