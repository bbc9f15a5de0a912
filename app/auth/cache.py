"""Active API keys cached per worker, kept in step with the database by LISTEN/NOTIFY.

Looking a key up costs a pool checkout and a round trip on every request (a
quarter of a single-event request's CPU, docs/benchmarks.md). So each worker
remembers the keys it has seen, and forgets them all whenever any key changes:

- every change to `api_keys` that can take rights away (revocation) runs
  `pg_notify('feedback_api_keys', ...)` in its transaction, which PostgreSQL
  delivers to every listening worker when that transaction commits;
- the worker that revokes also forgets at once, so its very next request is refused;
- while a worker's listening connection is down (or not yet up) it caches
  nothing and looks every key up, so a lost notification can never keep a
  revoked key alive; an entry also expires after `TTL_SECONDS` whatever happens;
- only keys that exist and are active are cached (unknown keys always cost a
  lookup, so guessing cannot fill memory);
- a lookup that raced with a change is not cached (a generation counter).
"""

import asyncio
import contextlib
import logging
import time
from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from app.auth import service, tokens
from app.auth.service import Principal
from app.db import Database

log = logging.getLogger(__name__)

CHANNEL = service.KEYS_CHANGED_CHANNEL
TTL_SECONDS = 60.0
PING_SECONDS = 5.0
RETRY_SECONDS = 1.0


class KeyCache:
    def __init__(self) -> None:
        self._entries: dict[bytes, tuple[Principal, float]] = {}
        self._generation = 0
        self._listener: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Caching only while notifications can reach this worker."""
        return self._listener is not None and not self._listener.is_closed()

    def invalidate(self) -> None:
        self._generation += 1
        self._entries.clear()

    def cached(self, presented: str) -> Principal | None:
        """The key if this worker knows it to be active, without any I/O."""
        if not self.active:
            return None
        token = tokens.parse(presented)
        if token is None:
            return None
        hit = self._entries.get(token.secret_hash)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        return None

    async def authenticate(self, db: Database, presented: str) -> Principal | None:
        token = tokens.parse(presented)
        if token is not None and self.active:
            hit = self._entries.get(token.secret_hash)
            if hit is not None and hit[1] > time.monotonic():
                return hit[0]
        generation = self._generation
        async with db.connection() as conn:
            principal = await service.authenticate(conn, presented)
        if (
            principal is not None
            and token is not None
            and self.active
            and generation == self._generation
        ):
            self._entries[token.secret_hash] = (principal, time.monotonic() + TTL_SECONDS)
        return principal

    async def start(self, dsn: str) -> None:
        """Listen in the background (reconnecting after failures) until `stop()`."""
        self._task = asyncio.create_task(self._listen(dsn), name="feedback-key-cache")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close_listener()

    async def _listen(self, dsn: str) -> None:
        failing = False  # one warning per outage, not one every RETRY_SECONDS
        while True:
            try:
                conn = await asyncpg.connect(dsn, timeout=5)
                await conn.add_listener(CHANNEL, self._on_change)
                self.invalidate()  # anything learnt before listening may be stale
                self._listener = conn
                if failing:
                    failing = False
                    log.warning("key cache listening again")
                while not conn.is_closed():  # a dead connection shows on the next ping
                    await asyncio.sleep(PING_SECONDS)
                    await conn.fetchval("SELECT 1", timeout=PING_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not failing:
                    failing = True
                    log.warning(
                        "key cache not listening (%s); looking every key up until it is",
                        type(exc).__name__,
                    )
            await self._close_listener()
            await asyncio.sleep(RETRY_SECONDS)

    async def _close_listener(self) -> None:
        conn, self._listener = self._listener, None
        self.invalidate()
        if conn is not None and not conn.is_closed():
            conn.terminate()

    def _on_change(self, *_: object) -> None:
        self.invalidate()


async def app_keys(request: Request) -> KeyCache:
    """The running worker's key cache, as its lifespan made it (a dependency)."""
    keys: KeyCache = request.app.state.keys
    return keys


KeyCacheDep = Annotated[KeyCache, Depends(app_keys)]
