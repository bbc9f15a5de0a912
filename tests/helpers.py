"""Helpers shared by tests (not fixtures)."""

import os
from pathlib import Path

import asyncpg
from sqlalchemy.engine import URL

from app import embedded
from app.db import asyncpg_url, libpq_url

# FEEDBACK_TEST_DATA_DIR: another folder starts another embedded server, e.g. one under a
# moved clock (scripts/test-moved-clock), since a running server is joined, not restarted.
TEST_DATA_DIR = Path(
    os.environ.get("FEEDBACK_TEST_DATA_DIR")
    or Path(__file__).resolve().parents[1] / ".data" / "test"
)

# The property tests that go through the database draw `examples(n)` cases per run: enough
# for every run to try the shapes that matter (new ones each run), small enough for the
# suite's budget. FEEDBACK_TEST_DEPTH=10 draws ten times as many, for a deep run.
DEPTH = float(os.environ.get("FEEDBACK_TEST_DEPTH", "1"))


def examples(n: int) -> int:
    return max(1, round(n * DEPTH))


def test_server_url() -> str:
    """The PostgreSQL server tests run on: FEEDBACK_TEST_DATABASE_URL, else the embedded one."""
    given = os.environ.get("FEEDBACK_TEST_DATABASE_URL")
    if given:
        return given
    return embedded.start_embedded(TEST_DATA_DIR)


def database_url(server_url: str, name: str) -> URL:
    """The URL of database `name` on the test server."""
    return asyncpg_url(server_url).set(database=name)


async def admin_sql(server_url: str, sql: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the test server, outside a transaction."""
    conn = await asyncpg.connect(libpq_url(asyncpg_url(server_url)))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
