"""The service's Prometheus metrics: what they are, how they are fed, how they are read.

Every metric is named `feedback_*`. Labels are bounded: a route is its template
(`/v1/feedback/{event_id}`, never the raw path; `unmatched` for every unknown
path), a method one of the HTTP methods the service answers (else `other`), a
channel one of the documented channels (else `other`). Counters and histograms
are fed where things happen (the request middleware, ingest, webhook rounds,
the pool's events); what lives in the database (rollup lag, outbox backlog) is
read when `/metrics` is scraped, by one set-based query.

`feedback serve --workers N` runs N processes: prometheus-client's multiprocess
mode (`PROMETHEUS_MULTIPROC_DIR`, set up by `prepare_multiprocess`) keeps each
process's values in a memory-mapped file and sums them at scrape time, so
whichever worker answers the scrape reports the whole service.
"""

import os
import shutil
import tempfile
from collections import Counter as Tally
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.registry import Collector

from app.replica import ReadReplica

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MULTIPROC_PREFIX = "feedback-metrics-"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the text format every Prometheus reads

UNMATCHED = "unmatched"
OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The channels `FeedbackIn.channel` documents; any other slug is counted as `other`.
CHANNELS = frozenset(
    {"web", "app", "pos", "kiosk", "phone", "email", "sms", "chat", "in_person", "social", OTHER}
)
# Ingest outcomes: stored now, an identical replay, an event_id reused with another
# body, a replay of an erased event (nothing stored again), refused as invalid.
OUTCOMES = ("created", "replayed", "conflict", "erased", "refused")

# From sub-millisecond reads to the 30 s statement timeout.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

HTTP_REQUESTS = Counter(
    "feedback_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ("method", "route", "status"),
)
HTTP_DURATION = Histogram(
    "feedback_http_request_duration_seconds",
    "Time from the request's arrival to the end of its answer, by method and route template.",
    ("method", "route"),
    buckets=LATENCY_BUCKETS,
)
INGEST_EVENTS = Counter(
    "feedback_ingest_events",
    "Feedback events received, by channel (documented channels, else other) and outcome "
    "(created, replayed, conflict, erased, refused).",
    ("channel", "outcome"),
)
WEBHOOK_ATTEMPTS = Counter(
    "feedback_webhook_delivery_attempts",
    "Webhook delivery attempts, by result: delivered (2xx) or failed (any other answer, "
    "a timeout, a refused connection).",
    ("result",),
)
POOL_SIZE = Gauge(
    "feedback_db_pool_size",
    "Connections each worker's pool keeps (FEEDBACK_DB_POOL_SIZE), summed over workers.",
    multiprocess_mode="livesum",
)
POOL_LIMIT = Gauge(
    "feedback_db_pool_limit",
    "Most connections the pools may open (size + max overflow), summed over workers.",
    multiprocess_mode="livesum",
)
POOL_OPEN = Gauge(
    "feedback_db_pool_connections",
    "Database connections open in the pools, summed over workers.",
    multiprocess_mode="livesum",
)
POOL_CHECKED_OUT = Gauge(
    "feedback_db_pool_checked_out",
    "Pooled connections in use by a request or a background round, summed over workers.",
    multiprocess_mode="livesum",
)
# feedback_db_pool_timeouts is app.errors.POOL_TIMEOUTS: counted by core modules
# (app.errors, app.db), so defined there; the default registry serves it with these.


# -- requests -------------------------------------------------------------------------


class RequestMetrics:
    """Counts one answered request; the labelled children are cached, since looking them
    up through `labels()` (validation, a lock) is most of the cost of counting."""

    def __init__(self) -> None:
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            label = method if method in METHODS else OTHER
            children = (
                HTTP_REQUESTS.labels(label, route, str(status)),
                HTTP_DURATION.labels(label, route),
            )
            if method in METHODS:  # an unknown method must not grow the cache either
                self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


# -- ingest ---------------------------------------------------------------------------


def channel_label(channel: object) -> str:
    return channel if isinstance(channel, str) and channel in CHANNELS else OTHER


_INGEST_CHILDREN: dict[tuple[str, str], Any] = {}  # at most 12 channels x 5 outcomes


def _ingest_child(channel: str, outcome: str) -> Any:
    child = _INGEST_CHILDREN.get((channel, outcome))
    if child is None:
        child = _INGEST_CHILDREN[channel, outcome] = INGEST_EVENTS.labels(channel, outcome)
    return child


