from typing import Literal

ItemStatus = Literal["accepted", "duplicate", "rejected"]

ITEM_STATUS_VALUES: set[ItemStatus] = {
    "accepted",
    "duplicate",
    "rejected",
}


def check_item_status(value: str) -> ItemStatus:
    if value in ITEM_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ITEM_STATUS_VALUES!r}")
