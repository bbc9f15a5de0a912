"""Ingest benchmark: the service against this machine's own ceilings, measured in the same run.

- Single events: wrk (64 connections, 2 threads) POSTs realistic events with a
  unique event_id each to `POST /v1/feedback`, served by uvicorn with one
  worker. Ceiling: a FastAPI route that returns a constant
  (bench/constant_app.py), served and driven the same way.
- Batches: 500-event `POST /v1/feedback/batch` from a few concurrent httpx
  clients. Two ceilings, both asyncpg `copy_records_to_table` of the same rows
  (the same columns the service stores), one connection, 500-row chunks, in an
  identical fresh database: the *bare* COPY into a table with the columns of
  `feedback_events` and nothing else (no index, constraint or partitioning: what
  the disk and PostgreSQL take at most), and the *indexed* COPY into
  `feedback_events` itself.

The service runs as deployed, its background workers included (the rollups
fold in what it stores while it is measured), except text enrichment: that is
work deferred by design (it reads comments from a watermark, at its own pace;
bench/text.py measures it), and it would otherwise spend the CPU of one side's
rounds catching up on another's comments. `--text` turns it on.

Rounds alternate (ceiling, service, ceiling, service, ...) and the medians are
compared as a ratio, so a slow or noisy machine moves both sides alike. Nothing
here asserts a timing; it reports. Everything listens on 127.0.0.1 only.

Run: ./scripts/bench [--rounds N] [--profile]   (docs/benchmarks.md)
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from app.db import asyncpg_url, libpq_url
from app.settings import Settings
from bench import profile
from bench.events import COLUMN_NAMES, BatchSource, make_templates

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
EMBEDDED_DIR = ROOT / ".data" / "bench"
SINGLE_LUA = BENCH_DIR / "single.lua"
HOST = "127.0.0.1"  # loopback only
UVICORN_FLAGS = ("--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log")
SINGLE_TARGET = 0.25
# --logs: the service's logging (JSON lines, an access line per request) as `feedback serve`
# sets it up, written to the server's log file; otherwise uvicorn's, at warning level.
LOG_CONFIG: list[Path] = []
BATCH_TARGET = 0.50  # of the indexed COPY (the first wave's target)
BARE_TARGET = 0.25  # of the bare COPY (issue 22)
BARE_TABLE = "bench_bare_events"


# --- machine and CPU accounting ----------------------------------------------------------


def _ticks(pid: int, children: bool = False) -> float:
    """utime + stime of one process (and of its exited children), in seconds; 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _postgres_pids(postmaster: int) -> list[int]:
    """The postmaster and its children (backends, checkpointer, ...): this server only."""
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == postmaster:
            pids.append(int(entry.name))
    return pids


def _machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat, idle and iowait left out)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:8]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def busy_cores(seconds: float = 1.0) -> float:
    """How many cores the whole machine keeps busy now (other work competes with the bench)."""
    start = _machine_busy()
    time.sleep(seconds)
    return (_machine_busy() - start) / seconds


@dataclass
class CpuMeter:
    """CPU seconds used by the server, PostgreSQL, the load generator and the rest of the
    machine over one round.

    Reported as cores busy (1.0 = one core all the time); the machine has only a
    few, so this shows who the bottleneck is, and whether something else was
    competing. Load generator = this process plus its exited children (wrk).
    """

    server_pid: int
    postmaster: int | None
    start_wall: float = 0.0
    start: dict[str, float] = field(default_factory=dict)
    cores: dict[str, float] = field(default_factory=dict)  # the result, set on exit

    def _read(self) -> dict[str, float]:
        times = os.times()
        return {
            "server": _ticks(self.server_pid),
            # The postmaster's children count covers backends that exited during the round.
            "postgres": sum(_ticks(pid, children=True) for pid in _postgres_pids(self.postmaster))
            if self.postmaster
            else float("nan"),
            "client": times.user + times.system + times.children_user + times.children_system,
            "machine": _machine_busy(),
        }

    def __enter__(self) -> "CpuMeter":
        self.start_wall = time.monotonic()
        self.start = self._read()
        return self

    def __exit__(self, *_: object) -> None:
        end = self._read()
        wall = time.monotonic() - self.start_wall
        self.cores = {k: (end[k] - self.start[k]) / wall for k in end if k != "machine"}
        # Whatever else ran meanwhile (other people's tests, ...) took this from the bench.
        self.cores["other"] = max(
            0.0,
            (end["machine"] - self.start["machine"]) / wall
            - sum(v for v in self.cores.values() if v == v),  # NaN: PostgreSQL not visible
        )


