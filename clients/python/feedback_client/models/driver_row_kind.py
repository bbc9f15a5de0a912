from typing import Literal

DriverRowKind = Literal["binary", "categorical", "numeric"]

DRIVER_ROW_KIND_VALUES: set[DriverRowKind] = {
    "binary",
    "categorical",
    "numeric",
}


def check_driver_row_kind(value: str) -> DriverRowKind:
    if value in DRIVER_ROW_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRIVER_ROW_KIND_VALUES!r}")
