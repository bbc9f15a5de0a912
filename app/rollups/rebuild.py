"""Rolling every event up again, in bulk: a rebuild, or a change of the zones rolled up.

Rounds (service.py) add events to the live cells with `INSERT ... ON CONFLICT`,
which keeps both of the table's indexes up to date cell by cell: half of a
round's time (10 of 20 s for 200,000 events, docs/benchmarks.md). A rebuild
starts from nothing, so it builds the cells beside the live ones and swaps
them in:

1. It takes the rollup lock for its session, as `service.paused` does (rounds
   skip; erasure and whole-month expiry wait, so no event it reads changes),
   and settles the last id S as a round does. Readers keep the live cells (and
   read raw above their watermark) until the swap: answers stay exact, and fast.
2. It copies the structure of `metric_rollups` (cube, then span partitions)
   without indexes as `rollup_build`, and fills it by ranges of `occurred_at`
   (whole UTC days, about `chunk` events each, id <= S): the same statement
   as a round's. A cell whose bucket lies inside its range is complete and
   goes to `rollup_build`; one that crosses the range's edge (a local day or
   week, a month) has only part of its events and goes to an unindexed
   `rollup_build_straddling`, summed into `rollup_build` once every range is
   done. Ranges are independent: `jobs` connections take them in turn.
3. It builds the indexes once over the full tables (a sort, not an insert
   per cell), analyzes them, and in one short transaction (ACCESS EXCLUSIVE
   on `metric_rollups` taken with a lock timeout, tried again) detaches and
   drops each cube's live partition, attaches the built one in its place,
   gives it and its indexes the live names, and sets the watermark to S and
   the zones.

A build that dies leaves only `rollup_build*` tables, which the next one drops.
"""

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from app.event_ids import LAST_ID_SQL, settled_last_id
from app.rollups import service
from app.rollups.aggregates import COLUMNS
from app.rollups.cubes import ROLLUP_DIMENSIONS, rolled_zones

log = logging.getLogger(__name__)

BUILD = "rollup_build"
STRADDLING = "rollup_build_straddling"
LIVE = "metric_rollups"
SWAP_LOCK_TIMEOUT = "2s"  # readers queue behind the swap's lock at most this long per try
SWAP_TRIES = 30

Connect = Callable[[], AbstractAsyncContextManager[asyncpg.Connection]]
"""Another connection to the database for one more job, given back when the job ends: a
pooled one (`Database.connection`) or one of its own (`feedback rollups rebuild`)."""

_KEY = ("cube", "span", "zone", "bucket", *ROLLUP_DIMENSIONS)
_AGGREGATES = tuple(name for name, _ in COLUMNS)
_COLUMNS = ", ".join((*_KEY, *_AGGREGATES))
# A cell lies inside [$2, $3) when none of its events can lie outside. `date_trunc` of
# an instant in the cell's span and zone is its bucket, and never decreases as the
# instant grows: so every event of a cell whose bucket is above that of the instant just
# before $2 is at or after $2, and every event of one whose bucket is below that of $3
# is before $3. (Not `bucket >= $2`: where a local midnight happens twice, the bucket
# is the later one, after some of its events: Europe/Lisbon, 1976-09-26.)
_INSIDE = (
    "bucket > date_trunc(span, $2::timestamptz - interval '1 microsecond', zone) "
    "AND bucket < date_trunc(span, $3::timestamptz, zone)"
)
_RANGE_EVENTS = (
    "SELECT * FROM feedback_events WHERE id <= $1 AND occurred_at >= $2 AND occurred_at < $3"
)


