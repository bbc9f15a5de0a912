"""Database plumbing: the declarative base, the engine (its pool) and `Database`, the one way
to the database: plain asyncpg connections from that pool."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import MetaData, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

from app import embedded
from app.errors import POOL_TIMEOUTS, ServiceUnavailable, transient_sqlstate
from app.logs import redacted
from app.settings import Settings

logger = logging.getLogger(__name__)

# Errors after which a connection is unusable: the server went away or is restarting.
LOST_CONNECTION = (
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # 57P01 admin shutdown, 57P03 starting up
    asyncpg.exceptions.InternalClientError,  # protocol state broken by a vanished server
    ConnectionError,
)


class OutageLog:
    """How a background worker (rollups, webhooks, retention) reports failed rounds.

    While the database is away every tick fails alike: one warning when the outage
    begins and one line when rounds work again, instead of a traceback per tick
    (a restart at a 0.2 s interval wrote hundreds). Any other failure is a bug and
    is logged in full every time.
    """

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self.logger = logger
        self.what = what
        self.down = False

    def failed(self, exc: BaseException) -> None:
        if not unavailable(exc):
            self.logger.error("%s failed: %s", self.what, redacted(exc))
        elif not self.down:
            self.down = True
            cause = exc.__cause__ or exc
            self.logger.warning(
                "%s paused: the database is unavailable (%s); retrying",
                self.what, type(cause).__name__,
            )  # fmt: skip

    def succeeded(self) -> None:
        if self.down:
            self.down = False
            self.logger.warning("%s resumed: the database answers again", self.what)


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


@asynccontextmanager
async def own_connection(url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own (no pool) to the database at `url` (libpq form), closed
    when the block ends: `functools.partial(own_connection, url)` lends a rebuild's jobs
    their connections as `Database.connection` does in the service."""
    conn = await asyncpg.connect(url)
    try:
        yield conn
    finally:
        await conn.close()


async def resolve_database_url(settings: Settings) -> URL:
    """The configured database, or the embedded server (started on demand) when none is set."""
    if settings.database_url:
        return asyncpg_url(settings.database_url)
    admin_uri = await asyncio.to_thread(embedded.start_embedded, settings.data_dir)
    await embedded.ensure_database(admin_uri, embedded.DATABASE_NAME)
    return asyncpg_url(embedded.socket_url(admin_uri, embedded.DATABASE_NAME))


def create_engine(url: URL, settings: Settings, *, pre_ping: bool = False) -> AsyncEngine:
    """The pool every request and background worker draws from (and, with `pre_ping`, the
    read replica's: app.replica).

    Three bounds make a request's wait for the database finite (README, "When the
    database goes away"): `db_pool_timeout` for a free connection, `db_connect_timeout`
    to open one (short: while the database is away, a connect that hangs must not hold
    the client longer than the 503 would), and `db_statement_timeout` for each
    statement, lock waits included (PostgreSQL cancels it: SQLSTATE 57014, a 503).
    A connection comes back to the pool only when it is known to be clean (see
    `discard_unsettled`).

    `pre_ping` tests a pooled connection at checkout (one round trip): a replica that went
    away is then noticed before the answer has begun, which moves to the primary instead
    of failing (app.replica).
    """
    server_settings = {"application_name": "feedback-service"}
    if settings.db_statement_timeout > 0:
        server_settings["statement_timeout"] = f"{round(settings.db_statement_timeout * 1000)}ms"
    engine = create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        hide_parameters=True,  # error messages must not quote comments or contact data
        # Primary: a dead connection is detected on use and the request gets a 503.
        pool_pre_ping=pre_ping,
        connect_args={"server_settings": server_settings, "timeout": settings.db_connect_timeout},
    )
    event.listen(engine.sync_engine.pool, "checkin", discard_unsettled)
    return engine


