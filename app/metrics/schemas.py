"""What the metrics endpoints return. Every figure comes with its n and interval."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.selection.schemas import Window


class Definition(BaseModel):
    """How a figure is computed (docs/metrics.md), echoed so no BI user has to guess."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scale": "0-10",
                    "formula": "100 * (promoters(9-10) - detractors(0-6)) / n",
                    "interval": "adjusted Wald (Rocks 2016), 95 %",
                }
            ]
        }
    )

    scale: str
    formula: str
    interval: str | None


class Bins(BaseModel):
    """The bins of a numeric attribute an answer is grouped by (`group_by=attribute:<key>`):
    send `edges` back as `bins=...` to bin another selection alike."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "attribute": "wait_minutes",
                    "method": "quantiles",
                    "edges": [3, 7, 12.5],
                    "labels": ["[..3)", "[3..7)", "[7..12.5)", "[12.5..)"],
                }
            ]
        }
    )

    attribute: str = Field(description="The attribute's key.")
    method: Literal["explicit", "quantiles"] = Field(
        description="`explicit`: the edges of `bins=5,10,20`; `quantiles`: the selection's "
        "quantiles (`bins=quantiles:K`, or a numeric key with more distinct values than "
        "`FEEDBACK_MAX_ATTRIBUTE_VALUES`: K = 5), PostgreSQL's percentile_disc, repeats "
        "dropped."
    )
    edges: list[int | float] = Field(description="Ascending; each bin is [edge, next edge).")
    labels: list[str] = Field(
        description="The groups' labels, lowest first: `[..first)`, `[a..b)`, `[last..)`; "
        "each is also a filter value (`attribute.<key>=[a..b)`). Events without a number "
        "are the null group."
    )


class Figure(BaseModel):
    """One metric over the filtered set. `value` and its interval are null when n = 0
    (and, for per-employee figures, when n < employee_min_n)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "value": 0.0,
                    "n": 10,
                    "ci_low": -46.5,
                    "ci_high": 46.5,
                    "low_sample": True,
                    "counts": {"promoters": 4, "passives": 2, "detractors": 4},
                    "definition": Definition.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                }
            ]
        }
    )

    value: float | None
    n: int = Field(description="Events in the set that carry this score.")
    ci_low: float | None = None
    ci_high: float | None = None
    low_sample: bool = Field(description="n < min_n: read with care.")
    counts: dict[str, int] | None = Field(
        default=None, description="The counts behind the value (e.g. promoters, passives)."
    )
    definition: Definition


class ServqualDimensionFigure(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dimension": "empathy",
                    "gap": -0.8,
                    "n": 120,
                    "ci_low": -1.0,
                    "ci_high": -0.6,
                    "low_sample": False,
                    "perception": 5.6,
                    "n_perception": 130,
                    "expectation": 6.4,
                    "n_expectation": 125,
                }
            ]
        }
    )

    dimension: str
    gap: float | None = Field(description="Mean of perception - expectation over events with both.")
    n: int = Field(description="Events carrying both perception and expectation.")
    ci_low: float | None
    ci_high: float | None
    low_sample: bool
    perception: float | None
    n_perception: int
    expectation: float | None
    n_expectation: int


class ServqualFigure(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "value": -0.8,
                    "n": 120,
                    "low_sample": False,
                    "dimensions_used": ["empathy"],
                    "dimensions": [
                        ServqualDimensionFigure.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
                    ],
                    "definition": {
                        "scale": "1-7 perception and expectation",
                        "formula": "unweighted mean of the dimension gaps that have data",
                        "interval": None,
                    },
                }
            ]
        }
    )

    value: float | None = Field(description="Overall gap: mean of the dimension gaps with data.")
    n: int = Field(description="The smallest n among the dimensions used.")
    low_sample: bool
    dimensions_used: list[str]
    dimensions: list[ServqualDimensionFigure]
    definition: Definition


