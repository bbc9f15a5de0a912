"""Text enrichment on a real database: every comment once, from the watermark; what it
derives goes with the event (erasure) and with its text (retention, redaction); a
rebuild retrains on the scored comments and redoes every comment; one worker at a time."""

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import libpq_url
from app.feedback import partitions
from app.text import data_rights, service
from app.text.themes import Theme
from tests.text.evaluation import THREADS

RUNTIME = service.Runtime(threads=THREADS)
NOW = datetime.now(UTC).replace(microsecond=0)

COMMENTS: list[dict[str, Any]] = [
    {
        "comment": "The queue at the checkout was far too long, we waited 40 minutes.",
        "language": "en",
        "nps": 2,
    },
    {"comment": "Очень вежливый и приветливый продавец, спасибо!", "language": "ru", "nps": 10},
    {"comment": "配送が遅くて、荷物が届くまで一週間かかりました。", "language": None, "csat": 2},
    {"comment": "A kártyás fizetés nem működött, a terminál elromlott.", "language": "hu"},
    {"comment": "👍", "language": "en", "nps": 9},
    {"comment": "   ", "language": "en", "nps": 9},
    {"comment": None, "language": None, "nps": 7},
]


async def insert(
    conn: asyncpg.Connection, rows: list[dict[str, Any]], prefix: str = "t"
) -> list[int]:
    ids = []
    await partitions.ensure(conn, [NOW - timedelta(hours=i) for i in range(len(rows))])
    for i, row in enumerate(rows):
        ids.append(
            await conn.fetchval(
                "INSERT INTO feedback_events (event_id, occurred_at, received_at, channel, "
                "comment, language, nps, csat) VALUES ($1, $2, $2, 'web', $3, $4, $5, $6) "
                "RETURNING id",
                f"{prefix}-{i}",
                NOW - timedelta(hours=i),
                row["comment"],
                row["language"],
                row.get("nps"),
                row.get("csat"),
            )
        )
    return ids


