"""Breakdown (fair ranking with shrunk scores) and consistency (spread and flags)."""

import csv
import io
from typing import Any

import httpx
import pytest

from app.alerts.rules import METRIC_SCALES
from app.metrics.schemas import Breakdown
from app.metrics.service import ALERT_MIN_CHANGE, _by_name, sort_rows
from tests.conftest import Headers
from tests.metrics.test_summary import WINDOW, at, post_events


def answers(location: str, scores: list[int]) -> list[dict[str, Any]]:
    return [
        {"event_id": f"{location}-{i}", "channel": "pos", "location_id": location, "nps": s,
         "occurred_at": at(10)}
        for i, s in enumerate(scores)
    ]  # fmt: skip


@pytest.fixture
async def chain(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    """Branch A delights (40 promoters), B disappoints (40 detractors), C is small and mixed."""
    await post_events(
        client,
        ingest_key,
        answers("a", [10] * 40) + answers("b", [0] * 40) + answers("c", [10] * 5 + [0] * 5),
    )


async def test_breakdown_ranks_by_shrunk_score(
    client: httpx.AsyncClient, read_key: Headers, chain: None
) -> None:
    params = {**WINDOW, "group_by": "location_id", "metric": "nps"}
    response = await client.get("/v1/metrics/breakdown", params=params, headers=read_key)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    # Served as plain dicts: they must be exactly what the documented schema gives.
    assert Breakdown.model_validate(body).model_dump(mode="json", by_alias=True) == body
    assert body["pooled"]["value"] == 0
    assert body["pooled"]["n"] == 90
    rows = {r["group"]: r for r in body["rows"]}
    # shrunk = (n·v + k·pooled) / (n + k), k = min_n = 30, pooled = 0
    assert rows["a"]["shrunk"] == pytest.approx(40 * 100 / 70)
    assert rows["b"]["shrunk"] == pytest.approx(-40 * 100 / 70)
    assert rows["c"]["shrunk"] == pytest.approx(0)
    assert [r["group"] for r in body["rows"]] == ["a", "c", "b"]
    ascending = await client.get(
        "/v1/metrics/breakdown", params={**params, "order": "asc", "sort": "n"}, headers=read_key
    )
    assert [r["group"] for r in ascending.json()["rows"]] == ["c", "a", "b"]


async def test_breakdown_as_csv(client: httpx.AsyncClient, read_key: Headers, chain: None) -> None:
    params = {**WINDOW, "group_by": "location_id", "format": "csv"}
    response = await client.get("/v1/metrics/breakdown", params=params, headers=read_key)
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["group"] for row in table] == ["a", "c", "b"]
    assert table[0]["flag"] == "above"
    assert table[1]["flag"] == ""  # too small to be flagged


