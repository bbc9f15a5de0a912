"""What each secondary index of `feedback_events` costs the ingest statement.

    python -m bench.ingest_indexes [--rounds 7] [--batches 20] [--preload 200000]

One fresh migrated database (embedded PostgreSQL in .data/bench, or
FEEDBACK_BENCH_DATABASE_URL), preloaded with events so the indexes are not
trivially small. Then rounds of 500-event batches through the service's own
ingest statement (`app.ingest.statement.store`) on one connection, alternating
between the schema as migrated and the schema without the indexes under test
(dropped and re-created between rounds, outside the timing). Reports events/s
per variant as the median over rounds and the slowdown against the variant
without them, so a loaded machine affects every variant alike.
"""

import argparse
import asyncio
import os
import secrets
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from app import embedded
from app.cli import migrate
from app.db import asyncpg_url, libpq_url
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import store
from bench.events import make_templates
from bench.ingest import EMBEDDED_DIR

BATCH = 500
# name -> CREATE INDEX statement, as the migrations make them
INDEXES = {
    "ix_feedback_events_comment_trgm": "CREATE INDEX ix_feedback_events_comment_trgm ON "
    "feedback_events USING gin (comment gin_trgm_ops) WHERE comment IS NOT NULL",
    "ix_feedback_events_occurred_at_id": "CREATE INDEX ix_feedback_events_occurred_at_id ON "
    "feedback_events (occurred_at, id)",
}
VARIANTS = {
    "without both": (),
    "trigram only": ("ix_feedback_events_comment_trgm",),
    "both (as migrated)": tuple(INDEXES),
}


def batches(count: int, tag: str, key_id: uuid.UUID) -> list[list[Prepared]]:
    templates = make_templates(2000, seed=7)
    received_at = datetime.now(UTC)
    out = []
    for b in range(count):
        out.append(
            [
                prepare(
                    FeedbackIn.model_validate(
                        {
                            **templates[(b * BATCH + i) % len(templates)],
                            "event_id": f"{tag}-{b}-{i}",
                        }
                    ),
                    key_id=key_id,
                    key_location_id=None,
                    received_at=received_at,
                    max_future=timedelta(minutes=5),
                )
                for i in range(BATCH)
            ]
        )
    return out


async def set_indexes(conn: asyncpg.Connection, present: tuple[str, ...]) -> None:
    for name, create in INDEXES.items():
        await conn.execute(f"DROP INDEX IF EXISTS {name}")
        if name in present:
            await conn.execute(create)
    await conn.execute("VACUUM ANALYZE feedback_events")


async def run(rounds: int, per_round: int, preload: int) -> None:
    given = os.environ.get("FEEDBACK_BENCH_DATABASE_URL")
    admin = (
        libpq_url(asyncpg_url(given))
        if given
        else await asyncio.to_thread(embedded.start_embedded, EMBEDDED_DIR)
    )
    name = f"feedback_bench_{secrets.token_hex(4)}"
    url = (
        asyncpg_url(given).set(database=name)
        if given
        else asyncpg_url(embedded.socket_url(admin, name))
    )
    admin_conn = await asyncpg.connect(admin)
    await admin_conn.execute(f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(migrate, url)
        conn = await asyncpg.connect(libpq_url(url))
        key_id = uuid.uuid4()
        print(f"preloading {preload:,} events ...")
        for batch in batches(preload // BATCH, "pre", key_id):
            await store(conn, batch)
        work = batches(rounds * len(VARIANTS) * per_round, "run", key_id)
        rates: dict[str, list[float]] = {v: [] for v in VARIANTS}
        for r in range(rounds):
            for v, present in VARIANTS.items():
                await set_indexes(conn, present)
                start = time.perf_counter()
                for _ in range(per_round):
                    await store(conn, work.pop())
                rates[v].append(per_round * BATCH / (time.perf_counter() - start))
            print(f"round {r + 1}: " + ", ".join(f"{v} {rates[v][-1]:,.0f}" for v in VARIANTS))
        await conn.close()
        base = statistics.median(rates["without both"])
        print(f"\nevents/s, median of {rounds} rounds of {per_round} x {BATCH} events:")
        for v, values in rates.items():
            median = statistics.median(values)
            print(f"  {v:20} {median:8,.0f}  ({100 * (median / base - 1):+.1f} %)")
    finally:
        await admin_conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin_conn.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rounds", type=int, default=7, help="rounds of each variant (7)")
    p.add_argument("--batches", type=int, default=20, help="500-event batches per round (20)")
    p.add_argument("--preload", type=int, default=200_000, help="events loaded first (200,000)")
    args = p.parse_args()
    asyncio.run(run(args.rounds, args.batches, args.preload))


if __name__ == "__main__":
    main()
