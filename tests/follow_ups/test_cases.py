"""Follow-up cases over HTTP: opened by rules in the ingest statement, worked by PATCH."""

from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Headers, MakeKey


def event(event_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "channel": "pos",
        "occurred_at": "2026-11-24T09:00:00Z",
        "location_id": "vie-07",
        "respondent": {"id": "cust-1"},
        **fields,
    }


async def post(client: httpx.AsyncClient, key: Headers, *events: dict[str, Any]) -> None:
    response = await client.post("/v1/feedback/batch", json={"events": list(events)}, headers=key)
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == 0, response.text


async def cases(client: httpx.AsyncClient, key: Headers, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/follow-ups", params=params, headers=key)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.fixture
async def cases_key(make_key: MakeKey) -> Headers:
    return await make_key("cases")


async def test_default_rules_open_one_case_per_qualifying_event(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    await post(
        client,
        ingest_key,
        event("detractor", nps=6),
        event("passive", nps=7),
        event("unhappy-csat", csat=2),
        event("ok-csat", csat=3),
        event("hard", ces=2),
        event("asked", nps=9, follow_up_requested=True),
        event("two-reasons", nps=0, csat=1),
        event("staff", nps=0, respondent={"id": "emp-1", "type": "employee"}),
        event("internal", nps=2, respondent={"id": "dept-it", "type": "internal"}),
    )
    # A replay opens nothing more.
    await post(client, ingest_key, event("detractor", nps=6))
    found = {c["event_id"]: c for c in await cases(client, read_key)}
    assert set(found) == {"detractor", "unhappy-csat", "hard", "asked", "two-reasons", "internal"}
    assert found["two-reasons"]["reasons"] == ["csat-low", "nps-detractor"]
    assert found["asked"]["reasons"] == ["follow-up-requested"]
    case = found["detractor"]
    assert (case["status"], case["assignee"], case["nps"]) == ("open", None, 6)
    assert (case["location_id"], case["channel"], case["respondent_id"]) == (
        "vie-07",
        "pos",
        "cust-1",
    )
    detail = await client.get(f"/v1/follow-ups/{case['id']}", headers=read_key)
    assert [h["kind"] for h in detail.json()["history"]] == ["opened"]
    assert detail.json()["history"][0]["to_status"] == "open"


async def test_single_event_route_opens_a_case_too(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    response = await client.post("/v1/feedback", json=event("single", nps=1), headers=ingest_key)
    assert response.status_code == 201, response.text
    assert [c["event_id"] for c in await cases(client, read_key)] == ["single"]


async def test_rules_are_replaced_as_a_whole(
    client: httpx.AsyncClient, ingest_key: Headers, admin_key: Headers, read_key: Headers
) -> None:
    defaults = await client.get("/v1/follow-up-rules", headers=admin_key)
    assert [r["name"] for r in defaults.json()["rules"]] == [
        "ces-hard",
        "csat-low",
        "follow-up-requested",
        "nps-detractor",
    ]
    rules = {
        "rules": [
            {"name": "nps-angry", "score": "nps", "min_score": 0, "max_score": 3},
            {"name": "staff-unhappy", "score": "nps", "min_score": 0, "max_score": 4,
             "respondent_types": ["employee"]},
            {"name": "off", "score": "csat", "min_score": 1, "max_score": 5, "enabled": False},
        ]
    }  # fmt: skip
    put = await client.put("/v1/follow-up-rules", json=rules, headers=admin_key)
    assert put.status_code == 200, put.text
    assert [r["name"] for r in put.json()["rules"]] == ["nps-angry", "off", "staff-unhappy"]
    await post(
        client,
        ingest_key,
        event("five", nps=5),
        event("two", nps=2, csat=1),
        event("staff", nps=4, respondent={"id": "emp-1", "type": "employee"}),
    )
    assert sorted(c["event_id"] for c in await cases(client, read_key)) == ["staff", "two"]
    assert (await client.get("/v1/follow-up-rules", headers=read_key)).status_code == 403


@pytest.mark.parametrize(
    "rule",
    [
        {"name": "x", "score": "nps", "min_score": 0, "max_score": 11},
        {"name": "x", "score": "csat", "min_score": 0, "max_score": 2},
        {"name": "x", "score": "ces", "min_score": 3, "max_score": 2},
        {"name": "x", "score": "nps", "min_score": 0},
        {"name": "x", "score": "follow_up_requested", "min_score": 0, "max_score": 1},
        {"name": "x", "score": "nps", "min_score": "0", "max_score": 6},
        {"name": "X Y", "score": "follow_up_requested"},
        {"name": "x", "score": "sentiment", "min_score": 0, "max_score": 1},
        {"name": "x", "score": "follow_up_requested", "respondent_types": []},
    ],
)
async def test_invalid_rules_are_422_and_change_nothing(
    client: httpx.AsyncClient, admin_key: Headers, rule: dict[str, Any]
) -> None:
    response = await client.put("/v1/follow-up-rules", json={"rules": [rule]}, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    after = await client.get("/v1/follow-up-rules", headers=admin_key)
    assert len(after.json()["rules"]) == 4


async def test_duplicate_rule_names_are_422(client: httpx.AsyncClient, admin_key: Headers) -> None:
    rule = {"name": "x", "score": "follow_up_requested"}
    response = await client.put(
        "/v1/follow-up-rules", json={"rules": [rule, rule]}, headers=admin_key
    )
    assert response.status_code == 422


async def test_a_case_is_worked_from_open_to_resolved(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, cases_key: Headers
) -> None:
    await post(client, ingest_key, event("e1", nps=2))
    (case,) = await cases(client, read_key)
    url = f"/v1/follow-ups/{case['id']}"

    refused = await client.patch(url, json={"assignee": "maria"}, headers=read_key)
    assert refused.status_code == 403

    assigned = await client.patch(url, json={"assignee": "maria"}, headers=cases_key)
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["assignee"], assigned.json()["status"]) == ("maria", "open")

    no_answer = {"contact_attempt": {"channel": "phone", "outcome": "no_answer"}}
    tried = await client.patch(url, json=no_answer, headers=cases_key)
    assert (tried.json()["status"], tried.json()["first_contact_at"]) == ("open", None)

    too_early = await client.patch(
        url, json={"status": "resolved", "resolution": "x"}, headers=cases_key
    )
    assert too_early.status_code == 409, too_early.text
    assert too_early.headers["content-type"] == "application/problem+json"

    reached = await client.patch(
        url,
        json={"contact_attempt": {"channel": "phone", "outcome": "reached", "note": "Sorry!"}},
        headers=cases_key,
    )
    assert reached.json()["status"] == "contacted"
    assert reached.json()["first_contact_at"] is not None

    unexplained = await client.patch(url, json={"status": "resolved"}, headers=cases_key)
    assert unexplained.status_code == 409

    resolved = await client.patch(
        url, json={"status": "resolved", "resolution": "Voucher sent."}, headers=cases_key
    )
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert (body["status"], body["resolution"]) == ("resolved", "Voucher sent.")
    assert body["closed_at"] is not None
    assert [(h["kind"], h["from_status"], h["to_status"]) for h in body["history"]] == [
        ("opened", None, "open"),
        ("assigned", None, None),
        ("contact_attempt", None, None),
        ("contact_attempt", None, None),
        ("status", "open", "contacted"),
        ("status", "contacted", "resolved"),
    ]
    assert body["history"][3]["contact"] == {
        "channel": "phone",
        "outcome": "reached",
        "note": "Sorry!",
    }
    assert body["history"][1]["key_id"] is not None

    closed = await client.patch(url, json={"assignee": "ben"}, headers=cases_key)
    assert closed.status_code == 409
    again = await client.get(url, headers=read_key)
    assert again.json() == body  # refused patches leave no trace


async def test_reaching_and_resolving_in_one_patch(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, admin_key: Headers
) -> None:
    await post(client, ingest_key, event("e1", csat=1))
    (case,) = await cases(client, read_key)
    patch = {
        "assignee": "ben",
        "contact_attempt": {"channel": "email", "outcome": "reached"},
        "status": "resolved",
        "resolution": "Refunded.",
    }
    response = await client.patch(f"/v1/follow-ups/{case['id']}", json=patch, headers=admin_key)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "resolved"
    kinds = [(h["kind"], h["to_status"]) for h in response.json()["history"]]
    assert kinds[1:] == [
        ("assigned", None),
        ("contact_attempt", None),
        ("status", "contacted"),
        ("status", "resolved"),
    ]


async def test_unreachable_and_unassign(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, cases_key: Headers
) -> None:
    await post(client, ingest_key, event("e1", ces=1))
    (case,) = await cases(client, read_key)
    url = f"/v1/follow-ups/{case['id']}"
    await client.patch(url, json={"assignee": "maria"}, headers=cases_key)
    unassigned = await client.patch(url, json={"assignee": None}, headers=cases_key)
    assert unassigned.json()["assignee"] is None
    same = await client.patch(url, json={"assignee": None}, headers=cases_key)
    assert len(same.json()["history"]) == len(unassigned.json()["history"])  # no change
    gone = await client.patch(url, json={"status": "unreachable"}, headers=cases_key)
    assert gone.json()["status"] == "unreachable"
    assert gone.json()["closed_at"] is not None
    reopen = await client.patch(url, json={"status": "contacted"}, headers=cases_key)
    assert reopen.status_code == 409


@pytest.mark.parametrize(
    "patch",
    [
        {"status": "open"},
        {"status": "closed"},
        {"contact_attempt": {"channel": "phone", "outcome": "maybe"}},
        {"contact_attempt": {"channel": "phone"}},
        {"resolution": ""},
        {"resolution": "a\x00b", "status": "resolved"},
        {"assignee": ""},
        {"colour": "red"},
    ],
)
async def test_invalid_patches_are_422(
    client: httpx.AsyncClient,
    ingest_key: Headers,
    read_key: Headers,
    cases_key: Headers,
    patch: dict[str, Any],
) -> None:
    await post(client, ingest_key, event("e1", nps=0))
    (case,) = await cases(client, read_key)
    response = await client.patch(f"/v1/follow-ups/{case['id']}", json=patch, headers=cases_key)
    assert response.status_code == 422, response.text


async def test_resolution_without_resolving_is_409(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, cases_key: Headers
) -> None:
    await post(client, ingest_key, event("e1", nps=0))
    (case,) = await cases(client, read_key)
    response = await client.patch(
        f"/v1/follow-ups/{case['id']}", json={"resolution": "x"}, headers=cases_key
    )
    assert response.status_code == 409


async def test_unknown_case_is_404(client: httpx.AsyncClient, cases_key: Headers) -> None:
    assert (await client.get("/v1/follow-ups/999999", headers=cases_key)).status_code == 404
    response = await client.patch("/v1/follow-ups/999999", json={}, headers=cases_key)
    assert response.status_code == 404
    assert (await client.get("/v1/follow-ups/0", headers=cases_key)).status_code == 422


async def test_list_filters_and_pages(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, cases_key: Headers
) -> None:
    await post(
        client,
        ingest_key,
        *(event(f"v{i}", nps=1) for i in range(5)),
        *(event(f"b{i}", nps=1, location_id="bud-01") for i in range(2)),
    )
    everything = await cases(client, read_key)
    assert len(everything) == 7
    first = everything[0]["id"]
    await client.patch(f"/v1/follow-ups/{first}", json={"assignee": "maria"}, headers=cases_key)
    await client.patch(f"/v1/follow-ups/{first}", json={"status": "unreachable"}, headers=cases_key)

    assert len(await cases(client, read_key, location_id="bud-01")) == 2
    assert [c["id"] for c in await cases(client, read_key, assignee="maria")] == [first]
    assert len(await cases(client, read_key, unassigned="true")) == 6
    assert len(await cases(client, read_key, status="open")) == 6
    assert len(await cases(client, read_key, status=["open", "unreachable"])) == 7
    assert len(await cases(client, read_key, min_age_hours=1)) == 0
    assert len(await cases(client, read_key, max_age_hours=1)) == 7

    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/follow-ups", params=params, headers=read_key)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [c["id"] for c in everything]
    bad = await client.get("/v1/follow-ups", params={"cursor": "nope"}, headers=read_key)
    assert bad.status_code == 422


async def test_channel_filter_and_summary_count_every_case_the_filters_select(
    client: httpx.AsyncClient,
    ingest_key: Headers,
    read_key: Headers,
    cases_key: Headers,
    make_key: MakeKey,
    conn: asyncpg.Connection,
) -> None:
    await post(
        client,
        ingest_key,
        *(event(f"p{i}", nps=1) for i in range(4)),
        *(event(f"w{i}", nps=1, channel="web") for i in range(2)),
        event("k0", nps=1, channel="kiosk", location_id="bud-01"),
        event("done", nps=1, channel="web"),
    )
    # Three arrived 72 hours ago, past the 48-hour SLA; one of them was reached since.
    await conn.execute(
        "UPDATE follow_ups SET received_at = received_at - interval '72 hours' "
        "WHERE event_id IN ('p0', 'p1', 'w0')"
    )
    ids = {c["event_id"]: c["id"] for c in await cases(client, read_key)}
    reached = {"contact_attempt": {"channel": "phone", "outcome": "reached"}}
    await client.patch(f"/v1/follow-ups/{ids['p1']}", json=reached, headers=cases_key)
    await client.patch(
        f"/v1/follow-ups/{ids['done']}", json={"status": "unreachable"}, headers=cases_key
    )

    waiting: dict[str, Any] = {"status": ["open", "contacted"]}
    for channel in ("web,kiosk", ["web", "kiosk"], ["web,kiosk", "web"]):
        listed = await cases(client, read_key, **waiting, channel=channel)
        assert [c["event_id"] for c in listed] == ["w0", "w1", "k0"], channel

    async def summary(key: Headers = read_key, **params: Any) -> dict[str, Any]:
        response = await client.get("/v1/follow-ups/summary", params=params, headers=key)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    everything = await summary()
    assert everything["sla_hours"] == 48
    del everything["as_of"], everything["sla_hours"]
    assert everything == {
        "cases": 8, "open": 6, "contacted": 1, "resolved": 0, "unreachable": 1, "overdue": 2,
    }  # fmt: skip
    # Every case counted, however few a page lists; the filters are the list's.
    assert len(await cases(client, read_key, **waiting, limit=2)) == 2
    assert (await summary(**waiting))["cases"] == 7
    pos = await summary(**waiting, channel="pos")
    assert (pos["cases"], pos["contacted"], pos["overdue"]) == (4, 1, 1)
    web = await summary(**waiting, channel="web,kiosk")
    assert (web["cases"], web["overdue"]) == (3, 1)
    assert (await summary(**waiting, channel="web", min_age_hours=1))["cases"] == 0
    # A key bound to a branch counts that branch's cases only.
    bound = await make_key("read", location_id="bud-01")
    assert (await summary(bound))["cases"] == 1
    other = await client.get("/v1/follow-ups/summary?location_id=vie-07", headers=bound)
    assert other.status_code == 403


@pytest.mark.parametrize("path", ["/v1/follow-ups", "/v1/follow-ups/summary"])
@pytest.mark.parametrize(
    "params",
    [{"channel": "web,"}, {"channel": "we\x01b"}, {"channel": [f"c{i}" for i in range(101)]},
     {"status": "closed"}, {"min_age_hours": "nan"}],
)  # fmt: skip
async def test_bad_queue_filters_are_422(
    client: httpx.AsyncClient, read_key: Headers, path: str, params: dict[str, Any]
) -> None:
    response = await client.get(path, params=params, headers=read_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
