"""The background task of each `feedback serve` worker that evaluates the alerts.

Every worker runs one; the advisory lock in `service.run_round` lets one evaluate
at a time (across workers and nodes) and the others skip the round. A failing
round (database away, a concurrent change to an alert) is logged and tried again
on the next tick; nothing of it is kept.
"""

import asyncio
import logging

from app.alerts import service
from app.db import Database, OutageLog
from app.periodic import Periodic

log = logging.getLogger(__name__)


class AlertWorker:
    def __init__(self, db: Database, context: service.Context, interval: float) -> None:
        self.db = db
        self.context = context
        self._loop = Periodic("alerts", self._round, interval, OutageLog(log, "alert round"))

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
