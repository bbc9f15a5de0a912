"""The partitioning of `feedback_events` measured with ingest going on (issue 22, part 1).

1. A new database at the revision before the partitioning, with --events generated
   events (1,000,000 by default) spread over --months months up to now and their ledger
   rows, written by SQL (no rollups, no cases).
2. --writers connections store batches of --batch of today's events through the ingest
   statement without a pause, each statement timed, from before the migration to after
   the split.
3. The migration, as `feedback serve` runs it (Alembic, in a thread): its wall time,
   the time of each of its steps (from its log lines), the longest an ingest statement
   took while it ran, and the longest wait for a lock a writer's session was seen in
   (pg_stat_activity, sampled every 10 ms; other waits, I/O and buffer locks, apart).
4. The split of the legacy partition into months (app/feedback/maintenance.run, as the
   partition worker runs it): the same figures.
5. The check: one event per ledger row, every acknowledged event once.

Uses FEEDBACK_BENCH_DATABASE_URL (any database on the server: one is created beside it
and dropped at the end unless --keep), or the embedded PostgreSQL in ./.data/bench.

Run: FEEDBACK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
     .venv/bin/python -m bench.partition_migration [--events 1000000]
"""

import argparse
import asyncio
import logging
import os
import secrets
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy.engine import URL

from app import embedded
from app.cli import migrations_dir
from app.db import asyncpg_url, libpq_url
from app.feedback import maintenance, partitions
from app.feedback.partitions import LEGACY
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import Outcome, store
from bench.metrics_query import EMBEDDED_DIR, admin_execute

OLD = "5e1a9c3d7b42"  # the revision before feedback_events was partitioned

GENERATE_SQL = """
INSERT INTO feedback_events (event_id, occurred_at, received_at, channel, touchpoint,
    location_id, employee_id, respondent_id, nps, csat, comment, tags, attributes)
SELECT 'gen-' || g, t, t + interval '1 minute', (ARRAY['pos', 'web', 'app'])[1 + g % 3],
       (ARRAY['checkout', 'returns', 'web'])[1 + g % 3], 'loc-' || g % 40, 'emp-' || g % 400,
       CASE WHEN g % 3 = 0 THEN 'r-' || g % 50000 END, g % 11,
       CASE WHEN g % 4 = 0 THEN 1 + g % 5 END,
       CASE WHEN g % 5 = 0 THEN 'the queue at the till was long, again ' || g % 97 END,
       CASE WHEN g % 7 = 0 THEN ARRAY['vip'] ELSE '{}' END,
       jsonb_build_object('basket', g % 120)
FROM generate_series($1::bigint, $2::bigint) AS g,
     LATERAL (SELECT $3::timestamptz - (g::float8 / $4) * ($3::timestamptz - $5::timestamptz)
              AS t) AS at
"""
LEDGER_SQL = """
INSERT INTO feedback_event_ids (event_id, event_pk, occurred_at, body_hash)
SELECT event_id, id, occurred_at, '\\x00'::bytea FROM feedback_events
"""


@dataclass
class Writers:
    url: URL
    writers: int
    batch: int
    timings: list[tuple[float, float]] = field(default_factory=list)  # (end, seconds)
    # Where the events are dated: now, or (for the split) in the legacy partition's
    # boundary month, as they are once it has passed and the split begins.
    dated: datetime | None = None
    accepted: set[str] = field(default_factory=set)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def events(self, writer: int, n: int) -> list[Prepared]:
        now = datetime.now(UTC)
        dated = self.dated or now
        out = []
        for j in range(self.batch):
            body = {
                "event_id": f"live-{writer}-{n}-{j}", "channel": "pos", "nps": j % 11,
                "location_id": f"loc-{j}",
                "occurred_at": (dated - timedelta(seconds=j)).isoformat(),
            }  # fmt: skip
            out.append(
                prepare(
                    FeedbackIn.model_validate(body),
                    key_id=None,
                    key_location_id=None,
                    received_at=now,
                    max_future=timedelta(days=62),
                )
            )
        return out

    async def _write(self, writer: int) -> None:
        conn = await asyncpg.connect(
            libpq_url(self.url), server_settings={"application_name": WRITER}
        )
        try:
            n = 0
            while not self._stop.is_set():
                events = self.events(writer, n)
                started = time.perf_counter()
                result = await store(conn, events)
                ended = time.perf_counter()
                self.timings.append((ended, ended - started))
                self.accepted |= {k for k, v in result.items() if v.outcome is Outcome.accepted}
                n += 1
        finally:
            await conn.close()

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._write(k)) for k in range(self.writers)]

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)

    def during(self, start: float, end: float) -> list[float]:
        """Seconds of the statements that were running at some moment of [start, end]."""
        return [s for e, s in self.timings if e >= start and e - s <= end]

    def slowest(self, start: float, end: float, n: int = 3) -> str:
        """The `n` longest statements of [start, end]: when they began (s after `start`)."""
        found = sorted(((s, e - s) for e, s in self.timings if e >= start and e - s <= end),
                       reverse=True)[:n]  # fmt: skip
        return ", ".join(f"{s * 1000:.0f} ms at {b - start:.2f} s" for s, b in found)


