"""What the request middleware (request id, metrics, access line) costs a request,
measured in process (docs/benchmarks.md, "Observability").

The real app (`create_app`) with one extra route that takes an ingest key and
returns at once, as in bench/ratelimit.py. Sequential requests through httpx's
ASGI transport on uvloop; CPU time of this process per request (client side
included, the same on every side). Rounds alternate between:

- `none`: the app without the middleware (removed from `user_middleware`);
- `metrics`: request id and metrics, no access line (FEEDBACK_ACCESS_LOG=false);
- `access-json`: the same and the access line, written as JSON to /dev/null
  through the service's formatter (what `feedback serve` does, to a file).

    .venv/bin/python -m bench.observability [--requests 3000] [--rounds 5]
"""

import argparse
import gc
import logging
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
from app.observability.logging import formatter
from app.observability.requests import Observe
from app.settings import Settings
from bench.ratelimit import AlwaysListening


def make_app(side: str) -> tuple[FastAPI, str]:
    settings = Settings(
        database_url="postgresql://unused/none",
        rate_limit_ingest="off",
        rate_limit_read="off",
        access_log=side == "access-json",
    )
    app = create_app(settings)
    if side == "none":
        app.user_middleware = [m for m in app.user_middleware if m.cls is not Observe]  # type: ignore[comparison-overlap]

    @app.post("/bench")
    async def bench_route(key: IngestKey) -> dict[str, str]:
        return {}

    token = tokens.generate(Scope.ingest)
    cache = app.state.keys
    cache._listener = AlwaysListening()  # as if LISTEN were up: the key stays cached
    principal = Principal(uuid.uuid4(), Scope.ingest, None, ())
    cache._entries[token.secret_hash] = (principal, time.monotonic() + 100 * TTL_SECONDS)
    gc.collect()
    gc.freeze()  # as the lifespan does in production: long-lived objects out of the GC's way
    return app, token.value


async def round_of(side: str, requests: int) -> float:
    app, token = make_app(side)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(200):  # warm-up
            assert (await client.post("/bench", headers=headers)).status_code == 200
        started = time.process_time()
        for _ in range(requests):
            await client.post("/bench", headers=headers)
        return (time.process_time() - started) / requests * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with open("/dev/null", "w") as sink:  # noqa: ASYNC230 (set up once, before timing)
        handler = logging.StreamHandler(sink)
        handler.setFormatter(formatter("json"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        sides = ("none", "metrics", "access-json")
        results: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(args.rounds):
            for side in sides:
                results[side].append(await round_of(side, args.requests))
    base = statistics.median(results["none"])
    print(f"CPU per request, µs ({args.requests} requests x {args.rounds} rounds, alternating)")
    for side, values in results.items():
        median = statistics.median(values)
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"{side:12} median {median:6.1f}  ({median - base:+.1f})  rounds: {rounds}")


if __name__ == "__main__":
    uvloop.run(main())
