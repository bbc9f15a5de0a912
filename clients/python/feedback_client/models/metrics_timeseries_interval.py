from typing import Literal

MetricsTimeseriesInterval = Literal["day", "hour", "month", "quarter", "week", "year"]

METRICS_TIMESERIES_INTERVAL_VALUES: set[MetricsTimeseriesInterval] = {
    "day",
    "hour",
    "month",
    "quarter",
    "week",
    "year",
}


def check_metrics_timeseries_interval(value: str) -> MetricsTimeseriesInterval:
    if value in METRICS_TIMESERIES_INTERVAL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_TIMESERIES_INTERVAL_VALUES!r}")
