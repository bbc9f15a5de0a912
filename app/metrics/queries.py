"""SQL for the metrics endpoints, built from `MetricFilters` with bound parameters only."""

from typing import Any

from app.metrics.aggregates import SELECT_LIST
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
    sql = f"SELECT\n    {SELECT_LIST}\nFROM feedback_events e {join}\nWHERE {condition}"
    return sql, params.values
