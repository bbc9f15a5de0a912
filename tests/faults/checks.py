"""What must hold after any fault: every event stored once, metrics exact, rollups whole."""

import asyncio
import time
from datetime import datetime
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild

from .load import WINDOW

ZONES = ("UTC",)  # what the service rolls up with the default settings

RECOMPUTE_SQL = """
SELECT count(*) AS volume,
       count(*) FILTER (WHERE nps >= 9) AS promoters,
       count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS passives,
       count(*) FILTER (WHERE nps <= 6) AS detractors,
       count(csat) AS csat_n,
       count(ces) AS ces_n,
       avg(ces)::float8 AS ces_mean
FROM feedback_events
WHERE occurred_at >= $1 AND occurred_at < $2
  AND respondent_type = 'customer'
"""


async def connect(url: URL) -> asyncpg.Connection:
    return await asyncpg.connect(libpq_url(url))


async def assert_stored_exactly_once(url: URL, events: list[dict[str, Any]]) -> None:
    """Every event the clients sent is stored once, with the scores it was sent with,
    and nothing else is stored."""
    sent = {e["event_id"]: e for e in events}
    assert len(sent) == len(events), "the clients reused an event_id"
    conn = await connect(url)
    try:
        rows = await conn.fetch(
            "SELECT event_id, count(*) AS copies, min(nps) AS nps, min(csat) AS csat, "
            "min(ces) AS ces FROM feedback_events GROUP BY event_id"
        )
        ledger = await conn.fetchval("SELECT count(*) FROM feedback_event_ids")
    finally:
        await conn.close()
    stored = {r["event_id"]: r for r in rows}
    missing = sorted(set(sent) - set(stored))
    assert not missing, f"{len(missing)} events lost, e.g. {missing[:5]}"
    assert set(stored) == set(sent), f"unexpected events: {sorted(set(stored) - set(sent))[:5]}"
    twice = [i for i, r in stored.items() if r["copies"] != 1]
    assert not twice, f"{len(twice)} events stored more than once, e.g. {twice[:5]}"
    assert ledger == len(sent)
    for event_id, row in stored.items():
        body = sent[event_id]
        assert (row["nps"], row["csat"], row["ces"]) == (
            body.get("nps"),
            body.get("csat"),
            body.get("ces"),
        ), event_id


async def wait_rolled_up(base_url: str, within: float = 20) -> dict[str, Any]:
    """Poll /readyz until the rollups hold every committed event; its rollup figures."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as http:
        while True:
            ready = await http.get("/readyz")
            if ready.status_code == 200 and ready.json()["rollups"]["pending_events"] == 0:
                lag: dict[str, Any] = ready.json()["rollups"]
                return lag
            assert time.monotonic() < deadline, f"rollups did not catch up: {ready.text}"
            await asyncio.sleep(0.1)


async def assert_metrics_equal_recomputation(base_url: str, read_key: str, url: URL) -> None:
    """The service's summary (served from the rollups, which have caught up) equals a
    recomputation from `feedback_events`, and so does its NPS breakdown by channel."""
    await wait_rolled_up(base_url)
    headers = {"Authorization": f"Bearer {read_key}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        summary = await http.get("/v1/metrics/summary", params=WINDOW, headers=headers)
        breakdown = await http.get(
            "/v1/metrics/breakdown",
            params={**WINDOW, "group_by": "channel", "metric": "nps", "sort": "group"},
            headers=headers,
        )
    assert summary.status_code == 200, summary.text
    assert breakdown.status_code == 200, breakdown.text
    conn = await connect(url)
    try:
        window = [datetime.fromisoformat(WINDOW[end]) for end in ("from", "to")]
        expected = await conn.fetchrow(RECOMPUTE_SQL, *window)
        by_channel = await conn.fetch(
            "SELECT channel, count(nps) AS n FROM feedback_events "
            "WHERE occurred_at >= $1 AND occurred_at < $2 "
            "GROUP BY channel",
            *window,
        )
    finally:
        await conn.close()
    metrics = summary.json()["metrics"]
    assert expected["volume"] > 0
    assert metrics["volume"]["n"] == expected["volume"]
    assert metrics["nps"]["counts"] == {
        "promoters": expected["promoters"],
        "passives": expected["passives"],
        "detractors": expected["detractors"],
    }
    assert metrics["csat"]["n"] == expected["csat_n"]
    assert metrics["ces"]["n"] == expected["ces_n"]
    assert abs(metrics["ces"]["value"] - expected["ces_mean"]) < 1e-9
    groups = {row["group"]: row["n"] for row in breakdown.json()["rows"]}
    assert groups == {r["channel"]: r["n"] for r in by_channel}


async def assert_rollups_equal_a_rebuild(url: URL) -> None:
    """The cells the service rolled up incrementally (through faults) are exactly
    what rolling everything up again from the raw table gives."""
    conn = await connect(url)
    try:
        state = await rollups.status(conn)
        assert state.watermark >= state.last_id or state.pending_events == 0
        incremental = await _rows(conn)
        await rebuild(conn, ZONES)
        assert await _rows(conn) == incremental
    finally:
        await conn.close()


async def _rows(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await conn.fetch("SELECT * FROM metric_rollups")
    return sorted((tuple(r.values()) for r in rows), key=repr)
