"""SERVQUAL per dimension, and the service-profit chain across branches."""

import csv
import io
from typing import Any

import httpx
import pytest

from app import stats
from tests.conftest import Headers
from tests.metrics.test_summary import WINDOW, at, post_events


async def test_servqual_gaps_use_only_events_with_both_answers(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": "1", "channel": "web", "occurred_at": at(3),
         "servqual": {"empathy": {"perception": 4, "expectation": 7},
                      "tangibles": {"perception": 6, "expectation": 5}}},
        {"event_id": "2", "channel": "web", "occurred_at": at(3),
         "servqual": {"empathy": {"perception": 6, "expectation": 6}}},
        {"event_id": "3", "channel": "web", "occurred_at": at(3),
         "servqual": {"empathy": {"perception": 2}}},
    ]  # fmt: skip
    await post_events(client, ingest_key, events)
    body = (await client.get("/v1/metrics/servqual", params=WINDOW, headers=read_key)).json()
    dims = {d["dimension"]: d for d in body["servqual"]["dimensions"]}
    empathy = dims["empathy"]
    assert (empathy["n"], empathy["gap"]) == (2, -1.5)
    assert (empathy["n_perception"], empathy["perception"]) == (3, 4.0)
    assert (empathy["n_expectation"], empathy["expectation"]) == (2, 6.5)
    assert dims["tangibles"]["gap"] == 1.0
    assert dims["reliability"]["n"] == 0
    assert body["servqual"]["value"] == pytest.approx((-1.5 + 1.0) / 2)
    assert body["servqual"]["dimensions_used"] == ["tangibles", "empathy"]
    as_csv = await client.get(
        "/v1/metrics/servqual", params={**WINDOW, "format": "csv"}, headers=read_key
    )
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["dimension"] for row in table] == [
        "reliability", "responsiveness", "assurance", "tangibles", "empathy",
    ]  # fmt: skip


def branch(location: str, kind: str, scores: list[int]) -> list[dict[str, Any]]:
    return [
        {"event_id": f"{location}-{kind}-{i}", "channel": "in_person", "location_id": location,
         "respondent": {"type": kind}, "nps": s, "occurred_at": at(7)}
        for i, s in enumerate(scores)
    ]  # fmt: skip


async def test_service_profit_chain_correlates_customers_and_staff(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    # Four branches where staff and customer NPS rise together, one too small to use.
    mixes = {"a": (2, 8), "b": (4, 6), "c": (6, 4), "d": (9, 1)}  # promoters, detractors per 10
    events: list[dict[str, Any]] = []
    for location, (promoters, detractors) in mixes.items():
        scores = [10] * promoters + [0] * detractors
        events += branch(location, "customer", scores * 3)  # n = 30
        events += branch(location, "employee", scores[::-1] * 3 + [10])  # n = 31
    events += branch("tiny", "customer", [10, 0]) + branch("tiny", "employee", [0])
    await post_events(client, ingest_key, events)
    body = (
        await client.get("/v1/metrics/service-profit-chain", params=WINDOW, headers=read_key)
    ).json()
    branches = {b["location_id"]: b for b in body["branches"]}
    assert branches["tiny"]["used"] is False
    assert body["branches_used"] == 4
    customer = [stats.nps(stats.histogram(([10] * p + [0] * d) * 3, stats.NPS_SCALE)).value
                for p, d in mixes.values()]  # fmt: skip
    employee = [branches[name]["employee_nps"] for name in mixes]
    assert [branches[name]["customer_nps"] for name in mixes] == customer
    assert body["pearson"] == pytest.approx(stats.pearson(customer, employee))  # type: ignore[arg-type]
    assert body["spearman"] == pytest.approx(1.0)
