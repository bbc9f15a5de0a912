"""Property test: after an erasure, every metric is exactly a recomputation from what remains.

Random events of a few respondents; part of them posted and rolled up (all, part or
none, in two or three zones), the rest posted after (late events included); then
one respondent is erased. Then:

- the timeseries equals a plain-Python reference over the remaining events
  (the reference of tests/metrics/test_exactness.py);
- summary, timeseries and breakdown answer exactly what they answer with the
  rollups emptied (a full recomputation from the raw table);
- the rollup cells, once the rest is rolled up, equal a rebuild from scratch:
  the subtraction left no residue and no empty cell.
"""

from collections import defaultdict
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.rollups import service as rollups
from app.rollups.rebuild import rebuild
from tests.conftest import MakeKey, RollUp
from tests.helpers import examples
from tests.metrics.test_exactness import BUCKETS, SPAN_HOURS, START, nps_value
from tests.metrics.test_summary import post_events

ZONE_SETS = (("UTC", "Europe/Vienna"), ("UTC", "America/New_York", "Asia/Kolkata"))

events_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "who": st.sampled_from(("a", "b", None)),
            "minute": st.integers(0, SPAN_HOURS * 60 - 1),
            "channel": st.sampled_from(("web", "pos")),
            "location": st.sampled_from(("l1", "l2", None)),
            "nps": st.none() | st.integers(0, 10),
            "csat": st.none() | st.integers(1, 5),
            "contact": st.booleans(),
        }
    ),
    min_size=1,
    max_size=30,
)


async def rollup_rows(conn: Any) -> list[tuple[Any, ...]]:
    rows = await conn.fetch("SELECT * FROM metric_rollups")
    return sorted((tuple(r.values()) for r in rows), key=repr)


async def answers(client: httpx.AsyncClient, key: dict[str, str], zone: str) -> list[Any]:
    window = {"from": START.isoformat(), "to": (START + timedelta(days=13)).isoformat(),
              "tz": zone, "metrics": "nps,csat,volume"}  # fmt: skip
    out = []
    for path, extra in (
        ("summary", {}),
        ("timeseries", {"interval": "day", "group_by": "channel"}),
        ("timeseries", {"interval": "week"}),
        ("breakdown", {"group_by": "location_id", "metric": "nps"}),
    ):
        response = await client.get(f"/v1/metrics/{path}", params={**window, **extra}, headers=key)
        assert response.status_code == 200, response.text
        out.append(response.json())
    return out


def theirs(event: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """Whether erasing respondent "a" erases the event: theirs by id, or by the e-mail of
    the contact data on one of theirs (every contact here has the same e-mail)."""
    if event["who"] == "a":
        return True
    return bool(event["contact"]) and any(e["who"] == "a" and e["contact"] for e in events)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=events_strategy,
    zones=st.sampled_from(ZONE_SETS),
    split=st.integers(0, 30),
    rolled=st.sampled_from(("none", "part", "all")),
)
async def test_metrics_after_an_erasure_equal_a_recomputation(
    client: httpx.AsyncClient,
    make_key: MakeKey,
    app: FastAPI,
    roll_up: RollUp,
    events: list[dict[str, Any]],
    zones: tuple[str, ...],
    split: int,
    rolled: str,
) -> None:
    zone = zones[1]
    conn = app.state.db.conn
    savepoint = conn.transaction()  # nested in the test's transaction: a savepoint
    await savepoint.start()
    try:
        key = await make_key("admin")
        posted = [
            {"event_id": f"x{i}", "channel": e["channel"],
             "occurred_at": (START + timedelta(minutes=e["minute"])).isoformat(),
             **({"respondent": {"id": e["who"]}} if e["who"] else {}),
             **({"location_id": e["location"]} if e["location"] else {}),
             **({"nps": e["nps"]} if e["nps"] is not None else {}),
             **({"csat": e["csat"]} if e["csat"] is not None else {}),
             **({"contact": {"email": "x@example.com"}} if e["contact"] else {}),
             "comment": "words"}
            for i, e in enumerate(events)
        ]  # fmt: skip
        await post_events(client, key, posted[:split])
        if rolled != "none":
            await roll_up(zones, max(1, split // 2) if rolled == "part" else None)
        await post_events(client, key, posted[split:])
        response = await client.delete("/v1/respondents/a", headers=key)
        assert response.status_code == 200, response.text
        assert response.json()["events"] == sum(theirs(e, events) for e in events)
        erased = await answers(client, key, zone)
        await rollups.catch_up(conn, zones)
        caught_up = await answers(client, key, zone)
        incremental = await rollup_rows(conn)
        await rebuild(conn, zones)
        rebuilt = await rollup_rows(conn)
        await conn.execute("TRUNCATE metric_rollups")
        await conn.execute("UPDATE metric_rollup_state SET watermark = 0")
        recomputed = await answers(client, key, zone)
    finally:
        await savepoint.rollback()

    assert erased == caught_up == recomputed
    assert incremental == rebuilt

    # The reference: volume and NPS per (local day, channel) over the remaining events.
    cells: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for e in events:
        if not theirs(e, events):
            at = START + timedelta(minutes=e["minute"])
            cells[(BUCKETS["day"](at, ZoneInfo(zone)).isoformat(), e["channel"])].append(e["nps"])
    rows = erased[1]["rows"]
    volume = {(r["bucket_start"], r["group"]): r["n"] for r in rows if r["metric"] == "volume"}
    nps = {(r["bucket_start"], r["group"]): (r["n"], r["value"]) for r in rows
           if r["metric"] == "nps"}  # fmt: skip
    for cell, answered in cells.items():
        scores = [s for s in answered if s is not None]
        assert volume[cell] == len(answered), cell
        assert nps[cell][0] == len(scores), cell
        assert nps[cell][1] == pytest.approx(nps_value(scores)), cell
    assert all(n == 0 for cell, n in volume.items() if cell not in cells)
