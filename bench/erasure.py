"""Erasure benchmark: how long erasing one respondent takes on a database of rolled-up events.

Loads --events generated events (bench/metrics_data.py; 200,000 by default) into a
fresh database, adds --respondents respondents with --per-respondent events each
(through the ingest statement, spread over the year, with comments and contact
data; every fifth a detractor, so follow-up cases too), rolls everything up in
the zones of --rollup-zones (with UTC: two zones by default), then erases the
respondents one at a time exactly as `DELETE /v1/respondents/{id}` does
(app/respondents/service.erase: rollup lock, subtraction, deletes, audit row),
timing each, and reports min, median and max. With --check (default) it then
compares the rollup cells with a rebuild from the remaining events.

Uses the embedded PostgreSQL in ./.data/bench, or FEEDBACK_BENCH_DATABASE_URL when
set; the database is dropped at the end unless --keep. Nothing here asserts a time.

Run: .venv/bin/python -m bench.erasure [--events 200000] [--respondents 9] [--per-respondent 50]
"""

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from app.db import libpq_url
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import store
from app.respondents import service
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild
from app.settings import Settings
from bench import metrics_data
from bench.metrics_query import admin_execute, open_database


def respondent_events(who: str, count: int, end: datetime) -> list[Prepared]:
    out = []
    for i in range(count):
        event = FeedbackIn.model_validate(
            {
                "event_id": f"{who}-{i}",
                "occurred_at": (end - timedelta(days=365 * (i + 0.5) / count)).isoformat(),
                "channel": ("pos", "web", "app")[i % 3],
                "touchpoint": "checkout",
                "location_id": f"bench-loc-{i % 4}",
                "employee_id": f"bench-emp-{i % 7}",
                "respondent": {"id": who, "segment": "gold"},
                "nps": 3 if i % 5 == 0 else 9,
                "csat": 1 + i % 5,
                "comment": "Something personal",
                "contact": {"email": f"{who}@example.com"},
            }
        )
        out.append(
            prepare(event, key_id=None, key_location_id=None, received_at=end,
                    max_future=timedelta(minutes=5))
        )  # fmt: skip
    return out


async def rollup_rows(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await conn.fetch("SELECT * FROM metric_rollups")
    return sorted((tuple(r.values()) for r in rows), key=repr)


async def run(args: argparse.Namespace) -> int:
    db = await open_database(None)
    url = libpq_url(db.url)
    zones = Settings(rollup_zones=args.rollup_zones).zones_rolled_up
    print(f"database {db.name}; rollup zones {', '.join(zones)}")
    try:
        end = datetime.now(UTC)
        await metrics_data.load(url, args.events, args.seed, end=end)
        conn = await asyncpg.connect(url)
        try:
            who = [f"bench-respondent-{r}" for r in range(args.respondents)]
            for name in who:
                await store(conn, respondent_events(name, args.per_respondent, end))
            t0 = time.monotonic()
            await rollups.catch_up(conn, zones)
            await conn.execute("ANALYZE")
            total = await conn.fetchval("SELECT count(*) FROM feedback_events")
            cells = await conn.fetchval("SELECT count(*) FROM metric_rollups")
            print(f"{total:,} events rolled up in {time.monotonic() - t0:.1f} s: {cells:,} cells")
            seconds = []
            for name in who:
                t0 = time.monotonic()
                erased = await service.erase(conn, name, None)
                seconds.append(time.monotonic() - t0)
                assert erased["events"] == args.per_respondent, erased
                print(
                    f"  {name}: {seconds[-1] * 1000:.1f} ms ({erased['events']} events, "
                    f"{erased['contacts']} contacts, {erased['follow_ups']} cases)"
                )
            print(
                f"erasure of {args.per_respondent} rolled-up events among {total:,}: "
                f"median {statistics.median(seconds) * 1000:.1f} ms, "
                f"min {min(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms "
                f"({len(seconds)} erasures)"
            )
            if args.check:
                incremental = await rollup_rows(conn)
                await rebuild(conn, zones)
                same = incremental == await rollup_rows(conn)
                print(f"rollup cells equal a rebuild from the remaining events: {same}")
                if not same:
                    return 1
        finally:
            await conn.close()
    finally:
        if args.keep:
            print(f"kept the database {db.name}")
        else:
            await admin_execute(db.admin, f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.erasure", description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=200_000, help="generated events (200,000)")
    p.add_argument("--respondents", type=int, default=9, help="respondents to erase (9)")
    p.add_argument("--per-respondent", type=int, default=50, help="events of each (50)")
    p.add_argument("--rollup-zones", default="Europe/Vienna", help="besides UTC (Europe/Vienna)")
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument("--keep", action="store_true", help="keep the database")
    p.add_argument("--no-check", dest="check", action="store_false", help="skip the rebuild")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
