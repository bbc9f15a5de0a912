"""Comment analytics: what the text enrichment derives and keeps (app/text/models.py).

`comment_insights`, `text_examples` and `text_pending` go with their event (a foreign
key, ON DELETE CASCADE: erasure) and with its text: when a comment changes
(retention clears it, erasure redacts a mention of someone in it), the trigger
`feedback_events_comment_changed` deletes what was derived from it and, if a comment
is left, queues the event to be enriched again. Ingest never updates a comment, so
the trigger costs the hot path nothing.

Revision ID: 5e1a9c3d7b42
Revises: 7d2e4f6a8c10
Create Date: 2026-12-05 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5e1a9c3d7b42"
down_revision: str | None = "7d2e4f6a8c10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FORGET = """
CREATE FUNCTION comment_insights_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM comment_insights WHERE event_pk = NEW.id;
    DELETE FROM text_examples WHERE event_pk = NEW.id;
    IF NEW.comment IS NOT NULL AND btrim(NEW.comment) <> '' THEN
        INSERT INTO text_pending (event_pk) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$
"""
TRIGGER = """
CREATE TRIGGER feedback_events_comment_changed
AFTER UPDATE OF comment ON feedback_events
FOR EACH ROW WHEN (OLD.comment IS DISTINCT FROM NEW.comment)
EXECUTE FUNCTION comment_insights_forget()
"""


def _event_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["event_pk"], ["feedback_events.id"], ondelete="CASCADE",
        name=op.f(f"fk_{table}_event_pk_feedback_events"),
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "comment_insights",
        sa.Column("event_pk", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("language_source", sa.String(length=16), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("sentiment_source", sa.String(length=16), nullable=False),
        sa.Column(
            "themes",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column(
            "key_phrases",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column(
            "enriched_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "sentiment IN ('negative', 'neutral', 'positive')",
            name=op.f("ck_comment_insights_sentiment"),
        ),
        _event_fk("comment_insights"),
        sa.PrimaryKeyConstraint("event_pk", name=op.f("pk_comment_insights")),
    )
    op.create_index(
        "ix_comment_insights_themes", "comment_insights", ["themes"], postgresql_using="gin"
    )
    op.create_table(
        "text_examples",
        sa.Column("event_pk", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("label", sa.SmallInteger(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        _event_fk("text_examples"),
        sa.PrimaryKeyConstraint("event_pk", name=op.f("pk_text_examples")),
    )
    op.create_index("ix_text_examples_class", "text_examples", ["language", "label", "event_pk"])
    op.create_table(
        "text_pending",
        sa.Column("event_pk", sa.BigInteger(), nullable=False),
        _event_fk("text_pending"),
        sa.PrimaryKeyConstraint("event_pk", name=op.f("pk_text_pending")),
    )
    op.create_table(
        "text_models",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("kind", sa.String(length=32), server_default="sentiment", nullable=False),
        sa.Column("embedder", sa.String(length=128), nullable=False),
        sa.Column("model", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_models")),
    )
    op.create_table(
        "text_themes",
        sa.Column("name", sa.String(length=48), nullable=False),
        sa.Column("definition", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_text_themes")),
    )
    op.create_table(
        "text_state",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("watermark", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rebuild_from", sa.BigInteger(), nullable=True),
        sa.Column("rebuild_to", sa.BigInteger(), nullable=True),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("enriched_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_text_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_state")),
    )
    op.execute("INSERT INTO text_state (id) VALUES (1)")
    op.execute(FORGET)
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER feedback_events_comment_changed ON feedback_events")
    op.execute("DROP FUNCTION comment_insights_forget()")
    for table in (
        "text_state", "text_themes", "text_models", "text_pending", "text_examples",
        "comment_insights",
    ):  # fmt: skip
        op.drop_table(table)
