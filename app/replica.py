"""Reads from a streaming replica (`FEEDBACK_READ_DATABASE_URL`), and when not to.

The metrics, the event list, the export and the other reports read through
`ReadDatabaseDep`: a replica's connection while the replica is healthy (it answers,
is a standby, and its replay is within `FEEDBACK_READ_MAX_LAG_SECONDS` of the
primary), else the primary's. Writes, follow-up work, keys, and every read that must
see its own writes (`GET /v1/feedback/{event_id}` after a post) keep `DatabaseDep`,
the primary.

`ReadReplica` probes in the background, every `FEEDBACK_READ_PROBE_INTERVAL_SECONDS`
(not per request): the primary's WAL position (`pg_current_wal_lsn()`), then the
replica's replayed position, replay time and rollup watermark. The lag is how long ago
the primary was where the replica's replay is now, from the positions the primary
was seen at (`WalHistory`): so it is 0 for a replica that is caught up with an idle
primary (where `now() - pg_last_xact_replay_timestamp()` would grow without end), and
it grows for a replica that answers but no longer receives WAL (where comparing the
replica's received and replayed positions would say 0). Times are this process's
monotonic clock: no clock of another machine enters it.

Each answer read through the dependency says where it was read (`Feedback-Read-Source`)
and, on a replica, how fresh its data is (`Feedback-Replayed-At`, `Feedback-Replica-Lag`,
`Feedback-Rollup-Watermark`), from the latest probe: the answer's data is at least
that fresh, since replay only moves forward. `freshness_fields` writes them
(app.http's `ResponseHeaders`, wired by app.main).

An answer keeps the server its first connection came from: a replica that refuses
that connection (checked at checkout: the replica's pool pings) sends the answer to the
primary, and is marked down until the next probe finds it back; a replica that goes
away while the answer is being read there makes that answer a 503 with `Retry-After`,
like any lost connection, and the answers after it go to the primary. An answer's
connections never mix the two servers (the key drivers share one snapshot between
connections, `pg_export_snapshot()`).
"""

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Mapping, MutableMapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import exc as sa_exc

from app.db import LOST_CONNECTION, Database, DatabaseDep, OutageLog
from app.errors import ServiceUnavailable
from app.periodic import Periodic

log = logging.getLogger(__name__)

STATE_KEY = "read_source"  # request.state: the `ReadSource` the answer's fields report

State = Literal["healthy", "lagging", "down"]
Source = Literal["replica", "primary"]

PROBE_TIMEOUT = 2.0  # seconds for one probe's statement; the connect has its own bound
HISTORY = 4096  # primary WAL positions kept (one per probe that saw the position move)

PRIMARY_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS lsn"
REPLICA_SQL = """
SELECT pg_is_in_recovery() AS standby,
       pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint AS replayed,
       pg_last_xact_replay_timestamp() AS replayed_at,
       CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused,
       clock_timestamp() AS now,
       (SELECT watermark FROM metric_rollup_state WHERE id = 1) AS watermark
"""


@dataclass(frozen=True, slots=True)
class Observation:
    """What the latest probe found."""

    state: State
    lag_seconds: float | None  # None: not known (down, or no position to compare with)
    replayed_at: datetime | None  # commit time of the last transaction replayed
    rollup_watermark: int | None  # the replica's metric_rollup_state.watermark
    checked_at: datetime | None  # when (wall clock); None before the first probe
    detail: str | None  # why it is lagging or down, in a few words

    @property
    def serves_reads(self) -> bool:
        return self.state == "healthy"


NOT_CHECKED = Observation("down", None, None, None, None, "not checked yet")


@dataclass(frozen=True, slots=True)
class ReadSource:
    """Where one answer was read, and (on a replica) how fresh that replica was."""

    source: Source
    observation: Observation | None = None


PRIMARY = ReadSource("primary")


@dataclass(slots=True)
class _Position:
    lsn: int
    first_seen: float  # monotonic seconds
    last_seen: float


class WalHistory:
    """The primary's WAL positions as the probes saw them, to tell how long ago the
    primary was where a replica's replay is now."""

    def __init__(self, size: int = HISTORY) -> None:
        self.positions: deque[_Position] = deque(maxlen=size)

    def saw(self, lsn: int, at: float) -> None:
        last = self.positions[-1] if self.positions else None
        if last is not None and lsn == last.lsn:
            last.last_seen = at  # still there (an idle primary adds nothing)
            return
        if last is not None and lsn < last.lsn:  # another primary (restored, failed over)
            self.positions.clear()
        self.positions.append(_Position(lsn, at, at))

    def lag(self, replayed: int, now: float) -> float | None:
        """Seconds since the primary was at `replayed`: 0 when the replica has replayed
        the latest position seen, None when `replayed` is older than every position kept.

        Between two positions seen, the primary passed `replayed` after it was last seen
        at the lower one and before it was first seen at the higher: interpolated by the
        WAL written in between.
        """
        if not self.positions:
            return None
        if replayed >= self.positions[-1].lsn:
            return 0.0
        above = self.positions[-1]
        for below in reversed(self.positions):
            if below.lsn <= replayed:
                share = (replayed - below.lsn) / (above.lsn - below.lsn)
                passed = below.last_seen + share * (above.first_seen - below.last_seen)
                return max(0.0, now - passed)
            above = below
        return None


