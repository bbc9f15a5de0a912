from typing import Literal

MetricsFollowUpsFormatType0 = Literal["csv", "json"]

METRICS_FOLLOW_UPS_FORMAT_TYPE_0_VALUES: set[MetricsFollowUpsFormatType0] = {
    "csv",
    "json",
}


def check_metrics_follow_ups_format_type_0(value: str) -> MetricsFollowUpsFormatType0:
    if value in METRICS_FOLLOW_UPS_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_FOLLOW_UPS_FORMAT_TYPE_0_VALUES!r}")
