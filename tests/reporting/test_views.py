"""The reporting views, read as a BI user: the right figures and no personal data.

Figures are checked against a plain-Python recomputation from `feedback_events`
(docs/metrics.md) and against the service's own answers, while the rollups hold only
part of the events (late events above the watermark included), and again once
everything is rolled up.
"""

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from app.rollups import service as rollups
from tests.reporting.conftest import DAYS, SERVQUAL, START, ZONES, Reporting

EVENT_COLUMNS = [
    "event_id", "occurred_at", "received_at", "utc_day", "channel", "touchpoint",
    "location_id", "location_name", "region", "employee_id", "respondent_type", "segment",
    "acquisition_source", "language", "nps", "nps_group", "csat", "csat_satisfied", "ces",
    "ces_easy", *(f"sq_{d}_{pe}" for d in SERVQUAL for pe in ("p", "e")), "tags",
    "follow_up_requested", "has_comment", "has_contact",
]  # fmt: skip
SQ_PARTS = ("n_p", "sum_p", "n_e", "sum_e", "n_pe", "sum_gap", "sum_gap_sq")
MEASURES = [
    "events", "nps_n", "nps_promoters", "nps_passives", "nps_detractors", "csat_n",
    "csat_satisfied", "csat_sum", "ces_n", "ces_easy_count", "ces_sum", "ces_sum_sq",
    *(f"sq_{d}_{part}" for d in SERVQUAL for part in SQ_PARTS),
]  # fmt: skip
SCORES = [
    "nps", "csat", "csat_mean", "ces", "ces_easy", *(f"servqual_{d}" for d in SERVQUAL),
    "servqual",
]  # fmt: skip


def measures(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """The additive measures of a set of raw events, by docs/metrics.md."""
    m = dict.fromkeys(MEASURES, 0)
    for r in rows:
        m["events"] += 1
        if (nps := r["nps"]) is not None:
            m["nps_n"] += 1
            m["nps_promoters"] += nps >= 9
            m["nps_passives"] += 7 <= nps <= 8
            m["nps_detractors"] += nps <= 6
        if (csat := r["csat"]) is not None:
            m["csat_n"] += 1
            m["csat_satisfied"] += csat >= 4
            m["csat_sum"] += csat
        if (ces := r["ces"]) is not None:
            m["ces_n"] += 1
            m["ces_easy_count"] += ces >= 5
            m["ces_sum"] += ces
            m["ces_sum_sq"] += ces * ces
        for d in SERVQUAL:
            p, e = r[f"sq_{d}_p"], r[f"sq_{d}_e"]
            if p is not None:
                m[f"sq_{d}_n_p"] += 1
                m[f"sq_{d}_sum_p"] += p
            if e is not None:
                m[f"sq_{d}_n_e"] += 1
                m[f"sq_{d}_sum_e"] += e
            if p is not None and e is not None:
                m[f"sq_{d}_n_pe"] += 1
                m[f"sq_{d}_sum_gap"] += p - e
                m[f"sq_{d}_sum_gap_sq"] += (p - e) ** 2
    return m


def scores(m: Mapping[str, int]) -> dict[str, float | None]:
    def ratio(a: float, n: int, scale: float = 1) -> float | None:
        return scale * a / n if n else None

    gaps = {d: ratio(m[f"sq_{d}_sum_gap"], m[f"sq_{d}_n_pe"]) for d in SERVQUAL}
    present = [g for g in gaps.values() if g is not None]
    return {
        "nps": ratio(m["nps_promoters"] - m["nps_detractors"], m["nps_n"], 100),
        "csat": ratio(m["csat_satisfied"], m["csat_n"], 100),
        "csat_mean": ratio(m["csat_sum"], m["csat_n"]),
        "ces": ratio(m["ces_sum"], m["ces_n"]),
        "ces_easy": ratio(m["ces_easy_count"], m["ces_n"], 100),
        **{f"servqual_{d}": g for d, g in gaps.items()},
        "servqual": sum(present) / len(present) if present else None,
    }


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
    )


Key = tuple[Any, ...]


