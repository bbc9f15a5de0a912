"""`feedback serve --workers 2` under concurrent ingest: totals and rollups exact afterwards.

Own database and the real process with two workers, each with its own pool,
EventWriter, key cache and rollup worker (every 0.2 s; the advisory lock lets
one roll up at a time). Terminals post singles and batches while the rollups
run; then two replayers send every event again at once, as devices replaying
their offline queues do, split over both workers: nothing may be stored twice,
and the metrics, served from the rollups, must equal a recomputation.
"""

import asyncio

import httpx
from sqlalchemy.engine import URL

from tests.served import bearer, create_keys, serve

from .checks import (
    assert_metrics_equal_recomputation,
    assert_rollups_equal_a_rebuild,
    assert_stored_exactly_once,
)
from .load import UNLIMITED, Pos, attempts_of, events_of, report
from .test_database_restart import wait_for


async def replay(http: httpx.AsyncClient, key: str, events: list[dict[str, object]]) -> int:
    """Send `events` again in batches of 50; how many the service took as new."""
    accepted = 0
    for start in range(0, len(events), 50):
        response = await http.post(
            "/v1/feedback/batch", json={"events": events[start : start + 50]}, headers=bearer(key)
        )
        assert response.status_code == 200, response.text
        assert response.json()["rejected"] == 0, response.text
        accepted += response.json()["accepted"]
    return accepted


async def test_two_workers_under_concurrent_ingest_store_each_event_once_and_roll_up_exactly(
    live_url: URL,
) -> None:
    keys = await create_keys(live_url)
    env = {**UNLIMITED, "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0.2"}
    with serve(live_url, workers=2, env=env) as service:
        limits = httpx.Limits(max_keepalive_connections=0)  # new connections: both workers
        async with httpx.AsyncClient(base_url=service.base_url, timeout=30, limits=limits) as http:
            terminals = [Pos(http, keys["ingest"], f"pos{i}") for i in range(8)] + [
                Pos(http, keys["ingest"], f"queue{i}", batch=20) for i in range(2)
            ]
            stop = asyncio.Event()
            running = [asyncio.create_task(t.run(stop)) for t in terminals]
            await wait_for(lambda: sum(a.ok for a in attempts_of(terminals)) >= 200, 60, "load")
            stop.set()
            await asyncio.wait_for(asyncio.gather(*running), 30)
            attempts = attempts_of(terminals)
            assert all(a.status in (200, 201) for a in attempts), [a for a in attempts if not a.ok][
                :5
            ]
            events = events_of(terminals)
            halves = [events[::2] + events[1::2], events[1::2] + events[::2]]
            again = await asyncio.gather(*(replay(http, keys["ingest"], h) for h in halves))
            assert again == [0, 0]  # every replayed event was recognised
        await assert_metrics_equal_recomputation(service.base_url, keys["read"], live_url)
        log = service.log()
    assert log.count("Application startup complete") == 2, log
    assert "Traceback" not in log, log
    assert "ERROR" not in log, log
    await assert_stored_exactly_once(live_url, events)
    await assert_rollups_equal_a_rebuild(live_url)
    report("two workers: events stored once", len(events))
