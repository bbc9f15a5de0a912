"""Moving the rows of `feedback_events_legacy` into monthly partitions while the service
runs (docs/architecture.md, "Partitioned history").

After the migration of an older table, `feedback_events_legacy` is one partition holding
everything that occurred before the migration's boundary B. A partition's range cannot
shrink while it holds rows of that range, and those rows cannot be anywhere else in
the table while it does; so they are copied, then swapped in at once:

1. setup: a staging table partitioned like the parent, with a partition for every
   month the legacy rows occupy (found by index probes, not a scan), each with a
   CHECK of its range; then, in a short transaction (SHARE ROW EXCLUSIVE on the
   legacy partition only: writes to it wait, reads and every other partition do
   not), a row trigger on the legacy partition that logs the id of every row
   inserted, updated or deleted there from now on, and the state row with the
   highest id present (`last_id`);
2. copy: the rows up to `last_id`, `batch` a transaction, in id order (`copied_to`);
3. sync: the logged ids are taken from the log, their staging rows deleted and copied
   again from the legacy partition as they are now (none if erased, the new text
   after retention or redaction, the backfill that arrived);
4. swap: one transaction, its ACCESS EXCLUSIVE lock on the parent taken with a short
   lock_timeout (tried again next round rather than queueing every writer behind a
   long reader): the last logged ids synced, the legacy partition detached, and every
   staging partition detached from the staging table and attached to the parent (no
   scan: its CHECK proves the range; no index build: it has every index). No row is
   ever missing or seen twice: before the commit readers see the legacy partition,
   after it the months. Then the legacy table is dropped.

The split begins once B has passed. Until then today's events land in the legacy
partition too, and every one of them would be logged and copied again: a split started
at once chases the ingest (measured: 4 writers at 5,000 events/s logged faster than a
sync could copy them). After B, only backfills of old months, erasures and retention
write there. `early` starts it anyway (tests, and `feedback partitions run --split-now`
on a quiet service).

Each step is a round of the partition worker (`step`), one at a time (the caller holds
a lock); a round that dies is redone by the next, from the state in the database. Until
the swap, the legacy partition's rows take twice their space.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from app.feedback.partitions import (
    FLOOR,
    LEGACY,
    LOCK_KEY,
    PARENT,
    STAGING,
    Partition,
    Range,
    add_months,
    exists,
    missing,
    month_start,
    partitions,
)
from app.vocabulary import EVENT_COLUMNS

log = logging.getLogger(__name__)

LOG = "feedback_events_split_log"
STATE = "feedback_events_split"
TRIGGER = "feedback_events_legacy_logged"
BATCH = 5_000  # rows a copy transaction
SWAP_WHEN = 10_000  # logged ids left at most before the swap (synced under its lock)
SWAP_LOCK_TIMEOUT = "1s"

_COLUMNS = ", ".join(("id", *(name for name, _ in EVENT_COLUMNS)))

COPY_SQL = f"""
WITH batch AS MATERIALIZED (
    SELECT {_COLUMNS} FROM {LEGACY} WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3
), copied AS (
    INSERT INTO {STAGING} ({_COLUMNS}) SELECT {_COLUMNS} FROM batch ON CONFLICT DO NOTHING
)
SELECT max(id) FROM batch
"""
TAKE_LOGGED_SQL = f"""
DELETE FROM {LOG} WHERE ctid IN (SELECT ctid FROM {LOG} LIMIT $1) RETURNING id, occurred_at
"""
# The staged rows of the ids $1 (which occurred at $2: only their months' partitions are
# read) as the legacy partition has them now. Two statements: a DELETE in a CTE of the
# INSERT would run after it.
UNSTAGE_SQL = f"""
DELETE FROM {STAGING} WHERE id = ANY($1::bigint[]) AND occurred_at = ANY($2::timestamptz[])
"""
RESTAGE_SQL = f"""
INSERT INTO {STAGING} ({_COLUMNS}) SELECT {_COLUMNS} FROM {LEGACY} WHERE id = ANY($1::bigint[])
"""
LOG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO {LOG} (id, occurred_at) VALUES (OLD.id, OLD.occurred_at);
    ELSE
        INSERT INTO {LOG} (id, occurred_at) VALUES (NEW.id, NEW.occurred_at);
    END IF;
    RETURN NULL;
END
$$
"""


@dataclass(frozen=True, slots=True)
class Progress:
    # none (no legacy partition), waiting (for its boundary to pass), setup, copy, swap
    phase: str
    copied_to: int = 0
    last_id: int = 0
    logged: int = 0
    boundary: datetime | None = None  # the legacy partition's upper bound


