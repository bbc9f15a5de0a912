"""The location registry: branches with their region and IANA time zone.

Revision ID: d8a694429f81
Revises: 5bece7ce6619
Create Date: 2026-11-24 10:52:32.052251
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d8a694429f81"
down_revision: str | None = "5bece7ce6619"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    op.create_index(op.f("ix_locations_region"), "locations", ["region"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_locations_region"), table_name="locations")
    op.drop_table("locations")