def machine_info(pg_version: str, wrk_version: str, busy: float) -> dict[str, str]:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "CPUs": f"{os.cpu_count()} ({model})",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "PostgreSQL": pg_version,
        "uvicorn": f"{uvicorn.__version__}, 1 worker, uvloop + httptools, no access log",
        "wrk": wrk_version,
        "other load before the run": f"{busy:.2f} cores busy",
    }


# --- databases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Databases:
    admin: str  # libpq URL of a database to run CREATE/DROP DATABASE from
    service: URL
    ceiling: URL
    names: tuple[str, ...]
    embedded: bool
    postmaster: int | None  # None when the server is not a local process we can see


async def _admin_execute(admin: str, sql: str) -> None:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_databases() -> Databases:
    """A fresh migrated database with an ingest key, and an identical copy for the ceiling."""
    given = os.environ.get("FEEDBACK_BENCH_DATABASE_URL")
    if given:
        admin = libpq_url(asyncpg_url(given))
    else:
        print(f"starting the embedded PostgreSQL in {EMBEDDED_DIR.relative_to(ROOT)} ...")
        admin = await asyncio.to_thread(embedded.start_embedded, EMBEDDED_DIR)
    suffix = secrets.token_hex(4)
    service_name, ceiling_name = f"feedback_bench_{suffix}", f"feedback_bench_{suffix}_copy"

    def url_for(name: str) -> URL:
        if given:
            return asyncpg_url(given).set(database=name)
        return asyncpg_url(embedded.socket_url(admin, name))

    await _admin_execute(admin, f'CREATE DATABASE "{service_name}"')
    await asyncio.to_thread(migrate, url_for(service_name))
    # The copy is made from the migrated database, so both have the same schema.
    await _admin_execute(admin, f'CREATE DATABASE "{ceiling_name}" TEMPLATE "{service_name}"')
    conn = await asyncpg.connect(admin)
    try:
        postmaster = _parent(int(await conn.fetchval("SELECT pg_backend_pid()")))
    finally:
        await conn.close()
    return Databases(
        admin,
        url_for(service_name),
        url_for(ceiling_name),
        (service_name, ceiling_name),
        embedded=not given,
        postmaster=postmaster,
    )


async def drop_databases(dbs: Databases) -> None:
    for name in dbs.names:
        await _admin_execute(dbs.admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def create_ingest_key(url: URL) -> tuple[uuid.UUID, str]:
    async def work(conn: asyncpg.Connection) -> tuple[dict[str, Any], str]:
        return await key_service.create_key(conn, KeyCreate(name="benchmark", scope=Scope.ingest))

    key, token = await connected(url, work)
    return key["id"], token


async def scalar(url: URL, sql: str) -> Any:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def count_events(url: URL) -> int:
    return int(await scalar(url, "SELECT count(*) FROM feedback_events"))


async def settled_count(url: URL) -> int:
    """The event count once requests still in flight (wrk stops without waiting) are done."""
    count = await count_events(url)
    for _ in range(50):
        await asyncio.sleep(0.2)
        now = await count_events(url)
        if now == count:
            break
        count = now
    return count


# --- servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    process: asyncio.subprocess.Process
    port: int
    log: Path
    postmaster: int | None  # of the PostgreSQL server behind it, for CPU accounting

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


async def start_server(
    name: str, target: str, env: dict[str, str], workdir: Path, postmaster: int | None
) -> Server:
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "uvicorn", target, "--factory",
            "--host", HOST, "--port", str(port), *UVICORN_FLAGS, "--log-level", "warning",
            *(("--log-config", str(LOG_CONFIG[0])) if LOG_CONFIG else ()),
            cwd=ROOT, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    server = Server(name, process, port, log, postmaster)
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.returncode is not None:
                raise RuntimeError(f"{name} exited:\n{server.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{server.base}/healthz", timeout=1)).status_code == 200:
                    return server
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within 30 s:\n{server.log_tail()}")


