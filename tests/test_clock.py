"""The clocks the tests read agree: Python's and the test server's.

scripts/test-moved-clock moves both (libfaketime around pytest and the embedded server it
starts); a server left running with another clock would make tests that derive instants from
Python's `now` and compare them with the server's `now()` pass or fail by accident.
"""

from datetime import UTC, datetime, timedelta

import asyncpg

from app.db import asyncpg_url, libpq_url


async def test_the_server_and_python_read_the_same_clock(server_url: str) -> None:
    conn = await asyncpg.connect(libpq_url(asyncpg_url(server_url)))
    try:
        before = datetime.now(UTC)
        server_now = await conn.fetchval("SELECT clock_timestamp()")
        after = datetime.now(UTC)
    finally:
        await conn.close()
    slack = timedelta(seconds=5)
    assert before - slack <= server_now <= after + slack, (before, server_now, after)
