"""`feedback alerts backtest`: the detector replayed over stored history, day by day.

Each day is evaluated as of its end in each scope's zone, from the events stored
by then (late events count from the day they arrived), with the rules in force
(or given), and an in-memory `detect.Monitor` in place of the `alerts` table.
The answer lists every alert the replay opened, as the API would show it, with
its state at the end of the replay (resolved or still open).
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from app.alerts.detect import Direction, Monitor, SeriesKey
from app.alerts.rules import AlertRules
from app.alerts.series import Reader, Replay
from app.alerts.service import Context, alert_out, evidence, get_rules, series_text
from app.locations import service as locations


def _end_of(day: date, zone: str) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(zone)).astimezone(UTC)


async def backtest(
    conn: asyncpg.Connection,
    context: Context,
    first: date,
    last: date,
    *,
    rules: AlertRules | None = None,
    progress: Callable[[date, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Every alert the detector would have opened from `first` to `last` (local days,
    both included), in the order opened."""
    rules = rules or await get_rules(conn)
    zones = await locations.zones(conn)
    watch = rules.watch()
    monitor = Monitor(rules.tuning(), watch, fdr=rules.fdr, improvements=rules.improvements)
    rows: dict[tuple[SeriesKey, Direction], dict[str, Any]] = {}
    opened: list[dict[str, Any]] = []
    replay = Replay(first, last)
    day = first
    while day <= last:
        replay.day = day
        reader = Reader(
            conn, rules, default_zone=context.default_zone, location_zones=zones,
            sla=context.sla, employee_min_n=context.employee_min_n, replay=replay,
            followed=[key for key, _ in monitor.open],
        )  # fmt: skip
        read = await reader.read()
        outcome = monitor.step(read.series)
        for s, direction, found in outcome.opened:
            info = read.info[s.key]
            at = _end_of(day, info.zone)
            alert = monitor.open[(s.key, direction)]
            metric, dimension, value, conditions = s.key
            row: dict[str, Any] = {
                "id": len(opened) + 1, "series": series_text(s.key), "status": "open",
                "metric": metric, "dimension": dimension, "value": value,
                "conditions": dict(conditions), "location_id": info.location_id,
                "direction": direction, "zone": info.zone, "since": alert.since,
                "opened_at": at, "updated_at": at, "resolved_at": None,
                "acknowledged_at": None, "acknowledged_by": None, "note": None,
                "muted_until": None,
                "evidence": evidence(
                    s, info, direction, found, rules, end=at, since=alert.since, before=None,
                ),
            }  # fmt: skip
            rows[(s.key, direction)] = row
            opened.append(row)
        for resolved, items in ((False, outcome.updated), (True, outcome.resolved)):
            for s, alert, found in items:
                row = rows[(s.key, alert.direction)]
                at = _end_of(day, row["zone"])
                row["evidence"] = evidence(
                    s, read.info[s.key], alert.direction, found, rules, end=at,
                    since=alert.since, before=row["evidence"],
                )  # fmt: skip
                row["updated_at"] = at
                if resolved:
                    row["status"], row["resolved_at"] = "resolved", at
                    del rows[(s.key, alert.direction)]
        if progress is not None:
            progress(day, len(opened))
        day += timedelta(days=1)
    return [alert_out(r) for r in opened]