async def stop_server(server: Server) -> None:
    if server.process.returncode is None:
        server.process.terminate()
        try:
            await asyncio.wait_for(server.process.wait(), 10)
        except TimeoutError:
            server.process.kill()
            await server.process.wait()


@contextlib.asynccontextmanager
async def servers(
    dbs: Databases, workdir: Path, extra_env: dict[str, str]
) -> AsyncIterator[tuple[Server, Server]]:
    env = {**os.environ, "FEEDBACK_DATABASE_URL": libpq_url(dbs.service), **extra_env}
    started: list[Server] = []
    try:
        for name, target in (
            ("service", "app.main:create_app"),
            ("constant", "bench.constant_app:create_app"),
        ):
            started.append(await start_server(name, target, env, workdir, dbs.postmaster))
        yield started[0], started[1]
    finally:
        for server in started:
            await stop_server(server)


# --- single events: wrk ------------------------------------------------------------------


@dataclass
class Round:
    """One timed run of one side: its rate and what else we know about it."""

    rate: float  # requests/s (single) or events/s (batch)
    cores: dict[str, float]
    p50_ms: float | None = None
    p99_ms: float | None = None
    non_2xx: int = 0
    socket_errors: int = 0
    check: str = ""


async def run_wrk(
    url: str, token: str, seconds: float, connections: int, threads: int
) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        "wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
        "--timeout", "10s", "-s", str(SINGLE_LUA), url, "--", token, secrets.token_hex(4),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    for line in out.decode().splitlines():
        if line.startswith("BENCH_RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH_RESULT "))
            return result
    raise RuntimeError(f"wrk printed no result (exit {process.returncode}):\n{out!r}\n{err!r}")


async def single_round(
    server: Server, token: str, args: argparse.Namespace, db: URL | None
) -> Round:
    before = await settled_count(db) if db else 0
    with CpuMeter(server.process.pid, server.postmaster) as meter:
        r = await run_wrk(
            f"{server.base}/v1/feedback", token, args.duration, args.connections, args.threads
        )
    requests = r["requests"]
    ok = requests - r["status_errors"]
    check = ""
    if db:
        added = await settled_count(db) - before
        # wrk drops the responses in flight when it stops, so up to `connections` more rows.
        fine = 0 <= added - ok <= args.connections
        check = f"{added} rows for {ok} 2xx" + ("" if fine else " MISMATCH")
    return Round(
        rate=requests / (r["duration_us"] / 1e6),
        cores=meter.cores,
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        non_2xx=r["status_errors"],
        socket_errors=r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"],
        check=check,
    )


# --- batches: httpx against asyncpg COPY -------------------------------------------------


