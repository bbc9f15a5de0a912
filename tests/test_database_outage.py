"""A lost database connection costs one 503, never a string of 500s.

Own database: the test kills the service's connections from outside.
"""

import contextlib

import asyncpg
import httpx
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app.db import libpq_url
from tests.conftest import Headers


async def kill_service_connections(url: URL) -> int:
    """Terminate every pooled connection of the service, from a connection of our own."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        killed = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND application_name = 'feedback-service'"
        )
    finally:
        await conn.close()
    return int(killed or 0)


async def test_dead_pooled_connections_are_replaced(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: object, live_url: URL
) -> None:
    key: Headers = await live_key("ingest")  # type: ignore[operator]
    for i in range(3):
        ok = await live_client.post(
            "/v1/feedback", json={"event_id": f"a{i}", "channel": "web", "nps": 5}, headers=key
        )
        assert ok.status_code == 201
    assert await kill_service_connections(live_url) >= 1
    statuses = []
    for i in range(10):
        response = await live_client.post(
            "/v1/feedback", json={"event_id": f"b{i}", "channel": "web", "nps": 5}, headers=key
        )
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["retry-after"] == "1"
    assert 500 not in statuses
    assert statuses[-5:] == [201] * 5, statuses
    assert (await live_client.get("/readyz")).status_code == 200


async def test_one_lost_connection_retires_the_whole_pool(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: object, live_url: URL
) -> None:
    """A server that dropped one pooled connection dropped them all: after the first
    503 the next request gets a fresh connection, however many sat idle in the pool
    (here five, held at once so the pool keeps them)."""
    key: Headers = await live_key("ingest")  # type: ignore[operator]
    db = live_app.state.db
    async with contextlib.AsyncExitStack() as held:
        for _ in range(5):
            conn = await held.enter_async_context(db.connection())
            assert await conn.fetchval("SELECT 1") == 1
    assert await kill_service_connections(live_url) >= 5
    statuses = []
    for i in range(5):
        response = await live_client.post(
            "/v1/feedback", json={"event_id": f"c{i}", "channel": "web", "nps": 5}, headers=key
        )
        statuses.append(response.status_code)
    assert statuses[0] in (201, 503), statuses  # the connection it drew may be dead,
    assert statuses[1:] == [201] * 4, statuses  # but no later request draws another
