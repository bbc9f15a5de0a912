"""`X-Request-ID`: a client's safe id is echoed, anything else replaced by a fresh one,
and every answer carries it: successes, refusals by middleware and routes, a 500."""

import re

import httpx
import pytest
from fastapi import FastAPI

from app.settings import Settings
from tests.conftest import Headers

FRESH = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="postgresql://unused-in-rolled-back-tests/none",
        max_event_bytes=2048,
        auth_failure_limit="2/minute",
        auth_failure_seconds=0,
    )


async def test_a_safe_client_id_is_echoed(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    for given in ("abc-123", "7f0c1a2e-5b1d-4c1e-9a55-0d6f4f8e2b11", "trace.01:span_2", "x" * 64):
        answer = await client.post(
            "/v1/feedback",
            json={"event_id": f"rid-{len(given)}", "channel": "web", "nps": 9},
            headers={**ingest_key, "X-Request-ID": given},
        )
        assert answer.status_code == 201
        assert answer.headers["x-request-id"] == given


@pytest.mark.parametrize(
    "unsafe",
    ["", "x" * 65, "has space", 'quote"d', "new\\nline", "ünïcode", "a;b", "{json}"],
)
async def test_an_unsafe_or_missing_id_is_replaced_by_a_fresh_one(
    client: httpx.AsyncClient, unsafe: str
) -> None:
    headers = {b"X-Request-ID": unsafe.encode()} if unsafe else {}
    answer = await client.get("/healthz", headers=headers)
    assert answer.status_code == 200
    assert FRESH.fullmatch(answer.headers["x-request-id"])
    again = await client.get("/healthz", headers=headers)
    assert again.headers["x-request-id"] != answer.headers["x-request-id"]


async def test_every_refusal_carries_the_id(
    app: FastAPI, client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    answers: dict[str, httpx.Response] = {}
    answers["401"] = await client.get("/v1/feedback", headers={"X-Request-ID": "r-401"})
    answers["413"] = await client.post(
        "/v1/feedback",
        content=b"{" + b" " * 4000 + b"}",
        headers={**ingest_key, "Content-Type": "application/json", "X-Request-ID": "r-413"},
    )
    answers["404"] = await client.get("/nowhere", headers={"X-Request-ID": "r-404"})
    answers["422"] = await client.post(
        "/v1/feedback", json={"nps": 99}, headers={**ingest_key, "X-Request-ID": "r-422"}
    )
    answers["415"] = await client.post(
        "/v1/feedback", content=b"x", headers={**ingest_key, "X-Request-ID": "r-415"}
    )
    for _ in range(2):  # the failure limit is 2 a minute: the third failure is a 429
        await client.get("/v1/feedback", headers={"X-API-Key": "fbk_read_wrong"})
    answers["429"] = await client.get(
        "/v1/feedback", headers={"X-API-Key": "fbk_read_wrong", "X-Request-ID": "r-429"}
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as raw:
        answers["500"] = await raw.get("/broken", headers={"X-Request-ID": "r-500"})
    for status, answer in answers.items():
        assert answer.status_code == int(status), (status, answer.text)
        assert answer.headers["x-request-id"] == f"r-{status}", status
        assert answer.headers["content-type"] == "application/problem+json", status
    assert answers["500"].json()["type"] == "urn:feedback:problem:internal"
