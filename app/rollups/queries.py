"""SQL that reads the rollups (and the raw rows they do not hold yet), built from `Selection`
with bound parameters only: for the metrics endpoints and the alerts."""

from typing import Any

from app.rollups.aggregates import FAMILIES, select_list
from app.rollups.plan import Plan, Span
from app.selection.attributes import group_parts
from app.selection.comments import group_joins
from app.selection.conditions import column, dimension_conditions, group_column
from app.selection.filters import Selection
from app.sql import Params


def _spans(column: str, spans: tuple[Span, ...], params: Params) -> str:
    return " OR ".join(f"({column} >= {params(a)} AND {column} < {params(b)})" for a, b in spans)


def _from_clause(table: str, alias: str, filters: Selection, group_by: str | None) -> str:
    grouped = group_parts(group_by) if group_by else []
    joins = []
    if "region" in filters.dimensions or "region" in grouped:
        joins.append(f"LEFT JOIN locations l ON l.id = {alias}.location_id")
    if "tag" in grouped:
        joins.append(f"CROSS JOIN LATERAL unnest({alias}.tags) AS t(tag)")
    if alias == "e":  # rollup rows never group on the comment (cubes.RAW_ONLY)
        joins.extend(group_joins(grouped))
    return f"{table} {alias} " + " ".join(joins)


def bucket_expression(interval: str, tz: str, instant: str = "e.occurred_at") -> str:
    """The local start of the bucket of `instant`, as an instant.

    Days and longer: `date_trunc(unit, ts, zone)` (local calendar, DST-aware).
    Hours: the instant minus its minutes and seconds past the local hour, so
    the two 01:00 hours of a DST fall-back night stay two buckets and
    half-hour and 45-minute zones are exact. `tz` is a checked IANA name.
    """
    if interval == "hour":
        local = f"({instant} AT TIME ZONE '{tz}')"
        return f"({instant} - ({local} - date_trunc('hour', {local})))"
    return f"date_trunc('{interval}', {instant}, '{tz}')"


