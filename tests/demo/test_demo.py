"""`feedback demo` on fresh databases: what it fills, that it is seeded, that it refuses
data, and that its story (several zones, the dip, the follow-ups) reads through the API.

The demo commits (many statements, rollups, a key), so each fill gets its own
database. The data is small (`scale` a few percent of the default's 150,000 events)
to keep the module fast; the shape is the default's.
"""

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL

from app.db import create_engine, libpq_url
from app.demo import chain
from app.demo.generate import Spec
from app.demo.service import LOCK_KEY, DemoRefused, Filled, fill
from app.main import create_app
from app.rollups import service as rollups
from app.settings import Settings

END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SPEC = Spec(seed=1, end=END, scale=0.06)  # about 10,000 events
SMALL = Spec(seed=1, end=END, days=91, scale=0.03)  # for the digests: about 2,500

MakeDatabase = Callable[[], Awaitable[URL]]


def settings_for(url: URL) -> Settings:
    return Settings(database_url=libpq_url(url), rollup_interval_seconds=0)


async def run_demo(url: URL, spec: Spec, jobs: int = 1) -> Filled:
    settings = settings_for(url)
    engine = create_engine(url, settings)
    try:
        return await fill(engine, settings, spec, jobs=jobs)
    finally:
        await engine.dispose()


