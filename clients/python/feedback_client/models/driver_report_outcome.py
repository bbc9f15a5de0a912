from typing import Literal

DriverReportOutcome = Literal["ces", "csat", "nps"]

DRIVER_REPORT_OUTCOME_VALUES: set[DriverReportOutcome] = {
    "ces",
    "csat",
    "nps",
}


def check_driver_report_outcome(value: str) -> DriverReportOutcome:
    if value in DRIVER_REPORT_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRIVER_REPORT_OUTCOME_VALUES!r}")
