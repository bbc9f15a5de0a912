"""One snapshot for the statements of one answer, and plans made for their values."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg


@asynccontextmanager
async def snapshot(conn: asyncpg.Connection) -> AsyncIterator[None]:
    """One snapshot for several statements: the watermark and the rows it describes.

    Inside a caller's transaction (the tests'), a savepoint under its rules.
    """
    if conn.is_in_transaction():
        async with conn.transaction():
            yield
    else:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            yield


# Plan the cells query for its own values. asyncpg prepares it, and after five runs
# PostgreSQL may switch to a generic plan, which cannot see the watermark: it guesses
# `id > $n` at a third of the table and reads the unrolled rows by walking the whole
# window of the (occurred_at, id) index. Found by the soak run (bench/soak.py): at
# 300,000 events that part took 42.7 ms instead of 0.4 ms, growing with the table,
# until 22 dashboard reads a second starved ingest.
CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan"
