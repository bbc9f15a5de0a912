"""Workers that die mid-delivery and workers that race: each on its own committed
database (`live_app`), because claims must commit to be seen by another worker."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import URL
from standardwebhooks.webhooks import Webhook

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.db import libpq_url
from app.main import create_app
from app.settings import Settings
from app.webhooks.delivery import Sender
from app.webhooks.service import LEASE
from app.webhooks.worker import deliver_due
from tests.conftest import Headers

from .conftest import Receiver


async def setup(
    client: httpx.AsyncClient, live_key: Callable[..., Awaitable[Headers]], url: str, events: int
) -> str:
    admin, ingest = await live_key("admin"), await live_key("ingest")
    body = {"url": url, "event_types": ["feedback.created"]}
    created = await client.post("/v1/webhooks", json=body, headers=admin)
    assert created.status_code == 201, created.text
    batch = [{"event_id": f"e-{n}", "channel": "web", "nps": 9} for n in range(events)]
    posted = await client.post("/v1/feedback/batch", json={"events": batch}, headers=ingest)
    assert posted.json()["accepted"] == events
    secret: str = created.json()["secret"]
    return secret


async def test_a_message_whose_worker_died_is_delivered_by_another_after_the_lease(
    live_app: FastAPI,
    live_client: httpx.AsyncClient,
    live_key: Callable[..., Awaitable[Headers]],
    receiver: Receiver,
) -> None:
    secret = await setup(live_client, live_key, receiver.url(), 1)
    db = live_app.state.db
    receiver.hang = True
    first, second = Sender(timeout=5, allow_private=True), Sender(timeout=5, allow_private=True)
    try:
        t0 = datetime.now(UTC)
        dying = asyncio.create_task(deliver_due(db, first, now=t0))
        await asyncio.wait_for(receiver.arrived.wait(), 5)
        dying.cancel()  # the worker dies while the receiver has the request but not answered
        await asyncio.gather(dying, return_exceptions=True)
        receiver.hang = False
        # Leased: not due again before the lease ends, whoever looks.
        assert await deliver_due(db, second, now=t0 + LEASE - timedelta(seconds=1)) == []
        done = await deliver_due(db, second, now=t0 + LEASE + timedelta(seconds=1))
        assert [(d.message.attempt, d.result.status_code) for d in done] == [(2, 200)]
        assert await deliver_due(db, second, now=t0 + timedelta(days=2)) == []
    finally:
        await first.aclose()
        await second.aclose()
    # The receiver saw the message twice under one webhook-id and acknowledged it once.
    assert [r.status for r in receiver.received] == [0, 200]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    for request in receiver.received:
        Webhook(secret).verify(request.body, request.headers)
    async with db.connection() as conn:
        row = await conn.fetchrow("SELECT status, attempts FROM webhook_messages")
        logged = await conn.fetch("SELECT attempt, status_code FROM webhook_attempts")
    assert (row["status"], row["attempts"]) == ("delivered", 2)
    assert [(r["attempt"], r["status_code"]) for r in logged] == [(2, 200)]


async def test_two_workers_deliver_each_message_once(
    live_app: FastAPI,
    live_client: httpx.AsyncClient,
    live_key: Callable[..., Awaitable[Headers]],
    receiver: Receiver,
) -> None:
    await setup(live_client, live_key, receiver.url(), 40)
    receiver.delay = 0.02  # long enough for the workers' rounds to overlap
    db = live_app.state.db
    now = datetime.now(UTC) + timedelta(seconds=1)

    async def worker(sender: Sender) -> int:
        sent = 0
        while done := await deliver_due(db, sender, now=now, batch=5):
            sent += len(done)
        return sent

    senders = [Sender(timeout=5, allow_private=True) for _ in range(2)]
    try:
        counts = await asyncio.gather(*(worker(s) for s in senders))
    finally:
        for s in senders:
            await s.aclose()
    assert sum(counts) == 40
    assert all(c > 0 for c in counts), counts
    per_id = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(per_id) == 40
    assert set(per_id.values()) == {1}
    async with db.connection() as conn:
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM webhook_messages WHERE status = 'delivered' AND attempts = 1"
            )
            == 40
        )


async def test_the_apps_own_worker_delivers_without_being_asked(
    live_url: URL, receiver: Receiver
) -> None:
    """The worker started by the lifespan (interval shortened) sends a new event's message."""
    settings = Settings(
        database_url=libpq_url(live_url),
        webhooks_allow_private=True,
        webhooks_interval_seconds=0.05,
        rollup_interval_seconds=0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def key(scope: str) -> Headers:
                spec = KeyCreate.model_validate({"name": scope, "scope": scope})
                async with app.state.db.connection() as conn:
                    _, token = await key_service.create_key(conn, spec)
                return {"Authorization": f"Bearer {token}"}

            await setup(client, key, receiver.url(), 1)
            await asyncio.wait_for(receiver.arrived.wait(), 10)
            for _ in range(100):  # the result is recorded just after the answer
                async with app.state.db.connection() as conn:
                    status = await conn.fetchval("SELECT status FROM webhook_messages")
                if status == "delivered":
                    break
                await asyncio.sleep(0.02)
    assert status == "delivered"
    assert [r.status for r in receiver.received] == [200]