class Summary(Window):
    """Every selected metric over the filtered set."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "UTC",
                    "filters": {"channel": ["pos"], "respondent_type": ["customer"]},
                    "min_n": 30,
                    "metrics": {
                        "volume": {"n": 10},
                        "nps": Figure.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                    },
                }
            ]
        },
    )

    filters: dict[str, list[str]] = Field(description="The filters applied, defaults included.")
    min_n: int
    metrics: dict[str, Any] = Field(
        description="By metric name: `volume` {n}, `nps`, `csat` (satisfied share), "
        "`csat_mean`, `ces` (mean), `ces_easy` (easy share): Figure; `servqual`: ServqualFigure."
    )


class TidyRow(BaseModel):
    """One metric in one bucket (and group): the long format BI tools pivot themselves."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "bucket_start": "2026-11-02T00:00:00+01:00",
                    "group": "pos",
                    "metric": "nps",
                    "value": 42.5,
                    "n": 120,
                    "ci_low": 30.1,
                    "ci_high": 53.2,
                    "low_sample": False,
                }
            ]
        }
    )

    bucket_start: str = Field(description="Local start of the bucket, RFC 3339 with offset.")
    group: str | None = Field(default=None, description="The group's value (with group_by).")
    metric: str = Field(
        description="volume, nps, csat, csat_mean, ces, ces_easy, servqual, servqual_<dimension>"
    )
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    low_sample: bool


class Timeseries(Window):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "Europe/Vienna",
                    "interval": "week",
                    "group_by": "channel",
                    "rows": [TidyRow.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
                }
            ]
        },
    )

    interval: str
    group_by: str | None
    bins: Bins | None = Field(
        default=None, description="With `group_by=attribute:<key>` binned: its bins."
    )
    rows: list[TidyRow] = Field(
        description="Every bucket in the window (empty ones with n = 0 and null values), "
        "for every group with an event in the window, for every selected metric."
    )


class GroupRow(BaseModel):
    """One group's figure for one metric, with its fair-ranking score and flag."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group": "vie-07",
                    "metric": "nps",
                    "value": 12.0,
                    "n": 25,
                    "ci_low": -20.1,
                    "ci_high": 41.3,
                    "low_sample": True,
                    "shrunk": 28.4,
                    "flag": None,
                }
            ]
        }
    )

    group: str | None = Field(description="The group's value; null for events without one.")
    metric: str
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    low_sample: bool
    shrunk: float | None = Field(
        description="(n·value + k·pooled) / (n + k), k = min_n: small groups pulled to the "
        "pooled value, for fair ranking (docs/metrics.md)."
    )
    flag: Literal["below", "above"] | None = Field(
        description="The group's whole 95 % interval lies below/above the pooled value "
        "(groups with n ≥ min_n only)."
    )


class PooledFigure(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": 31.5, "n": 4210, "ci_low": 29.0, "ci_high": 34.0, "low_sample": False}
            ]
        }
    )

    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    low_sample: bool


BREAKDOWN_EXAMPLE: dict[str, Any] = {
    "from": "2026-09-01T00:00:00Z",
    "to": "2026-12-01T00:00:00Z",
    "tz": "UTC",
    "group_by": "location_id",
    "metric": "nps",
    "pooled": {"value": 31.5, "n": 4210, "ci_low": 29.0, "ci_high": 34.0, "low_sample": False},
    "rows": [
        {
            "group": "vie-07",
            "metric": "nps",
            "value": 12.0,
            "n": 25,
            "ci_low": -20.1,
            "ci_high": 41.3,
            "low_sample": True,
            "shrunk": 28.4,
            "flag": None,
        }
    ],
}


class GroupsOf(Window):
    """What a breakdown and a consistency answer share: one metric over groups."""

    group_by: str
    bins: Bins | None = Field(
        default=None, description="With `group_by=attribute:<key>` binned: its bins."
    )
    metric: str
    pooled: PooledFigure = Field(description="The metric over the whole filtered set.")


class Breakdown(GroupsOf):
    """One row per group for one metric, sorted."""

    model_config = ConfigDict(json_schema_extra={"examples": [BREAKDOWN_EXAMPLE]})

    rows: list[GroupRow]


class Spread(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "groups_used": 12,
                    "mean": 30.2,
                    "stdev": 6.1,
                    "min": 18.0,
                    "max": 41.0,
                    "range": 23.0,
                }
            ]
        }
    )

    groups_used: int = Field(description="Groups with n ≥ min_n (only these count).")
    mean: float | None = Field(description="Unweighted mean of the group values.")
    stdev: float | None = Field(description="Population standard deviation of the group values.")
    min: float | None
    max: float | None
    range: float | None


CONSISTENCY_ROW_EXAMPLE: dict[str, Any] = {
    "group": "lis-03",
    "metric": "nps",
    "value": 8.2,
    "n": 1480,
    "ci_low": 3.9,
    "ci_high": 12.4,
    "low_sample": False,
    "shrunk": 8.7,
    "flag": "below",
    "difference": -23.3,
    "practical": True,
}


class ConsistencyRow(GroupRow):
    """A group's figure against the pooled value: how far (`difference`), whether the data
    supports it (`flag`) and whether it is large enough to matter (`practical`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [CONSISTENCY_ROW_EXAMPLE]})

    difference: float | None = Field(
        description="value - pooled value, in the metric's units: the practical size of the "
        "group's difference (null without a value)."
    )
    practical: bool | None = Field(
        description="|difference| ≥ `min_change`: large enough to matter (null without a "
        "difference or a `min_change`). A group to act on has a `flag` and `practical`."
    )


