"""What the request middleware (request id, metrics, access line) costs a request,
measured in process (docs/benchmarks.md, "Observability").

The real app with a route that only checks a cached ingest key, CPU per request
(bench/in_process.py). Rounds alternate between:

- `none`: the app without the middleware (removed from `user_middleware`);
- `metrics`: request id and metrics, no access line (FEEDBACK_ACCESS_LOG=false);
- `access-json`: the same and the access line, written as JSON to /dev/null
  through the service's formatter (what `feedback serve` does, to a file).

    .venv/bin/python -m bench.observability [--requests 3000] [--rounds 5]
"""

import argparse
import gc
import statistics

import uvloop

from app.main import create_app
from app.observability.requests import Observe
from app.settings import Settings
from bench.in_process import cpu_per_request, json_logs_to_devnull, with_bench_route


async def round_of(side: str, requests: int) -> float:
    settings = Settings(
        database_url="postgresql://unused/none",
        rate_limit_ingest="off",
        rate_limit_read="off",
        access_log=side == "access-json",
    )
    app = create_app(settings)
    if side == "none":
        app.user_middleware = [m for m in app.user_middleware if m.cls is not Observe]  # type: ignore[comparison-overlap]
    app, token = with_bench_route(app)
    gc.collect()
    gc.freeze()  # as the lifespan does in production: long-lived objects out of the GC's way
    return await cpu_per_request(app, token, requests)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with json_logs_to_devnull():  # set up once, before timing
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
