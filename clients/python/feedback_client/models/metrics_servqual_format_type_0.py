from typing import Literal

MetricsServqualFormatType0 = Literal["csv", "json"]

METRICS_SERVQUAL_FORMAT_TYPE_0_VALUES: set[MetricsServqualFormatType0] = {
    "csv",
    "json",
}


def check_metrics_servqual_format_type_0(value: str) -> MetricsServqualFormatType0:
    if value in METRICS_SERVQUAL_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_SERVQUAL_FORMAT_TYPE_0_VALUES!r}")
