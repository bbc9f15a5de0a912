"""A lost database connection costs one 503, never a string of 500s.

Own database: the test kills the service's connections from outside.
"""

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