def settled(conn: asyncpg.Connection) -> bool:
    """Whether asyncpg knows this connection to be idle and clean: open, no transaction
    on the server (by its last ReadyForQuery), none in asyncpg's own bookkeeping, and no
    cancellation in flight. Local attribute reads only, no round trip.

    asyncpg's bookkeeping can part from the server's: a BEGIN that fails or is cancelled
    leaves `Connection.transaction()` believing a transaction is open, so every later
    transaction on it becomes a SAVEPOINT (25P01 while the server is idle, or nested
    inside a transaction nobody will commit); a cancelled ROLLBACK leaves the server's
    transaction open. SQLAlchemy's rollback on return cannot see either: it only knows
    the transactions it began itself, not those begun on the raw asyncpg connection.
    """
    return not (
        conn.is_closed()
        or conn.is_in_transaction()
        or conn._top_xact is not None
        or conn._protocol._is_cancelling()
    )


def discard_unsettled(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    """Pool `checkin` hook: a connection returned in a state not known to be clean
    (after any error, cancellation or client disconnect between checkout and release,
    on any path: `Database.connection`, background workers) is closed
    at once, which ends its session and any transaction on the server, and the pool
    opens a fresh one at its next checkout. Nothing here awaits, so it completes
    even inside a cancelled task."""
    if dbapi_connection is None:  # already invalidated
        return
    conn = record.driver_connection
    if conn is None or settled(conn):
        return
    logger.info(
        "discarding a database connection returned in an unknown state "
        "(in transaction: %s, closed: %s)",
        conn.is_in_transaction(), conn.is_closed(),
    )  # fmt: skip
    conn.terminate()
    record.invalidate(soft=True)  # recycled (reconnected) at its next checkout


def unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot serve now (gone, starting, stopping, full,
    too slow) rather than that the request or the code is wrong: a 503, not a 500."""
    if isinstance(exc, ServiceUnavailable):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated or isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError
        ):
            return True
        # SQLAlchemy's wrapper of asyncpg's error carries its SQLSTATE too.
        return transient_sqlstate(getattr(exc.orig, "sqlstate", None))
    if isinstance(exc, asyncpg.PostgresError):
        return transient_sqlstate(exc.sqlstate)
    return isinstance(exc, (*LOST_CONNECTION, TimeoutError, sa_exc.TimeoutError, OSError))


class Database:
    """The one way to the database: plain asyncpg connections from the engine's pool,
    queried with plain SQL (`$1` parameters).

    Most statements are self-contained (each its own transaction), so they skip the
    BEGIN/COMMIT round trips of an ORM session (the service has none) and statement
    compilation: measured 207 us vs 555 us for a trivial query per checkout (bench
    notes in docs/benchmarks.md).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection. If it turns out dead (the server restarted, a proxy
        dropped it), it and every connection pooled before it are discarded, and
        the caller gets a 503 to retry; the next checkout opens a fresh one."""
        try:
            async with self.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                try:
                    yield raw.driver_connection
                except asyncpg.QueryCanceledError as exc:  # statement timeout: still usable
                    raise ServiceUnavailable("The database did not answer in time.") from exc
                except LOST_CONNECTION as exc:
                    # A server that dropped this connection (a restart, a failover, a
                    # proxy) dropped the pool's idle ones too: every connection opened
                    # before now is recycled at its next checkout, so one request gets
                    # the 503, not one per pooled connection. SQLAlchemy does the same
                    # for disconnects it sees itself; these happen on the raw connection.
                    self.engine.sync_engine.pool._invalidate(raw, exc)
                    raise ServiceUnavailable("The database connection was lost.") from exc
        except sa_exc.DBAPIError as exc:
            # Connecting failed: refused, timed out, or the server is starting up or
            # shutting down (57P03, a DBAPIError that is no OperationalError).
            if not unavailable(exc):
                raise
            raise ServiceUnavailable("The database is not answering.") from exc
        except sa_exc.TimeoutError as exc:  # no free connection within db_pool_timeout
            POOL_TIMEOUTS.inc()
            raise ServiceUnavailable("The database is busy.") from exc
        except (OSError, TimeoutError) as exc:  # refused, or no answer within the connect timeout
            raise ServiceUnavailable("The database is not answering.") from exc


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]
