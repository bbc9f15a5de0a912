"""GET /v1/metrics/drivers over HTTP: the answer's shape, what it drops and refuses."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.drivers.schemas import DriverReport
from tests.conftest import Headers
from tests.metrics.test_summary import post_events

START = datetime(2026, 3, 1, tzinfo=UTC)
WINDOW = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
TOUCHPOINTS = ("checkout", "returns", "delivery")


def survey(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Respondents whose NPS follows responsiveness strongly, reliability a little, the
    wait (an attribute) against it, and returns worse than the other touchpoints."""
    rng = random.Random(seed)
    events = []
    for i in range(count):
        base = rng.gauss(0, 1)
        responsiveness = max(1, min(7, round(4 + 1.5 * base + rng.gauss(0, 0.8))))
        reliability = max(1, min(7, round(4 + 0.7 * base + rng.gauss(0, 1.2))))
        touchpoint = TOUCHPOINTS[i % 3]
        wait = round(rng.expovariate(1 / 10), 1)
        latent = (
            1.4 * base - 0.04 * wait - (0.8 if touchpoint == "returns" else 0) + rng.gauss(0, 0.7)
        )
        nps = max(0, min(10, round(7 + 1.5 * latent)))
        events.append({
            "event_id": f"s-{seed}-{i}", "channel": "web" if i % 2 else "pos",
            "occurred_at": (START + timedelta(minutes=37 * i)).isoformat(),
            "touchpoint": touchpoint, "nps": nps,
            "servqual": {"responsiveness": {"perception": responsiveness},
                         "reliability": {"perception": reliability}},
            "attributes": {"wait_minutes": wait, "store_code": f"s{i % 4}"},
            "tags": ["vip"] if i % 5 == 0 else [],
        })  # fmt: skip
    return events


@pytest.fixture
async def surveyed(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    await post_events(client, ingest_key, survey(900))


async def test_the_answer_ranks_the_drivers(
    client: httpx.AsyncClient, read_key: Headers, surveyed: None
) -> None:
    params: dict[str, str | int] = {
        **WINDOW,
        "drivers": "servqual:responsiveness,servqual:reliability,touchpoint,"
        "attribute:wait_minutes,attribute:store_code,tag:vip,channel",
        "replicates": 200,
    }
    response = await client.get("/v1/metrics/drivers", params=params, headers=read_key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert DriverReport.model_validate(body).model_dump(mode="json", by_alias=True) == body
    assert body["n"] == body["n_outcome"] == 900
    by_name = {d["driver"]: d for d in body["drivers"]}
    assert body["drivers"][0]["driver"] == "servqual:responsiveness"
    assert sum(d["importance"] for d in body["drivers"]) == pytest.approx(100)
    assert sum(d["contribution"] for d in body["drivers"]) == pytest.approx(body["r2"])
    wait = by_name["attribute:wait_minutes"]
    assert wait["kind"] == "numeric"
    assert wait["effect"]["value"] < 0
    assert wait["weak_side"] == "above"
    store = by_name["attribute:store_code"]
    assert store["kind"] == "categorical"
    assert len(store["levels"]) == 4
    touch = by_name["touchpoint"]
    assert touch["weak_levels"] == ["returns"]
    assert by_name["tag:vip"]["kind"] == "binary"
    for d in body["drivers"]:
        assert d["importance_ci_low"] <= d["importance_ci_high"]
        assert d["opportunity_ci_low"] <= d["opportunity"] + 1e-9 or d["opportunity"] == 0


async def test_too_few_answers_is_a_clear_problem(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    await post_events(client, ingest_key, survey(60))
    # Every driver below min_n (30 answers, or 30 in a level): nothing to model.
    few = await client.get(
        "/v1/metrics/drivers",
        params={**WINDOW, "drivers": "touchpoint,attribute:store_code"},
        headers=read_key,
    )
    assert few.status_code == 422, few.text
    assert few.headers["content-type"] == "application/problem+json"
    problem = few.json()
    assert problem["errors"][0]["type"] == "insufficient_data"
    assert "touchpoint" in problem["errors"][0]["message"]
    # Drivers kept (min_n 5), but 9 model columns need 90 respondents: 60 is too few.
    narrow = await client.get(
        "/v1/metrics/drivers",
        params={**WINDOW, "min_n": 5, "drivers": "servqual:responsiveness,servqual:reliability,"
                "touchpoint,attribute:store_code,attribute:wait_minutes,channel"},
        headers=read_key,
    )  # fmt: skip
    assert narrow.status_code == 422, narrow.text
    assert "needs at least 90" in narrow.json()["errors"][0]["message"]
