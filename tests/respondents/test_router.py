"""Data rights over HTTP: access, erasure (with tombstones and an audit row), on the
rolled-back test transaction."""

import io
import logging
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Headers, RollUp

WHO = "crm-4711/x"  # a "/" in the id: the routes must take it whole


def event(event_id: str, respondent: str | None = WHO, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "channel": "pos",
        "occurred_at": "2026-11-24T09:00:00Z",
        "location_id": "vie-07",
        **({"respondent": {"id": respondent}} if respondent else {}),
        **fields,
    }


MINE = [
    event("m1", nps=3, comment="Rude staff", contact={"name": "Anna K", "phone": "+43 660 1"}),
    event("m2", nps=9, tags=["staff"], attributes={"basket": 3}),
    event("m3", csat=5, comment="Fine", occurred_at="2026-11-23T10:00:00Z"),
]
OTHERS = [
    event("o1", respondent="crm-other", nps=2, contact={"email": "o@example.com"}),
    event("o2", respondent=None, nps=10, comment="Great"),
]


async def post(client: httpx.AsyncClient, key: Headers, events: list[dict[str, Any]]) -> Any:
    response = await client.post("/v1/feedback/batch", json={"events": events}, headers=key)
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == 0, response.text
    return response.json()


@pytest.fixture
async def stored(client: httpx.AsyncClient, admin_key: Headers) -> int:
    """MINE and OTHERS stored; m1 opened a case, worked with a note. Returns its id."""
    await post(client, admin_key, MINE + OTHERS)
    cases = (await client.get("/v1/follow-ups", headers=admin_key)).json()["items"]
    case = next(c for c in cases if c["event_id"] == "m1")
    patch = {"contact_attempt": {"channel": "phone", "outcome": "reached", "note": "Said sorry"}}
    response = await client.patch(f"/v1/follow-ups/{case['id']}", json=patch, headers=admin_key)
    assert response.status_code == 200, response.text
    return int(case["id"])


async def test_access_returns_events_contacts_and_cases_with_history(
    client: httpx.AsyncClient, admin_key: Headers, stored: int
) -> None:
    response = await client.get(f"/v1/respondents/{WHO}/data", headers=admin_key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["respondent_id"] == WHO
    assert [e["event_id"] for e in body["events"]] == ["m3", "m1", "m2"]
    assert body["events"][1]["contact"] == {"name": "Anna K", "email": None, "phone": "+43 660 1"}
    assert body["events"][1]["comment"] == "Rude staff"
    assert body["events"][2]["contact"] is None
    assert body["events"][2]["attributes"] == {"basket": 3}
    [case] = body["follow_ups"]
    assert case["id"] == stored
    assert [c["kind"] for c in case["history"]] == ["opened", "contact_attempt", "status"]
    assert case["history"][1]["contact"]["note"] == "Said sorry"


async def test_access_needs_an_admin_key_and_unknown_is_a_problem_404(
    client: httpx.AsyncClient, admin_key: Headers, read_key: Headers, stored: int
) -> None:
    forbidden = await client.get(f"/v1/respondents/{WHO}/data", headers=read_key)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == "application/problem+json"
    refused = await client.delete(f"/v1/respondents/{WHO}", headers=read_key)
    assert refused.status_code == 403
    missing = await client.get("/v1/respondents/nobody/data", headers=admin_key)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"] == "urn:feedback:problem:not-found"


async def test_erasure_removes_everything_of_the_respondent_and_nothing_else(
    client: httpx.AsyncClient, admin_key: Headers, stored: int
) -> None:
    response = await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)
    assert response.status_code == 200, response.text
    erased = response.json()
    assert {k: v for k, v in erased.items() if k not in ("erasure_id", "at")} == {
        "events": 3, "contacts": 1, "comments": 2, "follow_ups": 1, "follow_up_changes": 3,
        "ledger_tombstones": 3, "webhook_messages": 0, "redacted": 0,
    }  # fmt: skip
    gone = await client.get(f"/v1/respondents/{WHO}/data", headers=admin_key)
    assert gone.status_code == 404
    assert (await client.get("/v1/feedback/m1", headers=admin_key)).status_code == 404
    assert (await client.get(f"/v1/follow-ups/{stored}", headers=admin_key)).status_code == 404
    listed = await client.get("/v1/feedback", params={"from": "2026-11-01"}, headers=admin_key)
    assert [e["event_id"] for e in listed.json()["items"]] == ["o1", "o2"]
    other = (await client.get("/v1/respondents/crm-other/data", headers=admin_key)).json()
    assert other["events"][0]["contact"]["email"] == "o@example.com"
    assert len(other["follow_ups"]) == 1

    again = await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)
    assert again.status_code == 200
    counts = {k: v for k, v in again.json().items() if k not in ("erasure_id", "at")}
    assert set(counts.values()) == {0}
    assert again.json()["erasure_id"] > erased["erasure_id"]


