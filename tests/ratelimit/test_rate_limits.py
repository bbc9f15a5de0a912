"""Per-key rate limits in the app: 429 problems, RateLimit fields, what counts where.

Windows are an hour long so a test never straddles one (they are aligned to
the clock: a test that crossed a boundary would see its counts reset).
"""

import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pydantic
import pytest
from fastapi import FastAPI

from app.ingest.router import INGEST_PATHS
from app.ratelimit.limiter import Policy
from app.ratelimit.policies import RateLimits
from app.settings import Settings
from tests.conftest import Headers, MakeKey

PROBLEM = "application/problem+json"
SHOP = "https://shop.example.com"


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="postgresql://unused-in-rolled-back-tests/none",
        rate_limit_ingest="3/hour",
        rate_limit_read="2/hour",
    )


def event(event_id: str) -> dict[str, Any]:
    return {"event_id": event_id, "channel": "web", "nps": 9}


def uuid_event(n: int) -> dict[str, Any]:
    return event(f"0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c{n:03d}")


async def stored(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM feedback_events"))


def fields(response: httpx.Response) -> tuple[str, str]:
    return response.headers["ratelimit-policy"], response.headers["ratelimit"]


def remaining_and_reset(response: httpx.Response) -> tuple[int, int]:
    params = dict(p.split("=") for p in response.headers["ratelimit"].split(";")[1:])
    return int(params["r"]), int(params["t"])


async def test_ingest_quota_counts_down_then_429_with_retry_after(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    answers = [
        await client.post("/v1/feedback", json=event(f"e{i}"), headers=ingest_key) for i in range(4)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert [fields(a)[0] for a in answers] == ['"ingest";q=3;w=3600'] * 4
    assert [remaining_and_reset(a)[0] for a in answers] == [2, 1, 0, 0]
    refused = answers[3]
    assert refused.headers["content-type"] == PROBLEM
    problem = refused.json()
    assert (problem["type"], problem["status"]) == ("urn:feedback:problem:rate-limited", 429)
    assert problem["title"]
    assert "retry in" in problem["detail"]
    _, reset = remaining_and_reset(refused)
    assert 1 <= reset <= 3600
    assert refused.headers["retry-after"] == str(reset)
    assert await stored(conn) == 3  # the refused event was not stored


async def test_batches_spend_the_ingest_quota_too(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    statuses = [
        (await client.post(
            "/v1/feedback/batch", json={"events": [event(f"b{i}")]}, headers=ingest_key
        )).status_code
        for i in range(4)
    ]  # fmt: skip
    assert statuses == [200, 200, 200, 429]


async def test_ingest_and_read_are_counted_apart(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    for i in range(3):
        assert (
            await client.post("/v1/feedback", json=event(f"e{i}"), headers=admin_key)
        ).status_code == 201
    assert (
        await client.post("/v1/feedback", json=event("e9"), headers=admin_key)
    ).status_code == 429
    read = await client.get("/v1/feedback/e0", headers=admin_key)
    assert read.status_code == 200
    assert fields(read) == ('"read";q=2;w=3600', fields(read)[1])
    assert remaining_and_reset(read)[0] == 1
    # Every other /v1 route spends the read quota, admin routes included.
    assert (await client.get("/v1/keys", headers=admin_key)).status_code == 200
    third = await client.get("/v1/metrics/summary", headers=admin_key)
    assert third.status_code == 429
    assert third.headers["ratelimit-policy"] == '"read";q=2;w=3600'


async def test_each_key_has_its_own_quota(client: httpx.AsyncClient, make_key: MakeKey) -> None:
    first, second = await make_key("ingest"), await make_key("ingest")
    for i in range(3):
        await client.post("/v1/feedback", json=event(f"a{i}"), headers=first)
    assert (await client.post("/v1/feedback", json=event("a9"), headers=first)).status_code == 429
    answer = await client.post("/v1/feedback", json=event("b0"), headers=second)
    assert answer.status_code == 201
    assert remaining_and_reset(answer)[0] == 2


async def test_answers_that_spent_nothing_carry_no_fields(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    unauthenticated = await client.post("/v1/feedback", json=event("x"))
    health = await client.get("/healthz")
    for response in (unauthenticated, health):
        assert "ratelimit" not in response.headers
        assert "ratelimit-policy" not in response.headers


async def client_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_publishable_key_is_limited_per_client_address_and_exposes_the_fields(
    app: FastAPI, make_key: MakeKey
) -> None:
    widget = {**await make_key("ingest", allowed_origins=[SHOP]), "Origin": SHOP}
    async with (
        await client_at(app, "203.0.113.7") as one,
        await client_at(app, "198.51.100.9") as other,
    ):
        statuses = [
            (await one.post("/v1/feedback", json=uuid_event(i), headers=widget)).status_code
            for i in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        elsewhere = await other.post("/v1/feedback", json=uuid_event(10), headers=widget)
    assert elsewhere.status_code == 201  # another visitor of the same site
    assert remaining_and_reset(elsewhere)[0] == 2
    exposed = {
        h.strip().lower() for h in elsewhere.headers["access-control-expose-headers"].split(",")
    }
    assert {"ratelimit", "ratelimit-policy", "retry-after"} <= exposed


@pytest.fixture
async def unlimited_client(app: FastAPI, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from app.ratelimit.policies import RateLimits

    app.state.ratelimits = RateLimits.from_settings(
        settings.model_copy(update={"rate_limit_ingest": "off", "rate_limit_read": "off"}),
        INGEST_PATHS,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_off_disables_the_limit_and_its_fields(
    unlimited_client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    statuses = [
        (await unlimited_client.post(
            "/v1/feedback", json=event(f"e{i}"), headers=ingest_key
        )).status_code
        for i in range(5)
    ]  # fmt: skip
    assert statuses == [201] * 5
    last = await unlimited_client.post("/v1/feedback", json=event("e9"), headers=ingest_key)
    assert "ratelimit" not in last.headers


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# With the failure limit on, the first storage call of a request is the failure
# check (this app's key cache is not listening); off, it is the quota's count.
@pytest.mark.parametrize("failure_limit", ["30/minute", "off"])
async def test_unreachable_redis_fails_open_with_a_warning(
    app: FastAPI,
    settings: Settings,
    ingest_key: Headers,
    conn: asyncpg.Connection,
    failure_limit: str,
) -> None:
    from app.ratelimit.policies import RateLimits

    app.state.ratelimits = RateLimits.from_settings(
        settings.model_copy(
            update={
                "rate_limit_storage": "redis://127.0.0.1:1/0",
                "auth_failure_limit": failure_limit,
            }
        ),
        INGEST_PATHS,
    )
    records = Records()
    logger = logging.getLogger("app.ratelimit.limiter")
    logger.addHandler(records)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            statuses = [
                (await client.post(
                    "/v1/feedback", json=event(f"e{i}"), headers=ingest_key
                )).status_code
                for i in range(5)
            ]  # fmt: skip
    finally:
        logger.removeHandler(records)
    assert statuses == [201] * 5  # over the quota of 3, but nothing counts while Redis is away
    assert await stored(conn) == 5
    assert len(records.messages) == 1  # once, not once per request
    assert "not limited" in records.messages[0]


@pytest.mark.parametrize("notation", ["ten per hour", "5/fortnight", "-3/minute", "/"])
def test_a_rate_limit_the_library_cannot_read_is_refused_at_start(notation: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="rate_limit_ingest"):
        Settings(rate_limit_ingest=notation)


@pytest.mark.parametrize("notation", ["", "off", " OFF ", "none"])
def test_a_rate_limit_can_be_turned_off(notation: str) -> None:
    settings = Settings(rate_limit_read=notation)
    assert RateLimits.from_settings(settings, INGEST_PATHS).read is None
    assert RateLimits.from_settings(
        Settings(rate_limit_read="6000/minute"), INGEST_PATHS
    ).read == Policy("read", 6000, 60)
