"""CORS preflights for publishable keys, answered by middleware from committed keys.

These tests use `live_client` and `live_key` (their own database, committed
keys): a preflight carries no API key, so the middleware reads the keys on
a connection of its own from the app's `Database`, outside any request;
only committed keys are visible to it.
"""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import Headers

LiveKey = Callable[..., Awaitable[Headers]]
PROBLEM = "application/problem+json"
SHOP = "https://shop.example.com"


def preflight_headers(origin: str, method: str = "POST") -> Headers:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def preflight(client: httpx.AsyncClient, path: str, origin: str) -> httpx.Response:
    return await client.options(path, headers=preflight_headers(origin))


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:feedback:problem:cors-origin"
    assert (problem["status"], bool(problem["title"])) == (403, True)
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-methods" not in response.headers


@pytest.mark.parametrize("path", ["/v1/feedback", "/v1/feedback/batch"])
async def test_preflight_from_an_allowed_origin_is_204_with_cors_headers(
    live_client: httpx.AsyncClient, live_key: LiveKey, path: str
) -> None:
    await live_key("ingest", allowed_origins=[SHOP])
    response = await preflight(live_client, path, SHOP)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == SHOP
    methods = {
        m.strip().upper() for m in response.headers["access-control-allow-methods"].split(",")
    }
    assert "POST" in methods
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"authorization", "content-type"} <= allowed
    assert "origin" in response.headers["vary"].lower()
    # Credentials (cookies) are never invited: keys travel in headers.
    assert "access-control-allow-credentials" not in response.headers


async def test_preflight_matches_the_origin_case_insensitively(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await live_key("ingest", allowed_origins=["https://Shop.Example.com"])
    response = await preflight(live_client, "/v1/feedback", "https://shop.EXAMPLE.com")
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "https://shop.EXAMPLE.com"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "http://shop.example.com",
        "https://shop.example.com:8443",
        "https://shop.example.com.evil.com",
        "null",
    ],
)
async def test_preflight_from_an_unknown_origin_is_403(
    live_client: httpx.AsyncClient, live_key: LiveKey, origin: str
) -> None:
    await live_key("ingest", allowed_origins=[SHOP])
    assert_refused(await preflight(live_client, "/v1/feedback", origin))


