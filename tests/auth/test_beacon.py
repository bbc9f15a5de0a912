"""navigator.sendBeacon(): a publishable key in the URL, the body as text/plain.

Only a publishable key posting from one of its origins may do either; a
secret key in a URL is refused, and every other text/plain body stays a 415.
"""

import asyncpg
import httpx
import orjson
import pytest

from tests.conftest import Headers, MakeKey

SHOP = "https://shop.example.com"
BEACON = "text/plain;charset=UTF-8"  # what sendBeacon(url, string) sends
PROBLEM = "application/problem+json"
EVENT_ID = "0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c2aa"


def body(event_id: str = EVENT_ID) -> bytes:
    return orjson.dumps({"event_id": event_id, "channel": "web", "nps": 9})


def token_of(headers: Headers) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def stored(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM feedback_events"))


@pytest.fixture
async def widget(make_key: MakeKey) -> str:
    return token_of(await make_key("ingest", allowed_origins=[SHOP]))


async def test_beacon_with_publishable_key_in_url_from_its_origin_is_stored(
    client: httpx.AsyncClient, widget: str, conn: asyncpg.Connection
) -> None:
    response = await client.post(
        f"/v1/feedback?key={widget}",
        content=body(),
        headers={"Content-Type": BEACON, "Origin": SHOP},
    )
    assert response.status_code == 201, response.text
    assert response.json()["event_id"] == EVENT_ID
    assert response.headers["access-control-allow-origin"] == SHOP
    assert await stored(conn) == 1


async def test_beacon_batch_is_stored_too(
    client: httpx.AsyncClient, widget: str, conn: asyncpg.Connection
) -> None:
    events = b'{"events": [' + body() + b"]}"
    response = await client.post(
        f"/v1/feedback/batch?key={widget}",
        content=events,
        headers={"Content-Type": "text/plain", "Origin": SHOP},
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    assert await stored(conn) == 1


async def test_publishable_key_in_url_with_json_body_is_accepted(
    client: httpx.AsyncClient, widget: str
) -> None:
    response = await client.post(
        f"/v1/feedback?key={widget}",
        content=body(),
        headers={"Content-Type": "application/json", "Origin": SHOP},
    )
    assert response.status_code == 201


async def test_secret_key_in_url_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    for content_type in ("application/json", BEACON):
        response = await client.post(
            f"/v1/feedback?key={token_of(ingest_key)}",
            content=body(),
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "urn:feedback:problem:key-in-url"
    assert await stored(conn) == 0


async def test_unknown_key_in_url_is_the_usual_401(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/feedback?key=fbk_ingest_nope", content=body(),
        headers={"Content-Type": BEACON, "Origin": SHOP},
    )  # fmt: skip
    assert response.status_code == 401
    assert response.json()["type"] == "urn:feedback:problem:unauthorized"


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("secret key in header", 415),
        ("publishable key without origin", 415),
        ("publishable key from another origin", 403),
        ("other charset", 415),
    ],
)
async def test_text_plain_is_refused_for_everyone_else(
    client: httpx.AsyncClient,
    widget: str,
    ingest_key: Headers,
    conn: asyncpg.Connection,
    case: str,
    status: int,
) -> None:
    headers: dict[str, str] = {"Content-Type": BEACON}
    url = f"/v1/feedback?key={widget}"
    if case == "secret key in header":
        headers.update({**ingest_key, "Origin": SHOP})
        url = "/v1/feedback"
    elif case == "publishable key from another origin":
        headers["Origin"] = "https://evil.example.com"
    elif case == "other charset":
        headers.update({"Origin": SHOP, "Content-Type": "text/plain;charset=ISO-8859-1"})
    response = await client.post(url, content=body(), headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await stored(conn) == 0


async def test_text_plain_elsewhere_stays_415_even_for_a_publishable_key(
    client: httpx.AsyncClient, widget: str, admin_key: Headers
) -> None:
    response = await client.post(
        "/v1/keys", content=b'{"name": "x", "scope": "read"}',
        headers={**admin_key, "Content-Type": "text/plain", "Origin": SHOP},
    )  # fmt: skip
    assert response.status_code == 415


async def test_malformed_beacon_body_is_422(client: httpx.AsyncClient, widget: str) -> None:
    response = await client.post(
        f"/v1/feedback?key={widget}", content=b"{nope",
        headers={"Content-Type": BEACON, "Origin": SHOP},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["type"] == "urn:feedback:problem:malformed-json"