async def test_a_replay_of_an_erased_event_is_refused_as_gone_and_stores_nothing(
    client: httpx.AsyncClient, admin_key: Headers, stored: int, app: FastAPI
) -> None:
    """Honest: not stored, now or ever, whatever the body; a 410 tells a retrying client
    to stop (it was a 200 with the body sent, as if stored)."""
    await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)
    response = await client.post("/v1/feedback/batch", json={"events": MINE}, headers=admin_key)
    batch = response.json()
    assert (batch["accepted"], batch["duplicates"], batch["rejected"]) == (0, 0, 3)
    for item in batch["items"]:
        assert item["status"] == "rejected"
        assert item["problem"]["status"] == 410
        assert item["problem"]["type"] == "urn:feedback:problem:erased"
    for body in (MINE[0], {**MINE[1], "nps": 0}):  # the same body, and another one
        single = await client.post("/v1/feedback", json=body, headers=admin_key)
        assert single.status_code == 410, single.text
        assert single.headers["content-type"] == "application/problem+json"
        assert "erased at its respondent's request" in single.json()["detail"]
    conn = app.state.db.conn
    assert (
        await conn.fetchval("SELECT count(*) FROM feedback_events WHERE respondent_id = $1", WHO)
        == 0
    )
    ledger = await conn.fetch(
        "SELECT event_pk, occurred_at, body_hash FROM feedback_event_ids "
        "WHERE event_id = ANY($1::text[])",
        ["m1", "m2", "m3"],
    )
    assert [tuple(r.values()) for r in ledger] == [(None, None, None)] * 3
    assert (await client.get(f"/v1/respondents/{WHO}/data", headers=admin_key)).status_code == 404


async def test_audit_row_and_log_hold_no_personal_data(
    client: httpx.AsyncClient,
    admin_key: Headers,
    stored: int,
    app: FastAPI,
) -> None:
    # A handler of our own rather than caplog: the suite may run with `-p no:logging`.
    # On the service's loggers (`app.*`): the test client (httpx) logs the URL it calls.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger("app")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        response = await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert response.status_code == 200
    audit = await app.state.db.conn.fetch("SELECT row_to_json(a)::text AS row FROM erasures a")
    assert len(audit) == 1
    logged = stream.getvalue()
    assert "erasure" in logged
    for secret in (WHO, "crm-4711", "Anna K", "+43 660 1", "Rude staff", "Said sorry"):
        assert secret not in audit[0]["row"]
        assert secret not in logged
    assert '"events":3' in audit[0]["row"]


async def test_erasure_takes_rolled_up_events_out_of_the_metrics(
    client: httpx.AsyncClient, admin_key: Headers, stored: int, roll_up: RollUp
) -> None:
    await roll_up(("UTC", "Europe/Vienna"), None)
    window = {"from": "2026-11-01", "to": "2026-12-01", "metrics": "nps,csat,volume"}
    before = (await client.get("/v1/metrics/summary", params=window, headers=admin_key)).json()
    assert before["metrics"]["volume"]["n"] == 5
    await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)
    after = (await client.get("/v1/metrics/summary", params=window, headers=admin_key)).json()
    assert after["metrics"]["volume"]["n"] == 2
    assert after["metrics"]["nps"]["counts"] == {"promoters": 1, "passives": 0, "detractors": 1}
    assert after["metrics"]["csat"]["n"] == 0


async def test_erasure_deletes_the_webhook_messages_about_the_respondent(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI
) -> None:
    subscription = {
        "url": "https://crm.example.com/hooks/feedback",
        "event_types": ["feedback.created", "follow_up.opened", "follow_up.updated"],
    }
    created = await client.post("/v1/webhooks", json=subscription, headers=admin_key)
    assert created.status_code == 201, created.text
    await post(client, admin_key, MINE + OTHERS)
    case = next(
        c
        for c in (await client.get("/v1/follow-ups", headers=admin_key)).json()["items"]
        if c["event_id"] == "m1"
    )
    patch = {"assignee": "agent-7"}
    assert (
        await client.patch(f"/v1/follow-ups/{case['id']}", json=patch, headers=admin_key)
    ).status_code == 200

    erased = (await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)).json()
    # m1, m2, m3 created; m1's case opened and updated. The others' three stay.
    assert erased["webhook_messages"] == 5
    left = await app.state.db.conn.fetch(
        "SELECT event_type, payload -> 'data' ->> 'event_id' AS event_id FROM webhook_messages"
    )
    assert sorted((r["event_type"], r["event_id"]) for r in left) == [
        ("feedback.created", "o1"), ("feedback.created", "o2"), ("follow_up.opened", "o1"),
    ]  # fmt: skip
    rows = await app.state.db.conn.fetch("SELECT payload::text AS body FROM webhook_messages")
    assert not any(WHO in r["body"] or "Rude staff" in r["body"] for r in rows)


@pytest.mark.parametrize("bad_id", ["a\nb", "\r", "x\ty", "tail\x7f", "\x00"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/v1/respondents/{}"),
        ("GET", "/v1/respondents/{}/data"),
        ("GET", "/v1/feedback/{}"),
    ],
)
async def test_an_id_with_a_control_character_is_refused_not_unrouted(
    client: httpx.AsyncClient, admin_key: Headers, method: str, path: str, bad_id: str
) -> None:
    """Ids are printable: one with a newline or another control character gets the
    422 of its validation, not a 404 as if the route did not exist (Starlette's
    `path` stopped at a newline; found by schemathesis)."""
    response = await client.request(method, path.format(quote(bad_id, safe="")), headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
