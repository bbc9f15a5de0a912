"""Metrics query benchmark: each endpoint beside the single GROUP BY over the raw table.

Loads a year of generated feedback (bench/metrics_data.py, 10 million events by
default) into a fresh database, starts the service (uvicorn, one worker,
uvloop + httptools), and for each target query times the HTTP endpoint and the
equivalent plain GROUP BY over `feedback_events` (same window, same filters,
only the aggregates that query needs), alternating call by call, in the same
run. Reports p50/p95 of each, the speed-up, the target, and the size of the
raw table beside any rollup table. Nothing here asserts a timing; it reports.
Everything listens on 127.0.0.1 only.

Before timing, every event is rolled up (app/rollups; timed and reported) as
the service's own worker would have done while the events arrived.

Run: ./scripts/bench-metrics [--events N] [--repeat 20] [--keep]   (docs/benchmarks.md)
"""

import argparse
import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import math
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import orjson
import uvicorn
from sqlalchemy.engine import URL

from app import embedded
from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import connected, migrate
from app.db import asyncpg_url, libpq_url, own_connection
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild_for_zones
from app.settings import Settings
from bench import metrics_data
from bench.ingest import busy_cores, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
EMBEDDED_DIR = ROOT / ".data" / "bench"
SPEEDUP_TARGET = 20.0
MIN_CALLS = 3  # per side, even when the time budget is spent

# --- the queries -------------------------------------------------------------------------

CUSTOMERS = "respondent_type = 'customer'"  # the endpoints' default population
WINDOW = "occurred_at >= $1 AND occurred_at < $2"
NPS_AGGREGATES = (
    "count(*) FILTER (WHERE nps >= 9) AS promoters, "
    "count(*) FILTER (WHERE nps <= 6) AS detractors, count(nps) AS n"
)


def _servqual(d: str) -> str:
    p, e = f"sq_{d}_p", f"sq_{d}_e"
    return (
        f"count({p}), sum({p}), count({e}), sum({e}), count({p} - {e}), sum({p} - {e}), "
        f"sum(({p} - {e}) * ({p} - {e}))"
    )


# What every metric of a summary needs, and no more: counts, sums and sums of squares.
ALL_AGGREGATES = ", ".join(
    (
        "count(*) AS volume",
        NPS_AGGREGATES,
        "count(csat), count(*) FILTER (WHERE csat >= 4), sum(csat), sum(csat * csat)",
        "count(ces), count(*) FILTER (WHERE ces >= 5), sum(ces), sum(ces * ces)",
        *(_servqual(d) for d in metrics_data.SERVQUAL_DIMENSIONS),
    )
)


@dataclass(frozen=True)
class Query:
    """One target: the endpoint call and the raw GROUP BY that computes the same figures."""

    name: str
    path: str
    params: dict[str, str]
    raw_sql: str
    start: datetime
    end: datetime
    target_ms: float | None  # p50 target; None: measured for information only
    fallback: tuple[str, dict[str, str], str] | None = None  # path, params, note (on 404)


def _instant(t: datetime) -> str:
    return t.isoformat()


def _timeseries_sql(interval: str, column: str, tz: str) -> str:
    return (
        f"SELECT date_trunc('{interval}', occurred_at, '{tz}') AS bucket, {column}, "
        f"{NPS_AGGREGATES} FROM feedback_events WHERE {WINDOW} AND {CUSTOMERS} GROUP BY 1, 2"
    )


