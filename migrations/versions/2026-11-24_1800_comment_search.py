"""Comment search and event paging: a trigram index on comments, a btree on (occurred_at, id).

`GET /v1/feedback?q=` matches words anywhere in a comment, in any language, with
ILIKE; pg_trgm's GIN index serves it (pg_trgm is a trusted extension: the
database owner may create it). The event list and the export read in
(occurred_at, id) order; the btree gives them their pages without sorting the
whole window (docs/benchmarks.md, "Event lists").

Revision ID: 2b7e5a91c3d4
Revises: 9d3b2e7f4c18
Create Date: 2026-11-24 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2b7e5a91c3d4"
down_revision: str | None = "9d3b2e7f4c18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_feedback_events_comment_trgm",
        "feedback_events",
        ["comment"],
        postgresql_using="gin",
        postgresql_ops={"comment": "gin_trgm_ops"},
        postgresql_where="comment IS NOT NULL",
    )
    op.create_index("ix_feedback_events_occurred_at_id", "feedback_events", ["occurred_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_events_occurred_at_id", table_name="feedback_events")
    op.drop_index("ix_feedback_events_comment_trgm", table_name="feedback_events")
    # pg_trgm stays: other objects in the database may use it.
