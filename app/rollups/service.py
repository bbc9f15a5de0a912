"""Maintaining the rollups: roll newly committed events into the rollup table, exactly once.

The Citus real-time-analytics pattern. `feedback_events` is append-only and
every event gets its `id` from a sequence. One round:

1. takes a transaction-level advisory lock (one roller at a time, whatever the
   number of `feedback serve` workers or replicas; the others skip the round);
2. reads the watermark W (every event with id <= W is rolled up, no other is);
3. reads the sequence's last value S, then waits for the transactions that
   hold ROW EXCLUSIVE on `feedback_events` at that moment to end. A transaction
   that drew an id took that lock at the start of its INSERT (locks are taken
   before the statement runs) and keeps it to its end, which comes after its
   commit is visible; so once those transactions are gone every id <= S is
   committed or rolled back for good: an event that commits after one with a
   higher id can no longer be skipped. (It waits for them in `pg_locks`, not by
   queueing a SHARE lock: a queued SHARE lock would stall every new insert
   behind the slowest insert in flight, a pause of every worker's ingest on
   every round, seen at up to 57 ms in the soak run);
4. aggregates the events with W < id <= min(S, W + chunk) into every cube,
   span and zone (coarser cells are summed from finer ones of the same round:
   weeks and months from days, UTC days from UTC hours, `total` from `channel`) and adds
   them to the rollup rows (`INSERT ... ON CONFLICT DO UPDATE`), then moves W,
   in the same transaction.

Late events (old `occurred_at`) just add to old buckets: rolling up follows ids,
not time. The one exception to append-only, erasure (app/respondents), takes the
same lock (`hold`) and subtracts what it deletes (`subtract`). Readers merge the
rollup rows with the raw rows above W in a single snapshot, so they see one
consistent state (`app/metrics/service.py`).
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from app.event_ids import LAST_ID_SQL, settled_last_id
from app.rollups.aggregates import COLUMNS
from app.rollups.cubes import BY_NAME, CUBES, ROLLUP_DIMENSIONS, rolled_zones
from app.vocabulary import SERVQUAL_DIMENSIONS

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key: "feedback rollups" (any constant unique to this service).
LOCK_KEY = 0x66656564_726F6C6C
DEFAULT_CHUNK = 200_000  # events per round: bounds each transaction's work and memory
SETTLE_SECONDS = 5.0  # longest wait for the inserts in flight; then the round is skipped

_KEY = ("cube", "span", "zone", "bucket", *ROLLUP_DIMENSIONS)
_AGGREGATES = tuple(name for name, _ in COLUMNS)
Target = tuple[str, str, str]  # (cube name, span, zone)


def _targets(zones: tuple[str, ...]) -> dict[Target, tuple[Target | None, str]]:
    """Every (cube, span, zone) a round fills, in dependency order, each with its source
    (None: the new raw rows) and the bucket expression over the source's `bucket` or
    the raw `occurred_at`. Summing an already aggregated source is much cheaper than
    aggregating the raw rows again, and exact: the source's cells nest in the target's."""
    out: dict[Target, tuple[Target | None, str]] = {}
    hourly = [c for c in CUBES if c.hourly]
    for cube in sorted(hourly, key=lambda c: c.source is not None):
        source = (cube.source, "hour", "UTC") if cube.source else None
        out[(cube.name, "hour", "UTC")] = (
            source, "bucket" if source else "date_trunc('hour', occurred_at, 'UTC')"
        )  # fmt: skip
    for zone in zones:  # checked IANA names (settings), safe to inline
        for cube in sorted(CUBES, key=lambda c: c.source is not None):
            if cube.source:
                out[(cube.name, "day", zone)] = ((cube.source, "day", zone), "bucket")
            elif cube.hourly and zone == "UTC":  # UTC days are whole UTC hours
                out[(cube.name, "day", zone)] = (
                    (cube.name, "hour", "UTC"), "date_trunc('day', bucket, 'UTC')"
                )  # fmt: skip
            else:
                out[(cube.name, "day", zone)] = (None, f"date_trunc('day', occurred_at, '{zone}')")
        for cube in CUBES:
            for span in ("week", "month"):
                out[(cube.name, span, zone)] = (
                    (cube.name, "day", zone), f"date_trunc('{span}', bucket, '{zone}')"
                )  # fmt: skip
    return out


# What a rollup statement keeps of an event (`new`, materialized): what the cells sum,
# not its comment, tags or attributes, which would ride through every step (390
# against 100 bytes a row). Its source, a round's or a subtraction's, may select more.
ROLLED_COLUMNS = (
    "occurred_at", *ROLLUP_DIMENSIONS, "nps", "csat", "ces",
    *(f"sq_{d}_{part}" for d in SERVQUAL_DIMENSIONS for part in ("p", "e")),
)  # fmt: skip
NEW_EVENTS = "SELECT * FROM feedback_events WHERE id > $1 AND id <= $2"
# A round's ~60 aggregations and materialized steps, in memory rather than in temp files:
# 200,000 events wrote 400 MB of temp files and read 860 MB at the default 4 MB; at most
# this much per step, about 200 MB in all for a round of DEFAULT_CHUNK events.
ROUND_WORK_MEM = "128MB"


def cell_parts(zones: tuple[str, ...], source: str, sign: int = 1) -> tuple[str, str]:
    """The WITH list and the SELECT of every cell of the rows `source` selects (rows of
    feedback_events), in the columns of metric_rollups, negated for `sign` -1."""
    targets = _targets(zones)
    names = {target: f"t{i}" for i, target in enumerate(targets)}
    ctes = [f"new AS MATERIALIZED (SELECT {', '.join(ROLLED_COLUMNS)} FROM ({source}) AS s)"]
    for target, (origin_target, bucket) in targets.items():
        cube = BY_NAME[target[0]]
        dims = ", ".join(
            d if d in cube.columns else f"NULL::text AS {d}" for d in ROLLUP_DIMENSIONS
        )
        keys = ", ".join(str(i) for i in range(1, 2 + len(ROLLUP_DIMENSIONS)))
        if origin_target is None:
            sums = ", ".join(f"({sql})::int AS {name}" for name, sql in COLUMNS)
            origin = "new"
        else:
            sums = ", ".join(f"sum({name})::int AS {name}" for name in _AGGREGATES)
            origin = names[origin_target]
        ctes.append(
            f"{names[target]} AS MATERIALIZED (\n    SELECT {bucket} AS bucket, {dims}, {sums}\n"
            f"    FROM {origin} GROUP BY {keys}\n)"
        )
    negate = "" if sign > 0 else "-"
    nonzero = ", ".join(f"nullif({negate}{name}, 0)" for name in _AGGREGATES)
    union = "\nUNION ALL\n".join(
        f"SELECT {BY_NAME[cube].id}, '{span}', '{zone}', bucket, "
        f"{', '.join(ROLLUP_DIMENSIONS)}, {nonzero} FROM {names[(cube, span, zone)]}"
        for cube, span, zone in targets
    )
    return ",\n".join(ctes), union


def _rollup_parts(zones: tuple[str, ...], source: str, sign: int) -> tuple[str, str]:
    """The WITH list and the INSERT of a rollup statement over the rows `source` selects,
    added to the cells (`sign` 1) or taken out of them (-1)."""
    with_list, union = cell_parts(zones, source, sign)
    updates = ",\n    ".join(
        f"{c} = nullif(coalesce(r.{c}, 0) + coalesce(excluded.{c}, 0), 0)" for c in _AGGREGATES
    )
    insert = (
        f"INSERT INTO metric_rollups AS r ({', '.join(_KEY)}, {', '.join(_AGGREGATES)})\n"
        f"{union}\n"
        f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET\n    {updates}"
    )
    return with_list, insert


def rollup_sql(zones: tuple[str, ...]) -> str:
    """One statement: events with $1 < id <= $2, into every cube, span and zone."""
    with_list, insert = _rollup_parts(zones, NEW_EVENTS, 1)
    return f"WITH {with_list}\n{insert}"


def subtract_sql(zones: tuple[str, ...], source: str) -> str:
    """One statement: the rows `source` selects, taken out of every cell they were added
    to (the round's own aggregation, negated), answering where the cells left with no
    event (volume NULL) are (partition and ctid), for `DELETE_EMPTY_SQL`."""
    with_list, insert = _rollup_parts(zones, source, -1)
    return (
        f"WITH {with_list},\napplied AS (\n{insert}\n"
        "RETURNING tableoid, ctid, volume\n)\n"
        "SELECT tableoid, ctid FROM applied WHERE volume IS NULL"
    )


# By physical address: the cell keys hold NULLs, which only the unique index matches as
# equal (NULLS NOT DISTINCT), and `IS NOT DISTINCT FROM` cannot use it: that join read
# all 1.2 million cells, 200-350 ms, against about 10 ms by TID for 600 empty cells.
# The addresses stay valid: under the rollup lock nothing else writes a cell. (No
# `volume IS NULL` here: its estimate of one row per partition turns the plan back into
# sequential scans.)
DELETE_EMPTY_SQL = """
DELETE FROM metric_rollups r USING unnest($1::oid[], $2::tid[]) AS z(part, cell)
WHERE r.tableoid = z.part AND r.ctid = z.cell
"""


async def hold(conn: asyncpg.Connection) -> tuple[int, tuple[str, ...]]:
    """Wait for the rollup lock (until the end of the caller's transaction) and return the
    watermark and the zones the cells hold: no round can move them until commit."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", LOCK_KEY)
    state = await conn.fetchrow(
        "SELECT watermark, zones FROM metric_rollup_state WHERE id = 1 FOR UPDATE"
    )
    return state["watermark"], tuple(state["zones"])


@asynccontextmanager
async def paused(conn: asyncpg.Connection) -> AsyncIterator[int]:
    """No round runs until the block ends, across the transactions in it (a session lock,
    where `hold` is one transaction's): for work that must keep the watermark still over
    more than one, such as detaching a month's partition and then taking its events out of
    the cells (app/respondents/expiry.py). Waits for a round in progress; gives the
    watermark, which stays as it is until the end; `hold` inside is granted at once."""
    await conn.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
    try:
        yield await conn.fetchval("SELECT watermark FROM metric_rollup_state WHERE id = 1")
    finally:
        if not conn.is_closed():
            await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)


