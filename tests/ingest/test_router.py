"""The ingest and read routes, through HTTP, on a rolled-back transaction."""

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from app.feedback.models import FeedbackEvent, FeedbackEventId
from tests.conftest import Headers, MakeKey


def event(**fields: Any) -> dict[str, Any]:
    return {"event_id": "evt-1", "channel": "pos", "nps": 9, **fields}


async def count(conn: asyncpg.Connection, model: type[Any]) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {model.__tablename__}"))


async def test_new_event_is_stored_and_returned_with_201(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    body = event(
        touchpoint="checkout",
        location_id="vie-07",
        employee_id="emp-1",
        respondent={"id": "c-1", "type": "internal", "segment": "b2b"},
        acquisition_source="referral",
        csat=4,
        ces=6,
        servqual={"empathy": {"perception": 5, "expectation": 7}},
        comment="Schnell und freundlich",
        language="de-AT",
        tags=["staff", "staff", "speed"],
        attributes={"basket": 3, "member": True, "note": "x", "ratio": 0.5, "none": None},
        follow_up_requested=True,
        contact={"name": "Anna", "email": "anna@example.com", "phone": "+43 1 234"},
    )
    response = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert response.status_code == 201, response.text
    out = response.json()
    assert out["event_id"] == "evt-1"
    assert out["respondent"] == {"id": "c-1", "type": "internal", "segment": "b2b"}
    assert out["servqual"]["empathy"] == {"perception": 5, "expectation": 7}
    assert out["tags"] == ["staff", "speed"]
    assert out["has_contact"] is True
    assert "contact" not in out
    stored = await conn.fetchrow("SELECT * FROM feedback_events")
    assert stored is not None
    assert (stored["nps"], stored["csat"], stored["ces"], stored["sq_empathy_p"],
            stored["sq_empathy_e"]) == (9, 4, 6, 5, 7)  # fmt: skip
    contact = await conn.fetchrow("SELECT * FROM feedback_contacts")
    assert contact is not None
    assert (contact["event_pk"], contact["email"]) == (stored["id"], "anna@example.com")


async def test_replay_with_same_event_id_counts_once(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    first = await client.post("/v1/feedback", json=event(), headers=ingest_key)
    # Same content, other key order, a new sent_at (a device retrying): still a replay.
    replay_body = {"nps": 9, "channel": "pos", "event_id": "evt-1"}
    second = await client.post("/v1/feedback", json=replay_body, headers=ingest_key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    assert await count(conn, FeedbackEvent) == 1
    assert await count(conn, FeedbackEventId) == 1


async def test_same_event_id_with_other_body_is_409_and_changes_nothing(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    await client.post("/v1/feedback", json=event(), headers=ingest_key)
    response = await client.post("/v1/feedback", json=event(nps=3), headers=ingest_key)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:feedback:problem:conflict"
    assert await conn.fetchval("SELECT nps FROM feedback_events") == 9


async def test_event_without_event_id_gets_a_server_uuid(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    body = {"channel": "web", "comment": "no score, just words"}
    a = await client.post("/v1/feedback", json=body, headers=ingest_key)
    b = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["event_id"] != b.json()["event_id"]
    assert len(a.json()["event_id"]) == 36
    assert await count(conn, FeedbackEvent) == 2


async def test_sent_at_corrects_the_device_clock(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    # The device clock runs 2 hours fast: it says the moment was 10 minutes before sending.
    device_now = datetime.now(UTC) + timedelta(hours=2)
    body = event(
        occurred_at=(device_now - timedelta(minutes=10)).isoformat(),
        sent_at=device_now.isoformat(),
    )
    response = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert response.status_code == 201, response.text
    out = response.json()
    received = datetime.fromisoformat(out["received_at"])
    occurred = datetime.fromisoformat(out["occurred_at"])
    assert received - occurred == timedelta(minutes=10)


async def test_offset_is_kept_as_the_same_instant(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    body = event(occurred_at="2025-03-30T01:30:00+05:45")
    response = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert response.json()["occurred_at"] == "2025-03-29T19:45:00Z"


@pytest.mark.parametrize(
    ("ahead", "status"),
    [(timedelta(minutes=4, seconds=50), 201), (timedelta(minutes=6), 422)],
)
async def test_future_limit_is_five_minutes_after_correction(
    client: httpx.AsyncClient, ingest_key: Headers, ahead: timedelta, status: int
) -> None:
    body = event(occurred_at=(datetime.now(UTC) + ahead).isoformat())
    response = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["errors"][0]["pointer"] == "#/occurred_at"


async def test_skewed_device_in_the_future_is_accepted_after_correction(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    device_now = datetime.now(UTC) + timedelta(days=1)
    body = event(occurred_at=device_now.isoformat(), sent_at=device_now.isoformat())
    response = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert response.status_code == 201, response.text


async def test_backfill_of_old_events_is_allowed(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    body = event(occurred_at="2019-01-01T00:00:00Z")
    response = await client.post("/v1/feedback", json=body, headers=ingest_key)
    assert response.status_code == 201


async def test_get_returns_the_stored_event_to_read_keys_only(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    posted = await client.post("/v1/feedback", json=event(), headers=ingest_key)
    got = await client.get("/v1/feedback/evt-1", headers=read_key)
    assert got.status_code == 200
    assert got.json() == posted.json()
    assert (await client.get("/v1/feedback/evt-1", headers=ingest_key)).status_code == 403
    missing = await client.get("/v1/feedback/nope", headers=read_key)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_location_bound_key_stamps_its_location(
    client: httpx.AsyncClient, make_key: MakeKey
) -> None:
    pos = await make_key("ingest", location_id="vie-07")
    stamped = await client.post("/v1/feedback", json=event(), headers=pos)
    assert stamped.json()["location_id"] == "vie-07"
    same = await client.post(
        "/v1/feedback", json=event(event_id="e2", location_id="vie-07"), headers=pos
    )
    assert same.status_code == 201
    other = await client.post(
        "/v1/feedback", json=event(event_id="e3", location_id="bud-01"), headers=pos
    )
    assert other.status_code == 403
    assert other.json()["type"] == "urn:feedback:problem:forbidden"


@pytest.mark.parametrize(
    "fields",
    [
        {"occurred_at": "0001-01-01T00:00:00+01:00"},
        {"occurred_at": "9999-12-31T23:59:59-01:00"},
        {"occurred_at": "0001-01-01T00:00:00Z", "sent_at": "9999-12-31T23:59:59Z"},
    ],
)
async def test_timestamps_at_the_edge_of_time_are_422_not_500(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, fields: dict[str, str]
) -> None:
    single = await client.post("/v1/feedback", json=event(**fields), headers=ingest_key)
    assert single.status_code == 422, single.text
    assert single.json()["errors"][0]["pointer"] in ("#/occurred_at", "#/sent_at")
    batch = await client.post(
        "/v1/feedback/batch",
        json={"events": [event(event_id="good"), event(event_id="bad", **fields)]},
        headers=ingest_key,
    )
    assert [r["status"] for r in batch.json()["items"]] == ["accepted", "rejected"]
    assert await count(conn, FeedbackEvent) == 1


async def test_event_ids_with_slashes_can_be_read_back(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    await client.post("/v1/feedback", json=event(event_id="pos/7/1"), headers=ingest_key)
    got = await client.get("/v1/feedback/pos/7/1", headers=read_key)
    assert got.status_code == 200
    assert got.json()["event_id"] == "pos/7/1"
    control = await client.get("/v1/feedback/a%00b", headers=read_key)
    assert control.status_code == 422


@pytest.mark.parametrize("number", ["-9223372036854775809", "18446744073709551616"])
async def test_integers_beyond_64_bits_are_refused_not_rounded(
    client: httpx.AsyncClient, ingest_key: Headers, number: str
) -> None:
    body = '{"channel": "web", "nps": 5, "attributes": {"order": ' + number + "}}"
    response = await client.post(
        "/v1/feedback", content=body, headers={**ingest_key, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/attributes/order"


async def test_deep_nesting_is_malformed_json_not_400(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    body = '{"channel": "web", "nps": 5, "attributes": {"a": 12345678901234567890}, "x": '
    body += "[" * 1000 + "]" * 1000 + "}"
    response = await client.post(
        "/v1/feedback", content=body, headers={**ingest_key, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_publishable_keys_may_only_claim_uuid_event_ids(
    client: httpx.AsyncClient, make_key: MakeKey
) -> None:
    widget = await make_key("ingest", allowed_origins=["https://shop.example.com"])
    guessable = await client.post(
        "/v1/feedback", json=event(event_id="pos7-2026-11-25-000001"), headers=widget
    )
    assert guessable.status_code == 422
    assert guessable.json()["errors"][0]["type"] == "uuid_required"
    random_id = await client.post(
        "/v1/feedback", json=event(event_id="5f0c6a4e-1f7b-4c1e-9d0a-2b7f4f8e9a10"), headers=widget
    )
    assert random_id.status_code == 201
    assigned = await client.post("/v1/feedback", json=event(event_id=None), headers=widget)
    assert assigned.status_code == 201


@pytest.mark.parametrize(
    "extra",
    [
        {"employee_id": "emp-1"},
        {"respondent": {"type": "employee"}},
        {"respondent": {"id": "crm-1"}},
        {"contact": {"email": "a@example.com"}},
        {"follow_up_requested": True},
        {"servqual": {"empathy": {"perception": 5}}},
        {"acquisition_source": "ads"},
    ],
)
async def test_a_publishable_key_sends_only_what_a_widget_sends(
    client: httpx.AsyncClient, make_key: MakeKey, ingest_key: Headers, extra: dict[str, Any]
) -> None:
    """A page's key is public: with it anyone could post employee ratings or for any
    branch's employee. Only the widget's fields pass; a secret key may send them all."""
    widget = await make_key("ingest", allowed_origins=["https://shop.example.com"])
    body = event(event_id=None, **extra)
    refused = await client.post("/v1/feedback", json=body, headers=widget)
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["errors"]
    assert error["type"] == "not_from_browser"
    assert error["pointer"] == f"#/{next(iter(extra))}"
    assert (await client.post("/v1/feedback", json=body, headers=ingest_key)).status_code == 201
    widget_like = event(event_id=None, employee_id=None, touchpoint="checkout", tags=["web"],
                        language="en", comment="ok", attributes={"page": "/cart"})  # fmt: skip
    assert (await client.post("/v1/feedback", json=widget_like, headers=widget)).status_code == 201


@pytest.mark.parametrize(
    ("ago", "status"), [(timedelta(hours=23), 201), (timedelta(hours=25), 422)]
)
async def test_a_publishable_key_sends_recent_events_only(
    client: httpx.AsyncClient, make_key: MakeKey, ingest_key: Headers, ago: timedelta, status: int
) -> None:
    """A visitor's answer arrives within FEEDBACK_PUBLISHABLE_MAX_AGE_HOURS (24); years
    back is a backfill, for a secret key."""
    now = datetime.now(UTC)
    widget = await make_key("ingest", allowed_origins=["https://shop.example.com"])
    body = event(event_id=None, occurred_at=(now - ago).isoformat(), sent_at=now.isoformat())
    response = await client.post("/v1/feedback", json=body, headers=widget)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["errors"][0]["type"] == "too_old"
        assert (await client.post("/v1/feedback", json=body, headers=ingest_key)).is_success


INVISIBLE = [
    "   ", "\t\n", "\u200b\u200b", "\ufeff", "\u2060\u200c\u200d", "\u00ad", "\u200e\u200f",
    "\u3164", "\u2800 \u2800", "\u0301", "\u3000\u00a0",
]  # fmt: skip


@pytest.mark.parametrize("text", INVISIBLE)
async def test_a_comment_with_nothing_visible_is_no_comment(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, text: str
) -> None:
    """Zero-width spaces, fillers and blanks are not a comment: with a score the event is
    stored without one (and not listed as commented); alone it is refused."""
    alone = await client.post(
        "/v1/feedback", json=event(comment=text, nps=None), headers=ingest_key
    )
    assert alone.status_code == 422, alone.text
    stored = await client.post("/v1/feedback", json=event(comment=text), headers=ingest_key)
    assert stored.status_code == 201, stored.text
    assert stored.json()["comment"] is None
    listed = await client.get("/v1/feedback", params={"has_comment": "true"}, headers=read_key)
    assert listed.json()["items"] == []


@pytest.mark.parametrize("text", ["\u200bok", "👍", "\u0e01", "\u3164x", "é"])
async def test_a_comment_with_something_visible_is_kept_as_sent(
    client: httpx.AsyncClient, ingest_key: Headers, text: str
) -> None:
    response = await client.post("/v1/feedback", json=event(comment=text), headers=ingest_key)
    assert response.json()["comment"] == text
