"""Rollups on a real database, with real concurrent transactions.

The two races of issue 3: an insert that commits after one with a higher id
(the roller must wait for it, or skip the round, never step over it), and
several workers rolling up at once (one at a time, and the result equal to a
rebuild from raw). Plus lag reporting, zone changes and the CLI.
"""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import prepare
from app.ingest.statement import store
from app.main import create_app
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild
from app.settings import Settings
from tests.conftest import Headers

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ZONES = ("UTC", "Asia/Kolkata")


def events(count: int, first: int = 0) -> list[Any]:
    """Prepared events (as the API stores them), spread over days, channels and places."""
    now = datetime.now(UTC)
    out = []
    for i in range(first, first + count):
        event = FeedbackIn.model_validate(
            {
                "event_id": f"e{i}",
                "channel": ("web", "pos", "app")[i % 3],
                "location_id": f"loc-{i % 4}",
                "employee_id": f"emp-{i % 7}",
                "occurred_at": (T0 + timedelta(minutes=97 * i)).isoformat(),
                "nps": i % 11,
                "csat": 1 + i % 5,
                "servqual": {"empathy": {"perception": 1 + i % 7, "expectation": 7 - i % 7}},
            }
        )
        limit = timedelta(minutes=5)
        out.append(
            prepare(event, key_id=None, key_location_id=None, received_at=now, max_future=limit)
        )
    return out


