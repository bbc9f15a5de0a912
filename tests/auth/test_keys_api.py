"""The admin routes /v1/keys: create, list, get, revoke; secrets shown once, stored hashed."""

import base64
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import orjson
import pytest

from tests.conftest import Headers

PROBLEM = "application/problem+json"
VALIDATION = "urn:feedback:problem:validation"


async def create(client: httpx.AsyncClient, admin: Headers, **fields: Any) -> dict[str, Any]:
    spec = {"name": "a key", "scope": "ingest", **fields}
    response = await client.post("/v1/keys", json=spec, headers=admin)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def encoded(key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


async def key_count(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM api_keys"))


async def test_create_returns_the_token_once_and_reads_never_show_it(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    created = await create(client, admin_key, name="POS 7", location_id="vie-07")
    token = created["token"]
    assert token.startswith("fbk_ingest_")
    assert created["prefix"] == token[: len(created["prefix"])]
    assert (created["name"], created["scope"], created["location_id"]) == (
        "POS 7",
        "ingest",
        "vie-07",
    )
    assert created["publishable"] is False
    assert created["revoked_at"] is None
    assert "secret_hash" not in created
    secret_hex = hashlib.sha256(token.encode()).hexdigest()

    got = await client.get(f"/v1/keys/{created['id']}", headers=admin_key)
    listed = await client.get("/v1/keys", headers=admin_key)
    assert (got.status_code, listed.status_code) == (200, 200)
    assert got.json() == {k: v for k, v in created.items() if k != "token"}
    assert created["id"] in [k["id"] for k in listed.json()["items"]]
    for response in (got, listed):
        assert token not in response.text
        assert token.split("_")[2] not in response.text  # not even the random part
        assert secret_hex not in response.text
        assert "token" not in response.text
        assert "secret" not in response.text


async def test_only_the_sha256_of_the_token_is_stored(
    client: httpx.AsyncClient, admin_key: Headers, conn: asyncpg.Connection
) -> None:
    created = await create(client, admin_key)
    token = created["token"]
    random_part = token.split("_")[2]
    key = await conn.fetchrow("SELECT * FROM api_keys WHERE id = $1", uuid.UUID(created["id"]))
    assert key is not None
    assert key["secret_hash"] == hashlib.sha256(token.encode()).digest()
    assert key["prefix"] == created["prefix"]
    assert len(key["prefix"]) < len(token) // 2
    # The whole row, every column as PostgreSQL renders it: no trace of the secret.
    row = await conn.fetchval(
        "SELECT row_to_json(k)::text FROM api_keys k WHERE id = $1", uuid.UUID(created["id"])
    )
    assert isinstance(row, str)
    assert created["id"] in row
    assert token not in row
    assert random_part not in row
    assert random_part[-16:] not in row


async def test_created_key_works_for_its_scope(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    created = await create(client, admin_key, scope="read")
    assert (await client.get("/v1/keys", headers=bearer(created["token"]))).status_code == 403
    missing = await client.get("/v1/feedback/none", headers=bearer(created["token"]))
    assert missing.status_code == 404


async def test_publishable_key_origins_are_normalised(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    created = await create(
        client,
        admin_key,
        allowed_origins=["https://Shop.Example.com/", "http://localhost:3000"],
    )
    assert created["allowed_origins"] == ["https://shop.example.com", "http://localhost:3000"]
    assert created["publishable"] is True


@pytest.mark.parametrize(
    ("spec", "pointer"),
    [
        pytest.param(
            {"scope": "read", "allowed_origins": ["https://shop.example.com"]},
            "#",
            id="publishable-read",
        ),
        pytest.param(
            {"scope": "admin", "allowed_origins": ["https://shop.example.com"]},
            "#",
            id="publishable-admin",
        ),
        pytest.param(
            {"allowed_origins": ["https://shop.example.com/widget"]},
            "#/allowed_origins/0",
            id="origin-with-path",
        ),
        pytest.param(
            {"allowed_origins": ["https://shop.example.com?x=1"]},
            "#/allowed_origins/0",
            id="origin-with-query",
        ),
        pytest.param(
            {"allowed_origins": ["ftp://shop.example.com"]},
            "#/allowed_origins/0",
            id="origin-not-http",
        ),
        pytest.param(
            {"allowed_origins": ["shop.example.com"]}, "#/allowed_origins/0", id="origin-bare-host"
        ),
        pytest.param(
            {"allowed_origins": ["https://user@shop.example.com"]},
            "#/allowed_origins/0",
            id="origin-with-user",
        ),
        pytest.param({"scope": "root"}, "#/scope", id="unknown-scope"),
        pytest.param({"scope": "Admin"}, "#/scope", id="scope-case"),
        pytest.param({"name": ""}, "#/name", id="empty-name"),
        pytest.param({"name": "a\x00b"}, "#/name", id="nul-name"),
        pytest.param({"location_id": ""}, "#/location_id", id="empty-location"),
        pytest.param({"secret_hash": "00"}, "#/secret_hash", id="unknown-field"),
    ],
)
async def test_invalid_key_spec_is_422_and_creates_nothing(
    client: httpx.AsyncClient,
    admin_key: Headers,
    conn: asyncpg.Connection,
    spec: dict[str, Any],
    pointer: str,
) -> None:
    before = await key_count(conn)
    body = {"name": "a key", "scope": "ingest", **spec}
    response = await client.post("/v1/keys", json=body, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == VALIDATION
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert await key_count(conn) == before


async def test_create_needs_a_json_body(
    client: httpx.AsyncClient, admin_key: Headers, conn: asyncpg.Connection
) -> None:
    before = await key_count(conn)
    response = await client.post(
        "/v1/keys",
        content=b'{"name": "x", "scope": "ingest"}',
        headers={**admin_key, "Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM
    assert await key_count(conn) == before


async def test_listing_with_limit_2_walks_every_key_exactly_once(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    made = [(await create(client, admin_key, name=f"key {i}"))["id"] for i in range(4)]
    everything = await client.get("/v1/keys", params={"limit": 1000}, headers=admin_key)
    all_ids = [k["id"] for k in everything.json()["items"]]
    assert everything.json()["next_cursor"] is None
    assert len(all_ids) == 5  # the admin key and the four made here
    assert set(made) <= set(all_ids)

    walked: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, str | int] = {"limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        page = await client.get("/v1/keys", params=params, headers=admin_key)
        assert page.status_code == 200, page.text
        items = page.json()["items"]
        walked += [k["id"] for k in items]
        sizes.append(len(items))
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert sizes == [2, 2, 1]
    assert walked == all_ids  # same order, nobody twice, nobody left out


async def test_listing_a_full_last_page_ends_without_an_empty_page(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    await create(client, admin_key)
    first = await client.get("/v1/keys", params={"limit": 2}, headers=admin_key)
    assert len(first.json()["items"]) == 2
    assert first.json()["next_cursor"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not a cursor!", id="garbage"),
        pytest.param("%%%%", id="not-base64"),
        pytest.param(encoded({"created_at": "x"}), id="object"),
        pytest.param(encoded(["2026-01-01T00:00:00+00:00"]), id="arity-1"),
        pytest.param(encoded(["x", "y"]), id="bad-values"),
        pytest.param(encoded([1, 2]), id="numbers"),
        pytest.param(encoded([None, None]), id="nulls"),
        pytest.param(encoded(["2026-01-01T00:00:00+00:00", "not-a-uuid"]), id="bad-uuid"),
        pytest.param(encoded(["nope", str(uuid.uuid4())]), id="bad-time"),
        pytest.param(base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(), id="binary"),
        pytest.param("A" * 501, id="too-long"),
    ],
)
async def test_bad_cursor_is_a_422_problem(
    client: httpx.AsyncClient, admin_key: Headers, cursor: str
) -> None:
    response = await client.get("/v1/keys", params={"cursor": cursor}, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == VALIDATION
    assert problem["errors"][0]["loc"][:2] == ["query", "cursor"]


@pytest.mark.parametrize("limit", [0, -1, 1001, "ten"])
async def test_limit_out_of_range_is_422(
    client: httpx.AsyncClient, admin_key: Headers, limit: int | str
) -> None:
    response = await client.get("/v1/keys", params={"limit": limit}, headers=admin_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


async def test_revoked_keys_are_listed_only_when_asked_for(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    kept = await create(client, admin_key, name="kept")
    gone = await create(client, admin_key, name="gone")
    assert (await client.delete(f"/v1/keys/{gone['id']}", headers=admin_key)).status_code == 204

    default = await client.get("/v1/keys", headers=admin_key)
    ids = [k["id"] for k in default.json()["items"]]
    assert kept["id"] in ids
    assert gone["id"] not in ids

    everything = await client.get("/v1/keys", params={"include_revoked": "true"}, headers=admin_key)
    by_id = {k["id"]: k for k in everything.json()["items"]}
    assert by_id[kept["id"]]["revoked_at"] is None
    assert by_id[gone["id"]]["revoked_at"] is not None


async def test_revoked_key_is_refused_on_its_very_next_request(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    created = await create(client, admin_key)
    key = bearer(created["token"])
    body = {"channel": "pos", "nps": 9}
    assert (await client.post("/v1/feedback", json=body, headers=key)).status_code == 201

    revoked = await client.delete(f"/v1/keys/{created['id']}", headers=admin_key)
    assert revoked.status_code == 204
    assert revoked.content == b""

    refused = await client.post("/v1/feedback", json=body, headers=key)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == PROBLEM
    got = await client.get(f"/v1/keys/{created['id']}", headers=admin_key)
    assert got.json()["revoked_at"] is not None


async def test_revoking_twice_is_204_and_keeps_the_first_revocation_time(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    created = await create(client, admin_key)
    first = await client.delete(f"/v1/keys/{created['id']}", headers=admin_key)
    revoked_at = (await client.get(f"/v1/keys/{created['id']}", headers=admin_key)).json()[
        "revoked_at"
    ]
    second = await client.delete(f"/v1/keys/{created['id']}", headers=admin_key)
    assert (first.status_code, second.status_code) == (204, 204)
    again = (await client.get(f"/v1/keys/{created['id']}", headers=admin_key)).json()
    assert again["revoked_at"] == revoked_at


async def test_admin_key_revoking_itself_locks_itself_out(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    listed = await client.get("/v1/keys", headers=admin_key)
    (own,) = [k for k in listed.json()["items"] if k["scope"] == "admin"]
    assert (await client.delete(f"/v1/keys/{own['id']}", headers=admin_key)).status_code == 204
    assert (await client.get("/v1/keys", headers=admin_key)).status_code == 401


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_unknown_key_id_is_404(
    client: httpx.AsyncClient, admin_key: Headers, method: str
) -> None:
    response = await client.request(method, f"/v1/keys/{uuid.uuid4()}", headers=admin_key)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:feedback:problem:not-found"


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_key_id_that_is_not_a_uuid_is_422(
    client: httpx.AsyncClient, admin_key: Headers, method: str
) -> None:
    response = await client.request(method, "/v1/keys/not-a-uuid", headers=admin_key)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("scope", ["ingest", "read"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/keys"),
        ("GET", "/v1/keys"),
        ("GET", "/v1/keys/{id}"),
        ("DELETE", "/v1/keys/{id}"),
    ],
)
async def test_non_admin_keys_get_403_on_key_routes(
    client: httpx.AsyncClient,
    admin_key: Headers,
    make_key: Callable[..., Awaitable[Headers]],
    conn: asyncpg.Connection,
    scope: str,
    method: str,
    path: str,
) -> None:
    target = await create(client, admin_key)
    caller = await make_key(scope)
    before = await key_count(conn)
    response = await client.request(
        method,
        path.format(id=target["id"]),
        json={"name": "sneaky", "scope": "admin"} if method == "POST" else None,
        headers=caller,
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:feedback:problem:forbidden"
    assert target["token"] not in response.text
    assert await key_count(conn) == before
    still = await client.get(f"/v1/keys/{target['id']}", headers=admin_key)
    assert still.json()["revoked_at"] is None


async def test_revocation_takes_effect_at_once_across_connections(
    live_client: httpx.AsyncClient, live_key: Callable[..., Awaitable[Headers]]
) -> None:
    """Own database: the revocation is committed by one request and seen by the next,
    which runs on another pooled connection, with no cache in between."""
    admin = await live_key("admin")
    created = await create(live_client, admin)
    key = bearer(created["token"])
    body = {"channel": "pos", "nps": 9}
    assert (await live_client.post("/v1/feedback", json=body, headers=key)).status_code == 201
    revoked = await live_client.delete(f"/v1/keys/{created['id']}", headers=admin)
    assert revoked.status_code == 204
    refused = await live_client.post("/v1/feedback", json=body, headers=key)
    assert refused.status_code == 401


async def test_admin_keys_cannot_be_bound_to_a_location(
    client: httpx.AsyncClient, admin_key: Headers, conn: asyncpg.Connection
) -> None:
    """A binding on an admin key was accepted and meant nothing (the vie-07 admin key
    created unbound keys): refused, and the database refuses it too. Read and cases
    keys can be bound (tests/auth/test_location_binding.py)."""
    before = await key_count(conn)
    spec = {"name": "branch manager", "scope": "admin", "location_id": "vie-07"}
    response = await client.post("/v1/keys", json=spec, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "an admin key cannot be bound" in response.text
    assert await key_count(conn) == before
    with pytest.raises(Exception, match="ck_api_keys_location_not_admin"):
        async with conn.transaction():  # a savepoint: the test's transaction goes on
            await conn.execute(
                "INSERT INTO api_keys (name, scope, prefix, secret_hash, location_id) "
                "VALUES ('x', 'admin', 'p', 'h', 'vie-07')"
            )
