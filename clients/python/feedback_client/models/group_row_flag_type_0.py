from typing import Literal

GroupRowFlagType0 = Literal["above", "below"]

GROUP_ROW_FLAG_TYPE_0_VALUES: set[GroupRowFlagType0] = {
    "above",
    "below",
}


def check_group_row_flag_type_0(value: str) -> GroupRowFlagType0:
    if value in GROUP_ROW_FLAG_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GROUP_ROW_FLAG_TYPE_0_VALUES!r}")
