from typing import Literal

MetricsBreakdownSort = Literal["group", "n", "shrunk", "value"]

METRICS_BREAKDOWN_SORT_VALUES: set[MetricsBreakdownSort] = {
    "group",
    "n",
    "shrunk",
    "value",
}


def check_metrics_breakdown_sort(value: str) -> MetricsBreakdownSort:
    if value in METRICS_BREAKDOWN_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_BREAKDOWN_SORT_VALUES!r}")