async def insights(conn: asyncpg.Connection) -> dict[int, asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM comment_insights ORDER BY event_pk")
    return {r["event_pk"]: r for r in rows}


async def test_every_comment_is_enriched_once(conn: asyncpg.Connection) -> None:
    ids = await insert(conn, COMMENTS)
    assert await service.catch_up(conn, RUNTIME, batch=2) == 5  # 5 comments with text
    found = await insights(conn)
    assert set(found) == set(ids[:5])
    queue, polite, parcel, terminal, thumbs = (found[i] for i in ids[:5])
    assert (queue["language"], queue["language_source"]) == ("en", "given")
    assert (parcel["language"], parcel["language_source"]) == ("ja", "detected")
    assert (thumbs["language"], thumbs["language_source"]) == ("unknown", "unknown")
    assert "waiting" in queue["themes"]
    assert "staff_friendliness" in polite["themes"]
    assert "delivery" in parcel["themes"]
    assert "payment" in terminal["themes"]
    assert queue["sentiment"] == "negative"
    assert queue["sentiment_score"] < 0
    assert polite["sentiment"] == "positive"
    assert polite["sentiment_score"] > 0
    assert all(r["sentiment_source"] == "model" for r in found.values())
    assert queue["key_phrases"], "a comment of content words has key phrases"
    state = await conn.fetchrow("SELECT * FROM text_state")
    assert state["watermark"] == ids[-1]
    assert state["model_id"] is not None
    # Scored comments with a language are the sentiment model's examples.
    examples = await conn.fetch("SELECT event_pk, label FROM text_examples ORDER BY event_pk")
    assert [(r["event_pk"], r["label"]) for r in examples] == [
        (ids[0], 0),
        (ids[1], 2),
        (ids[2], 0),
    ]
    versions = {r["version"] for r in found.values()}
    assert len(versions) == 1
    # Nothing is done twice.
    before = {k: r["enriched_at"] for k, r in found.items()}
    assert await service.catch_up(conn, RUNTIME) == 0
    assert {k: r["enriched_at"] for k, r in (await insights(conn)).items()} == before


async def test_erasure_and_retention_reach_what_was_derived(conn: asyncpg.Connection) -> None:
    ids = await insert(conn, COMMENTS[:4])
    await service.catch_up(conn, RUNTIME)
    await conn.execute("DELETE FROM feedback_events WHERE id = $1", ids[0])  # erased, and
    await conn.fetchrow(data_rights.FORGET_SQL, [ids[0]])  # what erasure deletes with it
    await conn.execute(
        "UPDATE feedback_events SET comment = NULL WHERE id = $1", ids[1]
    )  # retention
    await conn.execute(
        "UPDATE feedback_events SET comment = 'Das Personal war unfreundlich.', language = 'de' "
        "WHERE id = $1",
        ids[2],
    )  # fmt: skip  (redacted, or edited by erasure of a mention)
    found = await insights(conn)
    assert set(found) == {ids[3]}
    assert (
        await conn.fetchval("SELECT count(*) FROM text_examples WHERE event_pk <> $1", ids[3]) == 0
    )
    assert [r["event_pk"] for r in await conn.fetch("SELECT * FROM text_pending")] == [ids[2]]
    # The changed comment is enriched again from its new text.
    assert await service.catch_up(conn, RUNTIME) == 1
    redone = (await insights(conn))[ids[2]]
    assert redone["language"] == "de"
    assert "staff_friendliness" in redone["themes"]
    assert await conn.fetchval("SELECT count(*) FROM text_pending") == 0


async def test_a_write_keeps_only_comments_still_as_read(conn: asyncpg.Connection) -> None:
    """The enrichment reads, computes outside any transaction, then writes: a comment
    changed meanwhile is not written over (the queue brings it back)."""
    ids = await insert(conn, COMMENTS[:2])
    rows = await conn.fetch(service.READ_RANGE_SQL, 0, ids[-1], 10)
    setup = await service._setup(conn, RUNTIME)
    comments = service._comments(rows)
    found, examples = setup.enricher.enrich(comments)
    await conn.execute("UPDATE feedback_events SET comment = 'Changed.' WHERE id = $1", ids[0])
    await service._write(conn, comments, found, examples, setup.current)
    assert set(await insights(conn)) == {ids[1]}


async def test_themes_an_admin_defines_rebuild_every_comment(conn: asyncpg.Connection) -> None:
    ids = await insert(conn, [
        {"comment": "The parking lot was full again, no space anywhere.", "language": "en"},
        {"comment": "Kein Parkplatz frei, bin wieder gefahren.", "language": "de"},
    ])  # fmt: skip
    await service.catch_up(conn, RUNTIME)
    old_version = {r["version"] for r in (await insights(conn)).values()}
    parking = Theme(
        name="parking",
        label="Parking",
        description="Finding a parking space at the store.",
        examples=("no parking space", "the car park was full"),
        keywords={"en": ("parking", "car park"), "de": ("parkplatz*",)},
    )
    assert await service.replace_themes(conn, [parking])
    assert not await service.replace_themes(conn, [parking])  # the same: nothing to redo
    state = await conn.fetchrow("SELECT rebuild_from, rebuild_to FROM text_state")
    assert (state["rebuild_from"], state["rebuild_to"]) == (0, ids[-1])
    assert await service.catch_up(conn, RUNTIME) == 2
    found = await insights(conn)
    assert all("parking" in r["themes"] for r in found.values())
    assert {r["version"] for r in found.values()}.isdisjoint(old_version)
    assert (await conn.fetchrow("SELECT rebuild_to FROM text_state"))["rebuild_to"] is None
    status = await service.status(conn, RUNTIME)
    assert status.insights == 2
    assert status.other_versions == {}
    assert status.rebuild_left is None


async def test_rebuild_retrains_on_the_scored_comments(conn: asyncpg.Connection) -> None:
    ids = await insert(conn, COMMENTS)
    await service.catch_up(conn, RUNTIME)
    first = await conn.fetchval("SELECT model_id FROM text_state")
    model_id = await service.rebuild(conn, RUNTIME)
    assert model_id is not None
    assert model_id > first
    trained = await conn.fetchval(
        "SELECT model -> 'trained_on' FROM text_models WHERE id = $1", model_id
    )
    assert trained["examples"] == 3
    assert trained["by_language"] == {
        "en": {"negative": 1},
        "ja": {"negative": 1},
        "ru": {"positive": 1},
    }
    assert await service.catch_up(conn, RUNTIME) == 5
    status = await service.status(conn, RUNTIME)
    assert status.model_id == model_id
    assert status.other_versions == {}
    assert status.watermark == ids[-1]
    assert status.waiting == 0
    assert status.examples == 3


async def test_one_worker_at_a_time(conn: asyncpg.Connection, engine: AsyncEngine) -> None:
    await insert(conn, COMMENTS[:1])
    other = await asyncpg.connect(libpq_url(engine.url))
    try:
        await other.execute("SELECT pg_advisory_lock($1)", service.LOCK_KEY)
        assert not (await service.run_round(conn, RUNTIME)).ran
        await other.execute("SELECT pg_advisory_unlock($1)", service.LOCK_KEY)
        assert (await service.run_round(conn, RUNTIME)).enriched == 1
    finally:
        await other.close()


async def test_sentiment_learns_this_chains_words_from_the_scores(
    conn: asyncpg.Connection,
) -> None:
    """Words that mean praise only in this chain (customers who write them give a 9 or a
    10) do not read as positive to the seeds alone; after a rebuild the model has learnt
    them from the scores, and applies that to the same words sent without a score."""
    chain_words = "Went to the blue counter."
    scored = [{"comment": chain_words, "language": "en", "nps": 9 + i % 2} for i in range(120)]
    unhappy = [{"comment": "Terrible visit.", "language": "en", "nps": i % 3} for i in range(120)]
    ids = await insert(conn, [*scored, *unhappy, {"comment": chain_words, "language": "en"}])
    await service.catch_up(conn, RUNTIME)
    unscored = ids[-1]
    assert (await insights(conn))[unscored]["sentiment"] != "positive"
    await service.rebuild(conn, RUNTIME)
    await service.catch_up(conn, RUNTIME)
    assert (await insights(conn))[unscored]["sentiment"] == "positive"
