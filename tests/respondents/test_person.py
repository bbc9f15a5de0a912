"""Data rights by the data itself: a person found and erased by e-mail or phone (in the
body, never the URL), and every copy of their contact data reached (case notes and
resolutions, webhook bodies, others' comments and attributes), on the rolled-back test
transaction. Fixed instants only."""

from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Headers

EMAIL = "anna.k@example.com"
PHONE_DIGITS = "436601234567"
SUBSCRIPTION = {
    "url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created", "follow_up.opened", "follow_up.updated",
                    "follow_up.resolved"],
}  # fmt: skip


def event(event_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "channel": "web",
        "occurred_at": "2026-11-24T09:00:00Z",
        "location_id": "vie-07",
        **fields,
    }


# A widget answer: contact details, no respondent.id; a detractor, so it opens a case.
WIDGET = event(
    "w1", nps=2, comment="Slow",
    contact={"name": "Anna K", "email": "Anna.K@Example.com", "phone": "+43 660 123-4567"},
)  # fmt: skip
# Someone else's answer that names her, in its comment and its attributes.
MENTIONING = event(
    "x1",
    respondent={"id": "crm-9"},
    nps=1,
    comment="My wife (ANNA.K@example.com, 0043 660 1234567) was served before me.",
    attributes={"referrer": "anna.k@example.com", "callback": 436601234567, "basket": 2},
)
UNRELATED = event("u1", nps=9, comment="Great, call 0660 1234567 anytime",
                  contact={"email": "bob@example.com"})  # fmt: skip


async def post(client: httpx.AsyncClient, key: Headers, events: list[dict[str, Any]]) -> None:
    response = await client.post("/v1/feedback/batch", json={"events": events}, headers=key)
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == 0, response.text


async def case_of(client: httpx.AsyncClient, key: Headers, event_id: str) -> int:
    cases = (await client.get("/v1/follow-ups", headers=key)).json()["items"]
    return int(next(c["id"] for c in cases if c["event_id"] == event_id))


async def patch(client: httpx.AsyncClient, key: Headers, case: int, body: Any) -> None:
    response = await client.patch(f"/v1/follow-ups/{case}", json=body, headers=key)
    assert response.status_code == 200, response.text


@pytest.fixture
async def stored(client: httpx.AsyncClient, admin_key: Headers) -> int:
    """A webhook subscription, WIDGET, MENTIONING and UNRELATED; the case of MENTIONING
    worked with her e-mail and number pasted into a note and the resolution (webhook
    messages about it copy them). Returns that case's id."""
    created = await client.post("/v1/webhooks", json=SUBSCRIPTION, headers=admin_key)
    assert created.status_code == 201, created.text
    await post(client, admin_key, [WIDGET, MENTIONING, UNRELATED])
    case = await case_of(client, admin_key, "x1")
    note = "Wife asked us to write to Anna.K@example.com instead"
    attempt = {"channel": "phone", "outcome": "reached", "note": note}
    await patch(client, admin_key, case, {"contact_attempt": attempt})
    resolution = "Voucher mailed to anna.k@example.com, SMS to +43 (660) 123 45 67."
    await patch(client, admin_key, case, {"status": "resolved", "resolution": resolution})
    return case


# Every text-like column of every table: where a copy of her e-mail could hide.
COLUMNS_SQL = """
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = current_schema()
  AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
  AND table_name IN (SELECT table_name FROM information_schema.tables
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
  -- a partition's rows are read through its parent (feedback_events by month)
  AND NOT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = current_schema() AND c.relname = table_name
                    AND c.relispartition)
"""


async def places_holding(conn: asyncpg.Connection, needle: str) -> list[str]:
    """`table.column` of every stored value whose text contains `needle`, any case."""
    found = []
    for column in await conn.fetch(COLUMNS_SQL):
        table, name = column["table_name"], column["column_name"]
        hits = await conn.fetchval(
            f'SELECT count(*) FROM "{table}" WHERE strpos(lower("{name}"::text), $1) > 0',
            needle.lower(),
        )
        if hits:
            found.append(f"{table}.{name}")
    return sorted(found)


async def test_a_widget_answer_without_respondent_id_is_found_by_email_and_by_phone(
    client: httpx.AsyncClient, admin_key: Headers, stored: int
) -> None:
    for query in ({"email": "  ANNA.K@example.COM "}, {"phone": "0043 (660) 123-45-67"},
                  {"phone": "+436601234567"}):  # fmt: skip
        response = await client.post("/v1/respondents/search", json=query, headers=admin_key)
        assert response.status_code == 200, (query, response.text)
        body = response.json()
        assert [e["event_id"] for e in body["events"]] == ["w1"], query
        assert body["events"][0]["contact"]["email"] == "Anna.K@Example.com"
        assert body["events"][0]["comment"] == "Slow"
        assert [c["event_id"] for c in body["follow_ups"]] == ["w1"]
        # Her other identifier was found on her answer and followed.
        assert body["matched"]["emails"] == [EMAIL]
        assert body["matched"]["phones"] == [PHONE_DIGITS]
        places = {(m["place"], m["ref"]) for m in body["mentions"]}
        assert {
            ("feedback_events.comment", "x1"), ("feedback_events.attributes", "x1"),
            ("follow_ups.resolution", str(stored)), ("follow_up_changes.note", str(stored)),
            ("follow_up_changes.resolution", str(stored)),
        } <= places  # fmt: skip
        assert any(p == "webhook_messages.payload" for p, _ in places)
        # A national spelling is another number; bob's answer is not hers.
        assert not any(ref == "u1" for _, ref in places)


