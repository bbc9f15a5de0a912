from typing import Literal

MetricsFollowUpsGroupByType0 = Literal["assignee", "location_id"]

METRICS_FOLLOW_UPS_GROUP_BY_TYPE_0_VALUES: set[MetricsFollowUpsGroupByType0] = {
    "assignee",
    "location_id",
}


def check_metrics_follow_ups_group_by_type_0(value: str) -> MetricsFollowUpsGroupByType0:
    if value in METRICS_FOLLOW_UPS_GROUP_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_FOLLOW_UPS_GROUP_BY_TYPE_0_VALUES!r}")