async def subtract(
    conn: asyncpg.Connection, zones: tuple[str, ...], source: str, *args: object
) -> int:
    """Take the events that `source` selects out of the rollups, exactly as a round added
    them, and delete the cells left with no event (a rebuild would not have them).

    The caller holds the lock (`hold`) and selects only events with id <= the
    watermark, which are in the cells, with the `zones` `hold` returned. Returns
    the number of cells deleted.
    """
    await conn.execute("SET LOCAL jit = off")  # as in a round: a long statement, JIT costs
    await conn.execute(f"SET LOCAL work_mem = '{ROUND_WORK_MEM}'")  # a month's, at expiry
    empty = await conn.fetch(subtract_sql(zones, source), *args)
    if not empty:
        return 0
    parts, cells = [r["tableoid"] for r in empty], [r["ctid"] for r in empty]
    status: str = await conn.execute(DELETE_EMPTY_SQL, parts, cells)
    return int(status.split()[-1])


@dataclass(frozen=True, slots=True)
class Round:
    rolled: bool  # False: another worker holds the lock, or inserts did not settle
    watermark: int  # after the round
    events: int  # ids consumed in this round (ids of rolled-back inserts included)
    caught_up: bool  # nothing committed is left above the watermark


async def roll_up(
    conn: asyncpg.Connection, zones: tuple[str, ...], chunk: int = DEFAULT_CHUNK
) -> Round:
    """One round (see the module doc). Resets the rollups first if `zones` changed."""
    zones = rolled_zones(*zones)
    async with conn.transaction():
        if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", LOCK_KEY):
            return Round(rolled=False, watermark=-1, events=0, caught_up=False)
        # A round's work is bounded by its chunk, not by the requests' statement timeout
        # (FEEDBACK_DB_STATEMENT_TIMEOUT), which a large chunk could exceed on every try;
        # its one wait, for in-flight inserts, has its own bound (SETTLE_SECONDS).
        await conn.execute("SET LOCAL statement_timeout = 0")
        state = await conn.fetchrow(
            "SELECT watermark, zones FROM metric_rollup_state WHERE id = 1 FOR UPDATE"
        )
        watermark: int = state["watermark"]
        if tuple(state["zones"]) != zones:
            if watermark > 0:  # a first start (nothing rolled up yet) is no news
                log.warning(
                    "rollup: zones are now %s (were %s); rolling up all events again",
                    ", ".join(zones), ", ".join(state["zones"]) or "none",
                )  # fmt: skip
            watermark = await _reset(conn, zones)
        last = await settled_last_id(conn, SETTLE_SECONDS)
        if last is None:
            log.info("rollup: inserts did not settle within %.1f s; next round", SETTLE_SECONDS)
            return Round(rolled=False, watermark=watermark, events=0, caught_up=False)
        upto = min(last, watermark + chunk)
        if upto > watermark:
            # JIT would compile this long statement's ~2,000 expressions on every round:
            # 18 s of a 33 s round on PostgreSQL 15 (docs/benchmarks.md, "Rollups").
            await conn.execute("SET LOCAL jit = off")
            await conn.execute(f"SET LOCAL work_mem = '{ROUND_WORK_MEM}'")
            await conn.execute(rollup_sql(zones), watermark, upto)
            await conn.execute(
                "UPDATE metric_rollup_state SET watermark = $1, rolled_at = now() WHERE id = 1",
                upto,
            )
        return Round(rolled=True, watermark=upto, events=upto - watermark, caught_up=upto >= last)