async def test_consistency_spreads_only_big_groups_and_flags_outliers(
    client: httpx.AsyncClient, read_key: Headers, chain: None
) -> None:
    response = await client.get(
        "/v1/metrics/consistency", params={**WINDOW, "metric": "nps"}, headers=read_key
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["spread"] == {
        "groups_used": 2, "mean": 0.0, "stdev": 100.0, "min": -100.0, "max": 100.0,
        "range": 200.0,
    }  # fmt: skip
    assert (body["below"], body["above"]) == (["b"], ["a"])
    assert body["min_n"] == 30
    smaller = await client.get(
        "/v1/metrics/consistency", params={**WINDOW, "min_n": "5"}, headers=read_key
    )
    assert smaller.json()["spread"]["groups_used"] == 3


async def test_consistency_says_how_large_each_difference_is_against_the_minimum_change(
    client: httpx.AsyncClient, read_key: Headers, admin_key: Headers, chain: None
) -> None:
    async def consistency(**params: str) -> dict[str, Any]:
        response = await client.get(
            "/v1/metrics/consistency", params={**WINDOW, **params}, headers=read_key
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    # Pooled NPS 0: a is 100 above, b 100 below, c (too small to be flagged) level with it.
    body = await consistency()
    assert body["min_change"] == 10  # the alerts' default for NPS
    rows = {r["group"]: (r["difference"], r["practical"], r["flag"]) for r in body["rows"]}
    assert rows == {"a": (100, True, "above"), "b": (-100, True, "below"), "c": (0, False, None)}
    assert (body["practical_below"], body["practical_above"]) == (["b"], ["a"])
    # Significant but smaller than the minimum: still flagged, no longer practical.
    small = await consistency(min_change="100.5")
    assert (small["below"], small["above"]) == (["b"], ["a"])
    assert (small["practical_below"], small["practical_above"]) == ([], [])
    assert {r["practical"] for r in small["rows"]} == {False}
    assert (await consistency(min_change="100"))["practical_below"] == ["b"]  # |Δ| ≥ min
    table = await client.get(
        "/v1/metrics/consistency", params={**WINDOW, "format": "csv"}, headers=read_key
    )
    assert [
        (r["group"], r["difference"], r["practical"])
        for r in csv.DictReader(io.StringIO(table.text))
    ] == [("a", "100.0", "true"), ("c", "0.0", "false"), ("b", "-100.0", "true")]
    # The alert rules' minimum change, as an admin set it, is the default.
    rules = {"metrics": {"nps": {"min_change": 150}, "csat": {"enabled": False}}}
    put = await client.put("/v1/alert-rules", json=rules, headers=admin_key)
    assert put.status_code == 200, put.text
    tuned = await consistency()
    assert (tuned["min_change"], tuned["practical_below"]) == (150, [])
    assert (await consistency(metric="csat"))["min_change"] == 5  # its default, though off
    assert (await consistency(metric="ces"))["min_change"] == 0.25
    # A metric the alerts do not watch has no minimum unless the request gives one.
    mean = await consistency(metric="csat_mean")
    assert (mean["min_change"], mean["practical_below"], mean["practical_above"]) == (
        None, None, None,
    )  # fmt: skip
    assert {r["practical"] for r in mean["rows"]} == {None}
    assert (await consistency(metric="csat_mean", min_change="1"))["min_change"] == 1


def test_the_minimum_change_is_the_alerts() -> None:
    """app.metrics cannot import app.alerts (the alerts compose the metrics): one copy."""
    assert {m: METRIC_SCALES[m][0] for m in ALERT_MIN_CHANGE} == ALERT_MIN_CHANGE


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/metrics/breakdown", {}),
        ("/v1/metrics/breakdown", {"group_by": "location_id", "metric": "happiness"}),
        ("/v1/metrics/breakdown", {"group_by": "location_id", "sort": "colour"}),
        ("/v1/metrics/consistency", {"group_by": "planet"}),
        ("/v1/metrics/consistency", {"min_change": "0"}),
        ("/v1/metrics/consistency", {"min_change": "nan"}),
        ("/v1/metrics/consistency", {"min_change": "inf"}),
    ],
)
async def test_bad_group_requests_are_422(
    client: httpx.AsyncClient, read_key: Headers, path: str, params: dict[str, str]
) -> None:
    response = await client.get(path, params=params, headers=read_key)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_tag_breakdown_pools_over_events_not_over_tags(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": "1", "channel": "web", "nps": 10, "tags": ["a", "b"], "occurred_at": at(9)},
        {"event_id": "2", "channel": "web", "nps": 0, "occurred_at": at(9)},
    ]
    await post_events(client, ingest_key, events)
    params = {**WINDOW, "group_by": "tag"}
    body = (await client.get("/v1/metrics/breakdown", params=params, headers=read_key)).json()
    assert (body["pooled"]["n"], body["pooled"]["value"]) == (2, 0.0)
    assert {r["group"]: r["n"] for r in body["rows"]} == {"a": 1, "b": 1}
    by_channel = {**WINDOW, "group_by": "channel"}
    pooled = (await client.get("/v1/metrics/breakdown", params=by_channel, headers=read_key)).json()
    assert (pooled["pooled"]["n"], pooled["pooled"]["value"]) == (2, 0.0)


