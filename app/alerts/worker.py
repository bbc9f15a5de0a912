"""The background task of each `feedback serve` worker that evaluates the alerts.

Every worker runs one, but only the leader evaluates (`app.periodic.Leadership`,
`LEADER_KEY`): one worker across every worker and node, a round every interval.
Before the lead, every worker evaluated on its own tick (the advisory lock in
`service.run_round` only kept them from evaluating at the same moment), so two
nodes of four workers read every watched series eight times an interval, the
rounds of one interval a few seconds apart. The round's own lock stays: it keeps
`feedback alerts run` and a leader that just took over from evaluating at once.
A failing round (database away, a concurrent change to an alert) is logged and
tried again on the next tick; nothing of it is kept.
"""

import asyncio
import logging

from app.alerts import service
from app.db import Database, OutageLog
from app.periodic import Leadership, Periodic

log = logging.getLogger(__name__)

# pg_advisory_lock key of the lead: "feedaldr" (not the round's own key, which
# `feedback alerts run` takes too).
LEADER_KEY = 0x66656564_616C6472


class AlertWorker:
    def __init__(self, db: Database, context: service.Context, interval: float) -> None:
        self.db = db
        self.context = context
        self._loop = Periodic(
            "alerts", self._round, interval, OutageLog(log, "alert round"),
            Leadership(db.engine.url, LEADER_KEY, "alert rounds"),
        )  # fmt: skip

    def start(self) -> None:
        if self._loop.interval > 0:
            self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _round(self, stopping: asyncio.Event) -> bool:
        async with self.db.connection() as conn:
            result = await service.run_round(conn, self.context)
        if result.ran and (result.opened or result.resolved):
            log.info(
                "alerts: %d opened, %d resolved, %d open updated; %d series in %.2f s",
                result.opened, result.resolved, result.updated, result.series, result.seconds,
            )  # fmt: skip
        return False