def reference(
    raw: list[asyncpg.Record], dims: tuple[str, ...]
) -> dict[Key, tuple[dict[str, int], dict[str, float | None]]]:
    """(zone, local day, respondent type, *dims) -> measures and scores, from raw rows."""
    groups: dict[Key, list[asyncpg.Record]] = defaultdict(list)
    for zone in ("UTC", *ZONES):
        tz = ZoneInfo(zone)
        for r in raw:
            day = r["occurred_at"].astimezone(tz).date()
            groups[(zone, day, r["respondent_type"], *(r[d] for d in dims))].append(r)
    out = {}
    for key, rows in groups.items():
        m = measures(rows)
        out[key] = (m, scores(m))
    return out


async def check_daily_views(r: Reporting, bi: asyncpg.Connection) -> None:
    raw = await r.owner.fetch("SELECT * FROM feedback_events")
    assert len(raw) == 300
    for view, dims in (
        ("daily_metrics_by_location_channel", ("location_id", "channel")),
        ("daily_metrics_by_touchpoint", ("touchpoint",)),
    ):
        expected = reference(raw, dims)
        rows = await bi.fetch(f"SELECT * FROM reporting.{view}")
        got = {(row["zone"], row["day"], row["respondent_type"], *(row[d] for d in dims)): row
               for row in rows}  # fmt: skip
        assert len(got) == len(rows), "one row per key"
        assert got.keys() == expected.keys(), view
        for key, row in got.items():
            want_measures, want_scores = expected[key]
            assert {k: row[k] for k in MEASURES} == want_measures, (view, key)
            for name in SCORES:
                assert close(row[name], want_scores[name]), (view, key, name)
            zone = ZoneInfo(key[0])
            assert row["day_start"] == datetime.combine(key[1], datetime.min.time(), zone)


