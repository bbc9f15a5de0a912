"""The metrics endpoints' size limits: window length and group count, each a clear 422."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.metrics.answer_size import most_buckets
from app.rollups.queries import buckets_sql
from tests.conftest import Headers

WINDOW = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}


@pytest.fixture
async def three_channels(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    events = [
        {"event_id": f"e-{channel}", "channel": channel, "location_id": f"loc-{channel}",
         "nps": 8, "occurred_at": "2026-11-02T09:00:00Z"}
        for channel in ("web", "pos", "app")
    ]  # fmt: skip
    response = await client.post("/v1/feedback/batch", json={"events": events}, headers=ingest_key)
    assert response.json()["accepted"] == 3


def assert_422(response: httpx.Response, parameter: str, kind: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == "urn:feedback:problem:validation"
    assert problem["errors"][0]["loc"] == ["query", parameter]
    assert problem["errors"][0]["type"] == kind
    return problem


@pytest.mark.parametrize(
    "path",
    ["/v1/metrics/summary", "/v1/metrics/timeseries", "/v1/feedback", "/v1/feedback/export"],
)
async def test_window_longer_than_the_limit_is_422(
    client: httpx.AsyncClient, read_key: Headers, app: FastAPI, path: str
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"max_window_days": 30})
    ok = await client.get(path, params=WINDOW, headers=read_key)
    assert ok.status_code == 200, ok.text
    longer = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:01Z"}
    problem = assert_422(
        await client.get(path, params=longer, headers=read_key), "to", "value_error"
    )
    assert "30 days" in problem["errors"][0]["message"]


@pytest.mark.usefixtures("three_channels")
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/metrics/timeseries", {"group_by": "channel"}),
        ("/v1/metrics/breakdown", {"group_by": "channel"}),
        ("/v1/metrics/consistency", {"group_by": "channel"}),
        ("/v1/metrics/service-profit-chain", {}),
    ],
)
async def test_more_groups_than_the_limit_is_422(
    client: httpx.AsyncClient, read_key: Headers, app: FastAPI, path: str, params: dict[str, str]
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"max_groups": 3})
    fits = await client.get(path, params={**WINDOW, **params}, headers=read_key)
    assert fits.status_code == 200, fits.text
    app.state.settings = app.state.settings.model_copy(update={"max_groups": 2})
    response = await client.get(path, params={**WINDOW, **params}, headers=read_key)
    problem = assert_422(response, "group_by", "too_many_groups")
    assert "at most 2" in problem["detail"]


@pytest.mark.usefixtures("three_channels")
@pytest.mark.parametrize("as_csv", [False, True])
async def test_a_timeseries_answer_past_the_row_limit_is_refused_before_the_work(
    client: httpx.AsyncClient, read_key: Headers, app: FastAPI, as_csv: bool
) -> None:
    """Buckets x groups x metric rows, empty cells included, is bounded: from the window
    alone before any query, and with the groups found before the rows are built (a
    five-year window by the hour answered 5.3 M rows from 120 events)."""
    app.state.settings = app.state.settings.model_copy(update={"max_answer_rows": 1000})
    fmt = {"format": "csv"} if as_csv else {}
    # 31 days x 3 channels x 12 metric rows = 1116 rows: refused once the groups are known.
    grouped = {**WINDOW, "interval": "day", "group_by": "channel", **fmt}
    problem = assert_422(
        await client.get("/v1/metrics/timeseries", params=grouped, headers=read_key),
        "interval", "answer_too_large",
    )  # fmt: skip
    assert "30 buckets x 3 groups x 12 metric rows = 1080 rows" in problem["detail"]
    assert "at most 1000" in problem["detail"]
    # Two groups fit: 30 x 2 x 12 = 720.
    two = {**grouped, "channel": "web,pos"}
    assert (await client.get("/v1/metrics/timeseries", params=two, headers=read_key)).is_success
    # By the hour, five years: refused from the window alone (no query is needed to know).
    hourly = {
        "from": "2022-01-01", "to": "2026-12-31", "interval": "hour", "group_by": "location_id",
        "metrics": "nps,csat,ces,servqual,volume", **fmt,
    }  # fmt: skip
    problem = assert_422(
        await client.get("/v1/metrics/timeseries", params=hourly, headers=read_key),
        "interval", "answer_too_large",
    )  # fmt: skip
    assert "up to " in problem["detail"]
    assert "a longer `interval`" in problem["detail"]


@pytest.mark.parametrize("interval", ["hour", "day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize(
    "zone", ["UTC", "Europe/Vienna", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia"]
)
async def test_the_bucket_bound_is_never_below_the_buckets_generated(
    connection: Any, interval: str, zone: str
) -> None:
    """The bound used before any query holds for the buckets PostgreSQL generates, over
    windows that cross clock changes (Apia skipped a whole day in 2011)."""
    raw = (await connection.get_raw_connection()).driver_connection
    start = datetime(2010, 12, 30, 13, 30, tzinfo=UTC)
    lengths = [timedelta(hours=5), timedelta(days=1), timedelta(days=40), timedelta(days=800)]
    for length in lengths if interval != "hour" else lengths[:3]:
        end = start + length
        count = await raw.fetchval(
            f"SELECT count(*) FROM ({buckets_sql(interval)}) AS b", start, end, zone
        )
        assert count <= most_buckets(start, end, interval), (length, count)
        assert most_buckets(start, end, interval) <= count * 1.1 + 6, "a bound far too loose"
