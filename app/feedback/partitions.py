"""The monthly partitions of `feedback_events` (docs/architecture.md, "Partitioned history").

`feedback_events` is partitioned by range of `occurred_at`, a UTC calendar month a
partition (`feedback_events_p2026_12`), everything before FLOOR in one
(`feedback_events_p_ancient`), and after the migration of an older table one
`feedback_events_legacy` for what occurred before the migration's boundary (until
app/feedback/split.py has moved it into months).

- Ahead: `ensure_ahead` makes the current month's partition and the next AHEAD
  months' (the partition worker, every hour).
- On demand: an event whose month has no partition (a backfill, an import of old
  data) makes the ingest statement fail as a whole with "no partition of relation
  found for row" (`is_missing`); the caller makes the partitions of every month of
  its rows (`ensure`) and runs the statement once more. The hot path pays nothing
  for this: no lookup per row, no cache, one more round trip only when a month is new.
- A partition is made as a table of its own and then attached (`ATTACH PARTITION`
  takes SHARE UPDATE EXCLUSIVE on the parent, which reads and writes do not wait
  for; `CREATE TABLE ... PARTITION OF` would take ACCESS EXCLUSIVE), under a
  transaction-level advisory lock, the partitions read again under it: two workers
  making the same month at once make it once, and the second finds it made.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

log = logging.getLogger(__name__)

PARENT = "feedback_events"
LEGACY = "feedback_events_legacy"
ANCIENT = "feedback_events_p_ancient"
FLOOR = datetime(2000, 1, 1, tzinfo=UTC)  # before it: one partition, not a month each
AHEAD = 2  # months after the current one that always have a partition
# pg_advisory_xact_lock key of every change to the partitions: "feedpart".
LOCK_KEY = 0x66656564_70617274
LOCK_TIMEOUT = "2s"  # how long making a partition waits for the parent's lock


def month_start(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(m: datetime, n: int) -> datetime:
    index = m.year * 12 + m.month - 1 + n
    return m.replace(year=index // 12, month=index % 12 + 1)


@dataclass(frozen=True, slots=True)
class Range:
    """The partition an instant belongs in: its name and bounds (None: MINVALUE)."""

    lower: datetime | None
    upper: datetime
    name: str

    def bounds_sql(self) -> str:
        lower = "MINVALUE" if self.lower is None else f"'{self.lower.isoformat()}'"
        return f"FROM ({lower}) TO ('{self.upper.isoformat()}')"

    def check_sql(self) -> str:
        """A CHECK that proves the range (ATTACH then needs no scan)."""
        upper = f"occurred_at < '{self.upper.isoformat()}'"
        if self.lower is None:
            return upper
        return f"occurred_at >= '{self.lower.isoformat()}' AND {upper}"


def range_of(t: datetime) -> Range:
    if t < FLOOR:
        return Range(None, FLOOR, ANCIENT)
    m = month_start(t)
    return Range(m, add_months(m, 1), f"{PARENT}_p{m.year:04d}_{m.month:02d}")


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    lower: datetime | None  # None: MINVALUE
    upper: datetime | None  # None: MAXVALUE
    detaching: bool = False  # a DETACH ... CONCURRENTLY that has not finished

    def holds(self, t: datetime) -> bool:
        return (self.lower is None or self.lower <= t) and (self.upper is None or t < self.upper)


# The partitions of a table and their bounds, read back from the catalog as instants
# (the bound's text is in the session's time zone and date style; the cast reads it so).
PARTITIONS_SQL = r"""
SELECT c.relname AS name, i.inhdetachpending AS detaching,
       CASE WHEN b[1] <> 'MINVALUE' THEN btrim(b[1], '''')::timestamptz END AS lower,
       CASE WHEN b[2] <> 'MAXVALUE' THEN btrim(b[2], '''')::timestamptz END AS upper
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \((.+)\) TO \((.+)\)')
    AS b
WHERE i.inhparent = $1::regclass
ORDER BY lower NULLS FIRST
"""


async def partitions(conn: asyncpg.Connection, parent: str = PARENT) -> list[Partition]:
    rows = await conn.fetch(PARTITIONS_SQL, parent)
    return [Partition(r["name"], r["lower"], r["upper"], r["detaching"]) for r in rows]


def missing(existing: Iterable[Partition], instants: Iterable[datetime]) -> list[Range]:
    """The ranges to make so that every instant has a partition."""
    existing = list(existing)
    out: dict[str, Range] = {}
    for t in instants:
        if not any(p.holds(t) for p in existing):
            r = range_of(t)
            out[r.name] = r
    return sorted(out.values(), key=lambda r: (r.lower is not None, r.lower))


def is_missing(exc: BaseException) -> bool:
    """The error of a row whose month has no partition (whatever the server's language)."""
    return (
        isinstance(exc, asyncpg.CheckViolationError)
        and exc.table_name == PARENT
        and exc.constraint_name is None
    )


async def create(conn: asyncpg.Connection, r: Range) -> None:
    """Make the partition of `r`, in the caller's transaction: a table like the parent,
    then attached (its indexes are built on the empty table by the ATTACH)."""
    await conn.execute(
        f"CREATE TABLE {r.name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE)"
    )
    await conn.execute(
        f"ALTER TABLE {PARENT} ATTACH PARTITION {r.name} FOR VALUES {r.bounds_sql()}"
    )


def instant(value: datetime | str) -> datetime:
    """An `occurred_at` as a prepared row holds it: a datetime, or its ISO text (rows that
    travelled as JSON, as the demo's do)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


async def ensure(conn: asyncpg.Connection, given: Iterable[datetime | str]) -> list[str]:
    """Make the partitions that `instants` need and do not have; their names.

    One transaction (a savepoint when the caller has one open), under the advisory lock.
    """
    instants = [instant(t) for t in given]
    if not missing(await partitions(conn), instants):
        return []
    async with conn.transaction():
        # Every wait bounded (a 55P03 is a 503): the lock of another transaction that
        # makes partitions, and the parent's SHARE UPDATE EXCLUSIVE, which a long
        # DETACH ... CONCURRENTLY of the retention holds too.
        before = await conn.fetchval(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', $1, true)",
            LOCK_TIMEOUT,
        )
        await conn.execute("SELECT pg_advisory_xact_lock($1)", LOCK_KEY)
        made = missing(await partitions(conn), instants)  # again, now that it is ours to do
        for r in made:
            await create(conn, r)
        await conn.execute("SELECT set_config('lock_timeout', $1, true)", before)
    if made:
        log.info("made partitions %s", ", ".join(r.name for r in made))
    return [r.name for r in made]


async def ensure_ahead(conn: asyncpg.Connection, months: int = AHEAD) -> list[str]:
    """The partitions of the current month and of the next `months`."""
    now: datetime = await conn.fetchval("SELECT now()")
    first = month_start(now)
    return await ensure(conn, [add_months(first, n) for n in range(months + 1)])


def months(start: datetime, end: datetime) -> list[datetime]:
    """The first instant of every month that [start, end] touches (start itself first)."""
    out, m = [start], add_months(month_start(start), 1)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


async def ensure_range(conn: asyncpg.Connection, start: datetime, end: datetime) -> list[str]:
    """The partitions of every instant from `start` to `end` (both included)."""
    return await ensure(conn, [*months(start, end), end])


# --- whole months that go (the retention of events: app/respondents/expiry.py)

EXPIRED = f"{PARENT}_expired_"  # a partition on its way out: renamed, detached, dropped
STAGING = f"{PARENT}_staging"  # a split in progress (app/feedback/split.py)

LEFTOVERS_SQL = """
SELECT relname FROM pg_class
WHERE relname LIKE 'feedback\\_events\\_expired\\_%' AND relkind = 'r' AND NOT relispartition
  AND relnamespace = current_schema()::regnamespace
ORDER BY relname
"""


async def exists(conn: asyncpg.Connection, name: str) -> bool:
    """Whether a table (or any relation) `name` exists in the search path."""
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", name))


async def expiring(conn: asyncpg.Connection, cutoff: datetime) -> list[Partition]:
    """The partitions whose whole range is before `cutoff` (the legacy partition not while
    it is being split), those on their way out already, and what an interrupted run
    left detached (as partitions without bounds)."""
    splitting = await exists(conn, STAGING)
    out = [
        p
        for p in await partitions(conn)
        if p.name.startswith(EXPIRED)
        or p.detaching
        or (p.upper is not None and p.upper <= cutoff and not (splitting and p.name == LEGACY))
    ]
    return out + [Partition(r["relname"], None, None) for r in await conn.fetch(LEFTOVERS_SQL)]


async def detach(conn: asyncpg.Connection, p: Partition) -> str:
    """`p` renamed `feedback_events_expired_...` (a new partition of its month may then be
    made: ingest of an event of that month, as for any month without one) and detached
    without blocking reads or writes; the table's name. Outside a transaction: DETACH
    ... CONCURRENTLY waits for every transaction that uses the parent to end (its first
    of two transactions has committed by then; an interrupted one is finished here by
    FINALIZE)."""
    name = p.name
    if not name.startswith(EXPIRED):
        name = EXPIRED + name.removeprefix(f"{PARENT}_")
        async with conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            await conn.execute(f"ALTER TABLE {p.name} RENAME TO {name}")
    attached = {q.name: q for q in await partitions(conn)}
    if name not in attached:
        return name
    if conn.is_in_transaction():  # the caller's: no CONCURRENTLY there (tests)
        await conn.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name}")
        return name
    await conn.execute("SET statement_timeout = 0")  # the wait is for others' transactions
    try:
        how = "FINALIZE" if attached[name].detaching else "CONCURRENTLY"
        await conn.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name} {how}")
    finally:
        await conn.execute("RESET statement_timeout")
    log.info("detached %s (was %s)", name, p.name)
    return name