async def _legacy(conn: asyncpg.Connection) -> Partition | None:
    return next((p for p in await partitions(conn) if p.name == LEGACY), None)


async def _legacy_attached(conn: asyncpg.Connection) -> bool:
    return await _legacy(conn) is not None


async def progress(conn: asyncpg.Connection) -> Progress:
    legacy = await _legacy(conn)
    if legacy is None:
        return Progress("none")
    b = legacy.upper
    state = await conn.fetchrow(f"SELECT copied_to, last_id FROM {STATE}") if await exists(
        conn, STATE
    ) else None  # fmt: skip
    if state is None:
        now: datetime = await conn.fetchval("SELECT now()")
        return Progress("waiting" if b is not None and now < b else "setup", boundary=b)
    logged = await conn.fetchval(f"SELECT count(*) FROM {LOG}")
    phase = "copy" if state["copied_to"] < state["last_id"] else "swap"
    return Progress(phase, state["copied_to"], state["last_id"], logged, b)


async def _months(conn: asyncpg.Connection) -> list[datetime]:
    """A first instant of every range (`range_of`) the legacy rows occupy: one probe of
    the (occurred_at, id) index per range, not a scan."""
    found: list[datetime] = []
    t: datetime | None = await conn.fetchval(f"SELECT min(occurred_at) FROM {LEGACY}")
    while t is not None:
        found.append(t)
        after = FLOOR if t < FLOOR else add_months(month_start(t), 1)
        t = await conn.fetchval(
            f"SELECT min(occurred_at) FROM {LEGACY} WHERE occurred_at >= $1", after
        )
    return found


async def _stage(conn: asyncpg.Connection, instants: list[datetime]) -> None:
    """Staging partitions for every instant that has none, each with a CHECK of its range."""
    for r in missing(await partitions(conn, STAGING), instants):
        await _stage_range(conn, r)


async def _stage_range(conn: asyncpg.Connection, r: Range) -> None:
    await conn.execute(
        f"CREATE TABLE {r.name} PARTITION OF {STAGING} "
        f"(CONSTRAINT {r.name}_range CHECK ({r.check_sql()})) FOR VALUES {r.bounds_sql()}"
    )


async def _setup(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        if not await exists(conn, STAGING):
            await conn.execute(
                f"CREATE TABLE {STAGING} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                "INCLUDING INDEXES INCLUDING STORAGE) PARTITION BY RANGE (occurred_at)"
            )
        await _stage(conn, await _months(conn))
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {LOG} (id bigint NOT NULL, occurred_at timestamptz)"
        )
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE} (copied_to bigint NOT NULL, "
            "last_id bigint NOT NULL, started_at timestamptz NOT NULL DEFAULT now())"
        )
        await conn.execute(LOG_FUNCTION)
    try:
        async with conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
            # Writers of the legacy partition finish first; every later write is logged.
            await conn.execute(f"LOCK TABLE {LEGACY} IN SHARE ROW EXCLUSIVE MODE")
            await conn.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {LEGACY}")
            await conn.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {LEGACY} "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )
            last_id = await conn.fetchval(f"SELECT coalesce(max(id), 0) FROM {LEGACY}")
            await conn.execute(f"DELETE FROM {STATE}")
            await conn.execute(f"INSERT INTO {STATE} (copied_to, last_id) VALUES (0, $1)", last_id)
    except asyncpg.LockNotAvailableError:
        log.info("split of %s: busy writers; the setup is tried again", LEGACY)
        return
    log.info("splitting %s into months: copying ids up to %d", LEGACY, last_id)


async def _copy(conn: asyncpg.Connection, after: int, last_id: int, batch: int) -> int:
    """One batch; the new cursor."""
    async with conn.transaction():
        upto = await _into_staging(
            conn, COPY_SQL, (after, last_id, batch), BATCH_INSTANTS_SQL, (after, last_id, batch)
        )
        copied_to = last_id if upto is None else int(upto)
        await conn.execute(f"UPDATE {STATE} SET copied_to = $1", copied_to)
    return copied_to


BATCH_INSTANTS_SQL = f"""
SELECT array_agg(occurred_at) FROM (
    SELECT occurred_at FROM {LEGACY} WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3
) b
"""
IDS_INSTANTS_SQL = f"SELECT array_agg(occurred_at) FROM {LEGACY} WHERE id = ANY($1::bigint[])"