def make_queries(data_end: datetime) -> list[Query]:
    """The targets of issue 3, over windows that end at the first UTC midnight after the data."""
    end = (data_end.astimezone(UTC) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    year, month, quarter = end - timedelta(days=365), end - timedelta(days=30), end - timedelta(90)
    kolkata = ZoneInfo("Asia/Kolkata")
    k_end = (data_end.astimezone(kolkata) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    k_start = k_end - timedelta(days=365)

    def window(start: datetime, stop: datetime, tz: str = "UTC") -> dict[str, str]:
        return {"from": _instant(start), "to": _instant(stop), "tz": tz}

    by_employee = {**window(quarter, end), "group_by": "employee_id"}
    return [
        Query(
            "NPS by day, 1 year, by channel",
            "/v1/metrics/timeseries",
            {**window(year, end), "interval": "day", "group_by": "channel", "metrics": "nps"},
            _timeseries_sql("day", "channel", "UTC"),
            year,
            end,
            50,
        ),
        Query(
            "NPS by week, 1 year, by location",
            "/v1/metrics/timeseries",
            {**window(year, end), "interval": "week", "group_by": "location_id", "metrics": "nps"},
            _timeseries_sql("week", "location_id", "UTC"),
            year,
            end,
            150,
        ),
        Query(
            "summary, all metrics, 30 days",
            "/v1/metrics/summary",
            window(month, end),
            f"SELECT {ALL_AGGREGATES} FROM feedback_events WHERE {WINDOW} AND {CUSTOMERS}",
            month,
            end,
            30,
        ),
        Query(
            "NPS by employee, 90 days",
            "/v1/metrics/breakdown",
            {**by_employee, "metric": "nps"},
            f"SELECT employee_id, {NPS_AGGREGATES} FROM feedback_events "
            f"WHERE {WINDOW} AND {CUSTOMERS} GROUP BY 1",
            quarter,
            end,
            300,
            fallback=(
                "/v1/metrics/timeseries",
                {**by_employee, "interval": "year", "metrics": "nps"},
                "no /breakdown yet: timeseries interval=year",
            ),
        ),
        Query(
            "NPS by day, 1 year, by channel, tz=Asia/Kolkata",
            "/v1/metrics/timeseries",
            {
                **window(k_start, k_end, "Asia/Kolkata"),
                "interval": "day",
                "group_by": "channel",
                "metrics": "nps",
            },
            _timeseries_sql("day", "channel", "Asia/Kolkata"),
            k_start,
            k_end,
            None,
        ),
    ]


def nps_total(body: Any) -> int | None:
    """The NPS n the endpoint reports over all its rows, to check it saw the same events."""
    if not isinstance(body, dict):
        return None
    if "metrics" in body:
        return int(body["metrics"]["nps"]["n"])
    rows = body.get("rows")
    if isinstance(rows, list):
        return sum(int(r["n"]) for r in rows if r.get("metric") == "nps")
    return None


def returned(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("rows"), list):
        return f"{len(body['rows']):,} rows"
    if isinstance(body, dict) and isinstance(body.get("metrics"), dict):
        return f"{len(body['metrics'])} metrics"
    return "?"


# --- measuring ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """The CPU time of a process (all its threads), in seconds: its CPU clock
    (`clock_getcpuclockid`, nanoseconds); else utime + stime from /proc, in ticks of
    10 ms, too coarse for a call of a few ms (0 where neither is available)."""
    clock = ctypes.c_int()
    if _LIBC is not None and _LIBC.clock_getcpuclockid(pid, ctypes.byref(clock)) == 0:
        with contextlib.suppress(OSError):
            return time.clock_gettime(clock.value)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None


def p95(values: Sequence[float]) -> float:
    """Nearest rank: with fewer than 20 calls this is the slowest one."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Measured:
    query: Query
    path: str = ""
    note: str = ""
    returned: str = ""
    response_bytes: int = 0
    raw_rows: int = 0
    check: str = ""
    error: str = ""
    endpoint_ms: list[float] = field(default_factory=list)
    worker_cpu_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.endpoint_ms)

    @property
    def raw_p50(self) -> float:
        return statistics.median(self.raw_ms)

    @property
    def speedup(self) -> float:
        return self.raw_p50 / self.p50

    def met(self) -> str:
        if self.error or not self.endpoint_ms:
            return "-"
        if self.query.target_ms is None:
            return "(no target)"
        fast = self.p50 <= self.query.target_ms
        ahead = self.speedup >= SPEEDUP_TARGET
        if fast and ahead:
            return "**met**"
        missed = [] if fast else ["time"]
        missed += [] if ahead else ["speed-up"]
        return f"**missed** ({', '.join(missed)})"


async def measure(
    query: Query,
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    server_pid: int,
    args: argparse.Namespace,
) -> Measured:
    m = Measured(query, path=query.path)
    params = query.params
    response = await client.get(query.path, params=params)
    if response.status_code in (404, 405) and query.fallback:
        m.path, params, m.note = query.fallback
        response = await client.get(m.path, params=params)
    if response.status_code != 200:
        m.error = f"HTTP {response.status_code}: {response.text[:300]}"
        return m
    body = orjson.loads(response.content)
    m.returned, m.response_bytes = returned(body), len(response.content)
    raw = await conn.fetch(query.raw_sql, query.start, query.end)
    m.raw_rows = len(raw)
    served, expected = nps_total(body), sum(int(r["n"]) for r in raw)
    named = sum(int(r["n"]) for r in raw if "employee_id" in r and r["employee_id"] is not None)
    if served is None:
        m.check = "not checked"
    elif served in (expected, named):
        m.check = f"NPS n {served:,} = raw"
    else:
        m.check = f"MISMATCH: NPS n {served:,}, raw {expected:,}"
    for _ in range(args.warmup - 1):  # the calls above were the first warm-up
        await client.get(m.path, params=params)
        await conn.fetch(query.raw_sql, query.start, query.end)
    started = time.monotonic()
    while len(m.endpoint_ms) < args.repeat:
        # Alternate call by call, so a slow moment of the machine hits both sides.
        cpu, t0 = cpu_seconds(server_pid), time.perf_counter()
        response = await client.get(m.path, params=params)
        m.endpoint_ms.append((time.perf_counter() - t0) * 1000)
        m.worker_cpu_ms.append((cpu_seconds(server_pid) - cpu) * 1000)
        if response.status_code != 200:
            m.error = f"HTTP {response.status_code} on a timed call: {response.text[:300]}"
            return m
        t0 = time.perf_counter()
        await conn.fetch(query.raw_sql, query.start, query.end)
        m.raw_ms.append((time.perf_counter() - t0) * 1000)
        if len(m.endpoint_ms) >= MIN_CALLS and time.monotonic() - started > args.budget:
            break
    return m


# --- databases and the service -----------------------------------------------------------


@dataclass(frozen=True)
class Database:
    admin: str  # libpq URL of a database to run CREATE/DROP DATABASE from
    url: URL
    name: str
    embedded: bool
    created: bool


async def admin_execute(admin: str, sql: str) -> None:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def open_database(reuse: str | None) -> Database:
    given = os.environ.get("FEEDBACK_BENCH_DATABASE_URL")
    if given:
        admin = libpq_url(asyncpg_url(given))
    else:
        print(f"starting the embedded PostgreSQL in {EMBEDDED_DIR.relative_to(ROOT)} ...")
        admin = await asyncio.to_thread(embedded.start_embedded, EMBEDDED_DIR)
    name = reuse or f"feedback_bench_metrics_{secrets.token_hex(4)}"
    url = (
        asyncpg_url(given).set(database=name)
        if given
        else asyncpg_url(embedded.socket_url(admin, name))
    )
    if not reuse:
        await admin_execute(admin, f'CREATE DATABASE "{name}"')
    # Also on a reused database: it picks up new migrations (rollup tables, say).
    await asyncio.to_thread(migrate, url)
    return Database(admin, url, name, embedded=not given, created=not reuse)


async def create_read_key(url: URL) -> str:
    async def work(conn: asyncpg.Connection) -> tuple[dict[str, Any], str]:
        return await key_service.create_key(
            conn, KeyCreate(name="metrics benchmark", scope=Scope.read)
        )

    _, token = await connected(url, work)
    return token


# --- report ------------------------------------------------------------------------------


def machine_info(
    settings: dict[str, str], busy: float, busy_after: float, embedded_pg: bool
) -> dict[str, str]:
    model, memory = "?", "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kib / 2**20:.0f} GiB"
    git = "?"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "app", "migrations"],
            cwd=ROOT, capture_output=True, text=True,
        ).stdout.count("\n")  # fmt: skip
        git = f"{head}" + (f" + {dirty} changed files in app/, migrations/" if dirty else "")
    pg = settings.pop("server_version")
    return {
        "CPUs": f"{os.cpu_count()} ({model}), {memory} RAM",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "PostgreSQL": pg + (" (embedded)" if embedded_pg else ""),
        "PostgreSQL settings": ", ".join(f"{k} {v}" for k, v in settings.items()),
        "uvicorn": f"{uvicorn.__version__}, 1 worker, uvloop + httptools, no access log",
        "code": git,
        "other load": f"{busy:.2f} cores busy before the run, {busy_after:.2f} after it",
    }


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _bytes(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB" if n < 2**30 else f"{n / 2**30:,.2f} GiB"


def report(
    info: dict[str, str],
    args: argparse.Namespace,
    load: metrics_data.LoadResult | None,
    after_load: float | None,
    rollup: tuple[int, float, tuple[str, ...], int],
    results: Sequence[Measured],
    sizes: Sequence[tuple[str, int, int, int]],
    data: tuple[int, datetime, datetime],
    started: datetime,
    elapsed: float,
) -> str:
    events, first, last = data
    lines = [
        f"# Metrics query benchmark, {started:%Y-%m-%d %H:%M} UTC",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        f"- data: {events:,} events from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC "
        f"(seed {args.seed}; bench/metrics_data.py)",
        f"- calls: {args.warmup} warm-up, then up to {args.repeat} timed per side, alternating "
        f"endpoint and raw query, at least {MIN_CALLS}, until {args.budget:g} s per query; "
        f"whole run {elapsed / 60:.1f} min",
        "",
    ]
    if load:
        s = load.seconds
        lines += [
            f"Load: {load.events:,} events by COPY in {s['copy']:.0f} s "
            f"(**{load.copy_rate:,.0f} rows/s**, {args.jobs or os.cpu_count()} processes), "
            f"ledger and contacts by INSERT ... SELECT {s['ledger']:.0f} s, indexes "
            f"{s['indexes']:.0f} s, VACUUM ANALYZE {s['vacuum']:.0f} s; "
            f"{load.total_seconds:.0f} s in all.",
            "",
        ]
    if after_load is not None:
        lines += [f"After the load: `{args.after_load_sql}` took {after_load:.1f} s.", ""]
    rolled, rollup_seconds, zones, jobs = rollup
    rate = f" ({rolled / rollup_seconds:,.0f} events/s)" if rolled and rollup_seconds else ""
    lines += [
        f"Rollup before timing: {rolled:,} event ids rolled up in {rollup_seconds:.1f} s{rate}, "
        f"local days of {', '.join(zones)} (`app/rollups/rebuild.py` as on a first start: "
        f"ranges of about {rollups.DEFAULT_CHUNK:,} events on {jobs} connection(s), "
        "`FEEDBACK_ROLLUP_REBUILD_JOBS`; on a reused "
        "database, rounds of what is left).",
        "",
    ]
    lines += [
        "| query | endpoint | returned | p50 ms | p95 ms | raw GROUP BY p50 ms | p95 ms "
        "| speed-up | target | verdict |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for m in results:
        q = m.query
        target = f"≤ {q.target_ms:g} ms, ≥ {SPEEDUP_TARGET:g}x" if q.target_ms is not None else "-"
        endpoint = f"`{m.path}`" + (f" ({m.note})" if m.note else "")
        if m.error or not m.endpoint_ms:
            lines.append(
                f"| {q.name} | {endpoint} | - | - | - | - | - | - | {target} | {m.error} |"
            )
            continue
        lines.append(
            f"| {q.name} | {endpoint} | {m.returned} | {_ms(m.p50)} | {_ms(p95(m.endpoint_ms))} "
            f"| {_ms(m.raw_p50)} | {_ms(p95(m.raw_ms))} | {m.speedup:.2f}x | {target} "
            f"| {m.met()} |"
        )
    lines += [
        "",
        "Per query: the request, the raw query's rows, what was checked, and the worker's CPU "
        "per call (the rest of the endpoint's time is PostgreSQL and waiting).",
        "",
        "| query | request | calls | raw rows | response | worker CPU ms per call (mean) | check |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in results:
        params = m.query.fallback[1] if m.note and m.query.fallback else m.query.params
        request = f"`{m.path}?" + "&".join(f"{k}={v}" for k, v in params.items()) + "`"
        cpu = _ms(statistics.fmean(m.worker_cpu_ms)) if m.worker_cpu_ms else "-"
        lines.append(
            f"| {m.query.name} | {request} | {len(m.endpoint_ms)} | {m.raw_rows:,} "
            f"| {m.response_bytes / 1024:,.0f} KiB | {cpu} | {m.check or m.error} |"
        )
    lines += [
        "",
        "Raw SQL (same window and population as the request; `$1`, `$2` = from, to):",
        "",
        *(f"- {m.query.name}: `{m.query.raw_sql}`" for m in results),
        "",
        "| table | rows (planner estimate) | total size | of which indexes |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {name} | {rows:,} | {_bytes(total)} | {_bytes(idx)} |"
            for name, rows, total, idx in sizes
        ),
    ]
    if not any("rollup" in name for name, *_ in sizes):
        lines += ["", "No rollup table exists (no table name contains `rollup`)."]
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.metrics_query", description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=10_000_000, help="events to load (10,000,000)")
    p.add_argument("--seed", type=int, default=1, help="data generator seed (1)")
    p.add_argument("--jobs", type=int, help="generating processes (default: one per CPU)")
    p.add_argument("--repeat", type=int, default=20, help="timed calls per side (20)")
    p.add_argument("--warmup", type=int, default=2, help="warm-up calls per side (2)")
    p.add_argument(
        "--budget", type=float, default=60, help="stop a query's calls after this many s (60)"
    )
    p.add_argument(
        "--rollup-zones",
        default="Asia/Kolkata",
        help="FEEDBACK_ROLLUP_ZONES of the run (Asia/Kolkata; UTC is always rolled up)",
    )
    p.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    p.add_argument("--reuse", metavar="DATABASE", help="time a database kept by --keep (no load)")
    p.add_argument(
        "--after-load-sql",
        metavar="SQL",
        help="run this once after loading and before timing (say, to fill rollups); timed",
    )
    args = p.parse_args(argv)
    if args.events < 1 or args.repeat < 1 or args.warmup < 1:
        p.error("--events, --repeat and --warmup must be at least 1")
    return args


async def run(args: argparse.Namespace) -> int:
    started, t0 = datetime.now(UTC), time.monotonic()
    db = await open_database(args.reuse)
    url = libpq_url(db.url)
    print(f"database {db.name}")
    try:
        busy = await asyncio.to_thread(busy_cores)
        load = None
        if not args.reuse:
            load = await metrics_data.load(url, args.events, args.seed, jobs=args.jobs)
        conn = await asyncpg.connect(url)
        try:
            after_load = None
            if args.after_load_sql:
                t1 = time.monotonic()
                await conn.execute(args.after_load_sql)
                after_load = time.monotonic() - t1
            service_settings = Settings(rollup_zones=args.rollup_zones)
            zones, jobs = (
                service_settings.zones_rolled_up,
                service_settings.rollup_rebuild_connections,
            )
            connect = functools.partial(own_connection, url)
            t1 = time.monotonic()
            # What a service's first start on this history does: a rebuild (on
            # FEEDBACK_ROLLUP_REBUILD_JOBS connections), then rounds.
            rebuilt = await rebuild_for_zones(conn, zones, jobs=jobs, connect=connect)
            rolled = rebuilt + await rollups.catch_up(conn, zones)
            rollup_seconds = time.monotonic() - t1
            # Planner statistics, as autovacuum keeps them for the leaf partitions of a
            # running service (an unanalysed partition is read by index, 2x slower).
            await conn.execute("ANALYZE metric_rollups")
            first, last, events = await conn.fetchrow(
                "SELECT min(occurred_at), max(occurred_at), count(*) FROM feedback_events"
            )
            if not events:
                raise RuntimeError(f"{db.name} has no events")
            names = (
                "server_version", "shared_buffers", "work_mem",
                "max_parallel_workers_per_gather", "jit",
            )  # fmt: skip
            settings = {n: str(await conn.fetchval(f"SHOW {n}")) for n in names}
            # `jit on` means nothing when the server was built without LLVM.
            settings["jit available"] = str(await conn.fetchval("SELECT pg_jit_available()"))
            token = await create_read_key(db.url)
            env = {
                **os.environ, "FEEDBACK_DATABASE_URL": url,
                "FEEDBACK_ROLLUP_ZONES": args.rollup_zones,
                # Only the requests in the worker's CPU: the alerts' rounds and the text
                # enrichment of millions of generated comments would run beside them.
                "FEEDBACK_ALERTS_INTERVAL_SECONDS": "0", "FEEDBACK_TEXT_INTERVAL_SECONDS": "0",
                "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0",
            }  # fmt: skip
            results = []
            with tempfile.TemporaryDirectory(prefix="feedback-bench-") as tmp:
                server = await start_server("service", "app.main:create_app", env, Path(tmp), None)
                try:
                    headers = {"authorization": f"Bearer {token}"}
                    async with httpx.AsyncClient(
                        base_url=server.base, headers=headers, timeout=600
                    ) as client:
                        for query in make_queries(last):
                            print(f"{query.name} ...", flush=True)
                            m = await measure(query, client, conn, server.process.pid, args)
                            results.append(m)
                            if m.endpoint_ms:
                                print(
                                    f"  endpoint p50 {m.p50:,.1f} ms ({len(m.endpoint_ms)} calls, "
                                    f"{m.returned}), raw p50 {m.raw_p50:,.1f} ms, "
                                    f"speed-up {m.speedup:.2f}x  {m.check}"
                                )
                            else:
                                print(f"  {m.error}")
                finally:
                    await stop_server(server)
            sizes = await metrics_data.table_sizes(conn)
            busy_after = await asyncio.to_thread(busy_cores)
            info = machine_info(settings, busy, busy_after, db.embedded)
        finally:
            await conn.close()
        text = report(
            info, args, load, after_load, (rolled, rollup_seconds, zones, jobs), results, sizes,
            (int(events), first, last), started, time.monotonic() - t0,
        )  # fmt: skip
    finally:
        if args.keep or args.reuse:
            print(f"kept the database {db.name}: --reuse {db.name} times it again")
        elif db.created:
            await admin_execute(db.admin, f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"metrics-{started:%Y%m%d-%H%M%S}.md"
    out.write_text(text)
    print()
    print(text)
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