# The note on a month of events being expired (app/respondents/expiry.py): the watermark
# up to which the cells hold its events, written before its partition is detached.
ROLLED_UP_TO = "rolled up to id "
DETACHED_NOTES_SQL = f"""
SELECT c.relname FROM pg_class c
WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
  AND obj_description(c.oid, 'pg_class') LIKE '{ROLLED_UP_TO}%'
"""


async def forget_detached_months(conn: asyncpg.Connection) -> None:
    """Cells made anew (a reset, a rebuild) hold no event of a month an interrupted expiry
    left detached (no round or rebuild sees its rows): its note says so, so the expiry
    that finishes it takes nothing out of them. A month still attached is noted again
    when it is detached."""
    for row in await conn.fetch(DETACHED_NOTES_SQL):
        await conn.execute(f"COMMENT ON TABLE {row['relname']} IS '{ROLLED_UP_TO}0'")


async def _reset(conn: asyncpg.Connection, zones: tuple[str, ...]) -> int:
    await conn.execute("TRUNCATE metric_rollups")
    await forget_detached_months(conn)
    await conn.execute(
        "UPDATE metric_rollup_state SET watermark = 0, zones = $1, rolled_at = NULL WHERE id = 1",
        list(zones),
    )
    return 0


async def catch_up(
    conn: asyncpg.Connection, zones: tuple[str, ...], chunk: int = DEFAULT_CHUNK
) -> int:
    """Rounds until nothing committed is left (or another worker is rolling up); events rolled."""
    total = 0
    while True:
        result = await roll_up(conn, zones, chunk)
        total += result.events
        if not result.rolled or result.caught_up:
            return total


