"""CPU per request of the real app, in process: the base of bench.ratelimit and
bench.observability.

The app (`create_app`) gets one extra route that takes an ingest key and returns
at once, and that key is put in its cache as if the LISTEN connection were up,
so nothing but the HTTP plumbing, the middleware, the key check and what a
benchmark switches on runs. Requests go one after another through httpx's ASGI
transport on uvloop; the figure is this process's CPU time per request (the
client side included, the same on every side of a comparison).
"""

import contextlib
import logging
import time
import uuid
from collections.abc import Iterator

import httpx
from fastapi import FastAPI

from app.auth import tokens
from app.auth.cache import TTL_SECONDS
from app.auth.dependencies import IngestKey
from app.auth.service import Principal
from app.auth.tokens import Scope
from app.logs import formatter


class AlwaysListening:
    def is_closed(self) -> bool:
        return False


def with_bench_route(app: FastAPI) -> tuple[FastAPI, str]:
    """Add `POST /bench` and a cached ingest key; return the app and the key."""

    @app.post("/bench")
    async def bench_route(key: IngestKey) -> dict[str, str]:
        return {}

    token = tokens.generate(Scope.ingest)
    cache = app.state.keys
    cache._listener = AlwaysListening()  # as if LISTEN were up: the key stays cached
    principal = Principal(uuid.uuid4(), Scope.ingest, None, ())
    cache._entries[token.secret_hash] = (principal, time.monotonic() + 100 * TTL_SECONDS)
    return app, token.value


async def cpu_per_request(app: FastAPI, token: str, requests: int) -> float:
    """µs of this process's CPU per `POST /bench`, after 200 requests of warm-up."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(200):  # warm-up (and, for Redis, its connection)
            assert (await client.post("/bench", headers=headers)).status_code == 200
        started = time.process_time()
        for _ in range(requests):
            await client.post("/bench", headers=headers)
        return (time.process_time() - started) / requests * 1e6


@contextlib.contextmanager
def json_logs_to_devnull() -> Iterator[None]:
    """Log lines written as `feedback serve` writes them (JSON), to /dev/null: their cost
    is measured, their text is not wanted."""
    with open("/dev/null", "w") as sink:
        handler = logging.StreamHandler(sink)
        handler.setFormatter(formatter("json"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            yield
        finally:
            root.removeHandler(handler)
