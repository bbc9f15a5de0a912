"""Migrations build exactly the schema the models describe, and run both ways."""

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

import app.models  # registers every table
from app.cli import migrate, migrations_dir
from app.db import Base, libpq_url
from tests.helpers import admin_sql, database_url


@pytest.fixture
def empty_database(server_url: str) -> Iterator[URL]:
    name = f"feedback_migrations_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    yield database_url(server_url, name)
    asyncio.run(admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def model_diff(url: URL) -> list[object]:
    """What autogenerate would still change: empty when migrations match the models."""

    async def diff() -> list[object]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            result = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"compare_type": True, "include_name": app.models.include_name}
                    ),
                    Base.metadata,
                )
            )
        await engine.dispose()
        return list(result)

    return asyncio.run(diff())


def table_names(url: URL) -> set[str]:
    async def names() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            result = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        await engine.dispose()
        return set(result)

    return asyncio.run(names())


def test_upgrade_matches_models_and_downgrade_round_trips(empty_database: URL) -> None:
    migrate(empty_database)
    assert model_diff(empty_database) == []
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = libpq_url(empty_database)
    command.downgrade(config, "base")
    assert table_names(empty_database) == {"alembic_version"}
    command.upgrade(config, "head")
    assert model_diff(empty_database) == []
    assert {"api_keys", "feedback_events", "feedback_event_ids"} <= table_names(empty_database)


def test_migration_files_are_date_stamped() -> None:
    names = [p.name for p in (migrations_dir() / "versions").glob("*.py")]
    assert names
    for name in names:
        assert name[:16].replace("-", "").replace("_", "").isdigit(), name


def test_bindings_that_mean_nothing_are_removed_by_the_upgrade(empty_database: URL) -> None:
    """Admin keys bound to a location before 3c9d1e7a5b24 lose the binding (it was never
    enforced and cannot be); ingest, read and cases keys keep theirs (now enforced)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = libpq_url(empty_database)
    command.upgrade(config, "1f7b701aa87f")
    insert = (
        "INSERT INTO api_keys (name, scope, prefix, secret_hash, location_id) VALUES "
        "('a', 'ingest', 'p1', 'h1', 'vie-07'), ('b', 'read', 'p2', 'h2', 'vie-07'), "
        "('c', 'admin', 'p3', 'h3', 'vie-07'), ('d', 'cases', 'p4', 'h4', 'vie-07')"
    )
    asyncio.run(run_sql(empty_database, insert))
    command.upgrade(config, "head")
    rows = asyncio.run(fetch(empty_database, "SELECT name, location_id FROM api_keys ORDER BY 1"))
    assert rows == [("a", "vie-07"), ("b", "vie-07"), ("c", None), ("d", "vie-07")]


async def run_sql(url: URL, sql: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()


async def fetch(url: URL, sql: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = [tuple(r) for r in (await conn.exec_driver_sql(sql)).all()]
    await engine.dispose()
    return rows
