from typing import Literal

ChangeToStatusType0 = Literal["contacted", "open", "resolved", "unreachable"]

CHANGE_TO_STATUS_TYPE_0_VALUES: set[ChangeToStatusType0] = {
    "contacted",
    "open",
    "resolved",
    "unreachable",
}


def check_change_to_status_type_0(value: str) -> ChangeToStatusType0:
    if value in CHANGE_TO_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANGE_TO_STATUS_TYPE_0_VALUES!r}")
