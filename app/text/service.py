"""Enriching the stored comments, exactly once, from a watermark (docs/text.md).

One round, by one worker at a time (a session advisory lock, across workers and
nodes; the others skip):

1. the comments whose text changed since they were enriched (`text_pending`);
2. the new comments: events with id above the watermark, up to the highest settled
   id (app/event_ids.py), oldest first, `batch` at a time;
3. during a rebuild, the comments with ids in (rebuild_from, rebuild_to].

Each step reads its comments, enriches them in a thread (the event loop keeps
serving), and writes the insights and moves its cursor in one transaction. A write
locks the events it enriched (FOR SHARE) and keeps only those whose comment is still
the text it read: erasure or retention that got there first wins, and one that comes
after deletes what was written (erasure by app/text/data_rights.py, a changed comment
by the trigger of the migration).
Writing twice is harmless (upsert), so a step that fails is simply done again.
"""

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np

from app.event_ids import LAST_ID_SQL, settled_last_id
from app.text import embed
from app.text.language import LanguageIdentifier
from app.text.pipeline import PIPELINE, Comment, Enricher, Example, Insight
from app.text.sentiment import (
    EXAMPLES_PER_CLASS,
    Prior,
    SentimentModel,
    packaged_prior,
    prior_from_seeds,
    seeds,
    seeds_digest,
    train,
)
from app.text.themes import Theme, ThemeSet, merged

log = logging.getLogger(__name__)

# pg_advisory_lock key: "feedback text" (any constant unique to this service).
LOCK_KEY = 0x66656564_74657874
SETTLE_SECONDS = 5.0


@dataclass
class Runtime:
    """Which models a process uses; each loads once per process, on first use (in a
    worker thread: the event loop keeps serving)."""

    language_model: Path | None = None
    embedding_model: Path | None = None
    threads: int = 1
    sentiment_models: dict[int, SentimentModel] = field(default_factory=dict)  # by id
    _themes: dict[str, ThemeSet] = field(default_factory=dict)

    @property
    def identifier(self) -> LanguageIdentifier:
        return identifier(self.language_model)

    def embedder(self) -> embed.Embedder | None:
        return embed.load(self.embedding_model, self.threads)

    def seed_vectors(self) -> np.ndarray[Any, Any]:
        embedder = self.embedder()
        assert embedder is not None
        return _seed_vectors(embedder)

    def theme_set(self, themes: Sequence[Theme]) -> ThemeSet:
        candidate = ThemeSet(themes)
        return self._themes.setdefault(candidate.digest, candidate)

    def prior(self) -> Prior | None:
        """What the seeds give with this process's embedding model (None without one)."""
        embedder = self.embedder()
        return None if embedder is None else _prior(embedder)

    def enricher(self, themes: ThemeSet, model: SentimentModel | None) -> Enricher:
        prior = self.prior()
        return Enricher(
            self.identifier, themes, self.embedder(), model, prior.topic if prior else None
        )


@cache
def _seed_vectors(embedder: embed.Embedder) -> np.ndarray[Any, Any]:
    return embedder.embed([text for _, text, _ in seeds()])


@cache
def _prior(embedder: embed.Embedder) -> Prior:
    """The shipped prior when it was made with this model, else made now (20 s)."""
    return packaged_prior(embedder.name) or prior_from_seeds(_seed_vectors(embedder))


@cache
def identifier(path: Path | None) -> LanguageIdentifier:
    """One per process and model."""
    return LanguageIdentifier(path)


def version(model_id: int | None, themes: ThemeSet) -> str:
    """What an insight was derived with: pipeline, sentiment model and themes."""
    return f"{PIPELINE}.{model_id or 0}.{themes.digest}"


# --- themes ---------------------------------------------------------------------------


async def custom_themes(conn: asyncpg.Connection) -> list[Theme]:
    rows = await conn.fetch("SELECT definition FROM text_themes ORDER BY position")
    out = []
    for row in rows:
        d = (
            json.loads(row["definition"])
            if isinstance(row["definition"], str)
            else row["definition"]
        )
        out.append(
            Theme(
                name=d["name"],
                label=d["label"],
                description=d.get("description", ""),
                examples=tuple(d.get("examples", ())),
                keywords={k: tuple(v) for k, v in d.get("keywords", {}).items()},
            )
        )
    return out


async def themes(conn: asyncpg.Connection) -> tuple[Theme, ...]:
    """The themes in force: the defaults, with the admin's."""
    return merged(await custom_themes(conn))