class Stopped(Exception):
    """The service is stopping: the build was abandoned (its tables dropped)."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    parent: str
    bound: str  # FOR VALUES IN (...)
    partitioned_by: str | None  # LIST (span), for a partition that has partitions


# Built cells are written in the order answers read them (that of the index
# `ix_metric_rollups_range`: zone, respondent_type, bucket), one sorted run per range
# and one for the merged parts: a year of one zone's weeks by branch then lies on about
# half the pages (1,001 -> 449 at 3 M events, docs/benchmarks.md), not spread among the
# other zones' and respondent types' cells. Rounds' new cells and updated versions go
# wherever there is room: the order holds until the next rebuild restores it.
_READ_ORDER = "ORDER BY zone, respondent_type, bucket"


def range_sql(zones: tuple[str, ...]) -> str:
    """One range's statement: the cells of the events with id <= $1 and $2 <= occurred_at
    < $3, those inside the range into `rollup_build`, the others into the straddling."""
    with_list, cells = service.cell_parts(zones, _RANGE_EVENTS)
    return (
        f"WITH {with_list},\ncells ({_COLUMNS}) AS MATERIALIZED (\n{cells}\n),\n"
        f"inside AS (INSERT INTO {BUILD} ({_COLUMNS}) "
        f"SELECT * FROM cells WHERE {_INSIDE} {_READ_ORDER})\n"
        f"INSERT INTO {STRADDLING} ({_COLUMNS}) SELECT * FROM cells WHERE NOT ({_INSIDE})"
    )


MERGE_SQL = (
    f"INSERT INTO {BUILD} ({_COLUMNS}) SELECT {', '.join(_KEY)}, "
    + ", ".join(f"nullif(sum({c}), 0)" for c in _AGGREGATES)
    + f" FROM {STRADDLING} GROUP BY {', '.join(_KEY)} {_READ_ORDER}"
)

TREE_SQL = """
SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partitioned_by
FROM pg_partition_tree($1::regclass) t
JOIN pg_class c ON c.oid = t.relid JOIN pg_class p ON p.oid = t.parentrelid
ORDER BY t.level, c.relname
"""

# An index is known by its table and what follows USING in its definition (the name and
# the table name aside: they are what differs between a built index and a live one).
INDEXES_SQL = """
SELECT c.relname AS tbl, i.relname AS name, x.indisunique AS is_unique,
       regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', '') AS definition
FROM pg_partition_tree($1::regclass) t
JOIN pg_class c ON c.oid = t.relid
JOIN pg_index x ON x.indrelid = c.oid JOIN pg_class i ON i.oid = x.indexrelid
"""

# Whole UTC days of the events to roll up, with their counts: the ranges are made of them.
DAYS_SQL = """
SELECT date_trunc('day', occurred_at, 'UTC') AS day, count(*) AS events
FROM feedback_events WHERE id <= $1 GROUP BY 1 ORDER BY 1
"""


def ranges(days: list[tuple[datetime, int]], chunk: int) -> list[tuple[datetime, datetime]]:
    """Consecutive [start, end) ranges of whole UTC days covering every day given, each
    with about `chunk` events (a day with more is a range of its own)."""
    out: list[tuple[datetime, datetime]] = []
    start: datetime | None = None
    count = 0
    for day, events in days:
        if start is None:
            start = day
        elif count + events > chunk and count > 0:
            out.append((start, day))
            start, count = day, 0
        count += events
    if start is not None:
        out.append((start, days[-1][0] + timedelta(days=1)))
    return out


def _built(name: str) -> str:
    return BUILD + name.removeprefix(LIVE)


async def _create_build(conn: asyncpg.Connection, tree: list[Table]) -> None:
    """`rollup_build` and its partitions, as `metric_rollups`'s but without indexes; each
    cube's table checks its cube, so attaching it in the swap scans nothing."""
    await conn.execute(f"DROP TABLE IF EXISTS {BUILD}, {STRADDLING}")
    await conn.execute(
        f"CREATE TABLE {BUILD} (LIKE {LIVE} INCLUDING DEFAULTS) PARTITION BY LIST (cube)"
    )
    for t in tree:
        by = f" PARTITION BY {t.partitioned_by}" if t.partitioned_by else ""
        await conn.execute(
            f"CREATE TABLE {_built(t.name)} PARTITION OF {_built(t.parent)} {t.bound}{by}"
        )
        if t.parent == LIVE:
            await conn.execute(
                f"ALTER TABLE {_built(t.name)} ADD CONSTRAINT {_built(t.name)}_cube "
                f"CHECK ({t.bound.removeprefix('FOR VALUES ').replace('IN', 'cube IN', 1)})"
            )
    # Scratch: unlogged (a crash empties it, and a crashed build starts over anyway).
    await conn.execute(f"CREATE UNLOGGED TABLE {STRADDLING} (LIKE {LIVE})")


_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (USING .*)$")


