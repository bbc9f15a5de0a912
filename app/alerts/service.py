"""Alert rounds, and the alerts and rules as the API reads and changes them.

A round (`run_round`) takes an advisory lock (one evaluator at a time across
workers and nodes; the others skip), reads every watched series as of now in one
snapshot (`series.Reader`), runs the detector (`detect.evaluate`) against the open
alerts' stored state, and in the same transaction opens, updates and resolves alerts
and writes `alert.opened` and `alert.resolved` webhook messages to the outbox: all of
a round or none of it.

The lock is taken before the snapshot, at session level, and let go after the
commit. Taken inside the REPEATABLE READ transaction (as until issue 22), the lock
call was itself the statement that fixed the snapshot, before the lock was granted:
a round that got the lock just as another committed could read the alerts as they
were before that round, open the same alert again (refused by the unique index:
a failed round, logged as an error) or resolve it twice. (The worker's rounds are
one worker's anyway, `app/alerts/worker.py`; `feedback alerts run` is not.)
"""

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import asyncpg
import orjson

from app import stats
from app.alerts import detect
from app.alerts.detect import (
    Direction,
    Finding,
    OpenAlert,
    Outcome,
    Question,
    Reference,
    Series,
    SeriesKey,
    Sums,
    Tuning,
)
from app.alerts.rules import METRIC_SCALES, AlertRules
from app.alerts.series import Reader, Round, ScopeInfo
from app.errors import NotFound
from app.http.cursors import decode_instant_cursor, encode_instant_cursor, page
from app.locations import service as locations
from app.sql import Params
from app.webhooks import service as webhooks
from app.webhooks.payloads import ALERT_OPENED, ALERT_RESOLVED

log = logging.getLogger(__name__)

LOCK_KEY = 0x66656564_616C7274  # pg_advisory_xact_lock key: "feedalrt"

METHOD = {
    "own_past": "CUSUM of the log-likelihood ratio against the scope's own baseline",
    "rest_of_chain": "CUSUM of the log-likelihood ratio of the gap to the rest of the chain "
    "against the gap in the baseline",
}


