"""`feedback_events` partitioned by month on `occurred_at`, online (docs/architecture.md,
"Partitioned history").

The table of today becomes ONE partition of a new partitioned parent, covering
everything before a boundary B (the first of a month, at least a week ahead, and after
every stored `occurred_at`): no row is copied and no lock is held for a time that grows
with the table.

1. `feedback_events_legacy_pkey`, a unique index on (id, occurred_at), is built with
   CREATE INDEX CONCURRENTLY (writes go on), and a CHECK (occurred_at < B) is added
   NOT VALID (a moment's lock) and then validated (SHARE UPDATE EXCLUSIVE: reads and
   writes go on while it scans).
2. One short transaction (its ACCESS EXCLUSIVE lock is taken with a lock_timeout and
   tried again, so a long reader delays the swap instead of every writer queueing
   behind it): the table is renamed `feedback_events_legacy`, loses its identity,
   its old primary key (id) and the three foreign keys into it (comment_insights,
   text_examples, text_pending: a foreign key into a partitioned table must hold the
   partition key; they are deleted explicitly now), and its secondary indexes are
   renamed; the parent `feedback_events` is made with the same columns, checks,
   primary key (id, occurred_at) and indexes (empty, so instant), its identity
   continuing the old sequence; the legacy table is attached FOR VALUES FROM
   (MINVALUE) TO (B), which finds every index already there and proves the range by
   the validated CHECK (no scan); the comment trigger moves to the parent; and the
   views that read the table are defined again on the parent (a view holds the table
   it was made on, not its name).
3. The months from B to two months ahead, each made apart and attached, after the
   swap. Nothing else: the service itself moves the legacy rows into monthly
   partitions in batches once B has passed (app/feedback/split.py), and makes
   partitions ahead and on demand (app/feedback/partitions.py).

An empty table (a new database, the test suite's template) needs no legacy partition:
it is swapped the same way and dropped, leaving the current month and the next two.

Statements running meanwhile wait for the swap only while it runs; an INSERT queued
behind it resolves `feedback_events` again when it gets its lock (PostgreSQL does
that after any invalidation), so it writes into the new parent, and ids keep coming
from one sequence. The downgrade is offline: it copies the rows back into a plain
table.

Revision ID: 8b3f0e6d2a91
Revises: 5e1a9c3d7b42
Create Date: 2026-12-06 10:00:00
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

import asyncpg
from alembic import op
from sqlalchemy.util import await_only

revision: str = "8b3f0e6d2a91"
down_revision: str | None = "5e1a9c3d7b42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
T = TypeVar("T")

# Frozen copies of what app/feedback/models.py and app/feedback/partitions.py say today.
TABLE = "feedback_events"
LEGACY = "feedback_events_legacy"
LEGACY_PK = "feedback_events_legacy_pkey"
BOUND = "feedback_events_legacy_bound"
INDEXES = {
    "ix_feedback_events_occurred_at_brin": "USING brin (occurred_at)",
    "ix_feedback_events_received_at_brin": "USING brin (received_at)",
    "ix_feedback_events_respondent": "(respondent_id, occurred_at) WHERE respondent_id IS NOT NULL",
    "ix_feedback_events_comment_trgm": "USING gin (comment gin_trgm_ops) WHERE comment IS NOT NULL",
    "ix_feedback_events_occurred_at_id": "(occurred_at, id)",
}
TEXT_TABLES = ("comment_insights", "text_examples", "text_pending")
TRIGGER = """
CREATE TRIGGER feedback_events_comment_changed
AFTER UPDATE OF comment ON feedback_events
FOR EACH ROW WHEN (OLD.comment IS DISTINCT FROM NEW.comment)
EXECUTE FUNCTION comment_insights_forget()
"""
AHEAD = 2  # months after the current one that get a partition now
MARGIN = timedelta(days=7)  # B is at least this far ahead: the validation must finish first
LOCK_TIMEOUT = "2s"  # each try of a short lock; then it waits a little and tries again
TRIES = 150


def month_start(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(m: datetime, n: int) -> datetime:
    index = m.year * 12 + m.month - 1 + n
    return m.replace(year=index // 12, month=index % 12 + 1)


def partition_name(m: datetime) -> str:
    return f"{TABLE}_p{m.year:04d}_{m.month:02d}"


def _literal(t: datetime) -> str:
    return f"'{t.isoformat()}'"


async def _with_retries(
    conn: asyncpg.Connection, work: Callable[[asyncpg.Connection], Awaitable[T]], what: str
) -> T:
    """Run `work(conn)` in a transaction whose locks wait at most LOCK_TIMEOUT; on a
    timeout, roll back, wait a little and try again (TRIES times)."""
    for attempt in range(TRIES):
        try:
            async with conn.transaction():
                await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                return await work(conn)
        except asyncpg.LockNotAvailableError:
            log.info("%s: a lock was busy (try %d); trying again", what, attempt + 1)
            await asyncio.sleep(min(0.2 * (attempt + 1), 2.0))
    raise RuntimeError(f"{what}: the table stayed locked by others; run the migration again")


async def _partitioned(conn: asyncpg.Connection) -> bool:
    kind = await conn.fetchval("SELECT relkind::text FROM pg_class WHERE oid = $1::regclass", TABLE)
    return bool(kind == "p")


BOUND_SQL = """
SELECT (regexp_match(pg_get_constraintdef(oid), '''([^'']+)'''))[1]::timestamptz
FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2
"""


async def _boundary(conn: asyncpg.Connection) -> datetime:
    """B: the first of a month at least MARGIN ahead and after every stored occurred_at;
    or the B of an earlier run's check while it is still a day ahead (its validation may
    be done)."""
    now: datetime = await conn.fetchval("SELECT now()")
    latest: datetime | None = await conn.fetchval(f"SELECT max(occurred_at) FROM {TABLE}")
    earlier: datetime | None = await conn.fetchval(BOUND_SQL, TABLE, BOUND)
    if earlier is not None:
        if earlier - now >= timedelta(days=1) and (latest is None or latest < earlier):
            return earlier
        await _with_retries(
            conn, lambda c: c.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {BOUND}"), "check"
        )
    b = add_months(month_start(now), 1)
    if b - now < MARGIN:
        b = add_months(b, 1)
    if latest is not None and latest >= b:
        b = add_months(month_start(latest), 1)
    return b


async def _prepare(conn: asyncpg.Connection, b: datetime) -> None:
    """Step 1: the unique index and the validated range check, without blocking writes."""
    valid = await conn.fetchval(
        "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1)", LEGACY_PK
    )
    if valid is False:  # a build that was interrupted leaves an invalid index behind
        await conn.execute(f"DROP INDEX CONCURRENTLY {LEGACY_PK}")
    if valid is not True:
        log.info("building %s concurrently", LEGACY_PK)
        await conn.execute(
            f"CREATE UNIQUE INDEX CONCURRENTLY {LEGACY_PK} ON {TABLE} (id, occurred_at)"
        )
    if await conn.fetchval(BOUND_SQL, TABLE, BOUND) is None:
        await _with_retries(
            conn,
            lambda c: c.execute(
                f"ALTER TABLE {TABLE} ADD CONSTRAINT {BOUND} "
                f"CHECK (occurred_at < {_literal(b)}) NOT VALID"
            ),
            "adding the range check",
        )
    log.info("validating occurred_at < %s on %s (reads and writes go on)", b.date(), TABLE)
    await conn.execute(f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {BOUND}")


VIEWS_SQL = """
SELECT DISTINCT v.oid::regclass::text AS name, pg_get_viewdef(v.oid) AS definition,
       array_to_string(v.reloptions, ', ') AS options
