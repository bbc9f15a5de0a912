"""Database plumbing: the declarative base, engine factory and the per-request session."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import MetaData
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

from app import embedded
from app.errors import ServiceUnavailable
from app.settings import Settings

# Errors after which a connection is unusable: the server went away or is restarting.
LOST_CONNECTION = (
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # 57P01 admin shutdown, 57P03 starting up
    asyncpg.exceptions.InternalClientError,  # protocol state broken by a vanished server
    ConnectionError,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def asyncpg_url(url: str) -> URL:
    """Accept `postgres://`, `postgresql://` or `postgresql+asyncpg://`; return the asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"only PostgreSQL is supported, got {parsed.get_backend_name()!r}")
    return parsed.set(drivername="postgresql+asyncpg")


def libpq_url(url: URL) -> str:
    """The same URL without the SQLAlchemy driver suffix, for asyncpg.connect()."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def resolve_database_url(settings: Settings) -> URL:
    """The configured database, or the embedded server (started on demand) when none is set."""
    if settings.database_url:
        return asyncpg_url(settings.database_url)
    admin_uri = await asyncio.to_thread(embedded.start_embedded, settings.data_dir)
    await embedded.ensure_database(admin_uri, embedded.DATABASE_NAME)
    return asyncpg_url(embedded.socket_url(admin_uri, embedded.DATABASE_NAME))


def create_engine(url: URL, settings: Settings) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        hide_parameters=True,  # error messages must not quote comments or contact data
        pool_pre_ping=False,  # a dead connection is detected on use and the request gets a 503
        connect_args={
            "server_settings": {"application_name": "feedback-service"},
            "timeout": settings.db_pool_timeout,
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker.begin() as session:
        yield session


# scope="function": the commit runs before the response is sent, so a client never sees
# 201 for an event whose commit then failed.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


class Database:
    """Hot-path access: plain asyncpg connections from the engine's pool.

    Ingest runs single self-contained statements (each is its own transaction),
    so it skips the ORM session, its BEGIN/COMMIT round trips and statement
    compilation: measured 207 us vs 555 us for a trivial query per checkout
    (bench notes in docs/benchmarks.md).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection. If it turns out dead (the server restarted, a proxy
        dropped it), it is discarded instead of returned to the pool, and the
        caller gets a 503 to retry; the next checkout opens a fresh one."""
        try:
            async with self.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                try:
                    yield raw.driver_connection
                except LOST_CONNECTION as exc:
                    await conn.invalidate(exc)
                    raise ServiceUnavailable("The database connection was lost.") from exc
        except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError) as exc:
            raise ServiceUnavailable("The database is not answering.") from exc


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]