def _json(value: Any) -> Any:
    """A JSON column's value: text from a bare connection, parsed already where a codec is
    set (the service's pool sets none; a caller's connection may)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


# ---------------------------------------------------------------- rules


async def get_rules(conn: asyncpg.Connection) -> AlertRules:
    raw = await conn.fetchval("SELECT rules FROM alert_rules WHERE id = 1")
    return AlertRules.model_validate(_json(raw) if raw else {})


async def put_rules(conn: asyncpg.Connection, rules: AlertRules) -> AlertRules:
    body = rules.model_dump_json(exclude_defaults=True)
    await conn.execute(
        "INSERT INTO alert_rules (id, rules) VALUES (1, $1::jsonb) "
        "ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, updated_at = now()",
        body,
    )
    return rules


# ---------------------------------------------------------------- evidence


def series_text(key: SeriesKey) -> str:
    """The canonical text of a series: what "one open alert per series" is unique on."""
    metric, dimension, value, conditions = key
    return orjson.dumps([metric, dimension, value, [list(c) for c in conditions]]).decode()


def figure(metric: str, sums: Sums) -> dict[str, Any]:
    """A metric's value, n and 95 % interval from per-answer sums, as the metrics
    endpoints compute them (docs/metrics.md)."""
    n = sums.n
    if metric == "nps":
        signed, either = sums.total / 100, sums.squares / 1e4  # promoters - and + detractors
        promoters, detractors = round((either + signed) / 2), round((either - signed) / 2)
        counts = [detractors] + [0] * 6 + [n - promoters - detractors, 0, promoters, 0]
        n, value, low, high, _ = stats.nps_figure(counts)
    elif metric in ("csat", "follow_up_late"):
        share = stats.share(round(sums.total / 100), n)
        value, low, high = share.value, share.ci_low, share.ci_high
    else:
        mean = stats.mean_interval(n, sums.total, sums.squares)
        value, low, high = mean.value, mean.ci_low, mean.ci_high
    return {"value": value, "n": n, "ci_low": low, "ci_high": high}


def _instant(day: date, zone: str) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZoneInfo(zone)).astimezone(UTC)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _link(metric: str, info: ScopeInfo, start: datetime, end: datetime, scoped: bool) -> str:
    """The metrics request that reproduces a figure (the scope's, or the whole chain's)."""
    params: list[tuple[str, str]] = [("from", _iso(start)), ("to", _iso(end)), ("tz", info.zone)]
    if scoped:
        params += list(info.filters)
    if metric == "follow_up_late":
        return f"/v1/metrics/follow-ups?{urlencode(params)}"
    family = "servqual" if metric.startswith("servqual_") else metric
    return f"/v1/metrics/summary?{urlencode([*params, ('metrics', family)])}"


def _period(
    metric: str, sums: Sums, info: ScopeInfo, first: date, end: datetime, scoped: bool = True
) -> dict[str, Any]:
    start = _instant(first, info.zone)
    return {
        "from": _iso(start), "to": _iso(end), **figure(metric, sums),
        "request": _link(metric, info, start, end, scoped),
    }  # fmt: skip


def _test(
    f: Finding, direction: Direction, t: Tuning, adjusted: float | None, opening: bool
) -> dict[str, Any]:
    """One question's test: its statistic and p-value now, the p-value adjusted across the
    round that opened the alert (Benjamini-Hochberg), and whether it fired (opening) or
    still signals (later: the evidence since the change began at the threshold, the
    change as large as the minimum)."""
    signed = f.change if direction == "up" else -f.change
    signals = f.statistic >= t.threshold and signed >= t.min_change
    return {
        "question": f.question,
        "method": METHOD[f.question],
        "statistic": round(f.statistic, 4),
        "threshold": t.threshold,
        "p_value": f.p_value,
        "adjusted_p_value": adjusted,
        "change": f.change if f.statistic > 0 else None,  # no run, no change-point
        "fired": f.fired if opening else signals,
    }


def evidence(
    series: Series,
    info: ScopeInfo,
    direction: Direction,
    findings: Sequence[Finding],
    rules: AlertRules,
    *,
    end: datetime,
    since: date,
    before: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """What an alert shows: the watched days since the change began, the baseline, the rest
    of the chain over the same days, the change, and each question's test. `before`: the
    alert's evidence so far (None when it opens), whose baseline and adjusted p-values
    stay as they were when it opened."""
    opening = before is None
    baseline = None if before is None else before["baseline"]
    adjusted = {} if before is None else {
        t["question"]: t["adjusted_p_value"] for t in before["tests"]
    }  # fmt: skip
    metric = series.key[0]
    watch = rules.watch()
    start = max(series.index(since), watch.baseline_days)
    first = series.day(start)
    if baseline is None:
        baseline = _period(
            metric, detect.baseline(series, watch), info, series.first_day,
            _instant(series.day(watch.baseline_days), info.zone),
        )  # fmt: skip
    current = detect.add(series.days[start:])
    chain = None
    if series.rest is not None:
        chain = _period(metric, detect.add(series.rest[start:]), info, first, end, scoped=False)
        chain["note"] = "the rest of the chain is the chain (this request) less this scope"
    value, base = figure(metric, current)["value"], baseline["value"]
    t = rules.tuning()[metric]
    _, _, unit = METRIC_SCALES[metric]
    return {
        "since": since.isoformat(),
        "zone": info.zone,
        "as_of": _iso(end),
        "unit": unit,
        "current": _period(metric, current, info, first, end),
        "baseline": dict(baseline),
        "rest_of_chain": chain,
        "change": None if value is None or base is None else value - base,
        "min_change": t.min_change,
        "tests": [
            _test(f, direction, t, f.adjusted_p if opening else adjusted.get(f.question), opening)
            for f in findings
        ],
    }


# ---------------------------------------------------------------- state


def _state(alert: OpenAlert) -> str:
    metric, dimension, value, conditions = alert.key
    return orjson.dumps(
        {
            "key": [metric, dimension, value, [list(c) for c in conditions]],
            "references": {
                q: [r.level, r.variance, r.rest_variance, r.se, r.n]
                for q, r in alert.references.items()
            },
        }
    ).decode()


def _open_alert(row: Mapping[str, Any]) -> OpenAlert:
    state = _json(row["state"])
    metric, dimension, value, conditions = state["key"]
    key: SeriesKey = (metric, dimension, value, tuple((d, v) for d, v in conditions))
    refs: dict[Question, Reference] = {
        q: Reference(level, var, rest_var, se, int(n))
        for q, (level, var, rest_var, se, n) in state["references"].items()
    }
    return OpenAlert(key, row["direction"], refs, row["since"])


# ---------------------------------------------------------------- a round


@dataclass(frozen=True, slots=True)
class RoundResult:
    ran: bool  # False: another worker holds the lock, or the rules are off
    series: int = 0
    tested: int = 0
    opened: int = 0
    updated: int = 0
    resolved: int = 0
    seconds: float = 0.0
    read_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Context:
    """What a round needs from the settings."""

    default_zone: str
    sla: timedelta
    employee_min_n: int


ALERT_COLUMNS = """id, metric, dimension, value, conditions, location_id, direction, status, zone,
since, opened_at, updated_at, resolved_at, acknowledged_at, acknowledged_by, note, muted_until,
evidence"""

INSERT_SQL = f"""
INSERT INTO alerts (series, metric, dimension, value, conditions, location_id, direction, zone,
                    since, opened_at, updated_at, evidence, state, muted_until)