FROM pg_depend d
JOIN pg_rewrite r ON r.oid = d.objid
JOIN pg_class v ON v.oid = r.ev_class
WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
  AND d.refobjid = $1::regclass AND v.oid <> $1::regclass AND v.relkind = 'v'
"""


async def _views(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """The views that read the table, as SQL that makes them again (names resolved now)."""
    return list(await conn.fetch(VIEWS_SQL, TABLE))


async def _redefine(conn: asyncpg.Connection, views: list[asyncpg.Record]) -> None:
    for v in views:
        options = f" WITH ({v['options']})" if v["options"] else ""
        await conn.execute(f"CREATE OR REPLACE VIEW {v['name']}{options} AS {v['definition']}")


async def _sequence(conn: asyncpg.Connection) -> tuple[int, bool]:
    seq = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", TABLE)
    row = await conn.fetchrow(f"SELECT last_value, is_called FROM {seq}")
    return row["last_value"], row["is_called"]


async def _sequence_named(conn: asyncpg.Connection, last_value: int, is_called: bool) -> None:
    """The table's identity sequence named as the first migration named it, going on from
    where the other one was."""
    seq = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')::regclass::text", TABLE)
    if seq != "feedback_events_id_seq":
        await conn.execute(f"ALTER SEQUENCE {seq} RENAME TO feedback_events_id_seq")
    await conn.execute("SELECT setval('feedback_events_id_seq', $1, $2)", last_value, is_called)


async def _swap(conn: asyncpg.Connection, b: datetime | None) -> float | None:
    """Step 2 (see the module doc), in the caller's transaction; when the table was
    locked (time.perf_counter()). `b` None: the table was empty when looked at; if it
    still is, it is dropped instead of attached. Answers None when rows arrived
    meanwhile (step 1 is needed first)."""
    await conn.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    locked = time.perf_counter()
    if b is None and await conn.fetchval(f"SELECT EXISTS (SELECT FROM {TABLE})"):
        return None
    views = await _views(conn)
    last_value, is_called = await _sequence(conn)
    for table in TEXT_TABLES:
        await conn.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS fk_{table}_event_pk_feedback_events"
        )
    await conn.execute(f"DROP TRIGGER feedback_events_comment_changed ON {TABLE}")
    await conn.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT pk_feedback_events")
    await conn.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id DROP IDENTITY")
    if b is not None:
        await conn.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {LEGACY_PK} PRIMARY KEY USING INDEX {LEGACY_PK}"
        )
    for index in INDEXES:
        await conn.execute(f"ALTER INDEX {index} RENAME TO {index.replace(TABLE, LEGACY)}")
    await conn.execute(f"ALTER TABLE {TABLE} RENAME TO {LEGACY}")

    await conn.execute(
        f"CREATE TABLE {TABLE} (LIKE {LEGACY} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE) PARTITION BY RANGE (occurred_at)"
    )
    if b is not None:
        await conn.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {BOUND}")
    await conn.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    await _sequence_named(conn, last_value, is_called)
    await conn.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT pk_feedback_events PRIMARY KEY (id, occurred_at)"
    )
    for index, definition in INDEXES.items():
        await conn.execute(f"CREATE INDEX {index} ON {TABLE} {definition}")

    if b is not None:
        await conn.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {LEGACY} "
            f"FOR VALUES FROM (MINVALUE) TO ({_literal(b)})"
        )
    else:  # nothing would hold today's events
        await _months(conn, None, attach=False)
    await conn.execute(TRIGGER)
    await _redefine(conn, views)
    if b is None:
        await conn.execute(f"DROP TABLE {LEGACY}")
    return locked


async def _months(conn: asyncpg.Connection, b: datetime | None, *, attach: bool = True) -> None:
    """The monthly partitions from B (None: the current month) to AHEAD months ahead.
    After the swap (`attach`): each a table of its own, attached (SHARE UPDATE EXCLUSIVE
    on the parent, which reads and writes do not wait for)."""
    now: datetime = await conn.fetchval("SELECT now()")
    m = month_start(now) if b is None else b
    while m <= add_months(month_start(now), AHEAD):
        name, bounds = partition_name(m), f"FROM ({_literal(m)}) TO ({_literal(add_months(m, 1))})"
        if attach:
            await conn.execute(
                f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                "INCLUDING STORAGE)"
            )
            await conn.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {bounds}")
        else:
            await conn.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES {bounds}")
        m = add_months(m, 1)


async def _upgrade(conn: asyncpg.Connection) -> None:
    if await _partitioned(conn):
        return  # an earlier run got as far as the swap
    empty = not await conn.fetchval(f"SELECT EXISTS (SELECT FROM {TABLE})")
    while True:
        b = None if empty else await _boundary(conn)
        if b is not None:
            await _prepare(conn, b)
        started = time.perf_counter()
        locked = await _with_retries(conn, partial(_swap, b=b), "swapping the tables")
        if locked is not None:
            log.info(
                "%s is partitioned by month%s (the swap: locked after %.0f ms, held %.0f ms "
                "with the commit)",
                TABLE,
                "" if b is None else f"; {LEGACY} holds what occurred before {b.date()}",
                (locked - started) * 1000,
                (time.perf_counter() - locked) * 1000,
            )
            if b is not None:  # the months from B on: needed once B has passed
                await _with_retries(conn, partial(_months, b=b), "making the coming months")
            return
        empty = False  # rows arrived while it looked empty


def _raw() -> asyncpg.Connection:
    """The asyncpg connection under Alembic's (migrations/env.py runs on asyncpg)."""
    connection = op.get_bind().connection.dbapi_connection
    assert connection is not None
    raw: asyncpg.Connection = connection.driver_connection
    return raw


