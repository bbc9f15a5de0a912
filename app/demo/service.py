"""`feedback demo`: fill an empty database with the demo chain, through the service's own paths.

- Branches: `app/locations/service.py` (`put_location`).
- Events: validated as `FeedbackIn`, made rows by `prepare()` and stored by the
  batch API's ingest statement (`app/feedback/store.py`), a week of the chain
  at a time, which also opens the follow-up cases by the rules. Worker processes
  generate the next weeks while the database stores the last one.
- Case histories: the state machine (`app/demo/cases.py`), written in three
  set-based statements (the API's PATCH would stamp every change with now()).
- Rollups: `app/rollups/service.py` rounds until caught up.
- A read key: `app/auth/service.py`, its token returned to be shown once.

Refuses when any event was ever stored (the idempotency ledger is not empty),
under an advisory lock so two demos cannot both start on an empty database.
"""

import asyncio
import itertools
import multiprocessing
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg
import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth import service as keys
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.db import Database
from app.demo import cases, chain
from app.demo.generate import Dip, Event, Generator, Spec, dip_of, employee_ids
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import Outcome, store
from app.locations import service as locations
from app.locations.schemas import LocationIn
from app.rollups import service as rollups
from app.settings import Settings

LOCK_KEY = 0x64656D6F  # pg_advisory_lock key: "demo"
DAYS_PER_CHUNK = 7 * 8  # a week of every branch: about 4,700 events at --scale 1


class DemoRefused(Exception):
    """The database is not empty, or another demo is filling it."""


@dataclass(slots=True)
class Filled:
    events: Counter[str] = field(default_factory=Counter)  # by respondent type
    cases: Counter[str] = field(default_factory=Counter)  # by status
    branches: int = 0
    employees: int = 0
    rolled_up: int = 0
    comebacks: int = 0  # reached customers' later feedback (in `events` too)
    dip: Dip | None = None
    read_key: str | None = None


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


async def fill(
    engine: AsyncEngine, settings: Settings, spec: Spec, jobs: int = 1, progress: Progress = _quiet
) -> Filled:
    """Fill the empty database; `progress` hears a line after each step."""
    db = Database(engine)
    async with db.connection() as conn:
        if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
            raise DemoRefused("Another `feedback demo` is filling this database right now.")
        try:
            await conn.execute("SET statement_timeout = 0")  # bulk statements, not requests
            # Made-up data: a crash may lose the last commits (start over, as README says),
            # and no commit waits for its WAL flush on a busy disk.
            await conn.execute("SET synchronous_commit = off")
            if await conn.fetchval("SELECT EXISTS (SELECT FROM feedback_event_ids)"):
                raise DemoRefused(
                    "The database already holds feedback events; the demo fills only an empty "
                    "database, so it never mixes made-up data with real data. Point "
                    "FEEDBACK_DATABASE_URL at an empty database, or use a new "
                    "FEEDBACK_DATA_DIR for the embedded one."
                )
            return await _fill(conn, settings, spec, jobs, progress)
        finally:  # the connection goes back to the pool as it came
            await conn.execute("RESET statement_timeout; RESET synchronous_commit")
            await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)


async def _fill(
    conn: asyncpg.Connection, settings: Settings, spec: Spec, jobs: int, progress: Progress
) -> Filled:
    filled = Filled(dip=dip_of(spec))
    async with conn.transaction():
        for b in chain.BRANCHES:
            spec_in = LocationIn(name=b.name, region=b.region, timezone=b.timezone)
            await locations.put_location(conn, b.id, spec_in)
    filled.branches = len(chain.BRANCHES)
    filled.employees = sum(len(employee_ids(b)) for b in chain.BRANCHES)

    started = time.monotonic()
    await _store_events(conn, settings, spec, filled, jobs)
    progress(f"stored {sum(filled.events.values()):,} events ({time.monotonic() - started:.0f} s)")
    await _work_cases(conn, settings, spec, filled)
    progress(f"worked {sum(filled.cases.values()):,} follow-up cases")
    filled.rolled_up = await _roll_up(conn, settings)
    progress(f"rolled up ({time.monotonic() - started:.0f} s in all)")
    await conn.execute("ANALYZE feedback_events, feedback_event_ids, follow_ups")

    _, token = await keys.create_key(conn, KeyCreate(name="demo read key", scope=Scope.read))
    filled.read_key = token
    return filled


def _prepared(event: Event, max_future: timedelta) -> Prepared:
    """The event as the batch route makes it: validated, then the server's rules applied."""
    return prepare(
        FeedbackIn.model_validate(event.body),
        key_id=None,
        key_location_id=None,
        received_at=event.received_at,
        max_future=max_future,
    )


_generators: dict[Spec, Generator] = {}  # per process: the people are drawn once


def generate(spec: Spec, days: list[tuple[str, date]], max_future: timedelta) -> bytes:
    """The prepared rows of these (branch, local day) pairs as one JSON array; runs in a
    worker. JSON, not pickled `Prepared` objects: 6 us of CPU an event there and back
    instead of 32 (their datetimes travel as the RFC 3339 strings the ingest statement
    reads)."""
    generator = _generators.get(spec) or _generators.setdefault(spec, Generator(spec))
    return orjson.dumps([_prepared(e, max_future).row for e in generator.events(days)])


def _unpacked(rows: bytes) -> list[Prepared]:
    return [Prepared(r["event_id"], bytes.fromhex(r["body_hash"]), r) for r in orjson.loads(rows)]


