"""Reading the rollups: aggregates per (bucket, group) of a selection, exactly as the raw
table alone would give them (rollup rows and raw rows merged in one snapshot)."""

import asyncpg

from app.rollups.cubes import cube_for
from app.rollups.plan import calendar, plan
from app.rollups.queries import STATE_SQL, cells_sql
from app.selection.filters import Selection
from app.selection.snapshot import CUSTOM_PLANS, snapshot


async def fetch_cells(
    conn: asyncpg.Connection,
    filters: Selection,
    *,
    interval: str | None = None,
    group_by: str | None = None,
) -> list[asyncpg.Record]:
    """Aggregate rows per (bucket, group) of the filtered set, from rollups and raw rows.

    Exactly what the raw table alone gives; see app/rollups/plan.py for the split.
    Without interval and group_by: one row.
    """
    cube = cube_for([*filters.dimensions, *([group_by] if group_by else [])])
    async with snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        state = await conn.fetchrow(STATE_SQL, filters.start, filters.end, filters.tz)
        rolled = filters.tz in state["zones"]
        bounds = calendar(state, filters.tz, filters.start) if rolled else None
        split = plan(
            start=filters.start, end=filters.end, cube=cube, interval=interval,
            zone=filters.tz, calendar=bounds, open_end=state["open_end"],
        )  # fmt: skip
        sql, params = cells_sql(
            filters, interval=interval, group_by=group_by, plan=split,
            watermark=state["watermark"],
        )  # fmt: skip
        records: list[asyncpg.Record] = await conn.fetch(sql, *params)
        return records
