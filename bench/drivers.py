"""Key driver analysis on a million respondents: how long `GET /v1/metrics/drivers`
takes, where the time goes, and against what this machine reads the same rows in.

    python -m bench.drivers --database-url postgresql://postgres@127.0.0.1:5432/postgres

1. A database `bench_drivers` beside the one named (dropped and made again, migrated)
   gets `--events` events over 90 days, made by PostgreSQL itself (`generate_series`,
   `setseed`): every one with NPS and the five SERVQUAL perceptions (correlated through
   one latent satisfaction per respondent, as real answers are), a touchpoint (6), a
   channel (5), a segment (4), an acquisition source (4), attributes `wait_minutes`
   (exponential, mean 12) and `staff_on_shift` (1-6), and the tag `vip` on 10 %. The
   score follows responsiveness and reliability most, the wait against it.
2. A `uvicorn app.main:create_app` server on 127.0.0.1 (background workers off) answers
   `GET /v1/metrics/drivers` with those 12 drivers over the 90 days, `--repeat` times
   for each bootstrap size; wall time per answer (median, min, max), seen by the client.
3. Where the time goes, in this process with the service's own functions: the binary
   COPY of the answers, the plan (numpy), the statement that names the levels kept (the
   service runs it while the model fits), and the model with its bootstrap (numpy).
4. The machine's own ceiling in the same run: a bare binary COPY of the same columns of
   the same rows (no expressions) and a `count(*)` of them; the answer's time as a
   multiple of the COPY.

Prints a markdown table. Generated data only; the database is dropped at the end
(`--keep` keeps it for another run with `--reuse`).
"""

import argparse
import asyncio
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import asyncpg
import httpx

from app.cli import migrate
from app.db import Database, asyncpg_url, libpq_url
from app.drivers import design, service
from app.selection.filters import Selection
from bench.ingest import start_server, stop_server
from bench.metrics_query import create_read_key

NAME = "bench_drivers"
DAYS = 90
DRIVERS = (
    "servqual:reliability,servqual:responsiveness,servqual:assurance,servqual:tangibles,"
    "servqual:empathy,touchpoint,channel,segment,acquisition_source,attribute:wait_minutes,"
    "attribute:staff_on_shift,tag:vip"
)

GENERATE = """
INSERT INTO feedback_events (
    event_id, occurred_at, received_at, channel, touchpoint, location_id, respondent_type,
    segment, acquisition_source, nps, sq_reliability_p, sq_responsiveness_p, sq_assurance_p,
    sq_tangibles_p, sq_empathy_p, tags, attributes)
SELECT 'd-' || i, t, t, channel, touchpoint, 'branch-' || (i % 40), 'customer', segment,
       source,
       least(10, greatest(0, round(7 + 1.1 * (0.9 * rs + 0.6 * rl + 0.2 * asr + 0.15 * tg
            + 0.1 * em - 0.05 * (wait - 12) + 0.25 * vip + 0.9 * z6)))),
       sq(rl), sq(rs), sq(asr), sq(tg), sq(em),
       CASE WHEN vip = 1 THEN ARRAY['vip'] ELSE '{}' END,
       jsonb_build_object('wait_minutes', round(wait::numeric, 1), 'staff_on_shift', staff)
FROM (
    SELECT i, $1::timestamptz + (i::float8 / $2) * interval '90 days' AS t,
           (ARRAY['pos','web','app','phone','kiosk'])[1 + (i * 7) % 5] AS channel,
           (ARRAY['checkout','returns','delivery','support','pickup','billing'])
               [1 + (i * 13) % 6] AS touchpoint,
           (ARRAY['new','regular','loyal','business'])[1 + (i * 3) % 4] AS segment,
           (ARRAY['search','referral','ads','store'])[1 + (i * 11) % 4] AS source,
           0.8 * l + 0.6 * z1 AS rl, 0.8 * l + 0.6 * z2 AS rs, 0.6 * l + 0.8 * z3 AS asr,
           0.5 * l + 0.87 * z4 AS tg, 0.6 * l + 0.8 * z5 AS em, z6,
           -12 * ln(1 - u1) AS wait, 1 + floor(u2 * 6)::int AS staff,
           (u3 < 0.1)::int AS vip
    FROM (
        SELECT i, n[1] AS l, n[2] AS z1, n[3] AS z2, n[4] AS z3, n[5] AS z4, n[6] AS z5,
               n[7] AS z6, random() AS u1, random() AS u2, random() AS u3
        FROM generate_series(1, $2) AS i,
        LATERAL (SELECT array_agg(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))
                 AS n FROM generate_series(1, 7) WHERE i > 0) AS normals
    ) AS draws
) AS rows
"""
SQ_FUNCTION = """
CREATE FUNCTION pg_temp.sq(x float8) RETURNS int2 LANGUAGE sql IMMUTABLE AS
$$ SELECT least(7, greatest(1, round(5 + 1.2 * x)))::int2 $$
"""


