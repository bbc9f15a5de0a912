"""The location registry: PUT (admin) registers or replaces, GET (read) lists."""

import httpx
import pytest

from tests.conftest import Headers


async def test_put_registers_then_replaces(client: httpx.AsyncClient, admin_key: Headers) -> None:
    body = {"name": "Vienna Mariahilf", "region": "austria", "timezone": "Europe/Vienna"}
    created = await client.put("/v1/locations/vie-07", json=body, headers=admin_key)
    assert created.status_code == 201, created.text
    assert created.json()["id"] == "vie-07"
    assert created.json()["timezone"] == "Europe/Vienna"
    replaced = await client.put(
        "/v1/locations/vie-07",
        json={"name": "Wien Mariahilf", "region": "dach", "timezone": "Europe/Vienna"},
        headers=admin_key,
    )
    assert replaced.status_code == 200
    assert (replaced.json()["name"], replaced.json()["region"]) == ("Wien Mariahilf", "dach")
    assert replaced.json()["created_at"] == created.json()["created_at"]


@pytest.mark.parametrize(
    "zone", ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla", "America/St_Johns", "UTC"]
)
async def test_half_and_quarter_hour_zones_are_accepted(
    client: httpx.AsyncClient, admin_key: Headers, zone: str
) -> None:
    response = await client.put(
        "/v1/locations/x", json={"name": "X", "timezone": zone}, headers=admin_key
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "timezone": "Mars/Olympus"},
        {"name": "X", "timezone": "+05:30"},
        {"name": "X", "timezone": "localtime"},
        {"name": "X", "region": "Not A Slug"},
        {"name": ""},
        {"name": "X", "extra": 1},
    ],
)
async def test_invalid_location_is_422(
    client: httpx.AsyncClient, admin_key: Headers, body: dict[str, object]
) -> None:
    response = await client.put("/v1/locations/x", json=body, headers=admin_key)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_only_admin_registers_and_read_keys_list(
    client: httpx.AsyncClient, admin_key: Headers, read_key: Headers, ingest_key: Headers
) -> None:
    body = {"name": "Budapest", "region": "hungary", "timezone": "Europe/Budapest"}
    assert (await client.put("/v1/locations/bud", json=body, headers=read_key)).status_code == 403
    assert (await client.put("/v1/locations/bud", json=body, headers=admin_key)).status_code == 201
    assert (await client.get("/v1/locations", headers=ingest_key)).status_code == 403
    listed = await client.get("/v1/locations", headers=read_key)
    assert [item["id"] for item in listed.json()["items"]] == ["bud"]
    one = await client.get("/v1/locations/bud", headers=read_key)
    assert one.json()["region"] == "hungary"
    missing = await client.get("/v1/locations/nope", headers=read_key)
    assert missing.status_code == 404


async def test_listing_pages_by_cursor_and_filters_by_region(
    client: httpx.AsyncClient, admin_key: Headers, read_key: Headers
) -> None:
    for i in range(5):
        region = "north" if i % 2 else "south"
        await client.put(
            f"/v1/locations/loc-{i}", json={"name": f"L{i}", "region": region}, headers=admin_key
        )
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/locations", params=params, headers=read_key)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"loc-{i}" for i in range(5)]
    north = await client.get("/v1/locations", params={"region": "north"}, headers=read_key)
    assert [item["id"] for item in north.json()["items"]] == ["loc-1", "loc-3"]
    bad = await client.get("/v1/locations", params={"cursor": "!!"}, headers=read_key)
    assert bad.status_code == 422
