from typing import Literal

MetricsDriversFormatType0 = Literal["csv", "json"]

METRICS_DRIVERS_FORMAT_TYPE_0_VALUES: set[MetricsDriversFormatType0] = {
    "csv",
    "json",
}


def check_metrics_drivers_format_type_0(value: str) -> MetricsDriversFormatType0:
    if value in METRICS_DRIVERS_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_DRIVERS_FORMAT_TYPE_0_VALUES!r}")
