"""Metrics: aggregate the filtered events in SQL, compute the figures in Python (stats.py)."""

from typing import Any

from app.db import Database
from app.metrics import stats
from app.metrics.aggregates import Aggregate, from_record
from app.metrics.filters import MetricFilters
from app.metrics.queries import summary_sql
from app.metrics.schemas import (
    Definition,
    Figure,
    ServqualDimensionFigure,
    ServqualFigure,
    Summary,
)

Z = "95 %"
DEFINITIONS = {
    "nps": Definition(
        scale="0-10",
        formula="100 * (promoters(9-10) - detractors(0-6)) / n",
        interval=f"adjusted Wald (Rocks 2016), {Z}",
    ),
    "csat": Definition(
        scale="1-5", formula="100 * satisfied(4-5) / n", interval=f"Wilson score, {Z}"
    ),
    "csat_mean": Definition(scale="1-5", formula="mean", interval=f"mean ± z·s/√n, {Z}"),
    "ces": Definition(scale="1-7", formula="mean", interval=f"mean ± z·s/√n, {Z}"),
    "ces_easy": Definition(scale="1-7", formula="100 * easy(5-7) / n", interval=f"Wilson, {Z}"),
    "servqual": Definition(
        scale="1-7 perception and expectation per dimension",
        formula="per dimension mean(perception - expectation) over events with both; "
        "overall = unweighted mean of the dimension gaps that have data",
        interval=f"per dimension mean ± z·s/√n, {Z}; none overall",
    ),
}


def _hidden(filters: MetricFilters, n: int) -> bool:
    """Per-employee figures from fewer than employee_min_n answers are not shown."""
    return "employee_id" in filters.dimensions and n < filters.employee_min_n


def _figure(
    name: str,
    filters: MetricFilters,
    n: int,
    value: float | None,
    ci_low: float | None,
    ci_high: float | None,
    counts: dict[str, int] | None = None,
) -> Figure:
    hidden = _hidden(filters, n)
    return Figure(
        value=None if hidden else value,
        n=n,
        ci_low=None if hidden else ci_low,
        ci_high=None if hidden else ci_high,
        low_sample=stats.low_sample(n, filters.min_n),
        counts=None if hidden else counts,
        definition=DEFINITIONS[name],
    )


def figures(aggregate: Aggregate, filters: MetricFilters) -> dict[str, Any]:
    """The selected metrics of one aggregate, by metric name."""
    out: dict[str, Any] = {}
    if "volume" in filters.metrics:
        out["volume"] = {"n": aggregate.volume}
    if "nps" in filters.metrics:
        r = stats.nps(aggregate.nps)
        counts = {"promoters": r.promoters, "passives": r.passives, "detractors": r.detractors}
        out["nps"] = _figure("nps", filters, r.n, r.value, r.ci_low, r.ci_high, counts)
    if "csat" in filters.metrics:
        share = stats.csat(aggregate.csat)
        out["csat"] = _figure(
            "csat", filters, share.n, share.value, share.ci_low, share.ci_high,
            {"satisfied": share.successes},
        )  # fmt: skip
        mean = stats.csat_mean(aggregate.csat)
        out["csat_mean"] = _figure(
            "csat_mean", filters, mean.n, mean.value, mean.ci_low, mean.ci_high
        )
    if "ces" in filters.metrics:
        mean = stats.ces(aggregate.ces)
        out["ces"] = _figure("ces", filters, mean.n, mean.value, mean.ci_low, mean.ci_high)
        easy = stats.ces_easy(aggregate.ces)
        out["ces_easy"] = _figure(
            "ces_easy", filters, easy.n, easy.value, easy.ci_low, easy.ci_high,
            {"easy": easy.successes},
        )  # fmt: skip
    if "servqual" in filters.metrics:
        out["servqual"] = servqual_figure(aggregate, filters)
    return out


def servqual_figure(aggregate: Aggregate, filters: MetricFilters) -> ServqualFigure:
    dims = [stats.servqual_dimension(d, s) for d, s in aggregate.servqual.items()]
    overall = stats.servqual_overall(dims)
    hidden = _hidden(filters, overall.n)
    return ServqualFigure(
        value=None if hidden else overall.value,
        n=overall.n,
        low_sample=stats.low_sample(overall.n, filters.min_n),
        dimensions_used=list(overall.dimensions),
        dimensions=[
            ServqualDimensionFigure(
                dimension=d.dimension,
                gap=None if _hidden(filters, d.n) else d.value,
                n=d.n,
                ci_low=None if _hidden(filters, d.n) else d.ci_low,
                ci_high=None if _hidden(filters, d.n) else d.ci_high,
                low_sample=stats.low_sample(d.n, filters.min_n),
                perception=None if _hidden(filters, d.n_perception) else d.perception,
                n_perception=d.n_perception,
                expectation=None if _hidden(filters, d.n_expectation) else d.expectation,
                n_expectation=d.n_expectation,
            )
            for d in dims
        ],
        definition=DEFINITIONS["servqual"],
    )


async def summary(db: Database, filters: MetricFilters) -> Summary:
    sql, params = summary_sql(filters)
    async with db.connection() as conn:
        record = await conn.fetchrow(sql, *params)
    applied = {name: list(values) for name, values in filters.dimensions.items()}
    applied["respondent_type"] = list(filters.respondent_types)
    return Summary.model_validate(
        {
            "from": filters.start,
            "to": filters.end,
            "tz": filters.tz,
            "filters": applied,
            "min_n": filters.min_n,
            "metrics": figures(from_record(record), filters),
        }
    )
