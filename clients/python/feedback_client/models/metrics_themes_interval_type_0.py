from typing import Literal

MetricsThemesIntervalType0 = Literal["day", "hour", "month", "quarter", "week", "year"]

METRICS_THEMES_INTERVAL_TYPE_0_VALUES: set[MetricsThemesIntervalType0] = {
    "day",
    "hour",
    "month",
    "quarter",
    "week",
    "year",
}


def check_metrics_themes_interval_type_0(value: str) -> MetricsThemesIntervalType0:
    if value in METRICS_THEMES_INTERVAL_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_THEMES_INTERVAL_TYPE_0_VALUES!r}")
