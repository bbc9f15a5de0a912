"""The malformed-input table: every bad body is a problem+json error and stores nothing.

Each case is a raw request body and content type against POST /v1/feedback
with an ingest key; the expected answer is a status, a problem `type` and,
for field errors, the JSON Pointer of the field at fault.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from app.feedback.models import FeedbackContact, FeedbackEvent, FeedbackEventId
from tests.conftest import Headers

JSON = "application/json"
PROBLEM = "application/problem+json"
MALFORMED = "urn:feedback:problem:malformed-json"
VALIDATION = "urn:feedback:problem:validation"
UNSUPPORTED = "urn:feedback:problem:unsupported-media-type"
TOO_LARGE = "urn:feedback:problem:content-too-large"

EVENT_LIMIT = 64 * 1024
BATCH_LIMIT = 1024 * 1024

VALID: dict[str, Any] = {"event_id": "evt-bad", "channel": "pos", "nps": 9}


def event(*, drop: tuple[str, ...] = (), **fields: Any) -> bytes:
    """A valid event with some fields replaced (or dropped), as JSON bytes."""
    body = {k: v for k, v in {**VALID, **fields}.items() if k not in drop}
    return json.dumps(body).encode()


def raw(text: str) -> bytes:
    return text.encode()


def padded(prefix: bytes, size: int) -> bytes:
    """`prefix` + spaces + `}`, exactly `size` bytes: valid JSON of any length."""
    return prefix + b" " * (size - len(prefix) - 1) + b"}"


def small_event(size: int) -> bytes:
    return padded(b'{"channel": "pos", "nps": 9', size)


def batch_of(size: int) -> bytes:
    return padded(b'{"events": [{"channel": "pos", "nps": 9}]', size)


async def chunked(data: bytes, chunk: int = 16 * 1024) -> AsyncIterator[bytes]:
    """An async generator: httpx sends it chunked, without a Content-Length."""
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]


async def count(conn: asyncpg.Connection, model: type[Any]) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {model.__tablename__}"))


async def assert_nothing_stored(conn: asyncpg.Connection) -> None:
    assert await count(conn, FeedbackEvent) == 0
    assert await count(conn, FeedbackEventId) == 0
    assert await count(conn, FeedbackContact) == 0


def resolves(document: Any, pointer: str, missing: bool) -> bool:
    """Does the RFC 6901 pointer (URI fragment form) name a place in `document`?

    A `missing` field's pointer names where it should be: its parent must exist.
    """
    if pointer == "#":
        return not missing
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer[2:].split("/")]
    if missing:
        parts, last = parts[:-1], parts[-1]
    node = document
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return not missing or (isinstance(node, dict) and last not in node)


def assert_problem(
    response: httpx.Response,
    status: int,
    type_: str,
    pointer: str | None = None,
    sent: bytes | None = None,
) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == type_
    assert isinstance(problem["title"], str)
    assert problem["title"]
    assert problem["status"] == status
    if type_ == VALIDATION:
        errors = problem["errors"]
        assert errors
        assert all(isinstance(e["pointer"], str) for e in errors)
        pointers = [e["pointer"] for e in errors]
        if pointer is not None:
            assert pointer in pointers, pointers
        # A pointer points into the body that was sent, so it never names a schema detail.
        assert all(p == "#" or p.startswith("#/") for p in pointers), pointers
        if sent:
            document = json.loads(sent)
            for e in errors:
                assert resolves(document, e["pointer"], e["type"] == "missing"), e


def nested_key(n: int) -> dict[str, str]:
    return {f"k{i}": "x" for i in range(n)}


CASES = [
    # Not JSON at all, or not quite.
    pytest.param(raw('{"channel": "pos", "nps": 9'), JSON, 422, MALFORMED, None, id="truncated"),
    pytest.param(raw("{channel: pos}"), JSON, 422, MALFORMED, None, id="unquoted-keys"),
    pytest.param(raw("{'channel': 'pos'}"), JSON, 422, MALFORMED, None, id="single-quotes"),
    pytest.param(raw('{"channel": "pos", "nps": 9,}'), JSON, 422, MALFORMED, None, id="comma"),
    pytest.param(
        raw('{"channel": "pos", "nps": 9} xyz'), JSON, 422, MALFORMED, None, id="trailing-garbage"
    ),
    pytest.param(
        raw('{"channel": "pos", "nps": 9}{}'), JSON, 422, MALFORMED, None, id="two-documents"
    ),
    pytest.param(raw('{"channel": "pos", "nps": NaN}'), JSON, 422, MALFORMED, None, id="nan"),
    pytest.param(
        raw('{"channel": "pos", "nps": Infinity}'), JSON, 422, MALFORMED, None, id="infinity"
    ),
    pytest.param(
        raw('{"channel": "pos", "nps": -Infinity}'), JSON, 422, MALFORMED, None, id="-infinity"
    ),
    pytest.param(
        raw('{"channel": "pos", "nps": 9, "attributes": {"x": NaN}}'),
        JSON, 422, MALFORMED, None, id="nan-attribute",
    ),
    pytest.param(raw('{"channel": "pos", "nps": 1e400}'), JSON, 422, MALFORMED, None, id="1e400"),
    pytest.param(
        raw('{"channel": "pos", "nps": 123456789012345678901234567890}'),
        JSON, 422, VALIDATION, "#/nps", id="huge-integer",
    ),
    pytest.param(
        b'{"channel": "pos", "comment": "caf\xe9"}', JSON, 422, MALFORMED, None, id="latin-1"
    ),
    pytest.param(
        b'{"channel": "pos", "comment": "\xff\xfe"}', JSON, 422, MALFORMED, None, id="bad-utf8"
    ),
    pytest.param(
        b'{"channel": "pos", "comment": "\xc0\xaf"}', JSON, 422, MALFORMED, None, id="overlong"
    ),
    pytest.param(
        b'{"channel": "pos", "comment": "\xed\xa0\x80"}',
        JSON, 422, MALFORMED, None, id="utf8-surrogate",
    ),
    pytest.param(
        raw('{"channel": "pos", "comment": "\\ud800"}'),
        JSON, 422, MALFORMED, None, id="lone-surrogate-escape",
    ),
    pytest.param(
        b'{"channel": "pos", "comment": "a\x00b"}', JSON, 422, MALFORMED, None, id="raw-nul-byte"
    ),
    # NUL characters (escaped, so valid JSON): PostgreSQL text cannot hold them.
    pytest.param(event(comment="a\x00b"), JSON, 422, VALIDATION, "#/comment", id="nul-comment"),
    pytest.param(
        event(location_id="vie\x0007"), JSON, 422, VALIDATION, "#/location_id", id="nul-location"
    ),
    pytest.param(
        event(attributes={"a\x00b": 1}),
        JSON, 422, VALIDATION, "#/attributes/a\x00b", id="nul-attribute-key",
    ),
    pytest.param(
        event(attributes={"": 1}), JSON, 422, VALIDATION, "#/attributes/", id="empty-attribute-key"
    ),
    pytest.param(
        event(attributes={"note": "a\x00b"}),
        JSON, 422, VALIDATION, "#/attributes/note", id="nul-attribute-value",
    ),
    # A number PostgreSQL would hand back as a 301-digit integer (found by Schemathesis:
    # the export could not write it).
    pytest.param(
        event(attributes={"x": 1e300}), JSON, 422, VALIDATION, "#/attributes/x", id="huge-float"
    ),
    pytest.param(
        event(respondent={"id": "c\x001"}),
        JSON, 422, VALIDATION, "#/respondent/id", id="nul-respondent-id",
    ),
    pytest.param(
        event(contact={"name": "An\x00na"}), JSON, 422, VALIDATION, "#/contact/name",
        id="nul-contact-name",
    ),
    # Not an object.
    pytest.param(b"", JSON, 422, VALIDATION, "#", id="empty-body"),
    pytest.param(raw("[]"), JSON, 422, VALIDATION, "#", id="array"),
    pytest.param(raw(json.dumps([VALID])), JSON, 422, VALIDATION, "#", id="array-of-event"),
    pytest.param(raw('"pos"'), JSON, 422, VALIDATION, "#", id="string"),
    pytest.param(raw("null"), JSON, 422, VALIDATION, "#", id="null"),
    pytest.param(raw("9"), JSON, 422, VALIDATION, "#", id="number"),
    pytest.param(event(colour="red"), JSON, 422, VALIDATION, "#/colour", id="unknown-field"),
    # Scores: integers in range only; nothing coerced, rounded or clamped.
    pytest.param(event(nps=11), JSON, 422, VALIDATION, "#/nps", id="nps-11"),
    pytest.param(event(nps=-1), JSON, 422, VALIDATION, "#/nps", id="nps-minus-1"),
    pytest.param(event(nps=9.0), JSON, 422, VALIDATION, "#/nps", id="nps-float"),
    pytest.param(event(nps=8.6), JSON, 422, VALIDATION, "#/nps", id="nps-fraction"),
    pytest.param(event(nps="9"), JSON, 422, VALIDATION, "#/nps", id="nps-string"),
    pytest.param(event(nps=True), JSON, 422, VALIDATION, "#/nps", id="nps-bool"),
    pytest.param(event(nps=[9]), JSON, 422, VALIDATION, "#/nps", id="nps-list"),
    pytest.param(event(csat=0), JSON, 422, VALIDATION, "#/csat", id="csat-0"),
    pytest.param(event(csat=6), JSON, 422, VALIDATION, "#/csat", id="csat-6"),
    pytest.param(event(ces=8), JSON, 422, VALIDATION, "#/ces", id="ces-8"),
    pytest.param(event(ces=0), JSON, 422, VALIDATION, "#/ces", id="ces-0"),
    pytest.param(
        event(servqual={"empathy": {"perception": 0}}),
        JSON, 422, VALIDATION, "#/servqual/empathy/perception", id="servqual-0",
    ),
    pytest.param(
        event(servqual={"empathy": {"perception": 8}}),
        JSON, 422, VALIDATION, "#/servqual/empathy/perception", id="servqual-8",
    ),
    pytest.param(
        event(servqual={"empathy": {"expectation": "7"}}),
        JSON, 422, VALIDATION, "#/servqual/empathy/expectation", id="servqual-string",
    ),
    pytest.param(
        event(servqual={"courtesy": {"perception": 5}}),
        JSON, 422, VALIDATION, "#/servqual/courtesy", id="servqual-unknown-dimension",
    ),
    pytest.param(
        event(servqual={"empathy": {"perception": 5, "importance": 3}}),
        JSON, 422, VALIDATION, "#/servqual/empathy/importance", id="servqual-unknown-part",
    ),
    pytest.param(event(servqual={}), JSON, 422, VALIDATION, "#/servqual", id="servqual-empty"),
    pytest.param(
        event(servqual={"empathy": {}}),
        JSON, 422, VALIDATION, "#/servqual/empathy", id="servqual-empty-dimension",
    ),
    # Content: a score or a comment with something in it.
    pytest.param(event(drop=("nps",)), JSON, 422, VALIDATION, "#", id="no-score-no-comment"),
    pytest.param(
        event(drop=("nps",), comment=" \t\n "), JSON, 422, VALIDATION, "#", id="blank-comment"
    ),
    pytest.param(
        event(comment="x" * 5001), JSON, 422, VALIDATION, "#/comment", id="comment-5001"
    ),
    pytest.param(event(comment=42), JSON, 422, VALIDATION, "#/comment", id="comment-number"),
    # Tags and attributes.
    pytest.param(
        event(tags=[f"t{i}" for i in range(21)]), JSON, 422, VALIDATION, "#/tags", id="tags-21"
    ),
    pytest.param(event(tags=["Not A Slug"]), JSON, 422, VALIDATION, "#/tags/0", id="tag-slug"),
    pytest.param(event(tags=["ok", 5]), JSON, 422, VALIDATION, "#/tags/1", id="tag-number"),
    pytest.param(event(tags="staff"), JSON, 422, VALIDATION, "#/tags", id="tags-string"),
    pytest.param(
        event(attributes=nested_key(51)), JSON, 422, VALIDATION, "#/attributes", id="attrs-51"
    ),
    pytest.param(
        event(attributes={f"k{i}": "x" * 1000 for i in range(9)}),
        JSON, 422, VALIDATION, "#/attributes", id="attrs-over-8kib",
    ),
    pytest.param(
        event(attributes={"a": {"b": 1}}),
        JSON, 422, VALIDATION, "#/attributes/a", id="attrs-nested-object",
    ),
    pytest.param(
        event(attributes={"a": [1, 2]}),
        JSON, 422, VALIDATION, "#/attributes/a", id="attrs-nested-list",
    ),
    pytest.param(
        event(attributes=["a", "b"]), JSON, 422, VALIDATION, "#/attributes", id="attrs-list"
    ),
    # Timestamps: RFC 3339 with an offset, and sent after the moment.
    pytest.param(
        event(occurred_at="2025-03-30T01:30:00"),
        JSON, 422, VALIDATION, "#/occurred_at", id="occurred-at-no-offset",
    ),
    pytest.param(
        event(occurred_at=1743298200), JSON, 422, VALIDATION, "#/occurred_at", id="occurred-unix"
    ),
    pytest.param(
        event(occurred_at="2025-03-30"), JSON, 422, VALIDATION, "#/occurred_at", id="occurred-date"
    ),
    pytest.param(
        event(occurred_at="2025-13-01T00:00:00Z"),
        JSON, 422, VALIDATION, "#/occurred_at", id="occurred-month-13",
    ),
    pytest.param(
        event(occurred_at="2025-03-30T10:00:00Z", sent_at="2025-03-30T09:00:00Z"),
        JSON, 422, VALIDATION, "#", id="sent-before-occurred",
    ),
    # Identifiers and enumerations.
    pytest.param(event(language="english!"), JSON, 422, VALIDATION, "#/language", id="language"),
    pytest.param(event(language="e"), JSON, 422, VALIDATION, "#/language", id="language-short"),
    pytest.param(
        event(event_id="e" * 129), JSON, 422, VALIDATION, "#/event_id", id="event-id-129"
    ),
    pytest.param(event(event_id=""), JSON, 422, VALIDATION, "#/event_id", id="event-id-empty"),
    pytest.param(
        event(event_id="evt\n1"), JSON, 422, VALIDATION, "#/event_id", id="event-id-newline"
    ),
    pytest.param(event(event_id=17), JSON, 422, VALIDATION, "#/event_id", id="event-id-number"),
    pytest.param(
        event(drop=("channel",)), JSON, 422, VALIDATION, "#/channel", id="channel-missing"
    ),
    pytest.param(
        event(channel="pos terminal"), JSON, 422, VALIDATION, "#/channel", id="channel-not-slug"
    ),
    pytest.param(event(channel="POS"), JSON, 422, VALIDATION, "#/channel", id="channel-upper"),
    pytest.param(event(channel=None), JSON, 422, VALIDATION, "#/channel", id="channel-null"),
    pytest.param(
        event(respondent={"type": "robot"}),
        JSON, 422, VALIDATION, "#/respondent/type", id="respondent-robot",
    ),
    pytest.param(
        event(follow_up_requested="yes"),
        JSON, 422, VALIDATION, "#/follow_up_requested", id="follow-up-string",
    ),
    pytest.param(event(contact={}), JSON, 422, VALIDATION, "#/contact", id="contact-empty"),
    pytest.param(
        event(contact={"email": "not-an-email"}),
        JSON, 422, VALIDATION, "#/contact/email", id="contact-bad-email",
    ),
    # Content types: JSON only, and saying so.
    pytest.param(event(), "text/plain", 415, UNSUPPORTED, None, id="text-plain"),
    pytest.param(
        event(), "application/x-www-form-urlencoded", 415, UNSUPPORTED, None, id="form"
    ),
    pytest.param(event(), "application/jsonx", 415, UNSUPPORTED, None, id="json-lookalike"),
    pytest.param(event(), None, 415, UNSUPPORTED, None, id="no-content-type"),
    pytest.param(raw("channel=pos"), None, 415, UNSUPPORTED, None, id="no-content-type-not-json"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "content_type", "status", "type_", "pointer"), CASES)
async def test_malformed_event_is_a_problem_and_stores_nothing(
    client: httpx.AsyncClient,
    ingest_key: Headers,
    conn: asyncpg.Connection,
    body: bytes,
    content_type: str | None,
    status: int,
    type_: str,
    pointer: str | None,
) -> None:
    headers = dict(ingest_key)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post("/v1/feedback", content=body, headers=headers)
    assert_problem(response, status, type_, pointer, body if type_ == VALIDATION else None)
    await assert_nothing_stored(conn)


async def test_integer_attribute_beyond_64_bits_is_refused_not_rounded(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    """orjson reads such an integer as a float; storing 1.2345678901234568e+29 changes the data."""
    body = raw(
        '{"channel": "pos", "nps": 9, "attributes": {"order": 123456789012345678901234567890}}'
    )
    response = await client.post(
        "/v1/feedback", content=body, headers={**ingest_key, "Content-Type": JSON}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] in (MALFORMED, VALIDATION)
    await assert_nothing_stored(conn)


async def test_malformed_json_problem_does_not_echo_the_body(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    secret = "s3cr3t-customer-words"
    body = raw('{"channel": "pos", "comment": "' + secret + '", ')
    response = await client.post(
        "/v1/feedback", content=body, headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, 422, MALFORMED)
    assert secret not in response.text


async def test_field_errors_do_not_echo_the_value(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    secret = "s3cr3t-customer-words"
    body = event(comment=secret + "x" * 5000)
    response = await client.post(
        "/v1/feedback", content=body, headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, 422, VALIDATION, "#/comment")
    assert secret not in response.text


@pytest.mark.parametrize("comment", ["x" * 5000, "é" * 5000, "🙂" * 5000])
async def test_comment_of_5000_characters_is_accepted(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, comment: str
) -> None:
    response = await client.post(
        "/v1/feedback", json={**VALID, "comment": comment}, headers=ingest_key
    )
    assert response.status_code == 201, response.text
    assert response.json()["comment"] == comment
    assert await count(conn, FeedbackEvent) == 1


async def test_content_type_with_charset_and_plus_json_is_accepted(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    for i, content_type in enumerate(
        ["application/json; charset=utf-8", "application/vnd.feedback+json", "Application/JSON"]
    ):
        response = await client.post(
            "/v1/feedback",
            content=event(event_id=f"evt-{i}"),
            headers={**ingest_key, "Content-Type": content_type},
        )
        assert response.status_code == 201, (content_type, response.text)
    assert await count(conn, FeedbackEvent) == 3


# Body limits: 64 KiB per event, 1 MiB per batch; declared or streamed.


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
async def test_event_body_over_64_kib_is_413_and_stores_nothing(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, streamed: bool
) -> None:
    data = small_event(EVENT_LIMIT + 1)
    content = chunked(data) if streamed else data
    response = await client.post(
        "/v1/feedback", content=content, headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, 413, TOO_LARGE)
    await assert_nothing_stored(conn)


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
async def test_event_body_of_exactly_64_kib_is_accepted(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, streamed: bool
) -> None:
    data = small_event(EVENT_LIMIT)
    content = chunked(data) if streamed else data
    response = await client.post(
        "/v1/feedback", content=content, headers={**ingest_key, "Content-Type": JSON}
    )
    assert response.status_code == 201, response.text
    assert await count(conn, FeedbackEvent) == 1


async def test_lying_content_length_is_still_stopped_at_the_limit(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    """A small declared length does not let a large streamed body through."""
    data = small_event(EVENT_LIMIT * 2)
    response = await client.post(
        "/v1/feedback",
        content=chunked(data),
        headers={**ingest_key, "Content-Type": JSON, "Content-Length": "100"},
    )
    assert_problem(response, 413, TOO_LARGE)
    await assert_nothing_stored(conn)


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
async def test_batch_body_over_1_mib_is_413_and_stores_nothing(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, streamed: bool
) -> None:
    data = batch_of(BATCH_LIMIT + 1)
    content = chunked(data, 64 * 1024) if streamed else data
    response = await client.post(
        "/v1/feedback/batch", content=content, headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, 413, TOO_LARGE)
    await assert_nothing_stored(conn)


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
async def test_batch_body_of_exactly_1_mib_is_accepted(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, streamed: bool
) -> None:
    data = batch_of(BATCH_LIMIT)
    content = chunked(data, 64 * 1024) if streamed else data
    response = await client.post(
        "/v1/feedback/batch", content=content, headers={**ingest_key, "Content-Type": JSON}
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    assert await count(conn, FeedbackEvent) == 1


async def test_batch_limit_does_not_apply_to_the_single_event_route(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    data = small_event(EVENT_LIMIT * 4)
    response = await client.post(
        "/v1/feedback", content=data, headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, 413, TOO_LARGE)
    await assert_nothing_stored(conn)


# The batch envelope: a malformed envelope is refused whole.

BATCH_CASES = [
    pytest.param(raw("{}"), 422, VALIDATION, "#/events", id="events-missing"),
    pytest.param(raw('{"events": []}'), 422, VALIDATION, "#/events", id="events-empty"),
    pytest.param(raw('{"events": {}}'), 422, VALIDATION, "#/events", id="events-object"),
    pytest.param(raw('{"events": "x"}'), 422, VALIDATION, "#/events", id="events-string"),
    pytest.param(raw('{"events": null}'), 422, VALIDATION, "#/events", id="events-null"),
    pytest.param(raw(json.dumps([VALID])), 422, VALIDATION, "#", id="bare-array"),
    pytest.param(
        raw(json.dumps({"events": [VALID], "extra": 1})),
        422, VALIDATION, "#/extra", id="unknown-field",
    ),
    pytest.param(raw('{"events": [{"channel": "pos", "nps": 9}'), 422, MALFORMED, None, id="cut"),
    pytest.param(
        raw('{"events": [{"channel": "pos", "nps": NaN}]}'), 422, MALFORMED, None, id="nan"
    ),
    pytest.param(b"", 422, VALIDATION, "#", id="empty-body"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "status", "type_", "pointer"), BATCH_CASES)
async def test_malformed_batch_envelope_is_a_problem_and_stores_nothing(
    client: httpx.AsyncClient,
    ingest_key: Headers,
    conn: asyncpg.Connection,
    body: bytes,
    status: int,
    type_: str,
    pointer: str | None,
) -> None:
    response = await client.post(
        "/v1/feedback/batch", content=body, headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, status, type_, pointer, body if type_ == VALIDATION else None)
    await assert_nothing_stored(conn)


async def test_batch_with_wrong_content_type_is_415(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    body = json.dumps({"events": [VALID]}).encode()
    response = await client.post(
        "/v1/feedback/batch", content=body, headers={**ingest_key, "Content-Type": "text/plain"}
    )
    assert_problem(response, 415, UNSUPPORTED)
    await assert_nothing_stored(conn)


async def test_rejected_batch_item_points_at_its_own_field(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    body = {"events": [{**VALID, "attributes": {"a": {"b": 1}}}]}
    response = await client.post("/v1/feedback/batch", json=body, headers=ingest_key)
    assert response.status_code == 200, response.text
    (item,) = response.json()["items"]
    assert item["status"] == "rejected"
    pointers = [e["pointer"] for e in item["problem"]["errors"]]
    assert pointers == ["#/events/0/attributes/a"]
    await assert_nothing_stored(conn)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/feedback", '{"event_id": "a", "channel": "pos", "nps": 9, "event_id": "b"}'),
        ("/v1/feedback", '{"channel": "pos", "nps": 9, "respondent": {"id": "x", "id": "y"}}'),
        ("/v1/feedback", '{"channel": "pos", "nps": 9, "attributes": {"k": 1, "k": 2}}'),
        ("/v1/feedback/batch", '{"events": [{"channel": "pos", "nps": 1, "nps": 10}]}'),
        ("/v1/feedback/batch", '{"events": [], "events": [{"channel": "pos", "nps": 1}]}'),
    ],
)
async def test_a_key_given_twice_in_one_object_is_refused(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection, path: str, body: str
) -> None:
    """A parser keeps the last of two equal keys: the client meant one value and the
    service would store the other. Refused as malformed, naming the key; nothing stored."""
    response = await client.post(
        path, content=raw(body), headers={**ingest_key, "Content-Type": JSON}
    )
    assert_problem(response, 422, MALFORMED)
    assert "appears twice in one object" in response.json()["detail"]
    await assert_nothing_stored(conn)


async def test_equal_keys_in_different_objects_are_fine(
    client: httpx.AsyncClient, ingest_key: Headers
) -> None:
    body = '{"events": [{"channel": "pos", "nps": 1}, {"channel": "pos", "nps": 2}]}'
    response = await client.post(
        "/v1/feedback/batch", content=raw(body), headers={**ingest_key, "Content-Type": JSON}
    )
    assert response.json()["accepted"] == 2, response.text
