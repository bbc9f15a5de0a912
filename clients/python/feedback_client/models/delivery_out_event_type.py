from typing import Literal

DeliveryOutEventType = Literal[
    "alert.opened", "alert.resolved", "feedback.created", "follow_up.opened", "follow_up.resolved", "follow_up.updated"
]

DELIVERY_OUT_EVENT_TYPE_VALUES: set[DeliveryOutEventType] = {
    "alert.opened",
    "alert.resolved",
    "feedback.created",
    "follow_up.opened",
    "follow_up.resolved",
    "follow_up.updated",
}


def check_delivery_out_event_type(value: str) -> DeliveryOutEventType:
    if value in DELIVERY_OUT_EVENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DELIVERY_OUT_EVENT_TYPE_VALUES!r}")
