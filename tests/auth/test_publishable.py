"""A publishable (browser) key's narrow contract holds on every way in: the single
event, the batch (item by item), and the beacon (`?key=`, text/plain).

Only the fields the widget sends (app/widget/widget.js), and only events of the last
`FEEDBACK_PUBLISHABLE_MAX_AGE_HOURS`: every instant here is derived from one `now`.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import orjson
import pytest

from tests.conftest import MakeKey

SHOP = "https://shop.example.com"
NOW = datetime.now(UTC)


def widget_event(n: int, **fields: Any) -> dict[str, Any]:
    """What the widget sends (a UUID id, its fields), with `fields` on top."""
    return {
        "event_id": f"0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c2{n:02d}",
        "occurred_at": (NOW - timedelta(minutes=2)).isoformat(),
        "sent_at": NOW.isoformat(),
        "channel": "web",
        "language": "en",
        "touchpoint": "checkout",
        "location_id": "vie-07",
        "tags": ["web"],
        "attributes": {"page": "/cart"},
        "nps": 9,
        "comment": "ok",
        **fields,
    }


OUTSIDE = [
    pytest.param({"employee_id": "emp-1"}, "not_from_browser", id="employee_id"),
    pytest.param({"respondent": {"type": "employee"}}, "not_from_browser", id="employee"),
    pytest.param({"contact": {"email": "a@example.com"}}, "not_from_browser", id="contact"),
    pytest.param(
        {"occurred_at": (NOW - timedelta(days=3 * 365)).isoformat()}, "too_old", id="years-back"
    ),
    pytest.param(
        {"occurred_at": (NOW - timedelta(hours=25)).isoformat()}, "too_old", id="25-hours"
    ),
]


@pytest.mark.parametrize(("extra", "kind"), OUTSIDE)
async def test_the_batch_holds_each_item_to_the_contract(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection,
    extra: dict[str, Any], kind: str,
) -> None:  # fmt: skip
    widget = await make_key("ingest", allowed_origins=[SHOP])
    batch = {"events": [widget_event(1), widget_event(2, **extra)]}
    response = await client.post("/v1/feedback/batch", json=batch, headers=widget)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["status"] for i in items] == ["accepted", "rejected"]
    assert items[1]["problem"]["errors"][0]["type"] == kind
    assert await conn.fetchval("SELECT count(*) FROM feedback_events") == 1


@pytest.mark.parametrize(("extra", "kind"), OUTSIDE)
async def test_the_beacon_holds_to_the_contract(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection,
    extra: dict[str, Any], kind: str,
) -> None:  # fmt: skip
    widget = await make_key("ingest", allowed_origins=[SHOP])
    token = widget["Authorization"].removeprefix("Bearer ")
    response = await client.post(
        f"/v1/feedback?key={token}",
        content=orjson.dumps(widget_event(1, **extra)),
        headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": SHOP},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["type"] == kind
    assert await conn.fetchval("SELECT count(*) FROM feedback_events") == 0
    sent = await client.post(
        f"/v1/feedback?key={token}",
        content=orjson.dumps(widget_event(1)),
        headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": SHOP},
    )
    assert sent.status_code == 201, sent.text