def _index_statements(cube_table: str, live_definitions: list[str]) -> list[str]:
    """The live root's indexes, made on one built cube table (and so on its partitions)."""
    out = []
    for i, definition in enumerate(live_definitions):
        match = _INDEX_DEF.match(definition)
        if match is None:
            raise RuntimeError(f"unexpected index definition: {definition}")
        unique, rest = match.group(1) or "", match.group(2)
        out.append(f"CREATE {unique}INDEX {_built(cube_table)}_i{i} ON {_built(cube_table)} {rest}")
    return out


async def _run_all(
    conn: asyncpg.Connection,
    connect: Connect | None,
    jobs: int,
    work: Sequence[tuple[str, tuple[object, ...]]],
    stopping: asyncio.Event | None = None,
) -> None:
    """Run the statements, each in its own transaction, on `jobs` connections in turn;
    raises `Stopped` before the next one once `stopping` is set."""
    queue: asyncio.Queue[tuple[str, tuple[object, ...]]] = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)

    async def worker(c: asyncpg.Connection) -> None:
        while not queue.empty():
            if stopping is not None and stopping.is_set():
                raise Stopped
            sql, args = queue.get_nowait()
            async with c.transaction():
                await c.execute("SET LOCAL statement_timeout = 0")
                await c.execute("SET LOCAL jit = off")  # as in a round
                await c.execute(f"SET LOCAL work_mem = '{service.ROUND_WORK_MEM}'")
                await c.execute(sql, *args)

    try:
        async with contextlib.AsyncExitStack() as stack:
            extra = []
            if connect is not None:
                for _ in range(jobs - 1):
                    extra.append(await stack.enter_async_context(connect()))
            async with asyncio.TaskGroup() as group:  # one fails: the others are cancelled
                for c in (conn, *extra):
                    group.create_task(worker(c))
    except* Stopped:
        raise Stopped from None


async def _swap(
    conn: asyncpg.Connection, tree: list[Table], last: int, zones: tuple[str, ...]
) -> None:
    """The built cube tables in place of the live ones, in one short transaction."""
    live_indexes = {
        (r["tbl"], r["is_unique"], r["definition"]): r["name"]
        for r in await conn.fetch(INDEXES_SQL, LIVE)
    }
    cubes = [t for t in tree if t.parent == LIVE]
    for attempt in range(1, SWAP_TRIES + 1):
        try:
            async with conn.transaction():
                await conn.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
                await conn.execute(f"LOCK TABLE {LIVE} IN ACCESS EXCLUSIVE MODE")
                for cube in cubes:
                    await conn.execute(f"ALTER TABLE {LIVE} DETACH PARTITION {cube.name}")
                    await conn.execute(f"DROP TABLE {cube.name}")
                    await conn.execute(f"ALTER TABLE {BUILD} DETACH PARTITION {_built(cube.name)}")
                for t in tree:  # parents before their partitions: names stay unique
                    await conn.execute(f"ALTER TABLE {_built(t.name)} RENAME TO {t.name}")
                for cube in cubes:
                    await conn.execute(
                        f"ALTER TABLE {LIVE} ATTACH PARTITION {cube.name} {cube.bound}"
                    )
                    await conn.execute(
                        f"ALTER TABLE {cube.name} DROP CONSTRAINT {_built(cube.name)}_cube"
                    )
                for r in await conn.fetch(INDEXES_SQL, LIVE):
                    name = live_indexes.get((r["tbl"], r["is_unique"], r["definition"]))
                    if name is not None and name != r["name"]:
                        await conn.execute(f'ALTER INDEX "{r["name"]}" RENAME TO "{name}"')
                await conn.execute(f"DROP TABLE {BUILD}, {STRADDLING}")
                await service.forget_detached_months(conn)
                await conn.execute(
                    "UPDATE metric_rollup_state SET watermark = $1, zones = $2, rolled_at = now() "
                    "WHERE id = 1",
                    last, list(zones),
                )  # fmt: skip
            return
        except asyncpg.LockNotAvailableError:
            log.info("rollup rebuild: readers hold the cells; swap %d of %d", attempt, SWAP_TRIES)
    raise RuntimeError(f"rollup rebuild: could not swap the cells in {SWAP_TRIES} tries")