SELECT $1::text, $2::text, $3::text, $4::text, $5::jsonb, $6::text, $7::text, $8::text,
       $9::date, $10::timestamptz, $10, $11::jsonb, $12::jsonb,
       (SELECT max(muted_until) FROM alerts
        WHERE series = $1 AND direction = $7 AND muted_until > $10)
RETURNING {ALERT_COLUMNS}
"""


async def run_round(
    conn: asyncpg.Connection, context: Context, *, now: datetime | None = None
) -> RoundResult:
    """One round as of `now` (the database's clock when None); see the module doc."""
    began = time.perf_counter()
    if conn.is_in_transaction():
        # A caller's transaction (the tests'): the snapshot is the caller's, the lock
        # ends with that transaction.
        async with conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", LOCK_KEY):
                return RoundResult(ran=False)
            return await _evaluate(conn, context, now, began)
    # The lock first, then the snapshot: one for every series, taken after the last
    # round's commit.
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
        return RoundResult(ran=False)
    try:
        async with conn.transaction(isolation="repeatable_read"):
            return await _evaluate(conn, context, now, began)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)


async def _evaluate(
    conn: asyncpg.Connection, context: Context, now: datetime | None, began: float
) -> RoundResult:
    """The round itself, in its transaction, under the lock."""
    await conn.execute("SET LOCAL statement_timeout = 0")  # bounded by its own reads
    rules = await get_rules(conn)
    if not rules.enabled:
        return RoundResult(ran=False)
    at: datetime = now or await conn.fetchval("SELECT now()")
    rows = await conn.fetch(
        "SELECT id, direction, since, state, evidence FROM alerts WHERE status = 'open'"
    )
    stored: dict[tuple[SeriesKey, Direction], tuple[int, Any]] = {}
    open_alerts: dict[tuple[SeriesKey, Direction], OpenAlert] = {}
    for row in rows:
        alert = _open_alert(row)
        open_alerts[(alert.key, alert.direction)] = alert
        stored[(alert.key, alert.direction)] = row["id"], _json(row["evidence"])
    reader = Reader(
        conn, rules, default_zone=context.default_zone,
        location_zones=await locations.zones(conn), sla=context.sla, end=at,
        employee_min_n=context.employee_min_n, followed=[k for k, _ in open_alerts],
    )  # fmt: skip
    read = await reader.read()
    read_seconds = time.perf_counter() - began
    past = await _past_periods(conn, at - timedelta(days=rules.watch().days + 1))
    series = [
        detect.with_excluded(s, past.get(series_text(s.key), ()), open_alerts) for s in read.series
    ]
    outcome = detect.evaluate(
        series, open_alerts, rules.tuning(), rules.watch(), fdr=rules.fdr,
        improvements=rules.improvements,
    )  # fmt: skip
    await _apply(conn, outcome, read, rules, stored, at)
    return RoundResult(
        ran=True, series=len(read.series), tested=outcome.tested, opened=len(outcome.opened),
        updated=len(outcome.updated), resolved=len(outcome.resolved),
        seconds=time.perf_counter() - began, read_seconds=read_seconds,
    )  # fmt: skip