async def rollup_rows(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await conn.fetch("SELECT * FROM metric_rollups")
    return sorted((tuple(r.values()) for r in rows), key=repr)


async def rolled_volume(conn: asyncpg.Connection) -> int:
    """Events in the rollups (the UTC-day rows of the `total` cube count each once)."""
    return int(
        await conn.fetchval(
            "SELECT coalesce(sum(volume), 0) FROM metric_rollups "
            "WHERE cube = 1 AND span = 'day' AND zone = 'UTC'"
        )
    )


async def test_a_round_waits_for_an_insert_that_drew_a_lower_id(
    db: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    slow, fast, roller = await db(), await db(), await db()
    first, second, third = events(3)
    transaction = slow.transaction()
    await transaction.start()
    await store(slow, [first])  # draws the lower id, does not commit yet
    await store(fast, [second])  # draws the higher id and commits
    ids = await fast.fetchval("SELECT max(id) FROM feedback_events")

    round_ = asyncio.create_task(rollups.roll_up(roller, ZONES))
    await asyncio.sleep(0.5)
    assert not round_.done(), "the round must wait for the open insert"
    # ... without stalling new inserts behind it (a queued SHARE lock would).
    await asyncio.wait_for(store(fast, [third]), timeout=2)
    assert not round_.done()
    await transaction.commit()
    result = await round_

    assert result.rolled
    assert result.watermark >= ids
    # The late committer is in, not stepped over; the insert made while the round
    # waited drew an id above the round's S, so it is left to the next round.
    assert await rolled_volume(roller) == 2
    assert (await rollups.roll_up(roller, ZONES)).caught_up
    assert await rolled_volume(roller) == 3


async def test_a_round_gives_up_rather_than_step_over_an_open_insert(
    db: Callable[[], Awaitable[asyncpg.Connection]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rollups, "SETTLE_SECONDS", 0.2)
    slow, fast, roller = await db(), await db(), await db()
    first, second = events(2)
    transaction = slow.transaction()
    await transaction.start()
    await store(slow, [first])
    await store(fast, [second])

    result = await rollups.roll_up(roller, ZONES)
    assert not result.rolled
    assert await roller.fetchval("SELECT watermark FROM metric_rollup_state") == 0
    await transaction.commit()
    assert (await rollups.roll_up(roller, ZONES)).caught_up
    assert await rolled_volume(roller) == 2


async def test_one_roller_at_a_time(db: Callable[[], Awaitable[asyncpg.Connection]]) -> None:
    holder, other = await db(), await db()
    await store(holder, events(3))
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute("SELECT pg_advisory_xact_lock($1)", rollups.LOCK_KEY)
    skipped = await rollups.roll_up(other, ZONES)
    assert not skipped.rolled  # skipped at once, not queued behind the lock
    await transaction.rollback()
    assert (await rollups.roll_up(other, ZONES)).events >= 3


async def test_concurrent_rollers_and_writers_equal_a_rebuild(
    db: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    """Four workers roll up in small rounds while four writers insert (some late events,
    some rolled back); the rollups then equal a rebuild from the raw table."""
    writers = [await db() for _ in range(4)]
    rollers = [await db() for _ in range(4)]
    done = asyncio.Event()
    rolled = 0  # rounds that rolled something, across the rollers
    new_round = asyncio.Condition()

    async def a_round_later() -> None:
        async with new_round:
            seen = rolled
            await asyncio.wait_for(new_round.wait_for(lambda: rolled > seen), 60)

    async def write(w: int, conn: asyncpg.Connection) -> None:
        for batch in range(30):
            chunk = events(7, first=1000 * w + 7 * batch)
            if batch % 5 == 4:  # a rolled-back insert leaves a gap in the ids
                transaction = conn.transaction()
                await transaction.start()
                await store(conn, chunk)
                await transaction.rollback()
            else:
                await store(conn, chunk)
            if batch % 10 == 9:
                # Go on only once a round has rolled since: rounds and writes interleave
                # however fast or loaded the machine is (three times per writer).
                await a_round_later()
            else:
                await asyncio.sleep(0.02)

    async def roll(conn: asyncpg.Connection) -> int:
        nonlocal rolled
        rounds = 0
        while not done.is_set():
            result = await rollups.roll_up(conn, ZONES, chunk=5)
            now = int(result.rolled and result.events > 0)
            rounds += now
            if now:
                async with new_round:
                    rolled += now
                    new_round.notify_all()
            await asyncio.sleep(0.001)
        return rounds

    rolling = [asyncio.create_task(roll(c)) for c in rollers]
    await asyncio.gather(*(write(w, c) for w, c in enumerate(writers)))
    check = rollers[0]
    during = await writers[0].fetchval("SELECT watermark FROM metric_rollup_state")
    done.set()
    rounds = await asyncio.gather(*rolling)
    assert sum(rounds) >= 3
    assert during > 0  # they really did roll up while the writers wrote
    await rollups.catch_up(check, ZONES)
    stored = await check.fetchval("SELECT count(*) FROM feedback_events")
    assert stored == 4 * 24 * 7
    assert await rolled_volume(check) == stored
    incremental = await rollup_rows(check)
    await rebuild(check, ZONES)
    assert await rollup_rows(check) == incremental


async def test_changing_zones_rolls_everything_up_again(
    db: Callable[[], Awaitable[asyncpg.Connection]],
) -> None:
    conn = await db()
    await store(conn, events(20))
    await rollups.catch_up(conn, ("UTC",))
    assert await conn.fetchval("SELECT zones FROM metric_rollup_state") == ["UTC"]
    await rollups.catch_up(conn, ("UTC", "Asia/Kathmandu"))
    spans = {tuple(r) for r in await conn.fetch("SELECT DISTINCT span, zone FROM metric_rollups")}
    assert spans == {
        ("hour", "UTC"), ("day", "UTC"), ("week", "UTC"), ("month", "UTC"),
        ("day", "Asia/Kathmandu"), ("week", "Asia/Kathmandu"), ("month", "Asia/Kathmandu"),
    }  # fmt: skip
    assert await rolled_volume(conn) == 20


# --- through the service -----------------------------------------------------------------


@pytest.fixture
async def quiet_app(live_url: URL) -> AsyncIterator[httpx.AsyncClient]:
    """A live app whose rollup worker never runs, so the lag stays visible."""
    app = create_app(Settings(database_url=libpq_url(live_url), rollup_interval_seconds=0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_readyz_reports_the_lag_and_the_worker_catches_up(
    quiet_app: httpx.AsyncClient, live_url: URL, live_key: Callable[..., Awaitable[Headers]]
) -> None:
    key = await live_key("admin")
    posted = [{"event_id": str(uuid.uuid4()), "channel": "web", "nps": i % 11} for i in range(25)]
    response = await quiet_app.post("/v1/feedback/batch", json={"events": posted}, headers=key)
    assert response.status_code == 200
    behind = (await quiet_app.get("/readyz")).json()["rollups"]
    assert behind["pending_events"] == 25
    assert behind["watermark"] == 0
    assert behind["lag_seconds"] > 0

    app = create_app(Settings(database_url=libpq_url(live_url), rollup_interval_seconds=0.05))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            for _ in range(100):
                state = (await client.get("/readyz")).json()["rollups"]
                if state["pending_events"] == 0:
                    break
                await asyncio.sleep(0.05)
    assert state == {"watermark": state["watermark"], "pending_events": 0, "lag_seconds": 0.0}
    assert state["watermark"] >= 25


FEEDBACK = Path(sys.executable).parent / "feedback"


async def test_cli_status_and_rebuild(
    live_url: URL, db: Callable[[], Awaitable[asyncpg.Connection]]
) -> None:
    conn = await db()
    await store(conn, events(12))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["FEEDBACK_DATABASE_URL"] = libpq_url(live_url)
    env["FEEDBACK_ROLLUP_ZONES"] = "Asia/Kolkata"

    def feedback(*args: str) -> str:
        return subprocess.run(
            [str(FEEDBACK), *args], env=env, capture_output=True, text=True, timeout=60, check=True
        ).stdout

    before = await asyncio.to_thread(feedback, "rollups", "status")
    assert "pending events   12 " in before
    assert "watermark        0 " in before
    rebuilt = await asyncio.to_thread(feedback, "rollups", "rebuild", "--jobs", "2")
    assert "Asia/Kolkata, UTC" in rebuilt
    after = await asyncio.to_thread(feedback, "rollups", "status")
    assert "pending events   0 " in after
    assert "local days of    Asia/Kolkata, UTC" in after
    assert await rolled_volume(conn) == 12
