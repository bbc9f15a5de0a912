"""The database restarts while terminals post: 503s within 2 s, back within 5 s, nothing lost.

Own database server (`pgserver.own_server`): the test stops and starts it, which
the shared test server must never be. The service is the real `feedback serve`
process, with rollups every 0.2 s, so its background worker lives through the
outage too. Terminals post singles and batches with `event_id`s and retry until
each is acknowledged, as a POS does; afterwards every event must be stored
exactly once and the metrics must equal a recomputation from the raw table.

Three ways for the database to go: `fast` (clients disconnected, clean shutdown),
`immediate` (as after a crash: recovery on start, during which the server answers
"not yet accepting connections"), and `silent` (the server is gone and something
on its port accepts TCP connections but never answers, as a host that hangs or a
proxy with no backend: only the connect timeout ends the wait).
"""

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, nullcontext

import httpx
import pytest

from app.cli import migrate
from app.errors import PROBLEM_MEDIA_TYPE
from tests.served import create_keys, serve

from .checks import (
    assert_metrics_equal_recomputation,
    assert_rollups_equal_a_rebuild,
    assert_stored_exactly_once,
)
from .load import UNLIMITED, Attempt, Pos, attempts_of, events_of, report
from .pgserver import OwnServer, own_server

ANSWER_WITHIN = 2.0  # seconds: the bound for a 503 while the database is down
RECOVER_WITHIN = 5.0  # seconds after the database accepts connections again
DOWN_FOR = 2.5  # seconds the database stays away (long enough for many retries)


@contextmanager
def silent_listener(port: int) -> Iterator[None]:
    """Something on `port` that completes TCP handshakes (the kernel does, from the
    backlog) but never says a word."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
        yield


async def wait_for(condition: Callable[[], bool], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def recent_all_ok(terminals: list[Pos], since: float, count: int) -> bool:
    """The last `count` attempts sent after `since` were all acknowledged."""
    recent = [a for a in attempts_of(terminals) if a.sent >= since]
    return len(recent) >= count and all(a.ok for a in recent[-count:])


async def probe_other_paths(http: httpx.AsyncClient, read_key: str) -> None:
    """While the database is away: readiness, a metrics read (pool + session-less SQL)
    and a CORS preflight (answered by middleware, outside the routes' error handlers)
    answer 503 problem+json with Retry-After within the bound too."""
    probes = {
        "readyz": http.get("/readyz"),
        "metrics": http.get("/v1/metrics/summary", headers={"Authorization": f"Bearer {read_key}"}),
        "preflight": http.options(
            "/v1/feedback",
            headers={"Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST"},
        ),
    }
    for name, request in probes.items():
        started = time.monotonic()
        response = await request
        took = time.monotonic() - started
        assert response.status_code == 503, (name, response.text)
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE, name
        assert int(response.headers["retry-after"]) >= 1, name
        assert took <= ANSWER_WITHIN, (name, took)


async def take_down(
    db: OwnServer, mode: str, terminals: list[Pos], probe: Callable[[], Awaitable[None]]
) -> tuple[float, float]:
    """Stop the database the way `mode` says, keep it away for DOWN_FOR seconds (and at
    least 20 answered attempts), start it again. Returns (away since, back at)."""
    t_stop = time.monotonic()
    await asyncio.to_thread(db.stop, "fast" if mode == "silent" else mode)
    with silent_listener(db.port) if mode == "silent" else nullcontext():
        t_down = time.monotonic()
        await probe()
        await wait_for(
            lambda: (
                time.monotonic() - t_down >= DOWN_FOR
                and sum(a.sent >= t_down for a in attempts_of(terminals)) >= 20
            ),
            within=30,
            what="attempts while the database is away",
        )
    await asyncio.to_thread(db.start)
    return t_stop, time.monotonic()


@pytest.mark.parametrize(
    "mode",
    # silent: under libfaketime, even at offset 0, an answer while the server is gone
    # exceeds the 2 s bound (every clock read goes through the library).
    ["fast", "immediate", pytest.param("silent", marks=pytest.mark.real_clock)],
)
async def test_database_restart_during_ingest_loses_nothing(mode: str) -> None:
    with own_server() as db:
        await asyncio.to_thread(migrate, db.url)
        keys = await create_keys(db.url)
        with serve(db.url, env={**UNLIMITED, "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0.2"}) as service:
            async with httpx.AsyncClient(base_url=service.base_url, timeout=30) as http:
                terminals = [Pos(http, keys["ingest"], f"pos{i}") for i in range(6)] + [
                    Pos(http, keys["ingest"], f"queue{i}", batch=25) for i in range(2)
                ]
                stop = asyncio.Event()
                running = [asyncio.create_task(t.run(stop)) for t in terminals]
                await wait_for(
                    lambda: sum(a.ok for a in attempts_of(terminals)) >= 40, 30, "first events"
                )
                t_stop, t_back = await take_down(
                    db, mode, terminals, lambda: probe_other_paths(http, keys["read"])
                )
                await wait_for(
                    lambda: recent_all_ok(terminals, t_back, 40), 30, "ingest to recover"
                )
                stop.set()
                await asyncio.wait_for(asyncio.gather(*running), 30)
            await assert_metrics_equal_recomputation(service.base_url, keys["read"], db.url)
            log = service.log()
        attempts = attempts_of(terminals)
        assert_outage_answered(attempts, t_stop, t_back, mode)
        assert "Traceback" not in log, log
        await assert_stored_exactly_once(db.url, events_of(terminals))
        await assert_rollups_equal_a_rebuild(db.url)


def assert_outage_answered(
    attempts: list[Attempt], t_stop: float, t_back: float, mode: str
) -> None:
    """While down: only 503 problems with Retry-After, each within 2 s; never a 500 or
    a dropped connection; every attempt acknowledged again within 5 s of the return."""
    unexpected = [a for a in attempts if a.status not in (200, 201, 503)]
    assert not unexpected, unexpected[:5]
    unavailable = [a for a in attempts if a.status == 503]
    assert all(a.problem and a.retry_after and int(a.retry_after) >= 1 for a in unavailable)
    during = [a for a in attempts if t_stop <= a.sent <= t_back]
    refused = [a for a in during if a.status == 503]
    assert len(refused) >= 20, "the outage was not seen"
    slowest = max(a.took for a in during)
    assert slowest <= ANSWER_WITHIN, f"an answer took {slowest:.2f} s while the database was down"
    failures_after = [a.answered for a in attempts if a.sent >= t_stop and not a.ok]
    recovered = max(0.0, max(failures_after) - t_back)
    assert recovered <= RECOVER_WITHIN, f"recovered {recovered:.2f} s after the database"
    report(
        f"{mode}: first 503 after the stop began (s)",
        round(min(a.answered for a in refused) - t_stop, 3),
    )
    report(f"{mode}: slowest answer while down (s)", round(slowest, 3))
    report(f"{mode}: 503s while down", len(refused))
    report(f"{mode}: recovered after the database was back (s)", round(recovered, 3))
