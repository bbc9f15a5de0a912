from typing import Literal

ChangeFromStatusType0 = Literal["contacted", "open", "resolved", "unreachable"]

CHANGE_FROM_STATUS_TYPE_0_VALUES: set[ChangeFromStatusType0] = {
    "contacted",
    "open",
    "resolved",
    "unreachable",
}


def check_change_from_status_type_0(value: str) -> ChangeFromStatusType0:
    if value in CHANGE_FROM_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANGE_FROM_STATUS_TYPE_0_VALUES!r}")
