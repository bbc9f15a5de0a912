"""Retention: comments, contact data and case notes older than the limit go; scores and
metrics stay."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.main import create_app
from app.respondents import retention
from app.settings import Settings
from tests.conftest import Headers, RollUp
from tests.respondents.test_router import event, post

OLD = ["old1", "old2", "old3"]
EVENTS = [
    event("old1", nps=2, comment="Terrible", contact={"name": "Old Customer"}),
    event("old2", nps=9, comment="Nice", respondent="crm-2"),
    event("old3", csat=4, contact={"email": "old@example.com"}, respondent="crm-3"),
    event("new1", nps=1, comment="Still bad", contact={"phone": "+1 555"}),
    event("new2", nps=10, comment="Great", respondent="crm-2"),
]
SCORES = "SELECT event_id, nps, csat, occurred_at FROM feedback_events ORDER BY event_id"
AGE = "now() - interval '40 days'"


async def make_old(conn: asyncpg.Connection) -> None:
    """OLD events (and their case's history and closing) as if received 40 days ago."""
    await conn.execute(
        f"UPDATE feedback_events SET received_at = {AGE} WHERE event_id = ANY($1::text[])", OLD
    )
    await conn.execute(
        f"UPDATE follow_up_changes SET at = {AGE} WHERE follow_up_id IN "
        "(SELECT id FROM follow_ups WHERE event_id = ANY($1::text[]))",
        OLD,
    )
    await conn.execute(
        f"UPDATE follow_ups SET closed_at = {AGE} WHERE event_id = ANY($1::text[])", OLD
    )


async def work_cases(client: httpx.AsyncClient, key: Headers) -> None:
    """Reach and resolve every case, with notes."""
    cases = (await client.get("/v1/follow-ups", headers=key)).json()["items"]
    for case in cases:
        patch = {
            "contact_attempt": {"channel": "phone", "outcome": "reached", "note": "Called"},
            "status": "resolved",
            "resolution": "Voucher",
        }
        response = await client.patch(f"/v1/follow-ups/{case['id']}", json=patch, headers=key)
        assert response.status_code == 200, response.text


async def test_old_comments_contacts_and_notes_go_scores_and_metrics_stay(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI, roll_up: RollUp
) -> None:
    conn = app.state.db.conn
    await post(client, admin_key, EVENTS[:3])
    await roll_up(("UTC", "Europe/Vienna"), None)  # some rolled up, some not
    await post(client, admin_key, EVENTS[3:])
    await work_cases(client, admin_key)
    await make_old(conn)
    window = {"from": "2026-11-01", "to": "2026-12-01", "metrics": "nps,csat,volume"}
    metrics = (await client.get("/v1/metrics/summary", params=window, headers=admin_key)).json()
    scores = await conn.fetch(SCORES)

    removed = await retention.run(conn, 30)

    assert removed == retention.Removed(
        comments=2, contacts=2, case_notes=2, case_resolutions=1, webhook_messages=0
    )
    after = (await client.get("/v1/metrics/summary", params=window, headers=admin_key)).json()
    assert after == metrics
    assert await conn.fetch(SCORES) == scores
    rows = {
        r["event_id"]: (r["comment"], r["has_contact"])
        for r in await conn.fetch("SELECT event_id, comment, has_contact FROM feedback_events")
    }
    assert rows == {
        "old1": (None, False), "old2": (None, False), "old3": (None, False),
        "new1": ("Still bad", True), "new2": ("Great", False),
    }  # fmt: skip
    contacts = await conn.fetch(
        "SELECT e.event_id FROM feedback_contacts c JOIN feedback_events e ON e.id = c.event_pk"
    )
    assert [r["event_id"] for r in contacts] == ["new1"]
    data = (await client.get("/v1/respondents/crm-4711%2Fx/data", headers=admin_key)).json()
    old_case, new_case = sorted(data["follow_ups"], key=lambda c: c["event_id"] != "old1")
    assert old_case["resolution"] is None
    assert all(c["contact"] is None or c["contact"]["note"] is None for c in old_case["history"])
    assert all(c["resolution"] is None for c in old_case["history"])
    assert new_case["resolution"] == "Voucher"
    assert "Called" in {c["contact"]["note"] for c in new_case["history"] if c["contact"]}

    assert await retention.run(conn, 30) == retention.Removed()  # nothing left to remove
    assert await retention.run(conn, 50) == retention.Removed()  # a longer limit: nothing


async def test_done_webhook_messages_older_than_the_limit_go(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI
) -> None:
    conn = app.state.db.conn
    hook = {"url": "https://crm.example.com/hooks", "event_types": ["feedback.created"]}
    assert (await client.post("/v1/webhooks", json=hook, headers=admin_key)).status_code == 201
    await post(client, admin_key, EVENTS)
    # old1 delivered and old2 failed 40 days ago, old3 still being retried; the new ones fresh.
    for event_id, status in (("old1", "delivered"), ("old2", "failed"), ("old3", "pending")):
        await conn.execute(
            f"UPDATE webhook_messages SET created_at = {AGE}, status = $2 "
            "WHERE payload -> 'data' ->> 'event_id' = $1",
            event_id, status,
        )  # fmt: skip
    await conn.execute(
        "UPDATE webhook_messages SET status = 'delivered' "
        "WHERE created_at > now() - interval '1 day'"
    )  # the same clock as AGE and as retention itself: the server's

    removed = await retention.run(conn, 30)

    assert removed is not None
    assert removed.webhook_messages == 2
    left = await conn.fetch("SELECT payload -> 'data' ->> 'event_id' AS id FROM webhook_messages")
    assert sorted(r["id"] for r in left) == ["new1", "new2", "old3"]


async def test_one_run_at_a_time(live_url: URL) -> None:
    other = await asyncpg.connect(libpq_url(live_url))
    try:
        await other.execute("SELECT pg_advisory_lock($1)", retention.LOCK_KEY)
        conn = await asyncpg.connect(libpq_url(live_url))
        try:
            assert await retention.run(conn, 30) is None
        finally:
            await conn.close()
    finally:
        await other.close()


@pytest.fixture
async def live_db(live_url: URL) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(libpq_url(live_url))
    yield conn
    await conn.close()


async def store_old_events(live_url: URL, conn: asyncpg.Connection) -> None:
    app = create_app(Settings(database_url=libpq_url(live_url), rollup_interval_seconds=0))
    async with app.router.lifespan_context(app):
        from app.auth import service as key_service
        from app.auth.schemas import KeyCreate

        async with app.state.db.connection() as key_conn:
            _, token = await key_service.create_key(
                key_conn, KeyCreate.model_validate({"name": "t", "scope": "admin"})
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await post(client, {"Authorization": f"Bearer {token}"}, EVENTS)
    await make_old(conn)


async def comments(conn: asyncpg.Connection) -> dict[str, Any]:
    rows = await conn.fetch("SELECT event_id, comment FROM feedback_events")
    return {r["event_id"]: r["comment"] for r in rows}


async def test_the_service_runs_retention_in_the_background(
    live_url: URL, live_db: asyncpg.Connection
) -> None:
    await store_old_events(live_url, live_db)
    settings = Settings(
        database_url=libpq_url(live_url), retention_days=30, rollup_interval_seconds=0
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        for _ in range(100):  # the first run starts with the service
            if (await comments(live_db))["old1"] is None:
                break
            await asyncio.sleep(0.05)
    found = await comments(live_db)
    assert found["old1"] is None
    assert found["old2"] is None
    assert found["new1"] == "Still bad"


FEEDBACK = Path(sys.executable).parent / "feedback"


async def test_cli_retention_run_prints_what_it_removed(
    live_url: URL, live_db: asyncpg.Connection
) -> None:
    await store_old_events(live_url, live_db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["FEEDBACK_DATABASE_URL"] = libpq_url(live_url)

    def feedback(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(FEEDBACK), *args], env=env, capture_output=True, text=True, timeout=60
        )

    unset = await asyncio.to_thread(feedback, "retention", "run")
    assert unset.returncode == 1
    assert "FEEDBACK_RETENTION_DAYS" in unset.stderr
    env["FEEDBACK_RETENTION_DAYS"] = "30"
    done = await asyncio.to_thread(feedback, "retention", "run")
    assert done.returncode == 0, done.stderr
    assert "comments          2\n" in done.stdout
    assert "contacts          2\n" in done.stdout
    assert (await comments(live_db))["new2"] == "Great"
