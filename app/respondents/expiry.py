"""The retention of whole events: with `FEEDBACK_EVENT_RETENTION_MONTHS` set, the events
that occurred before the first of the month that many months ago go, a monthly partition
at a time, with everything about them (docs/architecture.md, "Partitioned history").

Where the rules allow whole months to go, no row is deleted from `feedback_events`: the
partition is renamed, detached without blocking reads or writes (DETACH ... CONCURRENTLY,
app/feedback/partitions.py) and dropped. By `occurred_at`, the partition key: a month
goes when all of it is older than the limit (the comment and contact rules of
`FEEDBACK_RETENTION_DAYS` stay row by row, by `received_at`, app/respondents/retention.py).

What goes with a month's events is what goes with an erased event (app/respondents/
service.py), composed from the same parts: their contact rows, follow-up cases (with
their history), webhook messages, what the text enrichment derived, their ledger rows
turned into tombstones (a device replaying one stores nothing and is told it is gone:
410), and their share of every rollup cell, taken out as a round put it in (under the
rollup lock; cells left with no event deleted), so every metric stays what a rebuild
from the remaining events gives. One transaction per month after the detach, the drop
of the detached table in it: a run that dies is redone by the next from what it finds.

Which of a month's events the cells hold is decided by the watermark W when the detach
begins: no round runs from then until they are out (`rollups.paused`), because a round
meanwhile would no longer see the detached rows and would move W past those it never
added. W is written on the table (its comment) before the detach, so a run that died
after it takes out exactly those rows, whatever rounds ran since.
Between the detach and that commit (seconds), a metric of that old month may count its
events in the cells but not in the raw rows.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from app import periodic
from app.feedback import data_rights as feedback
from app.feedback import partitions
from app.follow_ups import data_rights as follow_ups
from app.rollups import service as rollups
from app.text import data_rights as text
from app.webhooks import data_rights as webhooks

log = logging.getLogger(__name__)

COUNTS = ("events", "contacts", "follow_ups", "ledger_tombstones", "webhook_messages")
_COUNTED = {**feedback.ERASURE_COUNTS, **follow_ups.ERASURE_COUNTS, **webhooks.ERASURE_COUNTS}


def expire_sql(table: str) -> str:
    """Everything about the events of `table` (a detached partition), in one statement."""
    return f"""
WITH {feedback.expiry_ctes(table)},
{follow_ups.erasure_cte("events")},
{webhooks.erasure_cte("events")},
{text.erasure_ctes("events")}
SELECT {", ".join(f"{_COUNTED[name]} AS {name}" for name in COUNTS)}
"""


@dataclass(frozen=True, slots=True)
class Expired:
    months: tuple[str, ...] = ()  # the partitions dropped
    events: int = 0
    contacts: int = 0
    follow_ups: int = 0
    webhook_messages: int = 0


async def cutoff(conn: asyncpg.Connection, months: int) -> datetime:
    """The first of the month `months` months before the current one (UTC)."""
    now: datetime = await conn.fetchval("SELECT now()")
    return partitions.add_months(partitions.month_start(now), -months)


ROLLED_UP_TO = rollups.ROLLED_UP_TO  # the comment of a partition being detached, then W


async def _detach(
    conn: asyncpg.Connection, p: partitions.Partition, watermark: int
) -> tuple[str, int]:
    """`p` detached (the caller has paused the rollups at `watermark`), and the watermark
    up to which the cells hold its events: `watermark`, written on it before the detach;
    or, for a table an earlier run left detached or half-detached (rounds no longer saw
    its rows), what that run wrote."""
    attached = await conn.fetchval(
        "SELECT relispartition FROM pg_class WHERE oid = to_regclass($1)", p.name
    )
    if attached and not p.detaching:  # rounds still see its rows: W holds those <= W
        await conn.execute(f"COMMENT ON TABLE {p.name} IS '{ROLLED_UP_TO}{watermark}'")
        return await partitions.detach(conn, p), watermark
    note = await conn.fetchval("SELECT obj_description(to_regclass($1), 'pg_class')", p.name)
    if note is None or not note.startswith(ROLLED_UP_TO):
        raise RuntimeError(f"{p.name} was left detached without its watermark: see its rows")
    return p.name, int(note.removeprefix(ROLLED_UP_TO))


async def expire(
    conn: asyncpg.Connection, months: int, stop: asyncio.Event | None = None
) -> Expired:
    """Drop the months older than `months` whole months (see the module doc). Outside a
    transaction (a detach is two of its own). The caller runs one at a time."""
    done = Expired()
    for p in await partitions.expiring(conn, await cutoff(conn, months)):
        if stop is not None and stop.is_set():
            raise periodic.Stopped  # between two months; the next run goes on
        async with rollups.paused(conn) as now:
            table, watermark = await _detach(conn, p, now)
            async with conn.transaction():
                await conn.execute("SET LOCAL statement_timeout = 0")  # a month's worth
                _, zones = await rollups.hold(conn)
                if watermark > 0:
                    source = feedback.expired_rolled_sql(table)
                    await rollups.subtract(conn, zones, source, watermark)
                counts = await conn.fetchrow(expire_sql(table))
                await conn.execute(f"DROP TABLE {table}")
        log.info(
            "retention: dropped %s (%d events, %d contacts, %d follow-up cases, "
            "%d webhook messages)",
            p.name, counts["events"], counts["contacts"], counts["follow_ups"],
            counts["webhook_messages"],
        )  # fmt: skip
        done = Expired(
            (*done.months, p.name),
            done.events + counts["events"],
            done.contacts + counts["contacts"],
            done.follow_ups + counts["follow_ups"],
            done.webhook_messages + counts["webhook_messages"],
        )
    return done
