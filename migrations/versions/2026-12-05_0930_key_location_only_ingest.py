"""A key's `location_id` binds only ingest keys.

On a read, cases or admin key the binding was accepted but never enforced: a read
key bound to vie-07 listed ber-01's events, its cases key worked ber-01's cases,
its admin key created unbound keys. It meant nothing there, so it is refused at
creation (422) and removed from the keys that have one (logged with the count);
their answers do not change, since it was never applied. A CHECK constraint keeps it so.

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
                "WHERE scope <> 'ingest' AND location_id IS NOT NULL"
            )
        )
        .rowcount
    )
    if unbound:
        log.warning(
            "removed the location binding of %d read, cases or admin key(s): it was never "
            "enforced for those scopes (only ingest keys are bound to a branch)",
            unbound,
        )
    op.create_check_constraint(
        op.f("ck_api_keys_location_only_ingest"),
        "api_keys",
        "location_id IS NULL OR scope = 'ingest'",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_api_keys_location_only_ingest"), "api_keys", type_="check")
