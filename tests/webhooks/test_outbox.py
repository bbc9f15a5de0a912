"""The outbox: messages written in the same statement or transaction as what they report."""

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from fastapi import FastAPI

from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import prepare
from app.ingest.statement import store
from tests.conftest import Headers, MakeKey


def event(event_id: str, **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "channel": "pos", "location_id": "vie-07", **fields}


async def subscribe(client: httpx.AsyncClient, key: Headers, *types: str) -> int:
    body = {"url": "https://crm.example.com/hook", "event_types": list(types)}
    response = await client.post("/v1/webhooks", json=body, headers=key)
    assert response.status_code == 201, response.text
    webhook_id: int = response.json()["id"]
    return webhook_id


async def messages(app: FastAPI, webhook_id: int | None = None) -> list[dict[str, Any]]:
    conn: asyncpg.Connection = app.state.db.conn
    rows = await conn.fetch(
        "SELECT subscription_id, event_type, payload::text AS payload FROM webhook_messages "
        "WHERE $1::bigint IS NULL OR subscription_id = $1 ORDER BY id",
        webhook_id,
    )
    return [{**dict(r), "payload": orjson.loads(r["payload"])} for r in rows]


async def test_feedback_created_carries_the_event_as_the_api_returns_it(
    client: httpx.AsyncClient, app: FastAPI, admin_key: Headers, ingest_key: Headers
) -> None:
    webhook = await subscribe(client, admin_key, "feedback.created")
    posted = event(
        "wh-1", nps=9, comment="Quick", occurred_at="2026-11-24T09:00:00.123456+01:00",
        respondent={"id": "c-1", "segment": "gold"}, tags=["fast"], attributes={"till": 4},
        servqual={"empathy": {"perception": 5}}, contact={"email": "ann@example.com"},
    )  # fmt: skip
    assert (await client.post("/v1/feedback", json=posted, headers=ingest_key)).status_code == 201
    found = await messages(app, webhook)
    assert [m["event_type"] for m in found] == ["feedback.created"]
    payload = found[0]["payload"]
    stored = (await client.get("/v1/feedback/wh-1", headers=admin_key)).json()
    assert payload["data"] == stored  # the same JSON, timestamps spelled alike
    assert payload["type"] == "feedback.created"
    assert payload["timestamp"] == stored["received_at"]
    assert "ann@example.com" not in orjson.dumps(payload).decode()  # never contact data


async def test_replays_and_failed_statements_write_no_message(
    client: httpx.AsyncClient, app: FastAPI, admin_key: Headers, ingest_key: Headers
) -> None:
    await subscribe(client, admin_key, "feedback.created")
    batch = {"events": [event("wh-a", nps=9), event("wh-b", nps=8)]}
    await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)
    assert len(await messages(app)) == 2
    again = await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)
    assert again.json()["duplicates"] == 2
    assert len(await messages(app)) == 2
    # A statement that fails (here: a contact the database refuses) leaves nothing behind.
    conn: asyncpg.Connection = app.state.db.conn
    await conn.execute(
        "ALTER TABLE feedback_contacts ADD CONSTRAINT test_refuse CHECK (email <> 'x@fail.test')"
    )
    rows = [
        prepare(
            FeedbackIn.model_validate(e), key_id=None, key_location_id=None,
            received_at=datetime(2026, 11, 24, 9, tzinfo=UTC), max_future=timedelta(minutes=5),
        )
        for e in (event("wh-c", nps=9), event("wh-d", nps=2, contact={"email": "x@fail.test"}))
    ]  # fmt: skip
    with pytest.raises(asyncpg.CheckViolationError):
        async with conn.transaction():
            await store(conn, rows)
    assert len(await messages(app)) == 2
    assert (
        await conn.fetchval("SELECT count(*) FROM feedback_event_ids WHERE event_id = 'wh-c'") == 0
    )


async def test_fan_out_follows_each_subscriptions_types_and_state(
    client: httpx.AsyncClient, app: FastAPI, admin_key: Headers, ingest_key: Headers
) -> None:
    both = await subscribe(client, admin_key, "feedback.created", "follow_up.opened")
    created = await subscribe(client, admin_key, "feedback.created")
    opened = await subscribe(client, admin_key, "follow_up.opened")
    resolved_only = await subscribe(client, admin_key, "follow_up.resolved")
    paused = await subscribe(client, admin_key, "feedback.created")
    await client.patch(f"/v1/webhooks/{paused}", json={"enabled": False}, headers=admin_key)
    batch = {"events": [event("promoter", nps=10), event("detractor", nps=2), event("x", nps=3)]}
    await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)

    def kinds(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return sorted((m["event_type"], m["payload"]["data"]["event_id"]) for m in found)

    assert kinds(await messages(app, both)) == [
        ("feedback.created", "detractor"), ("feedback.created", "promoter"),
        ("feedback.created", "x"), ("follow_up.opened", "detractor"), ("follow_up.opened", "x"),
    ]  # fmt: skip
    assert kinds(await messages(app, created)) == [
        ("feedback.created", "detractor"), ("feedback.created", "promoter"),
        ("feedback.created", "x"),
    ]  # fmt: skip
    assert kinds(await messages(app, opened)) == [
        ("follow_up.opened", "detractor"), ("follow_up.opened", "x"),
    ]  # fmt: skip
    assert await messages(app, resolved_only) == []
    assert await messages(app, paused) == []


@pytest.fixture
async def cases_key(make_key: MakeKey) -> Headers:
    return await make_key("cases")


async def test_case_opened_updated_and_resolved_carry_the_case(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    cases_key: Headers,
) -> None:
    webhook = await subscribe(
        client, admin_key, "follow_up.opened", "follow_up.updated", "follow_up.resolved"
    )
    await client.post("/v1/feedback", json=event("sad", nps=1), headers=ingest_key)
    listed = (await client.get("/v1/follow-ups", headers=cases_key)).json()["items"]
    assert len(listed) == 1
    case = listed[0]
    reached = {"assignee": "maria.k", "contact_attempt": {"channel": "phone", "outcome": "reached"}}
    path = f"/v1/follow-ups/{case['id']}"
    after_contact = (await client.patch(path, json=reached, headers=cases_key)).json()
    done = {"status": "resolved", "resolution": "Voucher sent."}
    after_resolve = (await client.patch(path, json=done, headers=cases_key)).json()
    # A refused move (409) changes nothing and sends nothing.
    assert (await client.patch(path, json=done, headers=cases_key)).status_code == 409

    found = await messages(app, webhook)
    assert [m["event_type"] for m in found] == [
        "follow_up.opened", "follow_up.updated", "follow_up.resolved",
    ]  # fmt: skip
    assert found[0]["payload"]["data"] == case
    for message, answer in zip(found[1:], (after_contact, after_resolve), strict=True):
        answer.pop("history")
        assert message["payload"]["data"] == answer
        assert message["payload"]["timestamp"] == answer["updated_at"]
    assert found[2]["payload"]["data"]["status"] == "resolved"
