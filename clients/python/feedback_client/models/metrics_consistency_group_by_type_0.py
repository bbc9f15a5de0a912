from typing import Literal

MetricsConsistencyGroupByType0 = Literal[
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

METRICS_CONSISTENCY_GROUP_BY_TYPE_0_VALUES: set[MetricsConsistencyGroupByType0] = {
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


def check_metrics_consistency_group_by_type_0(value: str) -> MetricsConsistencyGroupByType0:
    if value in METRICS_CONSISTENCY_GROUP_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_CONSISTENCY_GROUP_BY_TYPE_0_VALUES!r}")
