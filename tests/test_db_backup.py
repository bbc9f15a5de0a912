"""`feedback db backup|restore` on the test server: the embedded PostgreSQL (the same
version as the tools: pg_restore straight in) or the machine's (older than the tools: the
dump goes through psql without the setting that server does not know). Either way a
restore replaces the database all at once, and a damaged backup changes nothing."""

from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL

from app import embedded
from app.db import asyncpg_url, libpq_url


async def branches(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        return [r["id"] for r in await conn.fetch("SELECT id FROM locations ORDER BY id")]
    finally:
        await conn.close()


async def sql(url: str, statement: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def test_a_backup_restores_what_was_there_and_nothing_else(
    fresh_database: Callable[[], Awaitable[URL]], server_url: str, tmp_path: Path
) -> None:
    database = await fresh_database()
    url, admin = libpq_url(database), libpq_url(asyncpg_url(server_url))
    name = database.database or ""
    await sql(url, "INSERT INTO locations (id, name, timezone) VALUES ('lis-01', 'Lisboa', 'UTC')")
    dump = tmp_path / "backup.dump"
    assert embedded.backup(url, dump) == dump.stat().st_size > 0
    assert not [p for p in tmp_path.iterdir() if p != dump]  # noqa: ASYNC240 (no partial file)

    await sql(url, "DELETE FROM locations")
    await sql(url, "INSERT INTO locations (id, name, timezone) VALUES ('vie-07', 'Wien', 'UTC')")
    await embedded.restore(admin, name, dump)
    assert await branches(url) == ["lis-01"]  # as at the backup, the later row gone

    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(dump.read_bytes()[: dump.stat().st_size * 2 // 3])
    await sql(url, "INSERT INTO locations (id, name, timezone) VALUES ('vie-07', 'Wien', 'UTC')")
    with pytest.raises(embedded.DatabaseToolError, match="pg_restore"):
        await embedded.restore(admin, name, damaged)
    assert await branches(url) == ["lis-01", "vie-07"]  # untouched

    conn = await asyncpg.connect(url)  # a service still connected
    try:
        with pytest.raises(embedded.DatabaseToolError, match="Stop the service first"):
            await embedded.restore(admin, name, dump)
        assert await conn.fetchval("SELECT count(*) FROM locations") == 2
    finally:
        await conn.close()
    admin_conn = await asyncpg.connect(admin)
    try:  # nothing of the refused attempts is left behind
        assert not await admin_conn.fetchval(
            "SELECT count(*) FROM pg_database WHERE datname = $1", f"{name}_restoring"
        )
    finally:
        await admin_conn.close()
