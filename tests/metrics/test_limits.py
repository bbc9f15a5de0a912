"""The metrics endpoints' size limits: window length and group count, each a clear 422."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

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
