"""Month cells for the rollups: a `month` partition per cube, filled from the day cells.

Windows of months (a quarter by branch, a year by month) read one cell per group
and month instead of one per day or week. The month cells are the sums of the
day cells already rolled up (exact: local days nest in local months), so no
event is rolled up again; later rounds add to them (app/rollups/service.py).

Revision ID: 6a1f0c3e8b52
Revises: 5e8a1c3d9b27
Create Date: 2026-11-24 20:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6a1f0c3e8b52"
down_revision: str | None = "5e8a1c3d9b27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies, as in 2026-11-24_1445_metric_rollups.py.
CUBES = range(1, 9)
DIMENSIONS = (
    "respondent_type", "channel", "touchpoint", "location_id", "employee_id", "segment",
    "acquisition_source",
)  # fmt: skip
SERVQUAL = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")
PARTS = ("n_p", "sum_p", "n_e", "sum_e", "n_pe", "sum_gap", "sum_gap_sq")
AGGREGATES = (
    "volume",
    *(f"nps_{s}" for s in range(0, 11)),
    *(f"csat_{s}" for s in range(1, 6)),
    *(f"ces_{s}" for s in range(1, 8)),
    *(f"sq_{d}_{part}" for d in SERVQUAL for part in PARTS),
)


def upgrade() -> None:
    for cube in CUBES:
        op.execute(
            f"CREATE TABLE metric_rollups_c{cube}_month PARTITION OF metric_rollups_c{cube} "
            "FOR VALUES IN ('month')"
        )
    dims = ", ".join(DIMENSIONS)
    op.execute(
        f"INSERT INTO metric_rollups (cube, span, zone, bucket, {dims}, {', '.join(AGGREGATES)}) "
        f"SELECT cube, 'month', zone, date_trunc('month', bucket, zone), {dims}, "
        + ", ".join(f"nullif(sum({a}), 0)::int" for a in AGGREGATES)
        + f" FROM metric_rollups WHERE span = 'day' GROUP BY cube, zone, 4, {dims}"
    )


def downgrade() -> None:
    for cube in CUBES:
        op.execute(f"DROP TABLE metric_rollups_c{cube}_month")
