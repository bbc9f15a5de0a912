"""GET /v1/feedback: stored events with the metrics filters, score bounds and a keyset cursor."""

import json
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from app.feedback.schemas import FeedbackPage
from app.feedback.service import like_pattern, search_conditions, search_terms
from app.sql import Params
from tests.conftest import Headers
from tests.follow_ups.test_cases import event, post
from tests.metrics.test_themes import enrich

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


async def test_comment_filters_and_what_each_comment_says(
    client: httpx.AsyncClient, read_key: Headers, events: None, conn: asyncpg.Connection
) -> None:
    await enrich(
        conn, "a", themes=["waiting"], sentiment="negative", language="en", score=-0.7,
        key_phrases=["slow checkout"],
    )  # fmt: skip
    await enrich(conn, "d", themes=["waiting", "staff_friendliness"], sentiment="negative",
                 language="hu", score=-0.4)  # fmt: skip
    assert await listed(client, read_key, theme="waiting") == ["a", "d"]
    assert await listed(client, read_key, theme="price,staff_friendliness") == ["d"]
    assert await listed(client, read_key, theme="price") == []
    assert await listed(client, read_key, language="hu") == ["d"]
    assert await listed(client, read_key, language="HU,unknown") == ["d"]
    assert await listed(client, read_key, sentiment="negative", respondent_type="customer") == ["a"]
    assert await listed(client, read_key, sentiment="positive") == []
    assert await listed(client, read_key, theme="waiting", language="en", max_nps=6) == ["a"]
    response = await client.get("/v1/feedback", params=WINDOW, headers=read_key)
    items = {item["event_id"]: item for item in response.json()["items"]}
    assert items["a"]["text"] == {
        "language": "en", "sentiment": "negative", "sentiment_score": -0.7,
        "themes": ["waiting"], "key_phrases": ["slow checkout"],
    }  # fmt: skip
    assert items["a"]["language"] is None  # the event's own field stays as it was sent
    assert items["d"]["text"]["themes"] == ["waiting", "staff_friendliness"]
    assert items["b"]["text"] is None  # no comment
    assert [e for e, item in items.items() if item["text"]] == ["a", "d"]


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
        {"q": "one two three four five six seven eight nine"},
        {"q": "nul\x00byte"},
        {"q": "x" * 201},
        {"sentiment": "angry"},
        {"theme": "Waiting"},
        {"language": "english"},
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


COMMENTS = {
    "en": "Slow CHECKOUT, long queue",
    "ru": "Очень долгая ОЧЕРЕДЬ на кассе",
    "hu": "Lassú kiszolgálás, hosszú sor",
    "zh": "排队时间太长",
    "pct": "100% sure_thing",
    "plain": "100 percent sure thing",
}


@pytest.fixture
async def commented(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    await post(
        client,
        ingest_key,
        *(
            event(name, nps=3 + i, comment=text, occurred_at=f"2026-11-0{i + 1}T09:00:00Z")
            for i, (name, text) in enumerate(COMMENTS.items())
        ),
        event("none", nps=9, occurred_at="2026-11-09T09:00:00Z"),
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("slow", ["en"]),  # any case
        ("checkout QUEUE", ["en"]),  # every word, in any order
        ("slow очередь", []),
        ("очередь", ["ru"]),  # Cyrillic, case folded
        ("LASSÚ", ["hu"]),  # accented Latin, case folded
        ("sor", ["hu"]),  # part of a word
        ("排队", ["zh"]),  # no spaces between words, fewer than three characters
        ("100%", ["pct"]),  # % and _ are plain characters, not wildcards
        ("t_s", []),  # "percent sure" has "t s": _ is no wildcard
        ("sure_thing", ["pct"]),
        ("  ", ["en", "ru", "hu", "zh", "pct", "plain", "none"]),  # no words: no search
    ],
)
async def test_search_in_comments(
    client: httpx.AsyncClient, read_key: Headers, commented: None, q: str, expected: list[str]
) -> None:
    assert await listed(client, read_key, q=q) == expected


async def test_search_combines_with_filters_and_export(
    client: httpx.AsyncClient, read_key: Headers, commented: None
) -> None:
    assert await listed(client, read_key, q="sure") == ["pct", "plain"]
    assert await listed(client, read_key, q="sure", max_nps=7) == ["pct"]
    response = await client.get(
        "/v1/feedback/export", params={**WINDOW, "q": "очередь"}, headers=read_key
    )
    assert [line["event_id"] for line in map(json.loads, response.text.splitlines())] == ["ru"]


@pytest.mark.parametrize("q", ["queue", "очередь slow", "100%"])
async def test_search_can_use_the_trigram_index(app: FastAPI, q: str) -> None:
    """The search condition has the form the partial trigram index serves (with the
    sequential scan ruled out, the planner picks the index only if it applies)."""
    params = Params()
    where = " AND ".join(search_conditions(search_terms(q), params))
    conn = app.state.db.conn
    async with conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        plan = await conn.fetchval(
            f"EXPLAIN (FORMAT JSON) SELECT e.id FROM feedback_events e WHERE {where}",
            *params.values,
        )
    # The index of each monthly partition: a partition of the parent's index.
    indexes = await conn.fetch(
        "SELECT relid::regclass::text FROM pg_partition_tree('ix_feedback_events_comment_trgm') "
        "WHERE isleaf"
    )
    assert indexes
    assert any(f'"{r[0]}"' in json.dumps(plan) for r in indexes)


def test_search_terms_and_patterns() -> None:
    assert search_terms(" slow  queue slow\tqueue ") == ("slow", "queue")
    assert search_terms("") == ()
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
