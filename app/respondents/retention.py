"""Retention: comments and contact data older than `FEEDBACK_RETENTION_DAYS` are removed
(and with `FEEDBACK_EVENT_RETENTION_MONTHS`, whole months of events: app/respondents/expiry.py).

What goes: the `comment` of events *received* more than the limit ago, their
contact rows (`has_contact` becomes false), the free text of follow-up cases
older than the limit (contact-attempt notes and resolutions of history entries
made before the cutoff, and the resolution of cases closed before it), and the
webhook messages written before it that are done (delivered or failed: their
bodies carry the event, comment included), with their delivery log.
What stays: every score and dimension, so no rollup cell and no metric changes
(no rollup column depends on a comment or on contact data: aggregates.COLUMNS),
and the ledger row (its fingerprint still tells a replay from a conflict).

By `received_at`, not `occurred_at`: the limit is how long the service has held
the data, and a backfilled event with an old `occurred_at` keeps its contact data
long enough for its follow-up.

Set-based and batched: events in windows of `BATCH` ids (the primary key), each
window its own short transaction, so neither ingest nor a rollup round (whose
SHARE lock waits for open writers) ever waits long. `retention_state` remembers
the cutoff of the last complete run, so a run looks only at what arrived since
(through the BRIN index on `received_at`). One run at a time across workers and
replicas: a session-level advisory lock, skipped when taken; and one worker of them
all runs it, each `FEEDBACK_RETENTION_INTERVAL_SECONDS` (`RetentionWorker`).
"""

import asyncio
import logging
from dataclasses import dataclass, field, replace

import asyncpg

from app import periodic
from app.db import Database, OutageLog
from app.feedback import retention as feedback
from app.follow_ups import retention as follow_ups
from app.respondents import expiry
from app.webhooks import retention as webhooks

log = logging.getLogger(__name__)

# pg_advisory_lock key: "feedback retention" (any constant unique to this service).
LOCK_KEY = 0x66656564_72657465
BATCH = 10_000  # ids per transaction
INTERVAL_SECONDS = 3600.0  # how often the worker that leads runs it (the setting's default)

# The statements of each domain's tables are that domain's (app/feedback/retention.py,
# app/follow_ups/retention.py, app/webhooks/retention.py); this module runs them in
# batches, and keeps its own state.
RANGE_SQL = f"""
WITH span AS (
    SELECT now() - make_interval(days => $1) AS cutoff,
           coalesce(cleared_before, '-infinity') AS since
    FROM retention_state WHERE id = 1
)
{feedback.received_ids_sql("span")}
"""
"""The cutoff, and the ids of the events received since the last run's cutoff and
before this one's: after the first run, an hour's worth, found through the BRIN
index. Ids follow arrival closely but not exactly, so every row's `received_at` is
checked again; one outside the range is never in need (cleared before, or too new)."""


@dataclass(frozen=True, slots=True)
class Removed:
    comments: int = 0
    contacts: int = 0
    case_notes: int = 0  # history entries whose note or resolution was cleared
    case_resolutions: int = 0  # cases whose resolution was cleared
    webhook_messages: int = 0  # delivered or failed messages deleted, with their log
    # whole months of events (FEEDBACK_EVENT_RETENTION_MONTHS)
    expired: expiry.Expired = field(default_factory=expiry.Expired)


class Stopped(periodic.Stopped):
    """The run was asked to stop between two batches; the next run redoes its range
    (in a worker, its loop ends: `periodic.Stopped`)."""


async def run(
    conn: asyncpg.Connection,
    days: int | None,
    batch: int = BATCH,
    stop: asyncio.Event | None = None,
    *,
    months: int | None = None,
) -> Removed | None:
    """One complete run (comments and contact data older than `days`, whole months of
    events older than `months`: app/respondents/expiry.py); None when another worker is
    running one. Raises `Stopped` when `stop` is set before it is done (whatever it
    cleared stays cleared)."""
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
        return None
    try:
        stop = stop or asyncio.Event()
        removed = Removed() if days is None else await _run(conn, days, batch, stop)
        if months is not None:
            removed = replace(removed, expired=await expiry.expire(conn, months, stop))
        return removed
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)


async def _run(conn: asyncpg.Connection, days: int, batch: int, stop: asyncio.Event) -> Removed:
    span = await conn.fetchrow(RANGE_SQL, days)
    cutoff = span["cutoff"]
    comments = contacts = 0
    if span["first_id"] is not None:
        for start in range(span["first_id"], span["last_id"] + 1, batch):
            if stop.is_set():
                raise Stopped
            async with conn.transaction():
                row = await conn.fetchrow(feedback.CLEAR_SQL, start, start + batch, cutoff)
            comments += row["comments"]
            contacts += row["contacts"]
    notes = await _in_batches(conn, follow_ups.NOTES_SQL, cutoff, batch, stop)
    resolutions = await _in_batches(conn, follow_ups.RESOLUTIONS_SQL, cutoff, batch, stop)
    messages = await _in_batches(conn, webhooks.DONE_MESSAGES_SQL, cutoff, batch, stop)
    async with conn.transaction():
        # Never moves back: a longer limit set later must not make old rows look uncleared.
        await conn.execute(
            "UPDATE retention_state SET ran_at = now(), "
            "cleared_before = greatest(cleared_before, $1) WHERE id = 1",
            cutoff,
        )
    removed = Removed(comments, contacts, notes, resolutions, messages)
    log.info(
        "retention (%d days): removed %d comments, %d contacts, %d case notes, "
        "%d case resolutions, %d webhook messages",
        days, removed.comments, removed.contacts, removed.case_notes, removed.case_resolutions,
        removed.webhook_messages,
    )  # fmt: skip
    return removed


async def _in_batches(
    conn: asyncpg.Connection, sql: str, cutoff: object, batch: int, stop: asyncio.Event
) -> int:
    total, after = 0, 0
    while True:
        if stop.is_set():
            raise Stopped
        async with conn.transaction():
            row = await conn.fetchrow(sql, after, cutoff, batch)
        total += int(row["n"])
        if row["last"] is None:
            return total
        after = row["last"]


# pg_advisory_lock key of the worker that runs retention: "feedretl" (not LOCK_KEY,
# which `feedback retention run` takes too).
LEADER_KEY = 0x66656564_7265746C


class RetentionWorker:
    """A run every `interval` seconds (the first at start) by one worker across every
    worker and node: the leader (`app.periodic.Leadership`, `LEADER_KEY`). Before the
    lead, every worker tried a run on its own tick and the advisory lock only kept two
    from running at once, so N workers made N runs an hour. A failing run is logged
    and tried again on the next tick; stopping waits for the batch in progress only."""

    def __init__(
        self,
        db: Database,
        days: int | None,
        interval: float = INTERVAL_SECONDS,
        months: int | None = None,
    ):
        self.db = db
        self.days = days
        self.months = months
        self._loop = periodic.Periodic(
            "retention", self._run, interval, OutageLog(log, "retention run"),
            periodic.Leadership(db.engine.url, LEADER_KEY, "retention runs"),
        )  # fmt: skip

    def start(self) -> None:
        if self.days is not None or self.months is not None:
            self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _run(self, stopping: asyncio.Event) -> bool:
        async with self.db.connection() as conn:
            # Stopped between batches ends the loop
            await run(conn, self.days, stop=stopping, months=self.months)
        return False