async def _store_events(
    conn: asyncpg.Connection, settings: Settings, spec: Spec, filled: Filled, jobs: int
) -> None:
    """Generate in `jobs` processes (about 31 us of CPU an event: drawing, validating,
    preparing) while this connection stores each chunk in the order of the days."""
    days = Generator(spec).days()
    chunks = [days[i : i + DAYS_PER_CHUNK] for i in range(0, len(days), DAYS_PER_CHUNK)]
    max_future = timedelta(seconds=settings.max_future_skew_seconds)
    loop = asyncio.get_running_loop()
    # One generator per worker, each working on one chunk at a time (a Generator is not
    # thread-safe); jobs=1 still overlaps generating with storing, in a thread.
    executor: Executor = (
        ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
        if jobs > 1
        else ThreadPoolExecutor(1)
    )
    with executor:

        def produce(chunk: list[tuple[str, date]]) -> asyncio.Future[bytes]:
            return loop.run_in_executor(executor, generate, spec, chunk, max_future)

        ahead: deque[asyncio.Future[bytes]] = deque()
        todo: Iterator[list[tuple[str, date]]] = iter(chunks)
        for first in itertools.islice(todo, jobs + 1):
            ahead.append(produce(first))
        while ahead:
            batch = _unpacked(await ahead.popleft())
            chunk = next(todo, None)
            if chunk is not None:
                ahead.append(produce(chunk))
            for p in batch:
                filled.events[p.row["respondent_type"]] += 1
            if batch:
                _check(await store(conn, batch))


def _check(stored: dict[str, Any]) -> None:
    refused = [event_id for event_id, s in stored.items() if s.outcome is not Outcome.accepted]
    if refused:  # only if someone stored events since the emptiness check
        raise DemoRefused(f"{len(refused)} demo events were already stored, e.g. {refused[0]}.")


SEEDS_SQL = """
SELECT f.id, f.event_id, f.received_at, f.location_id,
       e.has_contact OR f.respondent_id IS NOT NULL AS reachable, f.respondent_id, f.segment
FROM follow_ups f
JOIN feedback_events e ON e.id = f.event_pk AND e.occurred_at = f.occurred_at
ORDER BY f.event_id
"""
UPDATE_CASES_SQL = """
UPDATE follow_ups f
SET status = x.status, assignee = x.assignee, first_contact_at = x.first_contact_at,
    closed_at = x.closed_at, resolution = x.resolution, updated_at = x.updated_at,
    opened_at = f.received_at
FROM json_to_recordset($1::json) AS x(
    id bigint, status text, assignee text, first_contact_at timestamptz,
    closed_at timestamptz, resolution text, updated_at timestamptz)
WHERE f.id = x.id
"""
# The ingest statement stamped 'opened' with the time of the demo run: the case opened
# when its feedback arrived.
OPENED_AT_SQL = """
UPDATE follow_up_changes c SET at = f.received_at
FROM follow_ups f WHERE c.follow_up_id = f.id AND c.kind = 'opened'
"""
INSERT_CHANGES_SQL = """
INSERT INTO follow_up_changes (follow_up_id, at, kind, from_status, to_status, assignee,
                               contact_channel, contact_outcome, note, resolution)
SELECT x.follow_up_id, x.at, x.kind, x.from_status, x.to_status, x.assignee,
       x.contact_channel, x.contact_outcome, x.note, x.resolution
FROM json_to_recordset($1::json) AS x(
    follow_up_id bigint, seq int, at timestamptz, kind text, from_status text, to_status text,
    assignee text, contact_channel text, contact_outcome text, note text, resolution text)
ORDER BY x.follow_up_id, x.seq  -- ids in the order the changes were applied, as the API does
"""


async def _work_cases(
    conn: asyncpg.Connection, settings: Settings, spec: Spec, filled: Filled
) -> None:
    """Draw every case's history; store the comebacks of the reached customers (they may
    open cases of their own), then write the histories of all cases."""
    assert filled.dip is not None
    seeds = [cases.CaseSeed(**dict(r)) for r in await conn.fetch(SEEDS_SQL)]
    done = cases.histories(seeds, spec.seed, filled.dip, spec.end)
    max_future = timedelta(seconds=settings.max_future_skew_seconds)
    back = [_prepared(e, max_future) for e in cases.comebacks(seeds, done, spec.seed, spec.end)]
    if back:
        _check(await store(conn, back))
        filled.events["customer"] += len(back)
        filled.comebacks = len(back)
        seeds = [cases.CaseSeed(**dict(r)) for r in await conn.fetch(SEEDS_SQL)]
        done = cases.histories(seeds, spec.seed, filled.dip, spec.end)
    rows = [
        {
            "id": h.case_id,
            "status": h.case.status,
            "assignee": h.case.assignee,
            "first_contact_at": h.case.first_contact_at,
            "closed_at": h.case.closed_at,
            "resolution": h.case.resolution,
            "updated_at": h.updated_at,
        }
        for h in done
    ]
    changes = [
        {"follow_up_id": h.case_id, "seq": seq, "at": t.at, **asdict(t.change)}
        for h in done
        for seq, t in enumerate(h.changes)
    ]
    async with conn.transaction():
        await conn.execute(UPDATE_CASES_SQL, orjson.dumps(rows).decode())
        await conn.execute(OPENED_AT_SQL)
        await conn.execute(INSERT_CHANGES_SQL, orjson.dumps(changes).decode())
    filled.cases.update(h.case.status for h in done)


async def _roll_up(conn: asyncpg.Connection, settings: Settings) -> int:
    """Rounds until every stored event is rolled up. A running `feedback serve` may be
    rolling up at the same time (one roller at a time): then wait for its round."""
    total = 0
    while True:
        result = await rollups.roll_up(conn, settings.zones_rolled_up)
        total += result.events
        if result.rolled and result.caught_up:
            return total
        if not result.rolled:
            await asyncio.sleep(0.2)
