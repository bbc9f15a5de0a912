"""No 500 from any value a client can send in a query: extreme instants (year 1 and 9999,
zones east and west of UTC) on every route that takes a window, forged cursors on every
list, and a comparison window past the window limit. Each is a 422 naming the parameter."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import Headers

WINDOWED = [
    "/v1/metrics/summary", "/v1/metrics/timeseries", "/v1/metrics/breakdown?group_by=channel",
    "/v1/metrics/consistency?group_by=location_id", "/v1/metrics/compare",
    "/v1/metrics/servqual", "/v1/metrics/service-profit-chain", "/v1/metrics/follow-ups",
    "/v1/feedback", "/v1/feedback/export",
]  # fmt: skip

EXTREME = [
    "0001-01-01", "0001-01-01T00:00:00+14:00", "0001-01-01T00:30:00-12:00",
    "9999-12-31", "9999-12-31T23:59:59-12:00", "9999-12-31T23:00:00+14:00",
    "1899-12-31T23:59:59Z", "3000-01-01T00:00:01Z",
]  # fmt: skip


def assert_422(response: httpx.Response, parameter: str) -> None:
    assert response.status_code == 422, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["query", parameter]


@pytest.mark.parametrize("value", EXTREME)
@pytest.mark.parametrize("path", WINDOWED)
async def test_an_instant_out_of_range_is_422_on_every_windowed_route(
    client: httpx.AsyncClient, admin_key: Headers, path: str, value: str
) -> None:
    for parameter, other in (("from", {"to": "2026-12-01"}), ("to", {"from": "2026-11-01"})):
        url = path + ("&" if "?" in path else "?")
        response = await client.get(url, params={parameter: value, **other}, headers=admin_key)
        assert_422(response, parameter)


@pytest.mark.parametrize("value", ["1899-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31"])
async def test_the_comparison_window_is_bounded_like_the_window(
    client: httpx.AsyncClient, read_key: Headers, value: str
) -> None:
    window = {"from": "2026-11-01", "to": "2026-12-01"}
    bad = await client.get(
        "/v1/metrics/compare",
        params={**window, "previous_from": value, "previous_to": "2026-10-01"},
        headers=read_key,
    )
    assert bad.status_code == 422, bad.text
    # previous_from=1900-01-01 answered 200 over 126 years: past the window limit now.
    long_ago = await client.get(
        "/v1/metrics/compare",
        params={**window, "previous_from": "1900-01-02", "previous_to": "2026-10-01"},
        headers=read_key,
    )
    assert_422(long_ago, "previous_to")
    assert "days" in long_ago.json()["errors"][0]["message"]


def forged(key: Any) -> str:
    """base64url(JSON) of `key`, as a cursor is made (the stdlib's JSON: ints past 64 bits)."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# Keys a forger may put in a cursor, each sent bare and behind the list's own name (as
# this service issues them: `[name, *key]`), so the checks after the name are reached.
FORGED_KEYS: list[Any] = [
    ["2026-11-01T00:00:00+00:00", 2**63], ["2026-11-01T00:00:00+00:00", -1],
    ["2026-11-01T00:00:00+00:00", True], ["2026-11-01T00:00:00+00:00", 1.5],
    ["2026-11-01T00:00:00", 1], ["0001-01-01T00:00:00+14:00", 1], ["9999-12-31T23:59:59-12:00", 1],
    [1, "2026-11-01T00:00:00+00:00"], ["x\u0000y"], [2**63], [2**64], [-5], [True],
    ["a" * 300], [None], [], ["2026-11-01T00:00:00+00:00", "not-a-uuid"], [{"a": 1}, 1],
    ["2026-11-01T00:00:00+00:00", "00000000-0000-0000-0000-000000000000", 1],
]  # fmt: skip
GARBAGE = [forged({"a": 1}), forged(None), forged("feedback"), "%%%", "bm90IGpzb24", "é"]

LISTS = {
    "/v1/feedback": "feedback", "/v1/follow-ups": "follow-ups", "/v1/keys": "keys",
    "/v1/locations": "locations", "/v1/webhooks": "webhooks", "deliveries": "deliveries",
}  # fmt: skip


@pytest.mark.parametrize(("path", "kind"), LISTS.items())
async def test_a_forged_cursor_is_422_on_every_list(
    client: httpx.AsyncClient, admin_key: Headers, path: str, kind: str
) -> None:
    if path == "deliveries":
        hook = {"url": "https://crm.example.com/hooks", "event_types": ["feedback.created"]}
        created = (await client.post("/v1/webhooks", json=hook, headers=admin_key)).json()
        path = f"/v1/webhooks/{created['id']}/deliveries"
    cursors = [*GARBAGE, *(forged(key) for key in FORGED_KEYS)]
    cursors += [forged([kind, *key]) for key in FORGED_KEYS]
    for cursor in cursors:
        response = await client.get(path, params={"cursor": cursor}, headers=admin_key)
        assert response.status_code == 422, (cursor, response.status_code, response.text)
        assert_422(response, "cursor")


# A NUL (or another control character) in a text parameter cannot reach PostgreSQL's text:
# `region=%00` on the locations list was a 500 (CharacterNotInRepertoire).
TEXT_PARAMETERS = [
    ("/v1/locations", "region"), ("/v1/feedback", "q"), ("/v1/feedback", "channel"),
    ("/v1/feedback", "tz"), ("/v1/feedback/export", "q"), ("/v1/follow-ups", "assignee"),
    ("/v1/follow-ups", "location_id"), ("/v1/follow-ups", "channel"),
    ("/v1/follow-ups/summary", "channel"), ("/v1/metrics/summary", "segment"),
    ("/v1/metrics/compare", "previous_from"), ("/v1/alerts", "from"),
]  # fmt: skip


@pytest.mark.parametrize("value", ["\x00", "north\x00", "a\x1fb"])
@pytest.mark.parametrize(("path", "parameter"), TEXT_PARAMETERS)
async def test_a_control_character_in_a_text_parameter_is_422(
    client: httpx.AsyncClient, admin_key: Headers, path: str, parameter: str, value: str
) -> None:
    others = {"previous_to": "2026-10-01"} if parameter == "previous_from" else {}
    response = await client.get(path, params={parameter: value, **others}, headers=admin_key)
    assert response.status_code == 422, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"][:2] == ["query", parameter]


async def next_cursors(client: httpx.AsyncClient, key: Headers) -> dict[str, str]:
    """A genuine `next_cursor` of every list (two rows each, pages of one; two keys given)."""
    now = datetime.now(UTC)
    events = [
        {"event_id": f"e{i}", "channel": "pos", "nps": 0, "respondent": {"id": "c1"},
         "occurred_at": (now - timedelta(days=1, minutes=i)).isoformat()}
        for i in range(2)
    ]  # fmt: skip
    stored = await client.post("/v1/feedback/batch", json={"events": events}, headers=key)
    assert stored.json()["accepted"] == 2, stored.text
    hooks = []
    for name in ("vie-07", "vie-08"):
        body = {"name": name, "timezone": "Europe/Vienna"}
        await client.put(f"/v1/locations/{name}", json=body, headers=key)
        hook = {"url": f"https://crm.example.com/{name}", "event_types": ["feedback.created"]}
        hooks.append((await client.post("/v1/webhooks", json=hook, headers=key)).json()["id"])
    lists = {
        "keys": "/v1/keys", "locations": "/v1/locations", "feedback": "/v1/feedback",
        "follow-ups": "/v1/follow-ups", "webhooks": "/v1/webhooks",
    }  # fmt: skip
    cursors = {}
    for name, path in lists.items():
        page = await client.get(path, params={"limit": 1}, headers=key)
        assert page.json()["next_cursor"], (name, page.text)
        cursors[name] = page.json()["next_cursor"]
    return cursors


async def test_a_cursor_of_another_list_is_422(
    client: httpx.AsyncClient, admin_key: Headers, read_key: Headers
) -> None:
    cursors = await next_cursors(client, admin_key)
    hook = (await client.get("/v1/webhooks", headers=admin_key)).json()["items"][0]["id"]
    lists = {
        "keys": "/v1/keys", "locations": "/v1/locations", "feedback": "/v1/feedback",
        "follow-ups": "/v1/follow-ups", "webhooks": "/v1/webhooks",
        "deliveries": f"/v1/webhooks/{hook}/deliveries",
    }  # fmt: skip
    for name, path in lists.items():
        for source, cursor in cursors.items():
            response = await client.get(path, params={"cursor": cursor}, headers=admin_key)
            if source == name:
                assert response.status_code == 200, (name, response.text)
            else:  # a feedback cursor fits the follow-ups' keyset, a webhooks' one the
                # deliveries' (in the other order): both were taken, a page of something else
                assert response.status_code == 422, (source, name, response.text)
                assert response.json()["errors"][0]["loc"] == ["query", "cursor"]
