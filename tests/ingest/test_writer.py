"""Group commit: concurrent single events share statements, and nothing is lost.

Own databases (commits, several connections).
"""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from app.db import Database
from app.errors import ServiceUnavailable
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import Outcome
from app.ingest.writer import EventWriter


class CountingDatabase(Database):
    """The real database, counting connection checkouts (one per statement round)."""

    checkouts = 0

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        self.checkouts += 1
        async with super().connection() as conn:
            yield conn


def event(event_id: str, nps: int = 9) -> Prepared:
    return prepare(
        FeedbackIn.model_validate({"event_id": event_id, "channel": "pos", "nps": nps}),
        key_id=None,
        key_location_id=None,
        received_at=datetime.now(UTC),
        max_future=timedelta(minutes=5),
    )


@pytest.fixture
async def database(live_url: URL) -> AsyncIterator[CountingDatabase]:
    engine = create_async_engine(live_url)
    yield CountingDatabase(engine)
    await engine.dispose()


async def test_concurrent_events_share_one_statement(database: CountingDatabase) -> None:
    writer = EventWriter(database)
    outcomes = await asyncio.gather(*(writer.submit(event(f"e{i}")) for i in range(200)))
    await writer.close()
    assert outcomes == [Outcome.accepted] * 200
    assert database.checkouts == 1
    async with database.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM feedback_events") == 200


async def test_repeats_in_one_round_are_duplicates_or_conflicts(
    database: CountingDatabase,
) -> None:
    writer = EventWriter(database)
    outcomes = await asyncio.gather(
        writer.submit(event("x")), writer.submit(event("x")), writer.submit(event("x", nps=1))
    )
    await writer.close()
    assert list(outcomes) == [Outcome.accepted, Outcome.duplicate, Outcome.conflict]
    async with database.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM feedback_events") == 1


async def test_close_writes_what_is_pending_then_refuses(database: CountingDatabase) -> None:
    writer = EventWriter(database)
    pending = [asyncio.create_task(writer.submit(event(f"p{i}"))) for i in range(20)]
    await asyncio.sleep(0)  # submitted, not yet written
    await writer.close()
    assert [await p for p in pending] == [Outcome.accepted] * 20
    with pytest.raises(ServiceUnavailable):
        await writer.submit(event("late"))


async def test_a_failed_round_fails_every_waiter() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = create_async_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/none")
    writer = EventWriter(Database(engine))
    results = await asyncio.gather(
        *(writer.submit(event(f"f{i}")) for i in range(5)), return_exceptions=True
    )
    await writer.close()
    await engine.dispose()
    # Refused connections reach the waiters as the 503 the clients get.
    assert all(isinstance(r, ServiceUnavailable) for r in results), results
