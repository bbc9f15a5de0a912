from typing import Literal

CaseStatus = Literal["contacted", "open", "resolved", "unreachable"]

CASE_STATUS_VALUES: set[CaseStatus] = {
    "contacted",
    "open",
    "resolved",
    "unreachable",
}


def check_case_status(value: str) -> CaseStatus:
    if value in CASE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASE_STATUS_VALUES!r}")
