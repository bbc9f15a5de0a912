from typing import Literal

MetricsTimeseriesFormatType0 = Literal["csv", "json"]

METRICS_TIMESERIES_FORMAT_TYPE_0_VALUES: set[MetricsTimeseriesFormatType0] = {
    "csv",
    "json",
}


def check_metrics_timeseries_format_type_0(value: str) -> MetricsTimeseriesFormatType0:
    if value in METRICS_TIMESERIES_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_TIMESERIES_FORMAT_TYPE_0_VALUES!r}")
