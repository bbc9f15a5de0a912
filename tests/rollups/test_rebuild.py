"""The bulk rebuild (app/rollups/rebuild.py) against the rounds, on a real database.

Rounds and the rebuild compute the cells in two ways (one statement per id range
into the live table, against ranges of time into new tables swapped in), so each
checks the other: both must give the same rows, whatever the ranges cut.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import prepare
from app.ingest.statement import store
from app.rollups import rebuild as bulk
from app.rollups import service as rollups
from app.rollups.cells import fetch_cells
from app.rollups.rebuild import BUILD, ranges, rebuild, rebuild_for_zones
from app.rollups.service import ROLLED_UP_TO
from app.selection.filters import Selection
from app.settings import Settings
from tests.rollups.test_rollups import T0, events, rollup_rows

# A DST change (New York, 2026-03-08) and a half-hour zone within the events' days, and a
# zone whose local midnight happened twice (Lisbon, 1976-09-26: clocks back at 01:00).
ZONES = ("UTC", "Asia/Kolkata", "America/New_York", "Europe/Lisbon")
Connect = Callable[[], Awaitable[asyncpg.Connection]]


def jobs_on(db: Connect, opened: list[asyncpg.Connection] | None = None) -> bulk.Connect:
    """More connections for a rebuild's jobs, as `Database.connection` lends them (the
    fixture closes them at the end); each one also goes to `opened`."""

    @contextlib.asynccontextmanager
    async def connect() -> AsyncIterator[asyncpg.Connection]:
        conn = await db()
        if opened is not None:
            opened.append(conn)
        yield conn

    return connect


def odd_events() -> list[Any]:
    """Late history (old `occurred_at`, high ids), an event before 2000 (the partition of
    everything older) and events without a place or an employee. Eight events on
    1976-09-25 (UTC) make that day a range of its own with chunk 7, so a range ends at
    the Lisbon midnight that happened twice, whose day began (as PostgreSQL resolves it)
    after the event of 23:30 UTC that belongs to it."""
    now = datetime.now(UTC)
    given = [
        *({"occurred_at": f"1976-09-25T{h}:30:00+00:00"} for h in range(16, 24)),
        {"occurred_at": "1976-09-26T00:30:00+00:00", "location_id": "loc-3"},
        {"occurred_at": "1976-09-26T05:00:00+00:00"},
        {"occurred_at": "1999-12-31T22:00:00+00:00", "location_id": "loc-1"},
        {"occurred_at": "2025-12-31T23:30:00+00:00"},  # a week and a month across a year
        {"occurred_at": "2026-03-08T06:59:00+00:00", "location_id": "loc-2"},  # NY DST day
        {"occurred_at": "2026-03-08T07:01:00+00:00", "employee_id": "emp-1"},
    ]
    return [
        prepare(
            FeedbackIn.model_validate(
                {"event_id": f"odd{i}", "channel": "kiosk", "nps": i % 11, "ces": 1 + i % 7, **g}
            ),
            key_id=None,
            key_location_id=None,
            received_at=now,
            max_future=timedelta(minutes=5),
        )
        for i, g in enumerate(given)
    ]


async def schema(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    """Every table of the rollups' partition tree with its bounds, indexes and constraints."""
    rows = await conn.fetch(
        """
        SELECT c.relname, c.relkind::text, pg_get_expr(c.relpartbound, c.oid),
               (SELECT array_agg(pg_get_indexdef(x.indexrelid) ORDER BY i.relname)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = c.oid),
               (SELECT array_agg(conname || ' ' || pg_get_constraintdef(k.oid) ORDER BY conname)
                FROM pg_constraint k WHERE k.conrelid = c.oid)
        FROM pg_partition_tree('metric_rollups') t JOIN pg_class c ON c.oid = t.relid
        ORDER BY 1
        """
    )
    return [tuple(r.values()) for r in rows]


def test_ranges_cover_every_day_once() -> None:
    day = datetime(2026, 3, 1, tzinfo=UTC)
    days = [(day + timedelta(days=d), n) for d, n in [(0, 3), (1, 3), (2, 9), (5, 1), (6, 2)]]
    assert ranges(days, 5) == [
        (days[0][0], days[1][0]),
        (days[1][0], days[2][0]),
        (days[2][0], days[3][0]),  # a day with more than `chunk` is a range of its own
        (days[3][0], days[4][0] + timedelta(days=1)),  # the gap between days goes along
    ]
    assert ranges([], 5) == []