async def replace_themes(conn: asyncpg.Connection, custom: Sequence[Theme]) -> bool:
    """Make `custom` the admin's themes; when that changes the themes in force, every
    comment is enriched again in the background (a rebuild). Answers whether it did."""
    async with conn.transaction():
        await conn.execute("SELECT 1 FROM text_state WHERE id = 1 FOR UPDATE")
        before = ThemeSet(merged(await custom_themes(conn))).digest
        await conn.execute("DELETE FROM text_themes")
        await conn.executemany(
            "INSERT INTO text_themes (name, definition, position) VALUES ($1, $2::jsonb, $3)",
            [(t.name, json.dumps(t.definition()), i) for i, t in enumerate(custom)],
        )
        changed = ThemeSet(merged(custom)).digest != before
        if changed:
            await conn.execute(
                "UPDATE text_state SET rebuild_from = 0, rebuild_to = watermark "
                "WHERE id = 1 AND watermark > 0"  # nothing enriched yet: nothing to redo
            )
    return changed


# --- the sentiment model --------------------------------------------------------------


async def _model(conn: asyncpg.Connection, model_id: int) -> SentimentModel:
    raw = await conn.fetchval("SELECT model FROM text_models WHERE id = $1", model_id)
    return SentimentModel.from_json(json.loads(raw) if isinstance(raw, str) else raw)


async def retrain(conn: asyncpg.Connection, runtime: Runtime) -> int | None:
    """Train the sentiment model on the seeds and the kept examples, store it, and
    answer its id (None without an embedding model). Does not put it in use."""
    embedder = await asyncio.to_thread(runtime.embedder)
    if embedder is None:
        return None
    rows = await conn.fetch("SELECT language, label, vector FROM text_examples ORDER BY event_pk")
    seed_vectors = await _kept_seed_vectors(conn, runtime, embedder)
    vectors = (
        np.vstack([np.frombuffer(r["vector"], dtype="<f4") for r in rows]).astype(np.float32)
        if rows
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )
    model = await asyncio.to_thread(
        train,
        seed_vectors,
        [label for _, _, label in seeds()],
        vectors,
        [r["label"] for r in rows],
        [r["language"] for r in rows],
    )
    return await _store_model(conn, embedder.name, model)


# The seeds' embeddings, kept once per embedding model and seeds (float16, base64: 1.1
# MB): a rebuild in a new process need not embed the 1,119 seeds again (20 s).
SEED_VECTORS_SQL = """
SELECT model ->> 'vectors' FROM text_models
WHERE kind = 'seed_vectors' AND embedder = $1 AND model ->> 'seeds' = $2
ORDER BY id DESC LIMIT 1
"""


async def _kept_seed_vectors(
    conn: asyncpg.Connection, runtime: Runtime, embedder: embed.Embedder
) -> np.ndarray[Any, Any]:
    digest = seeds_digest()
    kept = await conn.fetchval(SEED_VECTORS_SQL, embedder.name, digest)
    if kept is not None:
        flat = np.frombuffer(base64.b64decode(kept), dtype="<f2").astype(np.float32)
        return flat.reshape(len(seeds()), embedder.dim)
    vectors = await asyncio.to_thread(runtime.seed_vectors)
    await conn.execute(
        "INSERT INTO text_models (kind, embedder, model) VALUES ('seed_vectors', $1, $2::jsonb)",
        embedder.name,
        json.dumps(
            {"seeds": digest, "vectors": base64.b64encode(vectors.astype("<f2").tobytes()).decode()}
        ),
    )
    return vectors


async def _first_model(conn: asyncpg.Connection, runtime: Runtime) -> int:
    """The seeds-only model: the first a deployment has."""
    embedder = await asyncio.to_thread(runtime.embedder)
    prior = await asyncio.to_thread(runtime.prior)
    assert embedder is not None
    assert prior is not None
    return await _store_model(conn, embedder.name, prior.model)


async def _store_model(conn: asyncpg.Connection, embedder: str, model: SentimentModel) -> int:
    model_id: int = await conn.fetchval(
        "INSERT INTO text_models (embedder, model) VALUES ($1, $2::jsonb) RETURNING id",
        embedder,
        json.dumps(model.to_json()),
    )
    return model_id


# --- a round ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Round:
    ran: bool  # False: another worker holds the lock
    enriched: int = 0  # comments written
    more: bool = False  # work is left
    seconds: float = 0.0


