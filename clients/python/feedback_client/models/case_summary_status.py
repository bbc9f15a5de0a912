from typing import Literal

CaseSummaryStatus = Literal["contacted", "open", "resolved", "unreachable"]

CASE_SUMMARY_STATUS_VALUES: set[CaseSummaryStatus] = {
    "contacted",
    "open",
    "resolved",
    "unreachable",
}


def check_case_summary_status(value: str) -> CaseSummaryStatus:
    if value in CASE_SUMMARY_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASE_SUMMARY_STATUS_VALUES!r}")
