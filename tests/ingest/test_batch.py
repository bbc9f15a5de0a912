"""POST /v1/feedback/batch: per-item results, nothing half-stored, one statement."""

from typing import Any

import asyncpg
import httpx

from tests.conftest import Headers, MakeKey


def item(event_id: str, **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "channel": "pos", "csat": 4, **fields}


async def test_mixed_batch_stores_good_items_and_reports_each_in_order(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    await client.post("/v1/feedback", json=item("old"), headers=ingest_key)
    batch = [
        item("a", contact={"email": "a@example.com"}),
        item("old"),  # stored before, same body
        item("bad", csat=9),  # out of range
        item("b"),
        item("a", contact={"email": "a@example.com"}),  # repeated inside the batch, same body
        item("b", csat=1),  # repeated inside the batch, other body
        item("old", csat=2),  # stored before, other body
        "not an object",
        item("c", comment="x\x00y"),  # NUL byte
    ]
    response = await client.post("/v1/feedback/batch", json={"events": batch}, headers=ingest_key)
    assert response.status_code == 200, response.text
    body = response.json()
    statuses = [(r["index"], r["status"], r["event_id"]) for r in body["items"]]
    assert statuses == [
        (0, "accepted", "a"),
        (1, "duplicate", "old"),
        (2, "rejected", "bad"),
        (3, "accepted", "b"),
        (4, "duplicate", "a"),
        (5, "rejected", "b"),
        (6, "rejected", "old"),
        (7, "rejected", None),
        (8, "rejected", "c"),
    ]
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 2, 5)
    bad = body["items"][2]["problem"]
    assert bad["status"] == 422
    assert bad["errors"][0]["pointer"] == "#/events/2/csat"
    assert body["items"][5]["problem"]["status"] == 409
    ids = {r["event_id"] for r in await conn.fetch("SELECT event_id FROM feedback_events")}
    assert ids == {"old", "a", "b"}
    csat_b = await conn.fetchval("SELECT csat FROM feedback_events WHERE event_id = 'b'")
    assert csat_b == 4
    assert await conn.fetchval("SELECT count(*) FROM feedback_contacts") == 1


async def test_replaying_a_whole_batch_adds_nothing(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    batch = {"events": [item(f"e{i}", nps=i % 11) for i in range(300)]}
    first = await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)
    second = await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)
    assert first.json()["accepted"] == 300
    assert (second.json()["accepted"], second.json()["duplicates"]) == (0, 300)
    assert await conn.fetchval("SELECT count(*) FROM feedback_events") == 300


async def test_batch_over_the_event_limit_is_422(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    batch = {"events": [item(f"e{i}") for i in range(1001)]}
    response = await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/events"
    assert await conn.fetchval("SELECT count(*) FROM feedback_events") == 0


async def test_batch_of_a_location_bound_key_rejects_other_locations_only(
    client: httpx.AsyncClient, make_key: MakeKey
) -> None:
    pos = await make_key("ingest", location_id="vie-07")
    batch = {"events": [item("mine"), item("theirs", location_id="bud-01")]}
    body = (await client.post("/v1/feedback/batch", json=batch, headers=pos)).json()
    assert [r["status"] for r in body["items"]] == ["accepted", "rejected"]
    assert body["items"][1]["problem"]["status"] == 403


async def test_identical_replay_after_a_conflicting_copy_is_still_a_duplicate(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    await client.post("/v1/feedback", json=item("x", csat=4), headers=ingest_key)
    batch = {"events": [item("x", csat=1), item("x", csat=4)]}  # conflict first, then replay
    body = (await client.post("/v1/feedback/batch", json=batch, headers=ingest_key)).json()
    assert [r["status"] for r in body["items"]] == ["rejected", "duplicate"]
