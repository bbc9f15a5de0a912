"""Test fixtures: a real PostgreSQL, a migrated template database, and two kinds of app.

- `client` (most tests): the app on one connection (`conn`) inside an outer
  transaction that is rolled back after the test, so tests never see each
  other's rows.
- `live_app` / `live_client` (tests that need commits or real concurrency):
  the app with its own engine on a fresh database copied from the template.

The server is the embedded PostgreSQL (default) or the one named by
FEEDBACK_TEST_DATABASE_URL (any database there; test databases are created
beside it and dropped at the end).
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import migrate
from app.db import Database, libpq_url
from app.feedback import partitions
from app.ingest.writer import EventWriter
from app.main import create_app
from app.rollups import service as rollups
from app.settings import Settings

from .helpers import admin_sql, database_url, test_server_url

Headers = dict[str, str]
MakeKey = Callable[..., Awaitable[Headers]]


@pytest.fixture(scope="session")
def server_url() -> str:
    return test_server_url()


@pytest.fixture(scope="session")
def template_db(server_url: str) -> Iterator[str]:
    """A database migrated once; every test database is a copy of it."""
    name = f"feedback_template_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    migrate(database_url(server_url, name))
    asyncio.run(month_partitions(database_url(server_url, name)))
    yield name
    asyncio.run(admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def month_partitions(url: URL) -> None:
    """The months the tests' events fall in, from 2025 on (partitions made in a test's
    rolled-back transaction go with it: tests/feedback/test_partitions.py makes them on
    demand; a transaction that made one and stays open would hold up others)."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        now: datetime = await conn.fetchval("SELECT now()")
        await partitions.ensure_range(
            conn, datetime(2025, 1, 1, tzinfo=UTC), now + timedelta(days=62)
        )
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def fresh_database(server_url: str, template_db: str) -> Iterator[Callable[[], Awaitable[URL]]]:
    """Makes new databases from the template; drops them all at the end."""
    made: list[str] = []

    async def make() -> URL:
        name = f"feedback_test_{uuid.uuid4().hex[:8]}"
        await admin_sql(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
        made.append(name)
        return database_url(server_url, name)

    yield make

    async def drop_all() -> None:
        for name in made:
            await admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    asyncio.run(drop_all())


@pytest.fixture(scope="session")
async def engine(fresh_database: Callable[[], Awaitable[URL]]) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(await fresh_database())
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        transaction = await conn.begin()
        yield conn
        await transaction.rollback()


@pytest.fixture
async def conn(connection: AsyncConnection) -> AsyncIterator[asyncpg.Connection]:
    """The test's asyncpg connection (the app's requests run on it too), inside a
    transaction rolled back after the test. Begun here: SQLAlchemy's `begin()` above
    sends no BEGIN until SQLAlchemy itself runs a statement, and nothing here does."""
    raw = await connection.get_raw_connection()
    driver: asyncpg.Connection = raw.driver_connection
    transaction = driver.transaction()
    await transaction.start()
    yield driver
    await transaction.rollback()


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="postgresql://unused-in-rolled-back-tests/none")


class SharedConnection(Database):
    """Hot-path queries on the test's own connection, inside its rolled-back transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        yield self.conn


@pytest.fixture
async def app(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    app.state.db = SharedConnection(conn)
    app.state.writer = EventWriter(app.state.db)
    yield app
    await app.state.writer.close()


RollUp = Callable[[tuple[str, ...], int | None], Awaitable[int]]


@pytest.fixture
def roll_up(app: FastAPI) -> RollUp:
    """`await roll_up(zones, events)`: one rollup round of at most `events` (None: all)
    on the test's connection, inside its transaction; returns the new watermark."""

    async def run(zones: tuple[str, ...], events: int | None) -> int:
        conn = app.state.db.conn
        result = await rollups.roll_up(conn, zones, chunk=events or 10**12)
        assert result.rolled
        return result.watermark

    return run


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
def make_key(conn: asyncpg.Connection) -> MakeKey:
    """`await make_key("ingest", location_id=..., allowed_origins=[...])` -> auth headers."""

    async def make(scope: str, **fields: object) -> Headers:
        spec = KeyCreate.model_validate({"name": f"test {scope}", "scope": scope, **fields})
        _, token = await key_service.create_key(conn, spec)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
async def ingest_key(make_key: MakeKey) -> Headers:
    return await make_key(Scope.ingest.value)


@pytest.fixture
async def read_key(make_key: MakeKey) -> Headers:
    return await make_key(Scope.read.value)


@pytest.fixture
async def admin_key(make_key: MakeKey) -> Headers:
    return await make_key(Scope.admin.value)


# Tests that commit: their own database and a real engine and pool.


@pytest.fixture
async def live_url(fresh_database: Callable[[], Awaitable[URL]]) -> URL:
    return await fresh_database()


@pytest.fixture
async def live_app(live_url: URL) -> AsyncIterator[FastAPI]:
    settings = Settings(database_url=libpq_url(live_url), db_pool_size=20)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def live_client(live_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=live_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def live_key(live_app: FastAPI) -> Callable[..., Awaitable[Headers]]:
    """Like make_key, but committed in the live database."""

    async def make(scope: str, **fields: object) -> Headers:
        spec = KeyCreate.model_validate({"name": f"live {scope}", "scope": scope, **fields})
        async with live_app.state.db.connection() as conn:
            _, token = await key_service.create_key(conn, spec)
        return {"Authorization": f"Bearer {token}"}

    return make
