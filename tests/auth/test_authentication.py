"""Who may call what: key headers, the one 401, scopes, and publishable keys with origins."""

from typing import Any

import asyncpg
import httpx
import pytest

from app.auth import tokens
from app.auth.tokens import Scope
from tests.conftest import Headers, MakeKey

PROBLEM = "application/problem+json"
SHOP = "https://shop.example.com"


WIDGET_EVENT_ID = "0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c2aa"  # publishable keys need UUID ids


def event(event_id: str = "evt-1") -> dict[str, Any]:
    return {"event_id": event_id, "channel": "web", "nps": 9}


def token_of(headers: Headers) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def stored(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM feedback_events"))


# Presenting a key.


async def test_bearer_header_and_x_api_key_header_both_work(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    token = token_of(ingest_key)
    as_bearer = await client.post(
        "/v1/feedback", json=event("a"), headers={"Authorization": f"Bearer {token}"}
    )
    as_header = await client.post("/v1/feedback", json=event("b"), headers={"X-API-Key": token})
    lower_scheme = await client.post(
        "/v1/feedback", json=event("c"), headers={"Authorization": f"bearer {token}"}
    )
    assert (as_bearer.status_code, as_header.status_code, lower_scheme.status_code) == (
        201,
        201,
        201,
    )
    assert await stored(conn) == 3


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/feedback"),
        ("POST", "/v1/feedback/batch"),
        ("GET", "/v1/feedback/evt-1"),
        ("GET", "/v1/keys"),
        ("POST", "/v1/keys"),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-header"),
        pytest.param({"Authorization": "Bearer "}, id="empty-bearer"),
        pytest.param({"X-API-Key": ""}, id="empty-x-api-key"),
    ],
)
async def test_missing_key_is_401_with_www_authenticate(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    method: str,
    path: str,
    headers: Headers,
) -> None:
    body: Any = None
    if path == "/v1/feedback":
        body = event()
    elif path == "/v1/feedback/batch":
        body = {"events": [event()]}
    elif path == "/v1/keys":
        body = {"name": "x", "scope": "admin"}
    response = await client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert (problem["type"], problem["status"]) == ("urn:feedback:problem:unauthorized", 401)
    assert problem["title"]
    assert await stored(conn) == 0


async def test_malformed_unknown_and_revoked_keys_get_the_identical_401(
    client: httpx.AsyncClient, admin_key: Headers, conn: asyncpg.Connection
) -> None:
    created = await client.post(
        "/v1/keys", json={"name": "soon gone", "scope": "ingest"}, headers=admin_key
    )
    revoked = created.json()["token"]
    await client.delete(f"/v1/keys/{created.json()['id']}", headers=admin_key)
    real = token_of(admin_key)
    unknown = tokens.generate(Scope.ingest).value
    assert tokens.parse(unknown) is not None  # well formed, valid checksum, just not stored
    presented = {
        "garbage": "garbage",
        "truncated": real[:-1],
        "bad-checksum": real[:-1] + ("A" if real[-1] != "A" else "B"),
        "other-scope": real.replace("fbk_admin_", "fbk_ingest_", 1),
        "unknown": unknown,
        "revoked": revoked,
        "hash-of-real": tokens.hash_token(real).hex(),
    }
    answers: dict[tuple[str, str], tuple[int, str | None, bytes]] = {}
    for name, value in presented.items():
        for header, rendered in (("Authorization", f"Bearer {value}"), ("X-API-Key", value)):
            response = await client.post("/v1/feedback", json=event(), headers={header: rendered})
            answers[name, header] = (
                response.status_code,
                response.headers.get("www-authenticate"),
                response.content,
            )
    first = answers["unknown", "Authorization"]
    assert first[0] == 401
    assert first[1] is not None
    assert b"urn:feedback:problem:unauthorized" in first[2]
    different = {k: v for k, v in answers.items() if v != first}
    assert different == {}
    assert await stored(conn) == 0


# Scopes.


