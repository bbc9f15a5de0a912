"""The per-worker key cache: it saves lookups, and never outlives a revocation.

Live databases: the cache listens on its own connection for notifications,
which only committed changes send.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.main import create_app
from app.settings import Settings
from tests.conftest import Headers

LiveKey = Callable[..., Awaitable[Headers]]
EVENT = {"channel": "web", "nps": 8}


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def listening(app: FastAPI) -> None:
    async def active() -> bool:
        return bool(app.state.keys.active)

    await until(active)


async def revoke_in_sql(app: FastAPI, headers: Headers, *, silently: bool = False) -> None:
    """Revoke with plain SQL; `silently` also skips the trigger (a lost notification)."""
    token = headers["Authorization"].removeprefix("Bearer ")
    async with app.state.db.connection() as conn, conn.transaction():
        if silently:
            await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            "UPDATE api_keys SET revoked_at = now() WHERE secret_hash = sha256($1)",
            token.encode(),
        )


async def notify(app: FastAPI) -> None:
    async with app.state.db.connection() as conn:
        await conn.execute("SELECT pg_notify('feedback_api_keys', 'test')")


async def test_a_used_key_is_cached_until_a_change_is_notified(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await listening(live_app)
    key = await live_key("ingest")
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 201
    await revoke_in_sql(live_app, key, silently=True)
    # Cached: the silent change is not seen (this is what the notification is for).
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 201
    await notify(live_app)

    async def refused() -> bool:
        response = await live_client.post("/v1/feedback", json=EVENT, headers=key)
        return response.status_code == 401

    await until(refused)


async def test_without_a_listener_every_request_looks_the_key_up(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await listening(live_app)
    await live_app.state.keys.stop()
    assert not live_app.state.keys.active
    key = await live_key("ingest")
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 201
    await revoke_in_sql(live_app, key, silently=True)
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 401


async def test_revoking_through_the_api_refuses_the_next_request_at_once(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await listening(live_app)
    admin = await live_key("admin")
    created = await live_client.post(
        "/v1/keys", json={"name": "pos", "scope": "ingest"}, headers=admin
    )
    key = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 201
    revoked = await live_client.delete(f"/v1/keys/{created.json()['id']}", headers=admin)
    assert revoked.status_code == 204
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 401


@pytest.fixture
async def second_worker(live_url: URL) -> AsyncIterator[FastAPI]:
    """Another process's worth of app on the same database."""
    app = create_app(Settings(database_url=libpq_url(live_url)))
    async with app.router.lifespan_context(app):
        yield app


async def test_revocation_in_one_worker_reaches_the_others(
    live_app: FastAPI,
    live_client: httpx.AsyncClient,
    live_key: LiveKey,
    second_worker: FastAPI,
) -> None:
    await listening(live_app)
    await listening(second_worker)
    admin = await live_key("admin")
    created = await live_client.post(
        "/v1/keys", json={"name": "pos", "scope": "ingest"}, headers=admin
    )
    key = {"Authorization": f"Bearer {created.json()['token']}"}
    transport = httpx.ASGITransport(app=second_worker)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as other:
        assert (await other.post("/v1/feedback", json=EVENT, headers=key)).status_code == 201
        revoked = await live_client.delete(f"/v1/keys/{created.json()['id']}", headers=admin)
        assert revoked.status_code == 204

        async def refused() -> bool:
            response = await other.post("/v1/feedback", json=EVENT, headers=key)
            return response.status_code == 401

        await until(refused)


async def test_a_revocation_in_plain_sql_reaches_the_cache_too(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await listening(live_app)
    key = await live_key("ingest")
    assert (await live_client.post("/v1/feedback", json=EVENT, headers=key)).status_code == 201
    await revoke_in_sql(live_app, key)  # the api_keys trigger notifies

    async def refused() -> bool:
        response = await live_client.post("/v1/feedback", json=EVENT, headers=key)
        return response.status_code == 401

    await until(refused)


async def test_an_outage_of_the_listener_is_logged_once_not_every_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.auth import cache
    from tests.served import free_port

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    monkeypatch.setattr(cache, "RETRY_SECONDS", 0.01)
    keys = cache.KeyCache()
    cache.log.addHandler(handler)
    try:
        await keys.start(f"postgresql://postgres@127.0.0.1:{free_port()}/postgres")
        await asyncio.sleep(0.5)  # dozens of failed connects
        await keys.stop()
    finally:
        cache.log.removeHandler(handler)
    assert len(records) == 1, [r.getMessage() for r in records]
    assert "not listening (ConnectionRefusedError)" in records[0].getMessage()
    assert not keys.active
