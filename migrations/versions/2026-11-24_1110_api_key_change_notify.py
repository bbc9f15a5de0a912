"""Notify every worker's key cache when api_keys change, whoever changes them.

A statement-level trigger runs pg_notify('feedback_api_keys', ...) on UPDATE
and DELETE, so a revocation made through the API, the CLI or plain SQL
reaches every worker at commit (app/auth/cache.py).

Revision ID: 7c1e2a9f4b10
Revises: d8a694429f81
Create Date: 2026-11-24 11:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c1e2a9f4b10"
down_revision: str | None = "d8a694429f81"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION notify_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('feedback_api_keys', TG_OP);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
        FOR EACH STATEMENT EXECUTE FUNCTION notify_api_keys_changed()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER api_keys_changed ON api_keys")
    op.execute("DROP FUNCTION notify_api_keys_changed()")
