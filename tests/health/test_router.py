"""Liveness, readiness, and what clients see while the database is away."""

import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings


async def test_healthz_needs_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_answers_when_the_database_does(live_client: httpx.AsyncClient) -> None:
    response = await live_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "rollups": {"watermark": 0, "pending_events": 0, "lag_seconds": 0.0},
    }


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


@pytest.fixture
async def app_without_database() -> AsyncIterator[FastAPI]:
    settings = Settings(
        database_url=f"postgresql://postgres@127.0.0.1:{closed_port()}/none", db_pool_timeout=1
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def test_database_down_gives_503_problem_with_retry_after(
    app_without_database: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=app_without_database)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ready = await client.get("/readyz")
        ingest = await client.post(
            "/v1/feedback",
            json={"channel": "web", "nps": 5},
            headers={"X-API-Key": "fbk_ingest_" + "a" * 33 + "_000000"},
        )
        alive = await client.get("/healthz")
    for response in (ready, ingest):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
    assert alive.status_code == 200
