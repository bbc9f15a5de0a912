"""A committed database with feedback, part of it rolled up, and a BI login role on it.

The BI role must connect on its own connection, which sees only committed rows:
these tests use their own database (`live_url`), not the rolled-back session.
"""

import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.db import libpq_url
from app.main import create_app
from app.rollups import service as rollups
from app.settings import Settings

ZONES = ("Europe/Vienna",)  # rolled up besides UTC
START = datetime(2026, 11, 10, tzinfo=UTC)
DAYS = 10
SERVQUAL = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")


def feedback(i: int, rng: random.Random) -> dict[str, Any]:
    """One event with every kind of data, personal data included (comment, contact,
    respondent id, free-form attributes), so the tests can look for it in the views."""
    # Many events near midnight, so UTC and Vienna days differ.
    minute = rng.choice((rng.randrange(DAYS * 1440), rng.randrange(DAYS) * 1440 + 1410))
    event: dict[str, Any] = {
        "event_id": f"ev-{i:04d}",
        "occurred_at": (START + timedelta(minutes=minute)).isoformat(),
        "channel": rng.choice(("pos", "web", "kiosk")),
        "touchpoint": rng.choice(("checkout", "delivery", None)),
        "location_id": rng.choice(("vie-07", "gra-01", "lnz-02", None)),
        "employee_id": rng.choice(("emp-1", "emp-2", None)),
        "respondent": {
            "id": f"cust-{rng.randrange(40):03d}",
            "type": rng.choice(("customer",) * 6 + ("internal", "employee")),
            "segment": rng.choice(("gold", "new", None)),
        },
        "nps": rng.choice((None, *range(11))),
        "csat": rng.choice((None, *range(1, 6))),
        "ces": rng.choice((None, *range(1, 8))),
        "tags": rng.sample(("queue", "price", "staff"), rng.randrange(3)),
        "attributes": {"order": f"order-{i}"},
        "comment": f"Personal remark {i}: call Jane Roe" if rng.random() < 0.5 else None,
    }
    if rng.random() < 0.3:
        event["servqual"] = {
            d: {"perception": rng.randint(1, 7), "expectation": rng.randint(1, 7)}
            for d in rng.sample(SERVQUAL, rng.randint(1, 5))
        }
    if rng.random() < 0.3:
        event["contact"] = {"name": "Jane Roe", "email": f"jane{i}@example.com"}
    if event["nps"] is None and event["csat"] is None and event["ces"] is None:
        event["nps"] = rng.randrange(11)
    event["respondent"] = {k: v for k, v in event["respondent"].items() if v is not None}
    return {k: v for k, v in event.items() if v is not None}


async def post(client: httpx.AsyncClient, key: dict[str, str], events: list[Any]) -> None:
    response = await client.post("/v1/feedback/batch", json={"events": events}, headers=key)
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == len(events), response.text


@dataclass
class Reporting:
    url: URL  # the test's database, as its owner
    owner: asyncpg.Connection
    client: httpx.AsyncClient
    read_key: dict[str, str]
    watermark: int


async def make_key(app: FastAPI, scope: str) -> dict[str, str]:
    spec = KeyCreate.model_validate({"name": f"reporting {scope}", "scope": scope})
    async with app.state.db.connection() as conn:
        _, token = await key_service.create_key(conn, spec)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def reporting(live_url: URL) -> AsyncIterator[Reporting]:
    """300 events: 200 posted and 120 of them rolled up (UTC and Vienna), then 100 more,
    many of them late (days already rolled up): the views must merge cells and raw rows.
    The test rolls up itself (no background rounds)."""
    settings = Settings(
        database_url=libpq_url(live_url),
        rollup_interval_seconds=0,
        webhooks_interval_seconds=0,
        alerts_interval_seconds=0,
        text_interval_seconds=0,
        rollup_zones=",".join(ZONES),
    )
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        yield await _fill(live_url, app, client)


async def _fill(live_url: URL, app: FastAPI, live_client: httpx.AsyncClient) -> Reporting:
    admin = await make_key(app, "admin")
    put = await live_client.put(
        "/v1/locations/vie-07",
        json={"name": "Wien Mitte", "region": "east", "timezone": "Europe/Vienna"},
        headers=admin,
    )
    assert put.status_code in (200, 201), put.text
    rng = random.Random(20261124)
    events = [feedback(i, rng) for i in range(300)]
    await post(live_client, admin, events[:200])
    owner = await asyncpg.connect(libpq_url(live_url))
    result = await rollups.roll_up(owner, ZONES, chunk=120)
    assert result.rolled
    assert result.watermark > 0
    await post(live_client, admin, events[200:])
    return Reporting(live_url, owner, live_client, await make_key(app, "read"), result.watermark)


@pytest.fixture
async def owner(reporting: Reporting) -> AsyncIterator[asyncpg.Connection]:
    yield reporting.owner
    await reporting.owner.close()


@pytest.fixture
async def bi(reporting: Reporting, owner: asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    """A connection as a BI user: a LOGIN role made for this test, granted only
    feedback_reporting (as docs/bi.md tells operators), dropped at the end."""
    role = f"bi_test_{uuid.uuid4().hex[:8]}"
    await owner.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'not-used-with-trust'")
    try:
        await owner.execute(f"GRANT feedback_reporting TO {role}")
        url = reporting.url.set(username=role, password="not-used-with-trust")
        conn = await asyncpg.connect(libpq_url(url))
        try:
            assert await conn.fetchval("SELECT current_user") == role
            yield conn
        finally:
            await conn.close()
    finally:
        await owner.execute(f"DROP ROLE {role}")
