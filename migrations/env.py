"""Alembic environment: async, one advisory lock so concurrent starts migrate once."""

import asyncio

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import app.models  # registers every table on Base.metadata
from app.db import Base, asyncpg_url, resolve_database_url
from app.settings import get_settings

# Any constant shared by every process that migrates this database.
MIGRATION_LOCK_ID = 0x66656564  # "feed"

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_name=app.models.include_name,
    )
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()


async def run_async() -> None:
    given = context.config.attributes.get("database_url")
    url = asyncpg_url(given) if given else await resolve_database_url(get_settings())
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(run_migrations)
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
asyncio.run(run_async())