async def test_a_rebuild_in_ranges_equals_the_rounds_and_writes_cells_in_read_order(
    db: Connect,
) -> None:
    conn = await db()
    await store(conn, events(300) + odd_events())
    await rollups.catch_up(conn, ZONES, chunk=50)
    by_rounds = await rollup_rows(conn)
    before = await schema(conn)
    last = await conn.fetchval("SELECT max(id) FROM feedback_events")
    # Small ranges, so that local days, weeks and months cross their edges (and are
    # merged from parts), on two connections; then one range holding everything.
    assert await rebuild(conn, ZONES, chunk=7, jobs=2, connect=jobs_on(db)) == last
    assert await rollup_rows(conn) == by_rounds
    assert await rebuild(conn, ZONES, chunk=10**9) == last
    assert await rollup_rows(conn) == by_rounds
    # One range on one connection: each table holds its cells in the order answers read
    # them, the range's then those merged from parts, give or take a cell put in the room
    # a page had left (a few steps back in that order; written unordered: hundreds).
    assert {t: n for t, n in (await descents(conn)).items() if n > 5} == {}
    # The same tables, partitions, index and constraint names; nothing of the build left.
    assert await schema(conn) == before
    left = await conn.fetchval("SELECT count(*) FROM pg_class WHERE relname LIKE $1", BUILD + "%")
    assert left == 0
    state = await conn.fetchrow("SELECT watermark, zones FROM metric_rollup_state")
    assert (state["watermark"], state["zones"]) == (last, sorted(ZONES))


DESCENTS_SQL = """
SELECT count(*) FILTER (WHERE (zone, respondent_type, bucket) < (z, r, b)) FROM (
    SELECT zone, respondent_type, bucket, lag(zone) OVER w AS z,
           lag(respondent_type) OVER w AS r, lag(bucket) OVER w AS b
    FROM {} WINDOW w AS (ORDER BY ctid)
) AS cells
"""


async def descents(conn: asyncpg.Connection) -> dict[str, int]:
    """For each table of cells, how often a cell follows on disk one that comes after it in
    the order answers read them (zone, respondent type, bucket)."""
    leaves = await conn.fetch(
        "SELECT relid::regclass::text AS name FROM pg_partition_tree('metric_rollups') WHERE isleaf"
    )
    return {r["name"]: await conn.fetchval(DESCENTS_SQL.format(r["name"])) for r in leaves}


async def test_readers_keep_the_cells_until_the_swap(db: Connect) -> None:
    """A reader holding the table keeps the swap waiting; until it is done the cells and
    the watermark are the old ones, and rounds skip. Events stored meanwhile are left
    above the new watermark, for the next round."""
    conn, reader, writer = await db(), await db(), await db()
    await store(conn, events(40))
    await rollups.catch_up(conn, ZONES)
    cells = await rollup_rows(conn)
    last = await conn.fetchval("SELECT max(id) FROM feedback_events")

    await reader.execute("BEGIN")
    await reader.fetchval("SELECT count(*) FROM metric_rollups")
    rebuilding = asyncio.create_task(rebuild(conn, ZONES, chunk=10))
    for _ in range(400):  # until the swap waits for the reader's lock
        waiting = await writer.fetchval(
            "SELECT count(*) FROM pg_locks "
            "WHERE NOT granted AND relation = 'metric_rollups'::regclass"
        )
        if waiting:
            break
        await asyncio.sleep(0.025)
    assert waiting
    await store(writer, events(5, first=40))
    assert not (await rollups.roll_up(writer, ZONES)).rolled  # paused by the rebuild
    assert await rollup_rows(writer) == cells
    assert await writer.fetchval("SELECT watermark FROM metric_rollup_state") == last
    assert not rebuilding.done()
    await reader.execute("COMMIT")
    assert await rebuilding == last
    assert await rollup_rows(writer) == cells
    await rollups.catch_up(writer, ZONES)
    assert await writer.fetchval(
        "SELECT watermark FROM metric_rollup_state"
    ) == await writer.fetchval("SELECT max(id) FROM feedback_events")


async def test_a_change_of_zones_is_a_rebuild(db: Connect) -> None:
    conn = await db()
    await store(conn, events(60))
    await rollups.catch_up(conn, ("UTC",))
    assert await rebuild_for_zones(conn, ("UTC",), chunk=10) == 0  # the same zones
    assert await rebuild_for_zones(conn, ZONES, chunk=10**6) == 0  # fewer than a round's events
    last = await conn.fetchval("SELECT max(id) FROM feedback_events")
    opened: list[asyncpg.Connection] = []  # a worker's rebuild on two jobs
    done = await rebuild_for_zones(conn, ZONES, chunk=10, jobs=2, connect=jobs_on(db, opened))
    assert done == last
    assert len(opened) == 2  # one more for the cells' ranges, one more for their indexes
    assert await conn.fetchval("SELECT zones FROM metric_rollup_state") == sorted(ZONES)
    rebuilt = await rollup_rows(conn)
    await conn.execute("UPDATE metric_rollup_state SET zones = '{}'")  # rounds from nothing
    await rollups.catch_up(conn, ZONES)
    assert await rollup_rows(conn) == rebuilt


