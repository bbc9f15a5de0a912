"""A real streaming replica for the tests of reads from replicas (app/replica.py).

`replication` (once per session): a primary of the suite's own, a migrated template
database on it, and a hot standby made from it with `pg_basebackup -R`
(tests/replica/servers.py). `pair` (every test): a fresh database copied from the
template on the primary, once the replica has replayed its creation, and afterwards the
replica running and replaying again whatever the test did to it.
`running_service(pair, max_lag=...)` runs the app against both, with its probe every
`PROBE` seconds.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.cli import migrate
from app.db import libpq_url
from app.main import create_app
from app.settings import Settings
from tests.faults.pgserver import OwnServer, own_server

from .servers import database_url, streaming_replica

PROBE = 0.1  # seconds between the probes of the replica in these tests


@dataclass
class Replication:
    primary: OwnServer
    replica: OwnServer
    template: str


@pytest.fixture(scope="session")
def replication() -> Iterator[Replication]:
    with own_server() as primary:
        template = "feedback_replica_template"
        asyncio.run(sql(database_url(primary, "postgres"), f'CREATE DATABASE "{template}"'))
        migrate(database_url(primary, template))
        with streaming_replica(primary) as replica:
            yield Replication(primary, replica, template)


async def sql(url: URL, statement: str) -> object:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        return await conn.fetchval(statement)
    finally:
        await conn.close()


async def wait_for(
    condition: Callable[[], Awaitable[bool]], what: str, within: float = 15.0
) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


@dataclass
class Pair:
    """One database on the primary and the same on its replica."""

    servers: Replication
    database: str

    @property
    def primary_url(self) -> URL:
        return database_url(self.servers.primary, self.database)

    @property
    def replica_url(self) -> URL:
        return database_url(self.servers.replica, self.database)

    async def on_replica(self, statement: str) -> object:
        """One statement on the replica's `postgres` database (as its superuser)."""
        return await sql(database_url(self.servers.replica, "postgres"), statement)

    async def pause_replay(self) -> None:
        await self.on_replica("SELECT pg_wal_replay_pause()")

        async def paused() -> bool:
            state = await self.on_replica("SELECT pg_get_wal_replay_pause_state()")
            return state == "paused"

        await wait_for(paused, "the replica's replay to pause")

    async def resume_replay(self) -> None:
        await self.on_replica("SELECT pg_wal_replay_resume()")

    async def caught_up(self) -> None:
        """Until the replica has replayed everything the primary has written now."""
        lsn = await sql(self.primary_url, "SELECT pg_current_wal_lsn()::text")

        async def replayed() -> bool:
            done = await self.on_replica(
                f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"
            )  # fmt: skip
            return done is True

        await wait_for(replayed, "the replica to catch up")


@pytest.fixture
async def pair(replication: Replication) -> AsyncIterator[Pair]:
    name = f"feedback_replica_{uuid.uuid4().hex[:8]}"
    postgres = database_url(replication.primary, "postgres")
    await sql(postgres, f'CREATE DATABASE "{name}" TEMPLATE "{replication.template}"')
    made = Pair(replication, name)
    await made.caught_up()
    yield made
    if not replication.replica.running():
        replication.replica.start()
    await made.resume_replay()
    await sql(postgres, f'DROP DATABASE "{name}" WITH (FORCE)')


@dataclass
class Service:
    app: FastAPI
    http: httpx.AsyncClient
    admin: dict[str, str]
    ingest: dict[str, str]

    async def ready(self) -> dict[str, object]:
        answer = await self.http.get("/readyz")
        assert answer.status_code == 200, answer.text
        replica: dict[str, object] = answer.json()["replica"]
        return replica

    async def replica_state(self, state: str, within: float = 15.0) -> dict[str, object]:
        """Wait until /readyz reports the replica in `state`; its report."""
        seen: dict[str, object] = {}

        async def reached() -> bool:
            nonlocal seen
            seen = await self.ready()
            return seen["state"] == state

        await wait_for(reached, f"the replica to be {state} (last seen: {seen})", within)
        return seen


@asynccontextmanager
async def running_service(
    pair: Pair, *, max_lag: float, read_url: URL | None = None
) -> AsyncIterator[Service]:
    """The app on `pair`'s primary, reading from its replica (or from `read_url`)."""
    settings = Settings(
        database_url=libpq_url(pair.primary_url),
        read_database_url=libpq_url(read_url or pair.replica_url),
        read_max_lag_seconds=max_lag,
        read_probe_interval_seconds=PROBE,
        rollup_interval_seconds=0.2,
        webhooks_interval_seconds=0,
        alerts_interval_seconds=0,
        text_interval_seconds=0,
        db_pool_size=5,
        rate_limit_read="off",
        rate_limit_ingest="off",
        metrics="open",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        keys = {}
        async with app.state.db.connection() as conn:
            for scope in ("admin", "ingest"):
                spec = KeyCreate.model_validate({"name": f"replica {scope}", "scope": scope})
                _, token = await key_service.create_key(conn, spec)
                keys[scope] = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield Service(app, http, keys["admin"], keys["ingest"])
