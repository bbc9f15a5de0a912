from typing import Literal

MetricsDriversOutcome = Literal["ces", "csat", "nps"]

METRICS_DRIVERS_OUTCOME_VALUES: set[MetricsDriversOutcome] = {
    "ces",
    "csat",
    "nps",
}


def check_metrics_drivers_outcome(value: str) -> MetricsDriversOutcome:
    if value in METRICS_DRIVERS_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_DRIVERS_OUTCOME_VALUES!r}")
