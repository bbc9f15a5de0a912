"""Exactly once under concurrency.

These tests commit and use several connections at once, so they run on their
own database (`live_app`) instead of the rolled-back transaction.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import prepare
from app.ingest.statement import Outcome, store
from tests.conftest import Headers

LiveKey = Callable[..., Awaitable[Headers]]


def body(event_id: str, nps: int = 9) -> dict[str, Any]:
    return {"event_id": event_id, "channel": "pos", "nps": nps}


async def stored_count(app: FastAPI, event_id: str) -> int:
    async with app.state.db.connection() as conn:
        query = "SELECT count(*) FROM feedback_events WHERE event_id = $1"
        return int(await conn.fetchval(query, event_id))


async def test_concurrent_duplicates_store_exactly_one(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    key = await live_key("ingest")
    for round_ in range(5):
        event_id = f"race-{round_}"
        responses = await asyncio.gather(
            *(live_client.post("/v1/feedback", json=body(event_id), headers=key) for _ in range(16))
        )
        codes = Counter(r.status_code for r in responses)
        assert codes == {201: 1, 200: 15}, codes
        assert len({r.json()["received_at"] for r in responses}) == 1  # all see the one original
        assert await stored_count(live_app, event_id) == 1


async def test_concurrent_conflicting_bodies_store_exactly_one(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    key = await live_key("ingest")
    responses = await asyncio.gather(
        *(
            live_client.post("/v1/feedback", json=body("clash", nps=n), headers=key)
            for n in range(11)
        )
    )
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: 10}, codes
    assert await stored_count(live_app, "clash") == 1


async def _wait_until_blocked_on_lock(app: FastAPI) -> None:
    """Until some connection of the service waits on a lock (the unique index of the ledger)."""
    for _ in range(200):
        async with app.state.db.connection() as conn:
            waiting = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the second insert never waited for the first")


@pytest.mark.parametrize("first_commits", [True, False])
async def test_request_racing_an_open_transaction_waits_for_its_outcome(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey, first_commits: bool
) -> None:
    """Deterministic version of the race: the first insert is held open until the second waits.

    If the first commits, the second is a replay (200, nothing new); if the first
    rolls back, the second stores the event (201). Either way exactly one row.
    """
    key = await live_key("ingest")
    now = datetime.now(UTC)
    first = prepare(
        FeedbackIn.model_validate(body("held")),
        key_id=None,
        key_location_id=None,
        received_at=now,
        max_future=timedelta(minutes=5),
    )
    async with live_app.state.db.connection() as holder:
        transaction = holder.transaction()
        await transaction.start()
        assert (await store(holder, [first]))["held"].outcome is Outcome.accepted
        second = asyncio.create_task(
            live_client.post("/v1/feedback", json=body("held"), headers=key)
        )
        await _wait_until_blocked_on_lock(live_app)
        assert not second.done()
        if first_commits:
            await transaction.commit()
        else:
            await transaction.rollback()
        response = await second
    assert response.status_code == (200 if first_commits else 201), response.text
    assert await stored_count(live_app, "held") == 1


async def test_concurrent_overlapping_batches_store_each_event_once(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    key = await live_key("ingest")
    # Four POS terminals replaying overlapping windows of one offline queue, in both
    # directions (opposite orders are how two inserts would deadlock without a fixed order).
    windows = [range(0, 300), range(399, 99, -1), range(200, 500), range(499, -1, -1)]
    responses = await asyncio.gather(
        *(
            live_client.post(
                "/v1/feedback/batch",
                json={"events": [body(f"q-{i}", nps=i % 11) for i in w]},
                headers=key,
            )
            for w in windows
        )
    )
    accepted = sum(r.json()["accepted"] for r in responses)
    duplicates = sum(r.json()["duplicates"] for r in responses)
    assert accepted == 500
    assert duplicates == sum(len(w) for w in windows) - 500
    async with live_app.state.db.connection() as conn:
        total = await conn.fetchval("SELECT count(*) FROM feedback_events")
        distinct = await conn.fetchval("SELECT count(DISTINCT event_id) FROM feedback_events")
    assert (total, distinct) == (500, 500)
