from typing import Literal

DriverRowQuadrantType0 = Literal["fix_first", "keep_up", "less_urgent", "watch"]

DRIVER_ROW_QUADRANT_TYPE_0_VALUES: set[DriverRowQuadrantType0] = {
    "fix_first",
    "keep_up",
    "less_urgent",
    "watch",
}


def check_driver_row_quadrant_type_0(value: str) -> DriverRowQuadrantType0:
    if value in DRIVER_ROW_QUADRANT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRIVER_ROW_QUADRANT_TYPE_0_VALUES!r}")
