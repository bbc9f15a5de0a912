"""`GET /metrics`: values that move with real requests, and who may read them.

On a rolled-back transaction (the database gauges are read on the test's own
connection). The counters are process-wide, so each test compares before and after.
"""

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from app.settings import Settings
from tests.conftest import Headers, MakeKey
from tests.observability.scrape import Samples, parse, value


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="postgresql://unused-in-rolled-back-tests/none",
        metrics="open",
        max_event_bytes=2048,
    )


async def scrape(client: httpx.AsyncClient, headers: Headers | None = None) -> Samples:
    answer = await client.get("/metrics", headers=headers or {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(answer.text)


def event(event_id: str, channel: str = "pos", **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "channel": channel, "nps": 9, **fields}


INGESTED = "feedback_ingest_events_total"
REQUESTS = "feedback_http_requests_total"


async def test_ingest_outcomes_are_counted_by_channel(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    before = await scrape(client)
    post = "/v1/feedback"
    assert (await client.post(post, json=event("m-1"), headers=ingest_key)).status_code == 201
    assert (await client.post(post, json=event("m-1"), headers=ingest_key)).status_code == 200
    changed = event("m-1", nps=3)
    assert (await client.post(post, json=changed, headers=ingest_key)).status_code == 409
    unlisted = event("m-2", channel="carrier_pigeon")
    assert (await client.post(post, json=unlisted, headers=ingest_key)).status_code == 201
    batch = {"events": [event("m-3", "web"), event("m-3", "web"), event("m-4", "web", nps=11)]}
    answer = await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)
    assert answer.status_code == 200
    after = await scrape(client)

    def moved(channel: str, outcome: str) -> float:
        labels = {"channel": channel, "outcome": outcome}
        return value(after, INGESTED, **labels) - value(before, INGESTED, **labels)

    assert moved("pos", "created") == 1
    assert moved("pos", "replayed") == 1
    assert moved("pos", "conflict") == 1
    assert moved("other", "created") == 1  # an unlisted channel is no label of its own
    assert moved("web", "created") == 1
    assert moved("web", "replayed") == 1  # the repeat within the batch
    assert moved("web", "refused") == 1
    assert not any(dict(labels).get("channel") == "carrier_pigeon" for _, labels in after), (
        "a client-chosen channel became a label"
    )


async def test_requests_are_counted_by_route_template_never_the_raw_path(
    client: httpx.AsyncClient, read_key: Headers
) -> None:
    before = await scrape(client)
    for event_id in ("nope-1", "nope-2"):
        answer = await client.get(f"/v1/feedback/{event_id}", headers=read_key)
        assert answer.status_code == 404
    assert (await client.get("/no/such/page")).status_code == 404
    assert (await client.get("/v1/feedback")).status_code == 401
    too_big = {"events": [event("big", comment="x" * 3000)]}
    refused = await client.post("/v1/feedback", json=too_big["events"][0], headers=read_key)
    assert refused.status_code == 413  # answered by the body limit, before any routing
    after = await scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    template = "/v1/feedback/{event_id}"
    assert moved(REQUESTS, method="GET", route=template, status="404") == 2
    assert moved(REQUESTS, method="GET", route="unmatched", status="404") == 1
    assert moved(REQUESTS, method="GET", route="/v1/feedback", status="401") == 1
    assert moved(REQUESTS, method="POST", route="/v1/feedback", status="413") == 1
    histogram = "feedback_http_request_duration_seconds_count"
    assert moved(histogram, method="GET", route=template) == 2
    assert (
        moved(
            "feedback_http_request_duration_seconds_bucket", method="GET", route=template, le="+Inf"
        )
        == 2
    )
    assert not any("nope-1" in dict(labels).get("route", "") for _, labels in after)


async def test_database_gauges_show_the_outbox_and_the_rollup_lag(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    subscription = await conn.fetchval(
        "INSERT INTO webhook_subscriptions (url, event_types, secret) "
        "VALUES ('https://example.com/hook', ARRAY['feedback.created'], 'whsec_x') "
        "RETURNING id"
    )
    await conn.execute(
        "INSERT INTO webhook_messages (subscription_id, event_type, payload, next_attempt_at) "
        "SELECT $1, 'feedback.created', '{}'::jsonb, now() - interval '90 seconds' "
        "FROM generate_series(1, 3)",
        subscription,
    )
    answer = await client.post("/v1/feedback", json=event("lag-1"), headers=ingest_key)
    assert answer.status_code == 201
    await conn.execute(
        "UPDATE feedback_events SET received_at = received_at - interval '1 hour' "
        "WHERE event_id = 'lag-1'"
    )
    samples = await scrape(client)
    assert value(samples, "feedback_database_up") == 1
    # 3 messages from the event's own subscription, plus its feedback.created message.
    assert value(samples, "feedback_webhook_outbox_pending") == 4
    assert value(samples, "feedback_webhook_outbox_oldest_due_seconds") >= 90
    assert value(samples, "feedback_rollup_pending_events") >= 1
    assert value(samples, "feedback_rollup_lag_seconds") >= 3599


@pytest.mark.parametrize(
    ("mode", "key", "status"),
    [
        ("off", None, 404),
        ("off", "admin", 404),
        ("admin", None, 401),
        ("admin", "read", 403),
        ("admin", "ingest", 403),
        ("admin", "admin", 200),
        ("open", None, 200),
    ],
)
async def test_metrics_answer_as_the_setting_says(
    app: FastAPI, client: httpx.AsyncClient, make_key: MakeKey, mode: str, key: str | None,
    status: int,
) -> None:  # fmt: skip
    app.state.settings = app.state.settings.model_copy(update={"metrics": mode})
    headers = await make_key(key) if key else {}
    answer = await client.get("/metrics", headers=headers)
    assert answer.status_code == status
    if status == 200:
        assert "feedback_http_requests_total" in answer.text
    else:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["x-request-id"]


async def test_metrics_are_not_in_the_api_document(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert "/metrics" not in document["paths"]


@pytest.fixture
async def small_pool_app(live_url: Any) -> AsyncIterator[FastAPI]:
    from app.db import libpq_url
    from app.main import create_app

    settings = Settings(
        database_url=libpq_url(live_url),
        metrics="open",
        db_pool_size=2,
        db_max_overflow=1,
        db_pool_timeout=0.2,
        rollup_interval_seconds=0,
        webhooks_interval_seconds=0,
        alerts_interval_seconds=0,
        text_interval_seconds=0,
        partitions_interval_seconds=0,  # its first round, at start, would hold a connection
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def test_pool_gauges_follow_use_and_a_full_pool_is_counted(
    small_pool_app: FastAPI,
) -> None:
    """Its own database and pool: connections are really held."""
    db = small_pool_app.state.db
    transport = httpx.ASGITransport(app=small_pool_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        idle = await scrape(client)
        assert value(idle, "feedback_db_pool_size") == 2
        assert value(idle, "feedback_db_pool_limit") == 3
        assert value(idle, "feedback_db_pool_checked_out") == 0
        async with db.connection(), db.connection():
            busy = await scrape(client)  # its query takes the third (overflow) one, and is done
            assert value(busy, "feedback_db_pool_checked_out") == 2
            assert value(busy, "feedback_db_pool_connections") == 3
            async with db.connection():
                full = await scrape(client)  # no connection left for the scrape's query
        again = await scrape(client)
    assert value(full, "feedback_database_up") == 0
    assert "feedback_rollup_lag_seconds" not in {name for name, _ in full}
    timeouts = "feedback_db_pool_timeouts_total"
    assert value(full, timeouts) == value(busy, timeouts) + 1
    assert value(again, "feedback_database_up") == 1
    assert value(again, "feedback_db_pool_checked_out") == 0
