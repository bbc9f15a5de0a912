"""The background task of each `feedback serve` worker that keeps the rollups current.

Every worker runs one; the advisory lock in `service.roll_up` lets one roll up at
a time and the others skip. A failing round (database away) is logged and
tried again on the next tick; stopping waits for the round in progress.
"""

import asyncio
import logging

from app.db import LOST_CONNECTION, Database, OutageLog
from app.errors import ServiceUnavailable
from app.periodic import Periodic
from app.rollups import service
from app.rollups.rebuild import rebuild_for_zones

log = logging.getLogger(__name__)


class RollupWorker:
    def __init__(
        self, db: Database, zones: tuple[str, ...], interval: float, rebuild_jobs: int = 1
    ) -> None:
        self.db = db
        self.zones = zones
        self.rebuild_jobs = rebuild_jobs
        self._loop = Periodic("rollups", self._catch_up, interval, OutageLog(log, "rollup round"))

    def start(self) -> None:
        if self._loop.interval > 0:
            self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _catch_up(self, stopping: asyncio.Event) -> bool:
        async with self.db.connection() as conn:
            try:
                await rebuild_for_zones(
                    conn, self.zones, stopping=stopping, jobs=self.rebuild_jobs,
                    connect=self.db.connection,
                )  # fmt: skip
            except (ServiceUnavailable, *LOST_CONNECTION):
                raise  # the database is away: the loop's outage log, and the next tick
            except Exception:  # a rebuild that fails keeps failing: roll up by rounds
                log.exception("rollup: the rebuild for the new zones failed; rounds instead")
            while not stopping.is_set():
                result = await service.roll_up(conn, self.zones)
                if not result.rolled or result.caught_up:
                    break
        return False