async def _past_periods(
    conn: asyncpg.Connection, after: datetime
) -> dict[str, list[tuple[date, date]]]:
    """The local days under each series' alerts resolved after `after`: [since, the day
    after the one it resolved on)."""
    out: dict[str, list[tuple[date, date]]] = {}
    for r in await conn.fetch(
        "SELECT series, since, zone, resolved_at FROM alerts "
        "WHERE status = 'resolved' AND resolved_at > $1",
        after,
    ):
        last = r["resolved_at"].astimezone(ZoneInfo(r["zone"])).date()
        out.setdefault(r["series"], []).append((r["since"], last + timedelta(days=1)))
    return out


async def _apply(
    conn: asyncpg.Connection,
    outcome: Outcome,
    read: Round,
    rules: AlertRules,
    stored: Mapping[tuple[SeriesKey, Direction], tuple[int, Any]],
    at: datetime,
) -> None:
    """Write a round's outcome: new alerts, fresh evidence, resolutions, their messages.
    `stored`: each open alert's id and evidence so far."""
    watch = rules.watch()
    for s, direction, found in outcome.opened:
        info = read.info[s.key]
        alert = detect.opened_alert(s, direction, found, rules.tuning()[s.key[0]], watch)
        proof = evidence(s, info, direction, found, rules, end=at, since=alert.since, before=None)
        metric, dimension, value, conditions = s.key
        row = await conn.fetchrow(
            INSERT_SQL, series_text(s.key), metric, dimension, value,
            orjson.dumps(dict(conditions)).decode(), info.location_id, direction, info.zone,
            alert.since, at, orjson.dumps(proof).decode(), _state(alert),
        )  # fmt: skip
        if row["muted_until"] is None:
            await webhooks.enqueue(conn, ALERT_OPENED, at, alert_out(row))
    for resolved, items in ((False, outcome.updated), (True, outcome.resolved)):
        for s, alert, found in items:
            alert_id, before = stored[(s.key, alert.direction)]
            proof = evidence(
                s, read.info[s.key], alert.direction, found, rules, end=at, since=alert.since,
                before=before,
            )  # fmt: skip
            row = await conn.fetchrow(
                f"UPDATE alerts SET evidence = $2::jsonb, updated_at = $3, "
                f"status = CASE WHEN $4 THEN 'resolved' ELSE status END, "
                f"resolved_at = CASE WHEN $4 THEN $3 ELSE resolved_at END "
                f"WHERE id = $1 RETURNING {ALERT_COLUMNS}",
                alert_id, orjson.dumps(proof).decode(), at, resolved,
            )  # fmt: skip
            if resolved and (row["muted_until"] is None or row["muted_until"] <= at):
                await webhooks.enqueue(conn, ALERT_RESOLVED, at, alert_out(row))


# ---------------------------------------------------------------- the API


