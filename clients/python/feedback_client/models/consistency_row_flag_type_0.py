from typing import Literal

ConsistencyRowFlagType0 = Literal["above", "below"]

CONSISTENCY_ROW_FLAG_TYPE_0_VALUES: set[ConsistencyRowFlagType0] = {
    "above",
    "below",
}


def check_consistency_row_flag_type_0(value: str) -> ConsistencyRowFlagType0:
    if value in CONSISTENCY_ROW_FLAG_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONSISTENCY_ROW_FLAG_TYPE_0_VALUES!r}")
