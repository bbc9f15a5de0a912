"""Follow-up cases: rules (with the default set), cases, their history; the `cases` key scope;
an index on one respondent's events.

Revision ID: 7c1e4f9a2b60
Revises: 3f6d2b8c1a57
Create Date: 2026-11-24 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7c1e4f9a2b60"
down_revision: str | None = "3f6d2b8c1a57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")
# The defaults of the issue: NPS detractor (0-6), CSAT <= 2, CES <= 2, or asked for.
DEFAULT_RULES = """
INSERT INTO follow_up_rules (name, score, min_score, max_score, respondent_types) VALUES
    ('nps-detractor', 'nps', 0, 6, '{customer,internal}'),
    ('csat-low', 'csat', 1, 2, '{customer,internal}'),
    ('ces-hard', 'ces', 1, 2, '{customer,internal}'),
    ('follow-up-requested', 'follow_up_requested', NULL, NULL, '{customer,internal}')
"""


def upgrade() -> None:
    op.create_table(
        "follow_up_rules",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("score", sa.String(length=32), nullable=False),
        sa.Column("min_score", sa.SmallInteger(), nullable=True),
        sa.Column("max_score", sa.SmallInteger(), nullable=True),
        sa.Column("respondent_types", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "score IN ('nps', 'csat', 'ces', 'follow_up_requested')",
            name=op.f("ck_follow_up_rules_score"),
        ),
        sa.CheckConstraint(
            "(score = 'follow_up_requested') = (min_score IS NULL AND max_score IS NULL)",
            name=op.f("ck_follow_up_rules_score_range"),
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_follow_up_rules")),
    )
    op.execute(DEFAULT_RULES)
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_pk", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("touchpoint", sa.String(length=64), nullable=True),
        sa.Column("location_id", sa.String(length=128), nullable=True),
        sa.Column("employee_id", sa.String(length=128), nullable=True),
        sa.Column("respondent_id", sa.String(length=128), nullable=True),
        sa.Column("respondent_type", sa.String(length=16), nullable=False),
        sa.Column("segment", sa.String(length=64), nullable=True),
        sa.Column("acquisition_source", sa.String(length=64), nullable=True),
        sa.Column(
            "tags",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("nps", sa.SmallInteger(), nullable=True),
        sa.Column("csat", sa.SmallInteger(), nullable=True),
        sa.Column("ces", sa.SmallInteger(), nullable=True),
        sa.Column("reasons", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("assignee", sa.String(length=128), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("first_contact_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'contacted', 'resolved', 'unreachable')",
            name=op.f("ck_follow_ups_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("event_pk", name=op.f("uq_follow_ups_event_pk")),
    )
    op.create_index("ix_follow_ups_status_opened", "follow_ups", ["status", "opened_at", "id"])
    op.create_index("ix_follow_ups_opened", "follow_ups", ["opened_at", "id"])
    op.create_index("ix_follow_ups_respondent", "follow_ups", ["respondent_id", "occurred_at"])
    op.create_index(op.f("ix_follow_ups_location_id"), "follow_ups", ["location_id"])
    op.create_index(op.f("ix_follow_ups_assignee"), "follow_ups", ["assignee"])
    op.create_table(
        "follow_up_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("follow_up_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("key_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("assignee", sa.String(length=128), nullable=True),
        sa.Column("contact_channel", sa.String(length=64), nullable=True),
        sa.Column("contact_outcome", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_follow_up_changes_follow_up_id_follow_ups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_changes")),
    )
    op.create_index("ix_follow_up_changes_case", "follow_up_changes", ["follow_up_id", "id"])
    op.create_index(
        "ix_feedback_events_respondent",
        "feedback_events",
        ["respondent_id", "occurred_at"],
        postgresql_where=sa.text("respondent_id IS NOT NULL"),
    )
    op.drop_constraint(op.f("ck_api_keys_scope"), "api_keys", type_="check")
    op.create_check_constraint(
        op.f("ck_api_keys_scope"), "api_keys", "scope IN ('ingest', 'read', 'cases', 'admin')"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE api_keys SET revoked_at = now() WHERE scope = 'cases' AND revoked_at IS NULL"
    )
    op.execute("UPDATE api_keys SET scope = 'read' WHERE scope = 'cases'")
    op.drop_constraint(op.f("ck_api_keys_scope"), "api_keys", type_="check")
    op.create_check_constraint(
        op.f("ck_api_keys_scope"), "api_keys", "scope IN ('ingest', 'read', 'admin')"
    )
    op.drop_index("ix_feedback_events_respondent", table_name="feedback_events")
    op.drop_table("follow_up_changes")
    op.drop_table("follow_ups")
    op.drop_table("follow_up_rules")
