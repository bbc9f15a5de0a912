"""The migration of an older `feedback_events` to the partitioned table, and the split of
its legacy partition into months, each while ingest goes on (and, for the split,
erasure and the clearing of comments): nothing is lost, nothing is counted twice, and
the metrics are what the events give.

Both run on databases of their own at the revision before the partitioning
(tests/feedback/legacy.py), filled through today's ingest statement.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.feedback import partitions, split
from app.ingest.statement import Outcome, store
from app.respondents.service import erase
from app.rollups import service as rollups
from app.rollups.cubes import BY_NAME
from app.rollups.rebuild import rebuild
from tests.feedback.legacy import (
    OLD,
    downgrade,
    drop,
    event,
    migrated,
    months_ago,
    old_database,
    stored,
)

NOW = datetime.now(UTC)
ZONES = ("UTC",)
WRITERS = 4


class Ingest:
    """WRITERS connections storing batches of ten events until stopped; what they were told."""

    def __init__(self, url: URL, backfill: bool = False) -> None:
        self.url = url
        self.backfill = backfill
        self.accepted: set[str] = set()
        self.slowest = 0.0  # seconds: the longest a statement waited (locks included)
        self.batches = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def batch(self, writer: int, n: int) -> list:  # type: ignore[type-arg]
        out = []
        for j in range(10):
            at = NOW - timedelta(minutes=j)
            if self.backfill and j % 3 == 1:  # into a month the legacy partition holds
                at = months_ago(NOW, 1 + (n + j) % 7, day=1 + j)
            if self.backfill and j == 9 and n % 5 == 0:  # a month it had no row of
                at = datetime(2019, 4, 1 + writer, tzinfo=UTC)
            out.append(event(f"w{writer}-{n}-{j}", at, nps=j, respondent={"id": f"w{j}"}))
        return out

    async def _write(self, writer: int) -> None:
        conn = await asyncpg.connect(libpq_url(self.url))
        try:
            n = 0
            while not self._stop.is_set():
                started = time.perf_counter()
                result = await store(conn, self.batch(writer, n))
                self.slowest = max(self.slowest, time.perf_counter() - started)
                assert {r.outcome for r in result.values()} == {Outcome.accepted}
                self.accepted |= set(result)
                self.batches += 1
                n += 1
        finally:
            await conn.close()

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._write(k)) for k in range(WRITERS)]

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)


async def check_exact(conn: asyncpg.Connection, expected: set[str]) -> None:
    """Every event once, the ledger agreeing row for row, and rollup cells equal to what
    the events give."""
    rows = await conn.fetch("SELECT id, event_id, occurred_at FROM feedback_events")
    assert len(rows) == len({r["id"] for r in rows}) == len({r["event_id"] for r in rows})
    assert {r["event_id"] for r in rows} == expected
    ledger = await conn.fetch(
        "SELECT event_id, event_pk AS id, occurred_at FROM feedback_event_ids "
        "WHERE event_pk IS NOT NULL"
    )
    assert sorted(tuple(r) for r in ledger) == sorted((r[1], r[0], r[2]) for r in rows)
    await rollups.catch_up(conn, ZONES)
    total = BY_NAME["total"].id
    volume = await conn.fetchval(
        "SELECT sum(volume) FROM metric_rollups WHERE cube = $1 AND span = 'hour'", total
    )
    assert volume == len(rows)
    before = await conn.fetch("SELECT * FROM metric_rollups ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9")
    await rebuild(conn, ZONES)
    after = await conn.fetch("SELECT * FROM metric_rollups ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9")
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


async def event_ids(conn: asyncpg.Connection) -> set[str]:
    return {r[0] for r in await conn.fetch("SELECT event_id FROM feedback_events")}


async def fill(conn: asyncpg.Connection) -> None:
    """1,200 events of eight past months, ten respondents, a comment each."""
    await stored(conn, [
        event(f"old-{m}-{i}", months_ago(NOW, m, day=1 + i % 27), nps=i % 11,
              comment=f"visit {m} {i}", respondent={"id": f"r{i % 10}"})
        for m in range(1, 9) for i in range(150)
    ])  # fmt: skip


async def test_the_migration_keeps_every_event_ingested_while_it_runs(server_url: str) -> None:
    url = await old_database(server_url, fill)
    try:
        conn = await asyncpg.connect(libpq_url(url))
        before = await event_ids(conn)
        ingest = Ingest(url)
        ingest.start()
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        await migrated(url)
        took = time.perf_counter() - started
        await asyncio.sleep(0.2)  # and on, into the partitioned table
        await ingest.stop()
        assert ingest.batches > 20
        kind = await conn.fetchval(
            "SELECT relkind::text FROM pg_class WHERE relname = 'feedback_events'"
        )
        assert kind == "p"
        found = {p.name for p in await partitions.partitions(conn)}
        assert "feedback_events_legacy" in found
        await check_exact(conn, before | ingest.accepted)
        # Lock waits are the swap's, not the table's size (loose: a busy test machine).
        assert ingest.slowest < min(10.0, took + 1), (ingest.slowest, took)
        await conn.close()
    finally:
        await drop(server_url, url)


@pytest.fixture
async def legacy_url(server_url: str) -> AsyncIterator[URL]:
    url = await old_database(server_url, fill)
    await migrated(url)
    yield url
    await drop(server_url, url)


async def test_the_split_moves_every_row_while_ingest_erasure_and_retention_go_on(
    legacy_url: URL,
) -> None:
    conn = await asyncpg.connect(libpq_url(legacy_url))
    other = await asyncpg.connect(libpq_url(legacy_url))
    try:
        before = await event_ids(conn)
        cleared = [
            r[0] for r in await other.fetch("SELECT id FROM feedback_events WHERE id % 97 = 0")
        ]
        ingest = Ingest(legacy_url, backfill=True)
        ingest.start()
        try:
            await split_meanwhile(conn, other, cleared)
        finally:
            await asyncio.sleep(0.2)  # and on, into the months
            await ingest.stop()
        found = {p.name: p for p in await partitions.partitions(conn)}
        assert "feedback_events_legacy" not in found
        assert not await conn.fetchval(
            "SELECT count(*) FROM pg_class WHERE relname IN "
            "('feedback_events_legacy', 'feedback_events_staging', 'feedback_events_split')"
        )
        assert "feedback_events_p2019_04" in found  # a month the backfill brought meanwhile
        # Every month of the old rows has its partition, and every row is in its month.
        misplaced = await conn.fetchval(
            "SELECT count(*) FROM feedback_events e "
            "WHERE e.tableoid::regclass::text <> 'feedback_events_p' || "
            "to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY_MM')"
        )
        assert misplaced == 0
        gone = {r[0] for r in await conn.fetch(
            "SELECT event_id FROM feedback_event_ids WHERE event_pk IS NULL")}  # fmt: skip
        assert gone
        assert not await conn.fetchval(
            "SELECT count(*) FROM feedback_events WHERE respondent_id IN ('r3', 'r7')"
        )
        assert not await conn.fetchval(
            "SELECT count(*) FROM feedback_events WHERE id = ANY($1) AND comment IS NOT NULL",
            cleared,
        )
        await check_exact(conn, (before | ingest.accepted) - gone)
    finally:
        await conn.close()
        await other.close()


async def split_meanwhile(
    conn: asyncpg.Connection, other: asyncpg.Connection, cleared: list[int]
) -> None:
    """The split, a hundred rows a round, with erasures and cleared comments between."""
    erased: set[str] = set()
    steps = 0
    assert (await split.progress(conn)).phase == "waiting"  # today's events still land there
    assert not await split.step(conn)
    while await split.step(conn, batches=1, batch=100, early=True):
        steps += 1
        assert steps < 1000, "the split does not catch up with the writers"
        state = await split.progress(conn)
        if steps == 4:  # copying: a respondent's rows, copied or not yet
            await erase(other, "r3", None)
        if steps == 7:  # comments cleared in rows copied and rows not yet copied
            await other.execute(
                "UPDATE feedback_events SET comment = NULL WHERE id = ANY($1)", cleared
            )
        if state.phase == "swap" and "r7" not in erased:  # copied, not yet swapped
            await erase(other, "r7", None)
            erased.add("r7")
        await asyncio.sleep(0.02)
    assert steps > 12
    assert erased == {"r7"}


async def test_the_downgrade_copies_every_event_back_and_the_upgrade_again(
    legacy_url: URL,
) -> None:
    conn = await asyncpg.connect(libpq_url(legacy_url))
    try:
        await stored(conn, [event("after", NOW, nps=3, comment="fine")])
        before = await event_ids(conn)
        await conn.execute(
            "INSERT INTO comment_insights (event_pk, language, language_source, "
            "sentiment_source, version) SELECT id, 'en', 'given', 'model', 't' "
            "FROM feedback_events WHERE id % 5 = 0"
        )
        await asyncio.to_thread(downgrade, legacy_url, OLD)
        kind = await conn.fetchval(
            "SELECT relkind::text FROM pg_class WHERE relname = 'feedback_events'"
        )
        assert kind == "r"
        assert await event_ids(conn) == before
        keys = await conn.fetchval(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid = 'feedback_events'::regclass"
        )
        assert keys == 3  # the text tables' foreign keys, as they were
        assert await conn.fetchval("SELECT count(*) FROM reporting.events") == len(before)
        await migrated(legacy_url)
        await stored(conn, [event("again", NOW, nps=9)])
        await check_exact(conn, before | {"again"})
    finally:
        await conn.close()
