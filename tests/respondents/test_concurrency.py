"""Erasure against the rollup round and ingest, on a committed database of the test's own
(real concurrent transactions)."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import prepare
from app.ingest.statement import store
from app.rollups import service as rollups
from tests.respondents.test_router import event, post

LiveKey = Callable[..., Awaitable[dict[str, str]]]


async def test_erasure_waits_for_a_round_and_a_round_skips_while_it_runs(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    key = await live_key("admin")
    await post(live_client, key, [event(f"e{i}", nps=i) for i in range(5)])
    async with live_app.state.db.connection() as holder:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("SELECT pg_advisory_xact_lock($1)", rollups.LOCK_KEY)  # a round
        erasing = asyncio.create_task(live_client.delete("/v1/respondents/crm-4711/x", headers=key))
        await asyncio.sleep(0.5)
        assert not erasing.done(), "the erasure must wait for the round's lock"
        await transaction.rollback()
        response = await erasing
    assert response.status_code == 200
    assert response.json()["events"] == 5

    # While an erasure holds the lock, a round skips (it never queues behind it).
    await post(live_client, key, [event("late", nps=1)])
    async with (
        live_app.state.db.connection() as eraser,
        live_app.state.db.connection() as roller,
        eraser.transaction(),
    ):
        await rollups.hold(eraser)
        assert not (await rollups.roll_up(roller, ("UTC",))).rolled


async def test_an_event_stored_after_the_erasure_stays(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    key = await live_key("admin")
    await post(live_client, key, [event("before", nps=3)])
    assert (await live_client.delete("/v1/respondents/crm-4711/x", headers=key)).json()[
        "events"
    ] == 1
    await post(live_client, key, [event("after", nps=4)])
    data = (await live_client.get("/v1/respondents/crm-4711/x/data", headers=key)).json()
    assert [e["event_id"] for e in data["events"]] == ["after"]


async def test_an_insert_open_during_the_erasure_commits_after_it_and_stays(
    live_app: FastAPI, live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    """The erasure neither waits for nor sees an insert that has not committed: the event
    is new data, stored after the erasure, and stays."""
    key = await live_key("admin")
    await post(live_client, key, [event("before", nps=3)])
    now = datetime.now(UTC)
    racing = prepare(
        FeedbackIn.model_validate(event("racing", nps=5)),
        key_id=None, key_location_id=None, received_at=now, max_future=timedelta(minutes=5),
    )  # fmt: skip
    async with live_app.state.db.connection() as writer:
        transaction = writer.transaction()
        await transaction.start()
        await store(writer, [racing])
        erased = await asyncio.wait_for(
            live_client.delete("/v1/respondents/crm-4711/x", headers=key), timeout=30
        )
        await transaction.commit()
    assert erased.json()["events"] == 1
    data = (await live_client.get("/v1/respondents/crm-4711/x/data", headers=key)).json()
    assert [e["event_id"] for e in data["events"]] == ["racing"]
