"""Databases as an older release left them: `feedback_events` a plain table with events
in it, migrated to the partitioned table (with its legacy partition) or not yet.

The schema before the partitioning is Alembic revision OLD; the events are stored by the
ingest statement of today (`store`), which writes the same rows into either schema.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from app.cli import migrate, migrations_dir
from app.db import libpq_url
from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import Outcome, store
from tests.helpers import admin_sql, database_url

OLD = "5e1a9c3d7b42"  # the revision before feedback_events was partitioned


def event(
    event_id: str, occurred_at: datetime, max_future: timedelta = timedelta(minutes=5),
    **fields: Any,
) -> Prepared:  # fmt: skip
    """A prepared event, received now (`occurred_at` may be long ago: a backfill; or ahead,
    as far as `max_future` lets it)."""
    body = {"event_id": event_id, "channel": "pos", "occurred_at": occurred_at.isoformat()}
    return prepare(
        FeedbackIn.model_validate({**body, **fields}),
        key_id=None,
        key_location_id=None,
        received_at=datetime.now(UTC),
        max_future=max_future,
    )


async def stored(conn: asyncpg.Connection, events: Sequence[Prepared]) -> None:
    outcomes = await store(conn, events)
    assert {o.outcome for o in outcomes.values()} == {Outcome.accepted}, outcomes


def _config(url: URL) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = libpq_url(url)
    return config


def upgrade(url: URL, revision: str) -> None:
    command.upgrade(_config(url), revision)


def downgrade(url: URL, revision: str) -> None:
    command.downgrade(_config(url), revision)


async def old_database(
    server_url: str, fill: Callable[[asyncpg.Connection], Awaitable[None]]
) -> URL:
    """A new database at revision OLD, filled by `fill` (committed)."""
    name = f"feedback_legacy_{uuid.uuid4().hex[:8]}"
    await admin_sql(server_url, f'CREATE DATABASE "{name}"')
    url = database_url(server_url, name)
    await asyncio.to_thread(upgrade, url, OLD)
    conn = await asyncpg.connect(libpq_url(url))
    try:
        await fill(conn)
    finally:
        await conn.close()
    return url


async def migrated(url: URL) -> None:
    """The partitioning migration (and any later one), as `feedback serve` runs it."""
    await asyncio.to_thread(migrate, url)


async def drop(server_url: str, url: URL) -> None:
    await admin_sql(server_url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def months_ago(now: datetime, months: int, day: int = 10) -> datetime:
    """Noon of `day` in the month `months` months before `now`'s (UTC)."""
    index = now.year * 12 + now.month - 1 - months
    return datetime(index // 12, index % 12 + 1, day, 12, tzinfo=UTC)
