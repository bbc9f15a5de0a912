from typing import Literal

DriverRowWeakSideType0 = Literal["above", "below"]

DRIVER_ROW_WEAK_SIDE_TYPE_0_VALUES: set[DriverRowWeakSideType0] = {
    "above",
    "below",
}


def check_driver_row_weak_side_type_0(value: str) -> DriverRowWeakSideType0:
    if value in DRIVER_ROW_WEAK_SIDE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRIVER_ROW_WEAK_SIDE_TYPE_0_VALUES!r}")
