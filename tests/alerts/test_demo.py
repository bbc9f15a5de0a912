"""The demo's Lisbon dip is found by a backtest within 7 days of its start, and no stable
branch is alerted; the demo's data and the replay use fixed instants only."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy.engine import URL

from app.alerts.backtest import backtest
from app.alerts.service import Context
from app.db import create_engine, libpq_url
from app.demo import chain
from app.demo.generate import Spec, dip_of
from app.demo.service import fill
from app.settings import Settings

END = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
SPEC = Spec(seed=1, end=END)  # the default demo: about 120,000 events over 180 days


async def test_the_lisbon_dip_is_found_within_a_week_and_no_stable_branch_is_alerted(
    fresh_database: Callable[[], Awaitable[URL]],
) -> None:
    url = await fresh_database()
    settings = Settings(database_url=libpq_url(url), rollup_interval_seconds=0)
    engine = create_engine(url, settings)
    try:
        await fill(engine, settings, SPEC, jobs=2)
    finally:
        await engine.dispose()
    dip = dip_of(SPEC)
    conn = await asyncpg.connect(libpq_url(url))
    try:
        context = Context(settings.default_tz, settings.follow_up_sla, settings.employee_min_n)
        found = await backtest(
            conn, context, dip.start - timedelta(days=7), dip.start + timedelta(days=10)
        )
    finally:
        await conn.close()

    def branch_of(alert: dict[str, object]) -> object:
        scope = alert["scope"]
        assert isinstance(scope, dict)
        return scope["within"].get("location_id") or (
            scope["value"] if scope["dimension"] == "location_id" else None
        )

    lisbon = [
        a for a in found
        if a["scope"] == {"dimension": "location_id", "value": chain.DIP_BRANCH, "within": {}}
        and a["metric"] == "nps" and a["direction"] == "down"
    ]  # fmt: skip
    assert len(lisbon) == 1, found
    (alert,) = lisbon
    opened = datetime.fromisoformat(alert["opened_at"]).date()
    assert opened - dip.start <= timedelta(days=7)
    assert abs((datetime.fromisoformat(alert["since"]).date() - dip.start).days) <= 3
    assert alert["evidence"]["change"] < -10
    stable = {b.id for b in chain.BRANCHES} - {chain.DIP_BRANCH}
    assert [a for a in found if branch_of(a) in stable] == []
    # nothing opened before the dip began
    assert all(datetime.fromisoformat(a["opened_at"]).date() >= dip.start for a in found)
