"""The rollup tables: pre-aggregated cells, and the watermark that says what they hold.

One table, partitioned by cube and then by span (hour, day, week, month: the
partitions are made by the migration), so a query reads one small partition,
along its (zone, bucket) index range. Aggregate columns are the additive
columns of `aggregates.COLUMNS` as integers, NULL where zero: most cells have
no SERVQUAL answers, and NULLs cost no space.
"""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from app.db import Base
from app.rollups.aggregates import COLUMNS
from app.rollups.cubes import ROLLUP_DIMENSIONS

metric_rollups = Table(
    "metric_rollups",
    Base.metadata,
    Column("cube", SmallInteger, nullable=False),  # cubes.CUBES
    Column("span", String(8), nullable=False),  # hour, day, week, month
    Column("zone", String(64), nullable=False),  # IANA zone of a day or week; UTC for hours
    Column("bucket", DateTime(timezone=True), nullable=False),  # start of the hour, day or week
    Column("respondent_type", String(16), nullable=False),
    *(Column(d, Text) for d in ROLLUP_DIMENSIONS if d != "respondent_type"),
    *(Column(name, Integer) for name, _ in COLUMNS),
    Index(
        "uq_metric_rollups_cell",
        "cube",
        "span",
        "zone",
        "bucket",
        *ROLLUP_DIMENSIONS,
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
    # What readers scan: a zone's cells of the asked respondent types in a bucket range,
    # in one (cube, span) partition. Narrow, so reading it is ~10x cheaper than the
    # 11-column unique index (0.8 against 8.8 ms for 25,700 employee-week cells).
    Index("ix_metric_rollups_range", "zone", "respondent_type", "bucket"),
    postgresql_partition_by="LIST (cube)",
)

metric_rollup_state = Table(
    "metric_rollup_state",
    Base.metadata,
    Column("id", SmallInteger, primary_key=True),
    # Every event with id <= watermark is in the rollups; no other is.
    Column("watermark", BigInteger, nullable=False, server_default=text("0")),
    # The zones whose local days and weeks are rolled up (used only if listed here).
    Column("zones", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("rolled_at", DateTime(timezone=True)),
    CheckConstraint("id = 1", name="single_row"),
)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic autogenerate filter: the partitions of `metric_rollups` are made by its
    migration, not modelled here (metric_rollups_c<cube>, metric_rollups_c<cube>_<span>)."""
    return not (type_ == "table" and name is not None and name.startswith("metric_rollups_c"))
