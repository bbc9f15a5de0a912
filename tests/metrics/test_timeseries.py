"""GET /v1/metrics/timeseries: local buckets (DST, odd offsets), empty buckets, groups, CSV."""

import csv
import io
from typing import Any

import httpx
import pytest

from app.metrics.schemas import Timeseries
from tests.conftest import Headers
from tests.metrics.test_summary import post_events


def rows_for(body: dict[str, Any], metric: str) -> list[dict[str, Any]]:
    return [r for r in body["rows"] if r["metric"] == metric]


async def series(client: httpx.AsyncClient, key: Headers, **params: str) -> dict[str, Any]:
    response = await client.get("/v1/metrics/timeseries", params=params, headers=key)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    # Serialized by hand (orjson, no per-row models): it must still be the documented shape.
    assert Timeseries.model_validate(body).model_dump(mode="json", by_alias=True) == body
    return body


async def test_days_follow_the_local_calendar_across_dst(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    # Vienna springs forward on 2026-03-29: that day has 23 hours.
    events = [
        {"event_id": "a", "channel": "web", "nps": 10, "occurred_at": "2026-03-28T23:30:00Z"},
        {"event_id": "b", "channel": "web", "nps": 0, "occurred_at": "2026-03-29T21:59:00Z"},
        {"event_id": "c", "channel": "web", "nps": 10, "occurred_at": "2026-03-29T22:00:00Z"},
    ]
    await post_events(client, ingest_key, events)
    body = await series(
        client, read_key, interval="day", tz="Europe/Vienna", metrics="nps",
        **{"from": "2026-03-28", "to": "2026-04-01"},
    )  # fmt: skip
    nps = rows_for(body, "nps")
    assert [r["bucket_start"] for r in nps] == [
        "2026-03-28T00:00:00+01:00",
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
        "2026-03-31T00:00:00+02:00",
    ]
    assert [r["n"] for r in nps] == [0, 2, 1, 0]
    assert [r["value"] for r in nps] == [None, 0.0, 100.0, None]
    assert nps[0]["low_sample"] is True


async def test_the_repeated_hour_of_a_dst_fall_back_is_two_buckets(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    # Vienna falls back on 2026-10-25: local 02:00-03:00 happens twice.
    events = [
        {"event_id": "first", "channel": "web", "csat": 5, "occurred_at": "2026-10-25T00:30:00Z"},
        {"event_id": "second", "channel": "web", "csat": 1, "occurred_at": "2026-10-25T01:30:00Z"},
    ]
    await post_events(client, ingest_key, events)
    body = await series(
        client, read_key, interval="hour", tz="Europe/Vienna", metrics="volume",
        **{"from": "2026-10-25", "to": "2026-10-26"},
    )  # fmt: skip
    volume = rows_for(body, "volume")
    assert len(volume) == 25
    filled = [(r["bucket_start"], r["n"]) for r in volume if r["n"]]
    assert filled == [("2026-10-25T02:00:00+02:00", 1), ("2026-10-25T02:00:00+01:00", 1)]


@pytest.mark.parametrize(
    ("zone", "first_bucket", "event_bucket"),
    [
        ("Asia/Kathmandu", "2026-01-05T00:00:00+05:45", "2026-01-05T06:00:00+05:45"),
        ("Asia/Kolkata", "2026-01-05T00:00:00+05:30", "2026-01-05T06:00:00+05:30"),
    ],
)
async def test_hours_in_quarter_and_half_hour_zones_are_exact(
    client: httpx.AsyncClient,
    ingest_key: Headers,
    read_key: Headers,
    zone: str,
    first_bucket: str,
    event_bucket: str,
) -> None:
    # 00:30Z is 06:15 in Kathmandu and 06:00 in Kolkata: both in their local 06:00 hour.
    await post_events(
        client, ingest_key,
        [{"event_id": "k", "channel": "web", "ces": 6, "occurred_at": "2026-01-05T00:30:00Z"}],
    )  # fmt: skip
    body = await series(
        client, read_key, interval="hour", tz=zone, metrics="volume",
        **{"from": "2026-01-05", "to": "2026-01-06"},
    )  # fmt: skip
    volume = rows_for(body, "volume")
    assert len(volume) == 24
    assert volume[0]["bucket_start"] == first_bucket
    assert [r["bucket_start"] for r in volume if r["n"]] == [event_bucket]


async def test_weeks_start_on_monday_and_label_the_bucket_that_from_falls_in(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    await post_events(
        client, ingest_key,
        [{"event_id": "w", "channel": "web", "nps": 9, "occurred_at": "2026-01-08T12:00:00Z"}],
    )  # fmt: skip
    body = await series(
        client, read_key, interval="week", metrics="nps",
        **{"from": "2026-01-07", "to": "2026-01-20"},
    )  # fmt: skip
    nps = rows_for(body, "nps")
    # 2026-01-05 and 2026-01-12 and 2026-01-19 are Mondays.
    assert [r["bucket_start"] for r in nps] == [
        "2026-01-05T00:00:00+00:00",
        "2026-01-12T00:00:00+00:00",
        "2026-01-19T00:00:00+00:00",
    ]
    assert [r["n"] for r in nps] == [1, 0, 0]


async def test_every_group_gets_every_bucket_and_csv_is_tidy(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": "1", "channel": "pos", "nps": 10, "occurred_at": "2026-01-01T10:00:00Z"},
        {"event_id": "2", "channel": "web", "nps": 0, "occurred_at": "2026-01-02T10:00:00Z"},
    ]
    await post_events(client, ingest_key, events)
    params = {"interval": "day", "group_by": "channel", "metrics": "nps",
              "from": "2026-01-01", "to": "2026-01-03"}  # fmt: skip
    body = await series(client, read_key, **params)
    cells = {(r["bucket_start"][:10], r["group"]): r["n"] for r in body["rows"]}
    assert cells == {
        ("2026-01-01", "pos"): 1, ("2026-01-01", "web"): 0,
        ("2026-01-02", "pos"): 0, ("2026-01-02", "web"): 1,
    }  # fmt: skip
    as_csv = await client.get(
        "/v1/metrics/timeseries", params={**params, "format": "csv"}, headers=read_key
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert list(table[0]) == [
        "bucket_start", "group", "metric", "value", "n", "ci_low", "ci_high", "low_sample",
    ]  # fmt: skip
    assert len(table) == 4
    assert table[0]["value"] == "100.0"
    assert table[1]["value"] == ""  # null
    by_accept = await client.get(
        "/v1/metrics/timeseries", params=params, headers={**read_key, "Accept": "text/csv"}
    )
    assert by_accept.text == as_csv.text


async def test_group_by_tag_counts_an_event_in_each_of_its_tags(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": "1", "channel": "pos", "csat": 5, "tags": ["staff", "speed"],
         "occurred_at": "2026-01-01T10:00:00Z"},
        {"event_id": "2", "channel": "pos", "csat": 1, "occurred_at": "2026-01-01T10:00:00Z"},
    ]  # fmt: skip
    await post_events(client, ingest_key, events)
    body = await series(
        client, read_key, interval="month", group_by="tag", metrics="csat",
        **{"from": "2026-01-01", "to": "2026-02-01"},
    )  # fmt: skip
    csat = {r["group"]: r["n"] for r in rows_for(body, "csat")}
    assert csat == {"speed": 1, "staff": 1}


async def test_grouping_by_employee_hides_small_groups(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": f"{who}{i}", "channel": "pos", "nps": 10, "employee_id": who,
         "occurred_at": "2026-01-01T10:00:00Z"}
        for who, count in (("anna", 5), ("bela", 2)) for i in range(count)
    ]  # fmt: skip
    await post_events(client, ingest_key, events)
    body = await series(
        client, read_key, interval="month", group_by="employee_id", metrics="nps",
        **{"from": "2026-01-01", "to": "2026-02-01"},
    )  # fmt: skip
    values = {r["group"]: (r["n"], r["value"]) for r in rows_for(body, "nps")}
    assert values == {"anna": (5, 100.0), "bela": (2, None)}


@pytest.mark.parametrize(
    "params",
    [{"interval": "fortnight"}, {"group_by": "colour"}, {"format": "xml"}],
)
async def test_bad_interval_or_group_is_422(
    client: httpx.AsyncClient, read_key: Headers, params: dict[str, str]
) -> None:
    response = await client.get("/v1/metrics/timeseries", params=params, headers=read_key)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