async def batch_service_round(
    server: Server, token: str, source: BatchSource, args: argparse.Namespace, db: URL
) -> Round:
    url = f"{server.base}/v1/feedback/batch"
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    before = await count_events(db)
    totals = {"accepted": 0, "other": 0, "non_2xx": 0}
    limits = httpx.Limits(max_connections=args.batch_clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def post_until(deadline: float) -> None:
            while time.monotonic() < deadline:
                response = await client.post(url, content=source.json_batch(), headers=headers)
                if response.status_code != 200:
                    totals["non_2xx"] += 1
                    continue
                result = orjson.loads(response.content)
                totals["accepted"] += result["accepted"]
                totals["other"] += result["duplicates"] + result["rejected"]

        with CpuMeter(server.process.pid, server.postmaster) as meter:
            start = time.monotonic()
            async with asyncio.TaskGroup() as group:
                for _ in range(args.batch_clients):
                    group.create_task(post_until(start + args.batch_duration))
            elapsed = time.monotonic() - start
    added = await count_events(db) - before
    check = f"{added} rows for {totals['accepted']} accepted"
    if added != totals["accepted"] or totals["other"]:
        check += f" MISMATCH ({totals['other']} duplicate/rejected)"
    return Round(
        rate=totals["accepted"] / elapsed,
        cores=meter.cores,
        non_2xx=totals["non_2xx"],
        check=check,
    )


async def batch_copy_round(
    server: Server, source: BatchSource, args: argparse.Namespace, db: URL, table: str
) -> Round:
    conn = await asyncpg.connect(libpq_url(db))
    try:
        before = int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
        copied = 0
        with CpuMeter(server.process.pid, server.postmaster) as meter:
            start = time.monotonic()
            while time.monotonic() < start + args.batch_duration:
                rows = source.row_batch()
                await conn.copy_records_to_table(table, records=rows, columns=COLUMN_NAMES)
                copied += len(rows)
            elapsed = time.monotonic() - start
        added = int(await conn.fetchval(f"SELECT count(*) FROM {table}")) - before
    finally:
        await conn.close()
    check = f"{added} rows for {copied} copied" + ("" if added == copied else " MISMATCH")
    return Round(rate=copied / elapsed, cores=meter.cores, check=check)


# --- profiling (optional) ----------------------------------------------------------------


def py_spy_binary() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


async def record_profile(pid: int, seconds: float, out: Path) -> asyncio.subprocess.Process:
    binary = py_spy_binary()
    if binary is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
    return await asyncio.create_subprocess_exec(
        binary, "record", "--pid", str(pid), "--duration", f"{int(seconds)}", "--rate", "200",
        "--format", "raw", "--output", str(out),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def profile_service(
    service: Server, token: str, source: BatchSource, args: argparse.Namespace, db: URL, stem: str
) -> str:
    """One extra round of each kind under py-spy (not part of the measured rounds)."""
    parts = ["## Profile of the service (py-spy, extra rounds, not in the medians)", ""]
    for kind in ("single", "batch"):
        out = RESULTS_DIR / f"{stem}-{kind}.pyspy.txt"
        spy = await record_profile(service.process.pid, args.duration, out)
        await asyncio.sleep(1)  # let py-spy attach
        if kind == "single":
            await single_round(service, token, args, None)
        else:
            await batch_service_round(service, token, source, args, db)
        _, err = await spy.communicate()
        if spy.returncode != 0 or not out.exists():
            parts.append(f"py-spy failed for {kind}: {err.decode()[-500:]}")
            continue
        title = f"{kind} events" if kind == "single" else "500-event batches"
        parts.append(profile.markdown(f"{title} ({out.relative_to(ROOT)})", profile.load(out)))
    return "\n".join(parts)


# --- report ------------------------------------------------------------------------------


def median(rounds: Sequence[Round]) -> float:
    return statistics.median(r.rate for r in rounds)


def verdict(ratio: float, target: float) -> str:
    return "**met**" if ratio >= target else "**missed**"


def _cores(c: dict[str, float]) -> str:
    return " / ".join("n/a" if v != v else f"{v:.2f}" for v in c.values())  # NaN: unknown


def _cpu_per_unit(r: Round, side: str) -> str:
    """Server and PostgreSQL CPU microseconds per request or event (COPY: PostgreSQL only)."""
    pg = r.cores["postgres"] / r.rate * 1e6
    pg_text = "n/a" if pg != pg else f"{pg:.0f}"
    if side in ("bare", "copy"):
        return f"- / {pg_text}"
    return f"{r.cores['server'] / r.rate * 1e6:.0f} / {pg_text}"


def report(
    info: dict[str, str],
    args: argparse.Namespace,
    single: dict[str, list[Round]],
    batch: dict[str, list[Round]],
    started: datetime,
    elapsed: float,
) -> str:
    b_service, b_copy, b_bare = (median(batch[s]) for s in ("service", "copy", "bare"))
    b_ratio, bare_ratio = b_service / b_copy, b_service / b_bare
    single_rows = []
    if single["service"]:
        s_service, s_const = median(single["service"]), median(single["constant"])
        s_ratio = s_service / s_const
        single_rows.append(
            f"| single events, requests/s ({args.connections} connections, {args.threads} wrk "
            f"threads, median of {args.rounds} x {args.duration:g} s) | {s_service:,.0f} | "
            f"{s_const:,.0f} (constant route) | {s_ratio:.1%} | ≥ {SINGLE_TARGET:.0%} | "
            f"{verdict(s_ratio, SINGLE_TARGET)} |"
        )
    batch_label = (
        f"batch ingest, events/s ({args.batch_size}-event batches, {args.batch_clients} "
        f"clients, median of {args.rounds} x {args.batch_duration:g} s)"
    )
    lines = [
        f"# Ingest benchmark, {started:%Y-%m-%d %H:%M} UTC",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        f"- rounds: {args.rounds} of each side, alternating, ceiling first; whole run "
        f"{elapsed:.0f} s",
        "- webhooks: one subscription to feedback.created, one outbox row per event "
        "(delivery worker off)"
        if args.webhook
        else "- webhooks: no subscription",
        "- logs: JSON lines, one access line per request (--logs)"
        if args.logs
        else "- logs: uvicorn's, warning level (the service's access lines not written)",
        "- background workers: as deployed"
        + ("" if args.text else ", except text enrichment (off; --text turns it on)"),
        "",
        "| measure | service | ceiling (same run) | ratio | target | verdict |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        *single_rows,
        f"| {batch_label} | {b_service:,.0f} | {b_bare:,.0f} (bare COPY: a table without "
        f"indexes, 1 connection) | {bare_ratio:.1%} | ≥ {BARE_TARGET:.0%} | "
        f"{verdict(bare_ratio, BARE_TARGET)} |",
        f"| {batch_label} | {b_service:,.0f} | {b_copy:,.0f} (COPY into `feedback_events`, "
        f"1 connection) | {b_ratio:.1%} | ≥ {BATCH_TARGET:.0%} | "
        f"{verdict(b_ratio, BATCH_TARGET)} |",
        "",
        "Every round. *Cores busy*: CPU seconds per second of the uvicorn worker / "
        "PostgreSQL / the load generator (this process and wrk) / everything else on the "
        "machine (PostgreSQL shows n/a when it is not a local process). "
        "*CPU µs per unit*: "
        "worker / PostgreSQL CPU per request or event. *Check*: rows counted in the "
        "database against the successes the client saw.",
        "",
        "| round | side | rate | p50 ms | p99 ms | non-2xx | socket errors | cores busy "
        "| CPU µs per unit | check |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    kinds = (
        ("single", "constant", "req/s", single),
        ("single", "service", "req/s", single),
        ("batch", "bare", "events/s", batch),
        ("batch", "copy", "events/s", batch),
        ("batch", "service", "events/s", batch),
    )
    for kind, side, unit, table in kinds:
        for i, r in enumerate(table[side], 1):
            p50 = f"{r.p50_ms:.1f}" if r.p50_ms is not None else ""
            p99 = f"{r.p99_ms:.1f}" if r.p99_ms is not None else ""
            lines.append(
                f"| {i} | {kind} {side} | {r.rate:,.0f} {unit} | {p50} | {p99} | {r.non_2xx} | "
                f"{r.socket_errors} | {_cores(r.cores)} | {_cpu_per_unit(r, side)} | {r.check} |"
            )
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.ingest", description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3, help="rounds of each side (default 3)")
    p.add_argument("--duration", type=float, default=10, help="seconds per wrk round (10)")
    p.add_argument("--warmup", type=float, default=3, help="warm-up seconds per side (3)")
    p.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument("--batch-size", type=int, default=500, help="events per batch (500)")
    p.add_argument("--batch-clients", type=int, default=4, help="concurrent batch clients (4)")
    p.add_argument("--batch-duration", type=float, default=8, help="seconds per batch round (8)")
    p.add_argument(
        "--profile", action="store_true", help="then profile the service with py-spy (+25 s)"
    )
    p.add_argument(
        "--logs",
        action="store_true",
        help="log as `feedback serve` does: JSON lines, one access line per request",
    )
    p.add_argument(
        "--batch-only", action="store_true", help="only the batch rounds (no wrk rounds)"
    )
    p.add_argument(
        "--text",
        action="store_true",
        help="run text enrichment in the service too (off by default: deferred work that "
        "bench/text.py measures)",
    )
    p.add_argument(
        "--webhook",
        action="store_true",
        help="one webhook subscription to feedback.created (delivery worker off: measures "
        "the outbox rows the ingest statement writes)",
    )
    args = p.parse_args(argv)
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    return args


async def wrk_version() -> str:
    process = await asyncio.create_subprocess_exec(
        "wrk", "--version", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await process.communicate()
    return out.decode().splitlines()[0].split(" Copyright")[0] if out else "?"


async def run(args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: `sudo apt-get install wrk` (./scripts/bench does it as root)")
        return 2
    started, t0 = datetime.now(UTC), time.monotonic()
    dbs = await create_databases()
    try:
        key_id, token = await create_ingest_key(dbs.service)
        # One key sends everything here, far past the default quota: count every request
        # (the check is part of what is measured) against a quota it never reaches, unless
        # the environment names one.
        extra_env: dict[str, str] = {
            "FEEDBACK_RATE_LIMIT_INGEST": os.environ.get(
                "FEEDBACK_RATE_LIMIT_INGEST", "1000000000/minute"
            )
        }
        if not args.text:
            extra_env["FEEDBACK_TEXT_INTERVAL_SECONDS"] = "0"
        # The bare ceiling's table: the same columns, defaults and id sequence, nothing else.
        await scalar(
            dbs.ceiling,
            f"CREATE TABLE {BARE_TABLE} (LIKE feedback_events INCLUDING DEFAULTS "
            "INCLUDING IDENTITY)",
        )
        if args.webhook:
            await scalar(
                dbs.service,
                "INSERT INTO webhook_subscriptions (url, event_types, secret) VALUES "
                "('http://192.0.2.1/hook', '{feedback.created}', 'whsec_"
                + "QkVOQ0hNQVJLLVNFQ1JFVC1CRU5DSE1BUkstU0VDUkVU"
                + "') RETURNING id",
            )
            extra_env["FEEDBACK_WEBHOOKS_INTERVAL_SECONDS"] = "0"
        pg_version = str(await scalar(dbs.service, "SHOW server_version"))
        info = machine_info(
            pg_version + (" (embedded)" if dbs.embedded else ""),
            await wrk_version(),
            await asyncio.to_thread(busy_cores),
        )
        templates = make_templates(2000, seed=1)
        source = BatchSource(templates, args.batch_size, secrets.token_hex(4), key_id)
        with tempfile.TemporaryDirectory(prefix="feedback-bench-") as tmp:
            if args.logs:
                from app.logs import logging_config

                LOG_CONFIG.append(Path(tmp) / "logging.json")
                config = logging_config(Settings(log_format="json"))
                LOG_CONFIG[0].write_bytes(orjson.dumps(config))
            async with servers(dbs, Path(tmp), extra_env) as (service, constant):
                print(f"service on {service.base}, constant route on {constant.base}")
                print(f"warm-up: {args.warmup:g} s each ...")
                warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
                if not args.batch_only:
                    await single_round(constant, token, warm, None)
                    await single_round(service, token, warm, None)
                single: dict[str, list[Round]] = {"constant": [], "service": []}
                for i in range(1, args.rounds + 1):
                    if args.batch_only:
                        break
                    for side, server in (("constant", constant), ("service", service)):
                        db = dbs.service if side == "service" else None
                        r = await single_round(server, token, args, db)
                        single[side].append(r)
                        print(
                            f"single {side:8} round {i}: {r.rate:8,.0f} req/s  "
                            f"p50 {r.p50_ms:.1f} ms  p99 {r.p99_ms:.1f} ms  "
                            f"non-2xx {r.non_2xx}  {r.check}"
                        )
                warm_batch = argparse.Namespace(**{**vars(args), "batch_duration": 2})
                for table in (BARE_TABLE, "feedback_events"):
                    await batch_copy_round(service, source, warm_batch, dbs.ceiling, table)
                await batch_service_round(service, token, source, warm_batch, dbs.service)
                batch: dict[str, list[Round]] = {"bare": [], "copy": [], "service": []}
                for i in range(1, args.rounds + 1):
                    for side, table in (("bare", BARE_TABLE), ("copy", "feedback_events")):
                        r = await batch_copy_round(service, source, args, dbs.ceiling, table)
                        batch[side].append(r)
                        print(f"batch  {side:8} round {i}: {r.rate:8,.0f} events/s  {r.check}")
                    r = await batch_service_round(service, token, source, args, dbs.service)
                    batch["service"].append(r)
                    print(
                        f"batch  service  round {i}: {r.rate:8,.0f} events/s  "
                        f"non-2xx {r.non_2xx}  {r.check}"
                    )
                RESULTS_DIR.mkdir(exist_ok=True)
                stem = f"ingest-{started:%Y%m%d-%H%M%S}"
                text = report(info, args, single, batch, started, time.monotonic() - t0)
                if args.profile:
                    text += "\n" + await profile_service(
                        service, token, source, args, dbs.service, stem
                    )
    finally:
        await drop_databases(dbs)
    out = RESULTS_DIR / f"{stem}.md"
    out.write_text(text)
    print()
    print(text)
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
