from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest
from sqlalchemy.engine import URL

from app.db import libpq_url


@pytest.fixture
async def db(live_url: URL) -> AsyncIterator[Callable[[], Awaitable[asyncpg.Connection]]]:
    """Connections to a migrated database of the test's own, closed at the end."""
    opened: list[asyncpg.Connection] = []

    async def connect() -> asyncpg.Connection:
        conn = await asyncpg.connect(libpq_url(live_url))
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        await conn.close()
