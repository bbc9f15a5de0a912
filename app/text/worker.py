"""The background task of each `feedback serve` worker that enriches new comments.

Every worker runs one; the advisory lock in `service.run_round` lets one enrich at a
time (across workers and nodes) and the others skip. The models load in the worker
that first has work (about 300 MB with the embedding model), and the CPU work runs
in a thread: the event loop keeps serving. A failing round (database away) is logged
and tried again on the next tick.
"""

import asyncio
import logging

from app.db import Database, OutageLog
from app.periodic import Periodic
from app.text import service

log = logging.getLogger(__name__)


class TextWorker:
    def __init__(self, db: Database, runtime: service.Runtime, interval: float, batch: int) -> None:
        self.db = db
        self.runtime = runtime
        self.batch = batch
        self._loop = Periodic("text", self._round, interval, OutageLog(log, "text round"))

    def start(self) -> None:
        if self._loop.interval > 0:
            self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _round(self, stopping: asyncio.Event) -> bool:
        async with self.db.connection() as conn:
            result = await service.run_round(conn, self.runtime, self.batch)
        if result.enriched:
            log.info("text: %d comments enriched in %.2f s", result.enriched, result.seconds)
        return result.more and not stopping.is_set()