async def test_ingest_key_posts_but_cannot_read_or_manage_keys(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    assert (await client.post("/v1/feedback", json=event(), headers=ingest_key)).status_code == 201
    for path in ("/v1/feedback/evt-1", "/v1/keys"):
        response = await client.get(path, headers=ingest_key)
        assert response.status_code == 403, path
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "urn:feedback:problem:forbidden"


async def test_read_key_cannot_post_feedback(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection
) -> None:
    single = await client.post("/v1/feedback", json=event(), headers=read_key)
    batch = await client.post("/v1/feedback/batch", json={"events": [event()]}, headers=read_key)
    assert (single.status_code, batch.status_code) == (403, 403)
    assert single.json()["type"] == "urn:feedback:problem:forbidden"
    assert await stored(conn) == 0
    assert (await client.get("/v1/keys", headers=read_key)).status_code == 403


async def test_admin_key_can_do_everything(client: httpx.AsyncClient, admin_key: Headers) -> None:
    posted = await client.post("/v1/feedback", json=event(), headers=admin_key)
    batch = await client.post(
        "/v1/feedback/batch", json={"events": [event("evt-2")]}, headers=admin_key
    )
    read = await client.get("/v1/feedback/evt-1", headers=admin_key)
    keys = await client.get("/v1/keys", headers=admin_key)
    made = await client.post("/v1/keys", json={"name": "n", "scope": "read"}, headers=admin_key)
    statuses = [r.status_code for r in (posted, batch, read, keys, made)]
    assert statuses == [201, 200, 200, 200, 201]
    assert read.json()["event_id"] == "evt-1"


# Publishable keys: browser origins.


@pytest.fixture
async def widget_key(make_key: MakeKey) -> Headers:
    return await make_key("ingest", allowed_origins=[SHOP, "http://localhost:3000"])


@pytest.mark.parametrize(
    "origin",
    [SHOP, "http://localhost:3000", "https://SHOP.example.com", "HTTPS://shop.example.com"],
)
async def test_publishable_key_from_an_allowed_origin_gets_cors_headers(
    client: httpx.AsyncClient, widget_key: Headers, conn: asyncpg.Connection, origin: str
) -> None:
    response = await client.post(
        "/v1/feedback", json=event(WIDGET_EVENT_ID), headers={**widget_key, "Origin": origin}
    )
    assert response.status_code == 201, response.text
    assert response.headers["access-control-allow-origin"] == origin
    assert "origin" in response.headers["vary"].lower()
    assert await stored(conn) == 1


async def test_publishable_key_batch_from_an_allowed_origin_gets_cors_headers(
    client: httpx.AsyncClient, widget_key: Headers
) -> None:
    response = await client.post(
        "/v1/feedback/batch",
        json={"events": [event(WIDGET_EVENT_ID)]},
        headers={**widget_key, "Origin": SHOP},
    )
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == SHOP


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "http://shop.example.com",  # other scheme
        "https://shop.example.com:8443",  # other port
        "https://www.shop.example.com",  # subdomain
        "https://shop.example.com.evil.com",  # suffix trick
        "null",  # sandboxed iframe, file://
        "https://shop.example.com/",
    ],
)
async def test_publishable_key_from_another_origin_is_403_and_stores_nothing(
    client: httpx.AsyncClient, widget_key: Headers, conn: asyncpg.Connection, origin: str
) -> None:
    response = await client.post(
        "/v1/feedback", json=event(WIDGET_EVENT_ID), headers={**widget_key, "Origin": origin}
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:feedback:problem:forbidden"
    # Readable by that page (a refusal holds no data; the widget must see it and stop).
    assert response.headers["access-control-allow-origin"] == origin
    assert await stored(conn) == 0


async def test_publishable_key_without_origin_is_accepted_server_to_server(
    client: httpx.AsyncClient, widget_key: Headers, conn: asyncpg.Connection
) -> None:
    response = await client.post("/v1/feedback", json=event(WIDGET_EVENT_ID), headers=widget_key)
    assert response.status_code == 201, response.text
    assert "access-control-allow-origin" not in response.headers
    assert await stored(conn) == 1


async def test_publishable_key_still_cannot_read(
    client: httpx.AsyncClient, widget_key: Headers
) -> None:
    response = await client.get("/v1/feedback/evt-1", headers={**widget_key, "Origin": SHOP})
    assert response.status_code == 403