class Consistency(GroupsOf):
    """How evenly the groups (branches, regions, ...) perform, and which stand out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **BREAKDOWN_EXAMPLE,
                    "rows": [CONSISTENCY_ROW_EXAMPLE],
                    "min_n": 30,
                    "spread": {
                        "groups_used": 12,
                        "mean": 30.2,
                        "stdev": 6.1,
                        "min": 18.0,
                        "max": 41.0,
                        "range": 23.0,
                    },
                    "below": ["lis-03", "ber-01"],
                    "above": [],
                    "min_change": 10.0,
                    "practical_below": ["lis-03"],
                    "practical_above": [],
                }
            ]
        },
    )

    rows: list[ConsistencyRow]
    min_n: int
    spread: Spread
    below: list[str | None] = Field(
        description="Groups whose whole 95 % interval lies below the pooled value."
    )
    above: list[str | None] = Field(
        description="Groups whose whole 95 % interval lies above the pooled value."
    )
    min_change: float | None = Field(
        description="The smallest difference from the pooled value that matters, in the "
        "metric's units: the request's `min_change`, else the alert rules' minimum change "
        "of the metric (`GET /v1/alert-rules`; by default NPS 10, CSAT 5, CES 0.25), else "
        "null (a metric the alerts do not watch)."
    )
    practical_below: list[str | None] | None = Field(
        description="The groups of `below` whose difference reaches `min_change`: "
        "significantly and practically below (null without a `min_change`)."
    )
    practical_above: list[str | None] | None = Field(
        description="The groups of `above` whose difference reaches `min_change` (null "
        "without a `min_change`)."
    )


class PeriodFigure(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"value": 31.5, "n": 420, "se": 4.1}]}
    )

    value: float | None
    n: int
    se: float | None = Field(description="Standard error used for the comparison.")


class MetricComparison(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "metric": "nps",
                    "current": {"value": 31.5, "n": 420, "se": 4.1},
                    "previous": {"value": 22.0, "n": 380, "se": 4.4},
                    "delta": 9.5,
                    "se_delta": 6.01,
                    "z": 1.58,
                    "significant": False,
                }
            ]
        }
    )

    metric: str
    current: PeriodFigure
    previous: PeriodFigure
    delta: float | None = Field(description="current - previous")
    se_delta: float | None = Field(description="√(se_current² + se_previous²), unpooled")
    z: float | None
    significant: bool | None = Field(description="|z| ≥ 1.96; null when there is no z.")


class Comparison(Window):
    """The current window against a previous one, metric by metric."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "previous_from": "2026-10-02T00:00:00Z",
                    "previous_to": "2026-11-01T00:00:00Z",
                    "tz": "UTC",
                    "metrics": [
                        MetricComparison.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
                    ],
                }
            ]
        },
    )

    previous_from: datetime
    previous_to: datetime
    metrics: list[MetricComparison]


class ServqualReport(Window):
    """The five service-quality dimensions: perception, expectation and their gap."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "UTC",
                    "servqual": ServqualFigure.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                }
            ]
        },
    )

    servqual: ServqualFigure


class ChainBranch(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "location_id": "vie-07",
                    "customer_nps": 35.0,
                    "customer_n": 410,
                    "employee_nps": 20.0,
                    "employee_n": 35,
                    "used": True,
                }
            ]
        }
    )

    location_id: str | None
    customer_nps: float | None
    customer_n: int
    employee_nps: float | None
    employee_n: int
    used: bool = Field(description="Both n ≥ min_n: the branch counts in the correlations.")


class ServiceProfitChain(Window):
    """Per branch, customer NPS beside employee NPS, and how they move together."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-01-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "UTC",
                    "min_n": 30,
                    "branches_used": 42,
                    "pearson": 0.48,
                    "spearman": 0.44,
                    "branches": [ChainBranch.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
                }
            ]
        },
    )

    min_n: int
    branches_used: int
    pearson: float | None = Field(description="Null with fewer than 3 branches used.")
    spearman: float | None
    branches: list[ChainBranch]


