"""Which event ids are settled: below which no insert is in flight any more.

Every event gets its `id` from a sequence, but transactions commit in any order: an
event with a lower id may become visible after one with a higher id. A reader that
follows ids with a watermark (the rollups, the text enrichment) reads the sequence's
last value S, then waits for the transactions that hold ROW EXCLUSIVE on
`feedback_events` at that moment to end. A transaction that drew an id took that lock
at the start of its INSERT and keeps it to its end, which comes after its commit is
visible; so once those are gone every id <= S is committed or rolled back for good
(app/rollups/service.py tells why it polls `pg_locks` rather than queueing a lock).
"""

import asyncio
import time

import asyncpg

LAST_ID_SQL = """
SELECT coalesce(
    pg_sequence_last_value(pg_get_serial_sequence('feedback_events', 'id')::regclass), 0
)
"""

# Transactions of other sessions holding ROW EXCLUSIVE on feedback_events (inserting,
# or deleting for erasure and retention), by virtual transaction id. pg_locks shows
# the whole cluster, where another database may have a table of the same oid.
IN_FLIGHT_SQL = """
SELECT coalesce(array_agg(virtualtransaction), '{}')
FROM pg_locks
WHERE locktype = 'relation'
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND relation = 'feedback_events'::regclass
  AND mode = 'RowExclusiveLock' AND granted
  AND pid <> pg_backend_pid()
"""
# Every transaction holds a lock on its own virtual transaction id until it ends.
STILL_OPEN_SQL = """
SELECT count(*) FROM pg_locks WHERE locktype = 'virtualxid' AND virtualxid = ANY($1::text[])
"""


async def settled_last_id(conn: asyncpg.Connection, wait: float) -> int | None:
    """The highest id below which no insert is in flight any more, or None when busy.

    Polls `pg_locks` (1 ms, doubling to 20 ms) rather than queueing a lock: new
    inserts go on meanwhile, and usually the wait is over within one commit.
    """
    last: int = await conn.fetchval(LAST_ID_SQL)
    open_: list[str] = await conn.fetchval(IN_FLIGHT_SQL)
    deadline = time.monotonic() + wait
    pause = 0.001
    while open_ and await conn.fetchval(STILL_OPEN_SQL, open_):
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.02)
    return last
