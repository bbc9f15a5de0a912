"""Random input never produces a 5xx, and a refused request stores nothing."""

import json
from typing import Any

import asyncpg
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MakeKey

FIELDS = [
    "event_id", "occurred_at", "sent_at", "channel", "touchpoint", "location_id", "employee_id",
    "respondent", "acquisition_source", "nps", "csat", "ces", "servqual", "comment", "language",
    "tags", "attributes", "follow_up_requested", "contact",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(
        [
            "",
            "\x00",
            "2026-11-24T10:00:00Z",
            "9",
            "web",
            "a" * 200,
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00Z",
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
VALID: dict[str, Any] = {"channel": "web", "nps": 7}


@st.composite
def mutated_events(draw: st.DrawFn) -> dict[str, Any]:
    event = dict(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        key = draw(st.sampled_from(FIELDS) | st.text(max_size=12))
        event[key] = draw(json_values)
    return event


async def stored(conn: asyncpg.Connection) -> tuple[int, int]:
    events = await conn.fetchval("SELECT count(*) FROM feedback_events")
    ledger = await conn.fetchval("SELECT count(*) FROM feedback_event_ids")
    return int(events), int(ledger)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=mutated_events() | json_values)
async def test_random_json_never_500_and_refusals_store_nothing(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection, body: Any
) -> None:
    key = await make_key("ingest")
    before = await stored(conn)
    response = await client.post(
        "/v1/feedback",
        content=json.dumps(body),  # not json=: httpx sends no body at all for None
        headers={**key, "content-type": "application/json"},
    )
    assert response.status_code in (200, 201, 403, 409, 422), response.text
    after = await stored(conn)
    if response.status_code == 201:
        assert after == (before[0] + 1, before[1] + 1)
    else:
        assert response.status_code == 200 or "problem+json" in response.headers["content-type"]
        assert after == before


@FUZZ
@given(raw=st.binary(max_size=300))
async def test_random_bytes_never_500_and_store_nothing(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection, raw: bytes
) -> None:
    key = await make_key("ingest")
    before = await stored(conn)
    response = await client.post(
        "/v1/feedback", content=raw, headers={**key, "content-type": "application/json"}
    )
    assert response.status_code < 500, response.text
    assert await stored(conn) == before or response.status_code == 201


@FUZZ
@given(items=st.lists(mutated_events() | json_values, max_size=8))
async def test_random_batches_never_500_and_report_every_item(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection, items: list[Any]
) -> None:
    key = await make_key("ingest")
    before = await stored(conn)
    response = await client.post("/v1/feedback/batch", json={"events": items}, headers=key)
    assert response.status_code in (200, 422), response.text
    after = await stored(conn)
    if response.status_code == 200:
        body = response.json()
        assert len(body["items"]) == len(items)
        assert after[0] - before[0] == body["accepted"]
    else:
        assert after == before


@st.composite
def awkward_json(draw: st.DrawFn) -> bytes:
    """JSON text no dict can stand for: a key given twice (with another value), or an
    event inside arrays or objects nested deeper than any parser's limit."""
    if draw(st.booleans()):
        event = draw(mutated_events())
        key = draw(st.sampled_from(sorted(event)))
        again = json.dumps({key: draw(json_values)})[1:-1]
        text = json.dumps(event)
        return (text[:-1] + ", " + again + "}").encode()
    depth = draw(st.integers(min_value=1, max_value=3000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
    return (opener * depth + json.dumps(VALID) + closer * depth).encode()


@FUZZ
@given(raw=awkward_json())
async def test_duplicate_keys_and_deep_nesting_never_500_and_refusals_store_nothing(
    client: httpx.AsyncClient, make_key: MakeKey, conn: asyncpg.Connection, raw: bytes
) -> None:
    """A repeated key counts by its last value (as in JavaScript and most parsers, and
    in the stored fingerprint); too deep a nesting is refused as malformed."""
    key = await make_key("ingest")
    before = await stored(conn)
    response = await client.post(
        "/v1/feedback", content=raw, headers={**key, "content-type": "application/json"}
    )
    assert response.status_code in (200, 201, 403, 409, 422), response.text
    after = await stored(conn)
    if response.status_code == 201:
        assert after == (before[0] + 1, before[1] + 1)
        stored_event = response.json()
        assert stored_event["nps"] == json.loads(raw).get("nps")  # json.loads: last one wins
    else:
        assert response.status_code == 200 or "problem+json" in response.headers["content-type"]
        assert after == before
    batch = b'{"events": [' + raw + b"]}"
    response = await client.post(
        "/v1/feedback/batch", content=batch, headers={**key, "content-type": "application/json"}
    )
    assert response.status_code in (200, 422), response.text
