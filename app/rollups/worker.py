"""The background task of each `feedback serve` worker that keeps the rollups current.

Every worker runs one; the advisory lock in `service.roll_up` lets one roll up at
a time and the others skip. A failing round (database away) is logged and
tried again on the next tick; stopping waits for the round in progress.
"""

import asyncio
import contextlib
import logging

from app.db import Database, OutageLog
from app.rollups import service

log = logging.getLogger(__name__)


class RollupWorker:
    def __init__(self, db: Database, zones: tuple[str, ...], interval: float) -> None:
        self.db = db
        self.zones = zones
        self.interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._outage = OutageLog(log, "rollup round")

    def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._run(), name="rollups")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self._catch_up()
            except Exception as exc:  # the database may be restarting: try again next tick
                self._outage.failed(exc)
            else:
                self._outage.succeeded()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval)

    async def _catch_up(self) -> None:
        async with self.db.connection() as conn:
            while not self._stop.is_set():
                result = await service.roll_up(conn, self.zones)
                if not result.rolled or result.caught_up:
                    return
