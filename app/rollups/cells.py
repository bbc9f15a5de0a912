"""Reading the rollups: aggregates per (bucket, group) of a selection, exactly as the raw
table alone would give them (rollup rows and raw rows merged in one snapshot)."""

import asyncpg

from app.rollups.cubes import cube_for
from app.rollups.plan import Plan, calendar, plan
from app.rollups.queries import STATE_SQL, cells_sql
from app.selection.attributes import group_parts
from app.selection.filters import Selection
from app.selection.snapshot import CUSTOM_PLANS, snapshot

# Before the snapshot is taken (a LOCK takes none; the state read does): a rebuild's
# swap (app/rollups/rebuild.py) replaces the cells' partitions, which no snapshot
# guards, so a reader that had read the old watermark and then the new cells would see
# them empty (their rows newer than its snapshot) or count the events between the two
# watermarks twice. With the parent held, the swap waits for the answers in progress,
# and answers begun during it start after it.
HOLD_CELLS = "LOCK TABLE ONLY metric_rollups IN ACCESS SHARE MODE"


async def fetch_cells(
    conn: asyncpg.Connection,
    filters: Selection,
    *,
    interval: str | None = None,
    group_by: str | None = None,
    by_received_day: bool = False,
    packed: bool = False,
) -> list[asyncpg.Record]:
    """Aggregate rows per (bucket, group) of the filtered set, from rollups and raw rows.

    Exactly what the raw table alone gives; see app/rollups/plan.py for the split.
    Without interval and group_by: one row. `group_by` may join two dimensions with "+"
    ("location_id+touchpoint"): the group is then a list of both values. An attribute
    (`attribute:<key>`) groups as `filters.grouping` says (app/selection/grouping.py).
    `by_received_day`: the raw rows only, with one more key, `received`: the local day
    each was stored (for a replay of what was known by each day's end; the rollups
    hold what is stored now).
    `packed`: the aggregates as one bytes value, `counts`, the binary form of a bigint[] in
    `column_names(filters.metrics)` order, after the bucket's start in microseconds since
    1970 with an interval (no `bucket` key then): an answer of many cells reads them all
    in numpy, not a Python int per aggregate. With an interval, one (bucket, group) may
    come in several rows, to be summed, and a group whose volume sums to 0 is not in
    the window (`cells_sql`).
    """
    cube = cube_for([*filters.dimensions, *(group_parts(group_by) if group_by else [])])
    async with snapshot(conn):
        await conn.execute(f"{HOLD_CELLS}; {CUSTOM_PLANS}")  # one round trip
        state = await conn.fetchrow(STATE_SQL, filters.start, filters.end, filters.tz)
        rolled = filters.tz in state["zones"]
        bounds = calendar(state, filters.tz, filters.start) if rolled else None
        split = plan(
            start=filters.start, end=filters.end, cube=cube, interval=interval,
            zone=filters.tz, calendar=bounds, open_end=state["open_end"],
        )  # fmt: skip
        if by_received_day:
            split = Plan(cube=None, raw=((filters.start, filters.end),))
        sql, params = cells_sql(
            filters, interval=interval, group_by=group_by, plan=split,
            watermark=state["watermark"], by_received_day=by_received_day,
            packed=packed,
        )  # fmt: skip
        records: list[asyncpg.Record] = await conn.fetch(sql, *params)
        return records
