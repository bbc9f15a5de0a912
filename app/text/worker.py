"""The background task of each `feedback serve` worker that enriches new comments.

Every worker runs one, but only the leader enriches (`app.periodic.Leadership`,
`LEADER_KEY`): one worker across every worker and node. The models load in the
worker that first has work (about 300 MB with the embedding model, up to 650 MB
resident with the lemma dictionaries), once per process; before the lead, the
advisory lock in `service.run_round` let any worker take any round, so in time
every worker of every node kept its own copy. That lock stays (`feedback text run`
and a leader that just took over still enrich one at a time). The CPU work runs in
a thread: the event loop keeps serving. A failing round (database away) is logged
and tried again on the next tick.
"""

import asyncio
import logging

from app.db import Database, OutageLog
from app.periodic import Leadership, Periodic
from app.text import service

log = logging.getLogger(__name__)

# pg_advisory_lock key of the lead: "feedtxld" (not the round's own key).
LEADER_KEY = 0x66656564_74786C64


class TextWorker:
    def __init__(self, db: Database, runtime: service.Runtime, interval: float, batch: int) -> None:
        self.db = db
        self.runtime = runtime
        self.batch = batch
        self._loop = Periodic(
            "text", self._round, interval, OutageLog(log, "text round"),
            Leadership(db.engine.url, LEADER_KEY, "text enrichment rounds"),
        )  # fmt: skip

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
