"""More requests than connections: fast 503s or queued success, never a wait past the bounds.

Own database (a fresh copy of the template) and the real `feedback serve`
process with a pool of 2 connections. The test makes the database slow in a way
it controls: it holds a SHARE lock on `feedback_events`, so every insert waits
(holding its pooled connection) until the lock is released or the statement
timeout cancels it. The bounds checked are the ones the README states:
`FEEDBACK_DB_POOL_TIMEOUT` to get a connection, `FEEDBACK_DB_STATEMENT_TIMEOUT`
for a statement, and `FEEDBACK_INGEST_QUEUE_LIMIT` single events queued.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL

from app.errors import PROBLEM_MEDIA_TYPE
from tests.served import bearer, create_keys, serve

from .checks import assert_stored_exactly_once, connect
from .load import UNLIMITED, event, report

POOL_TIMEOUT = 1.0
MARGIN = 0.75  # seconds of scheduling slack on a busy two-core machine


@asynccontextmanager
async def inserts_blocked(url: URL) -> AsyncIterator[asyncpg.Connection]:
    """Hold a SHARE lock on feedback_events (reads go on, inserts wait) until the end."""
    conn = await connect(url)
    transaction = conn.transaction()
    await transaction.start()
    await conn.execute("LOCK TABLE feedback_events IN SHARE MODE")
    try:
        yield conn
    finally:
        await transaction.commit()
        await conn.close()


async def waiting_inserts(conn: asyncpg.Connection) -> int:
    """Statements of the service waiting for our lock."""
    # Inside a transaction the statistics views are a snapshot taken at first use.
    await conn.execute("SELECT pg_stat_clear_snapshot()")
    count: int = await conn.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'feedback-service' "
        "AND wait_event_type = 'Lock'"
    )
    return count


async def until(condition: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


Answer = tuple[float, httpx.Response]  # (seconds taken, response)


async def timed(request: Awaitable[httpx.Response]) -> Answer:
    started = time.monotonic()
    response = await request
    return time.monotonic() - started, response


def assert_problem_503(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert int(response.headers["retry-after"]) >= 1


def http(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url, timeout=60, limits=httpx.Limits(max_connections=200)
    )


async def test_more_requests_than_connections_get_503_within_the_pool_timeout_or_wait_their_turn(
    live_url: URL,
) -> None:
    """12 batches at once on 2 connections, inserts blocked for a while: the 2 that got
    a connection succeed once the lock goes (queued success); the others are told 503
    when `FEEDBACK_DB_POOL_TIMEOUT` runs out, not later. Retried, all are stored once."""
    keys = await create_keys(live_url)
    env = {
        **UNLIMITED,
        "FEEDBACK_DB_POOL_SIZE": "2",
        "FEEDBACK_DB_MAX_OVERFLOW": "0",
        "FEEDBACK_DB_POOL_TIMEOUT": str(POOL_TIMEOUT),
    }
    batches = [[event(f"batch{b}", i) for i in range(5)] for b in range(12)]
    with serve(live_url, env=env) as service:
        async with http(service.base_url) as client:

            def post(events: list[dict[str, Any]]) -> Coroutine[Any, Any, Answer]:
                return timed(
                    client.post(
                        "/v1/feedback/batch",
                        json={"events": events},
                        headers=bearer(keys["ingest"]),
                    )
                )

            warm = await post([event("warm", 0)])  # the key cached, the pool opened
            assert warm[1].status_code == 200
            async with inserts_blocked(live_url) as lock:
                sent = [asyncio.create_task(post(b)) for b in batches]
                await until(count_done(sent, 10), 10, "503s for the waiting batches")
                assert await waiting_inserts(lock) == 2
            answers = await asyncio.gather(*sent)
            refused = [(t, r) for t, r in answers if r.status_code != 200]
            for _, response in refused:
                assert_problem_503(response)
            queued = [t for t, r in answers if r.status_code == 200]
            assert len(queued) == 2, "the two batches holding connections should succeed"
            assert min(queued) >= POOL_TIMEOUT * 0.9  # they waited for the lock
            slowest_503 = max(t for t, _ in refused)
            assert slowest_503 <= POOL_TIMEOUT + MARGIN, f"a 503 took {slowest_503:.2f} s"
            assert min(t for t, _ in refused) >= POOL_TIMEOUT * 0.9  # it did wait its turn
            report("pool exhausted: slowest 503 (s), pool timeout 1 s", round(slowest_503, 3))
            for index, (_, response) in enumerate(answers):  # the terminals retry
                if response.status_code != 200:
                    retried = await post(batches[index])
                    assert retried[1].status_code == 200
    await assert_stored_exactly_once(live_url, [event("warm", 0), *(e for b in batches for e in b)])


def count_done(tasks: list[asyncio.Task[Answer]], count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return sum(t.done() for t in tasks) >= count

    return check


# A PostgreSQL under libfaketime with an offset never fires statement_timeout (SET
# statement_timeout = 500; SELECT pg_sleep(3) returns after 3 s), which is what this tests.
@pytest.mark.real_clock
async def test_inserts_stuck_on_a_lock_are_cancelled_and_a_full_queue_refuses_at_once(
    live_url: URL,
) -> None:
    """Inserts blocked for longer than `FEEDBACK_DB_STATEMENT_TIMEOUT`: the statement
    is cancelled and every waiting request answered 503 within the timeout, never
    held until the lock goes; single events beyond
    `FEEDBACK_INGEST_QUEUE_LIMIT` are refused at once. Nothing is half stored, and
    everything retried afterwards is stored once."""
    keys = await create_keys(live_url)
    statement_timeout, queue_limit = 1.5, 20
    env = {
        **UNLIMITED,
        "FEEDBACK_DB_POOL_SIZE": "2",
        "FEEDBACK_DB_POOL_TIMEOUT": str(POOL_TIMEOUT),
        "FEEDBACK_DB_STATEMENT_TIMEOUT": str(statement_timeout),
        "FEEDBACK_INGEST_QUEUE_LIMIT": str(queue_limit),
    }
    singles = [event("single", i) for i in range(60)]
    batch = [event("stuck-batch", i) for i in range(5)]
    # Every request here already holds its connection or needs none (the key is
    # cached, queued events ride on the writer's): the statement timeout alone bounds
    # them, and the events queued behind the cancelled statement fail with it rather
    # than wait out a timeout of their own.
    bound = statement_timeout + MARGIN
    with serve(live_url, env=env) as service:
        async with http(service.base_url) as client:
            headers = bearer(keys["ingest"])

            def post(body: dict[str, Any]) -> Coroutine[Any, Any, Answer]:
                return timed(client.post("/v1/feedback", json=body, headers=headers))

            assert (await post(event("warm", 0)))[1].status_code == 201
            async with inserts_blocked(live_url) as lock:
                first = [asyncio.create_task(post(e)) for e in singles[:10]]
                stuck = asyncio.create_task(
                    timed(
                        client.post("/v1/feedback/batch", json={"events": batch}, headers=headers)
                    )
                )

                async def both_stuck() -> bool:
                    return await waiting_inserts(lock) == 2  # the writer's round, the batch

                await until(both_stuck, 10, "the inserts to wait for the lock")
                rest = [asyncio.create_task(post(e)) for e in singles[10:]]
                answers = await asyncio.wait_for(asyncio.gather(*first, *rest, stuck), bound + 5)
            for _, response in answers:
                assert_problem_503(response)
            slowest = max(t for t, _ in answers)
            assert slowest <= bound, f"an answer took {slowest:.2f} s"
            queue_full = [t for t, r in answers if "Too many events" in r.json()["detail"]]
            # 50 arrive while the round is stuck: at most `queue_limit` may wait, the
            # rest are refused without waiting for the stuck statement.
            assert len(queue_full) >= len(singles) - 10 - queue_limit
            assert max(queue_full) < statement_timeout, sorted(queue_full)
            at_once = queue_full
            assert await count_events(live_url) == 1  # the warm-up only
            report("statement timeout 1.5 s: slowest 503 (s)", round(slowest, 3))
            report("queue full: refused at once", len(at_once))
            for body in singles:  # the terminals retry
                assert (await post(body))[1].status_code == 201
            assert (
                await client.post("/v1/feedback/batch", json={"events": batch}, headers=headers)
            ).json()["accepted"] == len(batch)
    await assert_stored_exactly_once(live_url, [event("warm", 0), *singles, *batch])


async def count_events(url: URL) -> int:
    conn = await connect(url)
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM feedback_events")
        return count
    finally:
        await conn.close()
