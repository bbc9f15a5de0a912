"""What `GET /v1/metrics/drivers` returns (docs/metrics.md, "Drivers")."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from app.selection.schemas import Window

Quadrant = Literal["fix_first", "keep_up", "watch", "less_urgent"]


INTERVAL_EXAMPLE: JsonDict = {"value": -0.42, "ci_low": -0.51, "ci_high": -0.33}
LEVEL_EXAMPLE: JsonDict = {
    "level": "returns", "n": 290, "share": 32.2, "outcome": -31.0, "outcome_ci_low": -40.1,
    "outcome_ci_high": -21.2, "effect": -17.9, "effect_ci_low": -24.0,
    "effect_ci_high": -11.6, "reference": False,
}  # fmt: skip
ROW_EXAMPLE: JsonDict = {
    "driver": "servqual:responsiveness", "kind": "numeric", "n": 900, "importance": 73.4,
    "importance_ci_low": 70.1, "importance_ci_high": 76.5, "contribution": 0.365,
    "effect": {"value": 21.6, "ci_low": 20.1, "ci_high": 23.2}, "score": 48.0, "mean": 4.1,
    "mean_ci_low": 4.0, "mean_ci_high": 4.2, "top_box": 14.6, "median": 4.0,
    "weak_side": "below", "weak_levels": None, "levels": None, "opportunity": 17.3,
    "opportunity_ci_low": 16.1, "opportunity_ci_high": 18.6, "quadrant": "fix_first",
    "vif": 1.2, "collinear": False,
}  # fmt: skip
DROPPED_EXAMPLE: JsonDict = {
    "driver": "servqual:empathy",
    "reason": "fewer than min_n answers",
    "n": 20,
}
BOOTSTRAP_EXAMPLE: JsonDict = {"replicates": 500, "blocks": 500, "seed": 20}


class Interval(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [INTERVAL_EXAMPLE]})

    value: float
    ci_low: float
    ci_high: float


class Level(BaseModel):
    """One level of a categorical driver (or `with`/`without` of a tag or theme)."""

    model_config = ConfigDict(json_schema_extra={"examples": [LEVEL_EXAMPLE]})

    level: str | None = Field(description="The value; null: no value; `(other)`: the rarer.")
    n: int
    share: float = Field(description="Percent of the respondents in the model.")
    outcome: float | None = Field(description="The outcome's metric among them, exact.")
    outcome_ci_low: float | None
    outcome_ci_high: float | None
    effect: float = Field(
        description="The model's difference to the reference level, the other drivers held "
        "equal, in the outcome's points; with its bootstrap interval."
    )
    effect_ci_low: float
    effect_ci_high: float
    reference: bool


class DriverRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ROW_EXAMPLE]})

    driver: str = Field(examples=["servqual:responsiveness"])
    kind: Literal["numeric", "categorical", "binary"]
    n: int = Field(description="Respondents with the outcome who answered this driver.")
    importance: float | None = Field(
        description="Percent of the model's R² this driver explains: its Shapley value "
        "(LMG), fair to correlated drivers. Null when the model explains nothing."
    )
    importance_ci_low: float | None
    importance_ci_high: float | None
    contribution: float = Field(description="The Shapley value itself, in R² (0-1).")
    effect: Interval | None = Field(
        description="Numeric: the outcome's change per unit of the driver; binary: with "
        "against without; the other drivers held equal. Null for a categorical driver "
        "(see `levels`)."
    )
    score: float | None = Field(
        description="Performance, 0-100: where the average respondent stands between the "
        "driver's worst level (0) and its best (100), by the model's effects (numeric: "
        "between its 2.5th and 97.5th percentile). Comparable across drivers."
    )
    mean: float | None = Field(
        description="Numeric: the mean answer; binary: percent of respondents with it."
    )
    mean_ci_low: float | None
    mean_ci_high: float | None
    top_box: float | None = Field(
        description="SERVQUAL perception: percent answering 6-7; gap: percent with "
        "perception ≥ expectation."
    )
    median: float | None = Field(description="Numeric: the median answer.")
    weak_side: Literal["below", "above"] | None = Field(
        description="Numeric: which side of the median goes with a worse outcome."
    )
    weak_levels: list[str | None] | None = Field(
        description="Categorical or binary: the levels whose effect is below the median "
        "respondent's."
    )
    levels: list[Level] | None
    opportunity: float = Field(
        description="The outcome's expected change (its points) if every respondent on the "
        "weak side of the median (numeric) or in a weak level (categorical) were at the "
        "median, with its bootstrap interval."
    )
    opportunity_ci_low: float
    opportunity_ci_high: float
    quadrant: Quadrant | None = Field(
        description="Importance against score: fix_first (important, weak), keep_up "
        "(important, strong), watch (less important, weak), less_urgent (less important, "
        "strong). Splits: the mean importance (100/drivers) and the median score."
    )
    vif: float | None = Field(
        description="Generalised variance inflation factor, GVIF^(1/df); null: exactly collinear."
    )
    collinear: bool = Field(
        description="vif ≥ 5: the other drivers carry most of what this one does; its "
        "importance is shared with them and uncertain."
    )


class Dropped(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DROPPED_EXAMPLE]})

    driver: str
    reason: str
    n: int


class Bootstrap(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [BOOTSTRAP_EXAMPLE]})

    replicates: int
    blocks: int = Field(description="Random blocks of respondents resampled (n if fewer).")
    seed: int


class DriverReport(Window):
    """Which drivers go with the outcome, how strongly, and where the most is to gain."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "Europe/Vienna",
                    "outcome": "nps",
                    "population": "respondents",
                    "n": 900,
                    "n_outcome": 900,
                    "outcome_value": -12.4,
                    "r2": 0.497,
                    "r2_ci_low": 0.452,
                    "r2_ci_high": 0.541,
                    "r2_adjusted": 0.491,
                    "min_n": 30,
                    "bootstrap": BOOTSTRAP_EXAMPLE,
                    "drivers": [ROW_EXAMPLE],
                    "dropped": [DROPPED_EXAMPLE],
                    "note": "Associations in the selected respondents, not causes: ...",
                }
            ]
        }
    )

    outcome: Literal["nps", "csat", "ces"]
    population: str = Field(
        description="Who is in the model: `respondents`, or `respondents with an enriched "
        "comment` when a theme is a driver."
    )
    n: int = Field(description="Respondents in the model: the outcome and every numeric driver.")
    n_outcome: int = Field(description="Respondents of the selection with the outcome.")
    outcome_value: float = Field(description="The outcome's metric over the n respondents.")
    r2: float = Field(description="Share of the outcome's variance the drivers explain.")
    r2_ci_low: float
    r2_ci_high: float
    r2_adjusted: float
    min_n: int
    bootstrap: Bootstrap
    drivers: list[DriverRow] = Field(description="Most important first.")
    dropped: list[Dropped] = Field(description="Drivers left out, and why.")
    note: str
