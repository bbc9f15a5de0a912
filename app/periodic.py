"""The loop of a background worker: the rollups, the webhook outbox, retention, the
alerts and the text enrichment.

Each `feedback serve` worker runs one of each. A round runs every `interval` seconds,
the first at start; a round that answers True is followed by the next at once (more
work is waiting). A failing round (the database restarting) is reported through an
`OutageLog` (one line when an outage begins, one when it ends; anything else in full)
and tried again on the next tick. Stopping sets the event every round is given, so a
long round can end between its batches (by raising `Stopped`), and waits for the round
in flight.

Across workers and nodes (several `feedback serve` against one database) the work is
done once in one of two ways:

- **Any worker, each item once**: the rollups follow a watermark under an advisory
  lock, webhook messages are claimed with `FOR UPDATE SKIP LOCKED` and a lease. Every
  worker ticks; a round finds nothing the last one did.
- **One worker, one round per interval** (`Leadership`): the alerts, retention and the
  text enrichment. Their rounds must not run once per worker per interval (an alert
  round reads every watched series; retention is hourly work; the text models take
  some 300-650 MB in each process that loads them), so one worker of the whole
  deployment holds a session-level advisory lock on a connection of its own and runs
  them; the others try to take it over on each tick and skip. The lock goes with the
  connection: a worker that stops hands it over, one that dies or loses the database
  loses it, and the next tick of another worker takes over.
"""

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy.engine import URL

from app.db import OutageLog, libpq_url

log = logging.getLogger(__name__)

# One round: given the stop event, it does its work and says whether more is waiting.
Round = Callable[[asyncio.Event], Awaitable[bool]]


class Stopped(Exception):
    """A round raises it when it saw the stop event between two of its steps: the loop
    ends at once, and the round counts as neither failed nor succeeded."""


# The leader's own connection: time to open it, and for the round trip that shows, before
# each of its rounds, that its session (and so the lock) is still there.
LEADER_CONNECT_SECONDS = 5.0
LEADER_CHECK_SECONDS = 5.0
LEADER_APPLICATION_NAME = "feedback-service leader"
# The server's TCP keepalives on the leader's session (over TCP; a Unix socket ignores
# them): a leader whose machine vanished without closing its connection (power, network)
# is let go of after about 10 + 3 x 5 s, not the system's default two hours and more,
# during which no worker could take over.
LEADER_SERVER_SETTINGS = {
    "application_name": LEADER_APPLICATION_NAME,
    "tcp_keepalives_idle": "10",
    "tcp_keepalives_interval": "5",
    "tcp_keepalives_count": "3",
}


class Leadership:
    """One worker at a time across every worker of every node: whichever holds the
    session-level advisory lock `key` on a connection of its own.

    Not a pooled connection: the lock lives exactly as long as the session, and a
    pooled connection is lent to requests, discarded after errors and closed at
    shutdown by others. Before each round the leader shows that its session still
    answers (one round trip); a worker that does not lead opens a connection, tries
    the lock, and closes it again if another holds it (once per tick: every
    `interval` seconds). A leader's round runs on a pooled connection like any other,
    and still takes its own lock: if the leader's session dies just after its check
    and another worker takes over, the two rounds run one after the other, never at
    once. So a takeover may add one round; nothing else does.
    """

    def __init__(self, url: URL, key: int, what: str) -> None:
        self.url = url  # the primary's: an advisory lock is one server's
        self.key = key
        self.what = what  # "alert rounds": for the log lines
        self._conn: asyncpg.Connection | None = None

    @property
    def leading(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def lead(self) -> bool:
        """Whether this worker leads now: its lock still held, or taken now. Raises
        when the database cannot be reached (the tick fails as a round would)."""
        if self._conn is not None:
            try:
                await self._conn.fetchval("SELECT 1", timeout=LEADER_CHECK_SECONDS)
                return True
            except Exception as exc:  # the session is gone, and its lock with it
                self._conn.terminate()
                self._conn = None
                log.warning(
                    "%s: this worker lost the lead (%s); any worker's next tick takes over",
                    self.what, type(exc).__name__,
                )  # fmt: skip
        conn = await asyncpg.connect(
            libpq_url(self.url),
            timeout=LEADER_CONNECT_SECONDS,
            server_settings=LEADER_SERVER_SETTINGS,
        )
        try:
            taken = await conn.fetchval(
                "SELECT pg_try_advisory_lock($1)", self.key, timeout=LEADER_CHECK_SECONDS
            )
            if not taken:
                await conn.close(timeout=LEADER_CHECK_SECONDS)
                return False
        except BaseException:
            conn.terminate()
            raise
        self._conn = conn
        log.info(
            "%s run in this worker (pid %d) from now on; the other workers and nodes skip them",
            self.what, os.getpid(),
        )  # fmt: skip
        return True

    async def release(self) -> None:
        """Hand the lead over: the session ends, and with it the lock, at once."""
        conn, self._conn = self._conn, None
        if conn is None or conn.is_closed():
            return
        try:
            await conn.close(timeout=LEADER_CHECK_SECONDS)
        except Exception:
            conn.terminate()
        log.info("%s: this worker (pid %d) handed the lead over", self.what, os.getpid())


class Periodic:
    """`leadership`: run the rounds only while this worker leads (see `Leadership`);
    None: in every worker, each tick."""

    def __init__(
        self,
        name: str,
        work: Round,
        interval: float,
        outage: OutageLog,
        leadership: Leadership | None = None,
    ) -> None:
        self.name = name  # of the asyncio task
        self.work = work
        self.interval = interval
        self.outage = outage
        self.leadership = leadership
        self.stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self, wait: float | None = None) -> bool:
        """Stop after the round in flight (None: however long it takes); False if it did
        not end within `wait` seconds and was abandoned (cancelled)."""
        self.stopping.set()
        try:
            if self._task is None:
                return True
            try:
                await asyncio.wait_for(self._task, wait)
            except TimeoutError:
                return False
            return True
        finally:
            if self.leadership is not None:
                await self.leadership.release()

    async def _run(self) -> None:
        while not self.stopping.is_set():
            more = False
            try:
                if self.leadership is None or await self.leadership.lead():
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
