from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from app.auth.dependencies import ReadKey
from app.db import Database
from app.errors import problem_responses
from app.metrics import service
from app.metrics.csv import csv_response, wants_csv
from app.metrics.filters import MetricFilters, metric_filters
from app.metrics.schemas import Summary, Timeseries
from app.routing import StrictJSONRoute

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], route_class=StrictJSONRoute)

Filters = Annotated[MetricFilters, Depends(metric_filters)]
CSV_COLUMNS = ("bucket_start", "group", "metric", "value", "n", "ci_low", "ci_high", "low_sample")
Interval = Literal["hour", "day", "week", "month", "quarter", "year"]
Dimension = Literal[
    "channel", "touchpoint", "location_id", "region", "employee_id", "respondent_type",
    "segment", "tag", "acquisition_source",
]  # fmt: skip


@router.get(
    "/summary",
    response_model=Summary,
    response_model_by_alias=True,
    responses=problem_responses(401, 403, 422, 503),
)
async def metrics_summary(filters: Filters, _: ReadKey, request: Request) -> Summary:
    """Every selected metric over the filtered events, each with its n, interval,
    counts, `low_sample` flag and the definition used (METRICS.md).

    Example: `GET /v1/metrics/summary?from=2026-11-01&to=2026-12-01&tz=Europe/Vienna&channel=pos`
    """
    db: Database = request.app.state.db
    return await service.summary(db, filters)


@router.get(
    "/timeseries",
    response_model=Timeseries,
    response_model_by_alias=True,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "JSON, or CSV with `Accept: text/csv` or `format=csv`.",
        },
        **problem_responses(401, 403, 422, 503),
    },
)
async def metrics_timeseries(
    filters: Filters,
    _: ReadKey,
    request: Request,
    interval: Annotated[
        Interval, Query(description="Bucket size, in the local calendar of `tz`.")
    ] = "day",
    group_by: Annotated[
        Dimension | None, Query(description="Split every bucket by this dimension.")
    ] = None,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="Overrides the Accept header.")
    ] = None,
) -> Timeseries | Response:
    """Metrics per time bucket as tidy long rows: `{bucket_start, [group], metric, value, n,
    ci_low, ci_high, low_sample}`.

    Buckets are local to `tz` (ISO weeks start on Monday; DST days have 23 or 25
    hours; half-hour zones are exact) and labelled by their local start even when
    `from` falls inside one. Empty buckets are included with n = 0 and null values,
    so charts have no holes.

    Example: `GET /v1/metrics/timeseries?interval=week&group_by=channel&metrics=nps&format=csv`
    """
    db: Database = request.app.state.db
    settings = request.app.state.settings
    series = await service.timeseries(
        db, replace(filters, group_by=group_by), interval, settings.max_groups
    )
    if wants_csv(request):
        columns = [c for c in CSV_COLUMNS if group_by or c != "group"]
        rows = (row.model_dump() for row in series.rows)
        return csv_response(columns, ([r[c] for c in columns] for r in rows), "timeseries.csv")
    return series