async def test_daily_views_are_exact_while_partly_rolled_up_and_after(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    late = await reporting.owner.fetchval(
        "SELECT count(*) FROM feedback_events WHERE id > $1 AND occurred_at < $2",
        reporting.watermark,
        await reporting.owner.fetchval(
            "SELECT max(occurred_at) FROM feedback_events WHERE id <= $1", reporting.watermark
        ),
    )
    assert late > 0, "events above the watermark in days the cells already hold"
    cells = await reporting.owner.fetchval(
        "SELECT count(*) FROM metric_rollups WHERE cube = 7 AND span = 'day'"
    )
    assert cells > 0
    await check_daily_views(reporting, bi)

    await rollups.catch_up(reporting.owner, ZONES)
    assert await reporting.owner.fetchval(
        "SELECT watermark = (SELECT max(id) FROM feedback_events) FROM metric_rollup_state"
    )
    await check_daily_views(reporting, bi)


async def test_events_view_has_every_event_and_no_personal_data(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    rows = await bi.fetch("SELECT * FROM reporting.events ORDER BY event_id")
    assert rows
    assert list(rows[0].keys()) == EVENT_COLUMNS
    raw = await reporting.owner.fetch(
        "SELECT e.*, c.name, c.email, c.phone FROM feedback_events e "
        "LEFT JOIN feedback_contacts c ON c.event_pk = e.id ORDER BY e.event_id"
    )
    assert [r["event_id"] for r in rows] == [r["event_id"] for r in raw]
    for row, source in zip(rows, raw, strict=True):
        for column in EVENT_COLUMNS:
            if column in source:
                assert row[column] == source[column], column
        nps = source["nps"]
        assert row["nps_group"] == (
            None if nps is None else "promoter" if nps >= 9 else "passive" if nps >= 7
            else "detractor"
        )  # fmt: skip
        assert row["has_comment"] == bool(source["comment"])
        assert row["has_contact"] == (source["email"] is not None)
        assert row["utc_day"] == source["occurred_at"].date()
        assert row["location_name"] == ("Wien Mitte" if source["location_id"] == "vie-07" else None)

    # No value of a personal field appears anywhere, in any column, as text.
    personal = {
        v
        for source in raw
        for v in (source["comment"], source["respondent_id"], source["email"], source["name"])
        if v
    } | {json.loads(source["attributes"])["order"] for source in raw}
    assert len(personal) > 100
    text_cells = await bi.fetch("SELECT e::text AS whole FROM reporting.events e")
    leaked = [p for row in text_cells for p in personal if p in row["whole"]]
    assert leaked == []


# Every event's local day, in UTC and in Vienna, lies in [FIRST, LAST).
FIRST, LAST = START.date(), date.fromordinal(START.date().toordinal() + DAYS + 1)


@pytest.mark.parametrize(
    ("location", "channel"), [("vie-07", "pos"), ("gra-01", "web"), (None, "kiosk")]
)
async def test_daily_view_matches_the_services_timeseries(
    reporting: Reporting, bi: asyncpg.Connection, location: str | None, channel: str
) -> None:
    """Vienna days of one branch and channel, customers only (the API's default)."""
    zone = "Europe/Vienna"
    params: dict[str, str] = {
        "interval": "day", "tz": zone, "channel": channel, "metrics": "nps,csat,ces",
        "from": FIRST.isoformat(), "to": LAST.isoformat(),
    }  # fmt: skip
    if location is not None:
        params["location_id"] = location
    response = await reporting.client.get(
        "/v1/metrics/timeseries", params=params, headers=reporting.read_key
    )
    assert response.status_code == 200, response.text
    api = {
        (datetime.fromisoformat(row["bucket_start"]).date(), row["metric"]): row
        for row in response.json()["rows"]
    }
    view = {
        row["day"]: row
        for row in await bi.fetch(
            "SELECT * FROM reporting.daily_metrics_by_location_channel WHERE zone = $1 "
            "AND respondent_type = 'customer' AND location_id IS NOT DISTINCT FROM $2 "
            "AND channel = $3 AND day >= $4 AND day < $5",
            zone, location, channel, FIRST, LAST,
        )
    }  # fmt: skip
    if location is None:
        # The service cannot filter on "no location"; the view can: check it against
        # the Python reference instead.
        raw = await reporting.owner.fetch(
            "SELECT * FROM feedback_events WHERE location_id IS NULL AND channel = $1 "
            "AND respondent_type = 'customer'",
            channel,
        )
        expected = reference(list(raw), ())
        for day, row in view.items():
            assert {k: row[k] for k in MEASURES} == expected[(zone, day, "customer")][0]
        assert view.keys() == {k[1] for k in expected if k[0] == zone}
        return
    assert len(view) >= 5
    n_of = {"volume": "events", "nps": "nps_n", "csat": "csat_n", "csat_mean": "csat_n",
            "ces": "ces_n", "ces_easy": "ces_n"}  # fmt: skip
    assert {metric for _, metric in api} == {"nps", "csat", "csat_mean", "ces", "ces_easy"}
    for (day, metric), row in api.items():
        mine = view.get(day)
        assert (mine[n_of[metric]] if mine else 0) == row["n"], (day, metric)
        assert close(mine[metric] if mine else None, row["value"]), (day, metric)


async def test_summed_touchpoint_rows_match_the_services_breakdown(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    """A BI tool sums the counts over days and recomputes the score (docs/bi.md)."""
    response = await reporting.client.get(
        "/v1/metrics/breakdown",
        params={
            "group_by": "touchpoint",
            "metric": "csat",
            "tz": "UTC",
            "from": FIRST.isoformat(),
            "to": LAST.isoformat(),
        },
        headers=reporting.read_key,
    )
    assert response.status_code == 200, response.text
    api = {row["group"]: row for row in response.json()["rows"]}
    summed = await bi.fetch(
        "SELECT touchpoint, sum(csat_n) AS n, 100.0 * sum(csat_satisfied) / sum(csat_n) AS csat "
        "FROM reporting.daily_metrics_by_touchpoint WHERE zone = 'UTC' "
        "AND respondent_type = 'customer' AND day >= $1 AND day < $2 "
        "GROUP BY touchpoint",
        FIRST,
        LAST,
    )
    assert {r["touchpoint"] for r in summed} == set(api) == {"checkout", "delivery", None}
    for r in summed:
        assert r["n"] == api[r["touchpoint"]]["n"]
        assert close(float(r["csat"]), api[r["touchpoint"]]["value"])
