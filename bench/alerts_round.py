"""How long an alert round takes: the detector alone on many scopes, and a whole round
(reading the series from the rollups, evaluating, writing) on the demo chain.

    python -m bench.alerts_round --database-url postgresql://postgres@127.0.0.1:5432/postgres

1. **Detector**: `detect.evaluate` on `--scopes` synthetic branch series (NPS, 84 days
   of 5-20 answers a day, each with its rest of the chain), in memory: the CPU a
   round spends per series, whatever the database.
2. **Round**: a database `bench_alerts_round` beside the one named (dropped and made
   again) gets the demo chain (`--scale`, 1 = about 120,000 events) with the demo's
   zones rolled up, then `service.run_round` runs `--rounds` times (the first opens
   the alerts, the others update them, as the worker's rounds do). Medians, with the
   time spent reading the series.
"""

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, date, datetime

import asyncpg

from app.alerts import service
from app.alerts.detect import Series, Sums, evaluate
from app.alerts.rules import AlertRules
from app.cli import migrate
from app.db import asyncpg_url, create_engine, libpq_url
from app.demo import chain
from app.demo.generate import Spec
from app.demo.service import fill
from app.settings import Settings

NAME = "bench_alerts_round"
END = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def detector(scopes: int, seed: int) -> tuple[float, int]:
    """Seconds to evaluate `scopes` NPS series with their rest of the chain, and the tests."""
    rng = random.Random(seed)
    rules = AlertRules()

    def day(n: int) -> Sums:
        promoters = sum(rng.random() < 0.5 for _ in range(n))
        detractors = sum(rng.random() < 0.15 for _ in range(n))
        return Sums(n, 100.0 * (promoters - detractors), 1e4 * (promoters + detractors))

    shapes = [tuple(day(rng.randint(5, 20)) for _ in range(84)) for _ in range(200)]
    series = []
    for i in range(scopes):
        days = shapes[i % len(shapes)]
        rest = tuple(Sums(3000 - d.n, 90_000 - d.total, 3e7 - d.squares) for d in days)
        series.append(Series(("nps", "location_id", f"b{i}", ()), date(2026, 1, 1), days, rest))
    began = time.perf_counter()
    out = evaluate(series, {}, rules.tuning(), rules.watch())
    return time.perf_counter() - began, out.tested


async def demo_database(server: str, scale: float) -> str:
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {NAME}")
    finally:
        await admin.close()
    url = asyncpg_url(server).set(database=NAME)
    zones = ",".join(sorted({b.timezone for b in chain.BRANCHES}))
    settings = Settings(database_url=libpq_url(url), rollup_interval_seconds=0, rollup_zones=zones)
    await asyncio.to_thread(migrate, url)  # Alembic runs its own event loop
    engine = create_engine(url, settings)
    try:
        await fill(engine, settings, Spec(seed=1, end=END, scale=scale), jobs=2)
    finally:
        await engine.dispose()
    return libpq_url(url)


async def rounds(url: str, count: int) -> list[service.RoundResult]:
    conn = await asyncpg.connect(url)
    context = service.Context("UTC", Settings().follow_up_sla, Settings().employee_min_n)
    try:
        return [await service.run_round(conn, context, now=END) for _ in range(count)]
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to make the database on")
    parser.add_argument("--scopes", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    seconds, tested = detector(args.scopes, args.seed)
    print(f"detector: {args.scopes:,} scopes ({tested:,} tests) in {seconds:.2f} s, "
          f"{1e6 * seconds / args.scopes:.0f} µs a series")  # fmt: skip
    if not args.database_url:
        return
    url = asyncio.run(demo_database(args.database_url, args.scale))
    results = asyncio.run(rounds(url, args.rounds))
    first, rest = results[0], results[1:] or results
    print(f"round on the demo chain (scale {args.scale}): {first.series:,} series, "
          f"{first.tested:,} tests, {first.opened} opened")  # fmt: skip
    print(f"  first round {first.seconds:.2f} s ({first.read_seconds:.2f} s reading)")
    print(
        f"  later rounds, median of {len(rest)}: "
        f"{statistics.median(r.seconds for r in rest):.2f} s "
        f"({statistics.median(r.read_seconds for r in rest):.2f} s reading)"
    )


if __name__ == "__main__":
    main()
