"""GET /v1/metrics/drivers over HTTP: the answer's shape, what it drops and refuses."""

import csv
import io
import itertools
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import numpy as np
import pytest

from app.drivers import service
from app.drivers.schemas import DriverReport
from tests.conftest import Headers
from tests.metrics.test_summary import post_events

START = datetime(2026, 3, 1, tzinfo=UTC)
WINDOW = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
TOUCHPOINTS = ("checkout", "returns", "delivery")
Vector = np.ndarray[Any, np.dtype[np.float64]]


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


def nps_value(score: int) -> float:
    return 100.0 if score >= 9 else 0.0 if score >= 7 else -100.0


def reference_shapley(y: Vector, players: dict[str, Vector]) -> tuple[float, dict[str, float]]:
    """R² and each player's Shapley value by brute force: lstsq on the raw rows for every
    subset, every order of the players."""
    names = list(players)

    def r2(subset: tuple[str, ...]) -> float:
        x = np.column_stack([np.ones(len(y)), *(players[p] for p in subset)])
        fitted = x @ np.linalg.lstsq(x, y, rcond=None)[0]
        return float(1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum())

    cache = {frozenset(s): r2(s) for k in range(len(names) + 1)
             for s in itertools.combinations(names, k)}  # fmt: skip
    values = dict.fromkeys(names, 0.0)
    orders = list(itertools.permutations(names))
    for order in orders:
        before: frozenset[str] = frozenset()
        for name in order:
            values[name] += cache[before | {name}] - cache[before]
            before = before | {name}
    return cache[frozenset(names)], {n: v / len(orders) for n, v in values.items()}


def dummies(values: list[Any]) -> Vector:
    """One column per level but the most frequent (ties: any, the span is the same)."""
    levels = sorted(set(values), key=lambda v: (-values.count(v), str(v)))
    return np.column_stack([[1.0 if v == level else 0.0 for v in values] for level in levels[1:]])


async def test_the_figures_equal_a_plain_reference(
    client: httpx.AsyncClient, read_key: Headers, surveyed: None
) -> None:
    """Point estimates from the database path (COPY, hashes, levels, complete cases)
    equal least squares and brute-force Shapley values on the events as posted."""
    await check_against_reference(client, read_key)


async def test_the_parallel_read_gives_the_same_figures(
    live_client: httpx.AsyncClient, live_key: Callable[..., Awaitable[Headers]]
) -> None:
    """Outside a caller's transaction the answers are read by two statements at once on
    two connections sharing one snapshot: the same figures."""
    await post_events(live_client, await live_key("ingest"), survey(900))
    await check_against_reference(live_client, await live_key("read"))


async def check_against_reference(client: httpx.AsyncClient, read_key: Headers) -> None:
    events = survey(900)
    # A selection: two of the three touchpoints, so the filters must apply.
    chosen = [e for e in events if e["touchpoint"] != "delivery"]
    params: dict[str, str | int] = {
        **WINDOW, "touchpoint": "checkout,returns", "replicates": 100,
        "drivers": "servqual:responsiveness,touchpoint,attribute:wait_minutes,"
                   "attribute:store_code,tag:vip",
    }  # fmt: skip
    response = await client.get("/v1/metrics/drivers", params=params, headers=read_key)
    assert response.status_code == 200, response.text
    body = response.json()
    y = np.array([nps_value(e["nps"]) for e in chosen])
    players = {
        "servqual:responsiveness": np.array(
            [e["servqual"]["responsiveness"]["perception"] for e in chosen], dtype=float
        ),
        "touchpoint": dummies([e["touchpoint"] for e in chosen]),
        "attribute:wait_minutes": np.array(
            [e["attributes"]["wait_minutes"] for e in chosen], dtype=float
        ),
        "attribute:store_code": dummies([e["attributes"]["store_code"] for e in chosen]),
        "tag:vip": np.array([1.0 if "vip" in e["tags"] else 0.0 for e in chosen]),
    }
    r2, shapley = reference_shapley(y, players)
    assert body["n"] == body["n_outcome"] == len(chosen)
    assert body["outcome_value"] == pytest.approx(y.mean())
    assert body["r2"] == pytest.approx(r2, abs=1e-9)
    got = {d["driver"]: d for d in body["drivers"]}
    for name, value in shapley.items():
        assert got[name]["contribution"] == pytest.approx(value, abs=1e-9), name
        assert got[name]["importance"] == pytest.approx(100 * value / r2, abs=1e-6), name
    # The slope of the wait and the store levels' effects: least squares with all.
    x = np.column_stack([np.ones(len(y)), *players.values()])
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    wait_slope = beta[3]  # columns: 1, responsiveness, returns, wait, stores s1-s3, vip
    assert got["attribute:wait_minutes"]["effect"]["value"] == pytest.approx(wait_slope, abs=1e-9)
    levels = {level["level"]: level for level in got["attribute:store_code"]["levels"]}
    assert set(levels) == {"s0", "s1", "s2", "s3"}
    for level in levels.values():
        members = [nps_value(e["nps"]) for e in chosen
                   if e["attributes"]["store_code"] == level["level"]]  # fmt: skip
        assert level["n"] == len(members)
        assert level["outcome"] == pytest.approx(float(np.mean(members)))
    # Performance of a numeric driver, exact: the mean and the top box (6-7).
    answers = players["servqual:responsiveness"]
    perf = got["servqual:responsiveness"]
    assert perf["mean"] == pytest.approx(answers.mean())
    assert perf["top_box"] == pytest.approx(100 * (answers >= 6).mean())
    assert perf["median"] == pytest.approx(float(np.median(answers)))
    # Opportunity of the wait (slope < 0: those above the median, brought down to it).
    median = float(np.median(players["attribute:wait_minutes"]))
    expected = -wait_slope * np.maximum(players["attribute:wait_minutes"] - median, 0).mean()
    assert got["attribute:wait_minutes"]["opportunity"] == pytest.approx(expected, abs=1e-9)