COMMENT = "comment IS NOT NULL AND btrim(comment) <> ''"
READ_RANGE_SQL = f"""
SELECT id, comment, language, nps, csat, ces FROM feedback_events
WHERE id > $1 AND id <= $2 AND {COMMENT}
ORDER BY id LIMIT $3
"""
# Changed comments; `comment` NULL when none is left (retention came after redaction).
READ_PENDING_SQL = f"""
SELECT p.event_pk, e.id, CASE WHEN e.{COMMENT} THEN e.comment END AS comment,
       e.language, e.nps, e.csat, e.ces
FROM text_pending p JOIN feedback_events e ON e.id = p.event_pk
ORDER BY p.event_pk LIMIT $1
"""
# The changed comments read ($1) are done, but for those whose text changed again since
# ($2: ids enriched, $3: the md5 of the text they were enriched from).
DONE_PENDING_SQL = f"""
DELETE FROM text_pending p WHERE p.event_pk = ANY($1::bigint[]) AND NOT EXISTS (
    SELECT FROM feedback_events e
    JOIN unnest($2::bigint[], $3::text[]) AS u(id, digest) ON u.id = e.id
    WHERE e.id = p.event_pk AND e.{COMMENT} AND md5(e.comment) <> u.digest
)
"""
REBUILT_SQL = """
UPDATE text_state SET rebuild_from = CASE WHEN $2::boolean THEN NULL ELSE $1::bigint END,
    rebuild_to = CASE WHEN $2::boolean THEN NULL ELSE rebuild_to END
WHERE id = 1
"""
# Insights of the events that still hold the text they were derived from ($2: md5).
WRITE_SQL = """
WITH input AS (
    SELECT * FROM unnest(
        $1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[],
        $7::text[], $8::text[], $9::text[]
    ) AS u(event_pk, digest, language, language_source, sentiment, sentiment_score,
           sentiment_source, themes, key_phrases)
), kept AS (
    SELECT e.id FROM feedback_events e JOIN input i ON e.id = i.event_pk
    WHERE md5(e.comment) = i.digest
    FOR SHARE OF e
)
INSERT INTO comment_insights AS c (
    event_pk, language, language_source, sentiment, sentiment_score, sentiment_source,
    themes, key_phrases, version
)
SELECT i.event_pk, i.language, i.language_source, i.sentiment, i.sentiment_score,
       i.sentiment_source, i.themes::text[], i.key_phrases::text[], $10
FROM input i JOIN kept k ON k.id = i.event_pk
ON CONFLICT (event_pk) DO UPDATE SET
    language = excluded.language, language_source = excluded.language_source,
    sentiment = excluded.sentiment, sentiment_score = excluded.sentiment_score,
    sentiment_source = excluded.sentiment_source, themes = excluded.themes,
    key_phrases = excluded.key_phrases, version = excluded.version, enriched_at = now()
"""
EXAMPLES_SQL = """
INSERT INTO text_examples (event_pk, language, label, vector)
SELECT u.event_pk, u.language, u.label, u.vector
FROM unnest($1::bigint[], $2::text[], $3::smallint[], $4::bytea[])
    AS u(event_pk, language, label, vector)
JOIN comment_insights c ON c.event_pk = u.event_pk
ON CONFLICT (event_pk) DO UPDATE SET
    language = excluded.language, label = excluded.label, vector = excluded.vector
"""
# The examples of the classes just added to beyond the most recent EXAMPLES_PER_CLASS.
TRIM_SQL = """
DELETE FROM text_examples x USING (
    SELECT event_pk FROM (
        SELECT event_pk, row_number() OVER (
            PARTITION BY language, label ORDER BY event_pk DESC
        ) AS rank
        FROM text_examples WHERE (language, label) IN (
            SELECT * FROM unnest($1::text[], $2::smallint[])
        )
    ) ranked WHERE rank > $3
) old WHERE x.event_pk = old.event_pk
"""


def _comments(rows: Sequence[asyncpg.Record]) -> list[Comment]:
    return [
        Comment(r["id"], r["comment"], r["language"], r["nps"], r["csat"], r["ces"]) for r in rows
    ]


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


