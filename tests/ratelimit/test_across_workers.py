"""Limits that hold across worker processes: `feedback serve --workers 2` on Redis.

A real server in a child process (tests/served.py), its own database, and a
Redis key prefix of its own, so runs never count each other's requests.
Requests go out on fresh connections, many at once, so both workers answer.
"""

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy.engine import URL

from app.auth import tokens
from app.auth.tokens import Scope
from tests.served import bearer, create_keys, serve

REDIS = os.environ.get("FEEDBACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def post_many(base_url: str, headers: dict[str, str], count: int) -> Counter[int]:
    async def one(i: int) -> int:
        # A client per request: a new connection, which either worker may accept.
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            response = await client.post(
                "/v1/feedback",
                json={"event_id": f"w-{i}", "channel": "pos", "nps": 7},
                headers=headers,
            )
            return response.status_code

    return Counter(await asyncio.gather(*(one(i) for i in range(count))))


async def test_ingest_quota_and_failure_limit_hold_across_two_workers(
    fresh_database: Callable[[], Awaitable[URL]],
) -> None:
    url = await fresh_database()
    keys = await create_keys(url)
    env = {
        "FEEDBACK_RATE_LIMIT_STORAGE": REDIS,
        "FEEDBACK_RATE_LIMIT_PREFIX": f"test-{uuid.uuid4().hex}",
        "FEEDBACK_RATE_LIMIT_INGEST": "10/hour",
        "FEEDBACK_AUTH_FAILURE_LIMIT": "6/hour",
        "FEEDBACK_AUTH_FAILURE_SECONDS": "0",
    }
    with serve(url, workers=2, env=env) as service:
        accepted = await post_many(service.base_url, bearer(keys["ingest"]), 40)
        unknown = bearer(tokens.generate(Scope.ingest).value)
        failures = await post_many(service.base_url, unknown, 20)
        log = service.log()
    # One quota for the key, whichever worker answered (each on its own would allow 10).
    assert accepted == {201: 10, 429: 30}, (accepted, log[-2000:])
    assert failures == {401: 6, 429: 14}, (failures, log[-2000:])
    assert "rate limit storage failed" not in log


async def test_memory_storage_counts_in_each_worker_and_says_so_at_start(
    fresh_database: Callable[[], Awaitable[URL]],
) -> None:
    url = await fresh_database()
    keys = await create_keys(url)
    with serve(url, workers=2, env={"FEEDBACK_RATE_LIMIT_INGEST": "10/hour"}) as service:
        accepted = await post_many(service.base_url, bearer(keys["ingest"]), 40)
        log = service.log()
    assert "rate limits count in each of the 2 worker processes on its own" in log
    # Each worker allows 10: 10 if one worker answered everything, up to 20 if both did.
    assert 10 <= accepted[201] <= 20, accepted
    assert accepted[201] + accepted[429] == 40