async def test_missing_answers_levels_and_drops(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    """Complete cases for numeric drivers; no value is a level; rare levels are one;
    an attribute with a non-number among its values is categorical; a driver with too
    few answers is dropped with its reason."""
    events = survey(400, seed=3)
    for i, e in enumerate(events):
        if i % 10 == 0:  # 40 without responsiveness: not in the model
            del e["servqual"]["responsiveness"]
        if i % 4:  # 100 without a segment: the level "no value"
            e["respondent"] = {"segment": "gold" if i % 4 == 1 else "silver"}
        if i % 40 == 1:  # 10 rare touchpoints: together with nothing else, "(other)"
            e["touchpoint"] = f"rare-{i}"
        e["attributes"]["mixed"] = 5 if i % 2 else "five"  # one non-number: categorical
        if i < 20:  # 20 answers: fewer than min_n
            e["servqual"]["empathy"] = {"perception": 1 + i % 7}
    await post_events(client, ingest_key, events)
    response = await client.get(
        "/v1/metrics/drivers",
        params={**WINDOW, "replicates": 100,
                "drivers": "servqual:responsiveness,segment,touchpoint,attribute:mixed,"
                           "servqual:empathy,tag:nobody"},
        headers=read_key,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["n_outcome"] == 400
    assert body["n"] == 360
    got = {d["driver"]: d for d in body["drivers"]}
    assert {level["level"] for level in got["segment"]["levels"]} == {None, "gold", "silver"}
    touch = {level["level"]: level["n"] for level in got["touchpoint"]["levels"]}
    assert "(other)" in touch
    assert sum(touch.values()) == 360
    assert got["attribute:mixed"]["kind"] == "categorical"
    assert {level["level"] for level in got["attribute:mixed"]["levels"]} == {"5", "five"}
    dropped = {d["driver"]: d for d in body["dropped"]}
    assert dropped["servqual:empathy"] == {
        "driver": "servqual:empathy", "reason": "fewer than min_n answers", "n": 20,
    }  # fmt: skip
    assert dropped["tag:nobody"]["reason"] == "no variation: every answer the same"


async def test_csv_and_bad_requests(
    client: httpx.AsyncClient, read_key: Headers, surveyed: None
) -> None:
    csv_answer = await client.get(
        "/v1/metrics/drivers",
        params={**WINDOW, "format": "csv", "replicates": 100,
                "drivers": "servqual:responsiveness,touchpoint"},
        headers=read_key,
    )  # fmt: skip
    assert csv_answer.status_code == 200, csv_answer.text
    assert csv_answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_answer.text)))
    assert [r["driver"] for r in rows] == ["servqual:responsiveness", "touchpoint"]
    assert float(rows[0]["importance"]) > float(rows[1]["importance"])
    assert rows[1]["effect"] == ""  # a categorical driver's effects are per level (JSON)
    for drivers, message in (
        ("servqual:speed", "Unknown driver"),
        ("comment", "Unknown driver"),
        (",".join(f"tag:t{i}" for i in range(16)), "At most 15"),
    ):
        bad = await client.get(
            "/v1/metrics/drivers", params={**WINDOW, "drivers": drivers}, headers=read_key
        )
        assert bad.status_code == 422, bad.text
        assert message in bad.json()["errors"][0]["message"]
    for name, value in (("outcome", "servqual"), ("replicates", "5")):
        bad = await client.get(
            "/v1/metrics/drivers", params={**WINDOW, name: value}, headers=read_key
        )
        assert bad.status_code == 422, bad.text


async def test_too_many_respondents_is_refused_before_reading(
    client: httpx.AsyncClient, read_key: Headers, surveyed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read is bounded (memory): past the bound, a 422 that says to narrow."""
    monkeypatch.setattr(service, "MAX_RESPONDENTS", 899)
    response = await client.get(
        "/v1/metrics/drivers", params={**WINDOW, "drivers": "touchpoint"}, headers=read_key
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["type"] == "too_many_respondents"
    monkeypatch.setattr(service, "MAX_RESPONDENTS", 900)
    response = await client.get(
        "/v1/metrics/drivers", params={**WINDOW, "drivers": "touchpoint"}, headers=read_key
    )
    assert response.status_code == 200, response.text