async def _write(
    conn: asyncpg.Connection,
    comments: Sequence[Comment],
    insights: Sequence[Insight],
    examples: Sequence[Example],
    current: str,
) -> None:
    texts = {c.event_pk: c.text for c in comments}
    await conn.execute(
        WRITE_SQL,
        [i.event_pk for i in insights],
        [_digest(texts[i.event_pk]) for i in insights],
        [i.language for i in insights],
        [i.language_source for i in insights],
        [i.sentiment for i in insights],
        [i.sentiment_score for i in insights],
        [i.sentiment_source for i in insights],
        ["{" + ",".join(json.dumps(t) for t in i.themes) + "}" for i in insights],
        ["{" + ",".join(json.dumps(p) for p in i.key_phrases) + "}" for i in insights],
        current,
    )
    if examples:
        await conn.execute(
            EXAMPLES_SQL,
            [x.event_pk for x in examples],
            [x.language for x in examples],
            [x.label for x in examples],
            [x.vector.astype("<f4").tobytes() for x in examples],
        )
        classes = sorted({(x.language, x.label) for x in examples})
        await conn.execute(
            TRIM_SQL, [c[0] for c in classes], [c[1] for c in classes], EXAMPLES_PER_CLASS
        )


@dataclass
class _Setup:
    enricher: Enricher
    current: str
    model_id: int | None


async def _setup(conn: asyncpg.Connection, runtime: Runtime) -> _Setup:
    """The models in use, training the first sentiment model (on the seeds alone) when
    there is none yet."""
    theme_set = runtime.theme_set(await themes(conn))
    model_id: int | None = await conn.fetchval("SELECT model_id FROM text_state WHERE id = 1")
    model = None
    if await asyncio.to_thread(runtime.embedder) is not None:
        if model_id is None:
            model_id = await _first_model(conn, runtime)
            await conn.execute("UPDATE text_state SET model_id = $1 WHERE id = 1", model_id)
        assert model_id is not None
        model = runtime.sentiment_models.get(model_id)
        if model is None:
            model = runtime.sentiment_models.setdefault(model_id, await _model(conn, model_id))
    else:
        model_id = None
    enricher = await asyncio.to_thread(runtime.enricher, theme_set, model)
    return _Setup(enricher, version(model_id, theme_set), model_id)


async def run_round(conn: asyncpg.Connection, runtime: Runtime, batch: int = 256) -> Round:
    """One step of each kind that has work (see the module doc)."""
    started = time.perf_counter()
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
        return Round(ran=False)
    try:
        setup = _Lazy(conn, runtime)  # the models load only when a comment is to enrich
        enriched, more = 0, False
        # 1. comments whose text changed
        rows = await conn.fetch(READ_PENDING_SQL, batch)
        if rows:
            comments = _comments([r for r in rows if r["comment"] is not None])
            digests = [_digest(c.text) for c in comments]
            enriched += await _step(
                conn, setup, comments, DONE_PENDING_SQL,
                [r["event_pk"] for r in rows], [c.event_pk for c in comments], digests,
            )  # fmt: skip
            more = bool(await conn.fetchval("SELECT EXISTS (SELECT FROM text_pending)"))
        # 2. new comments
        state = await conn.fetchrow("SELECT * FROM text_state WHERE id = 1")
        last = await settled_last_id(conn, SETTLE_SECONDS)
        if last is not None and last > state["watermark"]:
            rows = await conn.fetch(READ_RANGE_SQL, state["watermark"], last, batch)
            upto = rows[-1]["id"] if len(rows) == batch else last
            enriched += await _step(
                conn, setup, _comments(rows),
                "UPDATE text_state SET watermark = $1, enriched_at = now() WHERE id = 1", upto,
            )  # fmt: skip
            more = more or upto < last
        # 3. a rebuild
        state = await conn.fetchrow("SELECT * FROM text_state WHERE id = 1")
        if state["rebuild_to"] is not None:
            high = state["rebuild_to"]
            rows = await conn.fetch(READ_RANGE_SQL, state["rebuild_from"], high, batch)
            upto = rows[-1]["id"] if len(rows) == batch else high
            enriched += await _step(conn, setup, _comments(rows), REBUILT_SQL, upto, upto >= high)
            more = more or upto < high
        return Round(True, enriched, more, time.perf_counter() - started)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)


# The enrichment runs in a thread of its own at a lower CPU priority (Linux nice 10, and
# the model's OpenMP threads it starts inherit it): on a busy machine it takes the CPU
# that the API and PostgreSQL leave idle, instead of a fair share of it.
NICENESS = 10


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