async def test_search_takes_exactly_one_valid_identifier_and_answers_404_for_nobody(
    client: httpx.AsyncClient, admin_key: Headers, read_key: Headers, stored: int
) -> None:
    url = "/v1/respondents/search"
    for body in ({}, {"email": EMAIL, "phone": "+43 660 1234567"}, {"email": "not-an-address"},
                 {"phone": "12 34"}, {"phone": "call me"}, {"name": "Anna"}):  # fmt: skip
        response = await client.post(url, json=body, headers=admin_key)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.post(url, json={"email": EMAIL}, headers=read_key)).status_code == 403
    missing = await client.post(url, json={"email": "nobody@example.com"}, headers=admin_key)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    refused = await client.post("/v1/respondents/erase", json={"phone": "1"}, headers=admin_key)
    assert refused.status_code == 422


@pytest.mark.parametrize(
    "query", [{"email": " Anna.K@EXAMPLE.com"}, {"phone": "00 43 660 1234567"}]
)
async def test_erasure_by_email_or_phone_leaves_her_email_nowhere_in_the_database(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI, stored: int,
    query: dict[str, str],
) -> None:  # fmt: skip
    conn = app.state.db.conn
    assert "feedback_contacts.email" in await places_holding(conn, EMAIL)
    response = await client.post("/v1/respondents/erase", json=query, headers=admin_key)
    assert response.status_code == 200, response.text
    erased = response.json()
    assert (erased["events"], erased["contacts"], erased["follow_ups"]) == (1, 1, 1)
    assert erased["redacted"] >= 5  # x1 (comment, attributes), its case, history, bodies
    assert await places_holding(conn, EMAIL) == []
    for spelling in ("660 123-4567", "0043 660 1234567", "+43 (660) 123 45 67", PHONE_DIGITS):
        assert await places_holding(conn, spelling) == [], spelling
    # A national spelling is another number: u1's comment (and its webhook body) keep it.
    assert await places_holding(conn, "0660 1234567") == [
        "feedback_events.comment", "webhook_messages.payload",
    ]  # fmt: skip
    # Her answer is gone; the others stay, with the text that named her redacted.
    assert (await client.get("/v1/feedback/w1", headers=admin_key)).status_code == 404
    x1 = (await client.get("/v1/feedback/x1", headers=admin_key)).json()
    assert x1["comment"] == "My wife ([erased], [erased]) was served before me."
    assert x1["attributes"] == {"referrer": "[erased]", "callback": "[erased]", "basket": 2}
    case = (await client.get(f"/v1/follow-ups/{stored}", headers=admin_key)).json()
    assert case["resolution"] == "Voucher mailed to [erased], SMS to [erased]."
    payloads = await conn.fetch("SELECT payload::text AS doc FROM webhook_messages")
    assert any("[erased]" in r["doc"] for r in payloads)
    bob = await client.post("/v1/respondents/search", json={"email": "bob@example.com"},
                            headers=admin_key)  # fmt: skip
    assert [e["event_id"] for e in bob.json()["events"]] == ["u1"]
    # The audit row holds counts, not what was asked for, nor a hash of it.
    audit = await conn.fetchrow("SELECT * FROM erasures WHERE id = $1", erased["erasure_id"])
    assert not any(isinstance(v, str | bytes) for v in dict(audit).values())

    again = await client.post("/v1/respondents/erase", json=query, headers=admin_key)
    counts = {k: v for k, v in again.json().items() if k not in ("erasure_id", "at")}
    assert set(counts.values()) == {0}


async def test_erasure_by_id_also_clears_case_resolutions_and_webhook_bodies_naming_them(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI, stored: int
) -> None:
    """The issue's dump: after erasing a respondent by id, their e-mail was still in a case
    resolution and a webhook body (of other rows). The e-mail and phone of their contact
    data are erased wherever they were copied, and their other answers (by that e-mail,
    without a respondent id) go with them."""
    await post(client, admin_key, [event("r1", respondent={"id": "crm-anna"}, csat=4,
                                         contact={"email": EMAIL})])  # fmt: skip
    conn = app.state.db.conn
    response = await client.delete("/v1/respondents/crm-anna", headers=admin_key)
    assert response.status_code == 200, response.text
    case = (await client.get(f"/v1/follow-ups/{stored}", headers=admin_key)).json()
    assert case["resolution"] == "Voucher mailed to [erased], SMS to [erased]."
    assert await places_holding(conn, EMAIL) == []
    for spelling in ("660 123-4567", "0043 660 1234567", "+43 (660) 123 45 67", PHONE_DIGITS):
        assert await places_holding(conn, spelling) == [], spelling
    assert response.json()["events"] == 2  # r1, and w1 (her widget answer, by e-mail)
