from typing import Literal

MetricsConsistencyMetric = Literal[
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

METRICS_CONSISTENCY_METRIC_VALUES: set[MetricsConsistencyMetric] = {
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


def check_metrics_consistency_metric(value: str) -> MetricsConsistencyMetric:
    if value in METRICS_CONSISTENCY_METRIC_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_CONSISTENCY_METRIC_VALUES!r}")
