"""Every answer says `nosniff`; every /v1 answer says `no-store`, refusals included."""

import httpx

from tests.conftest import Headers


async def test_every_v1_answer_forbids_caching_and_sniffing(
    client: httpx.AsyncClient, ingest_key: Headers, admin_key: Headers
) -> None:
    answers = [
        await client.post("/v1/feedback", json={"channel": "web", "nps": 9}, headers=ingest_key),
        await client.post("/v1/keys", json={"name": "t", "scope": "read"}, headers=admin_key),
        await client.get("/v1/feedback", headers={"X-API-Key": "fbk_read_nope"}),
        await client.post(  # refused by the body limit before any route runs
            "/v1/feedback",
            content=b"x" * 70_000,
            headers={**ingest_key, "Content-Type": "application/json"},
        ),
        await client.get("/v1/nowhere", headers=ingest_key),
    ]
    assert [a.status_code for a in answers] == [201, 201, 401, 413, 404]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store", answer.request.url
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url


async def test_health_and_docs_are_not_sniffed_but_may_be_cached(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/docs", "/openapi.json"):
        answer = await client.get(path)
        assert answer.status_code == 200
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "no-store" not in answer.headers.get("cache-control", "")  # /docs: no-cache


async def test_a_refused_preflight_carries_them_too(live_client: httpx.AsyncClient) -> None:
    answer = await live_client.options(
        "/v1/feedback",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert answer.status_code == 403
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
