"""Soak run: mixed traffic at a fixed arrival rate against `feedback serve`, for minutes.

    python -m bench.soak                       # 10 minutes at 1,000 events/s, 2 workers
    python -m bench.soak --duration 60         # a short check
    ./scripts/bench-soak --help

What it does, in order (everything on 127.0.0.1, bounded in time):

1. A fresh database (embedded PostgreSQL in .data/bench, or --database-url /
   FEEDBACK_BENCH_DATABASE_URL), migrated; `--keys` ingest keys and a read key.
2. The generator's ceiling in the same run: bench/constant_app.py served by
   uvicorn with the same number of workers, driven (a) closed-loop as fast as
   it goes and (b) open-loop at the target timetable. (a) says how much the
   generator and the HTTP stack can push on this machine at all; (b) is the
   lowest latency this machine can show at this rate through this generator.
3. `feedback serve --workers N` (rollups on at their default interval), a
   warm-up at the target rate, then the soak itself: an open-loop timetable of
   requests, one every 1/R seconds, R = events/s / (single share + batch share *
   batch size). Latency is measured from the scheduled send time, so a
   stalled server or a late generator shows up as latency instead of being
   hidden (no coordinated omission).
4. During the soak: RSS of every uvicorn worker, rollup lag (the service's own
   status query, the one `/readyz` runs) and CPU use of workers, PostgreSQL,
   the generator and everything else on the machine.
5. After: the events stored equal the events the service said it accepted;
   the rollups catch up; the ceiling is measured again.

The mix, by requests: 80 % `POST /v1/feedback` (one event, a random one of the
ingest keys), 15 % `POST /v1/feedback/batch` (`--batch-size` events), 5 % metric
reads (summary, timeseries, breakdown) with the read key. Every event id is
new, except `--replay` of single requests and of batches, which resend an
earlier accepted body unchanged, as a device replaying its offline queue does:
they must answer 200 / `duplicate` and store nothing. 429 answers are counted
apart (deliberate refusals of a rate limit), never retried.
"""

import argparse
import asyncio
import contextlib
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import asyncpg
import httptools
import orjson
import uvloop
from sqlalchemy.engine import URL

from app import embedded
from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import connected, migrate
from app.db import asyncpg_url, libpq_url
from app.rollups import service as rollups
from app.settings import Settings
from bench.events import make_templates
from bench.ingest import _machine_busy, _parent, _postgres_pids, _ticks, busy_cores, free_port

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED_DIR = ROOT / ".data" / "bench"
HOST = "127.0.0.1"  # loopback only
KINDS = ("single", "batch", "read")
KEEPALIVE_IDLE = 3.0  # uvicorn closes idle keep-alive connections after 5 s; retire ours first

# Targets of issue 5, part 5 ("Load").
TARGET_SINGLE_P99_MS = 50.0
TARGET_MEMORY_GROWTH = 0.10


# --- HTTP/1.1 keep-alive client ----------------------------------------------------------
# httpx costs a few hundred µs of CPU per request, which on two shared cores would
# make the generator part of what is measured. A bare asyncio protocol with
# httptools' parser (the one uvicorn uses) and prebuilt request bytes costs tens.


class Connection(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.body: list[bytes] = []
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.closed = False
        self.last_used = loop.time()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)
            self.close()

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        status, body = self.parser.get_status_code(), b"".join(self.body)
        self.body = []
        if not self.parser.should_keep_alive():
            self.close()
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result((status, body))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(exc or ConnectionResetError("connection closed by the server"))

    def _fail(self, exc: BaseException) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def request(self, data: bytes, time_limit: float) -> tuple[int, bytes]:
        assert self.transport is not None
        waiter: asyncio.Future[tuple[int, bytes]] = self.loop.create_future()
        self.waiter = waiter
        timer = self.loop.call_later(time_limit, self._timed_out, waiter)
        self.transport.write(data)
        try:
            return await waiter
        finally:
            timer.cancel()
            self.last_used = self.loop.time()

    def _timed_out(self, waiter: asyncio.Future[tuple[int, bytes]]) -> None:
        if not waiter.done():
            waiter.set_exception(TimeoutError())
            self.close()  # a late answer would be read as the next request's


class Pool:
    """Keep-alive connections, most recently used first; at most `size` open."""

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.size = size
        self.idle: list[Connection] = []
        self.open = 0
        self.peak = 0
        self.waiters: deque[asyncio.Future[Connection]] = deque()
        self.waited = 0  # requests that found every connection busy

    async def acquire(self) -> Connection:
        loop = asyncio.get_running_loop()
        while self.idle:
            conn = self.idle.pop()
            if not conn.closed and loop.time() - conn.last_used < KEEPALIVE_IDLE:
                return conn
            self._discard(conn)
        if self.open < self.size:
            self.open += 1
            self.peak = max(self.peak, self.open)
            try:
                _, conn = await loop.create_connection(lambda: Connection(loop), HOST, self.port)
            except BaseException:
                self.open -= 1
                raise
            return conn
        self.waited += 1
        waiter: asyncio.Future[Connection] = loop.create_future()
        self.waiters.append(waiter)
        return await waiter

    def release(self, conn: Connection) -> None:
        if conn.closed:
            self._discard(conn)
            return
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        self.idle.append(conn)
        # The oldest are at the bottom: retire those the server would close soon.
        horizon = conn.loop.time() - KEEPALIVE_IDLE
        while self.idle and self.idle[0].last_used < horizon:
            self._discard(self.idle.pop(0))

    def _discard(self, conn: Connection) -> None:
        conn.close()
        self.open -= 1
        # A slot came free: a waiter may open a connection of its own.
        while self.waiters and self.open < self.size:
            waiter = self.waiters.popleft()
            if not waiter.done():
                self.open += 1
                task = asyncio.ensure_future(self._connect_for(waiter))
                task.add_done_callback(lambda _: None)

    async def _connect_for(self, waiter: asyncio.Future[Connection]) -> None:
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(lambda: Connection(loop), HOST, self.port)
        except OSError as exc:
            self.open -= 1
            waiter.set_exception(exc)
            return
        waiter.set_result(conn)

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


