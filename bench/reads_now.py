"""Metric reads whose window ends now, with and without reading the current cell.

    python -m bench.reads_now --database-url postgresql://postgres@127.0.0.1:5432/postgres

Makes a database `bench_reads_now` beside the one named (dropped and made
again), fills it with `--events` events dated in the last 50 minutes (a busy
service's current hour, the soak run's situation), rolls them all up, then
times the service's own cells query for a 30-day window ending now, as a
dashboard asks: the total (summary) and per location (a breakdown). Each
round runs it both ways, alternating: "before" reads the part of the current
hour (day, for locations) up to now from the raw table; "after" reads that
hour's (day's) cell less the rolled-up rows dated after now (`plan.beyond`).
Medians of the rounds.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import asyncpg

import app.rollups.plan as plan_module
from app.cli import migrate
from app.db import asyncpg_url, libpq_url
from app.rollups import service as rollups
from app.rollups.cubes import cube_for
from app.rollups.plan import calendar, plan
from app.rollups.queries import STATE_SQL, cells_sql
from app.selection.filters import Selection

NAME = "bench_reads_now"


async def remake(server: str) -> None:
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {NAME}")
    finally:
        await admin.close()


async def fill(conn: asyncpg.Connection, events: int) -> None:
    await conn.execute(
        """
        INSERT INTO feedback_events (event_id, occurred_at, received_at, channel, location_id, nps)
        SELECT 'e' || g, now() - random() * interval '50 minutes', now(), 'web',
               'l' || (g % 200), (random() * 10)::int
        FROM generate_series(1, $1::int) g
        """,
        events,
    )
    await conn.execute("VACUUM ANALYZE feedback_events")
    await rollups.roll_up(conn, ("UTC",), chunk=10**12)


async def read(conn: asyncpg.Connection, group_by: str | None) -> float:
    """Milliseconds for one read, as app.rollups.cells.fetch_cells does it."""
    end = datetime.now(UTC)
    filters = Selection(start=end - timedelta(days=30), end=end, tz="UTC")
    started = time.perf_counter()
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        state = await conn.fetchrow(STATE_SQL, filters.start, filters.end, filters.tz)
        split = plan(
            start=filters.start, end=filters.end, cube=cube_for([group_by] if group_by else []),
            interval=None, zone="UTC", calendar=calendar(state, "UTC", filters.start),
            open_end=state["open_end"],
        )  # fmt: skip
        sql, params = cells_sql(
            filters, interval=None, group_by=group_by, plan=split, watermark=state["watermark"]
        )
        await conn.fetch(sql, *params)
    return (time.perf_counter() - started) * 1000


async def run(url: str, events: int, rounds: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        await fill(conn, events)
        current_cell = plan_module._from_cell
        never: Callable[..., bool] = lambda *_: False  # noqa: E731 - the code before the change
        for group_by in (None, "location_id"):
            times: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(rounds):
                for side, rule in (("before", never), ("after", current_cell)):
                    plan_module._from_cell = rule
                    times[side].append(await read(conn, group_by))
            plan_module._from_cell = current_cell
            before, after = statistics.median(times["before"]), statistics.median(times["after"])
            print(
                f"{events:,} events in the last 50 min, 30 days up to now, "
                f"group_by={group_by}: before {before:.1f} ms, after {after:.1f} ms "
                f"({before / after:.0f}x; medians of {rounds}, alternating)"
            )
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="any database on the server")
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    url = asyncpg_url(args.database_url).set(database=NAME)
    asyncio.run(remake(libpq_url(asyncpg_url(args.database_url))))
    migrate(url)
    asyncio.run(run(libpq_url(url), args.events, args.rounds))


if __name__ == "__main__":
    main()
