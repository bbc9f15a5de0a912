"""Reads from a real streaming replica: where each answer is read, what it says about its
freshness, and what happens when the replica lags, stops and comes back.

The replica is a hot standby of a primary the suite starts (tests/replica/servers.py).
Pausing its replay (`pg_wal_replay_pause()`) makes the difference visible: an event
written on the primary afterwards is missing from every answer read on the replica,
and present in every answer read on the primary.
"""

import asyncio
from typing import Any

import httpx
import pytest

from app.replica import OPENAPI_HEADERS
from tests.drivers.test_endpoint import survey
from tests.metrics.test_summary import post_events

from .conftest import Pair, Service, running_service, wait_for

WINDOW = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
SURVEYED = 300  # respondents in the window: enough for the key drivers too

# Every route that reads through the replica, with what makes it answer 200 here.
READ_ROUTES: dict[str, dict[str, str | int]] = {
    "/v1/feedback": {"limit": 1000},
    "/v1/feedback/export": {"format": "ndjson"},
    "/v1/metrics/summary": {},
    "/v1/metrics/timeseries": {"interval": "week", "group_by": "channel"},
    "/v1/metrics/breakdown": {"group_by": "touchpoint"},
    "/v1/metrics/consistency": {"group_by": "channel"},
    "/v1/metrics/compare": {},
    "/v1/metrics/themes": {"interval": "week"},
    "/v1/metrics/servqual": {},
    "/v1/metrics/service-profit-chain": {},
    "/v1/metrics/attributes": {},
    "/v1/metrics/drivers": {
        "drivers": "servqual:responsiveness,servqual:reliability,touchpoint,channel",
        "replicates": 100,
    },
    "/v1/metrics/follow-ups": {},
}


def event(event_id: str, day: int = 20) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "channel": "web",
        "touchpoint": "checkout",
        "nps": 10,
        "occurred_at": f"2026-03-{day:02d}T12:00:00+00:00",
    }


async def post(service: Service, event_id: str) -> None:
    answer = await service.http.post("/v1/feedback", json=event(event_id), headers=service.ingest)
    assert answer.status_code == 201, answer.text


async def listed(service: Service) -> tuple[httpx.Response, set[str]]:
    """The event list of the window, and the event_ids in it."""
    answer = await service.http.get(
        "/v1/feedback", params={**WINDOW, "limit": 1000}, headers=service.admin
    )
    assert answer.status_code == 200, answer.text
    return answer, {item["event_id"] for item in answer.json()["items"]}


def source(answer: httpx.Response) -> str | None:
    said: str | None = answer.headers.get("feedback-read-source")
    return said


def gauges(scrape: str) -> dict[str, float]:
    """The read replica's gauges in a Prometheus scrape."""
    values = {}
    for line in scrape.splitlines():
        if line.startswith("feedback_read_replica_"):
            name, value = line.split()
            values[name] = float(value)
    return values


async def scraped(service: Service) -> dict[str, float]:
    answer = await service.http.get("/metrics")
    assert answer.status_code == 200, answer.text
    return gauges(answer.text)


async def test_reads_go_to_the_replica_and_reads_of_own_writes_to_the_primary(
    pair: Pair,
) -> None:
    async with running_service(pair, max_lag=3600) as service:
        await post_events(service.http, service.ingest, survey(SURVEYED))
        await pair.caught_up()

        async def rolled_up_on_replica() -> bool:
            seen = await service.ready()
            watermark = seen["rollup_watermark"]
            return (
                seen["state"] == "healthy" and isinstance(watermark, int) and watermark >= SURVEYED
            )

        await wait_for(rolled_up_on_replica, "the rollups to reach the replica")
        await pair.pause_replay()
        await post(service, "written-while-paused")

        # The list, the export and the metrics read the replica: without the new event.
        answer, ids = await listed(service)
        assert source(answer) == "replica"
        assert len(ids) == SURVEYED
        assert "written-while-paused" not in ids
        export = await service.http.get(
            "/v1/feedback/export", params={**WINDOW, "format": "ndjson"}, headers=service.admin
        )
        assert export.status_code == 200, export.text
        assert source(export) == "replica"
        assert len(export.text.splitlines()) == SURVEYED
        assert "written-while-paused" not in export.text
        summary = await service.http.get(
            "/v1/metrics/summary", params=WINDOW, headers=service.admin
        )
        assert summary.status_code == 200, summary.text
        assert source(summary) == "replica"
        assert summary.json()["metrics"]["volume"]["n"] == SURVEYED

        # How fresh: the replica's replay time, its lag and its rollup watermark.
        ready = await service.ready()
        assert ready["reads"] == "replica"
        assert summary.headers["feedback-replayed-at"].endswith("Z")
        assert 0 <= float(summary.headers["feedback-replica-lag"]) <= 3600
        assert int(summary.headers["feedback-rollup-watermark"]) >= SURVEYED

        # Reading one's own write stays on the primary.
        own = await service.http.get("/v1/feedback/written-while-paused", headers=service.admin)
        assert own.status_code == 200, own.text
        assert source(own) is None  # not a replica route: no such field

        # Every read route answers from the replica: none writes (a standby refuses writes).
        for path, params in READ_ROUTES.items():
            answer = await service.http.get(
                path, params={**WINDOW, **params}, headers=service.admin
            )
            assert answer.status_code == 200, (path, answer.text)
            assert source(answer) == "replica", path

        await pair.resume_replay()

        async def replayed() -> bool:
            return "written-while-paused" in (await listed(service))[1]

        await wait_for(replayed, "the replica to replay the event")