@cache
def _enrichment_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(1, thread_name_prefix="text", initializer=_lower_priority)


class _Lazy:
    def __init__(self, conn: asyncpg.Connection, runtime: Runtime) -> None:
        self.conn = conn
        self.runtime = runtime
        self._setup: _Setup | None = None

    async def get(self) -> _Setup:
        if self._setup is None:
            self._setup = await _setup(self.conn, self.runtime)
        return self._setup


async def _step(
    conn: asyncpg.Connection, lazy: _Lazy, comments: list[Comment], after: str, *args: object
) -> int:
    """Enrich `comments` and write them, with `after` (given `args`) in the same
    transaction: the statement that moves the step's cursor."""
    insights: list[Insight] = []
    examples: list[Example] = []
    if comments:
        setup = await lazy.get()
        loop = asyncio.get_running_loop()
        insights, examples = await loop.run_in_executor(
            _enrichment_thread(), setup.enricher.enrich, comments
        )
    async with conn.transaction():
        await conn.execute("SET LOCAL statement_timeout = 0")
        if insights:
            await _write(conn, comments, insights, examples, setup.current)
        await conn.execute(after, *args)
    return len(insights)


async def catch_up(conn: asyncpg.Connection, runtime: Runtime, batch: int = 256) -> int:
    """Rounds until no work is left (or another worker holds the lock); comments written."""
    total = 0
    while True:
        result = await run_round(conn, runtime, batch)
        total += result.enriched
        if not result.ran or not result.more:
            return total


async def rebuild(conn: asyncpg.Connection, runtime: Runtime) -> int | None:
    """Retrain the sentiment model on what is kept, put it in use, and have every
    comment enriched again (the rounds do it). Answers the new model's id."""
    await conn.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)  # wait for a round
    try:
        model_id = await retrain(conn, runtime)
        await conn.execute(
            "UPDATE text_state SET model_id = $1, rebuild_from = 0, rebuild_to = watermark "
            "WHERE id = 1",
            model_id,
        )
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)
    return model_id


# --- status ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Status:
    watermark: int
    last_id: int
    waiting: int  # new comments not yet enriched (at most PENDING_CAP)
    changed: int  # comments to enrich again after a change of their text
    rebuild_left: int | None  # comments a rebuild has still to redo (None: none running)
    insights: int
    current_version: str
    other_versions: dict[str, int]  # insights derived with another version: stale
    model_id: int | None
    model: dict[str, Any] | None  # what the model in use was trained on
    examples: int
    enriched_at: Any


PENDING_CAP = 1_000_000
STATUS_SQL = f"""
SELECT s.*, ({LAST_ID_SQL}) AS last_id,
       (SELECT count(*) FROM (
           SELECT FROM feedback_events WHERE id > s.watermark AND {COMMENT} LIMIT {PENDING_CAP}
       ) w) AS waiting,
       (SELECT count(*) FROM text_pending) AS changed,
       CASE WHEN s.rebuild_to IS NOT NULL THEN (SELECT count(*) FROM feedback_events
           WHERE id > s.rebuild_from AND id <= s.rebuild_to AND {COMMENT}) END AS rebuild_left,
       (SELECT count(*) FROM text_examples) AS examples,
       (SELECT model -> 'trained_on' FROM text_models WHERE id = s.model_id) AS trained_on
FROM text_state s WHERE s.id = 1
"""


async def status(conn: asyncpg.Connection, runtime: Runtime) -> Status:
    r = await conn.fetchrow(STATUS_SQL)
    theme_set = runtime.theme_set(await themes(conn))
    embedder = await asyncio.to_thread(runtime.embedder)
    current = version(r["model_id"] if embedder is not None else None, theme_set)
    versions = {
        v["version"]: v["n"]
        for v in await conn.fetch(
            "SELECT version, count(*) AS n FROM comment_insights GROUP BY 1 ORDER BY 1"
        )
    }
    trained_on = r["trained_on"]
    return Status(
        watermark=r["watermark"],
        last_id=r["last_id"],
        waiting=r["waiting"],
        changed=r["changed"],
        rebuild_left=r["rebuild_left"],
        insights=sum(versions.values()),
        current_version=current,
        other_versions={k: v for k, v in versions.items() if k != current},
        model_id=r["model_id"],
        model=json.loads(trained_on) if isinstance(trained_on, str) else trained_on,
        examples=r["examples"],
        enriched_at=r["enriched_at"],
    )