def alert_out(row: Mapping[str, Any]) -> dict[str, Any]:
    """An alert as the API and the webhooks show it (JSON-ready)."""
    conditions, proof = _json(row["conditions"]), _json(row["evidence"])

    def instant(t: datetime | None) -> str | None:
        return None if t is None else _iso(t)

    return {
        "id": row["id"],
        "status": row["status"],
        "metric": row["metric"],
        "scope": {"dimension": row["dimension"], "value": row["value"], "within": conditions},
        "direction": row["direction"],
        "since": row["since"].isoformat(),
        "zone": row["zone"],
        "opened_at": instant(row["opened_at"]),
        "updated_at": instant(row["updated_at"]),
        "resolved_at": instant(row["resolved_at"]),
        "acknowledged_at": instant(row["acknowledged_at"]),
        "acknowledged_by": row["acknowledged_by"],
        "note": row["note"],
        "muted_until": instant(row["muted_until"]),
        "evidence": proof,
    }


async def get_alert(
    conn: asyncpg.Connection, alert_id: int, location: str | None
) -> dict[str, Any]:
    row = await conn.fetchrow(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1", alert_id)
    if row is None or (location is not None and row["location_id"] != location):
        raise NotFound(f"No alert {alert_id}.")
    return alert_out(row)


async def list_alerts(
    conn: asyncpg.Connection,
    *,
    status: str,
    metrics: Sequence[str],
    dimensions: Sequence[str],
    locations: Sequence[str],
    start: datetime | None,
    end: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first, by (opened_at, id) keyset. `start`/`end`: alerts open at some time in
    [start, end) (opened before `end`, not resolved before `start`)."""
    params = Params()
    where = []
    if status != "all":
        where.append(f"status = {params(status)}")
    if metrics:
        where.append(f"metric = ANY({params(list(metrics), '::text[]')})")
    if dimensions:
        where.append(f"dimension = ANY({params(list(dimensions), '::text[]')})")
    if locations:
        where.append(f"location_id = ANY({params(list(locations), '::text[]')})")
    if end is not None:
        where.append(f"opened_at < {params(end)}")
    if start is not None:
        where.append(f"(resolved_at IS NULL OR resolved_at >= {params(start)})")
    if cursor:
        opened_at, before_id = decode_instant_cursor(cursor, "alerts")
        where.append(f"(opened_at, id) < ({params(opened_at)}, {params(before_id)})")
    sql = (
        f"SELECT {ALERT_COLUMNS} FROM alerts {'WHERE ' + ' AND '.join(where) if where else ''} "
        f"ORDER BY opened_at DESC, id DESC LIMIT {params(limit + 1)}"
    )
    rows = [dict(r) for r in await conn.fetch(sql, *params.values)]
    items, next_cursor = page(
        rows, limit, lambda last: encode_instant_cursor("alerts", last["opened_at"], last["id"])
    )
    return [alert_out(r) for r in items], next_cursor


PATCH_SQL = f"""
UPDATE alerts SET
    acknowledged_at = CASE WHEN $2::boolean IS NULL THEN acknowledged_at
                           WHEN $2 THEN coalesce(acknowledged_at, $5) END,
    acknowledged_by = CASE WHEN $2::boolean IS NULL THEN acknowledged_by
                           WHEN $2 THEN coalesce($3, acknowledged_by) END,
    note = CASE WHEN $6 THEN $4 ELSE note END,
    muted_until = CASE WHEN $7 THEN $8 ELSE muted_until END,
    updated_at = $5
WHERE id = $1 AND ($9::text IS NULL OR location_id = $9)
RETURNING {ALERT_COLUMNS}
"""


async def patch_alert(
    conn: asyncpg.Connection,
    alert_id: int,
    *,
    acknowledged: bool | None,
    by: str | None,
    note: tuple[bool, str | None],
    muted_until: tuple[bool, datetime | None],
    location: str | None,
) -> dict[str, Any]:
    """Acknowledge (or take it back), note, mute until an instant (or unmute). Each pair is
    (given, value): a field left out keeps its value."""
    now: datetime = await conn.fetchval("SELECT now()")
    row = await conn.fetchrow(
        PATCH_SQL, alert_id, acknowledged, by, note[1], now, note[0], muted_until[0],
        muted_until[1], location,
    )  # fmt: skip
    if row is None:
        raise NotFound(f"No alert {alert_id}.")
    return alert_out(row)
