from dataclasses import replace
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request, Response

from app.auth.access import ReadMetricSelection
from app.auth.dependencies import ReadKey
from app.errors import problem_responses
from app.http.routes import StrictJSONRoute
from app.metrics import attributes, service, themes
from app.metrics.schemas import (
    AttributeReport,
    Breakdown,
    Comparison,
    Consistency,
    ServiceProfitChain,
    ServqualReport,
    Summary,
    ThemeReport,
    Timeseries,
)
from app.metrics.tidy_rows import FIELDS
from app.replica import ReadDatabaseDep
from app.selection.csv import CsvFormat, csv_or_json, csv_response, csv_stream, wants_csv
from app.selection.filters import GroupBy, bins_request, previous_window
from app.settings import SettingsDep
from app.vocabulary import Interval

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], route_class=StrictJSONRoute)


# How a group_by on the comment's dimensions groups (docs/metrics.md, "What counts").
COMMENT_GROUPS = (
    " `theme` counts an event in each theme its enriched comment mentions (like `tag`); "
    "`sentiment` and `language` (the comment's resolved one) put the events without an "
    "enriched comment in the null group."
)

# How a group_by on an attribute groups (docs/metrics.md, "Attributes as dimensions").
ATTRIBUTE_GROUPS = (
    " `attribute:<key>` groups by one of the events' attributes, as the selection's data "
    "says: text, booleans and mixed keys by value (at most `FEEDBACK_MAX_ATTRIBUTE_VALUES` "
    "distinct values, else 422), numeric keys by value up to that many distinct values, "
    "into quintiles beyond, or into `bins`; events without the key are the null group "
    "(`GET /v1/metrics/attributes` lists the keys)."
)
Bins = Annotated[
    str | None,
    Query(
        max_length=1000,
        description="With `group_by=attribute:<key>` of a numeric key: the bins, as ascending "
        "edges (`5,10,20`: groups `[..5)`, `[5..10)`, `[10..20)`, `[20..)`, half-open) or "
        "`quantiles:K` (K 2..20: the edges are the selection's K-quantiles, PostgreSQL's "
        "percentile_disc, repeats dropped). The answer's `bins` gives the edges and labels. "
        "422 with another group_by or a key that holds other values than numbers.",
        examples=["5,10,20", "quantiles:4"],
    ),
]

# Read by wants_csv(); declared so the docs show it.
CSV_COLUMNS = FIELDS


@router.get(
    "/summary",
    response_model=Summary,
    response_model_by_alias=True,
    responses=problem_responses(401, 403, 422, 503),
)
async def metrics_summary(
    filters: ReadMetricSelection, _: ReadKey, request: Request, db: ReadDatabaseDep
) -> Summary:
    """Every selected metric over the filtered events, each with its n, interval,
    counts, `low_sample` flag and the definition used (docs/metrics.md).

    Example: `GET /v1/metrics/summary?from=2026-11-01&to=2026-12-01&tz=Europe/Vienna&channel=pos`

    Example: the loyalty members who waited 10 minutes or more (filters on the events'
    attributes: `attribute.<key>`, a bin label for a range):
    `GET /v1/metrics/summary?attribute.member=true&attribute.wait_minutes=[10..)`
    """
    return await service.summary(db, filters)