class ThemeScore(BaseModel):
    """The report's metric (NPS or CSAT) over some of the respondents who commented."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": -12.0, "n": 75, "ci_low": -31.5, "ci_high": 8.1, "low_sample": False}
            ]
        }
    )

    value: float | None = Field(description="Null when n = 0 (or below employee_min_n).")
    n: int = Field(description="Respondents in this part who gave the metric's score.")
    ci_low: float | None
    ci_high: float | None
    low_sample: bool


class ThemeDifference(BaseModel):
    """Those who mention the theme against those whose enriched comment does not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": -46.0, "ci_low": -68.3, "ci_high": -23.7, "se": 11.4, "z": -4.04,
                 "significant": True}
            ]
        }
    )  # fmt: skip

    value: float | None = Field(description="mentioning - not_mentioning")
    ci_low: float | None = Field(description="value - z·se")
    ci_high: float | None = Field(description="value + z·se")
    se: float | None = Field(description="√(se_mentioning² + se_not_mentioning²), unpooled")
    z: float | None
    significant: bool | None = Field(description="|z| ≥ 1.96; null when there is no z.")


class ThemeSentiment(BaseModel):
    """The sentiment of the comments that mention the theme."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"n": 83, "negative": 60, "neutral": 15, "positive": 8, "none": 0,
                 "negative_share": 72.3, "neutral_share": 18.1, "positive_share": 9.6}
            ]
        }
    )  # fmt: skip

    n: int = Field(description="Mentions with a sentiment (the shares' denominator).")
    negative: int | None
    neutral: int | None
    positive: int | None
    none: int | None = Field(description="Mentions without a sentiment (in no share).")
    negative_share: float | None = Field(description="100 * negative / n")
    neutral_share: float | None
    positive_share: float | None


class ThemeChange(BaseModel):
    """The share now against the previous period."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"previous_comments": 380, "previous_mentions": 49, "previous_share": 12.9,
                 "delta": 7.2, "ci_low": 2.0, "ci_high": 12.4, "significant": True,
                 "low_sample": False}
            ]
        }
    )  # fmt: skip

    previous_comments: int
    previous_mentions: int | None
    previous_share: float | None
    delta: float | None = Field(description="share - previous_share, in percent points.")
    ci_low: float | None = Field(description="Newcombe's hybrid score interval (method 10).")
    ci_high: float | None
    significant: bool | None = Field(description="The interval excludes 0.")
    low_sample: bool = Field(description="Either period has fewer than min_n comments.")


THEME_ROW_EXAMPLE: dict[str, Any] = {
    "group": None,
    "theme": "waiting",
    "label": "Waiting and queues",
    "comments": 412,
    "mentions": 83,
    "share": 20.1,
    "ci_low": 16.6,
    "ci_high": 24.3,
    "low_sample": False,
    "sentiment": ThemeSentiment.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
    "mentioning": ThemeScore.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
    "not_mentioning": {"value": 34.0, "n": 301, "ci_low": 23.6, "ci_high": 44.0,
                       "low_sample": False},
    "difference": ThemeDifference.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
    "change": ThemeChange.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
}  # fmt: skip


class ThemeRow(BaseModel):
    """One theme (in one group): how often the enriched comments mention it, how those
    who mention it feel and score, and how that changed."""

    model_config = ConfigDict(json_schema_extra={"examples": [THEME_ROW_EXAMPLE]})

    group: str | None = Field(
        default=None, description="The group's value (with group_by); null for the "
        "events without one."
    )  # fmt: skip
    theme: str = Field(description="The theme's name, as `theme` filters take it.")
    label: str
    comments: int = Field(
        description="Enriched comments in the selection (and group): the share's denominator."
    )
    mentions: int | None = Field(description="Of those, the comments that mention the theme.")
    share: float | None = Field(description="100 * mentions / comments; null when none.")
    ci_low: float | None = Field(description="Wilson score interval, 95 %.")
    ci_high: float | None
    low_sample: bool = Field(description="comments < min_n.")
    sentiment: ThemeSentiment
    mentioning: ThemeScore = Field(
        description="The metric of the respondents whose comment mentions the theme."
    )
    not_mentioning: ThemeScore = Field(
        description="The metric of the respondents with an enriched comment that does not."
    )
    difference: ThemeDifference
    change: ThemeChange


