"""GET /v1/metrics/summary: exact figures over the filtered events, and clear 422s."""

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import stats
from tests.conftest import Headers, MakeKey, RollUp
from tests.helpers import examples

WINDOW = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}


async def post_events(
    client: httpx.AsyncClient, key: Headers, events: list[dict[str, Any]]
) -> None:
    for start in range(0, len(events), 1000):
        response = await client.post(
            "/v1/feedback/batch", json={"events": events[start : start + 1000]}, headers=key
        )
        assert response.status_code == 200, response.text
        assert response.json()["rejected"] == 0, response.text


def at(day: int, hour: int = 12) -> str:
    return datetime(2026, 1, day, hour, tzinfo=UTC).isoformat()


async def test_worked_example_of_metrics_md(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    answers = [10, 9, 9, 8, 7, 6, 5, 3, 10, 0]
    await post_events(
        client,
        ingest_key,
        [{"event_id": f"w{i}", "channel": "web", "nps": a, "occurred_at": at(5)}
         for i, a in enumerate(answers)],
    )  # fmt: skip
    body = (await client.get("/v1/metrics/summary", params=WINDOW, headers=read_key)).json()
    nps = body["metrics"]["nps"]
    assert nps["n"] == 10
    assert nps["value"] == 0
    assert nps["counts"] == {"promoters": 4, "passives": 2, "detractors": 4}
    assert (round(nps["ci_low"], 1), round(nps["ci_high"], 1)) == (-46.5, 46.5)
    assert nps["low_sample"] is True
    assert "adjusted Wald" in nps["definition"]["interval"]
    assert body["metrics"]["volume"] == {"n": 10}
    assert body["metrics"]["csat"]["n"] == 0
    assert body["metrics"]["csat"]["value"] is None


async def test_window_is_half_open_and_dates_are_local_midnight(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": "before", "channel": "web", "nps": 1, "occurred_at": "2026-01-09T22:59:59Z"},
        {"event_id": "first", "channel": "web", "nps": 2, "occurred_at": "2026-01-09T23:00:00Z"},
        {"event_id": "last", "channel": "web", "nps": 3, "occurred_at": "2026-01-10T22:59:59Z"},
        {"event_id": "after", "channel": "web", "nps": 4, "occurred_at": "2026-01-10T23:00:00Z"},
    ]
    await post_events(client, ingest_key, events)
    # 2026-01-10 in Vienna (UTC+1) is [09T23:00Z, 10T23:00Z).
    params = {"from": "2026-01-10", "to": "2026-01-11", "tz": "Europe/Vienna"}
    body = (await client.get("/v1/metrics/summary", params=params, headers=read_key)).json()
    assert body["metrics"]["volume"]["n"] == 2
    assert body["from"] == "2026-01-09T23:00:00Z"


async def test_only_customers_count_unless_asked(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    events = [
        {"event_id": "c", "channel": "web", "nps": 10, "occurred_at": at(3)},
        {"event_id": "e", "channel": "web", "nps": 0, "occurred_at": at(3),
         "respondent": {"type": "employee"}},
        {"event_id": "i", "channel": "web", "nps": 0, "occurred_at": at(3),
         "respondent": {"type": "internal"}},
    ]  # fmt: skip
    await post_events(client, ingest_key, events)
    default = (await client.get("/v1/metrics/summary", params=WINDOW, headers=read_key)).json()
    assert default["metrics"]["nps"]["value"] == 100
    assert default["filters"]["respondent_type"] == ["customer"]
    staff = (
        await client.get(
            "/v1/metrics/summary",
            params={**WINDOW, "respondent_type": "employee,internal"},
            headers=read_key,
        )
    ).json()
    assert (staff["metrics"]["nps"]["n"], staff["metrics"]["nps"]["value"]) == (2, -100)


async def test_region_filter_uses_the_registry(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, admin_key: Headers
) -> None:
    await client.put("/v1/locations/vie", json={"name": "Wien", "region": "at"}, headers=admin_key)
    await client.put("/v1/locations/bud", json={"name": "Bp", "region": "hu"}, headers=admin_key)
    events = [
        {"event_id": "1", "channel": "pos", "csat": 5, "location_id": "vie", "occurred_at": at(2)},
        {"event_id": "2", "channel": "pos", "csat": 1, "location_id": "bud", "occurred_at": at(2)},
        {"event_id": "3", "channel": "pos", "csat": 1, "location_id": "new", "occurred_at": at(2)},
    ]
    await post_events(client, ingest_key, events)
    params = {**WINDOW, "region": "at"}
    body = (await client.get("/v1/metrics/summary", params=params, headers=read_key)).json()
    assert (body["metrics"]["csat"]["n"], body["metrics"]["csat"]["value"]) == (1, 100)
    everyone = (await client.get("/v1/metrics/summary", params=WINDOW, headers=read_key)).json()
    assert everyone["metrics"]["csat"]["n"] == 3  # unregistered locations still count


async def test_per_employee_figures_are_hidden_below_employee_min_n(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, app: FastAPI
) -> None:
    """The floor is the service's (FEEDBACK_EMPLOYEE_MIN_N, 5): a request may raise it,
    never lower it (lowering it to 1 read a single customer's rating of one employee)."""
    events = [
        {"event_id": f"e{i}", "channel": "pos", "nps": 3, "employee_id": "anna",
         "occurred_at": at(4)}
        for i in range(4)
    ]  # fmt: skip
    await post_events(client, ingest_key, events)
    params = {**WINDOW, "employee_id": "anna"}
    hidden = (await client.get("/v1/metrics/summary", params=params, headers=read_key)).json()
    assert hidden["metrics"]["nps"]["n"] == 4
    assert hidden["metrics"]["nps"]["value"] is None
    assert hidden["metrics"]["nps"]["counts"] is None
    for lower in ("4", "1"):
        refused = await client.get(
            "/v1/metrics/summary", params={**params, "employee_min_n": lower}, headers=read_key
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["loc"] == ["query", "employee_min_n"]
        assert "never lowered" in refused.json()["errors"][0]["message"]
    app.state.settings = app.state.settings.model_copy(update={"employee_min_n": 4})
    shown = (await client.get("/v1/metrics/summary", params=params, headers=read_key)).json()
    assert shown["metrics"]["nps"]["value"] == -100
    raised = {**params, "employee_min_n": "5"}
    again = (await client.get("/v1/metrics/summary", params=raised, headers=read_key)).json()
    assert again["metrics"]["nps"]["value"] is None


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"from": "2026-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "2026-01-01T00:00:00", "to": "2026-02-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"tz": "localtime"}, "tz"),
        ({"metrics": "nps,happiness"}, "metrics"),
        ({"respondent_type": "robot"}, "respondent_type"),
        ({"channel": "a\u0001b"}, "channel"),
        ({"min_n": "0"}, "min_n"),
    ],
)
async def test_bad_filters_are_422_problems(
    client: httpx.AsyncClient, read_key: Headers, params: dict[str, str], parameter: str
) -> None:
    response = await client.get("/v1/metrics/summary", params=params, headers=read_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["query", parameter]


async def test_metrics_need_a_read_key(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    response = await client.get("/v1/metrics/summary", headers=ingest_key)
    assert response.status_code == 403


# The property test: the endpoint against a plain-Python reference of docs/metrics.md.

CHANNELS = ("web", "pos", "app")
TAGS = ("a", "b", "c")
score = st.none() | st.integers(0, 10)

event_strategy = st.fixed_dictionaries(
    {
        "channel": st.sampled_from(CHANNELS),
        "type": st.sampled_from(("customer", "customer", "employee", "internal")),
        "day": st.integers(1, 31),
        "nps": st.none() | st.integers(0, 10),
        "csat": st.none() | st.integers(1, 5),
        "ces": st.none() | st.integers(1, 7),
        "p": st.none() | st.integers(1, 7),
        "e": st.none() | st.integers(1, 7),
        "tags": st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
    }
)
filter_strategy = st.fixed_dictionaries(
    {
        "channels": st.lists(st.sampled_from(CHANNELS), max_size=2, unique=True),
        "types": st.lists(st.sampled_from(("customer", "employee", "internal")), max_size=2,
                          unique=True),
        # Often no tag filter: tag filters always read raw rows, the others rollups.
        "tags": st.just([]) | st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
        "first_day": st.integers(1, 15),
        "days": st.integers(1, 20),
    }
)  # fmt: skip


def as_event(i: int, e: dict[str, Any]) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": f"p{i}",
        "channel": e["channel"],
        "respondent": {"type": e["type"]},
        "occurred_at": at(e["day"], 10),
        "tags": e["tags"],
        "comment": "x",
    }
    for name in ("nps", "csat", "ces"):
        if e[name] is not None:
            event[name] = e[name]
    if e["p"] is not None or e["e"] is not None:
        item = {k: v for k, v in (("perception", e["p"]), ("expectation", e["e"])) if v is not None}
        event["servqual"] = {"empathy": item}
    return event


def reference(events: list[dict[str, Any]], f: dict[str, Any]) -> dict[str, Any]:
    """docs/metrics.md in plain Python over the raw events."""
    types = f["types"] or ["customer"]
    chosen = [
        e for e in events
        if (f["first_day"], f["hour"]) <= (e["day"], 10) < (f["first_day"] + f["days"], f["hour"])
        and (not f["channels"] or e["channel"] in f["channels"])
        and e["type"] in types
        and (not f["tags"] or set(e["tags"]) & set(f["tags"]))
    ]  # fmt: skip
    nps = [e["nps"] for e in chosen if e["nps"] is not None]
    csat = [e["csat"] for e in chosen if e["csat"] is not None]
    ces = [e["ces"] for e in chosen if e["ces"] is not None]
    pairs = [(e["p"], e["e"]) for e in chosen]
    gaps = [p - x for p, x in pairs if p is not None and x is not None]
    promoters = sum(s >= 9 for s in nps)
    detractors = sum(s <= 6 for s in nps)
    return {
        "volume": len(chosen),
        "nps_n": len(nps),
        "nps": 100 * (promoters - detractors) / len(nps) if nps else None,
        "csat": 100 * sum(s >= 4 for s in csat) / len(csat) if csat else None,
        "csat_mean": sum(csat) / len(csat) if csat else None,
        "ces": sum(ces) / len(ces) if ces else None,
        "ces_easy": 100 * sum(s >= 5 for s in ces) / len(ces) if ces else None,
        "gap": sum(gaps) / len(gaps) if gaps else None,
        "gap_n": len(gaps),
        "nps_interval": stats.nps(stats.histogram(nps, stats.NPS_SCALE)),
    }


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=st.lists(event_strategy, min_size=5, max_size=40),
    f=filter_strategy,
    split=st.integers(0, 40),
    rolled=st.sampled_from((0, 1, 3, None)),  # events per rollup round; None: all
    hour=st.integers(0, 23),
    tz=st.sampled_from(("UTC", "Europe/Vienna", "Asia/Kolkata", "America/St_Johns")),
)
async def test_summary_equals_a_plain_python_reference(
    client: httpx.AsyncClient,
    make_key: MakeKey,
    conn: asyncpg.Connection,
    roll_up: RollUp,
    events: list[dict[str, Any]],
    f: dict[str, Any],
    split: int,
    rolled: int | None,
    hour: int,
    tz: str,
) -> None:
    """Part of the events is rolled up, the rest (late ones included) is not."""
    savepoint = conn.transaction()  # a savepoint: each example starts from an empty table
    await savepoint.start()
    try:
        key = await make_key("admin")
        posted = [as_event(i, e) for i, e in enumerate(events)]
        await post_events(client, key, posted[:split])
        if rolled != 0:
            await roll_up((tz,), rolled)  # its local days and weeks serve the window
        await post_events(client, key, posted[split:])
        start = datetime(2026, 1, f["first_day"], hour, tzinfo=UTC)
        params: dict[str, Any] = {
            "from": start.isoformat(),
            "to": (start + timedelta(days=f["days"])).isoformat(),
            "tz": tz,
        }
        for name, values in (("channel", f["channels"]), ("respondent_type", f["types"]),
                             ("tag", f["tags"])):  # fmt: skip
            if values:
                params[name] = values
        body = (await client.get("/v1/metrics/summary", params=params, headers=key)).json()
    finally:
        await savepoint.rollback()
    expected = reference(events, {**f, "hour": hour})
    got = body["metrics"]
    assert got["volume"]["n"] == expected["volume"]
    assert got["nps"]["n"] == expected["nps_n"]
    assert got["servqual"]["dimensions"][4]["n"] == expected["gap_n"]
    for name, value in (
        ("nps", got["nps"]["value"]),
        ("csat", got["csat"]["value"]),
        ("csat_mean", got["csat_mean"]["value"]),
        ("ces", got["ces"]["value"]),
        ("ces_easy", got["ces_easy"]["value"]),
        ("gap", got["servqual"]["dimensions"][4]["gap"]),
    ):
        assert value == pytest.approx(expected[name]), name
    assert got["nps"]["ci_low"] == pytest.approx(expected["nps_interval"].ci_low)
    assert got["nps"]["ci_high"] == pytest.approx(expected["nps_interval"].ci_high)