async def rebuild(
    conn: asyncpg.Connection,
    zones: tuple[str, ...],
    chunk: int = service.DEFAULT_CHUNK,
    *,
    jobs: int = 1,
    connect: Connect | None = None,
) -> int:
    """Roll every event up again into new cells and swap them in (module doc); returns the
    event ids rolled up (the watermark after it). Waits for a round or another rebuild in
    progress. `jobs` > 1 needs `connect`, which lends more connections to the database."""
    async with service.paused(conn):
        return await _build(conn, rolled_zones(*zones), chunk, jobs, connect)


async def rebuild_for_zones(
    conn: asyncpg.Connection,
    zones: tuple[str, ...],
    chunk: int = service.DEFAULT_CHUNK,
    stopping: asyncio.Event | None = None,
    *,
    jobs: int = 1,
    connect: Connect | None = None,
) -> int:
    """Rebuild if the cells hold other zones than `zones` and more than a round's events
    would be rolled up again (a round resets and rolls up fewer as fast); a worker's first
    step, so a change of `FEEDBACK_ROLLUP_ZONES` (or a first start on imported history) is
    a rebuild, not many rounds. Returns the event ids rebuilt: 0 when not needed, or when
    a round or another rebuild holds the lock, or when `stopping` was set meanwhile (the
    build is abandoned between two statements, so a worker stops within one range's time;
    its next start builds again). `jobs` > 1 with `connect`: ranges on that many
    connections (`FEEDBACK_ROLLUP_REBUILD_JOBS`)."""
    zones = rolled_zones(*zones)
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", service.LOCK_KEY):
        return 0
    try:
        rolled = await conn.fetchval("SELECT zones FROM metric_rollup_state WHERE id = 1")
        if tuple(rolled) == zones or await conn.fetchval(LAST_ID_SQL) <= chunk:
            return 0
        log.warning(
            "rollup: zones are now %s (were %s); rebuilding the cells",
            ", ".join(zones), ", ".join(rolled) or "none",
        )  # fmt: skip
        try:
            return await _build(conn, zones, chunk, jobs, connect, stopping)
        except Stopped:
            await conn.execute(f"DROP TABLE IF EXISTS {BUILD}, {STRADDLING}")
            log.info("rollup rebuild: abandoned, the service is stopping")
            return 0
    finally:
        if not conn.is_closed():
            await conn.execute("SELECT pg_advisory_unlock($1)", service.LOCK_KEY)


async def _build(
    conn: asyncpg.Connection,
    zones: tuple[str, ...],
    chunk: int,
    jobs: int,
    connect: Connect | None,
    stopping: asyncio.Event | None = None,
) -> int:
    """The rebuild itself; the caller holds the rollup lock for the session."""
    last = await settled_last_id(conn, service.SETTLE_SECONDS)
    if last is None:
        raise RuntimeError("rollup rebuild: the inserts in flight did not settle; try again")
    started = time.monotonic()
    tree = [Table(**r) for r in await conn.fetch(TREE_SQL, LIVE)]
    await _create_build(conn, tree)
    async with conn.transaction():  # a scan of every event: not bound by a request's timeout
        await conn.execute("SET LOCAL statement_timeout = 0")
        days = [(r["day"], r["events"]) for r in await conn.fetch(DAYS_SQL, last)]
    work = [(range_sql(zones), (last, a, b)) for a, b in ranges(days, chunk)]
    await _run_all(conn, connect, jobs, work, stopping)
    filled = time.monotonic()
    await _run_all(conn, None, 1, [(MERGE_SQL, ())], stopping)
    merged = time.monotonic()
    live = [r["definition"] for r in await conn.fetch(
        "SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index "
        "WHERE indrelid = $1::regclass ORDER BY indexrelid", LIVE,
    )]  # fmt: skip
    cubes = [t.name for t in tree if t.parent == LIVE]
    await _run_all(
        conn, connect, jobs,
        [(sql, ()) for cube in cubes for sql in _index_statements(cube, live)]
        + [(f"ANALYZE {_built(cube)}", ()) for cube in cubes],
        stopping,
    )  # fmt: skip
    indexed = time.monotonic()
    await _swap(conn, tree, last, zones)
    log.info(
        "rollup rebuild: %d event ids for %s in %d ranges: cells %.1f s, straddling merged"
        " %.1f s, indexes and statistics %.1f s, swap %.1f s",
        last, ", ".join(zones), len(work), filled - started, merged - filled,
        indexed - merged, time.monotonic() - indexed,
    )  # fmt: skip
    return last
