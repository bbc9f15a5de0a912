from typing import Literal

MetricsTimeseriesGroupByType0 = Literal[
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

METRICS_TIMESERIES_GROUP_BY_TYPE_0_VALUES: set[MetricsTimeseriesGroupByType0] = {
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


def check_metrics_timeseries_group_by_type_0(value: str) -> MetricsTimeseriesGroupByType0:
    if value in METRICS_TIMESERIES_GROUP_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_TIMESERIES_GROUP_BY_TYPE_0_VALUES!r}")
