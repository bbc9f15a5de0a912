"""What the rate-limit check costs a request, measured in process (docs/benchmarks.md).

The real app with a route that only checks a cached ingest key, CPU per request
(bench/in_process.py); rounds alternate between limits off, counted in memory
and counted in Redis, and the report gives each side's median and its
difference from "off".

    .venv/bin/python -m bench.ratelimit [--requests 3000] [--rounds 5] [--redis URL]
"""

import argparse
import statistics
import uuid

import uvloop

from app.main import create_app
from app.settings import Settings
from bench.in_process import cpu_per_request, with_bench_route


async def round_of(storage: str | None, requests: int) -> float:
    settings = Settings(
        database_url="postgresql://unused/none",
        rate_limit_ingest="off" if storage is None else "1000000000/minute",
        rate_limit_read="off" if storage is None else "1000000000/minute",
        rate_limit_storage=storage or "memory",
        rate_limit_prefix=f"bench-{uuid.uuid4().hex}",
    )
    return await cpu_per_request(*with_bench_route(create_app(settings)), requests)


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
