"""A key's `location_id` binds ingest, read and cases keys; admin keys cannot be bound.

On read, cases and admin keys the binding was accepted but never enforced: a read
key bound to vie-07 listed ber-01's events, its cases key worked ber-01's cases,
its admin key created unbound keys. Read and cases keys now keep their binding,
which the service enforces from this version on (they read and work their branch
only: docs/security.md, API1). On an admin key it cannot mean anything (an admin
creates any key), so it is removed from the keys that have one (logged with the
count) and a CHECK constraint refuses it.

Revision ID: 3c9d1e7a5b24
Revises: 1f7b701aa87f
Create Date: 2026-12-05 09:30:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c9d1e7a5b24"
down_revision: str | None = "1f7b701aa87f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    unbound = (
        op.get_bind()
        .execute(
            sa.text(
                "UPDATE api_keys SET location_id = NULL "
                "WHERE scope = 'admin' AND location_id IS NOT NULL"
            )
        )
        .rowcount
    )
    if unbound:
        log.warning(
            "removed the location binding of %d admin key(s): it was never enforced and "
            "cannot be (an admin key creates keys for every branch)",
            unbound,
        )
    op.create_check_constraint(
        op.f("ck_api_keys_location_not_admin"),
        "api_keys",
        "location_id IS NULL OR scope <> 'admin'",
    )


def downgrade() -> None:
    # Also the constraint an earlier draft of this revision made (ingest keys only).
    for name in ("ck_api_keys_location_not_admin", "ck_api_keys_location_only_ingest"):
        op.execute(f"ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS {name}")
