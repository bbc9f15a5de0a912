"""GET /v1/feedback: stored events with the metrics filters, score bounds and a keyset cursor."""

from typing import Any

import httpx
import pytest

from app.feedback.schemas import FeedbackPage
from tests.conftest import Headers
from tests.follow_ups.test_cases import event, post

WINDOW = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}


async def listed(client: httpx.AsyncClient, key: Headers, **params: Any) -> list[str]:
    response = await client.get("/v1/feedback", params={**WINDOW, **params}, headers=key)
    assert response.status_code == 200, response.text
    page = FeedbackPage.model_validate(response.json())
    return [e.event_id for e in page.items]


@pytest.fixture
async def events(client: httpx.AsyncClient, ingest_key: Headers, admin_key: Headers) -> None:
    await client.put(
        "/v1/locations/bud-01",
        json={"name": "Budapest", "region": "hu", "timezone": "Europe/Budapest"},
        headers=admin_key,
    )
    await post(
        client,
        ingest_key,
        event("a", nps=2, comment="Slow checkout", occurred_at="2026-11-02T09:00:00Z"),
        event("b", nps=9, occurred_at="2026-11-03T09:00:00Z", tags=["vip"]),
        event("c", csat=5, comment="", occurred_at="2026-11-04T09:00:00Z", location_id="bud-01"),
        event(
            "d",
            nps=6,
            comment="Lassú",
            occurred_at="2026-11-05T09:00:00Z",
            respondent={"id": "e-1", "type": "employee"},
        ),
        event("e", ces=7, occurred_at="2026-11-06T09:00:00Z", channel="web"),
        event("old", nps=0, occurred_at="2026-10-15T09:00:00Z"),
    )


async def test_every_respondent_type_in_the_window_by_default(
    client: httpx.AsyncClient, read_key: Headers, events: None
) -> None:
    assert await listed(client, read_key) == ["a", "b", "c", "d", "e"]
    assert await listed(client, read_key, respondent_type="employee") == ["d"]
    assert await listed(client, read_key, respondent_type="customer") == ["a", "b", "c", "e"]


async def test_filters(client: httpx.AsyncClient, read_key: Headers, events: None) -> None:
    assert await listed(client, read_key, max_nps=6) == ["a", "d"]
    assert await listed(client, read_key, min_nps=7, max_nps=10) == ["b"]
    assert await listed(client, read_key, min_csat=4) == ["c"]
    assert await listed(client, read_key, min_ces=5) == ["e"]
    assert await listed(client, read_key, has_comment="true") == ["a", "d"]
    assert await listed(client, read_key, has_comment="false") == ["b", "c", "e"]
    assert await listed(client, read_key, channel="web") == ["e"]
    assert await listed(client, read_key, region="hu") == ["c"]
    assert await listed(client, read_key, tag="vip") == ["b"]
    assert await listed(client, read_key, location_id="vie-07", max_nps=6, has_comment="true") == [
        "a",
        "d",
    ]


async def test_pages_follow_the_cursor(
    client: httpx.AsyncClient, read_key: Headers, events: None
) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {**WINDOW, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/feedback", params=params, headers=read_key)).json()
        seen += [e["event_id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["a", "b", "c", "d", "e"]


async def test_contact_data_never_listed(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    await post(client, ingest_key, event("x", nps=1, contact={"email": "jo@example.com"}))
    response = await client.get("/v1/feedback", params=WINDOW, headers=read_key)
    assert "jo@example.com" not in response.text
    assert response.json()["items"][0]["has_contact"] is True


@pytest.mark.parametrize(
    "params",
    [
        {"min_nps": 7, "max_nps": 6},
        {"max_nps": 11},
        {"min_csat": -1},
        {"limit": 0},
        {"limit": 1001},
        {"cursor": "garbage"},
        {"respondent_type": "robot"},
        {"has_comment": "maybe"},
        {"from": "2026-12-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"},
    ],
)
async def test_bad_parameters_are_422(
    client: httpx.AsyncClient, read_key: Headers, params: dict[str, Any]
) -> None:
    response = await client.get("/v1/feedback", params={**WINDOW, **params}, headers=read_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_needs_a_read_key(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    assert (await client.get("/v1/feedback", headers=ingest_key)).status_code == 403
