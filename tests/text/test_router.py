"""`GET`/`PUT /v1/themes` over HTTP: the defaults, the admin's themes, what a change
starts, and clear refusals."""

from typing import Any

import asyncpg
import httpx
import pytest

from app.text.themes import default_themes
from tests.conftest import Headers

PARKING: dict[str, Any] = {
    "name": "parking",
    "label": "Parking",
    "description": "Finding a parking space at the store.",
    "examples": ["no parking space"],
    "keywords": {"en": ["parking", "car park"], "de": ["parkplatz*"]},
}


async def test_defaults_then_the_admins_themes(
    client: httpx.AsyncClient, read_key: Headers, admin_key: Headers, conn: asyncpg.Connection
) -> None:
    first = (await client.get("/v1/themes", headers=read_key)).json()
    assert [t["name"] for t in first["themes"]] == [t.name for t in default_themes()]
    assert all(t["builtin"] for t in first["themes"])
    assert first["rebuilding"] is False

    await conn.execute("UPDATE text_state SET watermark = 42")  # comments were enriched
    waiting = {"name": "waiting", "label": "Queues", "keywords": {"en": ["queue"]}}
    put = await client.put("/v1/themes", json={"themes": [PARKING, waiting]}, headers=admin_key)
    assert put.status_code == 200, put.text
    body = put.json()
    names = [t["name"] for t in body["themes"]]
    assert names == [t.name for t in default_themes()] + ["parking"]  # waiting in place
    by_name = {t["name"]: t for t in body["themes"]}
    assert (by_name["waiting"]["label"], by_name["waiting"]["builtin"]) == ("Queues", False)
    assert by_name["parking"] == {**PARKING, "builtin": False}
    assert body["digest"] != first["digest"]
    assert body["rebuilding"] is True  # every comment is sorted again
    state = await conn.fetchrow("SELECT rebuild_from, rebuild_to FROM text_state")
    assert (state["rebuild_from"], state["rebuild_to"]) == (0, 42)

    back = await client.put("/v1/themes", json={"themes": []}, headers=admin_key)
    assert back.json()["digest"] == first["digest"]


async def test_no_rebuild_before_anything_was_enriched(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    put = await client.put("/v1/themes", json={"themes": [PARKING]}, headers=admin_key)
    assert put.json()["rebuilding"] is False


async def test_only_an_admin_defines_themes(client: httpx.AsyncClient, read_key: Headers) -> None:
    response = await client.put("/v1/themes", json={"themes": [PARKING]}, headers=read_key)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "themes",
    [
        [PARKING, PARKING],  # the same name twice
        [{**PARKING, "name": "Parking lot"}],
        [{**PARKING, "label": ""}],
        [{**PARKING, "keywords": {"english": ["parking"]}}],
        [{**PARKING, "colour": "red"}],
    ],
)
async def test_bad_definitions_are_422_problems(
    client: httpx.AsyncClient, admin_key: Headers, themes: list[dict[str, Any]]
) -> None:
    response = await client.put("/v1/themes", json={"themes": themes}, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