def cells_sql(
    filters: Selection,
    *,
    interval: str | None,
    group_by: str | None,
    plan: Plan,
    watermark: int,
    by_received_day: bool = False,
    packed: bool = False,
) -> tuple[str, list[Any]]:
    """Aggregates per (bucket, group) of the filtered set: rollup rows and raw rows merged.

    Three disjoint parts, summed: the rollup rows of `plan.rolled`, the raw rows
    of `plan.raw`, and the raw rows of `plan.rolled` not yet rolled up
    (id > watermark). Without interval or group_by: one row, the whole set.
    Read the watermark in the same snapshot (app/rollups/cells.py does).
    `by_received_day`: one more key, `received`, the local day an event was stored (or
    occurred, if later), so that a replay can sum what was known by each day's end (raw
    rows only: give a plan without rolled spans).
    `packed`: the aggregates as one column, `counts`, the binary form (`array_send`) of a
    bigint[] in `column_names` order, after the bucket's start in microseconds since 1970
    (with an interval; no `bucket` column then): one bytes value for the driver per cell,
    not a Python int per aggregate. With an interval, the rollup cells of that very
    interval (days for days...) come as they are, not summed with the other parts: the
    caller sums the rows of one (bucket, group), and leaves out a group whose volume sums
    to 0 (events after `to` taken out again); the HAVING below is left out then, since
    the rest of a cell may sum to a volume of 0 and still count.
    """
    params = Params()
    families = {"volume", *filters.metrics}
    names = [name for f in FAMILIES if f in families for name, _ in FAMILIES[f]]
    raw_keys, outer_keys = [], []
    if interval is not None:
        raw_keys.append(f"{bucket_expression(interval, filters.tz)} AS bucket")
        outer_keys.append("bucket")
    if group_by is not None:
        raw_keys.append(f"{group_column(filters, group_by, 'e', params)} AS grp")
        outer_keys.append("grp")
    if by_received_day:
        stored = "greatest(e.received_at, e.occurred_at)"
        raw_keys.append(f"date_trunc('day', {stored}, '{filters.tz}') AS received")
        outer_keys.append("received")

    def rollup_keys(span: str) -> str:
        keys = []
        if interval == span and span != "hour":  # cells of the zone's own days, weeks, months
            keys.append("r.bucket AS bucket")  # date_trunc again would cost 1 µs a row
        elif interval is not None:
            keys.append(f"{bucket_expression(interval, filters.tz, 'r.bucket')} AS bucket")
        if group_by is not None:
            keys.append(f"{column(group_by, 'r')} AS grp")
        return "".join(f"{k}, " for k in keys)

    group = (
        f"GROUP BY {', '.join(str(i + 1) for i in range(len(outer_keys)))}" if outer_keys else ""
    )

    def raw_part(window: str) -> str:
        conditions = " AND ".join([*dimension_conditions(filters, params, "e"), f"({window})"])
        return (
            f"SELECT {''.join(f'{k}, ' for k in raw_keys)}{select_list(filters.metrics)}\n"
            f"FROM {_from_clause('feedback_events', 'e', filters, group_by)}\n"
            f"WHERE {conditions}\n{group}"
        )

    keys_out = "".join(f"{k}, " for k in outer_keys)
    parts = []
    direct = []  # packed: cells of the asked interval itself, sent as they are (see below)
    if plan.cube is not None and plan.rolled:
        rows = ", ".join(f"r.{n}" for n in names)
        source = _from_clause("metric_rollups", "r", filters, group_by)
        for span, spans, zone in (
            ("month", (plan.month,) if plan.month else (), filters.tz),
            ("week", plan.weeks, filters.tz),
            ("day", plan.days, filters.tz),
            ("hour", plan.hours, "UTC"),
        ):
            if not spans:
                continue
            # One partition per branch (cube, span), read along its (zone, bucket) index.
            conditions = " AND ".join(
                [f"r.cube = {plan.cube.id}", f"r.span = '{span}'", f"r.zone = {params(zone)}",
                 f"({_spans('r.bucket', spans, params)})",
                 *dimension_conditions(filters, params, "r")]
            )  # fmt: skip
            if packed and span == interval and span != "hour":
                # Each cell is in one bucket, so the caller sums it into its answer
                # cell as PostgreSQL would: no GROUP BY over ten thousand cells.
                cell = ", ".join(["(extract(epoch FROM r.bucket) * 1000000)::bigint",
                                  *(f"coalesce(r.{n}, 0)" for n in names)])  # fmt: skip
                keys = f"{column(group_by, 'r')} AS grp, " if group_by is not None else ""
                direct.append(
                    f"SELECT {keys}array_send(ARRAY[{cell}]::bigint[]) AS counts\n"
                    f"FROM {source}\nWHERE {conditions}"
                )
                continue
            parts.append(f"SELECT {rollup_keys(span)}{rows}\nFROM {source}\nWHERE {conditions}")
        tail = _spans("e.occurred_at", plan.unrolled, params)
        parts.append(raw_part(f"e.id > {params(watermark)} AND ({tail})"))
        if plan.beyond:  # in the cells read, after `end`: taken out again
            after = _spans("e.occurred_at", plan.beyond, params)
            negated = ", ".join(f"-{n} AS {n}" for n in names)
            parts.append(
                f"SELECT {keys_out}{negated} FROM ("
                f"{raw_part(f'e.id <= {params(watermark)} AND ({after})')}) AS beyond"
            )
    if plan.raw:
        parts.append(raw_part(_spans("e.occurred_at", plan.raw, params)))
    union = "\nUNION ALL\n".join(f"({p})" for p in parts)
    sums = [f"coalesce(sum({n}), 0)::bigint" for n in names]
    if packed:  # the bucket as microseconds since 1970 (exact), then the sums; keys by name
        epoch = ["(extract(epoch FROM bucket) * 1000000)::bigint"] if interval is not None else []
        keys = "".join(f"{k}, " for k in outer_keys if k != "bucket")
        # array_send: the array's binary form as bytea, which the driver hands over as one
        # bytes object and numpy reads whole (app/metrics/service.py `_table`).
        columns = f"array_send(ARRAY[{', '.join([*epoch, *sums])}]) AS counts"
        outer_group = f"GROUP BY {', '.join(outer_keys)}" if outer_keys else ""
    else:
        keys, outer_group = "".join(f"{k}, " for k in outer_keys), group
        columns = ", ".join(f"{s} AS {n}" for s, n in zip(sums, names, strict=True))
    # A group whose only rows lie after `to` sums to nothing there: it is not in the window.
    # Not with direct cells: the rest of a (bucket, group) may sum to a volume of 0 and
    # still count (a late event and one after `to`), so the caller sums and filters.
    having = "\nHAVING sum(volume) <> 0" if plan.beyond and outer_keys and not direct else ""
    sql = f"SELECT {keys}{columns}\nFROM (\n{union}\n) AS parts\n{outer_group}{having}"
    if direct:
        sql = "\nUNION ALL\n".join(f"({p})" for p in [*direct, sql])
    return sql, params.values


