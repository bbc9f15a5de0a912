from typing import Literal

MetricsBreakdownOrder = Literal["asc", "desc"]

METRICS_BREAKDOWN_ORDER_VALUES: set[MetricsBreakdownOrder] = {
    "asc",
    "desc",
}


def check_metrics_breakdown_order(value: str) -> MetricsBreakdownOrder:
    if value in METRICS_BREAKDOWN_ORDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_BREAKDOWN_ORDER_VALUES!r}")
