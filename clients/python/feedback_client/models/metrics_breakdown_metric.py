from typing import Literal

MetricsBreakdownMetric = Literal[
    "ces",
    "ces_easy",
    "csat",
    "csat_mean",
    "nps",
    "servqual",
    "servqual_assurance",
    "servqual_empathy",
    "servqual_reliability",
    "servqual_responsiveness",
    "servqual_tangibles",
    "volume",
]

METRICS_BREAKDOWN_METRIC_VALUES: set[MetricsBreakdownMetric] = {
    "ces",
    "ces_easy",
    "csat",
    "csat_mean",
    "nps",
    "servqual",
    "servqual_assurance",
    "servqual_empathy",
    "servqual_reliability",
    "servqual_responsiveness",
    "servqual_tangibles",
    "volume",
}


def check_metrics_breakdown_metric(value: str) -> MetricsBreakdownMetric:
    if value in METRICS_BREAKDOWN_METRIC_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_BREAKDOWN_METRIC_VALUES!r}")
