"""The background task of each `feedback serve` worker that delivers due webhook messages.

Every worker of every process runs one. A round claims up to `batch` due
messages (SKIP LOCKED, so each message has one claimant), lets go of the
database connection, sends them concurrently, then records each result. A
worker that dies between claim and record leaves its messages leased: they are
due again when the lease (60 s) runs out, and another worker sends them.
Delivery is thus at least once; receivers dedupe on `webhook-id`.

A round's instant is the database's clock, read with the claim, never the
node's own: the lease, the back-off and what is due are compared across every
worker of every node (until issue 22 each node used its own clock, so a node
whose clock ran more than the lease ahead of another's took that node's messages
while they were still being sent, and each went out twice; one behind saw new
messages late).
"""

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from app.db import Database, OutageLog, unavailable
from app.observability.prometheus import WEBHOOK_ATTEMPTS
from app.periodic import Periodic
from app.webhooks import service
from app.webhooks.delivery import Message, Result, Sender

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivered:
    message: Message
    result: Result


async def deliver_due(
    db: Database,
    sender: Sender,
    *,
    now: datetime | None = None,
    batch: int = 20,
    rand: Callable[[], float] = random.random,
) -> list[Delivered]:
    """One round: claim, send, record. `now` (default: the database's clock) lets tests
    move time."""
    async with db.connection() as conn:
        at: datetime = now or await conn.fetchval("SELECT statement_timestamp()")
        messages = await service.claim(conn, at, batch)
    if not messages:
        return []
    sent = await asyncio.gather(*(sender.send(m) for m in messages), return_exceptions=True)
    results = [_result(m, r) for m, r in zip(messages, sent, strict=True)]
    for result in results:
        WEBHOOK_ATTEMPTS.labels("delivered" if result.ok else "failed").inc()
    async with db.connection() as conn:
        for message, result in zip(messages, results, strict=True):
            try:
                await service.record(conn, message, result, at, rand())
            except Exception as exc:
                if unavailable(exc):
                    raise  # the database is away: the round ends, the leases run out
                # This message alone: the others are still recorded, and it moves on as
                # its result says, unlogged (or, its subscription deleted meanwhile, is gone).
                log.exception("webhook message %s: its attempt was not logged", message.msg_id)
                await _settle(conn, message, result, at, rand())
    return [Delivered(m, r) for m, r in zip(messages, results, strict=True)]


def _result(message: Message, sent: Result | BaseException) -> Result:
    """A sender that raised (it should not) failed this message alone."""
    if isinstance(sent, Result):
        return sent
    if not isinstance(sent, Exception):
        raise sent  # cancellation, interpreter exit: the round ends
    log.error("webhook message %s: the sender raised", message.msg_id, exc_info=sent)
    return Result(None, f"internal error ({type(sent).__name__}); see the service log", 0)


async def _settle(
    conn: asyncpg.Connection, message: Message, result: Result, at: datetime, rand: float
) -> None:
    try:
        await service.settle(conn, message, delivered=result.ok, now=at, rand=rand)
    except Exception as exc:
        if unavailable(exc):
            raise
        log.exception("webhook message %s: not rescheduled; due when its lease ends",
                      message.msg_id)  # fmt: skip


class WebhookWorker:
    def __init__(self, db: Database, sender: Sender, interval: float, batch: int) -> None:
        self.db = db
        self.sender = sender
        self.batch = batch
        self._loop = Periodic("webhooks", self._round, interval, OutageLog(log, "webhook round"))

    def start(self) -> None:
        if self._loop.interval > 0:
            self._loop.start()

    async def stop(self) -> None:
        """Lets a round in flight finish (its requests time out in `sender.timeout`);
        if it still hangs, abandons it: its messages are due again when their lease ends."""
        if not await self._loop.stop(wait=self.sender.timeout + 5):
            log.warning("webhook round abandoned at shutdown; it will be retried")
        await self.sender.aclose()

    async def _round(self, stopping: asyncio.Event) -> bool:
        done = await deliver_due(self.db, self.sender, batch=self.batch)
        return len(done) == self.batch  # more may be due
