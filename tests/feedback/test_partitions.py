"""The monthly partitions of feedback_events (app/feedback/partitions.py): made ahead by
the worker, made on demand by ingest (no 500, and one partition when two make it at
once), erasure reaching every partition, the legacy one included, and retention dropping
whole months with everything about them."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.feedback import maintenance, partitions
from app.ingest.statement import Outcome, store
from app.respondents import expiry, retention
from app.respondents.service import erase
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild
from tests.conftest import Headers
from tests.feedback.legacy import drop, event, migrated, months_ago, old_database, stored

NOW = datetime.now(UTC)
ZONES = ("UTC",)


async def names(conn: asyncpg.Connection) -> set[str]:
    return {p.name for p in await partitions.partitions(conn)}


async def where(conn: asyncpg.Connection, sql: str, *args: object) -> dict[str, int]:
    """The partitions the events `sql` selects (`FROM feedback_events e WHERE ...`) are in."""
    rows = await conn.fetch(
        f"SELECT e.tableoid::regclass::text AS p, count(*) AS n FROM feedback_events e "
        f"WHERE {sql} GROUP BY 1",
        *args,
    )
    return {r["p"]: r["n"] for r in rows}


async def test_an_event_of_a_month_without_a_partition_makes_it(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, conn: asyncpg.Connection
) -> None:
    before = await names(conn)
    singles = {
        "far-past": datetime(1990, 6, 1, 12, tzinfo=UTC),  # before FLOOR: one partition
        "backfill": datetime(2015, 3, 10, 12, tzinfo=UTC),
        "today": NOW,
    }
    for event_id, at in singles.items():
        body = {"event_id": event_id, "channel": "pos", "nps": 9, "occurred_at": at.isoformat()}
        response = await client.post("/v1/feedback", json=body, headers=ingest_key)
        assert response.status_code == 201, response.text
    # A batch over three new months: one statement, run again once its months are made.
    batch = [
        {"event_id": f"b-{m}", "channel": "pos", "csat": 4,
         "occurred_at": datetime(2012, m, 5, tzinfo=UTC).isoformat()}
        for m in (1, 2, 3)
    ]  # fmt: skip
    response = await client.post("/v1/feedback/batch", json={"events": batch}, headers=ingest_key)
    assert response.json()["accepted"] == 3, response.text
    made = await names(conn) - before
    assert made == {
        "feedback_events_p_ancient", "feedback_events_p2015_03", "feedback_events_p2012_01",
        "feedback_events_p2012_02", "feedback_events_p2012_03",
    }  # fmt: skip
    for event_id, at in [*singles.items(), ("b-2", datetime(2012, 2, 5, tzinfo=UTC))]:
        got = await client.get(f"/v1/feedback/{event_id}", headers=read_key)
        assert got.status_code == 200, got.text
        assert datetime.fromisoformat(got.json()["occurred_at"]) == at
    assert await where(conn, "e.event_id = 'far-past'") == {"feedback_events_p_ancient": 1}
    # A replay finds the event in its partition: the ledger's occurred_at leads it there.
    again = await client.post("/v1/feedback/batch", json={"events": batch}, headers=ingest_key)
    assert again.json()["duplicates"] == 3


@pytest.fixture
async def connect(live_url: URL) -> AsyncIterator[Callable[[], Awaitable[asyncpg.Connection]]]:
    opened: list[asyncpg.Connection] = []

    async def open_one() -> asyncpg.Connection:
        opened.append(await asyncpg.connect(libpq_url(live_url)))
        return opened[-1]

    yield open_one
    for conn in opened:
        await conn.close()


async def test_two_workers_making_one_month_at_once_make_it_once(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    a, b, holder = await connect(), await connect(), await connect()
    month = datetime(2011, 7, 15, tzinfo=UTC)
    # Both see the month missing, then queue for the lock: the second finds it made.
    await holder.execute("SELECT pg_advisory_lock($1)", partitions.LOCK_KEY)
    racing = asyncio.gather(partitions.ensure(a, [month]), partitions.ensure(b, [month]))
    await asyncio.sleep(0.3)
    await holder.execute("SELECT pg_advisory_unlock($1)", partitions.LOCK_KEY)
    assert sorted(await racing) == [[], ["feedback_events_p2011_07"]]
    # Two ingest statements of another new month at once, each its own connection.
    results = await asyncio.gather(
        store(a, [event("race-a", datetime(2011, 9, 1, tzinfo=UTC), nps=3)]),
        store(b, [event("race-b", datetime(2011, 9, 2, tzinfo=UTC), nps=4)]),
    )
    assert [r[k].outcome for r, k in zip(results, ("race-a", "race-b"), strict=True)] == [
        Outcome.accepted,
        Outcome.accepted,
    ]
    assert await where(a, "e.event_id LIKE 'race-%'") == {"feedback_events_p2011_09": 2}


async def test_the_worker_makes_the_coming_months_and_nothing_else(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    conn = await connect()
    first = partitions.month_start(await conn.fetchval("SELECT now()"))
    ahead = [partitions.range_of(partitions.add_months(first, n)).name for n in (1, 2)]
    for name in ahead:
        await conn.execute(f"ALTER TABLE feedback_events DETACH PARTITION {name}")
        await conn.execute(f"DROP TABLE {name}")
    result = await maintenance.run_round(conn)
    assert result.ran
    assert sorted(result.made) == ahead
    assert (await maintenance.run_round(conn)).made == ()  # nothing missing: nothing made


# ------------------------------------------------------------------ erasure and retention


async def text_rows(conn: asyncpg.Connection, ids: list[int]) -> None:
    """What the enrichment keeps of these events (no model needed to write it)."""
    await conn.executemany(
        "INSERT INTO comment_insights (event_pk, language, language_source, sentiment_source, "
        "version, key_phrases) VALUES ($1, 'en', 'given', 'model', 't', '{slow till}')",
        [(i,) for i in ids],
    )
    await conn.executemany(
        "INSERT INTO text_examples (event_pk, language, label, vector) VALUES ($1, 'en', 0, '')",
        [(i,) for i in ids],
    )
    await conn.executemany("INSERT INTO text_pending (event_pk) VALUES ($1)", [(i,) for i in ids])


async def text_of(conn: asyncpg.Connection) -> set[int]:
    rows = await conn.fetch(
        "SELECT event_pk FROM comment_insights UNION SELECT event_pk FROM text_examples "
        "UNION SELECT event_pk FROM text_pending"
    )
    return {r[0] for r in rows}


@pytest.fixture
async def legacy_url(server_url: str) -> AsyncIterator[URL]:
    """A database of the release before the partitioning, with events of eight past months
    (anna's among them, one with contact data), then migrated: the legacy partition holds
    them."""

    async def fill(conn: asyncpg.Connection) -> None:
        await stored(conn, [
            event(f"old-{m}-{i}", months_ago(NOW, m, day=1 + i), nps=(m + i) % 11,
                  comment=f"visit {i}", respondent={"id": "anna" if i == 0 else f"r{m}-{i}"})
            for m in range(1, 9) for i in range(3)
        ])  # fmt: skip
        await stored(conn, [event("old-contact", months_ago(NOW, 4), nps=2,
                                  respondent={"id": "anna"},
                                  contact={"email": "anna@example.com"})])  # fmt: skip

    url = await old_database(server_url, fill)
    await migrated(url)
    yield url
    await drop(server_url, url)


async def test_erasure_reaches_every_partition_the_legacy_one_included(legacy_url: URL) -> None:
    conn = await asyncpg.connect(libpq_url(legacy_url))
    try:
        # The legacy partition holds everything before the migration's boundary B (today
        # too); after B, a month each (events dated ahead here, so they reach them now).
        (b,) = [p.upper for p in await partitions.partitions(conn) if p.name.endswith("legacy")]
        assert b is not None
        ahead = timedelta(days=100)
        await stored(conn, [
            event("new-now", NOW, nps=4, respondent={"id": "anna"}),
            event("new-b", b + timedelta(days=1), ahead, nps=5, respondent={"id": "anna"}),
            event("new-b1", partitions.add_months(b, 1), ahead, nps=5, respondent={"id": "anna"}),
            event("other-now", NOW, nps=10, respondent={"id": "bob"}),
        ])  # fmt: skip
        hers = await where(conn, "e.respondent_id = 'anna'")
        assert hers == {
            "feedback_events_legacy": 10,
            partitions.range_of(b).name: 1,
            partitions.range_of(partitions.add_months(b, 1)).name: 1,
        }
        ids = [r[0] for r in await conn.fetch("SELECT id FROM feedback_events ORDER BY id")]
        anna = [r[0] for r in await conn.fetch(
            "SELECT id FROM feedback_events WHERE respondent_id = 'anna'")]  # fmt: skip
        await text_rows(conn, ids)
        erased = await erase(conn, "anna", None)
        assert (erased["events"], erased["contacts"]) == (12, 1)
        assert await where(conn, "e.respondent_id = 'anna'") == {}
        assert await text_of(conn) == set(ids) - set(anna)  # deleted with the events
        tombstones = await conn.fetchval(
            "SELECT count(*) FROM feedback_event_ids WHERE event_pk IS NULL"
        )
        assert tombstones == 12
        assert await conn.fetchval("SELECT count(*) FROM feedback_events") == len(ids) - 12
    finally:
        await conn.close()


async def cells(conn: asyncpg.Connection) -> list[tuple[object, ...]]:
    rows = await conn.fetch(
        "SELECT * FROM metric_rollups ORDER BY cube, span, zone, bucket, respondent_type, "
        "channel, touchpoint, location_id, employee_id, segment, acquisition_source"
    )
    return [tuple(r) for r in rows]


async def test_retention_drops_whole_months_with_everything_about_them(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    conn = await connect()
    ages = {30: 4, 20: 3, 14: 2, 11: 2, 0: 3}  # months ago: events (of the 1st..)
    events = [
        event(f"m{age}-{i}", months_ago(NOW, age, day=1 + i), nps=i + 1,
              location_id=f"b{i}", comment=f"comment {age} {i}",
              contact={"email": f"p{age}{i}@example.com"} if i == 0 else None)
        for age, n in ages.items() for i in range(n)
    ]  # fmt: skip
    await stored(conn, events)  # nps <= 6: each opens a follow-up case
    await text_rows(conn, [r[0] for r in await conn.fetch("SELECT id FROM feedback_events")])
    await rollups.catch_up(conn, ZONES)
    expired = {"m30-", "m20-", "m14-"}
    kept_ids = {
        r[0] for r in await conn.fetch(
            "SELECT id FROM feedback_events WHERE left(event_id, 4) NOT IN ('m30-', 'm20-', 'm14-')"
        )
    }  # fmt: skip

    removed = await retention.run(conn, None, months=12)
    assert removed is not None
    gone = removed.expired
    cutoff = partitions.add_months(partitions.month_start(NOW), -12)
    assert {partitions.range_of(months_ago(NOW, age)).name for age in (30, 20, 14)} <= set(
        gone.months
    )  # and the empty months before the cutoff that the suite's template has
    assert all(partitions.range_of(months_ago(NOW, age)).name not in gone.months
               for age in (11, 0))  # fmt: skip
    assert all(p.upper is None or p.upper > cutoff for p in await partitions.partitions(conn))
    assert (gone.events, gone.contacts, gone.follow_ups) == (9, 3, 9)
    assert not (await names(conn)) & set(gone.months)
    left = await conn.fetchval(
        "SELECT count(*) FROM pg_class WHERE relname LIKE 'feedback_events_expired%'"
    )
    assert left == 0  # detached and dropped, not left behind
    assert {r[0] for r in await conn.fetch("SELECT id FROM feedback_events")} == kept_ids
    assert await text_of(conn) == kept_ids
    assert await conn.fetchval("SELECT count(*) FROM follow_ups") == len(kept_ids)
    assert await conn.fetchval("SELECT count(*) FROM feedback_contacts") == 2
    # The cells hold exactly what a rebuild from the remaining events gives.
    after = await cells(conn)
    await rebuild(conn, ZONES)
    assert after == await cells(conn)
    # A device replaying a dropped event stores nothing (the ledger's tombstone)...
    replay = await store(conn, [events[0]])
    assert replay[events[0].event_id].outcome is Outcome.erased
    # ... and a new event of a dropped month makes its partition again, to go next run.
    assert (await store(conn, [event("late", months_ago(NOW, 30), nps=8)]))["late"].outcome is (
        Outcome.accepted
    )
    again = await retention.run(conn, None, months=12)
    assert again is not None
    assert again.expired.events == 1
    assert not any(e.startswith(tuple(expired)) or e == "late" for e in await event_ids(conn))


async def event_ids(conn: asyncpg.Connection) -> list[str]:
    return [r[0] for r in await conn.fetch("SELECT event_id FROM feedback_events")]


async def test_retention_without_months_drops_nothing(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    conn = await connect()
    await stored(conn, [event("ancient", NOW - timedelta(days=3000), comment="hi")])
    removed = await retention.run(conn, 30)
    assert removed is not None
    assert removed.expired.months == ()
    assert await event_ids(conn) == ["ancient"]


async def old_month_with_an_unrolled_event(conn: asyncpg.Connection) -> str:
    """Events of 1999 (the first partition to expire) rolled up, then one more of that
    month (an import of old history) that no round has rolled yet; its partition's name."""
    old = datetime(1999, 6, 1, 12, tzinfo=UTC)
    await stored(conn, [event(f"y{i}", old, nps=i, location_id=f"b{i}") for i in range(5)])
    await stored(conn, [event("now", NOW, nps=9, location_id="b1")])
    await rollups.catch_up(conn, ZONES)
    await stored(conn, [event("late-import", old, nps=3, location_id="b1")])
    return partitions.range_of(old).name


async def test_no_round_moves_the_watermark_past_a_month_being_detached(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    """A round during a month's detach no longer sees its rows: were it to run, it would
    move the watermark past the unrolled event, and the expiry would take that event out
    of cells it was never added to. Here the detach waits on a reader while a round tries."""
    conn, reader, roller = await connect(), await connect(), await connect()
    month = await old_month_with_an_unrolled_event(conn)
    reading = reader.transaction()
    await reading.start()
    # It holds the parent, not the old month (pruned at plan time), which can be renamed;
    # the detach then waits for it.
    await reader.fetchval("SELECT count(*) FROM feedback_events WHERE occurred_at >= '2020-01-01'")
    expiring = asyncio.create_task(expiry.expire(conn, 12))
    detaching = partitions.EXPIRED + month.removeprefix(f"{partitions.PARENT}_")
    for _ in range(1500):  # 30 s at most
        if any(p.name == detaching and p.detaching for p in await partitions.partitions(roller)):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the detach did not begin")
    tried = await rollups.roll_up(roller, ZONES)
    await reading.rollback()
    expired = await expiring
    assert not tried.rolled  # the expiry holds the rounds until the month is out
    assert expired.events == 6
    await rollups.catch_up(conn, ZONES)
    after = await cells(conn)
    await rebuild(conn, ZONES)
    assert after == await cells(conn)


async def test_a_month_left_detached_by_a_run_that_died_goes_exactly(
    connect: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    """A run that dies after the detach leaves the table detached; rounds then go on past
    its unrolled event. The next run takes out what the cells held when the detach began."""
    conn = await connect()
    month = await old_month_with_an_unrolled_event(conn)
    (first,) = [p for p in await partitions.partitions(conn) if p.name == month]
    async with rollups.paused(conn) as watermark:
        await expiry._detach(conn, first, watermark)  # and then the run dies
    assert (await rollups.catch_up(conn, ZONES)) >= 1  # past the detached "late-import"
    expired = await expiry.expire(conn, 12)
    assert expired.events == 6
    assert await event_ids(conn) == ["now"]
    after = await cells(conn)
    await rebuild(conn, ZONES)
    assert after == await cells(conn)