def upgrade(url: URL, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = libpq_url(url)
    command.upgrade(config, revision)


WRITER = "bench-writer"
WAITING_SQL = f"""
SELECT pid, wait_event_type, wait_event FROM pg_stat_activity
WHERE datname = current_database() AND application_name = '{WRITER}'
  AND wait_event_type IN ('Lock', 'LWLock', 'IO')
"""


class Waits:
    """What the writers' sessions waited for, sampled every 10 ms from pg_stat_activity:
    each wait (a pid seen waiting for one kind in consecutive samples) and how long it
    lasted (to the sample), by kind: heavyweight locks (`Lock`), and the rest."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.waits: list[tuple[float, float, str]] = []  # (start, seconds, kind)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        conn = await asyncpg.connect(libpq_url(self.url))
        open_: dict[tuple[int, str], float] = {}
        try:
            while not self._stop.is_set():
                now = time.perf_counter()
                seen = {
                    (r["pid"], f"{r['wait_event_type']}:{r['wait_event']}")
                    for r in await conn.fetch(WAITING_SQL)
                }
                for key in list(open_):
                    if key not in seen:
                        self.waits.append((open_[key], now - open_[key], key[1]))
                        del open_[key]
                for key in seen:
                    open_.setdefault(key, now)
                await asyncio.sleep(0.01)
        finally:
            await conn.close()

    def start(self) -> None:
        self._task = asyncio.create_task(self._sample())

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            await self._task

    def longest(self, start: float, end: float, lock: bool) -> str:
        found = [
            (s, b, k) for b, s, k in self.waits
            if b <= end and b + s >= start and k.startswith("Lock:") == lock
        ]  # fmt: skip
        if not found:
            return "none seen"
        s, b, k = max(found)
        return f"{s * 1000:.0f} ms ({k}, from {b - start:.2f} s)"


class Steps(logging.Handler):
    """The time of every log line of the migration and the split."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((time.perf_counter(), record.getMessage()))


def summary(name: str, seconds: list[float]) -> str:
    if not seconds:
        return f"{name}: no statement"
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name}: {len(seconds):,} statements, median {statistics.median(seconds) * 1000:.1f} "
        f"ms, p99 {p99 * 1000:.1f} ms, longest {max(seconds) * 1000:.0f} ms"
    )