@pytest.mark.parametrize(
    ("path", "params", "check"),
    [
        ("/v1/metrics/breakdown", {"group_by": "channel", "metric": "csat_mean"},
         lambda b: b["rows"][0]["value"] == 4.0),
        ("/v1/metrics/servqual", {}, lambda b: b["servqual"]["dimensions"][4]["gap"] == -2.0),
        ("/v1/metrics/service-profit-chain", {},
         lambda b: b["branches"][0]["customer_nps"] == 100.0),
    ],
)  # fmt: skip
async def test_endpoints_compute_what_they_need_whatever_metrics_says(
    client: httpx.AsyncClient,
    ingest_key: Headers,
    read_key: Headers,
    path: str,
    params: dict[str, str],
    check: Any,
) -> None:
    await post_events(
        client, ingest_key,
        [{"event_id": "m", "channel": "web", "location_id": "x", "nps": 10, "csat": 4,
          "servqual": {"empathy": {"perception": 5, "expectation": 7}}, "occurred_at": at(9)}],
    )  # fmt: skip
    response = await client.get(
        path, params={**WINDOW, **params, "metrics": "volume"}, headers=read_key
    )
    assert response.status_code == 200, response.text
    assert check(response.json())


async def test_csv_cells_that_look_like_formulas_are_defused(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    """A spreadsheet must not run a group name a client chose; numbers stay numbers."""
    await post_events(client, ingest_key, answers('=HYPERLINK("http://x")', [0, 0, 10]))
    params = {**WINDOW, "group_by": "location_id", "format": "csv"}
    response = await client.get("/v1/metrics/breakdown", params=params, headers=read_key)
    (row,) = csv.DictReader(io.StringIO(response.text))
    assert row["group"] == '\'=HYPERLINK("http://x")'
    assert row["value"].startswith("-33.3")  # negative numbers are not text: untouched


def test_rows_that_tie_come_in_group_order_whatever_order_the_database_gave() -> None:
    """Rollups and raw rows return groups in different orders; the answer must not."""
    rows = [
        {"group": name, "value": value, "shrunk": value, "n": 3}
        for name, value in (
            ("l2", -100.0),
            (None, -100.0),
            ("l1", -100.0),
            ("l3", 50.0),
            ("l0", None),
        )
    ]
    for order in ("asc", "desc"):
        for sort in ("shrunk", "value", "n"):
            answers = {
                tuple(r["group"] for r in sort_rows(list(shuffled), sort, order))
                for shuffled in (rows, rows[::-1], rows[2:] + rows[:2])
            }
            assert len(answers) == 1, (sort, order, answers)
    assert [r["group"] for r in sort_rows(rows, "value", "desc")] == ["l3", "l1", "l2", None, "l0"]
    assert [r["group"] for r in sort_rows(rows, "value", "asc")] == ["l1", "l2", None, "l3", "l0"]


def test_groups_sorted_by_name_as_by_their_key_and_by_another_order() -> None:
    """The groups compared directly (no key given, or the name key) order rows as the
    name key does through the general path; another key (an attribute's bins) is kept."""
    rows = [
        {"group": name, "value": value, "shrunk": value, "n": n}
        for name, value, n in (
            ("b", 10.0, 3), (None, 10.0, 3), ("a", 10.0, 5), ("c", None, 1), ("a2", -5.0, 5),
        )
    ]  # fmt: skip
    as_key = lambda group: _by_name(group)  # noqa: E731 - not `_by_name`: the general path
    bins = {"c": 0, "b": 1, "a2": 2, "a": 3}
    by_bins = lambda g: (1, 0) if g is None else (0, bins[g])  # noqa: E731
    for order in ("asc", "desc"):
        for sort in ("shrunk", "value", "n", "group"):
            expected = [r["group"] for r in sort_rows(rows, sort, order, as_key)]
            for names in (None, _by_name):
                assert [r["group"] for r in sort_rows(rows[::-1], sort, order, names)] == expected
    assert [r["group"] for r in sort_rows(rows, "group", "asc", by_bins)] == [
        "c", "b", "a2", "a", None
    ]  # fmt: skip
    assert [r["group"] for r in sort_rows(rows, "value", "desc")] == ["a", "b", None, "a2", "c"]