class ReadReplica:
    """The replica's pool, its probe, and which server an answer reads."""

    def __init__(
        self, primary: Database, replica: Database, *, max_lag: float, interval: float
    ) -> None:
        self.primary = primary
        self.replica = replica
        self.max_lag = max_lag
        self.interval = interval
        self.history = WalHistory()
        self.observation = NOT_CHECKED
        self._probes = Periodic(
            "read replica probe", self._probe_round, interval, OutageLog(log, "read replica probe")
        )

    async def start(self) -> None:
        """Probe once (so the first answers may use the replica), then every interval."""
        await self.probe()
        self._probes.start()

    async def stop(self) -> None:
        await self._probes.stop()

    async def _probe_round(self, stop: asyncio.Event) -> bool:
        await self.probe()
        return False  # then wait the interval

    async def probe(self) -> Observation:
        """Look at both servers once; the result becomes `observation` (and is logged
        when the state changes)."""
        try:
            async with self.primary.connection() as conn:
                lsn = await conn.fetchval(PRIMARY_SQL, timeout=PROBE_TIMEOUT)
            self.history.saw(lsn, time.monotonic())
        except Exception as exc:  # primary away: no new writes either, judge by what was seen
            log.debug("read replica probe: the primary did not answer (%s)", type(exc).__name__)
        try:
            async with self.replica.connection() as conn:
                row = await conn.fetchrow(REPLICA_SQL, timeout=PROBE_TIMEOUT)
        except Exception as exc:
            self._down(f"does not answer ({type(exc.__cause__ or exc).__name__})")
            return self.observation
        if not row["standby"]:
            self._down("is not a standby (not in recovery)")
            return self.observation
        lag = self.history.lag(row["replayed"], time.monotonic())
        if lag is None and row["replayed_at"] is not None:
            # Replayed less than the oldest position kept: at most as old as its last
            # replayed commit (every later commit is what it lacks).
            lag = max(0.0, (row["now"] - row["replayed_at"]).total_seconds())
        healthy = lag is not None and lag <= self.max_lag
        detail = None
        if not healthy:
            behind = "by an unknown time" if lag is None else f"{lag:.1f} s"
            paused = ", replay paused" if row["paused"] else ""
            detail = f"replay behind {behind} (more than {self.max_lag:g} s){paused}"
        self._observe(
            Observation(
                state="healthy" if healthy else "lagging",
                lag_seconds=None if lag is None else round(lag, 3),
                replayed_at=row["replayed_at"],
                rollup_watermark=row["watermark"],
                checked_at=datetime.now(UTC),
                detail=detail,
            )
        )
        return self.observation

    def _down(self, detail: str) -> None:
        self._observe(Observation("down", None, None, None, datetime.now(UTC), detail))

    def _observe(self, observed: Observation) -> None:
        before, self.observation = self.observation, observed
        if before.state == observed.state and before.checked_at is not None:
            return  # said once per change (and once at the first probe)
        if observed.state == "healthy":
            log.warning("read replica healthy: reads go to it")
        else:
            log.warning(
                "read replica %s (%s): reads go to the primary", observed.state, observed.detail
            )

    def refused(self, exc: ServiceUnavailable) -> None:
        """An answer could not get a replica connection, or lost it: down until a probe
        says otherwise (no free connection in the replica's pool is no sign of that: only
        this answer moves to the primary)."""
        if not isinstance(exc.__cause__, sa_exc.TimeoutError):
            self._down(f"a read failed ({type(exc.__cause__ or exc).__name__})")

    def reads(self, state: MutableMapping[str, Any]) -> Database:
        """The database one answer reads, noted in its request `state`."""
        observed = self.observation
        if not observed.serves_reads:
            state[STATE_KEY] = PRIMARY
            return self.primary
        state[STATE_KEY] = ReadSource("replica", observed)
        return ReplicaReads(self, state)