def count_ingested(channel: object, outcome: str) -> None:
    _ingest_child(channel_label(channel), outcome).inc()


def count_ingested_batch(outcomes: Iterable[tuple[object, str]]) -> None:
    """Count events by (channel, outcome): one increment per distinct pair, so a batch of
    a thousand events costs a handful of increments, not a thousand."""
    for (channel, outcome), n in Tally((channel_label(c), o) for c, o in outcomes).items():
        _ingest_child(channel, outcome).inc(n)


# -- the database pool ----------------------------------------------------------------


def instrument_pool(pool: Any, size: int, max_overflow: int) -> None:
    """Keep the pool gauges current from the pool's own check-out and check-in events.

    Each event reads the pool's counts (no running sum that could drift): the
    gauges are what `pool.checkedout()` and `pool.overflow()` say at that moment.
    """
    from sqlalchemy import event

    POOL_SIZE.set(size)
    POOL_LIMIT.set(size + max_overflow)

    def checked_out(*_: object) -> None:
        POOL_CHECKED_OUT.set(pool.checkedout())
        POOL_OPEN.set(max(0, size + pool.overflow()))

    def checked_in(*_: object) -> None:  # called before the pool takes the connection back
        POOL_CHECKED_OUT.set(max(0, pool.checkedout() - 1))
        POOL_OPEN.set(max(0, size + pool.overflow()))

    event.listen(pool, "checkout", checked_out)
    event.listen(pool, "checkin", checked_in)


# -- state read at scrape time --------------------------------------------------------

BACKLOG_CAP = 100_000  # counting further would make the scrape itself slow
STATE_SQL = f"""
SELECT
    greatest(coalesce(
        pg_sequence_last_value(pg_get_serial_sequence('feedback_events', 'id')::regclass), 0
    ) - s.watermark, 0) AS rollup_pending,
    greatest(coalesce(extract(epoch FROM now() - (
        SELECT received_at FROM feedback_events WHERE id > s.watermark ORDER BY id LIMIT 1
    )), 0), 0)::float8 AS rollup_lag,
    (SELECT count(*) FROM (
        SELECT FROM webhook_messages m JOIN webhook_subscriptions w
            ON w.id = m.subscription_id AND w.enabled
        WHERE m.status = 'pending' LIMIT {BACKLOG_CAP}
    ) b) AS outbox_pending,
    coalesce(extract(epoch FROM now() - (
        SELECT min(m.next_attempt_at) FROM webhook_messages m JOIN webhook_subscriptions w
            ON w.id = m.subscription_id AND w.enabled
        WHERE m.status = 'pending' AND m.next_attempt_at <= now()
    )), 0)::float8 AS outbox_oldest_due,
    (SELECT count(*) FILTER (WHERE enabled AND failing_since IS NOT NULL)
     FROM webhook_subscriptions) AS webhooks_failing,
    (SELECT count(*) FILTER (WHERE NOT enabled) FROM webhook_subscriptions) AS webhooks_disabled,
    (SELECT count(*) FROM alerts WHERE status = 'open') AS alerts_open
FROM metric_rollup_state s WHERE s.id = 1
"""


@dataclass(frozen=True, slots=True)
class DatabaseState:
    rollup_pending: int
    rollup_lag: float
    outbox_pending: int
    outbox_oldest_due: float
    webhooks_failing: int
    webhooks_disabled: int
    alerts_open: int


async def read_state(conn: asyncpg.Connection, seconds: float) -> DatabaseState | None:
    """The gauges read from the database; asyncpg cancels the query after `seconds`."""
    row = await conn.fetchrow(STATE_SQL, timeout=seconds)
    if row is None:  # not migrated yet
        return None
    return DatabaseState(**dict(row))


