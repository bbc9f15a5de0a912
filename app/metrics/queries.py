"""SQL for the metrics endpoints, built from `MetricFilters` with bound parameters only."""

from typing import Any

from app.metrics.aggregates import select_list
from app.metrics.filters import MetricFilters

# Filterable (and, later, groupable) dimensions and the column each reads.
DIMENSION_COLUMNS = {
    "channel": "e.channel",
    "touchpoint": "e.touchpoint",
    "location_id": "e.location_id",
    "region": "l.region",  # from the location registry
    "employee_id": "e.employee_id",
    "respondent_type": "e.respondent_type",
    "segment": "e.segment",
    "acquisition_source": "e.acquisition_source",
}


class Params:
    """Collects bound values and hands out their `$n` placeholders."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any, cast: str = "") -> str:
        self.values.append(value)
        return f"${len(self.values)}{cast}"


def where(filters: MetricFilters, params: Params) -> tuple[str, bool]:
    """The WHERE clause of the filtered event set, and whether it needs the location registry."""
    clauses = [
        f"e.occurred_at >= {params(filters.start)}",
        f"e.occurred_at < {params(filters.end)}",
        f"e.respondent_type = ANY({params(list(filters.respondent_types), '::text[]')})",
    ]
    for dimension, values in filters.dimensions.items():
        if dimension == "respondent_type":
            continue
        if dimension == "tag":
            clauses.append(f"e.tags && {params(list(values), '::text[]')}")
        else:
            column = DIMENSION_COLUMNS[dimension]
            clauses.append(f"{column} = ANY({params(list(values), '::text[]')})")
    return " AND ".join(clauses), "region" in filters.dimensions


def summary_sql(filters: MetricFilters) -> tuple[str, list[Any]]:
    """One row: the aggregate of the whole filtered set."""
    params = Params()
    condition, needs_locations = where(filters, params)
    join = "LEFT JOIN locations l ON l.id = e.location_id" if needs_locations else ""
    columns = select_list(filters.metrics)
    sql = f"SELECT\n    {columns}\nFROM feedback_events e {join}\nWHERE {condition}"
    return sql, params.values


INTERVALS = ("hour", "day", "week", "month", "quarter", "year")

# Group-by dimensions and the expression each groups on ("tag" unnests the array).
GROUP_COLUMNS = {**DIMENSION_COLUMNS, "tag": "t.tag"}


def _from_clause(filters: MetricFilters, group_by: str | None, needs_locations: bool) -> str:
    joins = []
    if needs_locations or group_by == "region":
        joins.append("LEFT JOIN locations l ON l.id = e.location_id")
    if group_by == "tag":
        joins.append("CROSS JOIN LATERAL unnest(e.tags) AS t(tag)")
    return "feedback_events e " + " ".join(joins)


def bucket_expression(interval: str, tz: str) -> str:
    """The local start of the event's bucket, as an instant.

    Days and longer: `date_trunc(unit, ts, zone)` (local calendar, DST-aware).
    Hours: the instant minus its minutes and seconds past the local hour, so
    the two 01:00 hours of a DST fall-back night stay two buckets and
    half-hour and 45-minute zones are exact. `tz` is a checked IANA name.
    """
    if interval == "hour":
        local = f"(e.occurred_at AT TIME ZONE '{tz}')"
        return f"(e.occurred_at - ({local} - date_trunc('hour', {local})))"
    return f"date_trunc('{interval}', e.occurred_at, '{tz}')"


def grouped_sql(
    filters: MetricFilters, *, interval: str | None, group_by: str | None
) -> tuple[str, list[Any]]:
    """Aggregates per (bucket, group): the rows behind timeseries and breakdowns."""
    params = Params()
    condition, needs_locations = where(filters, params)
    keys = []
    if interval is not None:
        keys.append(f"{bucket_expression(interval, filters.tz)} AS bucket")
    if group_by is not None:
        keys.append(f"{GROUP_COLUMNS[group_by]} AS grp")
    key_list = "".join(f"{k},\n    " for k in keys)
    group = f"GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}" if keys else ""
    sql = (
        f"SELECT\n    {key_list}{select_list(filters.metrics)}\n"
        f"FROM {_from_clause(filters, group_by, needs_locations)}\n"
        f"WHERE {condition}\n{group}"
    )
    return sql, params.values


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
    return f"""
SELECT g AT TIME ZONE $3::text AS g FROM generate_series(
    date_trunc('{interval}', $1::timestamptz AT TIME ZONE $3::text),
    $2::timestamptz AT TIME ZONE $3::text,
    interval '{step}'
) AS g
WHERE g AT TIME ZONE $3::text < $2::timestamptz
ORDER BY 1"""