async def test_preflight_with_no_publishable_key_at_all_is_403(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await live_key("ingest")
    await live_key("admin")
    assert_refused(await preflight(live_client, "/v1/feedback", SHOP))


async def test_preflight_from_the_origin_of_a_revoked_key_is_403(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    admin = await live_key("admin")
    created = await live_client.post(
        "/v1/keys",
        json={"name": "widget", "scope": "ingest", "allowed_origins": [SHOP]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    before = await preflight(live_client, "/v1/feedback", SHOP)
    assert before.status_code == 204

    revoked = await live_client.delete(f"/v1/keys/{created.json()['id']}", headers=admin)
    assert revoked.status_code == 204
    assert_refused(await preflight(live_client, "/v1/feedback", SHOP))


async def test_preflight_stays_allowed_while_another_active_key_names_the_origin(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    admin = await live_key("admin")
    await live_key("ingest", allowed_origins=[SHOP])
    other = await live_client.post(
        "/v1/keys",
        json={"name": "old widget", "scope": "ingest", "allowed_origins": [SHOP]},
        headers=admin,
    )
    await live_client.delete(f"/v1/keys/{other.json()['id']}", headers=admin)
    assert (await preflight(live_client, "/v1/feedback", SHOP)).status_code == 204


@pytest.mark.parametrize(
    "path", ["/v1/keys", "/v1/keys/0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c2aa", "/v1/feedback/evt-1"]
)
async def test_preflight_on_a_non_ingest_path_is_403_even_for_an_allowed_origin(
    live_client: httpx.AsyncClient, live_key: LiveKey, path: str
) -> None:
    await live_key("ingest", allowed_origins=[SHOP])
    assert_refused(await preflight(live_client, path, SHOP))


async def test_request_with_origin_and_a_non_publishable_key_has_no_cors_header(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await live_key("ingest", allowed_origins=[SHOP])  # the origin is known to the service
    server_key = await live_key("ingest")
    body: dict[str, Any] = {"channel": "web", "nps": 9}
    response = await live_client.post(
        "/v1/feedback", json=body, headers={**server_key, "Origin": SHOP}
    )
    assert response.status_code == 201, response.text
    assert "access-control-allow-origin" not in response.headers


async def test_request_with_origin_and_a_publishable_key_has_the_cors_header(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    widget = await live_key("ingest", allowed_origins=[SHOP])
    body: dict[str, Any] = {"channel": "web", "nps": 9}
    response = await live_client.post("/v1/feedback", json=body, headers={**widget, "Origin": SHOP})
    assert response.status_code == 201, response.text
    assert response.headers["access-control-allow-origin"] == SHOP


async def test_publishable_key_of_one_origin_is_refused_for_another_known_origin_readably(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    """Both origins pass a preflight, but a key answers only for its own origins; the
    other page's script may read the refusal (and so stop retrying), nothing else."""
    await live_key("ingest", allowed_origins=["https://other.example.com"])
    widget = await live_key("ingest", allowed_origins=[SHOP])
    body: dict[str, Any] = {"channel": "web", "nps": 9}
    response = await live_client.post(
        "/v1/feedback", json=body, headers={**widget, "Origin": "https://other.example.com"}
    )
    assert response.status_code == 403
    assert response.headers["access-control-allow-origin"] == "https://other.example.com"
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("path", ["/v1/feedback", "/v1/feedback/batch"])
async def test_a_refusal_on_an_ingest_path_is_readable_by_the_posting_page(
    live_client: httpx.AsyncClient, live_key: LiveKey, path: str
) -> None:
    """A widget with an unknown key (as `sendBeacon` posts: ?key= and text/plain) must see
    the 401, not a network failure it would retry; the refusal holds no data."""
    await live_key("ingest", allowed_origins=[SHOP])
    unknown = "fbk_ingest_1ChWQtDAm7O05G6ESidZE3epSL3Z8y4N4_3Qt5N0"
    response = await live_client.post(
        f"{path}?key={unknown}",
        content=b'{"channel": "web", "nps": 9}',
        headers={"Origin": SHOP, "Content-Type": "text/plain"},
    )
    assert response.status_code == 401, response.text
    assert response.headers["access-control-allow-origin"] == SHOP
    assert "Retry-After" in response.headers["access-control-expose-headers"]


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_body_too_large_is_refused_readably_too(
    live_client: httpx.AsyncClient, live_key: LiveKey, chunked: bool
) -> None:
    """The 413 is answered before the route (from Content-Length, or while counting a
    chunked body); the page must still see it, or the widget would resend it forever."""
    headers = await live_key("ingest", allowed_origins=[SHOP])
    body = b'{"channel": "web", "nps": 9, "comment": "' + b"x" * 70_000 + b'"}'

    async def chunks() -> Any:
        yield body

    response = await live_client.post(
        "/v1/feedback",
        content=chunks() if chunked else body,
        headers={**headers, "Origin": SHOP, "Content-Type": "application/json"},
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["access-control-allow-origin"] == SHOP


async def test_a_refusal_elsewhere_carries_no_cors_header(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await live_key("ingest", allowed_origins=[SHOP])
    response = await live_client.get("/v1/metrics/summary", headers={"Origin": SHOP})
    assert response.status_code == 401
    assert "access-control-allow-origin" not in response.headers


async def test_options_without_request_method_is_not_a_preflight(
    live_client: httpx.AsyncClient, live_key: LiveKey
) -> None:
    await live_key("ingest", allowed_origins=[SHOP])
    response = await live_client.options("/v1/feedback", headers={"Origin": SHOP})
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert "access-control-allow-methods" not in response.headers
