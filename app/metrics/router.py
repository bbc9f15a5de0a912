from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.auth.dependencies import ReadKey
from app.db import Database
from app.errors import problem_responses
from app.metrics import service
from app.metrics.filters import MetricFilters, metric_filters
from app.metrics.schemas import Summary
from app.routing import StrictJSONRoute

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], route_class=StrictJSONRoute)

Filters = Annotated[MetricFilters, Depends(metric_filters)]


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
