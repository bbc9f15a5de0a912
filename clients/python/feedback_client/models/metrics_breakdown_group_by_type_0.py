from typing import Literal

MetricsBreakdownGroupByType0 = Literal[
    "acquisition_source",
    "channel",
    "employee_id",
    "language",
    "location_id",
    "region",
    "respondent_type",
    "segment",
    "sentiment",
    "tag",
    "theme",
    "touchpoint",
]

METRICS_BREAKDOWN_GROUP_BY_TYPE_0_VALUES: set[MetricsBreakdownGroupByType0] = {
    "acquisition_source",
    "channel",
    "employee_id",
    "language",
    "location_id",
    "region",
    "respondent_type",
    "segment",
    "sentiment",
    "tag",
    "theme",
    "touchpoint",
}


def check_metrics_breakdown_group_by_type_0(value: str) -> MetricsBreakdownGroupByType0:
    if value in METRICS_BREAKDOWN_GROUP_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_BREAKDOWN_GROUP_BY_TYPE_0_VALUES!r}")