async def admin_execute(server: str, *statements: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def make_database(server: str, events: int, start: datetime) -> str:
    await admin_execute(
        server, f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)", f"CREATE DATABASE {NAME}"
    )
    url = asyncpg_url(server).set(database=NAME)
    await asyncio.to_thread(migrate, url)
    conn = await asyncpg.connect(libpq_url(url))
    try:
        await conn.execute("SELECT setseed(0.2)")
        await conn.execute(SQ_FUNCTION)
        began = time.monotonic()
        await conn.execute(GENERATE.replace("sq(", "pg_temp.sq("), start, events)
        await conn.execute("INSERT INTO feedback_event_ids (event_id, event_pk, occurred_at, "
                           "body_hash) SELECT event_id, id, occurred_at, '\\x00' "
                           "FROM feedback_events")  # fmt: skip
        await conn.execute("VACUUM ANALYZE")
        say(f"generated {events:,} events in {time.monotonic() - began:.0f} s")
    finally:
        await conn.close()
    return libpq_url(url)


def summary(times: list[float]) -> str:
    return (
        f"{statistics.median(times) * 1000:,.0f} ms "
        f"({min(times) * 1000:,.0f}-{max(times) * 1000:,.0f})"
    )


class Connections:
    """What `service._read` asks of the service's Database: another connection."""

    def __init__(self, url: str) -> None:
        self.url = url

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await asyncpg.connect(self.url)
        try:
            yield conn
        finally:
            await conn.close()


async def phases(url: str, selection: Selection, replicates: int, repeat: int) -> dict[str, Any]:
    """COPY, plan, names and model, each timed on its own, with the service's functions."""
    drivers = design.parse([DRIVERS])
    conn = await asyncpg.connect(url)
    out: dict[str, list[float]] = {
        "copy": [], "plan": [], "names": [], "model": [], "bare": [], "count": [],
    }  # fmt: skip
    chunks: list[bytes] = []

    async def sink(chunk: bytes) -> None:
        chunks.append(chunk)

    try:
        for _ in range(repeat):
            began = time.perf_counter()
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                records = await service._read(
                    cast(Database, Connections(url)), conn, selection, "nps", drivers, True
                )
            out["copy"].append(time.perf_counter() - began)
            began = time.perf_counter()
            planned = service.plan(records, drivers, selection.min_n)
            out["plan"].append(time.perf_counter() - began)
            labels = service.labels_sql(selection, "nps", drivers, planned.kept)
            assert labels is not None
            began = time.perf_counter()
            await conn.fetch(labels[0], *labels[1])
            out["names"].append(time.perf_counter() - began)
            began = time.perf_counter()
            service._model("nps", planned, records, replicates)
            out["model"].append(time.perf_counter() - began)
            bare = (
                "SELECT nps, sq_reliability_p, sq_responsiveness_p, sq_assurance_p, "
                "sq_tangibles_p, sq_empathy_p, channel, touchpoint, segment, "
                "acquisition_source, attributes, tags FROM feedback_events "
                "WHERE occurred_at >= $1 AND occurred_at < $2"
            )
            chunks.clear()
            began = time.perf_counter()
            await conn.copy_from_query(
                bare, selection.start, selection.end, output=sink, format="binary"
            )
            out["bare"].append(time.perf_counter() - began)
            began = time.perf_counter()
            await conn.fetchval(
                "SELECT count(*) FROM feedback_events WHERE occurred_at >= $1 AND occurred_at < $2",
                selection.start,
                selection.end,
            )
            out["count"].append(time.perf_counter() - began)
    finally:
        await conn.close()
    return out


