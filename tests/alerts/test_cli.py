"""`feedback alerts run` and `feedback alerts backtest`, as a user runs them: the real
command in its own process, against a database with a dip in one branch."""

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.rollups import service as rollups
from tests.alerts.test_service import DIP, NORMAL, answers, nps_only

FEEDBACK = Path(sys.executable).parent / "feedback"


def feedback(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["FEEDBACK_DATABASE_URL"] = url
    return subprocess.run(
        [str(FEEDBACK), *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_run_opens_the_alert_and_backtest_finds_it_day_by_day(
    fresh_database: Callable[[], Awaitable[URL]],
) -> None:
    url = libpq_url(await fresh_database())
    conn = await asyncpg.connect(url)
    try:
        now: datetime = await conn.fetchval("SELECT date_trunc('hour', now())")
        await nps_only(conn, dimensions=["location_id"])
        start = now.replace(hour=0) - timedelta(days=90)
        for location in ("a", "b"):
            await answers(conn, location, start, 80, NORMAL)
        await answers(conn, "b", start + timedelta(days=80), 10, NORMAL)
        await answers(conn, "a", start + timedelta(days=80), 10, DIP)
        await rollups.catch_up(conn, ("UTC",))
    finally:
        await conn.close()
    dip = (start + timedelta(days=80)).date()

    replay = feedback(
        url, "alerts", "backtest", "--from", str(dip - timedelta(days=3)),
        "--to", str(dip + timedelta(days=5)), "--format", "json",
    )  # fmt: skip
    assert replay.returncode == 0, replay.stderr
    (found,) = json.loads(replay.stdout)
    assert (found["metric"], found["scope"]["value"], found["direction"]) == ("nps", "a", "down")
    assert dip <= datetime.fromisoformat(found["opened_at"]).date() <= dip + timedelta(days=2)
    assert found["status"] == "open"
    text = feedback(
        url, "alerts", "backtest", "--from", str(dip), "--to", str(dip + timedelta(days=3))
    )
    assert text.returncode == 0
    assert "nps down at location_id=a" in text.stdout

    ran = feedback(url, "alerts", "run")
    assert ran.returncode == 0, ran.stderr
    assert "1 opened" in ran.stdout
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM alerts WHERE status = 'open'") == 1
    finally:
        await conn.close()
    refused = feedback(
        url, "alerts", "backtest", "--from", str(dip), "--to", str(dip - timedelta(days=1))
    )
    assert refused.returncode == 2
    assert "--to is before --from" in refused.stderr
