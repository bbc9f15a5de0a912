"""Every answer says `nosniff`; every /v1 answer says `no-store`, refusals included."""

import httpx
import pytest

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


@pytest.mark.parametrize(
    "path", ["/v1/feedback", "/v1/metrics/summary", "/v1/follow-ups", "/v1/feedback/export"]
)
async def test_head_answers_what_get_answers_without_the_body(
    client: httpx.AsyncClient, admin_key: Headers, path: str
) -> None:
    """HEAD wherever GET is (RFC 9110 §9.3.2); `HEAD /v1/feedback` was a 405."""
    get = await client.get(path, headers=admin_key)
    head = await client.head(path, headers=admin_key)
    assert get.status_code == head.status_code == 200, head.text
    assert head.headers["content-type"] == get.headers["content-type"]
    assert not head.content or path != "/v1/feedback/export"  # the export's work is skipped
    unauthenticated = await client.head(path)
    assert unauthenticated.status_code == 401


async def test_a_405_allows_every_method_the_path_takes(client: httpx.AsyncClient) -> None:
    """`/v1/feedback` has a GET (list) and a POST (ingest) route: the Allow header names
    both (it named only the first route's)."""
    response = await client.put("/v1/feedback")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, HEAD, POST"
    response = await client.delete("/v1/metrics/summary")
    assert response.headers["allow"] == "GET, HEAD"
