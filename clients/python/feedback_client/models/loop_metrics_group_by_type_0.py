from typing import Literal

LoopMetricsGroupByType0 = Literal["assignee", "location_id"]

LOOP_METRICS_GROUP_BY_TYPE_0_VALUES: set[LoopMetricsGroupByType0] = {
    "assignee",
    "location_id",
}


def check_loop_metrics_group_by_type_0(value: str) -> LoopMetricsGroupByType0:
    if value in LOOP_METRICS_GROUP_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LOOP_METRICS_GROUP_BY_TYPE_0_VALUES!r}")
