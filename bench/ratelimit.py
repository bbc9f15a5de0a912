"""What the rate-limit check costs a request, measured in process (docs/benchmarks.md).

The real app (`create_app`) with one extra route that takes an ingest key and
returns at once, so nothing but the HTTP plumbing, the key check (a cached
key) and the rate limit runs. Sequential requests through httpx's ASGI
transport on uvloop; CPU time of this process per request (client side
included, the same on every side); rounds alternate between
limits off, counted in memory and counted in Redis, and the report gives each
side's median and its difference from "off".

    .venv/bin/python -m bench.ratelimit [--requests 3000] [--rounds 5] [--redis URL]
"""

import argparse
import statistics
import time
import uuid

import httpx
import uvloop
from fastapi import FastAPI

from app.auth import tokens
from app.auth.cache import TTL_SECONDS
from app.auth.dependencies import IngestKey
from app.auth.service import Principal
from app.auth.tokens import Scope
from app.main import create_app
from app.settings import Settings


class AlwaysListening:
    def is_closed(self) -> bool:
        return False


def make_app(storage: str | None) -> tuple[FastAPI, str]:
    settings = Settings(
        database_url="postgresql://unused/none",
        rate_limit_ingest="off" if storage is None else "1000000000/minute",
        rate_limit_read="off" if storage is None else "1000000000/minute",
        rate_limit_storage=storage or "memory",
        rate_limit_prefix=f"bench-{uuid.uuid4().hex}",
    )
    app = create_app(settings)

    @app.post("/bench")
    async def bench_route(key: IngestKey) -> dict[str, str]:
        return {}

    token = tokens.generate(Scope.ingest)
    cache = app.state.keys
    cache._listener = AlwaysListening()  # as if LISTEN were up: the key stays cached
    principal = Principal(uuid.uuid4(), Scope.ingest, None, ())
    cache._entries[token.secret_hash] = (principal, time.monotonic() + 100 * TTL_SECONDS)
    return app, token.value


async def round_of(storage: str | None, requests: int) -> float:
    app, token = make_app(storage)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(200):  # warm-up (and Redis connection)
            assert (await client.post("/bench", headers=headers)).status_code == 200
        started = time.process_time()
        for _ in range(requests):
            await client.post("/bench", headers=headers)
        return (time.process_time() - started) / requests * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    sides: dict[str, str | None] = {"off": None, "memory": "memory", "redis": args.redis}
    results: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, storage in sides.items():
            results[name].append(await round_of(storage, args.requests))
    off = statistics.median(results["off"])
    print("| rate limits | CPU µs per request (median) | rounds | vs off |")
    print("| --- | ---: | --- | ---: |")
    for name, values in results.items():
        median = statistics.median(values)
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"| {name} | {median:.0f} | {rounds} | {median - off:+.0f} |")


if __name__ == "__main__":
    uvloop.run(main())  # the loop `feedback serve` runs on
