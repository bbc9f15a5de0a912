from typing import Literal

MetricsThemesMetric = Literal["csat", "nps"]

METRICS_THEMES_METRIC_VALUES: set[MetricsThemesMetric] = {
    "csat",
    "nps",
}


def check_metrics_themes_metric(value: str) -> MetricsThemesMetric:
    if value in METRICS_THEMES_METRIC_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_THEMES_METRIC_VALUES!r}")
