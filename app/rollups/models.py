"""The rollup tables: pre-aggregated cells, and the watermark that says what they hold.

One table for every cube and grain (`cube`, `grain` and `bucket` lead its key),
so a query reads one index range. Aggregate columns are the additive columns
of `aggregates.COLUMNS` as integers, NULL where zero: most cells have no
SERVQUAL answers, and NULLs cost no space.
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
from app.metrics.aggregates import COLUMNS
from app.rollups.cubes import ROLLUP_DIMENSIONS

metric_rollups = Table(
    "metric_rollups",
    Base.metadata,
    Column("cube", SmallInteger, nullable=False),
    Column("grain", String(80), nullable=False),  # "hour" (UTC) or "day:<IANA zone>"
    Column("bucket", DateTime(timezone=True), nullable=False),  # start of the hour or local day
    Column("respondent_type", String(16), nullable=False),
    *(Column(d, Text) for d in ROLLUP_DIMENSIONS if d != "respondent_type"),
    *(Column(name, Integer) for name, _ in COLUMNS),
    Index(
        "uq_metric_rollups_cell",
        "cube",
        "grain",
        "bucket",
        *ROLLUP_DIMENSIONS,
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
)

metric_rollup_state = Table(
    "metric_rollup_state",
    Base.metadata,
    Column("id", SmallInteger, primary_key=True),
    # Every event with id <= watermark is in the rollups; no other is.
    Column("watermark", BigInteger, nullable=False, server_default=text("0")),
    # The zones whose local days are rolled up (a day grain is used only if listed here).
    Column("zones", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("rolled_at", DateTime(timezone=True)),
    CheckConstraint("id = 1", name="single_row"),
)
