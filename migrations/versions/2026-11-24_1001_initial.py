"""Initial schema: API keys, the raw feedback table, the idempotency ledger, contacts.

Revision ID: 5bece7ce6619
Revises:
Create Date: 2026-11-24 10:01:25.527714
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5bece7ce6619"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("prefix", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column("location_id", sa.String(length=128), nullable=True),
        sa.Column(
            "allowed_origins",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('ingest', 'read', 'admin')", name=op.f("ck_api_keys_scope")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_keys_secret_hash")),
    )
    op.create_table(
        "feedback_contacts",
        sa.Column("event_pk", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("event_pk", name=op.f("pk_feedback_contacts")),
    )
    op.create_table(
        "feedback_event_ids",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("event_pk", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_feedback_event_ids")),
    )
    op.create_table(
        "feedback_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_key_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("touchpoint", sa.String(length=64), nullable=True),
        sa.Column("location_id", sa.String(length=128), nullable=True),
        sa.Column("employee_id", sa.String(length=128), nullable=True),
        sa.Column("respondent_id", sa.String(length=128), nullable=True),
        sa.Column(
            "respondent_type", sa.String(length=16), server_default="customer", nullable=False
        ),
        sa.Column("segment", sa.String(length=64), nullable=True),
        sa.Column("acquisition_source", sa.String(length=64), nullable=True),
        sa.Column("nps", sa.SmallInteger(), nullable=True),
        sa.Column("csat", sa.SmallInteger(), nullable=True),
        sa.Column("ces", sa.SmallInteger(), nullable=True),
        sa.Column("sq_reliability_p", sa.SmallInteger(), nullable=True),
        sa.Column("sq_reliability_e", sa.SmallInteger(), nullable=True),
        sa.Column("sq_responsiveness_p", sa.SmallInteger(), nullable=True),
        sa.Column("sq_responsiveness_e", sa.SmallInteger(), nullable=True),
        sa.Column("sq_assurance_p", sa.SmallInteger(), nullable=True),
        sa.Column("sq_assurance_e", sa.SmallInteger(), nullable=True),
        sa.Column("sq_tangibles_p", sa.SmallInteger(), nullable=True),
        sa.Column("sq_tangibles_e", sa.SmallInteger(), nullable=True),
        sa.Column("sq_empathy_p", sa.SmallInteger(), nullable=True),
        sa.Column("sq_empathy_e", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column(
            "tags",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column(
            "attributes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "follow_up_requested", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("has_contact", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "respondent_type IN ('customer', 'internal', 'employee')",
            name=op.f("ck_feedback_events_respondent_type"),
        ),
        sa.CheckConstraint("ces BETWEEN 1 AND 7", name=op.f("ck_feedback_events_ces_range")),
        sa.CheckConstraint("csat BETWEEN 1 AND 5", name=op.f("ck_feedback_events_csat_range")),
        sa.CheckConstraint("nps BETWEEN 0 AND 10", name=op.f("ck_feedback_events_nps_range")),
        sa.CheckConstraint(
            "sq_assurance_e BETWEEN 1 AND 7", name=op.f("ck_feedback_events_sq_assurance_e_range")
        ),
        sa.CheckConstraint(
            "sq_assurance_p BETWEEN 1 AND 7", name=op.f("ck_feedback_events_sq_assurance_p_range")
        ),
        sa.CheckConstraint(
            "sq_empathy_e BETWEEN 1 AND 7", name=op.f("ck_feedback_events_sq_empathy_e_range")
        ),
        sa.CheckConstraint(
            "sq_empathy_p BETWEEN 1 AND 7", name=op.f("ck_feedback_events_sq_empathy_p_range")
        ),
        sa.CheckConstraint(
            "sq_reliability_e BETWEEN 1 AND 7",
            name=op.f("ck_feedback_events_sq_reliability_e_range"),
        ),
        sa.CheckConstraint(
            "sq_reliability_p BETWEEN 1 AND 7",
            name=op.f("ck_feedback_events_sq_reliability_p_range"),
        ),
        sa.CheckConstraint(
            "sq_responsiveness_e BETWEEN 1 AND 7",
            name=op.f("ck_feedback_events_sq_responsiveness_e_range"),
        ),
        sa.CheckConstraint(
            "sq_responsiveness_p BETWEEN 1 AND 7",
            name=op.f("ck_feedback_events_sq_responsiveness_p_range"),
        ),
        sa.CheckConstraint(
            "sq_tangibles_e BETWEEN 1 AND 7", name=op.f("ck_feedback_events_sq_tangibles_e_range")
        ),
        sa.CheckConstraint(
            "sq_tangibles_p BETWEEN 1 AND 7", name=op.f("ck_feedback_events_sq_tangibles_p_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_events")),
    )


def downgrade() -> None:
    op.drop_table("feedback_events")
    op.drop_table("feedback_event_ids")
    op.drop_table("feedback_contacts")
    op.drop_table("api_keys")
