"""Group commit for single events: concurrent requests share one INSERT statement.

Each request hands over its prepared event and waits until the statement that
stores it has completed (committed), then answers. Events that arrive while a
statement runs go into the next one, so under load the database sees one
statement per round instead of a transaction per request, and with no load a
lone event is written at once (no timer, no added latency).

The wait is bounded. At most `max_pending` events queue (beyond that a request
is answered 503 at once: under overload a client learns quickly to come back,
instead of waiting behind rounds it cannot see, while memory stays bounded), and
when a round finds the database unavailable, the events that queued meanwhile
get the 503 too rather than each round waiting out its own timeouts in turn.
"""

import asyncio
import logging

from app.db import Database
from app.errors import ServiceUnavailable
from app.ingest.normalize import Prepared
from app.ingest.statement import Outcome, first_of_each, repeat_outcome, store

log = logging.getLogger(__name__)


class EventWriter:
    def __init__(self, db: Database, max_events: int = 1000, max_pending: int = 5000) -> None:
        self.db = db
        self.max_events = max_events
        self.max_pending = max_pending
        self._pending: list[tuple[Prepared, asyncio.Future[Outcome]]] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    async def submit(self, prepared: Prepared) -> Outcome:
        """Store one event (or recognise it); returns once the outcome is durable."""
        if self._closing:
            raise ServiceUnavailable("The service is shutting down; retry on another instance.")
        if len(self._pending) >= self.max_pending:
            raise ServiceUnavailable("Too many events are waiting to be written; retry shortly.")
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._pending.append((prepared, future))
        if self._task is None or self._task.done():  # first use, or after an unexpected crash
            self._task = asyncio.create_task(self._run(), name="feedback-event-writer")
        self._wakeup.set()
        return await future

    async def close(self) -> None:
        """Write what is pending, then stop. Later submits are refused with 503."""
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                round_ = self._pending[: self.max_events]
                del self._pending[: self.max_events]
                await self._write(round_)
            if self._closing:
                return

    async def _write(self, round_: list[tuple[Prepared, asyncio.Future[Outcome]]]) -> None:
        first, repeats = first_of_each(list(enumerate(p for p, _ in round_)))
        try:
            async with self.db.connection() as conn:
                stored = await store(conn, [p for _, p in first.values()])
        except Exception as exc:  # every waiter gets the error (503 for outages)
            log.warning("writing %d events failed: %s", len(round_), type(exc).__name__)
            if isinstance(exc, ServiceUnavailable):  # the next round would fail alike
                round_ += self._pending
                self._pending = []
            for _, future in round_:
                if not future.done():
                    future.set_exception(exc)
            return
        results = {index: stored[event_id].outcome for event_id, (index, _) in first.items()}
        for index, repeat in repeats:
            results[index] = repeat_outcome(repeat, stored[repeat.event_id])
        for index, (_, future) in enumerate(round_):
            if not future.done():  # the client may have gone away; the event is stored anyway
                future.set_result(results[index])