def _ceil(unit: str, instant: str, step: str) -> str:
    """The first local `unit` start (a date_trunc label) at or after `instant`, in zone $3;
    `step` after one start is always inside the next unit."""
    trunc = f"date_trunc('{unit}', {instant}, $3::text)"
    return (
        f"CASE WHEN {trunc} = {instant} THEN {instant} "
        f"ELSE date_trunc('{unit}', {trunc} + interval '{step}', $3::text) END"
    )


STATE_SQL = f"""
SELECT watermark, zones,
       {_ceil("day", "$1::timestamptz", "36 hours")} AS first_day,
       {_ceil("day", "$1::timestamptz + interval '2 hours'", "36 hours")} AS next_day,
       date_trunc('day', $2::timestamptz, $3::text) AS last_day,
       date_trunc('day', date_trunc('day', $2::timestamptz, $3::text) + interval '36 hours',
                  $3::text) AS day_after_last,
       $2::timestamptz >= now() - interval '1 minute' AS open_end,
       {_ceil("week", "$1::timestamptz", "240 hours")} AS first_week,
       {_ceil("week", "$1::timestamptz + interval '2 hours'", "240 hours")} AS next_week,
       date_trunc('week', $2::timestamptz, $3::text) AS last_week,
       m.first_month,
       {_ceil("month", "$1::timestamptz + interval '2 hours'", "1080 hours")} AS next_month,
       m.last_month,
       date_trunc('week', m.first_month, $3::text) AS week_before_month,
       {_ceil("week", "m.last_month", "240 hours")} AS week_after_month
FROM metric_rollup_state,
     LATERAL (SELECT {_ceil("month", "$1::timestamptz", "1080 hours")} AS first_month,
                     date_trunc('month', $2::timestamptz, $3::text) AS last_month) AS m
WHERE id = 1
"""
"""The watermark, the rolled-up zones, and in zone $3 by PostgreSQL's own calendar: the
first midnight, week and month start at or after $1 (and after $1 + 2 hours, see
`plan.calendar`), the last at or before $2 and the midnight after that, the week
starts next to the months; and whether the window ends now or later (`open_end`: a
minute's grace, as a default `to` of now is taken before the snapshot).
Local days last 23 to 25 hours, weeks 167 to 169 and months 28 to 31 days, so 36
(240, 1080) hours after the start of one is always inside the next."""


def buckets_sql(interval: str) -> str:
    """Every bucket start (an instant) overlapping [$1, $2) in zone $3, in order.

    Generated in the zone's local calendar and converted back by PostgreSQL,
    so the labels are exactly what `bucket_expression` produces.
    """
    if interval == "hour":
        # Local hour starts are the 15-minute UTC marks where the local minute is 0
        # (every offset in use is a multiple of 15 minutes).
        return """
SELECT g FROM generate_series(
    date_trunc('hour', $1::timestamptz) - interval '1 hour', $2::timestamptz, interval '15 minutes'
) AS g
WHERE extract(minute FROM g AT TIME ZONE $3::text) = 0
  AND g < $2::timestamptz
  AND g > $1::timestamptz - interval '1 hour'
ORDER BY g"""
    step = "3 months" if interval == "quarter" else f"1 {interval}"
    # Up to the bucket of the window's last instant, not "starts before `to`": where a
    # day begins at a midnight that happens twice (America/Havana, 2026-11-01),
    # PostgreSQL labels it by the second one, after the events of its first hour.
    return f"""
SELECT g AT TIME ZONE $3::text AS g FROM generate_series(
    date_trunc('{interval}', $1::timestamptz AT TIME ZONE $3::text),
    $2::timestamptz AT TIME ZONE $3::text,
    interval '{step}'
) AS g
WHERE g AT TIME ZONE $3::text
      <= date_trunc('{interval}', $2::timestamptz - interval '1 microsecond', $3::text)
ORDER BY 1"""
