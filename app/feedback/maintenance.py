"""The partition worker: the coming months' partitions of `feedback_events`, and the split
of a migrated table's legacy partition into months (app/feedback/partitions.py,
app/feedback/split.py).

Every `feedback serve` worker ticks every `FEEDBACK_PARTITIONS_INTERVAL_SECONDS` (an
hour); a round takes a session-level advisory lock and skips when another worker or
node holds it, so one round runs at a time across the deployment. A round makes what
is missing of the current month and the next two (nothing, nearly always: one catalog
read), then moves the split on by up to `split.step`'s batches (once the legacy
partition's boundary has passed); while a split has work left, rounds follow one another
at once.
"""

import asyncio
import logging
from dataclasses import dataclass

import asyncpg

from app import periodic
from app.db import Database, OutageLog
from app.feedback import partitions, split

log = logging.getLogger(__name__)

# pg_advisory_lock key of a round: "feedmain" (any constant unique to this service).
LOCK_KEY = 0x66656564_6D61696E
INTERVAL_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class Round:
    ran: bool  # False: another worker holds the lock
    made: tuple[str, ...] = ()  # partitions made ahead
    more: bool = False  # the split has work left


async def run_round(conn: asyncpg.Connection, *, split_early: bool = False) -> Round:
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
        return Round(ran=False)
    try:
        made = await partitions.ensure_ahead(conn)
        more = await split.step(conn, early=split_early)
        return Round(True, tuple(made), more)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)


async def run(conn: asyncpg.Connection, *, split_early: bool = False) -> Round:
    """Rounds until the split (if any, and begun or `split_early`) is done (`feedback
    partitions run`); the last one, with every partition made ahead. Waits while another
    worker runs a round."""
    made: list[str] = []
    while True:
        result = await run_round(conn, split_early=split_early)
        made += result.made
        if result.ran and not result.more:
            return Round(True, tuple(made))
        if not result.ran:
            await asyncio.sleep(0.5)


class PartitionWorker:
    def __init__(self, db: Database, interval: float = INTERVAL_SECONDS) -> None:
        self.db = db
        self._loop = periodic.Periodic(
            "partitions", self._round, interval, OutageLog(log, "partition round")
        )

    def start(self) -> None:
        if self._loop.interval > 0:
            self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _round(self, stopping: asyncio.Event) -> bool:
        async with self.db.connection() as conn:
            return (await run_round(conn)).more


@dataclass(frozen=True, slots=True)
class Status:
    partitions: list[tuple[partitions.Partition, int]]  # each with its rows (an estimate)
    split: split.Progress


ROWS_SQL = """
SELECT relname, greatest(reltuples, 0)::bigint AS rows FROM pg_class WHERE relname = ANY($1)
"""


async def status(conn: asyncpg.Connection) -> Status:
    found = await partitions.partitions(conn)
    rows = dict(await conn.fetch(ROWS_SQL, [p.name for p in found]))
    return Status([(p, rows.get(p.name, 0)) for p in found], await split.progress(conn))
