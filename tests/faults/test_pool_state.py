"""A connection is never returned to the pool broken (issue 16 §2).

A failure is injected at each step between a checkout and its release: the BEGIN,
a statement inside the transaction, the COMMIT, the ROLLBACK. Three kinds, each at
the await just before the step reaches the server (deterministic: no race with the
server's answer):

- refused: the step raises as the server's refusal would (a BEGIN refused with 25001
  left asyncpg believing a transaction was open: every later transaction on that
  connection became a SAVEPOINT and failed with 25P01);
- cancel: the task is cancelled once (a timeout);
- disconnect: an anyio cancel scope is cancelled, so every later await in it is
  cancelled too, the ROLLBACK included (a client that goes away from a streamed answer);

and cancel-in-flight: the task is cancelled once the BEGIN was sent (the server's
transaction is open, asyncpg's marked failed).

Afterwards every pooled connection must serve a transaction and be idle outside one,
and the connection that failed must have been closed if its state was left unknown
(and kept if it was left clean). The injection is a thin subclass of asyncpg's
Connection on the real database: its `execute`, which asyncpg's transactions use for
BEGIN, COMMIT and ROLLBACK, and which the operations here use for their statement.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import anyio
import asyncpg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import URL

from app.db import Database, create_engine, libpq_url
from app.settings import Settings

POOL = 3
STATEMENT = "SELECT 'statement'"
REFUSALS = {  # what the server answers when it refuses the step
    "BEGIN": asyncpg.exceptions.ActiveSQLTransactionError,  # 25001
    "statement": asyncpg.exceptions.DataError,  # 22000, as a forged cursor's value can give
    "COMMIT": asyncpg.exceptions.SerializationError,  # 40001
    "ROLLBACK": asyncpg.exceptions.QueryCanceledError,  # 57014
}


def step_of(query: str) -> str:
    return "statement" if query == STATEMENT else query.split(" ")[0].rstrip(";")


@dataclass
class Fault:
    step: str
    kind: str  # refused, cancel, disconnect, cancel-in-flight
    armed: bool = False
    pid: int | None = None
    scope: anyio.CancelScope | None = None


class FaultyConnection(asyncpg.Connection):  # type: ignore[misc]
    """A real asyncpg connection whose `execute` fails once, at the armed step."""

    fault: Fault | None = None

    # asyncpg's own signature, timeout included
    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:  # noqa: ASYNC109
        fault = FaultyConnection.fault
        if fault is not None and fault.armed and step_of(query) == fault.step:
            fault.armed = False
            fault.pid = self.get_server_pid()
            if fault.kind == "refused":
                raise REFUSALS[fault.step](f"injected: {fault.step} refused")
            task = asyncio.current_task()
            assert task is not None
            assert fault.scope is not None
            if fault.kind == "cancel-in-flight":
                asyncio.get_running_loop().call_soon(task.cancel)  # once the query is sent
            else:
                (task.cancel if fault.kind == "cancel" else fault.scope.cancel)()
                await asyncio.sleep(0)  # the await before the step: cancelled here
        elif fault is not None and fault.scope is not None and fault.scope.cancel_called:
            await asyncio.sleep(0)  # a disconnect cancels every later step before it is sent
        result: str = await super().execute(query, *args, timeout=timeout)
        return result


@pytest.fixture
async def db(live_url: URL) -> AsyncIterator[Database]:
    settings = Settings(database_url=libpq_url(live_url), db_pool_size=POOL, db_max_overflow=0)
    engine = create_engine(live_url, settings)

    @event.listens_for(engine.sync_engine, "do_connect")
    def faulty(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["connection_class"] = FaultyConnection

    yield Database(engine)
    FaultyConnection.fault = None
    await engine.dispose()


class Refused(Exception):
    """The operation's own refusal (a 422, say): its transaction is rolled back."""


async def raw_operation(db: Database, *, roll_back: bool) -> None:
    """Like a route or a worker round: a transaction on a pooled connection."""
    async with (
        db.connection() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        await conn.execute(STATEMENT)
        if roll_back:
            raise Refused


async def run_with_fault(db: Database, fault: Fault) -> None:
    async def attempt() -> None:
        with anyio.CancelScope() as scope:
            fault.scope = scope
            fault.armed = True
            await raw_operation(db, roll_back=fault.step == "ROLLBACK")

    task = asyncio.create_task(attempt())
    with suppress(Exception, asyncio.CancelledError):
        await task
    assert not fault.armed, "the fault was never reached"


async def every_pooled_connection(db: Database) -> list[int]:
    """Check out all POOL connections at once and use each: a transaction works, and
    outside it the connection is in none. Their server pids."""
    all_out = asyncio.Barrier(POOL)

    async def use() -> int:
        async with db.connection() as conn:
            await all_out.wait()
            async with conn.transaction():
                assert await conn.fetchval("SELECT 1") == 1
            assert not conn.is_in_transaction()  # by the server's last ReadyForQuery
            pid: int = conn.get_server_pid()
            return pid

    return await asyncio.wait_for(asyncio.gather(*(use() for _ in range(POOL))), 10)


async def backend_exists(db: Database, pid: int) -> bool:
    async with db.connection() as conn:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"
        return bool(await conn.fetchval(sql, pid))


async def gone(db: Database, pid: int) -> bool:
    for _ in range(50):  # the server notices the closed socket within a moment
        if not await backend_exists(db, pid):
            return True
        await asyncio.sleep(0.05)
    return False


# Failures that leave the connection's state unknown at its release.
UNSETTLED = [
    ("BEGIN", "refused"),  # asyncpg believes a transaction is open; the server is idle
    ("BEGIN", "cancel"),
    ("BEGIN", "disconnect"),
    ("BEGIN", "cancel-in-flight"),  # open on the server, failed in asyncpg's books
    ("statement", "disconnect"),  # the ROLLBACK is cancelled too
    ("COMMIT", "refused"),  # the server's transaction is still open
    ("COMMIT", "cancel"),
    ("COMMIT", "disconnect"),
    ("ROLLBACK", "refused"),
    ("ROLLBACK", "cancel"),
    ("ROLLBACK", "disconnect"),
]
# Failures after which the connection is clean at its release.
SETTLED = [
    ("statement", "refused"),  # the ROLLBACK ran (a forged cursor's data error, say)
    ("statement", "cancel"),  # the ROLLBACK ran: a single cancellation was spent
]


@pytest.mark.parametrize(("step", "kind"), UNSETTLED, ids=[f"{s}-{k}" for s, k in UNSETTLED])
async def test_a_connection_failed_between_checkout_and_release_is_discarded(
    db: Database, step: str, kind: str
) -> None:
    before = await every_pooled_connection(db)
    fault = Fault(step, kind)
    FaultyConnection.fault = fault
    await run_with_fault(db, fault)
    assert fault.pid in before
    after = await every_pooled_connection(db)
    assert fault.pid not in after
    assert await gone(db, fault.pid)


@pytest.mark.parametrize(("step", "kind"), SETTLED, ids=[f"{s}-{k}" for s, k in SETTLED])
async def test_a_connection_a_failure_left_clean_is_kept(
    db: Database, step: str, kind: str
) -> None:
    """The check costs no reconnection where none is needed (passes without the fix too)."""
    before = await every_pooled_connection(db)
    fault = Fault(step, kind)
    FaultyConnection.fault = fault
    await run_with_fault(db, fault)
    assert sorted(await every_pooled_connection(db)) == sorted(before)