@router.get(
    "/timeseries",
    response_model=Timeseries,
    response_model_by_alias=True,
    responses=csv_or_json("JSON, or CSV with `Accept: text/csv` or `format=csv`."),
)
async def metrics_timeseries(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    interval: Annotated[
        Interval, Query(description="Bucket size, in the local calendar of `tz`.")
    ] = "day",
    group_by: Annotated[
        GroupBy | None,
        Query(
            description="Split every bucket by this dimension." + COMMENT_GROUPS + ATTRIBUTE_GROUPS
        ),
    ] = None,
    bins: Bins = None,
    format: CsvFormat = None,
) -> Timeseries | Response:
    """Metrics per time bucket as tidy long rows: `{bucket_start, [group], metric, value, n,
    ci_low, ci_high, low_sample}`.

    Buckets are local to `tz` (ISO weeks start on Monday; DST days have 23 or 25
    hours; half-hour zones are exact) and labelled by their local start even when
    `from` falls inside one. Empty buckets are included with n = 0 and null values,
    so charts have no holes.

    Example: `GET /v1/metrics/timeseries?interval=week&group_by=channel&metrics=nps&format=csv`

    Example: NPS week by week per wait-time bin (the answer's `bins` give edges and labels):
    `GET /v1/metrics/timeseries?interval=week&metrics=nps&group_by=attribute:wait_minutes`
    `&bins=5,10,20`
    """
    envelope, rows = await service.timeseries(
        db, replace(filters, group_by=group_by), interval, settings.max_groups,
        settings.max_answer_rows, bins=bins_request(bins, group_by),
        max_values=settings.max_attribute_values,
    )  # fmt: skip
    if wants_csv(request):
        columns = [c for c in CSV_COLUMNS if group_by or c != "group"]
        return csv_stream(rows.csv_chunks(columns), "timeseries.csv")
    # Shaped as Timeseries (the tests check it against the schema), serialized directly.
    return Response(orjson.dumps({**envelope, "rows": rows.dicts()}), media_type="application/json")


TidyMetric = Literal[
    "volume", "nps", "csat", "csat_mean", "ces", "ces_easy", "servqual",
    "servqual_reliability", "servqual_responsiveness", "servqual_assurance",
    "servqual_tangibles", "servqual_empathy",
]  # fmt: skip
GROUP_CSV_COLUMNS = (
    "group", "metric", "value", "n", "ci_low", "ci_high", "low_sample", "shrunk", "flag",
)  # fmt: skip
CONSISTENCY_CSV_COLUMNS = (*GROUP_CSV_COLUMNS, "difference", "practical")


@router.get(
    "/breakdown",
    response_model=Breakdown,
    response_model_by_alias=True,
    responses=csv_or_json("JSON, or CSV with `Accept: text/csv` or `format=csv`."),
)
async def metrics_breakdown(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    group_by: Annotated[
        GroupBy,
        Query(
            description="One row per value of this dimension." + COMMENT_GROUPS + ATTRIBUTE_GROUPS
        ),
    ],
    metric: Annotated[TidyMetric, Query(description="The metric of the rows.")] = "nps",
    sort: Annotated[
        Literal["shrunk", "value", "n", "group"],
        Query(description="`shrunk` ranks fairly: small groups are pulled to the pooled value."),
    ] = "shrunk",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    bins: Bins = None,
    format: CsvFormat = None,
) -> Breakdown | Response:
    """One metric for every group (branch, channel, employee, ...) over the filtered set,
    with its n, interval and `shrunk` score, sorted (`sort=group`: by name; an attribute's
    groups in the order of their values, bins lowest first).

    Example: `GET /v1/metrics/breakdown?group_by=location_id&metric=nps&sort=shrunk`

    Example: CSAT by basket size in the selection's quartiles, lowest first:
    `GET /v1/metrics/breakdown?group_by=attribute:basket_eur&bins=quantiles:4&metric=csat`
    `&sort=group&order=asc`
    """
    envelope, rows = await service.breakdown(
        db, replace(filters, group_by=group_by), metric, sort, order, settings.max_groups,
        bins=bins_request(bins, group_by), max_values=settings.max_attribute_values,
    )  # fmt: skip
    if wants_csv(request):
        return _rows_csv(rows, "breakdown.csv")
    # Dicts serialized by orjson, not models (2,000 employees: 10 ms less); the tests
    # validate these answers against `Breakdown`, the documented schema.
    return Response(orjson.dumps({**envelope, "rows": rows}), media_type="application/json")