# --- the traffic -------------------------------------------------------------------------


@dataclass
class Request:
    kind: str  # single, batch, read
    data: bytes
    replay: bool = False
    events: int = 0  # events in the body
    key: int = -1
    body: bytes = b""


class Traffic:
    """The requests of the timetable, in order: the mix, keys, bodies, replays.

    The mix is exact in every block of 100 requests (shuffled within the block).
    """

    def __init__(
        self,
        args: argparse.Namespace,
        port: int,
        ingest_tokens: Sequence[str],
        read_token: str,
        tag: str,
    ) -> None:
        self.rng = random.Random(args.seed)
        self.batch_size: int = args.batch_size
        self.replay_share: float = args.replay
        self.tag = tag.encode()
        single, batch, read = args.mix
        self.block = ["single"] * single + ["batch"] * batch + ["read"] * read
        self.pending: list[str] = []
        host = f"Host: {HOST}:{port}\r\n".encode()
        self.single_heads = [
            b"POST /v1/feedback HTTP/1.1\r\n"
            + host
            + _auth(t)
            + b"Content-Type: application/json\r\n"
            for t in ingest_tokens
        ]
        self.batch_heads = [
            b"POST /v1/feedback/batch HTTP/1.1\r\n" + host + _auth(t)
            + b"Content-Type: application/json\r\n"
            for t in ingest_tokens
        ]  # fmt: skip
        self.reads = [
            b"GET " + path.encode() + b" HTTP/1.1\r\n" + host + _auth(read_token) + b"\r\n"
            for path in read_paths(args.read_window)
        ]
        # Event bodies without their id: b'{"event_id":"<id>",' + tail.
        self.tails = [orjson.dumps(t)[1:] for t in make_templates(2000, seed=args.seed)]
        self.n_single = 0
        self.n_batch_events = 0
        self.n_read = 0
        # Accepted bodies, to replay: (key, body).
        self.accepted_singles: deque[tuple[int, bytes]] = deque(maxlen=5000)
        self.accepted_batches: deque[tuple[int, bytes, int]] = deque(maxlen=500)

    def _event(self, eid: bytes) -> bytes:
        return b'{"event_id":"' + eid + b'",' + self.tails[self.rng.randrange(len(self.tails))]

    def next(self) -> Request:
        if not self.pending:
            self.pending = self.block[:]
            self.rng.shuffle(self.pending)
        kind = self.pending.pop()
        rng = self.rng
        if kind == "single":
            if self.accepted_singles and rng.random() < self.replay_share:
                key, body = self.accepted_singles[rng.randrange(len(self.accepted_singles))]
                return Request(kind, _post(self.single_heads[key], body), True, 1, key, body)
            self.n_single += 1
            key = rng.randrange(len(self.single_heads))
            body = self._event(b"soak-" + self.tag + b"-s%d" % self.n_single)
            return Request(kind, _post(self.single_heads[key], body), False, 1, key, body)
        if kind == "batch":
            if self.accepted_batches and rng.random() < self.replay_share:
                key, body, n = self.accepted_batches[rng.randrange(len(self.accepted_batches))]
                return Request(kind, _post(self.batch_heads[key], body), True, n, key, body)
            key = rng.randrange(len(self.batch_heads))
            first = self.n_batch_events
            self.n_batch_events += self.batch_size
            events = b",".join(
                self._event(b"soak-" + self.tag + b"-b%d" % n)
                for n in range(first, first + self.batch_size)
            )
            body = b'{"events":[' + events + b"]}"
            return Request(
                kind, _post(self.batch_heads[key], body), False, self.batch_size, key, body
            )
        self.n_read += 1
        return Request(kind, self.reads[self.n_read % len(self.reads)])

    def remember(self, request: Request) -> None:
        """The service accepted this fresh request: a candidate for a later replay."""
        if request.kind == "single":
            self.accepted_singles.append((request.key, request.body))
        elif request.kind == "batch":
            self.accepted_batches.append((request.key, request.body, request.events))


def _auth(token: str) -> bytes:
    return b"Authorization: Bearer " + token.encode() + b"\r\n"


def _post(head: bytes, body: bytes) -> bytes:
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_paths(window: str) -> list[str]:
    """What a dashboard asks: the 30-day summary, a daily trend by channel, the branch
    ranking, the last days by hour; they take turns. The generated events lie in the
    last three days, so every read covers the soak's events.

    `now`: the windows end now (the endpoints' default, "the last 30 days"), so their
    partial hours at both edges are read from the raw table. `hour`: they end at the
    start of the current UTC hour; hour cells serve the edges where the cube keeps
    them (not for branches: the breakdown still reads today's events raw). `day`: they
    end at today's UTC midnight, so cells serve everything but the rows not rolled up.
    """
    now = datetime.now(UTC)
    since = (now.date() - timedelta(days=3)).isoformat()
    if window == "now":
        return [
            "/v1/metrics/summary",
            "/v1/metrics/timeseries?interval=day&group_by=channel&metrics=nps",
            "/v1/metrics/breakdown?group_by=location_id&metric=nps",
            f"/v1/metrics/timeseries?interval=hour&metrics=nps,csat&from={since}",
        ]
    end = now.replace(minute=0, second=0, microsecond=0)
    if window == "day":
        end = end.replace(hour=0)
    to = end.strftime("%Y-%m-%dT%H:%M:%SZ")
    start = (end - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        f"/v1/metrics/summary?from={start}&to={to}",
        f"/v1/metrics/timeseries?interval=day&group_by=channel&metrics=nps&from={start}&to={to}",
        f"/v1/metrics/breakdown?group_by=location_id&metric=nps&from={start}&to={to}",
        f"/v1/metrics/timeseries?interval=hour&metrics=nps,csat&from={since}&to={to}",
    ]