STATE_HELP: Mapping[str, tuple[str, str]] = {
    "rollup_pending": (
        "feedback_rollup_pending_events",
        "Events above the rollup watermark (drawn ids, so an upper bound); answers read them raw.",
    ),
    "rollup_lag": (
        "feedback_rollup_lag_seconds",
        "Age of the oldest event not rolled up yet; 0 when none.",
    ),
    "outbox_pending": (
        "feedback_webhook_outbox_pending",
        f"Webhook messages waiting to be delivered to enabled subscriptions (capped at "
        f"{BACKLOG_CAP:,}).",
    ),
    "outbox_oldest_due": (
        "feedback_webhook_outbox_oldest_due_seconds",
        "How long the oldest due webhook message has been waiting; 0 when none is due.",
    ),
    "webhooks_failing": (
        "feedback_webhook_subscriptions_failing",
        "Enabled webhook subscriptions whose last delivery failed.",
    ),
    "webhooks_disabled": (
        "feedback_webhook_subscriptions_disabled",
        "Webhook subscriptions disabled (by an admin, or after 24 h of failures).",
    ),
    "alerts_open": (
        "feedback_alerts_open",
        "Alerts open now (GET /v1/alerts): changes in a metric of one scope the service noticed.",
    ),
}


class StateCollector(Collector):
    """The values read at scrape time, as gauges (one scrape's registry holds one); with a
    read replica, what the answering worker's latest probe of it found (every worker
    probes the same replica, app.replica)."""

    def __init__(self, state: DatabaseState | None, replica: ReadReplica | None = None) -> None:
        self.state = state
        self.replica = replica

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "feedback_database_up",
            "1 if the database answered the scrape's query, else 0 (and no database gauges).",
        )
        up.add_metric([], 0 if self.state is None else 1)
        yield up
        if self.replica is not None:
            yield from replica_gauges(self.replica)
        if self.state is None:
            return
        for field, (name, help_text) in STATE_HELP.items():
            yield GaugeMetricFamily(name, help_text, value=getattr(self.state, field))


def replica_gauges(replica: ReadReplica) -> Iterable[Metric]:
    seen = replica.observation
    up = GaugeMetricFamily(
        "feedback_read_replica_up",
        "1 if the read replica answered the latest probe as a standby, else 0.",
    )
    up.add_metric([], 0 if seen.state == "down" else 1)
    yield up
    reads = GaugeMetricFamily(
        "feedback_read_replica_reads",
        "1 while reads go to the read replica, 0 while they fall back to the primary "
        "(replica down, or lagging more than FEEDBACK_READ_MAX_LAG_SECONDS).",
    )
    reads.add_metric([], 1 if seen.serves_reads else 0)
    yield reads
    if seen.lag_seconds is not None:  # unknown while it is down
        yield GaugeMetricFamily(
            "feedback_read_replica_lag_seconds",
            "How far the read replica's replay is behind the primary (its latest probe).",
            value=seen.lag_seconds,
        )
    yield GaugeMetricFamily(
        "feedback_read_replica_max_lag_seconds",
        "FEEDBACK_READ_MAX_LAG_SECONDS: beyond this lag reads go to the primary.",
        value=replica.max_lag,
    )


def exposition(state: DatabaseState | None, replica: ReadReplica | None = None) -> bytes:
    """Every metric of the service, in the Prometheus text format: this process's (or,
    with several workers, every worker's, summed), the database's state and the read
    replica's (when there is one)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        own = generate_latest(registry)
    else:
        own = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(StateCollector(state, replica))
    return own + generate_latest(scraped)


# -- several worker processes ---------------------------------------------------------


def prepare_multiprocess() -> Path:
    """Before the workers start: a fresh, empty directory for their metric files, under
    the temp dir (the only writable place in a read-only container), named in the
    environment the workers inherit, so values of an earlier run are never summed in.

    Directories left by runs that were killed (their supervisor's pid is gone) are
    removed first; those of a run still going are left alone.
    """
    temp = Path(tempfile.gettempdir())
    for old in temp.glob(f"{MULTIPROC_PREFIX}*"):
        pid = old.name.removeprefix(MULTIPROC_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    directory = Path(tempfile.mkdtemp(prefix=f"{MULTIPROC_PREFIX}{os.getpid()}-", dir=temp))
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_multiprocess(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def worker_exited(pid: int | None) -> None:
    """Drop a finished worker's live gauges (pool use) so they are not summed any more;
    its counters stay, as a counter must never go down."""
    if pid is not None and os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def _initialise() -> None:
    """Every ingest and webhook series exists from the start, at 0: `rate()` over a
    series that appears only with its first event misses that event."""
    for channel in CHANNELS:
        for outcome in OUTCOMES:
            _ingest_child(channel, outcome)
    for result in ("delivered", "failed"):
        WEBHOOK_ATTEMPTS.labels(result)


_initialise()
