from typing import Literal

MetricsBreakdownFormatType0 = Literal["csv", "json"]

METRICS_BREAKDOWN_FORMAT_TYPE_0_VALUES: set[MetricsBreakdownFormatType0] = {
    "csv",
    "json",
}


def check_metrics_breakdown_format_type_0(value: str) -> MetricsBreakdownFormatType0:
    if value in METRICS_BREAKDOWN_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_BREAKDOWN_FORMAT_TYPE_0_VALUES!r}")
