from typing import Literal

AlertDirection = Literal["down", "up"]

ALERT_DIRECTION_VALUES: set[AlertDirection] = {
    "down",
    "up",
}


def check_alert_direction(value: str) -> AlertDirection:
    if value in ALERT_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ALERT_DIRECTION_VALUES!r}")
