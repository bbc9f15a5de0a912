"""The loop of a background worker: the rollups, the webhook outbox and retention.

Each `feedback serve` worker runs one of each (the advisory locks in their rounds let
one act at a time). A round runs every `interval` seconds, the first at start; a
round that answers True is followed by the next at once (more work is waiting). A
failing round (the database restarting) is reported through an `OutageLog` (one
line when an outage begins, one when it ends; anything else in full) and tried again
on the next tick. Stopping sets the event every round is given, so a long round can
end between its batches (by raising `Stopped`), and waits for the round in flight.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from app.db import OutageLog

# One round: given the stop event, it does its work and says whether more is waiting.
Round = Callable[[asyncio.Event], Awaitable[bool]]


class Stopped(Exception):
    """A round raises it when it saw the stop event between two of its steps: the loop
    ends at once, and the round counts as neither failed nor succeeded."""


class Periodic:
    def __init__(self, name: str, work: Round, interval: float, outage: OutageLog) -> None:
        self.name = name  # of the asyncio task
        self.work = work
        self.interval = interval
        self.outage = outage
        self.stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self, wait: float | None = None) -> bool:
        """Stop after the round in flight (None: however long it takes); False if it did
        not end within `wait` seconds and was abandoned (cancelled)."""
        self.stopping.set()
        if self._task is None:
            return True
        try:
            await asyncio.wait_for(self._task, wait)
        except TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        while not self.stopping.is_set():
            more = False
            try:
                more = await self.work(self.stopping)
            except Stopped:
                return
            except Exception as exc:  # the database may be restarting: try again next tick
                self.outage.failed(exc)
            else:
                self.outage.succeeded()
            if more:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.interval)
