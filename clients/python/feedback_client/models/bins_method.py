from typing import Literal

BinsMethod = Literal["explicit", "quantiles"]

BINS_METHOD_VALUES: set[BinsMethod] = {
    "explicit",
    "quantiles",
}


def check_bins_method(value: str) -> BinsMethod:
    if value in BINS_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BINS_METHOD_VALUES!r}")
