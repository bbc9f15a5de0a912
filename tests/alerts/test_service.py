"""Alert rounds on a real database: an alert opens, updates, resolves and is muted, late
data counts when it arrives, local days follow each branch's zone, the round writes its
webhook messages, and one evaluator runs at a time.

Every instant derives from one `now`, the database's clock read once; the data are
deterministic (the same answers every day), so each figure below is exact.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import orjson
import pytest
from sqlalchemy.engine import URL

from app.alerts.service import Context, get_alert, run_round
from app.db import libpq_url
from app.feedback import partitions
from app.observability.prometheus import exposition, read_state
from tests.conftest import Headers, RollUp

CONTEXT = Context(default_zone="UTC", sla=timedelta(hours=48), employee_min_n=5)
NORMAL = (20, 14, 6)  # promoters, passives, detractors a day: NPS 35
DIP = (10, 14, 16)  # NPS -15


async def answers(
    conn: asyncpg.Connection,
    location: str,
    first: datetime,
    days: int,
    mix: tuple[int, int, int],
    *,
    received: datetime | None = None,
) -> None:
    """One day's answers (`mix`) on each of `days` days from `first`, at noon of each day
    after `first` (received then, or at `received`)."""
    scores = [10] * mix[0] + [8] * mix[1] + [2] * mix[2]
    rows = []
    for day in range(days):
        at = first + timedelta(days=day, hours=12)
        for i, score in enumerate(scores):
            rows.append((f"{location}-{at.isoformat()}-{i}", at, received or at, location, score))
    await partitions.ensure(conn, [r[1] for r in rows])
    await conn.executemany(
        "INSERT INTO feedback_events (event_id, occurred_at, received_at, channel, location_id,"
        " respondent_type, nps) VALUES ($1, $2, $3, 'pos', $4, 'customer', $5)",
        rows,
    )


async def place(conn: asyncpg.Connection, location: str, zone: str) -> None:
    await conn.execute(
        "INSERT INTO locations (id, name, region, timezone) VALUES ($1, $1, 'europe', $2)",
        location, zone,
    )  # fmt: skip


async def nps_only(conn: asyncpg.Connection, **rules: Any) -> None:
    body = {"metrics": {m: {"enabled": m == "nps"} for m in ("csat", "ces", "follow_up_late")}}
    body["metrics"]["nps"] = {"enabled": True}
    await conn.execute(
        "INSERT INTO alert_rules (id, rules) VALUES (1, $1::jsonb)",
        orjson.dumps({**body, **rules}).decode(),
    )


async def subscribe(conn: asyncpg.Connection) -> None:
    await conn.execute(
        "INSERT INTO webhook_subscriptions (url, event_types, secret) VALUES "
        "('https://hooks.example.com/a', '{alert.opened,alert.resolved}', 'whsec_test')"
    )


async def messages(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await conn.fetch("SELECT payload FROM webhook_messages ORDER BY id")
    return [r["payload"] if isinstance(r["payload"], dict) else orjson.loads(r["payload"])
            for r in rows]  # fmt: skip


async def open_alerts(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch("SELECT * FROM alerts WHERE status = 'open' ORDER BY id"))


@pytest.fixture
async def now(conn: asyncpg.Connection) -> datetime:
    """The one instant every other derives from: the start of the current UTC hour."""
    t: datetime = await conn.fetchval("SELECT date_trunc('hour', now())")
    return t


async def test_a_dip_opens_one_alert_that_updates_then_resolves(
    conn: asyncpg.Connection, now: datetime, roll_up: RollUp, client: httpx.AsyncClient,
    read_key: Headers,
) -> None:  # fmt: skip
    await nps_only(conn, dimensions=["location_id"])
    await subscribe(conn)
    midnight = now.replace(hour=0)
    start = midnight - timedelta(days=90)
    for location in ("lis-03", "vie-01", "ber-02"):
        await answers(conn, location, start, 80, NORMAL)
    await answers(conn, "vie-01", start + timedelta(days=80), 10, NORMAL)
    await answers(conn, "ber-02", start + timedelta(days=80), 10, NORMAL)
    dip_start = start + timedelta(days=80)
    await answers(conn, "lis-03", dip_start, 10, DIP)
    await roll_up(("UTC",), None)

    first = await run_round(conn, CONTEXT, now=now)
    assert (first.ran, first.opened) == (True, 1)
    (alert,) = await open_alerts(conn)
    assert (alert["metric"], alert["dimension"], alert["value"], alert["direction"]) == (
        "nps", "location_id", "lis-03", "down",
    )  # fmt: skip
    assert abs((alert["since"] - dip_start.date()).days) <= 1
    shown = await get_alert(conn, alert["id"], None)
    evidence = shown["evidence"]
    assert evidence["baseline"]["value"] == pytest.approx(35.0)
    assert evidence["current"]["value"] < -5
    assert evidence["change"] < -40
    assert evidence["rest_of_chain"]["value"] == pytest.approx(35.0)
    assert {t["question"] for t in evidence["tests"] if t["fired"]} >= {"own_past"}
    # the link reproduces the current figure through the metrics API
    answer = await client.get(evidence["current"]["request"], headers=read_key)
    assert answer.json()["metrics"]["nps"]["value"] == pytest.approx(evidence["current"]["value"])
    assert answer.json()["metrics"]["nps"]["n"] == evidence["current"]["n"]
    # the webhook message carries the alert as the API shows it
    ((message),) = await messages(conn)
    assert message["type"] == "alert.opened"
    assert message["data"] == orjson.loads(orjson.dumps(shown))

    # Prometheus counts it
    state = await read_state(conn, 2.0)
    assert state is not None
    assert state.alerts_open == 1
    assert "feedback_alerts_open 1.0" in exposition(state).decode()

    # the next round updates it: still one open alert for the series
    again = await run_round(conn, CONTEXT, now=now + timedelta(minutes=5))
    assert (again.opened, again.updated, again.resolved) == (0, 1, 0)
    assert [a["id"] for a in await open_alerts(conn)] == [alert["id"]]
    updated = (await get_alert(conn, alert["id"], None))["evidence"]
    assert updated["baseline"] == evidence["baseline"]  # as when it opened
    opened_p = {t["question"]: t["adjusted_p_value"] for t in evidence["tests"]}
    assert {t["question"]: t["adjusted_p_value"] for t in updated["tests"]} == opened_p
    assert updated["as_of"] != evidence["as_of"]

    # back to normal for three weeks: it resolves by itself
    await answers(conn, "lis-03", start + timedelta(days=90), 21, NORMAL)
    for location in ("vie-01", "ber-02"):
        await answers(conn, location, start + timedelta(days=90), 21, NORMAL)
    await roll_up(("UTC",), None)
    later = now + timedelta(days=21)
    resolved = await run_round(conn, CONTEXT, now=later)
    assert resolved.resolved == 1
    assert await open_alerts(conn) == []
    row = await conn.fetchrow("SELECT status, resolved_at FROM alerts WHERE id = $1", alert["id"])
    assert (row["status"], row["resolved_at"]) == ("resolved", later)
    assert [m["type"] for m in await messages(conn)] == ["alert.opened", "alert.resolved"]


async def test_late_data_counts_when_it_arrives_and_days_are_the_branch_s_own(
    conn: asyncpg.Connection, now: datetime, roll_up: RollUp
) -> None:
    """A branch in Tokyo: its dip's events are backfilled after a first round saw none;
    the next round finds it, dated by Tokyo's local day (the events fall at 00:30 there,
    15:30 the day before in UTC)."""
    await nps_only(conn, dimensions=["location_id"])
    tokyo = ZoneInfo("Asia/Tokyo")
    await place(conn, "tyo-07", "Asia/Tokyo")
    await place(conn, "osa-09", "Asia/Tokyo")
    today = now.astimezone(tokyo).date()
    first_day = datetime.combine(today - timedelta(days=90), datetime.min.time(), tokyo)
    start = first_day.astimezone(UTC) - timedelta(hours=11, minutes=30)  # noon - 11:30 = 00:30
    for location in ("tyo-07", "osa-09"):
        await answers(conn, location, start, 82, NORMAL)
    await answers(conn, "osa-09", start + timedelta(days=82), 8, NORMAL)
    await roll_up(("UTC",), None)
    assert (await run_round(conn, CONTEXT, now=now)).opened == 0

    dip_start = start + timedelta(days=82)
    await answers(conn, "tyo-07", dip_start, 8, DIP, received=now)  # stored late, today
    await roll_up(("UTC",), None)
    assert (await run_round(conn, CONTEXT, now=now + timedelta(minutes=5))).opened == 1
    (alert,) = await open_alerts(conn)
    assert alert["value"] == "tyo-07"
    assert alert["zone"] == "Asia/Tokyo"
    local_start = (dip_start + timedelta(hours=12)).astimezone(tokyo).date()
    assert local_start != (dip_start + timedelta(hours=12)).date()  # UTC would say otherwise
    assert abs((alert["since"] - local_start).days) <= 1


async def test_a_muted_series_reopens_without_webhooks(
    conn: asyncpg.Connection, now: datetime, roll_up: RollUp, client: httpx.AsyncClient,
    make_key: Callable[..., Awaitable[Headers]],
) -> None:  # fmt: skip
    await nps_only(conn, dimensions=["location_id"])
    await subscribe(conn)
    start = now.replace(hour=0) - timedelta(days=90)
    await answers(conn, "a", start, 80, NORMAL)
    await answers(conn, "b", start, 90, NORMAL)
    await answers(conn, "a", start + timedelta(days=80), 10, DIP)
    await roll_up(("UTC",), None)
    await run_round(conn, CONTEXT, now=now)
    (alert,) = await open_alerts(conn)
    cases = await make_key("cases")
    until = now + timedelta(days=60)
    patched = await client.patch(
        f"/v1/alerts/{alert['id']}",
        json={
            "acknowledged": True, "note": "Second till from Monday",
            "muted_until": until.isoformat(),
        },
        headers=cases,
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["acknowledged_at"] is not None
    assert body["acknowledged_by"].startswith("key:")
    assert body["note"] == "Second till from Monday"
    # back to normal while muted: it resolves, without an alert.resolved
    await conn.execute("DELETE FROM webhook_messages")
    await answers(conn, "a", start + timedelta(days=90), 21, NORMAL)
    await answers(conn, "b", start + timedelta(days=90), 31, NORMAL)
    await roll_up(("UTC",), None)
    assert (await run_round(conn, CONTEXT, now=now + timedelta(days=21))).resolved == 1
    assert await messages(conn) == []
    # the series slips again ten days later, still within the mute: born muted, silent
    await answers(conn, "a", start + timedelta(days=111), 10, DIP)
    await roll_up(("UTC",), None)
    assert (await run_round(conn, CONTEXT, now=now + timedelta(days=31))).opened == 1
    (reopened,) = await open_alerts(conn)
    assert reopened["id"] != alert["id"]
    assert reopened["muted_until"] == until
    assert await messages(conn) == []


async def test_one_evaluator_at_a_time(fresh_database: Callable[[], Awaitable[URL]]) -> None:
    url = libpq_url(await fresh_database())
    holder, other = await asyncpg.connect(url), await asyncpg.connect(url)
    try:
        async with holder.transaction():
            await holder.execute("SELECT pg_advisory_xact_lock($1)", 0x66656564_616C7274)
            assert (await run_round(other, CONTEXT)).ran is False
        assert (await run_round(other, CONTEXT)).ran is True
    finally:
        await holder.close()
        await other.close()


async def test_an_open_alert_is_followed_even_when_its_series_would_not_be_tested(
    conn: asyncpg.Connection, now: datetime, roll_up: RollUp
) -> None:
    """Its series keeps being read (and can resolve) when the rules would no longer test
    it: here a baseline minimum no series meets."""
    await nps_only(conn, dimensions=["location_id"])
    start = now.replace(hour=0) - timedelta(days=90)
    await answers(conn, "a", start, 80, NORMAL)
    await answers(conn, "b", start, 90, NORMAL)
    await answers(conn, "a", start + timedelta(days=80), 10, DIP)
    await roll_up(("UTC",), None)
    assert (await run_round(conn, CONTEXT, now=now)).opened == 1
    await conn.execute(
        "UPDATE alert_rules SET rules = rules || '{\"min_baseline_n\": 1000000}'::jsonb"
    )
    later = await run_round(conn, CONTEXT, now=now + timedelta(minutes=5))
    assert (later.tested, later.updated) == (0, 1)