@router.get(
    "/consistency",
    response_model=Consistency,
    response_model_by_alias=True,
    responses=csv_or_json("JSON, or the group rows as CSV (`Accept: text/csv` or `format=csv`)."),
)
async def metrics_consistency(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    group_by: Annotated[
        GroupBy,
        Query(description="Usually location_id or region." + COMMENT_GROUPS + ATTRIBUTE_GROUPS),
    ] = "location_id",
    metric: Annotated[TidyMetric, Query()] = "nps",
    min_change: Annotated[
        float | None,
        Query(
            gt=0,
            le=1e9,
            allow_inf_nan=False,
            description="The smallest difference from the pooled value that matters, in "
            "the metric's units. Default: the alert rules' minimum change of the metric "
            "(NPS 10, CSAT 5, CES 0.25 unless `PUT /v1/alert-rules` changed them); none for "
            "the other metrics.",
        ),
    ] = None,
    bins: Bins = None,
    format: CsvFormat = None,
) -> Consistency | Response:
    """Does every branch serve equally well? Spread of one metric across the groups with
    n ≥ `min_n` (unweighted mean, population standard deviation, min, max, range), and the
    groups whose whole 95 % interval lies below or above the pooled value (docs/metrics.md).

    With many answers every small difference is significant, so each group also has its
    `difference` from the pooled value and whether it reaches `min_change` (`practical`):
    the groups to act on are in `practical_below` and `practical_above`, significantly and
    practically different. CSV: the rows, with `difference` and `practical`.

    Example: `GET /v1/metrics/consistency?group_by=location_id&metric=csat&min_n=50`

    Example: does every member tier get the same service?
    `GET /v1/metrics/consistency?group_by=attribute:member_tier&metric=nps`
    """
    body = await service.consistency(
        db, replace(filters, group_by=group_by), metric, settings.max_groups,
        bins=bins_request(bins, group_by), max_values=settings.max_attribute_values,
        min_change=min_change,
    )  # fmt: skip
    if wants_csv(request):
        return _rows_csv(
            [r.model_dump() for r in body.rows], "consistency.csv", CONSISTENCY_CSV_COLUMNS
        )
    return body


def _rows_csv(
    rows: list[dict[str, Any]], filename: str, columns: tuple[str, ...] = GROUP_CSV_COLUMNS
) -> Response:
    return csv_response(columns, ([r[c] for c in columns] for r in rows), filename)


@router.get(
    "/compare",
    response_model=Comparison,
    response_model_by_alias=True,
    responses=problem_responses(401, 403, 422, 503),
)
async def metrics_compare(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    previous_from: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Start of the previous window (default: the window "
            "of equal length just before `from`); same form, range and length limit as "
            "`from`/`to`, given together with `previous_to`.",
        ),
    ] = None,
    previous_to: Annotated[
        str | None, Query(max_length=40, description="End of the previous window.")
    ] = None,
) -> Comparison:
    """Each selected metric now against before: Δ, its standard error
    √(se_c² + se_p²), z and `significant` (|z| ≥ 1.96; NPS uses the adjusted-Wald se,
    shares the plain Wald se, means s/√n; docs/metrics.md).

    Example: `GET /v1/metrics/compare?from=2026-11-01&to=2026-12-01&metrics=nps,csat`
    """  # fmt: skip
    previous = previous_window(filters, previous_from, previous_to, settings.max_window_days)
    return await service.compare_periods(db, filters, previous)


THEME_CSV_COLUMNS = (
    "group", "theme", "label", "comments", "mentions", "share", "ci_low", "ci_high", "low_sample",
    "sentiment_n", "negative", "neutral", "positive", "sentiment_none", "negative_share",
    "neutral_share", "positive_share", "metric", "mentioning", "mentioning_n", "mentioning_ci_low",
    "mentioning_ci_high", "not_mentioning", "not_mentioning_n", "not_mentioning_ci_low",
    "not_mentioning_ci_high", "difference", "difference_ci_low", "difference_ci_high",
    "difference_significant", "previous_comments", "previous_mentions", "previous_share",
    "change", "change_ci_low", "change_ci_high", "change_significant",
)  # fmt: skip
SENTIMENT_CSV_COLUMNS = (
    "negative", "neutral", "positive", "negative_share", "neutral_share", "positive_share",
)  # fmt: skip
THEME_TREND_CSV_COLUMNS = (
    "bucket_start", "group", "theme", "comments", "mentions", "share", "ci_low", "ci_high",
    "low_sample",
)  # fmt: skip


