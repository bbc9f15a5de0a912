"""`feedback serve --workers 2`: whichever worker answers the scrape reports the whole
service (prometheus-client's multiprocess mode), and every line on stderr is JSON."""

import asyncio
import json
import os
import signal
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.observability.conftest import TwoWorkers
from tests.observability.scrape import parse, value
from tests.served import bearer

EVENTS = 40


def json_lines(log: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.splitlines() if line.startswith("{")]


async def post_concurrently(
    base_url: str, token: str, count: int, label: str = "posted"
) -> list[int]:
    """`count` new events at once, each on its own connection, with request ids
    `<label>-<i>`; their statuses."""
    run = uuid.uuid4().hex[:8]  # new events on every call

    async def one(i: int) -> int:
        # Its own client, so its own connection: the two workers share the work.
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            answer = await client.post(
                "/v1/feedback",
                json={"event_id": f"w-{run}-{i}", "channel": "kiosk", "nps": 8},
                headers={**bearer(token), "X-Request-ID": f"{label}-{i}"},
            )
            return answer.status_code

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def test_counts_are_summed_over_both_workers(two_workers: TwoWorkers) -> None:
    admin = two_workers.keys["admin"]
    before = parse(two_workers.get("/metrics", admin).text)
    label = f"sum-{uuid.uuid4().hex[:8]}"
    statuses = await post_concurrently(
        two_workers.service.base_url, two_workers.keys["ingest"], EVENTS, label
    )
    assert statuses == [201] * EVENTS
    await asyncio.sleep(0.2)
    served_by = {
        record["pid"]
        for record in json_lines(two_workers.service.log())
        if str(record.get("request_id", "")).startswith(f"{label}-")
    }
    assert len(served_by) == 2, "one worker answered everything: the sum proves nothing"
    created = {"channel": "kiosk", "outcome": "created"}
    route = {"method": "POST", "route": "/v1/feedback", "status": "201"}
    for _ in range(6):  # several scrapes, on new connections: any worker may answer each
        after = parse(two_workers.get("/metrics", admin).text)
        moved = value(after, "feedback_ingest_events_total", **created) - value(
            before, "feedback_ingest_events_total", **created
        )
        assert moved == EVENTS
        requests = value(after, "feedback_http_requests_total", **route) - value(
            before, "feedback_http_requests_total", **route
        )
        assert requests == EVENTS
        assert value(after, "feedback_db_pool_size") == 2 * 3  # both workers' pools, live
        assert value(after, "feedback_database_up") == 1


async def test_stderr_is_json_lines_with_request_ids(two_workers: TwoWorkers) -> None:
    answer = two_workers.get("/v1/feedback")  # a refusal: 401, logged like any answer
    assert answer.status_code == 401
    request_id = answer.headers["x-request-id"]
    await asyncio.sleep(0.2)
    records = []
    for line in two_workers.service.log().splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
        else:  # only the CLI's own notes to the operator are plain text
            assert line.startswith("  ") or not line.strip(), line
    assert any(r["logger"].startswith("uvicorn") for r in records)  # uvicorn's lines too
    mine = [r for r in records if r.get("request_id") == request_id]
    assert [(r["logger"], r["status"], r["route"]) for r in mine] == [
        ("feedback.access", 401, "/v1/feedback")
    ]


def workers_of(parent: int) -> set[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return {
        int(pid)
        for pid in children
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()  # not a helper
    }


@pytest.mark.real_clock  # under libfaketime, even at offset 0, no new worker is seen in time
async def test_a_killed_worker_is_replaced_and_its_live_gauges_dropped(
    two_workers: TwoWorkers,
) -> None:
    """Last in this package: it kills one of the shared service's workers."""
    admin = two_workers.keys["admin"]
    before = parse(two_workers.get("/metrics", admin).text)
    parent = two_workers.service.process.pid
    old = workers_of(parent)
    assert len(old) == 2
    victim = min(old)
    os.kill(victim, signal.SIGKILL)  # no shutdown of its own: the supervisor must clean up
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = workers_of(parent)
        if len(now) == 2 and victim not in now:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError(f"no new worker:\n{two_workers.service.log()[-2000:]}")
    await asyncio.sleep(3)  # the new worker's start-up (its pool gauges are set then)
    for _ in range(4):
        after = parse(two_workers.get("/metrics", admin).text)
        assert value(after, "feedback_db_pool_size") == 2 * 3  # not 3 x 3: the dead one's dropped
        created = {"channel": "kiosk", "outcome": "created"}
        # A counter never goes down: the dead worker's counts stay in the sum.
        assert value(after, "feedback_ingest_events_total", **created) >= value(
            before, "feedback_ingest_events_total", **created
        )