async def main(args: argparse.Namespace) -> None:

    end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=DAYS)
    server = args.database_url
    url = (
        libpq_url(asyncpg_url(server).set(database=NAME))
        if args.reuse
        else await make_database(server, args.events, start)
    )
    selection = Selection(start=start, end=end, tz="UTC")
    token = await create_read_key(asyncpg_url(url))
    env = {
        **os.environ,
        "FEEDBACK_DATABASE_URL": url,
        "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0",
        "FEEDBACK_ALERTS_INTERVAL_SECONDS": "0",
        "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0",
        "FEEDBACK_TEXT_INTERVAL_SECONDS": "0",
    }
    rows: list[tuple[int, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-drivers-") as tmp:
        api = await start_server("drivers", "app.main:create_app", env, Path(tmp), None)
        try:
            headers = {"authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(base_url=api.base, headers=headers, timeout=600) as http:
                for replicates in args.replicates:
                    params = {
                        "from": start.isoformat(), "to": end.isoformat(), "drivers": DRIVERS,
                        "replicates": replicates,
                    }  # fmt: skip
                    times = []
                    for i in range(args.repeat + 1):
                        began = time.perf_counter()
                        response = await http.get("/v1/metrics/drivers", params=params)
                        took = time.perf_counter() - began
                        if response.status_code != 200:
                            raise RuntimeError(response.text[:500])
                        if i:  # the first one warms caches up, untimed
                            times.append(took)
                    body = response.json()
                    rows.append((replicates, times))
                    say(f"replicates {replicates}: {summary(times)}")
        finally:
            await stop_server(api)
    split = await phases(url, selection, args.replicates[0], args.repeat)
    print(f"\n## Key driver analysis, {args.events:,} events, 12 drivers\n")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"n in the model {body['n']:,}, R² {body['r2']:.3f}, "
          f"{len(body['dropped'])} drivers dropped\n")  # fmt: skip
    print("| what | wall, median (min-max) |\n|---|---:|")
    for replicates, times in rows:
        print(f"| GET /v1/metrics/drivers, {replicates} replicates (HTTP, end to end) | "
              f"{summary(times)} |")  # fmt: skip
    for name, label in (
        ("copy", f"binary COPY of the respondents' answers in {service.PARTS} parts, parsed"),
        ("plan", "plan: kinds, levels, drops (numpy)"),
        ("names", "the kept levels' names (one statement; overlaps the model)"),
        ("model", f"model + bootstrap ({args.replicates[0]} replicates, numpy)"),
        ("bare", "ceiling: bare binary COPY of the same columns and rows"),
        ("count", "ceiling: count(*) of the same rows"),
    ):
        print(f"| {label} | {summary(split[name])} |")
    best = statistics.median(rows[0][1]) / statistics.median(split["bare"])
    print(f"\nThe answer takes {best:.1f} times a bare COPY of its rows.")
    print("\nTop drivers: " + ", ".join(
        f"{d['driver']} {d['importance']:.1f} % [{d['importance_ci_low']:.1f}, "
        f"{d['importance_ci_high']:.1f}] {d['quadrant']}" for d in body["drivers"][:5]
    ))  # fmt: skip
    if not args.keep:
        await admin_execute(server, f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.drivers", description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True, help="a PostgreSQL server (admin URL)")
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--replicates", type=int, nargs="+", default=[500, 200, 1000])
    p.add_argument("--keep", action="store_true", help="keep the database")
    p.add_argument("--reuse", action="store_true", help="use the kept database")
    return p.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
