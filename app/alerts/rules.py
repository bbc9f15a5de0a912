"""The alert rules: what is watched and how sensitively (`GET`/`PUT /v1/alert-rules`).

One document, stored as one row; every field has a default, so an empty document
is the default rules. `tuning()` turns it into the detector's per-metric settings.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.alerts.detect import Tuning, Watch
from app.vocabulary import SERVQUAL_DIMENSIONS

AlertMetric = Literal[
    "nps", "csat", "ces",
    "servqual_reliability_perception", "servqual_responsiveness_perception",
    "servqual_assurance_perception", "servqual_tangibles_perception",
    "servqual_empathy_perception",
    "follow_up_late",
]  # fmt: skip
METRICS: tuple[AlertMetric, ...] = AlertMetric.__args__  # type: ignore[attr-defined]
assert METRICS[3:8] == tuple(f"servqual_{d}_perception" for d in SERVQUAL_DIMENSIONS)

ScopeDimension = Literal[
    "chain", "region", "location_id", "channel", "touchpoint", "respondent_type",
    "employee_id", "location_id+channel", "location_id+touchpoint",
]  # fmt: skip
SCOPE_DIMENSIONS: tuple[ScopeDimension, ...] = ScopeDimension.__args__  # type: ignore[attr-defined]

# Per metric: (smallest change worth an alert, least per-answer variance assumed, unit).
# Per-answer scores: NPS -100/0/100, CSAT and the late share 0/100 (so their means are
# the percentages the metrics report), CES and SERVQUAL perception their 1-7 answers.
METRIC_SCALES: dict[str, tuple[float, float, str]] = {
    "nps": (10.0, 500.0, "NPS points"),
    "csat": (5.0, 196.0, "percentage points of satisfied answers"),
    "ces": (0.25, 0.25, "points of the 1-7 mean"),
    **{f"servqual_{d}_perception": (0.3, 0.25, "points of the 1-7 mean")
       for d in SERVQUAL_DIMENSIONS},
    "follow_up_late": (10.0, 196.0, "percentage points of cases called back late"),
}  # fmt: skip
HIGHER_IS_WORSE = frozenset({"follow_up_late"})


class MetricRule(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"enabled": True, "min_change": 15}]}
    )

    enabled: bool = True
    min_change: float | None = Field(
        default=None, gt=0,
        description="The smallest change worth an alert, in the metric's units (default: NPS "
        "10 points, CSAT 5 points, CES 0.25, SERVQUAL perception 0.3, late share 10 points).",
    )  # fmt: skip


def _default_metrics() -> dict[AlertMetric, MetricRule]:
    return {m: MetricRule() for m in METRICS}


class AlertRules(BaseModel):
    """What the alert worker watches, and how sensitively (docs/alerts.md, "Tuning")."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"metrics": {"nps": {"min_change": 15}}, "improvements": False}]
        },
    )

    enabled: bool = Field(default=True, description="Off: no round runs; open alerts stay.")
    metrics: dict[AlertMetric, MetricRule] = Field(
        default_factory=_default_metrics,
        description="Per metric: on or off, and its minimum change. Metrics left out keep "
        "their defaults.",
    )
    dimensions: Annotated[list[ScopeDimension], Field(min_length=1)] = Field(
        default_factory=lambda: list(SCOPE_DIMENSIONS),
        description="The scopes watched: the whole chain, each region, branch, channel, "
        "touchpoint, respondent type, employee (only with `employee_min_n` answers in the "
        "watched days), and branch by channel and branch by touchpoint.",
    )
    improvements: bool = Field(
        default=False,
        description="Alert on changes for the better too (`direction` up; down for the late "
        "share). Off by default: alerts are for service that slips.",
    )
    window_days: int = Field(
        default=28, ge=7, le=90, description="Local days watched for a change, up to today."
    )
    baseline_days: int = Field(
        default=56, ge=14, le=365,
        description="Local days before the watched ones that say what normal is.",
    )  # fmt: skip
    min_n: int = Field(
        default=30, ge=1, description="Answers an alert needs since its change began."
    )
    min_baseline_n: int = Field(default=100, ge=10, description="Answers the baseline needs.")
    threshold: float = Field(
        default=8.0, ge=1, le=30,
        description="Evidence (nats, the CUSUM statistic) an alert needs; a series without "
        "change crosses it on at most exp(-threshold) of its days.",
    )  # fmt: skip
    resolve_threshold: float = Field(
        default=3.0, ge=0.5, le=30,
        description="Evidence (nats) for 'back to normal' that resolves an open alert.",
    )  # fmt: skip
    shift_factor: float = Field(
        default=2.0, ge=1, le=4,
        description="The change each chart is tuned to, as a multiple of the minimum change.",
    )  # fmt: skip
    fdr: float = Field(
        default=0.05, gt=0, le=0.5,
        description="False discovery rate across the series checked in one round "
        "(Benjamini-Hochberg).",
    )  # fmt: skip

    @model_validator(mode="after")
    def _all_metrics(self) -> "AlertRules":
        self.metrics = {m: self.metrics.get(m, MetricRule()) for m in METRICS}
        return self

    def watch(self) -> Watch:
        return Watch(baseline_days=self.baseline_days, window_days=self.window_days)

    def watched_metrics(self) -> list[AlertMetric]:
        return [m for m in METRICS if self.metrics[m].enabled]

    def tuning(self) -> dict[str, Tuning]:
        """The detector's settings per metric."""
        out: dict[str, Tuning] = {}
        for metric in METRICS:
            default_change, floor, _ = METRIC_SCALES[metric]
            change = self.metrics[metric].min_change or default_change
            out[metric] = Tuning(
                min_change=change,
                shift=change * self.shift_factor,
                min_n=self.min_n,
                min_baseline_n=self.min_baseline_n,
                threshold=self.threshold,
                resolve_threshold=self.resolve_threshold,
                variance_floor=floor,
                worse="up" if metric in HIGHER_IS_WORSE else "down",
            )
        return out


DEFAULT_RULES = AlertRules()
