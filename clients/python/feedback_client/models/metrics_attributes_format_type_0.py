from typing import Literal

MetricsAttributesFormatType0 = Literal["csv", "json"]

METRICS_ATTRIBUTES_FORMAT_TYPE_0_VALUES: set[MetricsAttributesFormatType0] = {
    "csv",
    "json",
}


def check_metrics_attributes_format_type_0(value: str) -> MetricsAttributesFormatType0:
    if value in METRICS_ATTRIBUTES_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_ATTRIBUTES_FORMAT_TYPE_0_VALUES!r}")
