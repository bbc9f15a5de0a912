"""The request middleware's own cost, without the app around it: a trivial ASGI app
answering 201, called directly or through `Observe` (access line off, or on and
written as JSON to /dev/null). CPU µs per request, best and median of the rounds.

    .venv/bin/python -m bench.observe_wrapper [--requests 20000] [--rounds 7]
"""

import argparse
import asyncio
import statistics
import time

from starlette.types import Message, Receive, Scope, Send

from app.observability.requests import Observe
from bench.in_process import json_logs_to_devnull


class Route:
    path = "/v1/feedback"


async def answer(scope: Scope, receive: Receive, send: Send) -> None:
    scope["route"] = Route
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def receive() -> Message:
    return {"type": "http.request", "body": b""}


async def send(message: Message) -> None:
    return None


async def per_request(app: object, requests: int, with_id: bool) -> float:
    headers = [(b"x-request-id", b"client-1")] if with_id else []
    started = time.process_time()
    for _ in range(requests):
        scope = {"type": "http", "method": "POST", "path": "/v1/feedback", "headers": headers}
        await app(scope, receive, send)  # type: ignore[operator]
    return (time.process_time() - started) / requests * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with json_logs_to_devnull():  # set up once, before timing
        sides = {
            "bare app": (answer, True),
            "Observe, client id": (Observe(answer, access_log=False), True),
            "Observe, new id": (Observe(answer, access_log=False), False),
            "Observe + access line": (Observe(answer, access_log=True), False),
        }
        results: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.rounds):
            for name, (app, with_id) in sides.items():
                results[name].append(await per_request(app, args.requests, with_id))
    base = statistics.median(results["bare app"])
    print(f"CPU µs per request ({args.requests} x {args.rounds} rounds, alternating)")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:24} best {min(values):6.1f}  median {median:6.1f}  (+{median - base:.1f})")


if __name__ == "__main__":
    asyncio.run(main())
