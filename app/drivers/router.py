from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response

from app.auth.access import ReadMetricSelection
from app.auth.dependencies import ReadKey
from app.drivers import design, service
from app.drivers.schemas import DriverReport
from app.http.routes import StrictJSONRoute
from app.replica import ReadDatabaseDep
from app.selection.csv import CsvFormat, csv_or_json, csv_response, wants_csv

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], route_class=StrictJSONRoute)

CSV_COLUMNS = (
    "driver", "kind", "n", "importance", "importance_ci_low", "importance_ci_high",
    "contribution", "effect", "effect_ci_low", "effect_ci_high", "score", "mean", "top_box",
    "median", "opportunity", "opportunity_ci_low", "opportunity_ci_high", "quadrant", "vif",
    "collinear",
)  # fmt: skip


def _csv_row(row: dict[str, Any]) -> list[Any]:
    effect = row["effect"] or {}
    flat = {
        **row,
        "effect": effect.get("value"),
        "effect_ci_low": effect.get("ci_low"),
        "effect_ci_high": effect.get("ci_high"),
    }
    return [flat[c] for c in CSV_COLUMNS]


@router.get(
    "/drivers",
    response_model=DriverReport,
    response_model_by_alias=True,
    responses=csv_or_json("JSON, or one CSV row per driver."),
)
async def metrics_drivers(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    outcome: Annotated[
        design.Outcome, Query(description="The score the drivers are to explain.")
    ] = "nps",
    drivers: Annotated[
        list[str] | None,
        Query(
            description="Repeatable or comma-separated, at most "
            f"{design.MAX_DRIVERS}: `servqual:<dimension>` (perception), "
            "`servqual_gap:<dimension>` (perception - expectation), `channel`, "
            "`touchpoint`, `segment`, `acquisition_source`, `location_id`, `tag:<tag>`, "
            "`theme:<theme>` (then only respondents with an enriched comment count), "
            "`attribute:<key>` (numeric when all its values are numbers, else "
            "categorical). Default: the five SERVQUAL perceptions, touchpoint, channel, "
            "segment and acquisition_source.",
            examples=[
                "servqual:reliability,servqual:responsiveness,touchpoint,attribute:wait_minutes"
            ],
        ),
    ] = None,
    replicates: Annotated[
        int,
        Query(
            ge=100,
            le=2000,
            description="Bootstrap replicates behind every interval (more: steadier "
            "interval ends, proportionally slower).",
        ),
    ] = 500,
    format: CsvFormat = None,
) -> DriverReport | Response:
    """Key driver analysis: which drivers go with the outcome, how strongly, and where
    the most is to gain, at respondent level over the filtered events (docs/metrics.md,
    "Drivers").

    Per driver: **importance**, its percent of the variance of the outcome the model
    explains (Shapley decomposition of R², also called LMG: fair to correlated
    drivers), with a bootstrap 95 % interval; **performance** (the mean answer and
    top box, or the outcome in each level, and a 0-100 `score` comparable across
    drivers); **opportunity**, the outcome's expected change if the respondents on the
    driver's weak side reached its median; and the importance-performance
    **quadrant** (`fix_first`, `keep_up`, `watch`, `less_urgent`). The answer says the
    model's R², its n, which drivers were left out and why, and flags nearly collinear
    ones. These are associations, not causes.

    The outcome per respondent: NPS as +100 / 0 / -100 (promoter, passive, detractor:
    its mean is the NPS), CSAT as 100 / 0 (satisfied or not), CES as its score. A
    driver needs `min_n` answers (a level of a categorical one too: rarer levels are
    merged into `(other)`); the model needs 10 respondents per column: below that, 422.

    Example: `GET /v1/metrics/drivers?outcome=nps&from=2026-09-01&location_id=vienna-1`

    Example: `GET /v1/metrics/drivers?drivers=servqual:reliability,attribute:wait&format=csv`
    """
    chosen = design.parse(drivers)
    answer = await service.analyse(db, filters, outcome, chosen, replicates)
    if wants_csv(request):
        return csv_response(CSV_COLUMNS, map(_csv_row, answer["drivers"]), "drivers.csv")
    # Shaped as DriverReport (the tests check it against the schema), serialized directly.
    return Response(
        orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY), media_type="application/json"
    )
