"""One `feedback serve --workers 2` for the tests that need real processes (several
workers, the logs on stderr, the deploy files against a real scrape)."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.engine import URL

from tests.observability.scrape import parse, value
from tests.served import Served, bearer, create_keys, serve


@dataclass
class TwoWorkers:
    service: Served
    keys: dict[str, str]

    def get(self, path: str, token: str | None = None) -> httpx.Response:
        # A new connection each time: whichever worker accepts it answers.
        headers = bearer(token) if token else {}
        return httpx.get(f"{self.service.base_url}{path}", headers=headers, timeout=10)


@pytest.fixture(scope="package")
async def two_workers(
    fresh_database: Callable[[], Awaitable[URL]],
) -> AsyncIterator[TwoWorkers]:
    url = await fresh_database()
    keys = await create_keys(url)
    env = {
        "FEEDBACK_LOG_FORMAT": "auto",  # stderr is a file here: JSON
        "FEEDBACK_ACCESS_LOG": "true",
        "FEEDBACK_DB_POOL_SIZE": "3",
        "FEEDBACK_RATE_LIMIT_INGEST": "off",
        "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0.2",
    }
    with serve(url, workers=2, env=env) as service:
        both = TwoWorkers(service, keys)
        # Ready means one worker answered; wait for the other's start-up too.
        for _ in range(100):
            scraped = parse(both.get("/metrics", keys["admin"]).text)
            if value(scraped, "feedback_db_pool_size") == 2 * 3:
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError(f"the second worker did not start:\n{service.log()[-2000:]}")
        yield both