class ThemeTrendRow(BaseModel):
    """One theme's share in one bucket (and group)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"bucket_start": "2026-11-02T00:00:00+01:00", "group": None, "theme": "waiting",
                 "comments": 96, "mentions": 21, "share": 21.9, "ci_low": 14.8,
                 "ci_high": 31.1, "low_sample": False}
            ]
        }
    )  # fmt: skip

    bucket_start: str = Field(description="Local start of the bucket, RFC 3339 with offset.")
    group: str | None = None
    theme: str
    comments: int
    mentions: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    low_sample: bool


class ThemeReport(Window):
    """What the comments of the selection are about, theme by theme."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "Europe/Vienna",
                    "previous_from": "2026-10-02T00:00:00Z",
                    "previous_to": "2026-11-01T00:00:00Z",
                    "metric": "nps",
                    "group_by": None,
                    "interval": None,
                    "min_n": 30,
                    "definitions": {
                        "share": {
                            "scale": "enriched comments of the selection",
                            "formula": "100 * mentions / comments",
                            "interval": "Wilson score, 95 %",
                        }
                    },
                    "rows": [THEME_ROW_EXAMPLE],
                    "trend": None,
                }
            ]
        },
    )

    previous_from: datetime
    previous_to: datetime
    metric: Literal["nps", "csat"]
    group_by: str | None
    bins: Bins | None = Field(
        default=None, description="With `group_by=attribute:<key>` binned: its bins."
    )
    interval: str | None
    min_n: int
    definitions: dict[str, Definition] = Field(
        description="How `share`, `metric` (the score of those who mention a theme and of "
        "those who do not), `difference` and `change` are computed (docs/metrics.md)."
    )
    rows: list[ThemeRow] = Field(
        description="Every theme in force for every group with an enriched comment in the "
        "window (one group, null, without group_by), the most mentioned first."
    )
    trend: list[ThemeTrendRow] | None = Field(
        description="With `interval`: every bucket of the window (empty ones with 0 "
        "comments), for every group, for every theme, in the order of the themes in force."
    )


class AttributeValueCount(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"value": "gold", "n": 412}]})

    value: str = Field(description="The text form: strings as sent, booleans true/false.")
    n: int


class AttributeProfile(BaseModel):
    """One attribute key of the selection: how often it is set, and what it holds."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"key": "wait_minutes", "n": 1840, "kind": "numeric", "distinct": 41,
                 "more_than_bound": False, "min": 0, "max": 55, "quartiles": [3, 7, 12.5],
                 "top": None},
                {"key": "member_tier", "n": 950, "kind": "text", "distinct": 3,
                 "more_than_bound": False, "min": None, "max": None, "quartiles": None,
                 "top": [{"value": "gold", "n": 412}, {"value": "silver", "n": 390}]},
            ]
        }
    )  # fmt: skip

    key: str = Field(description="As `attribute.<key>` filters and `attribute:<key>` groups.")
    n: int = Field(description="Events of the selection with a non-null value.")
    kind: Literal["numeric", "boolean", "text", "mixed"] = Field(
        description="What every non-null value is: a JSON number, a boolean, a string; "
        "`mixed`: more than one of these. `numeric` groups by value or into bins, the others "
        "by their text form."
    )
    distinct: int = Field(
        description="Distinct values (numbers by value: 5 and 5.0 are one; else text forms)."
    )
    more_than_bound: bool = Field(
        description="distinct > FEEDBACK_MAX_ATTRIBUTE_VALUES: `group_by=attribute:<key>` "
        "bins a numeric key into quintiles and refuses any other (422)."
    )
    min: int | float | None = Field(description="numeric: the smallest value.")
    max: int | float | None = Field(description="numeric: the largest value.")
    quartiles: list[int | float] | None = Field(
        description="numeric: the 25th, 50th and 75th percentile (percentile_disc: values "
        "of the data, as `bins=quantiles:4` would use them)."
    )
    top: list[AttributeValueCount] | None = Field(
        description="Not numeric: the most frequent values (at most 10), most frequent first."
    )


class AttributeReport(Window):
    """The attribute keys of the selection's events (`GET /v1/metrics/attributes`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "UTC",
                    "filters": {"respondent_type": ["customer"]},
                    "max_values": 100,
                    "max_keys": 200,
                    "keys": 2,
                    "more_keys": False,
                    "attributes": AttributeProfile.model_config["json_schema_extra"]["examples"],  # type: ignore[index]
                }
            ]
        }
    )

    filters: dict[str, list[str]] = Field(description="The filters applied, defaults included.")
    max_values: int = Field(description="FEEDBACK_MAX_ATTRIBUTE_VALUES, the bound of `distinct`.")
    max_keys: int = Field(description="At most this many keys are listed (the most set first).")
    keys: int = Field(description="Distinct keys the selection's events carry.")
    more_keys: bool = Field(description="keys > max_keys: the least set keys are not listed.")
    attributes: list[AttributeProfile] = Field(
        description="One per key, the most set first (ties by key)."
    )