async def test_a_worker_that_stops_abandons_the_build(db: Connect) -> None:
    conn = await db()
    await store(conn, events(30))
    stopping = asyncio.Event()
    stopping.set()
    assert await rebuild_for_zones(conn, ZONES, chunk=5, stopping=stopping) == 0
    assert await conn.fetchval("SELECT zones FROM metric_rollup_state") == []
    left = await conn.fetchval("SELECT count(*) FROM pg_class WHERE relname LIKE $1", BUILD + "%")
    assert left == 0
    assert (await rollups.roll_up(conn, ZONES)).rolled  # the lock was let go


class Gated:
    """A connection whose `fetch` (fetch_cells' read of the cells, after its read of the
    watermark) waits for `gate`, saying when it got there."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn, self.reached, self.gate = conn, asyncio.Event(), asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)

    async def fetch(self, *args: Any) -> list[asyncpg.Record]:
        self.reached.set()
        await self.gate.wait()
        records: list[asyncpg.Record] = await self.conn.fetch(*args)
        return records


async def test_an_answer_begun_before_the_swap_reads_the_cells_it_began_with(
    db: Connect,
) -> None:
    """An answer that read the watermark before the swap reads the old cells (the swap
    waits for it), never the new cells beside the old watermark: without the wait it read
    10 of 50 events (the new cells' rows are newer than its snapshot; begun later, it
    would have counted the events between the two watermarks twice)."""
    conn, watcher = await db(), await db()
    await store(conn, events(40))
    await rollups.catch_up(conn, ZONES)
    await store(conn, events(10, first=40))  # not rolled up: read raw, then in the new cells
    reader = Gated(await db())
    window = Selection(start=T0 - timedelta(days=1), end=T0 + timedelta(days=30), tz="UTC")
    answer = asyncio.create_task(fetch_cells(reader, window))
    await reader.reached.wait()
    rebuilding = asyncio.create_task(rebuild(conn, ZONES))
    for _ in range(400):  # the swap waits for the answer (or, wrongly, is done)
        waiting = await watcher.fetchval(
            "SELECT count(*) FROM pg_locks "
            "WHERE NOT granted AND relation = 'metric_rollups'::regclass"
        )
        if waiting or rebuilding.done():
            break
        await asyncio.sleep(0.025)
    reader.gate.set()
    (record,) = await answer
    assert record["volume"] == 50
    await rebuilding


async def test_a_month_left_detached_by_an_expiry_is_not_in_the_new_cells(db: Connect) -> None:
    """An expiry that died after detaching a month noted the watermark its events were
    rolled up to; a rebuild (or a reset) does not see them, so the note must say 0, or the
    expiry that finishes the month would take them out of cells they are not in."""
    conn = await db()
    await store(conn, events(20))
    await conn.execute("CREATE TABLE feedback_events_expired_2020_01 (LIKE feedback_events)")
    await conn.execute(f"COMMENT ON TABLE feedback_events_expired_2020_01 IS '{ROLLED_UP_TO}15'")
    await rebuild(conn, ZONES)
    note = "SELECT obj_description('feedback_events_expired_2020_01'::regclass, 'pg_class')"
    assert await conn.fetchval(note) == f"{ROLLED_UP_TO}0"
    await conn.execute(f"COMMENT ON TABLE feedback_events_expired_2020_01 IS '{ROLLED_UP_TO}15'")
    await conn.execute("UPDATE metric_rollup_state SET zones = '{}'")
    await rollups.catch_up(conn, ZONES)  # a reset, then rounds
    assert await conn.fetchval(note) == f"{ROLLED_UP_TO}0"


def test_a_worker_rebuilds_on_at_most_half_the_pool() -> None:
    """The rest of the pool answers requests meanwhile; a rebuild asking for more than
    the pool can lend would wait for connections every tick and never finish."""

    def connections(jobs: int, pool: int, overflow: int) -> int:
        return Settings(
            rollup_rebuild_jobs=jobs, db_pool_size=pool, db_max_overflow=overflow
        ).rollup_rebuild_connections

    assert connections(2, 10, 0) == 2
    assert connections(32, 10, 0) == 5
    assert connections(8, 4, 4) == 4
    assert connections(2, 1, 0) == 1
    assert connections(2, 2, 0) == 1