class ReplicaReads(Database):
    """One answer's reads on the replica; on the primary from its first connection if
    the replica refuses that one (never both in one answer)."""

    def __init__(self, reads: ReadReplica, state: MutableMapping[str, Any]) -> None:
        super().__init__(reads.replica.engine)
        self.reads = reads
        self.state = state
        self.on_replica = True
        self.used = False  # a replica connection was handed out

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        if self.on_replica:
            stack = AsyncExitStack()
            try:
                conn = await stack.enter_async_context(self.reads.replica.connection())
            except ServiceUnavailable as exc:
                if self.used:
                    raise
                self.reads.refused(exc)
                self.on_replica = False
                self.state[STATE_KEY] = PRIMARY
            else:
                self.used = True
                try:
                    async with stack:
                        yield conn
                except ServiceUnavailable as exc:  # a 503 for this answer (Retry-After)
                    if isinstance(exc.__cause__, LOST_CONNECTION):
                        self.reads.refused(exc)  # the next answers go to the primary at once
                    raise
                return
        async with self.reads.primary.connection() as conn:
            yield conn


async def get_replica(request: Request) -> ReadReplica | None:
    """The lifespan's `ReadReplica`, or None without `FEEDBACK_READ_DATABASE_URL`."""
    replica: ReadReplica | None = getattr(request.app.state, "replica", None)
    return replica


ReplicaDep = Annotated[ReadReplica | None, Depends(get_replica)]


async def get_read_database(
    request: Request, primary: DatabaseDep, replica: ReplicaDep
) -> Database:
    """The database for a read that need not see the latest writes: the replica while it
    is healthy, else the primary (`DatabaseDep`). The answer's `Feedback-*` fields say
    which, and how fresh."""
    state = request.scope.setdefault("state", {})
    if replica is None:
        state[STATE_KEY] = PRIMARY
        return primary
    return replica.reads(state)


ReadDatabaseDep = Annotated[Database, Depends(get_read_database)]


# -- the answer's fields --------------------------------------------------------------

SOURCE_FIELD = "Feedback-Read-Source"
REPLAYED_FIELD = "Feedback-Replayed-At"
LAG_FIELD = "Feedback-Replica-Lag"
WATERMARK_FIELD = "Feedback-Rollup-Watermark"


def freshness_fields(state: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    """The answer's `Feedback-*` fields, from the `ReadSource` its dependency noted."""
    read: ReadSource | None = state.get(STATE_KEY)
    if read is None:
        return []
    fields = [(_SOURCE, read.source.encode())]
    seen = read.observation
    if read.source == "replica" and seen is not None:
        if seen.replayed_at is not None:
            at = seen.replayed_at.astimezone(UTC).isoformat(timespec="microseconds")
            fields.append((_REPLAYED, at.replace("+00:00", "Z").encode()))
        if seen.lag_seconds is not None:
            fields.append((_LAG, f"{seen.lag_seconds:.3f}".encode()))
        if seen.rollup_watermark is not None:
            fields.append((_WATERMARK, str(seen.rollup_watermark).encode()))
    return fields


_SOURCE, _REPLAYED, _LAG, _WATERMARK = (
    name.lower().encode() for name in (SOURCE_FIELD, REPLAYED_FIELD, LAG_FIELD, WATERMARK_FIELD)
)


# The same fields in the OpenAPI document, on the 200 answer of every route that reads
# through `get_read_database` (app.main hands them to app.http.openapi).
OPENAPI_HEADERS: dict[str, dict[str, Any]] = {
    SOURCE_FIELD: {
        "description": "Where this answer was read: `replica` (`FEEDBACK_READ_DATABASE_URL`, "
        "while it is healthy and within `FEEDBACK_READ_MAX_LAG_SECONDS` of the primary) or "
        "`primary`.",
        "schema": {"type": "string", "enum": ["replica", "primary"], "examples": ["replica"]},
    },
    REPLAYED_FIELD: {
        "description": "On an answer read on a replica: the commit time of the last "
        "transaction the replica had replayed (`pg_last_xact_replay_timestamp()`) when it "
        "was last checked. The answer holds at least every write committed until then. "
        "Absent on the primary, and before the replica replayed its first transaction.",
        "schema": {"type": "string", "format": "date-time",
                   "examples": ["2026-11-26T10:00:00.123456Z"]},
    },
    LAG_FIELD: {
        "description": "On an answer read on a replica: how many seconds its replay was "
        "behind the primary when it was last checked (at most "
        "`FEEDBACK_READ_MAX_LAG_SECONDS`).",
        "schema": {"type": "number", "examples": [0.012]},
    },
    WATERMARK_FIELD: {
        "description": "On an answer read on a replica: the rollup watermark it held (every "
        "event with id up to it is rolled up; the rest is read raw, so the figures are exact "
        "for the data replayed).",
        "schema": {"type": "integer", "examples": [1200345]},
    },
}  # fmt: skip