@dataclass(frozen=True, slots=True)
class Status:
    watermark: int
    last_id: int  # the sequence's last value: ids above the watermark up to here may be pending
    pending_events: int  # committed events not yet rolled up (read raw), at most PENDING_CAP
    lag_seconds: float  # age of the oldest event not yet rolled up (0 when none)
    zones: tuple[str, ...]
    rolled_at: datetime | None
    rows: int  # rollup rows (planner estimate)


PENDING_CAP = 1_000_000  # counting further would make the status itself slow
STATUS_SQL = f"""
SELECT s.watermark, s.zones, s.rolled_at, ({LAST_ID_SQL}) AS last_id,
       (SELECT count(*) FROM (
           SELECT FROM feedback_events WHERE id > s.watermark LIMIT {PENDING_CAP}
       ) p) AS pending,
       coalesce(extract(epoch FROM now() - (
           SELECT received_at FROM feedback_events WHERE id > s.watermark ORDER BY id LIMIT 1
       )), 0)::float8 AS lag,
       (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint
        FROM pg_partition_tree('metric_rollups') t JOIN pg_class c ON c.oid = t.relid
        WHERE t.isleaf) AS rows
FROM metric_rollup_state s WHERE s.id = 1
"""


async def status(conn: asyncpg.Connection) -> Status:
    r = await conn.fetchrow(STATUS_SQL)
    return Status(
        watermark=r["watermark"],
        last_id=r["last_id"],
        pending_events=r["pending"],
        lag_seconds=max(0.0, r["lag"]),
        zones=tuple(r["zones"]),
        rolled_at=r["rolled_at"],
        rows=r["rows"],
    )
