from typing import Literal

ChangeKind = Literal["assigned", "contact_attempt", "opened", "status"]

CHANGE_KIND_VALUES: set[ChangeKind] = {
    "assigned",
    "contact_attempt",
    "opened",
    "status",
}


def check_change_kind(value: str) -> ChangeKind:
    if value in CHANGE_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANGE_KIND_VALUES!r}")