def _theme_csv_row(row: dict[str, Any], metric: str) -> dict[str, Any]:
    """A theme row flattened into THEME_CSV_COLUMNS."""
    mix, change, gap = row["sentiment"], row["change"], row["difference"]
    flat = {k: row[k] for k in THEME_CSV_COLUMNS[:9]}
    flat["sentiment_n"], flat["sentiment_none"] = mix["n"], mix["none"]
    flat.update({k: mix[k] for k in SENTIMENT_CSV_COLUMNS})
    flat["metric"] = metric
    for part in ("mentioning", "not_mentioning"):
        figure = row[part]
        flat[part], flat[f"{part}_n"] = figure["value"], figure["n"]
        flat[f"{part}_ci_low"], flat[f"{part}_ci_high"] = figure["ci_low"], figure["ci_high"]
    flat["difference"], flat["difference_significant"] = gap["value"], gap["significant"]
    flat["difference_ci_low"], flat["difference_ci_high"] = gap["ci_low"], gap["ci_high"]
    flat.update({k: change[k] for k in ("previous_comments", "previous_mentions",
                                        "previous_share")})  # fmt: skip
    flat["change"], flat["change_significant"] = change["delta"], change["significant"]
    flat["change_ci_low"], flat["change_ci_high"] = change["ci_low"], change["ci_high"]
    return flat


@router.get(
    "/themes",
    response_model=ThemeReport,
    response_model_by_alias=True,
    responses=csv_or_json(
        "JSON, or CSV (`Accept: text/csv` or `format=csv`): one row per theme (and group), "
        "or with `interval` one row per bucket, group and theme (the trend)."
    ),
)
async def metrics_themes(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    metric: Annotated[
        Literal["nps", "csat"],
        Query(description="The score compared between those who mention a theme and not."),
    ] = "nps",
    group_by: Annotated[
        GroupBy | None,
        Query(
            description="Every theme per value of this dimension, over that group's "
            "comments. `theme`: what else the comments about each theme mention." + ATTRIBUTE_GROUPS
        ),
    ] = None,
    bins: Bins = None,
    interval: Annotated[
        Interval | None,
        Query(description="Also the share of every theme per bucket of this size (`trend`)."),
    ] = None,
    previous_from: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Start of the previous window for `change` (default: the window "
            "of equal length just before `from`); same form, range and length limit as "
            "`from`/`to`, given together with `previous_to`.",
        ),
    ] = None,
    previous_to: Annotated[
        str | None, Query(max_length=40, description="End of the previous window.")
    ] = None,
    format: CsvFormat = None,
) -> ThemeReport | Response:
    """What the comments say: per theme (every theme in force, `GET /v1/themes`), among
    the enriched comments of the filtered events, the share that mention it with its
    95 % Wilson interval, their sentiment mix, the NPS (or CSAT, `metric=csat`) of the
    respondents who mention it against those whose enriched comment does not, each with
    its n and interval, the difference between the two, and the change of the share
    against the previous period with the difference's 95 % interval (docs/metrics.md,
    "Themes"). Comments count once enriched (a few seconds after they are stored).

    The filters are those of every metrics endpoint, `theme`, `sentiment` and `language`
    included: `theme=waiting` asks what else the comments about waiting mention.

    Example: `GET /v1/metrics/themes?from=2026-11-01&to=2026-12-01&group_by=location_id`

    Example: the trend, week by week, as CSV:
    `GET /v1/metrics/themes?interval=week&format=csv`
    """
    previous = previous_window(filters, previous_from, previous_to, settings.max_window_days)
    chosen = replace(filters, group_by=group_by)
    envelope, rows, trend = await themes.report(
        db, chosen, previous, metric=metric, interval=interval,
        max_groups=settings.max_groups, max_rows=settings.max_answer_rows,
        bins=bins_request(bins, group_by), max_values=settings.max_attribute_values,
    )  # fmt: skip
    if wants_csv(request):
        if trend is not None:
            columns = [c for c in THEME_TREND_CSV_COLUMNS if group_by or c != "group"]
            return csv_response(columns, ([r[c] for c in columns] for r in trend), "themes.csv")
        columns = [c for c in THEME_CSV_COLUMNS if group_by or c != "group"]
        flat = (_theme_csv_row(r, metric) for r in rows)
        return csv_response(columns, ([r[c] for c in columns] for r in flat), "themes.csv")
    # Shaped as ThemeReport (the tests check it against the schema), serialized directly.
    return Response(
        orjson.dumps({**envelope, "rows": rows, "trend": trend}), media_type="application/json"
    )