async def fill(url: URL, events: int, months: int) -> float:
    conn = await asyncpg.connect(libpq_url(url))
    started = time.perf_counter()
    try:
        end = datetime.now(UTC) - timedelta(hours=1)
        begin = end - timedelta(days=30.4 * months)
        step = 100_000
        for first in range(1, events + 1, step):
            last = min(events, first + step - 1)
            await conn.execute(GENERATE_SQL, first, last, end, float(events), begin)
        await conn.execute(LEDGER_SQL)
        await conn.execute("VACUUM ANALYZE feedback_events")
        await conn.execute("VACUUM ANALYZE feedback_event_ids")
        size = await conn.fetchval(
            "SELECT pg_size_pretty(pg_total_relation_size('feedback_events'))"
        )
        took = time.perf_counter() - started
        print(f"filled {events:,} events over {months} months in {took:.0f} s ({size})")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def check(url: URL, accepted: set[str], generated: int) -> None:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        events = await conn.fetchval("SELECT count(*) FROM feedback_events")
        distinct = await conn.fetchval("SELECT count(DISTINCT event_id) FROM feedback_events")
        ledger = await conn.fetchval(
            "SELECT count(*) FROM feedback_event_ids WHERE event_pk IS NOT NULL"
        )
        live = await conn.fetchval(
            "SELECT count(*) FROM feedback_events WHERE event_id LIKE 'live-%'"
        )
        parts = await conn.fetchval(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'feedback_events'::regclass"
        )
        ok = events == distinct == ledger == generated + len(accepted) and live == len(accepted)
        print(f"check: {events:,} events ({distinct:,} distinct), {ledger:,} ledger rows, "
              f"{live:,} of {len(accepted):,} acknowledged live events, {parts} partitions: "
              f"{'exact' if ok else 'NOT EXACT'}")  # fmt: skip
        if not ok:
            raise SystemExit(1)
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    given = os.environ.get("FEEDBACK_BENCH_DATABASE_URL")
    admin = (
        libpq_url(asyncpg_url(given))
        if given
        else await asyncio.to_thread(embedded.start_embedded, EMBEDDED_DIR)
    )
    name = f"feedback_bench_partitions_{secrets.token_hex(4)}"
    url = (
        asyncpg_url(given).set(database=name)
        if given
        else asyncpg_url(embedded.socket_url(admin, name))
    )
    await admin_execute(admin, f'CREATE DATABASE "{name}"')
    steps = Steps()
    for logger in ("alembic.runtime.migration", "app.feedback.split"):
        logging.getLogger(logger).addHandler(steps)
        logging.getLogger(logger).setLevel(logging.INFO)
    try:
        conn = await asyncpg.connect(libpq_url(url))
        print(await conn.fetchval("SELECT version()"))
        await conn.close()
        await asyncio.to_thread(upgrade, url, OLD)
        await fill(url, args.events, args.months)
        writers = Writers(url, args.writers, args.batch)
        writers.start()
        waits = Waits(url)
        waits.start()
        await asyncio.sleep(args.settle)
        before = time.perf_counter()

        started = time.perf_counter()
        await asyncio.to_thread(upgrade, url, "head")
        migrated = time.perf_counter()
        conn = await asyncpg.connect(libpq_url(url))
        try:
            (b,) = [p.upper for p in await partitions.partitions(conn) if p.name == LEGACY]
            assert b is not None
            writers.dated = b + timedelta(hours=1)
            await asyncio.sleep(args.settle)
            split_started = time.perf_counter()
            await maintenance.run(conn, split_early=True)
        finally:
            await conn.close()
        split_ended = time.perf_counter()
        await asyncio.sleep(args.settle)
        await writers.stop()
        await waits.stop()

        print(f"migration: {migrated - started:.1f} s")
        first = started
        for at, line in steps.lines:
            if "Running upgrade" in line or at < started:
                continue
            print(f"  {at - first:7.2f} s  {line}")
        print(
            f"split: {split_ended - split_started:.1f} s (began at {split_started - first:.2f} s)"
        )
        print(summary("ingest before", writers.during(before - args.settle, before)))
        print(summary("ingest during the migration", writers.during(started, migrated)))
        print(f"  the longest: {writers.slowest(started, migrated)} (after it began)")
        print(f"  the longest lock wait seen: {waits.longest(started, migrated, lock=True)}; "
              f"other waits: {waits.longest(started, migrated, lock=False)}")  # fmt: skip
        print(summary("ingest during the split", writers.during(split_started, split_ended)))
        print(f"  the longest: {writers.slowest(split_started, split_ended)} (after it began)")
        print(f"  the longest lock wait seen: "
              f"{waits.longest(split_started, split_ended, lock=True)}; other waits: "
              f"{waits.longest(split_started, split_ended, lock=False)}")  # fmt: skip
        await check(url, writers.accepted, args.events)
    finally:
        if not args.keep:
            await admin_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--months", type=int, default=24, help="the events spread over (24)")
    p.add_argument("--writers", type=int, default=4, help="ingest connections (4)")
    p.add_argument("--batch", type=int, default=20, help="events a statement (20)")
    p.add_argument("--settle", type=float, default=2.0, help="seconds of ingest around each")
    p.add_argument("--keep", action="store_true", help="keep the database")
    return p.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    asyncio.run(main(parse_args()))