async def test_a_replica_lagging_beyond_the_setting_leaves_the_reads_to_the_primary(
    pair: Pair,
) -> None:
    async with running_service(pair, max_lag=1.0) as service:
        await service.replica_state("healthy")
        await pair.pause_replay()
        await post(service, "written-while-lagging")

        seen = await service.replica_state("lagging")
        assert seen["reads"] == "primary"
        assert isinstance(seen["lag_seconds"], float)
        assert seen["lag_seconds"] > 1.0
        assert "replay paused" in str(seen["detail"])
        answer, ids = await listed(service)
        assert source(answer) == "primary"
        assert "written-while-lagging" in ids
        assert "feedback-replayed-at" not in answer.headers
        measured = await scraped(service)
        assert measured["feedback_read_replica_lag_seconds"] > 1.0
        assert measured["feedback_read_replica_max_lag_seconds"] == 1.0
        assert measured["feedback_read_replica_up"] == 1
        assert measured["feedback_read_replica_reads"] == 0

        await pair.resume_replay()
        seen = await service.replica_state("healthy")
        assert seen["reads"] == "replica"
        answer, ids = await listed(service)
        assert source(answer) == "replica"
        assert "written-while-lagging" in ids
        measured = await scraped(service)
        assert measured["feedback_read_replica_lag_seconds"] <= 1.0
        assert measured["feedback_read_replica_reads"] == 1


async def test_a_replica_that_stops_and_comes_back(pair: Pair) -> None:
    async with running_service(pair, max_lag=30) as service:
        await service.replica_state("healthy")
        answers: list[httpx.Response] = []
        reading = asyncio.Event()

        async def read_all_along() -> None:
            while reading.is_set():
                for path in ("/v1/feedback", "/v1/metrics/summary"):
                    answers.append(
                        await service.http.get(path, params=WINDOW, headers=service.admin)
                    )
                await asyncio.sleep(0.01)

        async def read_on(where: str) -> bool:
            return len(answers) > 2 and source(answers[-1]) == where

        reading.set()
        reader = asyncio.create_task(read_all_along())
        try:
            await wait_for(lambda: read_on("replica"), "reads on the replica")
            stopped_at = len(answers)
            await asyncio.to_thread(pair.servers.replica.stop, "fast")
            seen = await service.replica_state("down")
            down_at = len(answers)
            assert seen["reads"] == "primary"
            assert seen["lag_seconds"] is None
            await post(service, "written-while-down")
            answer, ids = await listed(service)
            assert source(answer) == "primary"
            assert "written-while-down" in ids
            measured = await scraped(service)
            assert measured["feedback_read_replica_up"] == 0
            assert measured["feedback_read_replica_reads"] == 0
            assert "feedback_read_replica_lag_seconds" not in measured  # unknown while down

            await asyncio.to_thread(pair.servers.replica.start)
            seen = await service.replica_state("healthy")
            assert seen["reads"] == "replica"
            await wait_for(lambda: read_on("replica"), "reads on the replica again")
        finally:
            reading.clear()
            await reader
        # No 500 ever. A read in flight on the replica when it stopped is a 503 with
        # Retry-After, as for any lost connection (the reader has one in flight at a
        # time); a read that starts after it stopped goes to the primary (a pooled
        # connection that is gone is noticed at checkout), and so does every read from
        # the moment the probe saw it down until it is back.
        failed = [a for a in answers if a.status_code != 200]
        assert all(a.status_code == 503 for a in failed), [a.text for a in failed]
        assert all(source(a) == "replica" and a.headers["retry-after"] for a in failed)
        assert len(failed) <= 1
        assert all(a.status_code == 200 for a in answers[:stopped_at] + answers[down_at:])
        assert {source(a) for a in answers[down_at:]} == {"primary", "replica"}

        async def replayed() -> bool:
            answer, ids = await listed(service)
            return source(answer) == "replica" and "written-while-down" in ids

        await wait_for(replayed, "the replica to be read again, with what it missed")


async def test_a_read_url_that_is_no_standby_is_not_read(pair: Pair) -> None:
    """A server that is not in recovery (the primary itself, or a promoted replica that
    may have parted from it) is never read as a replica."""
    async with running_service(pair, max_lag=30, read_url=pair.primary_url) as service:
        seen = await service.replica_state("down")
        assert seen["reads"] == "primary"
        assert seen["detail"] == "is not a standby (not in recovery)"
        answer, _ = await listed(service)
        assert source(answer) == "primary"


def test_every_read_route_declares_the_fields_of_its_freshness() -> None:
    """The OpenAPI document names the read routes' `Feedback-*` fields, and only theirs:
    the routes that read what they or others just wrote stay on the primary."""
    from app.openapi import document

    declared = {
        (path, method): set(operation["responses"]["200"]["headers"])
        for path, operations in document()["paths"].items()
        for method, operation in operations.items()
        if "headers" in operation["responses"].get("200", {})
    }
    assert declared == {(path, "get"): set(OPENAPI_HEADERS) for path in READ_ROUTES}


@pytest.mark.parametrize("path", ["/v1/metrics/summary", "/v1/feedback"])
async def test_without_a_replica_the_answers_say_primary(
    client: httpx.AsyncClient, admin_key: dict[str, str], path: str
) -> None:
    answer = await client.get(path, headers=admin_key)
    assert answer.status_code == 200, answer.text
    assert source(answer) == "primary"
    assert "feedback-replayed-at" not in answer.headers
    assert "feedback-rollup-watermark" not in answer.headers
