"""Failed key checks: one answer, in constant time, slowed per client address."""

import statistics
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.auth import tokens
from app.auth.tokens import Scope
from app.ingest.router import INGEST_PATHS
from app.settings import Settings
from tests.conftest import Headers, MakeKey

FLOOR = 0.2


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="postgresql://unused-in-rolled-back-tests/none",
        auth_failure_seconds=FLOOR,
        auth_failure_limit="5/hour",
    )


def event() -> dict[str, Any]:
    return {"event_id": "evt-1", "channel": "web", "nps": 9}


async def test_malformed_unknown_and_revoked_keys_take_the_same_time(
    client: httpx.AsyncClient, admin_key: Headers, make_key: MakeKey, app: FastAPI
) -> None:
    # The failure limit would refuse long before enough samples: off for this test.
    from app.ratelimit.policies import RateLimits

    app.state.ratelimits = RateLimits.from_settings(
        app.state.settings.model_copy(update={"auth_failure_limit": "off"}), INGEST_PATHS
    )
    created = await client.post("/v1/keys", json={"name": "gone", "scope": "ingest"},
                                headers=admin_key)  # fmt: skip
    await client.delete(f"/v1/keys/{created.json()['id']}", headers=admin_key)
    presented = {
        "malformed": "fbk_nonsense",
        "bad-checksum": tokens.generate(Scope.ingest).value[:-1] + "0",
        "unknown": tokens.generate(Scope.ingest).value,
        "revoked": created.json()["token"],
    }
    times: dict[str, list[float]] = {name: [] for name in presented}
    bodies = set()
    for _ in range(7):  # interleaved, so a slow moment of the machine hits all alike
        for name, token in presented.items():
            started = time.perf_counter()
            response = await client.post(
                "/v1/feedback", json=event(), headers={"Authorization": f"Bearer {token}"}
            )
            times[name].append(time.perf_counter() - started)
            assert response.status_code == 401
            bodies.add((response.content, response.headers["www-authenticate"]))
    medians = {name: statistics.median(t) for name, t in times.items()}
    assert len(bodies) == 1, bodies  # the same answer for every kind of failure
    # Every failure waits for the floor; none answers measurably sooner than another
    # (a lookup in this test costs about 1 ms, the tolerance is 20 ms).
    assert min(medians.values()) >= FLOOR, medians
    assert max(medians.values()) - min(medians.values()) < 0.02, medians


async def test_a_valid_key_is_not_slowed(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        response = await client.post("/v1/feedback", json=event(), headers=ingest_key)
        times.append(time.perf_counter() - started)
        assert response.status_code in (200, 201)
    assert statistics.median(times) < FLOOR / 2, times


async def client_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_repeated_failures_from_one_address_are_refused_until_the_window_ends(
    app: FastAPI, ingest_key: Headers
) -> None:
    unknown = {"Authorization": f"Bearer {tokens.generate(Scope.ingest).value}"}
    async with (
        await client_at(app, "203.0.113.7") as attacker,
        await client_at(app, "198.51.100.9") as bystander,
    ):
        statuses = [
            (await attacker.post("/v1/feedback", json=event(), headers=unknown)).status_code
            for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        refused = await attacker.post("/v1/feedback", json=event(), headers=unknown)
        # While the guesser is refused, a valid key from the same address (a shop behind
        # one NAT) still works, though this worker has not cached it yet.
        app.state.keys = type(app.state.keys)()  # nothing cached: the key is looked up
        valid_too = await attacker.post("/v1/feedback", json=event(), headers=ingest_key)
        still = await attacker.post("/v1/feedback", json=event(), headers=unknown)
        other = await bystander.post("/v1/feedback", json=event(), headers=ingest_key)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:feedback:problem:rate-limited"
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 3600
    assert refused.headers["ratelimit-policy"] == '"auth-failures";q=5;w=3600'
    assert valid_too.status_code == 201, valid_too.text
    assert still.status_code == 429  # the guesser stays refused
    assert other.status_code == 200  # another address is not affected (a replay of evt-1)


async def test_a_shop_behind_a_guessers_nat_keeps_working_at_the_default_limit(
    app: FastAPI, client: httpx.AsyncClient, admin_key: Headers, make_key: MakeKey
) -> None:
    """Thirty failures (the default `FEEDBACK_AUTH_FAILURE_LIMIT`, here per hour so the
    window cannot end mid-test) lock the guessing out, not the valid keys from the same
    address, uncached, each time; every kind of guess from there stays refused, with
    one answer, after the floor, so timing and body tell nothing about what was guessed."""
    from app.ratelimit.policies import RateLimits

    app.state.settings = app.state.settings.model_copy(update={"auth_failure_limit": "30/hour"})
    app.state.ratelimits = RateLimits.from_settings(app.state.settings, INGEST_PATHS)
    app.state.keys = type(app.state.keys)()  # not listening: nothing cached, all looked up
    created = await client.post("/v1/keys", json={"name": "gone", "scope": "ingest"},
                                headers=admin_key)  # fmt: skip
    await client.delete(f"/v1/keys/{created.json()['id']}", headers=admin_key)
    guesses = {
        "malformed": "fbk_nonsense",
        "unknown": tokens.generate(Scope.ingest).value,
        "revoked": created.json()["token"],
    }
    valid = {"till": await make_key("ingest"), "manager": await make_key("read")}
    async with await client_at(app, "203.0.113.8") as shop:
        failed = [
            (await shop.post("/v1/feedback", json=event(), headers={"X-API-Key": g})).status_code
            for g in list(guesses.values()) * 11  # 33 failures
        ]
        assert failed == [401] * 30 + [429] * 3
        for _ in range(2):
            till = await shop.post("/v1/feedback", json=event(), headers=valid["till"])
            assert till.is_success, till.text
            manager = await shop.get("/v1/metrics/summary", headers=valid["manager"])
            assert manager.status_code == 200, manager.text
            answers = set()
            for name, guess in guesses.items():
                started = time.perf_counter()
                refused = await shop.post(
                    "/v1/feedback", json=event(), headers={"X-API-Key": guess}
                )
                elapsed = time.perf_counter() - started
                assert refused.status_code == 429, (name, refused.text)
                assert elapsed >= FLOOR, (name, elapsed)
                assert 1 <= int(refused.headers["retry-after"]) <= 3600
                answers.add((refused.json()["type"], refused.json()["title"]))
            assert answers == {("urn:feedback:problem:rate-limited", "Too many requests")}
