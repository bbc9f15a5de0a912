"""GET /v1/metrics/compare: Δ, se_Δ, z and significance per docs/metrics.md."""

import math

import httpx
import pytest

from app import stats
from tests.conftest import Headers
from tests.metrics.test_summary import WINDOW, post_events


async def test_change_against_the_equal_window_before(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    before = [{"event_id": f"p{i}", "channel": "web", "nps": 10 if i % 2 else 0, "csat": 3,
               "occurred_at": "2025-12-15T10:00:00Z"} for i in range(30)]  # fmt: skip
    now = [{"event_id": f"c{i}", "channel": "web", "nps": 10, "csat": 5,
            "occurred_at": "2026-01-15T10:00:00Z"} for i in range(30)]  # fmt: skip
    await post_events(client, ingest_key, before + now)
    response = await client.get(
        "/v1/metrics/compare", params={**WINDOW, "metrics": "nps,csat"}, headers=read_key
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # January has 31 days, so the previous window is the 31 days before it.
    assert (body["previous_from"], body["previous_to"]) == (
        "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z",
    )  # fmt: skip
    by_metric = {m["metric"]: m for m in body["metrics"]}
    assert set(by_metric) == {"nps", "csat", "csat_mean"}
    nps = by_metric["nps"]
    se_now = stats.nps(stats.histogram([10] * 30, stats.NPS_SCALE)).se
    se_before = stats.nps(stats.histogram([10, 0] * 15, stats.NPS_SCALE)).se
    assert se_now is not None
    assert se_before is not None
    assert (nps["current"]["value"], nps["previous"]["value"], nps["delta"]) == (100, 0, 100)
    assert nps["se_delta"] == pytest.approx(math.hypot(se_now, se_before))
    assert nps["z"] == pytest.approx(100 / math.hypot(se_now, se_before))
    assert nps["significant"] is True
    csat = by_metric["csat"]
    assert (csat["current"]["value"], csat["previous"]["value"]) == (100, 0)
    # Wald se of a share of 0 or 100 % is 0, so there is no z to test.
    assert (csat["se_delta"], csat["z"], csat["significant"]) == (0, None, None)


async def test_named_previous_window(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    await post_events(
        client,
        ingest_key,
        [{"event_id": "old", "channel": "web", "nps": 0, "occurred_at": "2025-06-10T10:00:00Z"}],
    )
    params = {**WINDOW, "metrics": "volume", "previous_from": "2025-06-01",
              "previous_to": "2025-07-01"}  # fmt: skip
    body = (await client.get("/v1/metrics/compare", params=params, headers=read_key)).json()
    volume = body["metrics"][0]
    assert (volume["metric"], volume["current"]["n"], volume["previous"]["n"]) == ("volume", 0, 1)
    assert volume["significant"] is None


async def test_half_a_previous_window_is_422(client: httpx.AsyncClient, read_key: Headers) -> None:
    params = {**WINDOW, "previous_from": "2025-06-01"}
    response = await client.get("/v1/metrics/compare", params=params, headers=read_key)
    assert response.status_code == 422