async def query(url: URL, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def demo(fresh_database: MakeDatabase) -> tuple[URL, Filled]:
    url = await fresh_database()
    return url, await run_demo(url, SPEC)


@pytest.fixture(scope="module")
async def api(demo: tuple[URL, Filled]) -> AsyncIterator[httpx.AsyncClient]:
    """The service on the demo's database, authorised with the read key the demo printed."""
    url, filled = demo
    app = create_app(settings_for(url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {filled.read_key}"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=headers
        ) as client:
            yield client


async def get(api: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await api.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def dip_weeks(filled: Filled) -> tuple[date, date]:
    assert filled.dip is not None
    return filled.dip.start, filled.dip.end


# ---------------------------------------------------------------- what it fills


async def test_fills_an_empty_database_with_the_chain(demo: tuple[URL, Filled]) -> None:
    url, filled = demo
    (row,) = await query(
        url,
        "SELECT count(*) AS events, count(*) FILTER (WHERE event_id LIKE 'demo-%') AS demo, "
        "min(occurred_at) AS first, max(received_at) AS last FROM feedback_events",
    )
    assert row["events"] == sum(filled.events.values()) > 5_000
    assert row["demo"] == row["events"]  # every demo event is recognisable by its id
    assert END - timedelta(days=SPEC.days) <= row["first"] < END - timedelta(days=SPEC.days - 1)
    assert END - timedelta(hours=6) < row["last"] <= END
    types = await query(url, "SELECT respondent_type, count(*) FROM feedback_events GROUP BY 1")
    by_type = {r["respondent_type"]: r["count"] for r in types}
    assert by_type == dict(filled.events)
    assert set(by_type) == {"customer", "internal", "employee"}
    channels = await query(url, "SELECT DISTINCT channel FROM feedback_events")
    assert {r["channel"] for r in channels} >= {"web", "app", "pos", "kiosk", "phone", "email"}
    (scores,) = await query(
        url,
        "SELECT count(nps) AS nps, count(csat) AS csat, count(ces) AS ces, "
        "count(sq_responsiveness_e) AS servqual, count(comment) AS comments, "
        "count(DISTINCT language) AS languages, count(DISTINCT employee_id) AS employees, "
        "count(DISTINCT respondent_id) AS respondents FROM feedback_events",
    )
    assert min(scores["nps"], scores["csat"], scores["ces"], scores["servqual"]) > 100
    assert scores["comments"] > 1_000
    assert scores["languages"] >= 5
    assert scores["employees"] > 100
    assert scores["respondents"] > 1_000


async def test_rolls_up_everything_and_rollups_equal_a_raw_recomputation(
    demo: tuple[URL, Filled], api: httpx.AsyncClient
) -> None:
    url, filled = demo
    conn = await asyncpg.connect(libpq_url(url))
    try:
        status = await rollups.status(conn)
    finally:
        await conn.close()
    assert status.pending_events == 0  # answers below come from the rollups alone
    assert filled.rolled_up == status.watermark > 0  # nobody else rolled up here
    body = await get(
        api, "/v1/metrics/timeseries", interval="week", group_by="location_id",
        metrics="nps,csat", **{"from": "2026-06-01", "to": "2026-11-23"},
    )  # fmt: skip
    served = {(r["bucket_start"][:10], r["group"], r["metric"]): r for r in body["rows"]}
    raw = await query(
        url,
        """
        SELECT to_char(date_trunc('week', occurred_at, 'UTC'), 'YYYY-MM-DD') AS week,
               location_id, count(nps) AS nps_n,
               100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))
                   / nullif(count(nps), 0) AS nps,
               count(csat) AS csat_n,
               100.0 * count(*) FILTER (WHERE csat >= 4) / nullif(count(csat), 0) AS csat
        FROM feedback_events
        WHERE respondent_type = 'customer' AND occurred_at >= '2026-06-01'
          AND occurred_at < '2026-11-23'
        GROUP BY 1, 2
        """,
    )
    assert len(raw) > 100
    for r in raw:
        for metric in ("nps", "csat"):
            cell = served[(r["week"], r["location_id"], metric)]
            assert cell["n"] == r[f"{metric}_n"]
            assert cell["value"] == pytest.approx(float(r[metric]), abs=1e-9)


# ---------------------------------------------------------------- seeded, refusing


async def digest(url: URL) -> str:
    """One hash over every row the demo writes, in a fixed order, without serial ids
    or the key (whose secret is random by design)."""
    (row,) = await query(
        url,
        """
        SELECT md5(concat_ws('#',
            (SELECT string_agg(l::text, '|' ORDER BY l.id)
             FROM (SELECT id, name, region, timezone FROM locations) l),
            (SELECT string_agg(e::text, '|' ORDER BY e.event_id)
             FROM (SELECT event_id, occurred_at, received_at, channel, touchpoint, location_id,
                          employee_id, respondent_id, respondent_type, segment,
                          acquisition_source, nps, csat, ces, sq_reliability_p,
                          sq_reliability_e, sq_responsiveness_p, sq_responsiveness_e,
                          sq_assurance_p, sq_assurance_e, sq_tangibles_p, sq_tangibles_e,
                          sq_empathy_p, sq_empathy_e, comment, language, tags, attributes,
                          follow_up_requested, has_contact FROM feedback_events) e),
            (SELECT string_agg(c::text, '|' ORDER BY c.event_id)
             FROM (SELECT e.event_id, c.name, c.email, c.phone FROM feedback_contacts c
                   JOIN feedback_events e ON e.id = c.event_pk) c),
            (SELECT string_agg(f::text, '|' ORDER BY f.event_id)
             FROM (SELECT event_id, status, reasons, assignee, opened_at, first_contact_at,
                          closed_at, resolution, updated_at FROM follow_ups) f),
            (SELECT string_agg(h::text, '|' ORDER BY h.event_id, h.at, h.kind, h.to_status)
             FROM (SELECT f.event_id, c.at, c.kind, c.from_status, c.to_status, c.assignee,
                          c.contact_channel, c.contact_outcome, c.note, c.resolution
                   FROM follow_up_changes c JOIN follow_ups f ON f.id = c.follow_up_id) h)
        )) AS digest
        """,
    )
    return str(row["digest"])


async def answers_digest(url: URL) -> str:
    """A hash of the answers alone (when, where, what score), without the ids that name
    the seed: another seed must change the answers, not just their names."""
    (row,) = await query(
        url,
        "SELECT md5(string_agg(concat_ws(',', occurred_at, location_id, nps, csat), '|' "
        "ORDER BY occurred_at, location_id, nps, csat)) AS digest FROM feedback_events",
    )
    return str(row["digest"])


async def test_same_seed_gives_identical_rows_and_another_seed_other_rows(
    fresh_database: MakeDatabase,
) -> None:
    first, again, other = [await fresh_database() for _ in range(3)]
    await run_demo(first, SMALL)
    await run_demo(again, SMALL, jobs=2)  # generated in two processes: the same rows
    await run_demo(other, Spec(seed=2, end=SMALL.end, days=SMALL.days, scale=SMALL.scale))
    assert await digest(first) == await digest(again)
    assert await digest(first) != await digest(other)
    assert await answers_digest(first) == await answers_digest(again)
    assert await answers_digest(first) != await answers_digest(other)
    (n,) = await query(first, "SELECT count(*) FROM follow_up_changes WHERE kind <> 'opened'")
    assert n["count"] > 100  # the digest covers case histories, not just empty tables


async def test_refuses_a_database_that_holds_events(demo: tuple[URL, Filled]) -> None:
    url, _ = demo
    (before,) = await query(url, "SELECT count(*) FROM feedback_events")
    with pytest.raises(DemoRefused, match="already holds feedback events"):
        await run_demo(url, Spec(seed=7, end=END, days=91, scale=0.01))
    (after,) = await query(url, "SELECT count(*) FROM feedback_events")
    assert after["count"] == before["count"]
    keys = await query(url, "SELECT count(*) FROM api_keys")
    assert keys[0]["count"] == 1  # no second key either


async def test_refuses_while_another_demo_fills_the_database(
    fresh_database: MakeDatabase,
) -> None:
    url = await fresh_database()
    other = await asyncpg.connect(libpq_url(url))
    try:
        await other.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)  # a demo at work
        with pytest.raises(DemoRefused, match="Another `feedback demo`"):
            await run_demo(url, Spec(seed=7, end=END, days=91, scale=0.01))
    finally:
        await other.close()
    (n,) = await query(url, "SELECT count(*) FROM locations")
    assert n["count"] == 0


# ---------------------------------------------------------------- the story, through the API


async def test_branches_in_several_time_zones_with_local_rhythms(
    demo: tuple[URL, Filled], api: httpx.AsyncClient
) -> None:
    url, _ = demo
    body = await get(api, "/v1/locations", limit=100)
    zones = {item["timezone"] for item in body["items"]}
    assert len(body["items"]) == len(chain.BRANCHES)
    assert len(zones) == len(chain.BRANCHES)
    assert {z.split("/")[0] for z in zones} == {"Europe", "America", "Asia", "Australia"}
    # Till feedback follows each store's local opening hours, whatever its UTC offset.
    rows = await query(
        url,
        """
        SELECT e.location_id, min(extract(hour FROM e.occurred_at AT TIME ZONE l.timezone)) AS lo,
               max(extract(hour FROM e.occurred_at AT TIME ZONE l.timezone)) AS hi
        FROM feedback_events e JOIN locations l ON l.id = e.location_id
        WHERE e.channel = 'pos' GROUP BY 1
        """,
    )
    hours = {r["location_id"]: (r["lo"], r["hi"]) for r in rows}
    for b in chain.BRANCHES:
        assert b.open_hour <= hours[b.id][0] <= hours[b.id][1] < b.close_hour, b.id


async def test_the_dip_shows_in_nps_and_in_branch_consistency(
    demo: tuple[URL, Filled], api: httpx.AsyncClient
) -> None:
    _, filled = demo
    start, end = dip_weeks(filled)
    branch = chain.DIP_BRANCH
    tz = chain.BRANCHES[[b.id for b in chain.BRANCHES].index(branch)].timezone
    before = await get(
        api, "/v1/metrics/summary", location_id=branch, tz=tz, metrics="nps",
        **{"from": str(start - timedelta(weeks=6)), "to": str(start)},
    )  # fmt: skip
    during = await get(
        api, "/v1/metrics/summary", location_id=branch, tz=tz, metrics="nps",
        **{"from": str(start), "to": str(end)},
    )  # fmt: skip
    b, d = before["metrics"]["nps"], during["metrics"]["nps"]
    assert d["n"] >= 50
    assert b["n"] >= 50
    assert d["ci_high"] < b["ci_low"]  # lower, and the intervals do not overlap

    flagged = await get(
        api, "/v1/metrics/consistency", group_by="location_id", metric="nps",
        **{"from": str(start), "to": str(end)},
    )  # fmt: skip
    assert branch in flagged["below"]
    assert branch in flagged["practical_below"]  # the dip is large, not just significant
    assert flagged["rows"][-1]["group"] == branch  # the lowest of all
    calm = await get(
        api, "/v1/metrics/consistency", group_by="location_id", metric="nps",
        **{"from": str(start - timedelta(weeks=6)), "to": str(start)},
    )  # fmt: skip
    assert branch not in calm["below"]
    assert branch not in calm["practical_below"]

    compared = await get(
        api, "/v1/metrics/compare", location_id=branch, tz=tz, metrics="nps,csat,ces",
        **{"from": str(start), "to": str(end)},
    )  # fmt: skip
    for m in compared["metrics"]:
        assert m["delta"] < 0, m
        assert m["significant"] is True, m


async def test_follow_up_cases_in_every_state_with_outcomes(
    demo: tuple[URL, Filled], api: httpx.AsyncClient
) -> None:
    url, filled = demo
    assert set(filled.cases) == {"open", "contacted", "resolved", "unreachable"}
    assert filled.cases["resolved"] > filled.cases["open"]
    rows = await query(
        url,
        """
        SELECT status, count(*) AS n,
               count(*) FILTER (WHERE opened_at = received_at) AS opened_on_arrival,
               count(*) FILTER (WHERE first_contact_at IS NOT NULL) AS reached,
               count(resolution) AS with_resolution,
               count(*) FILTER (WHERE opened_at < $1::timestamptz - interval '48 hours')
                   AS overdue
        FROM follow_ups GROUP BY status
        """,
        END,
    )
    by_status = {r["status"]: r for r in rows}
    assert {s: r["n"] for s, r in by_status.items()} == dict(filled.cases)
    assert all(r["opened_on_arrival"] == r["n"] for r in rows)  # not stamped with the run
    assert by_status["resolved"]["with_resolution"] == by_status["resolved"]["n"]
    assert by_status["resolved"]["reached"] == by_status["resolved"]["n"]
    assert by_status["contacted"]["reached"] == by_status["contacted"]["n"]
    assert by_status["open"]["overdue"] > 0  # some wait too long
    outcomes = await query(
        url, "SELECT DISTINCT contact_outcome FROM follow_up_changes WHERE kind = 'contact_attempt'"
    )
    assert {r["contact_outcome"] for r in outcomes} >= {"reached", "no_answer", "left_message"}

    (backwards,) = await query(
        url,
        "SELECT count(*) FROM (SELECT at < lag(at) OVER (PARTITION BY follow_up_id ORDER BY id)"
        " AS back FROM follow_up_changes) c WHERE back",
    )
    assert backwards["count"] == 0  # every history runs forward in time

    # Reached customers come back, happier when their case was resolved.
    (back,) = await query(
        url,
        "SELECT count(*) AS n, avg(b.nps) FILTER (WHERE f.status = 'resolved') AS resolved, "
        "avg(b.nps) FILTER (WHERE f.status <> 'resolved') AS other FROM follow_ups f "
        "JOIN feedback_events b ON b.event_id = f.event_id || '-back'",
    )
    assert back["n"] == filled.comebacks > 50
    assert back["resolved"] > back["other"] + 1
    overall = (
        await get(api, "/v1/metrics/follow-ups", **{"from": "2026-05-01", "to": "2026-11-21"})
    )["overall"]
    assert overall["recovery"]["n"] >= filled.comebacks

    # A case reads through the API with its history, in time order.
    resolved = await get(api, "/v1/follow-ups", status="resolved", limit=1)
    case = await get(api, f"/v1/follow-ups/{resolved['items'][0]['id']}")
    kinds = [h["kind"] for h in case["history"]]
    assert kinds[0] == "opened"
    assert "contact_attempt" in kinds
    assert kinds[-1] == "status"
    times = [h["at"] for h in case["history"]]
    assert times == sorted(times)

    # During the dip, the dip branch calls back slower than the rest of the chain.
    start, end = dip_weeks(filled)
    loop = await get(
        api, "/v1/metrics/follow-ups", group_by="location_id",
        **{"from": str(start), "to": str(end)},
    )  # fmt: skip
    medians = {g["group"]: g["time_to_first_contact"]["median_hours"] for g in loop["groups"]}
    slowest = max(medians, key=lambda k: medians[k] or 0)
    assert slowest == chain.DIP_BRANCH
    assert Counter(g["group"] for g in loop["groups"]) == Counter(b.id for b in chain.BRANCHES)
