"""What `GET /v1/metrics/drivers` returns (docs/metrics.md, "Drivers")."""

from typing import Literal

from pydantic import BaseModel, Field

from app.selection.schemas import Window

Quadrant = Literal["fix_first", "keep_up", "watch", "less_urgent"]


class Interval(BaseModel):
    value: float
    ci_low: float
    ci_high: float


class Level(BaseModel):
    """One level of a categorical driver (or `with`/`without` of a tag or theme)."""

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
    driver: str
    reason: str
    n: int


class Bootstrap(BaseModel):
    replicates: int
    blocks: int = Field(description="Random blocks of respondents resampled (n if fewer).")
    seed: int


class DriverReport(Window):
    """Which drivers go with the outcome, how strongly, and where the most is to gain."""

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