def upgrade() -> None:
    with op.get_context().autocommit_block():
        await_only(_upgrade(_raw()))


# ------------------------------------------------------------------ downgrade (offline)

FK = (
    "ALTER TABLE {table} ADD CONSTRAINT fk_{table}_event_pk_feedback_events "
    "FOREIGN KEY (event_pk) REFERENCES feedback_events (id) ON DELETE CASCADE"
)


async def _downgrade(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        await conn.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        views = await _views(conn)
        last_value, is_called = await _sequence(conn)
        for index in INDEXES:
            await conn.execute(f"ALTER INDEX {index} RENAME TO {index}_partitioned")
        await conn.execute(
            f"ALTER TABLE {TABLE} RENAME CONSTRAINT pk_feedback_events TO pk_partitioned"
        )
        await conn.execute(f"ALTER TABLE {TABLE} RENAME TO feedback_events_partitioned")
        await conn.execute(
            f"CREATE TABLE {TABLE} (LIKE feedback_events_partitioned INCLUDING DEFAULTS "
            "INCLUDING CONSTRAINTS INCLUDING STORAGE)"
        )
        columns = ", ".join(
            await conn.fetchval(
                "SELECT array_agg(quote_ident(attname) ORDER BY attnum) FROM pg_attribute "
                "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
                TABLE,
            )
        )
        await conn.execute(
            f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM feedback_events_partitioned"
        )
        await conn.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
        )
        await conn.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT pk_feedback_events PRIMARY KEY (id)"
        )
        for index, definition in INDEXES.items():
            await conn.execute(f"CREATE INDEX {index} ON {TABLE} {definition}")
        await conn.execute(TRIGGER)
        await _redefine(conn, views)
        await conn.execute("DROP TABLE feedback_events_partitioned")
        await _sequence_named(conn, last_value, is_called)
        for table in TEXT_TABLES:
            # Rows whose event is gone (a month dropped by retention) cannot keep a key.
            await conn.execute(
                f"DELETE FROM {table} t WHERE NOT EXISTS "
                f"(SELECT FROM {TABLE} e WHERE e.id = t.event_pk)"
            )
            await conn.execute(FK.format(table=table))


def downgrade() -> None:
    with op.get_context().autocommit_block():
        await_only(_downgrade(_raw()))