async def test_the_event_list_and_export_do_not_undo_the_floor(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, admin_key: Headers
) -> None:
    """A read key sees events without `employee_id` and cannot filter by it (403): one
    employee's single ratings would undo `employee_min_n`. An admin key sees them."""
    event = {"event_id": "e1", "channel": "pos", "nps": 3, "employee_id": "anna",
             "occurred_at": at(4)}  # fmt: skip
    await post_events(client, ingest_key, [event])
    for path in ("/v1/feedback", "/v1/feedback/export"):
        refused = await client.get(path, params={**WINDOW, "employee_id": "anna"}, headers=read_key)
        assert refused.status_code == 403, refused.text
        assert "admin key" in refused.json()["detail"]
    listed = (await client.get("/v1/feedback", params=WINDOW, headers=read_key)).json()
    assert [i["employee_id"] for i in listed["items"]] == [None]
    one = (await client.get("/v1/feedback/e1", headers=read_key)).json()
    assert one["employee_id"] is None
    exported = await client.get(
        "/v1/feedback/export", params={**WINDOW, "format": "csv"}, headers=read_key
    )
    header, row = exported.text.splitlines()
    assert row.split(",")[header.split(",").index("employee_id")] == ""
    admin = (await client.get("/v1/feedback", params=WINDOW, headers=admin_key)).json()
    assert [i["employee_id"] for i in admin["items"]] == ["anna"]
    by_admin = await client.get(
        "/v1/feedback/export", params={**WINDOW, "employee_id": "anna"}, headers=admin_key
    )
    assert '"employee_id":"anna"' in by_admin.text
