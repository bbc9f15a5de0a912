from typing import Literal

MetricsConsistencyFormatType0 = Literal["csv", "json"]

METRICS_CONSISTENCY_FORMAT_TYPE_0_VALUES: set[MetricsConsistencyFormatType0] = {
    "csv",
    "json",
}


def check_metrics_consistency_format_type_0(value: str) -> MetricsConsistencyFormatType0:
    if value in METRICS_CONSISTENCY_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_CONSISTENCY_FORMAT_TYPE_0_VALUES!r}")