# --- what is recorded --------------------------------------------------------------------


@dataclass
class KindStats:
    latencies: list[float] = field(default_factory=list)  # ms, every answer received
    outcomes: Counter[str] = field(default_factory=Counter)
    events_sent: int = 0
    events_accepted: int = 0

    @property
    def count(self) -> int:
        return sum(self.outcomes.values())


OK_OUTCOMES = frozenset({"201", "200 replay", "200"})


def is_error(outcome: str) -> bool:
    return outcome not in OK_OUTCOMES and outcome != "429"


@dataclass
class PhaseStats:
    name: str
    strict: bool = True  # judge answers as the service's; False: the constant route's status
    kinds: dict[str, KindStats] = field(default_factory=lambda: {k: KindStats() for k in KINDS})
    start_lag: list[float] = field(default_factory=list)  # ms the generator started late
    send_lag: list[float] = field(default_factory=list)  # ms from scheduled to written
    minutes: dict[int, dict[str, Any]] = field(default_factory=dict)
    scheduled: int = 0
    elapsed: float = 0.0
    cores: dict[str, float] = field(default_factory=dict)
    peak_connections: int = 0
    sent_seconds: float = 0.0  # from the first scheduled request to the last one started
    waited: int = 0  # requests that found every connection busy
    # (UTC epoch s of the scheduled send, kind, latency ms, outcome) per answer, for --trace
    trace: list[tuple[float, str, float, str]] = field(default_factory=list)

    def minute(self, index: int) -> dict[str, Any]:
        if index not in self.minutes:
            self.minutes[index] = {"single": [], "requests": 0, "errors": 0, "429": 0}
        return self.minutes[index]

    @property
    def accepted_events(self) -> int:
        return sum(k.events_accepted for k in self.kinds.values())

    @property
    def unknown_outcomes(self) -> int:
        """Write requests without an answer (timeouts, lost connections): maybe stored."""
        return sum(
            n
            for kind in ("single", "batch")
            for outcome, n in self.kinds[kind].outcomes.items()
            if not outcome[:3].isdigit()
        )


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def send(
    pool: Pool,
    traffic: Traffic,
    request: Request,
    scheduled: float,
    stats: PhaseStats,
    time_limit: float,
    minute: dict[str, Any] | None,
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    stats.start_lag.append((started - scheduled) * 1000)
    kind = stats.kinds[request.kind]
    kind.events_sent += request.events
    outcome = ""
    conn: Connection | None = None
    try:
        conn = await pool.acquire()
        stats.send_lag.append((loop.time() - scheduled) * 1000)
        status, body = await conn.request(request.data, time_limit)
    except TimeoutError:
        outcome = "timeout"
    except OSError as exc:
        outcome = type(exc).__name__
    except httptools.HttpParserError:
        outcome = "bad response"
    except asyncio.CancelledError:
        # Still unanswered when the drain after the timetable ran out (see open_loop).
        outcome = "unanswered at the end"
        if conn is not None:
            conn.close()  # its answer may still come: the connection cannot be reused
    finally:
        if conn is not None:
            pool.release(conn)
    if not outcome:
        latency = (loop.time() - scheduled) * 1000
        kind.latencies.append(latency)
        outcome = judge(traffic, request, status, body, kind) if stats.strict else f"{status}"
        stats.trace.append((time.time() - latency / 1000, request.kind, latency, outcome))
        if minute is not None and request.kind == "single":
            minute["single"].append(latency)
    kind.outcomes[outcome] += 1
    if minute is not None:
        minute["requests"] += 1
        if outcome == "429":
            minute["429"] += 1
        elif is_error(outcome):
            minute["errors"] += 1


def judge(traffic: Traffic, request: Request, status: int, body: bytes, kind: KindStats) -> str:
    """The outcome's name; counts accepted events. Anything unexpected is an error."""
    if status == 429:
        return "429"
    if request.kind == "single":
        if status == 201 and not request.replay:
            kind.events_accepted += 1
            traffic.remember(request)
            return "201"
        if status == 200 and request.replay:
            return "200 replay"
        return f"{status}" + (" on a replay" if request.replay else "")
    if request.kind == "batch":
        if status != 200:
            return f"{status}"
        try:
            result = orjson.loads(body)
            accepted, duplicates = int(result["accepted"]), int(result["duplicates"])
            rejected = int(result["rejected"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return "200 unreadable"
        kind.events_accepted += accepted
        if rejected:
            return "200 with rejected items"
        if request.replay:
            return "200 replay" if duplicates == request.events else "200 replay stored again"
        if accepted != request.events:
            return "200 with duplicates"
        traffic.remember(request)
        return "200"
    return "200" if status == 200 else f"{status}"


async def open_loop(
    pool: Pool,
    traffic: Traffic,
    requests_per_s: float,
    seconds: float,
    stats: PhaseStats,
    time_limit: float,
    every: float = 0,
    progress: Callable[[int], None] | None = None,
    drain: float = 30,
) -> None:
    """Send on a fixed timetable, one request every 1/rate s, whatever the answers do."""
    loop = asyncio.get_running_loop()
    interval = 1 / requests_per_s
    total = int(seconds * requests_per_s)
    tasks: set[asyncio.Task[None]] = set()
    t0 = loop.time() + 0.05
    next_progress = every
    for i in range(total):
        scheduled = t0 + i * interval
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        offset = scheduled - t0
        if progress is not None and every and offset >= next_progress:
            progress(int(next_progress // every) - 1)
            next_progress += every
        minute = stats.minute(int(offset // every)) if every else None
        task = loop.create_task(
            send(pool, traffic, traffic.next(), scheduled, stats, time_limit, minute)
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    stats.scheduled += total
    stats.sent_seconds = loop.time() - t0  # longer than planned if the generator fell behind
    if tasks:
        # Bounded: an overloaded service may hold minutes of requests in the queue.
        _, late = await asyncio.wait(tasks, timeout=drain)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
    stats.elapsed = loop.time() - t0
    stats.peak_connections, stats.waited = pool.peak, pool.waited
    pool.peak, pool.waited = pool.open, 0
    if progress is not None and every:
        progress(int(seconds // every) - 1)


async def closed_loop(
    pool: Pool, traffic: Traffic, seconds: float, concurrency: int, stats: PhaseStats
) -> None:
    """As fast as it goes: `concurrency` senders, each sending when its answer is in."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def sender() -> None:
        while loop.time() < deadline:
            await send(pool, traffic, traffic.next(), loop.time(), stats, 10, None)

    t0 = loop.time()
    await asyncio.gather(*(sender() for _ in range(concurrency)))
    stats.elapsed = loop.time() - t0
    stats.peak_connections, stats.waited = pool.peak, pool.waited
    pool.peak, pool.waited = pool.open, 0


# --- processes: servers, memory, CPU -----------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == pid:
            found.append(int(entry.name))
    return sorted(found)


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def workers_of(supervisor: int) -> list[int]:
    """uvicorn's worker processes (spawned by multiprocessing), not its resource tracker."""
    return [pid for pid in children(supervisor) if "spawn_main" in cmdline(pid)]


def _pids(pid: int) -> Callable[[], list[int]]:
    return lambda: [pid]


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclass
class CpuMeter:
    """Cores busy (CPU seconds per second) of each process group over a phase."""

    groups: dict[str, Callable[[], list[int]]]
    postmaster: int | None
    start_wall: float = 0.0
    start: dict[str, float] = field(default_factory=dict)

    def _read(self) -> dict[str, float]:
        times = os.times()
        values = {name: sum(_ticks(pid) for pid in pids()) for name, pids in self.groups.items()}
        values["postgres"] = (
            sum(_ticks(pid, children=True) for pid in _postgres_pids(self.postmaster))
            if self.postmaster
            else float("nan")
        )
        values["generator"] = times.user + times.system
        values["machine"] = _machine_busy()
        return values

    def begin(self) -> None:
        self.start_wall = time.monotonic()
        self.start = self._read()

    def end(self) -> dict[str, float]:
        now = self._read()
        wall = time.monotonic() - self.start_wall
        cores = {k: (now[k] - self.start[k]) / wall for k in now}
        machine = cores.pop("machine")
        known = sum(v for v in cores.values() if v == v)  # NaN: PostgreSQL not visible
        cores["other"] = max(0.0, machine - known)
        cores["machine"] = machine
        return cores


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])


def wait_ready(served: Served, path: str, timeout: float) -> None:
    import httpx  # only here: start-up, not the measured traffic

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"server exited with {served.process.returncode}:\n{served.tail()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://{HOST}:{served.port}{path}", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server not ready within {timeout:g} s:\n{served.tail()}")


@contextlib.contextmanager
def serve(command: list[str], env: dict[str, str], port: int, log: Path, ready: str):  # type: ignore[no-untyped-def]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    served = Served(process, port, log)
    try:
        wait_ready(served, ready, 90)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def feedback_serve(url: URL, workers: int, workdir: Path) -> Any:
    port = free_port()
    env = {
        **os.environ,
        "FEEDBACK_DATABASE_URL": libpq_url(url),
        "FEEDBACK_HOST": HOST,
        "FEEDBACK_PORT": str(port),
        "FEEDBACK_WORKERS": str(workers),
        "FEEDBACK_BOOTSTRAP_ADMIN_KEY": "false",
    }
    command = [sys.executable, "-m", "app.cli", "serve"]
    return serve(command, env, port, workdir / "service.log", "/readyz")


def constant_serve(workers: int, workdir: Path) -> Any:
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "bench.constant_app:create_app", "--factory",
        "--host", HOST, "--port", str(port), "--workers", str(workers),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    return serve(command, dict(os.environ), port, workdir / "constant.log", "/healthz")


# --- the database ------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    admin: str
    url: URL
    name: str
    embedded: bool
    postmaster: int | None
    version: str


async def create_database(given: str | None) -> Database:
    if given:
        admin = libpq_url(asyncpg_url(given))
    else:
        print(f"starting the embedded PostgreSQL in {EMBEDDED_DIR.relative_to(ROOT)} ...")
        admin = await asyncio.to_thread(embedded.start_embedded, EMBEDDED_DIR)
    name = f"feedback_soak_{secrets.token_hex(4)}"
    url = (
        asyncpg_url(given).set(database=name)
        if given
        else asyncpg_url(embedded.socket_url(admin, name))
    )
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        postmaster = _parent(int(await conn.fetchval("SELECT pg_backend_pid()")))
        version = str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()
    await asyncio.to_thread(migrate, url)
    return Database(admin, url, name, not given, postmaster, version)


async def drop_database(db: Database) -> None:
    conn = await asyncpg.connect(db.admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
    finally:
        await conn.close()


async def create_keys(url: URL, count: int) -> tuple[list[str], str]:
    async def work(conn: asyncpg.Connection) -> tuple[list[str], str]:
        ingest = []
        for i in range(count):
            spec = KeyCreate(name=f"soak ingest {i}", scope=Scope.ingest)
            ingest.append((await key_service.create_key(conn, spec))[1])
        spec = KeyCreate(name="soak read", scope=Scope.read)
        return ingest, (await key_service.create_key(conn, spec))[1]

    return await connected(url, work)


# --- the run -----------------------------------------------------------------------------


@dataclass
class Samples:
    """Rollup lag and worker memory over the soak, as (seconds into the soak, value)."""

    lag: list[tuple[float, float, int]] = field(default_factory=list)  # (t, lag s, pending)
    rss: list[tuple[float, list[float]]] = field(default_factory=list)
    # What the database's busy sessions were waiting for, summed over the samples.
    waits: Counter[str] = field(default_factory=Counter)
    wait_samples: int = 0
    # A one-row INSERT committed on its own connection every 0.2 s: (t, ms). It waits for
    # the same WAL flush as every ingest, so it shows what the disk gives at each moment.
    commits: list[tuple[float, float]] = field(default_factory=list)


ACTIVITY_SQL = """
SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait, count(*)
FROM pg_stat_activity
WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
GROUP BY 1
"""


async def sample(
    url: URL, workers: list[int], samples: Samples, t0: float, stop: asyncio.Event
) -> None:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        n = 0
        while not stop.is_set():
            t = time.monotonic() - t0
            s = await rollups.status(conn)
            samples.lag.append((t, s.lag_seconds, s.pending_events))
            for wait, count in await conn.fetch(ACTIVITY_SQL):
                samples.waits[wait] += count
            samples.wait_samples += 1
            if n % 5 == 0:
                samples.rss.append((t, [rss_mib(pid) for pid in workers]))
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 2)
    finally:
        await conn.close()


async def probe_commits(url: URL, samples: Samples, t0: float, stop: asyncio.Event) -> None:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS soak_commit_probe (at timestamptz)")
        while not stop.is_set():
            start = time.monotonic()
            await conn.execute("INSERT INTO soak_commit_probe VALUES (now())")
            samples.commits.append((start - t0, (time.monotonic() - start) * 1000))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.2)
    finally:
        await conn.close()


def request_rate(args: argparse.Namespace) -> float:
    """Requests/s that carry `--rate` events/s: events per request = single share * 1 +
    batch share * batch size (reads carry none)."""
    single, batch, _ = args.mix
    return float(args.rate) / float((single + batch * args.batch_size) / 100)


async def ceiling(
    port: int,
    args: argparse.Namespace,
    tokens: tuple[list[str], str],
    rate: float,
    meter_groups: dict[str, Callable[[], list[int]]],
    label: str,
) -> tuple[PhaseStats, PhaseStats]:
    """The generator against the constant route: closed loop (most it can do), then the
    target timetable (the least latency this machine shows at this rate)."""
    traffic = Traffic(args, port, tokens[0], tokens[1], secrets.token_hex(3))
    pool = Pool(port, args.connections)
    most = PhaseStats(f"{label}: as fast as it goes", strict=False)
    at_rate = PhaseStats(f"{label}: at rate", strict=False)
    try:
        await closed_loop(
            pool, traffic, 2, args.ceiling_concurrency, PhaseStats("warm", strict=False)
        )
        meter = CpuMeter(meter_groups, None)
        meter.begin()
        await closed_loop(pool, traffic, args.ceiling_seconds, args.ceiling_concurrency, most)
        most.cores = meter.end()
        meter.begin()
        await open_loop(pool, traffic, rate, args.ceiling_seconds, at_rate, args.timeout)
        at_rate.cores = meter.end()
    finally:
        pool.close()
    return most, at_rate


def fmt_ms(value: float) -> str:
    return "-" if value != value else f"{value:,.1f}"


def kind_rows(stats: PhaseStats) -> list[str]:
    rows = []
    for name, k in stats.kinds.items():
        if not k.count:
            continue
        errors = {o: n for o, n in k.outcomes.items() if is_error(o)}
        err_text = ", ".join(f"{o}: {n}" for o, n in sorted(errors.items())) or "0"
        replays = k.outcomes.get("200 replay", 0)
        lat = k.latencies
        rows.append(
            f"| {stats.name} | {name} | {k.count:,} | "
            f"{k.count / (stats.sent_seconds or stats.elapsed):,.1f} | "
            f"{replays:,} | {k.outcomes.get('429', 0):,} | {err_text} | "
            f"{fmt_ms(percentile(lat, 50))} | {fmt_ms(percentile(lat, 90))} | "
            f"{fmt_ms(percentile(lat, 99))} | {fmt_ms(max(lat, default=float('nan')))} |"
        )
    return rows


def cores_text(cores: dict[str, float]) -> str:
    return ", ".join(f"{name} {'n/a' if v != v else f'{v:.2f}'}" for name, v in cores.items())


def report(
    args: argparse.Namespace,
    info: dict[str, str],
    rate: float,
    ceilings: list[tuple[PhaseStats, PhaseStats]],
    warm: PhaseStats,
    soak: PhaseStats,
    samples: Samples,
    rss_start: list[float],
    rss_end: list[float],
    check: dict[str, Any],
) -> tuple[str, dict[str, Any]]:
    single = soak.kinds["single"]
    p99 = percentile(single.latencies, 99)
    errors = sum(n for k in soak.kinds.values() for o, n in k.outcomes.items() if is_error(o))
    errors += sum(n for k in warm.kinds.values() for o, n in k.outcomes.items() if is_error(o))
    growth = [(e - s) / s for s, e in zip(rss_start, rss_end, strict=True)]
    events_per_s = sum(k.events_sent for k in soak.kinds.values()) / soak.sent_seconds
    max_lag = max((lag for _, lag, _ in samples.lag), default=float("nan"))
    end_lag = samples.lag[-1][1] if samples.lag else float("nan")
    req_sent = sum(k.count for k in soak.kinds.values())
    lines = [
        f"# Soak run, {info['started']}",
        "",
        *(f"- {k}: {v}" for k, v in info.items() if k != "started"),
        "",
        "| target | measured | verdict |",
        "| --- | ---: | --- |",
        f"| {args.rate:,} events/s offered | {events_per_s:,.0f} events/s "
        f"({req_sent / soak.sent_seconds:,.1f} req/s of {rate:,.1f} scheduled) | "
        f"{'**met**' if events_per_s >= 0.99 * args.rate else '**missed**'} |",
        f"| 0 errors other than 429 | {errors} (warm-up and soak) | "
        f"{'**met**' if errors == 0 else '**missed**'} |",
        f"| single ingest p99 ≤ {TARGET_SINGLE_P99_MS:g} ms | {fmt_ms(p99)} ms | "
        f"{'**met**' if p99 <= TARGET_SINGLE_P99_MS else '**missed**'} |",
        f"| worker memory growth ≤ {TARGET_MEMORY_GROWTH:.0%} | "
        + ", ".join(f"{g:+.1%}" for g in growth)
        + f" | {'**met**' if all(g <= TARGET_MEMORY_GROWTH for g in growth) else '**missed**'} |",
        f"| stored events = accepted | {check['stored']:,} stored, {check['accepted']:,} "
        f"accepted, {check['distinct']:,} distinct ids, {check['unknown']} unanswered writes | "
        f"{'**met**' if check['ok'] else '**missed**'} |",
        "",
        "Latency in ms from the scheduled send time (open loop), every answer counted. "
        "Replays: requests resending an accepted body (must be 200 / duplicate).",
        "",
        "| phase | request | count | req/s | replays | 429 | errors | p50 | p90 | p99 | max |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for _, at_rate in ceilings:
        lines += kind_rows(at_rate)
    lines += kind_rows(warm) + kind_rows(soak)
    lines += [
        "",
        "Generator (this process): how late it started requests against the timetable, "
        "and when they were written (after waiting for a free connection), ms.",
        "",
        "| phase | start late p50 | p99 | max | written late p99 | max | "
        "connections (peak) | waited for one |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for stats in [*(c[1] for c in ceilings), warm, soak]:
        lines.append(
            f"| {stats.name} | {fmt_ms(percentile(stats.start_lag, 50))} | "
            f"{fmt_ms(percentile(stats.start_lag, 99))} | "
            f"{fmt_ms(max(stats.start_lag, default=float('nan')))} | "
            f"{fmt_ms(percentile(stats.send_lag, 99))} | "
            f"{fmt_ms(max(stats.send_lag, default=float('nan')))} | "
            f"{stats.peak_connections} | {stats.waited:,} |"
        )
    lines += [
        "",
        "Ceiling: the same generator, mix and bodies against bench/constant_app.py "
        f"({args.workers} uvicorn workers), closed loop with {args.ceiling_concurrency} "
        "connections for "
        f"{args.ceiling_seconds:g} s.",
        "",
        "| when | requests/s | generator's share of that | target req/s ÷ ceiling | cores busy |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for most, _ in ceilings:
        done = sum(k.count for k in most.kinds.values())
        per_s = done / most.elapsed
        generator_us = most.cores.get("generator", 0) * 1e6 / per_s
        lines.append(
            f"| {most.name} | {per_s:,.0f} | {generator_us:,.0f} µs "
            f"CPU per request | {rate / per_s:.1%} | {cores_text(most.cores)} |"
        )
    lines += [
        "",
        f"Cores busy over the soak: {cores_text(soak.cores)}.",
        "",
        "Database sessions of the service busy, on average over the samples, by what they "
        "waited for (CPU: not waiting): "
        + (
            ", ".join(
                f"{wait} {n / samples.wait_samples:.2f}" for wait, n in samples.waits.most_common(8)
            )
            or "none"
        )
        + ".",
        "",
        "Commit probe (a one-row INSERT committed alone every 0.2 s on its own connection, "
        "waiting for the same WAL flush as the ingest): p50 "
        f"{fmt_ms(percentile([ms for _, ms in samples.commits], 50))} ms, p99 "
        f"{fmt_ms(percentile([ms for _, ms in samples.commits], 99))} ms, max "
        f"{fmt_ms(max((ms for _, ms in samples.commits), default=float('nan')))} ms.",
        "",
        "Per minute of the soak (single ingest latency; commit probe, rollup lag and RSS sampled):",
        "",
        "| minute | answered req/s | single p50 | single p99 | errors | 429 | commit probe p50 "
        "| p99 | max rollup lag s | worker RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for index in sorted(i for i in soak.minutes if i >= 0):
        m = soak.minutes[index]
        window = (index * 60, (index + 1) * 60)
        lags = [lag for t, lag, _ in samples.lag if window[0] <= t < window[1]]
        rss = [r for t, r in samples.rss if window[0] <= t < window[1]]
        commits = [ms for t, ms in samples.commits if window[0] <= t < window[1]]
        lines.append(
            f"| {index + 1} | {m['requests'] / 60:,.1f} | {fmt_ms(percentile(m['single'], 50))} | "
            f"{fmt_ms(percentile(m['single'], 99))} | {m['errors']} | {m['429']} | "
            f"{fmt_ms(percentile(commits, 50))} | {fmt_ms(percentile(commits, 99))} | "
            f"{fmt_ms(max(lags, default=float('nan')))} | "
            + (" / ".join(f"{v:.0f}" for v in rss[-1]) if rss else "")
            + " |"
        )
    lines += [
        "",
        "Worker RSS MiB, after the warm-up → at the end: "
        + ", ".join(
            f"{s:.1f} → {e:.1f} ({g:+.1%})"
            for s, e, g in zip(rss_start, rss_end, growth, strict=True)
        )
        + ".",
        f"Rollup lag over the soak: max {fmt_ms(max_lag)} s, at the end {fmt_ms(end_lag)} s; "
        f"all rolled up {check['drain']} after the load stopped.",
    ]
    data = {
        "info": info,
        "args": {k: v for k, v in vars(args).items() if k != "json"},
        "request_rate": rate,
        "soak": phase_json(soak),
        "warmup": phase_json(warm),
        "ceilings": [{"closed_loop": phase_json(m), "at_rate": phase_json(a)} for m, a in ceilings],
        "rss_mib": {"start": rss_start, "end": rss_end, "growth": growth, "samples": samples.rss},
        "rollup_lag": samples.lag,
        "commit_probe_ms": samples.commits,
        "database_waits": {w: n / max(1, samples.wait_samples) for w, n in samples.waits.items()},
        "check": check,
    }
    return "\n".join(lines) + "\n", data


def phase_json(stats: PhaseStats) -> dict[str, Any]:
    return {
        "name": stats.name,
        "elapsed_s": stats.elapsed,
        "cores": stats.cores,
        "kinds": {
            name: {
                "count": k.count,
                "outcomes": dict(k.outcomes),
                "events_sent": k.events_sent,
                "events_accepted": k.events_accepted,
                **{f"p{q}_ms": percentile(k.latencies, q) for q in (50, 90, 99)},
                "max_ms": max(k.latencies, default=None),
            }
            for name, k in stats.kinds.items()
        },
        "start_lag_p99_ms": percentile(stats.start_lag, 99),
        "send_lag_p99_ms": percentile(stats.send_lag, 99),
    }


async def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    # SIGTERM (and SIGINT, which background jobs ignore) stop the run cleanly: the
    # servers are stopped and the database dropped on the way out.
    main_task = asyncio.current_task()
    assert main_task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, main_task.cancel)
    rate = request_rate(args)
    single, batch, read = (share / 100 * rate for share in args.mix)
    print(
        f"{args.rate:,} events/s = {rate:,.1f} requests/s: {single:,.1f} single, "
        f"{batch:,.1f} batches of {args.batch_size} ({batch * args.batch_size:,.0f} events/s), "
        f"{read:,.1f} metric reads"
    )
    busy_before = await asyncio.to_thread(busy_cores)
    db = await create_database(args.database_url or os.environ.get("FEEDBACK_BENCH_DATABASE_URL"))
    print(f"database {db.name} ({'embedded ' if db.embedded else ''}PostgreSQL {db.version})")
    try:
        tokens = await create_keys(db.url, args.keys)
        with tempfile.TemporaryDirectory(prefix="feedback-soak-") as tmp:
            workdir = Path(tmp)
            return await run_servers(args, db, tokens, rate, workdir, started, busy_before)
    finally:
        if args.keep:
            print(f"kept database {db.name}")
        else:
            await drop_database(db)


async def run_servers(
    args: argparse.Namespace,
    db: Database,
    tokens: tuple[list[str], str],
    rate: float,
    workdir: Path,
    started: datetime,
    busy_before: float,
) -> int:
    ceilings: list[tuple[PhaseStats, PhaseStats]] = []
    with constant_serve(args.workers, workdir) as constant:
        groups = {"constant workers": lambda: workers_of(constant.process.pid)}
        if args.ceiling_seconds > 0:
            print(
                f"ceiling: constant route, {args.workers} workers, {args.ceiling_seconds:g} s ..."
            )
            ceilings.append(
                await ceiling(constant.port, args, tokens, rate, groups, "ceiling before")
            )
            print_ceiling(ceilings[-1], rate)
        with feedback_serve(db.url, args.workers, workdir) as service:
            workers = workers_of(service.process.pid)
            if len(workers) != args.workers:
                raise RuntimeError(f"expected {args.workers} workers, found {workers}")
            print(f"feedback serve on port {service.port}, workers {workers}")
            warm, soak, samples, rss_start, rss_end = await drive_service(
                args, service, workers, db, tokens, rate
            )
            check = await final_check(db.url, [warm, soak])
            print(
                f"stored {check['stored']:,} events, accepted {check['accepted']:,}, "
                f"rolled up {check['drain']} after the load"
            )
            log_tail = service.tail()
        if args.ceiling_seconds > 0:
            print("ceiling again ...")
            ceilings.append(
                await ceiling(constant.port, args, tokens, rate, groups, "ceiling after")
            )
            print_ceiling(ceilings[-1], rate)
    info = {
        "started": f"{started:%Y-%m-%d %H:%M} UTC",
        "command": "python -m bench.soak " + " ".join(sys.argv[1:]),
        "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        "PostgreSQL": f"{db.version}{' (embedded)' if db.embedded else ''}",
        "service": f"feedback serve --workers {args.workers}, rollups every "
        f"{os.environ.get('FEEDBACK_ROLLUP_INTERVAL_SECONDS', Settings().rollup_interval_seconds)}"
        " s",
        "load": f"{args.rate:,} events/s = {rate:,.1f} requests/s "
        f"(mix {args.mix[0]}/{args.mix[1]}/{args.mix[2]} % single/batch/read, "
        f"{args.batch_size} events per batch, {args.keys} ingest keys, "
        f"{args.replay:.0%} replays, read windows ending {args.read_window}), "
        f"warm-up {args.warmup:g} s, soak {args.duration:g} s",
        "other load before the run": f"{busy_before:.2f} cores busy",
    }
    text, data = report(args, info, rate, ceilings, warm, soak, samples, rss_start, rss_end, check)
    print()
    print(text)
    if any(word in log_tail for word in ("Traceback", "ERROR")):
        print("The service logged errors; the end of its log:\n" + log_tail)
    if args.trace:
        lines = [f"{t:.4f},{k},{ms:.2f},{o}\n" for t, k, ms, o in soak.trace]
        text_ = "epoch_s,kind,latency_ms,outcome\n" + "".join(lines)
        await asyncio.to_thread(Path(args.trace).write_text, text_)
        print(f"trace written to {args.trace}")
    if args.json:
        out = orjson.dumps(data, option=orjson.OPT_INDENT_2)
        await asyncio.to_thread(Path(args.json).write_bytes, out)
        print(f"written to {args.json}")
    return 0


def print_ceiling(c: tuple[PhaseStats, PhaseStats], rate: float) -> None:
    most, at_rate = c
    done = sum(k.count for k in most.kinds.values()) / most.elapsed
    single = at_rate.kinds["single"].latencies
    print(
        f"  closed loop {done:,.0f} req/s (target {rate / done:.1%} of it; "
        f"{cores_text(most.cores)}); at rate: single p50 {fmt_ms(percentile(single, 50))} ms, "
        f"p99 {fmt_ms(percentile(single, 99))} ms"
    )


async def drive_service(
    args: argparse.Namespace,
    service: Served,
    workers: list[int],
    db: Database,
    tokens: tuple[list[str], str],
    rate: float,
) -> tuple[PhaseStats, PhaseStats, Samples, list[float], list[float]]:
    traffic = Traffic(args, service.port, tokens[0], tokens[1], secrets.token_hex(3))
    pool = Pool(service.port, args.connections)
    warm, soak = PhaseStats("warm-up"), PhaseStats("soak")
    samples = Samples()
    try:
        if args.warmup > 0:
            print(f"warm-up {args.warmup:g} s at {rate:,.1f} req/s ...")
            await open_loop(pool, traffic, rate, args.warmup, warm, args.timeout)
        rss_start = [rss_mib(pid) for pid in workers]
        print("worker RSS after warm-up: " + ", ".join(f"{v:.1f} MiB" for v in rss_start))
        meter = CpuMeter(
            {
                **{f"worker {i}": _pids(pid) for i, pid in enumerate(workers, 1)},
                "supervisor": lambda: [service.process.pid],
            },
            db.postmaster if db.embedded else None,
        )
        stop = asyncio.Event()
        t0 = time.monotonic()
        sampler = asyncio.create_task(sample(db.url, workers, samples, t0, stop))
        prober = asyncio.create_task(probe_commits(db.url, samples, t0, stop))

        def progress(index: int) -> None:
            m = soak.minutes.get(index)
            if not m:
                return
            lag = samples.lag[-1][1] if samples.lag else float("nan")
            window = (index * 60, (index + 1) * 60)
            commit_p99 = fmt_ms(
                percentile([ms for t, ms in samples.commits if window[0] <= t < window[1]], 99)
            )
            print(
                f"  minute {index + 1}: {m['requests'] / 60:,.1f} req/s answered so far, "
                f"single p50 {fmt_ms(percentile(m['single'], 50))} ms p99 "
                f"{fmt_ms(percentile(m['single'], 99))} ms, errors {m['errors']}, "
                f"429 {m['429']}, commit probe p99 {commit_p99} ms, rollup lag {lag:.1f} s, RSS "
                + " / ".join(f"{rss_mib(pid):.0f}" for pid in workers)
                + " MiB",
                flush=True,
            )

        print(f"soak {args.duration:g} s at {rate:,.1f} req/s ...")
        meter.begin()
        await open_loop(pool, traffic, rate, args.duration, soak, args.timeout, 60, progress)
        soak.cores = meter.end()
        rss_end = [rss_mib(pid) for pid in workers]
        stop.set()
        await sampler
        await prober
    finally:
        pool.close()
    return warm, soak, samples, rss_start, rss_end


async def final_check(url: URL, phases: Sequence[PhaseStats]) -> dict[str, Any]:
    """Stored = accepted (nothing lost, nothing doubled); then how long the rollups
    take to catch up with everything once the load stops."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        stored, distinct = await conn.fetchrow(
            "SELECT count(*), count(DISTINCT event_id) FROM feedback_events"
        )
        t0 = time.monotonic()
        drain = "not within 120 s"
        while time.monotonic() - t0 < 120:
            s = await rollups.status(conn)
            if s.pending_events == 0:
                drain = f"within {time.monotonic() - t0:.1f} s"
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    accepted = sum(p.accepted_events for p in phases)
    unknown = sum(p.unknown_outcomes for p in phases)
    return {
        "stored": stored,
        "distinct": distinct,
        "accepted": accepted,
        "unknown": unknown,
        "ok": stored == distinct and accepted <= stored <= accepted + unknown * 1000,
        "drain": drain,
    }


def mix(text: str) -> tuple[int, int, int]:
    parts = tuple(int(p) for p in text.split(","))
    if len(parts) != 3 or sum(parts) != 100 or min(parts) < 0:
        raise argparse.ArgumentTypeError("three whole percentages adding up to 100, e.g. 80,15,5")
    return parts[0], parts[1], parts[2]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.soak", description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=600, help="soak seconds (600)")
    p.add_argument("--rate", type=int, default=1000, help="events/s offered (1000)")
    p.add_argument("--workers", type=int, default=2, help="feedback serve workers (2)")
    p.add_argument("--keys", type=int, default=200, help="ingest keys (200)")
    p.add_argument("--batch-size", type=int, default=10, help="events per batch (10)")
    p.add_argument(
        "--mix", type=mix, default=(80, 15, 5), help="%% single,batch,read requests (80,15,5)"
    )
    p.add_argument(
        "--read-window",
        choices=("now", "hour", "day"),
        default="now",
        help="metric read windows end now (the default window), at the last whole hour "
        "or at today's UTC midnight (now)",
    )
    p.add_argument("--replay", type=float, default=0.01, help="share of replays (0.01)")
    p.add_argument("--warmup", type=float, default=30, help="warm-up seconds at the rate (30)")
    p.add_argument("--timeout", type=float, default=10, help="seconds per request (10)")
    p.add_argument("--connections", type=int, default=256, help="most open connections (256)")
    p.add_argument(
        "--ceiling-seconds",
        type=float,
        default=10,
        help="seconds of each ceiling measurement, before and after (10; 0: none)",
    )
    p.add_argument(
        "--ceiling-concurrency", type=int, default=64, help="closed-loop connections (64)"
    )
    p.add_argument("--seed", type=int, default=1, help="events, keys and mix (1)")
    p.add_argument(
        "--database-url",
        help="a PostgreSQL server to make the fresh database on (default: "
        "FEEDBACK_BENCH_DATABASE_URL, else the embedded server in .data/bench)",
    )
    p.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument(
        "--trace",
        metavar="FILE",
        help="also write every soak answer as CSV (scheduled time, kind, latency, outcome), "
        "to line slow answers up with the server's log",
    )
    args = p.parse_args(argv)
    if args.duration < 60:
        p.error("--duration must be at least 60 s (the report is per minute)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    uvloop.install()
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
