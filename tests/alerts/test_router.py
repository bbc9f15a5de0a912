"""The alerts API: listing with filters, cursor and CSV, one alert, acknowledging, and the
rules; who may do what."""

import csv
import io
from datetime import datetime, timedelta

import asyncpg
import httpx
import pytest

from app.alerts.service import run_round
from tests.alerts.test_service import CONTEXT, DIP, NORMAL, answers, nps_only
from tests.conftest import Headers, MakeKey, RollUp


@pytest.fixture
async def two_alerts(conn: asyncpg.Connection, roll_up: RollUp) -> datetime:
    """Two branches that dip (one open alert each), one that does not."""
    now: datetime = await conn.fetchval("SELECT date_trunc('hour', now())")
    await nps_only(conn, dimensions=["location_id"])
    start = now.replace(hour=0) - timedelta(days=90)
    for location in ("a", "b", "c"):
        await answers(conn, location, start, 80, NORMAL)
    await answers(conn, "a", start + timedelta(days=80), 10, DIP)
    await answers(conn, "b", start + timedelta(days=80), 10, DIP)
    await answers(conn, "c", start + timedelta(days=80), 10, NORMAL)
    await roll_up(("UTC",), None)
    assert (await run_round(conn, CONTEXT, now=now)).opened == 2
    return now


async def test_list_filter_page_and_csv(
    two_alerts: datetime, client: httpx.AsyncClient, read_key: Headers
) -> None:
    listed = await client.get("/v1/alerts", headers=read_key)
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert sorted(a["scope"]["value"] for a in items) == ["a", "b"]
    assert all(a["status"] == "open" and a["metric"] == "nps" for a in items)

    only_a = await client.get("/v1/alerts?location_id=a", headers=read_key)
    assert [a["scope"]["value"] for a in only_a.json()["items"]] == ["a"]
    assert (await client.get("/v1/alerts?status=resolved", headers=read_key)).json()["items"] == []
    assert (await client.get("/v1/alerts?metric=csat", headers=read_key)).json()["items"] == []
    later = (two_alerts + timedelta(days=1)).isoformat()
    before = await client.get("/v1/alerts", params={"to": two_alerts.isoformat()}, headers=read_key)
    assert before.json()["items"] == []  # opened at `two_alerts`: not before it
    assert len((await client.get("/v1/alerts", params={"to": later}, headers=read_key)).json()[
        "items"]) == 2  # fmt: skip

    first = await client.get("/v1/alerts?limit=1", headers=read_key)
    cursor = first.json()["next_cursor"]
    assert cursor
    second = await client.get("/v1/alerts", params={"limit": 1, "cursor": cursor}, headers=read_key)
    assert second.json()["next_cursor"] is None
    assert first.json()["items"][0]["id"] != second.json()["items"][0]["id"]

    table = await client.get("/v1/alerts?format=csv", headers=read_key)
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert sorted(r["value"] for r in rows) == ["a", "b"]
    assert all(float(r["change"]) < -40 and r["direction"] == "down" for r in rows)


@pytest.mark.parametrize(
    "instant",
    [
        "0001-01-01T00:00:00+14:00",  # year 0 in UTC: the driver could not encode it (a 500)
        "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
        "1899-12-31T23:59:59+00:00",  # before what a query may name
        "2026-11-01T00:00:00",  # no offset: which instant is meant?
    ],
)
async def test_out_of_range_instants_are_refused_plainly(
    client: httpx.AsyncClient, read_key: Headers, instant: str
) -> None:
    for name in ("from", "to"):
        answer = await client.get("/v1/alerts", params={name: instant}, headers=read_key)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert name in answer.text


async def test_one_alert_and_branch_bound_keys(
    two_alerts: datetime, client: httpx.AsyncClient, read_key: Headers, make_key: MakeKey
) -> None:
    (alert,) = (await client.get("/v1/alerts?location_id=a", headers=read_key)).json()["items"]
    one = await client.get(f"/v1/alerts/{alert['id']}", headers=read_key)
    assert one.json() == alert
    assert (await client.get("/v1/alerts/999999", headers=read_key)).status_code == 404

    bound = await make_key("read", location_id="b")
    seen = (await client.get("/v1/alerts", headers=bound)).json()["items"]
    assert [a["scope"]["value"] for a in seen] == ["b"]
    assert (await client.get(f"/v1/alerts/{alert['id']}", headers=bound)).status_code == 404
    assert (await client.get("/v1/alerts?location_id=a", headers=bound)).status_code == 403


async def test_acknowledge_needs_a_cases_key_and_can_be_taken_back(
    two_alerts: datetime, client: httpx.AsyncClient, read_key: Headers, make_key: MakeKey
) -> None:
    (alert,) = (await client.get("/v1/alerts?location_id=a", headers=read_key)).json()["items"]
    path = f"/v1/alerts/{alert['id']}"
    assert (
        await client.patch(path, json={"acknowledged": True}, headers=read_key)
    ).status_code == 403
    cases = await make_key("cases")
    done = await client.patch(path, json={"acknowledged": True, "acknowledged_by": "ines.costa"},
                              headers=cases)  # fmt: skip
    assert done.json()["acknowledged_by"] == "ines.costa"
    assert done.json()["acknowledged_at"] is not None
    noted = await client.patch(path, json={"note": "Card terminal replaced"}, headers=cases)
    assert noted.json()["acknowledged_by"] == "ines.costa"  # left out: kept
    undone = await client.patch(path, json={"acknowledged": False, "muted_until": None},
                                headers=cases)  # fmt: skip
    assert (undone.json()["acknowledged_at"], undone.json()["note"]) == (
        None,
        "Card terminal replaced",
    )
    bad = await client.patch(path, json={"muted_until": "2026-01-01T00:00:00"}, headers=cases)
    assert bad.status_code == 422  # no offset: refused
    assert bad.headers["content-type"] == "application/problem+json"
    unknown = await client.patch(path, json={"snooze": True}, headers=cases)
    assert unknown.status_code == 422


async def test_rules_are_admin_only_validated_and_kept(
    client: httpx.AsyncClient, read_key: Headers, admin_key: Headers
) -> None:
    assert (await client.get("/v1/alert-rules", headers=read_key)).status_code == 403
    defaults = (await client.get("/v1/alert-rules", headers=admin_key)).json()
    assert defaults["metrics"]["nps"] == {"enabled": True, "min_change": None}
    assert (defaults["threshold"], defaults["fdr"], defaults["improvements"]) == (8.0, 0.05, False)
    changed = await client.put(
        "/v1/alert-rules",
        json={"metrics": {"nps": {"min_change": 15}}, "dimensions": ["chain", "location_id"],
              "improvements": True},
        headers=admin_key,
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    kept = (await client.get("/v1/alert-rules", headers=admin_key)).json()
    assert kept["metrics"]["nps"]["min_change"] == 15
    assert kept["metrics"]["csat"] == {"enabled": True, "min_change": None}  # left out: default
    assert kept["dimensions"] == ["chain", "location_id"]
    refusals: list[dict[str, object]] = [
        {"fdr": 0}, {"dimensions": []}, {"metrics": {"nps_typo": {}}}, {"window_days": 3},
        {"metrics": {"nps": {"min_change": -1}}},
    ]  # fmt: skip
    for body in refusals:
        refused = await client.put("/v1/alert-rules", json=body, headers=admin_key)
        assert refused.status_code == 422, body
        assert refused.headers["content-type"] == "application/problem+json"