async def _into_staging(
    conn: asyncpg.Connection,
    sql: str,
    args: tuple[object, ...],
    instants_sql: str,
    instants_args: tuple[object, ...],
) -> Any:
    """Run `sql` (writing legacy rows into the staging table). A row of a month the staging
    table has no partition for (a backfill that arrived since the setup) makes it fail:
    then the partitions of the rows' instants (`instants_sql`) are made, and it runs again."""
    try:
        async with conn.transaction():
            return await conn.fetchval(sql, *args)
    except asyncpg.CheckViolationError as exc:
        if exc.table_name != STAGING or exc.constraint_name is not None:
            raise
    await _stage(conn, list(await conn.fetchval(instants_sql, *instants_args) or []))
    return await conn.fetchval(sql, *args)


async def _sync(conn: asyncpg.Connection, limit: int | None = None) -> int:
    """Copy the logged rows again, `BATCH` ids a transaction (all of them in the caller's
    transaction when `limit` is None); the ids synced."""
    done = 0
    while limit is None or done < limit:
        async with conn.transaction():
            logged = dict(tuple(r) for r in await conn.fetch(TAKE_LOGGED_SQL, BATCH))
            if not logged:
                return done
            ids = sorted(logged)
            await conn.execute(UNSTAGE_SQL, ids, sorted(set(logged.values())))
            await _into_staging(conn, RESTAGE_SQL, (ids,), IDS_INSTANTS_SQL, (ids,))
        done += len(ids)
    return done


async def _swap(conn: asyncpg.Connection) -> bool:
    """The legacy partition out and the months in, at once; False when the parent's lock
    could not be had within SWAP_LOCK_TIMEOUT (the next round tries again)."""
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", LOCK_KEY)
            await conn.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
            asked = time.perf_counter()
            await conn.execute(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE")
            locked = time.perf_counter()
            await _sync(conn)
            staged = await partitions(conn, STAGING)
            await conn.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {LEGACY}")
            for p in staged:
                assert p.upper is not None
                r = Range(p.lower, p.upper, p.name)
                await conn.execute(f"ALTER TABLE {STAGING} DETACH PARTITION {p.name}")
                await conn.execute(
                    f"ALTER TABLE {PARENT} ATTACH PARTITION {p.name} FOR VALUES {r.bounds_sql()}"
                )
            await conn.execute(f"DROP TABLE {STAGING}, {LOG}, {STATE}")
            await conn.execute(f"DROP TRIGGER {TRIGGER} ON {LEGACY}")
            await conn.execute(f"DROP FUNCTION {TRIGGER}()")
    except asyncpg.LockNotAvailableError:
        log.info("split of %s: the parent was busy; the swap is tried again", LEGACY)
        return False
    log.info(
        "split of %s: %d months swapped in (the parent locked after %.0f ms, held %.0f ms)",
        LEGACY, len(staged), (locked - asked) * 1000, (time.perf_counter() - locked) * 1000,
    )  # fmt: skip
    return True


async def _drop_detached(conn: asyncpg.Connection) -> bool:
    """The legacy table once it is no partition any more (after the swap); True if any."""
    if not await exists(conn, LEGACY) or await _legacy_attached(conn):
        return False
    await conn.execute(f"DROP TABLE {LEGACY}")
    log.info("split of %s: done, the table dropped", LEGACY)
    return True


async def step(
    conn: asyncpg.Connection, batches: int = 20, batch: int = BATCH, *, early: bool = False
) -> bool:
    """One round of the split (up to `batches` copy transactions); whether more is left.

    It begins once the legacy partition's boundary has passed: until then today's events
    land in it, and every one would be copied twice, chasing the ingest (`early`: now).
    The caller runs one round at a time (the partition worker holds its lock)."""
    state = await progress(conn)
    if state.phase == "none":
        await _drop_detached(conn)
        return False
    if state.phase == "waiting" and not early:
        return False
    if state.phase in ("setup", "waiting"):
        await _setup(conn)
        return True
    if state.phase == "copy":
        copied_to = state.copied_to
        for _ in range(batches):
            copied_to = await _copy(conn, copied_to, state.last_id, batch)
            if copied_to >= state.last_id:
                break
        await _sync(conn, limit=batches * batch)
        return True
    await _sync(conn, limit=batches * batch)
    if await conn.fetchval(f"SELECT count(*) FROM {LOG}") > SWAP_WHEN:
        return True
    if not await _swap(conn):
        return True
    await _drop_detached(conn)
    return False


async def run(conn: asyncpg.Connection, batch: int = BATCH, *, early: bool = False) -> None:
    """The whole split now (`feedback partitions run`)."""
    while await step(conn, batch=batch, early=early):
        pass