@router.get(
    "/servqual",
    response_model=ServqualReport,
    response_model_by_alias=True,
    responses=csv_or_json("JSON, or one CSV row per dimension."),
)
async def metrics_servqual(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    format: CsvFormat = None,
) -> ServqualReport | Response:
    """SERVQUAL per dimension (reliability, responsiveness, assurance, tangibles,
    empathy): mean perception, mean expectation and the gap mean(perception -
    expectation) over events that carry both, with its interval; overall gap =
    unweighted mean of the dimension gaps with data. Negative = below expectations.
    """
    report = await service.servqual_report(db, filters)
    if wants_csv(request):
        columns = ("dimension", "gap", "n", "ci_low", "ci_high", "low_sample", "perception",
                   "n_perception", "expectation", "n_expectation")  # fmt: skip
        rows = (d.model_dump() for d in report.servqual.dimensions)
        return csv_response(columns, ([r[c] for c in columns] for r in rows), "servqual.csv")
    return report


@router.get(
    "/service-profit-chain",
    response_model=ServiceProfitChain,
    response_model_by_alias=True,
    responses=csv_or_json("JSON, or one CSV row per branch."),
)
async def metrics_service_profit_chain(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    format: CsvFormat = None,
) -> ServiceProfitChain | Response:
    """Satisfied staff, satisfied customers? Per branch, the NPS of customers
    (respondent type `customer`) beside the NPS of employees (`employee`), and the
    Pearson and Spearman correlation across the branches where both have n ≥ `min_n`.
    The `respondent_type` filter does not apply here: the two types are the point.
    """
    chain = await service.service_profit_chain(db, filters, settings.max_groups)
    if wants_csv(request):
        columns = ("location_id", "customer_nps", "customer_n", "employee_nps", "employee_n",
                   "used")  # fmt: skip
        rows = (b.model_dump() for b in chain.branches)
        return csv_response(columns, ([r[c] for c in columns] for r in rows), "chain.csv")
    return chain


ATTRIBUTE_CSV_COLUMNS = (
    "key", "n", "kind", "distinct", "more_than_bound", "min", "p25", "median", "p75", "max",
    "top",
)  # fmt: skip


@router.get(
    "/attributes",
    response_model=AttributeReport,
    response_model_by_alias=True,
    responses=csv_or_json(
        "JSON, or one CSV row per key (`quartiles` as `p25`, `median`, `p75`; `top` as JSON)."
    ),
)
async def metrics_attributes(
    filters: ReadMetricSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    format: CsvFormat = None,
) -> AttributeReport | Response:
    """The attribute keys the selection's events carry, for `attribute.<key>` filters and
    `group_by=attribute:<key>`: per key, the events with a non-null value (`n`), its
    `kind` (`numeric`, `boolean`, `text` or `mixed`), its distinct values (and whether
    they are more than `FEEDBACK_MAX_ATTRIBUTE_VALUES`), for a numeric key its range and
    quartiles, for any other its ten most frequent values. The most set keys first, at
    most 200 of them (`keys` counts all). Reads the selection's raw events.

    Example: `GET /v1/metrics/attributes?from=2026-11-01&to=2026-12-01&channel=pos`
    """
    report = await attributes.report(db, filters, settings.max_attribute_values)
    if wants_csv(request):
        rows = []
        for a in report.attributes:
            quartiles: list[int | float | None] = [None, None, None]
            if a.quartiles is not None:
                quartiles = list(a.quartiles)
            top = None if a.top is None else [t.model_dump() for t in a.top]
            rows.append([a.key, a.n, a.kind, a.distinct, a.more_than_bound, a.min, *quartiles,
                         a.max, top])  # fmt: skip
        return csv_response(ATTRIBUTE_CSV_COLUMNS, rows, "attributes.csv")
    return report
