"""A key bound to a branch (`location_id`) reads and works that branch only (OWASP API1).

The vie-07 read key listed ber-01's events, its cases key patched ber-01's cases:
the binding was stored and never applied. Now every read a bound key makes is
limited to its branch (another branch asked for by name is a 403; a single event
or case of another branch is a 404, as if it did not exist), and so is every
write a bound cases key can make. Admin keys cannot be bound (422).
"""

import json
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Headers, MakeKey

PROBLEM = "application/problem+json"
WINDOW = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}


def event(event_id: str, location_id: str, nps: int) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "channel": "pos",
        "occurred_at": "2026-11-24T09:00:00Z",
        "location_id": location_id,
        "employee_id": f"emp-{location_id}",
        "respondent": {"id": f"cust-{event_id}"},
        "nps": nps,
    }


@pytest.fixture
async def two_branches(client: httpx.AsyncClient, make_key: MakeKey) -> None:
    """Three events at vie-07, two at ber-01; the detractors (nps 2) open cases."""
    events = [event("vie-a", "vie-07", 9), event("vie-b", "vie-07", 10)]
    events += [event("vie-c", "vie-07", 2), event("ber-a", "ber-01", 2)]
    events += [event("ber-b", "ber-01", 8)]
    ingest = await make_key("ingest")
    response = await client.post("/v1/feedback/batch", json={"events": events}, headers=ingest)
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == 0, response.text


async def get(client: httpx.AsyncClient, path: str, key: Headers, **params: Any) -> Any:
    response = await client.get(path, params=params, headers=key)
    assert response.status_code == 200, response.text
    json_body = response.headers["content-type"].startswith("application/json")
    return response.json() if json_body else response.text


@pytest.mark.usefixtures("two_branches")
async def test_a_bound_read_key_reads_its_branch_only(
    client: httpx.AsyncClient, make_key: MakeKey
) -> None:
    vie = await make_key("read", location_id="vie-07")
    everyone = await make_key("read")
    listed = await get(client, "/v1/feedback", vie, **WINDOW)
    assert sorted(e["event_id"] for e in listed["items"]) == ["vie-a", "vie-b", "vie-c"]
    assert len((await get(client, "/v1/feedback", everyone, **WINDOW))["items"]) == 5
    asked = await get(client, "/v1/feedback", vie, location_id="vie-07", **WINDOW)
    assert len(asked["items"]) == 3
    export = await get(client, "/v1/feedback/export", vie, format="ndjson", **WINDOW)
    exported = sorted(json.loads(line)["event_id"] for line in export.splitlines())
    assert exported == ["vie-a", "vie-b", "vie-c"]
    assert (await client.get("/v1/feedback/vie-a", headers=vie)).status_code == 200
    other = await client.get("/v1/feedback/ber-a", headers=vie)
    assert other.status_code == 404, other.text
    assert other.headers["content-type"] == PROBLEM
    summary = await get(client, "/v1/metrics/summary", vie, **WINDOW)
    assert summary["metrics"]["volume"] == {"n": 3}
    groups = await get(
        client, "/v1/metrics/breakdown", vie, group_by="location_id", metric="nps", **WINDOW
    )
    assert [g["group"] for g in groups["rows"]] == ["vie-07"]
    loop = await get(client, "/v1/metrics/follow-ups", vie, **WINDOW)
    assert loop["overall"]["cases"] == 1
    cases = await get(client, "/v1/follow-ups", vie)
    assert [c["event_id"] for c in cases["items"]] == ["vie-c"]
    every_case = await get(client, "/v1/follow-ups", everyone)
    ids = {c["event_id"]: c["id"] for c in every_case["items"]}
    assert set(ids) == {"vie-c", "ber-a"}
    assert (await client.get(f"/v1/follow-ups/{ids['vie-c']}", headers=vie)).status_code == 200
    hidden = await client.get(f"/v1/follow-ups/{ids['ber-a']}", headers=vie)
    assert hidden.status_code == 404, hidden.text
    assert hidden.headers["content-type"] == PROBLEM


async def test_every_read_naming_another_branch_is_refused(
    app: FastAPI, client: httpx.AsyncClient, make_key: MakeKey
) -> None:
    """The whole class: every GET that takes `location_id` refuses a bound key's request
    for another branch (403), and also a list naming its own and another."""
    vie = await make_key("read", location_id="vie-07")
    checked = []
    for path, operations in app.openapi()["paths"].items():
        operation = operations.get("get")
        if not path.startswith("/v1/") or operation is None:
            continue
        name = operation["operationId"]
        parameters = operation.get("parameters", [])
        if not any(p["name"] == "location_id" and p["in"] == "query" for p in parameters):
            continue
        for asked in ("ber-01", "vie-07,ber-01"):
            response = await client.get(path, params={"location_id": asked}, headers=vie)
            assert response.status_code == 403, (name, asked, response.text)
            assert response.headers["content-type"] == PROBLEM
            assert "bound to location 'vie-07'" in response.text, name
        checked.append(name)
    assert {"list_feedback", "export_feedback", "list_follow_ups", "metrics_summary"} <= set(
        checked
    )
    assert len(checked) >= 11, checked


@pytest.mark.usefixtures("two_branches")
async def test_a_bound_cases_key_works_its_branch_only(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection
) -> None:
    vie = await make_key("cases", location_id="vie-07")
    ids = {
        c["event_id"]: c["id"]
        for c in (await get(client, "/v1/follow-ups", await make_key("read")))["items"]
    }
    patch = {"assignee": "anna"}
    other = await client.patch(f"/v1/follow-ups/{ids['ber-a']}", json=patch, headers=vie)
    assert other.status_code == 404, other.text
    assert other.headers["content-type"] == PROBLEM
    stored = await conn.fetchrow(
        "SELECT f.assignee, (SELECT count(*) FROM follow_up_changes c "
        "WHERE c.follow_up_id = f.id) FROM follow_ups f WHERE f.id = $1",
        ids["ber-a"],
    )
    assert stored is not None
    assert tuple(stored) == (None, 1)  # unassigned; only its "opened" change
    own = await client.patch(f"/v1/follow-ups/{ids['vie-c']}", json=patch, headers=vie)
    assert own.status_code == 200, own.text
    assert own.json()["assignee"] == "anna"


@pytest.mark.parametrize("scope", ["read", "cases"])
async def test_read_and_cases_keys_can_be_bound(
    client: httpx.AsyncClient, admin_key: Headers, scope: str
) -> None:
    spec = {"name": "branch manager vie-07", "scope": scope, "location_id": "vie-07"}
    response = await client.post("/v1/keys", json=spec, headers=admin_key)
    assert response.status_code == 201, response.text
    assert response.json()["location_id"] == "vie-07"
