from typing import Literal

WebhookOutEventTypesItem = Literal[
    "alert.opened", "alert.resolved", "feedback.created", "follow_up.opened", "follow_up.resolved", "follow_up.updated"
]

WEBHOOK_OUT_EVENT_TYPES_ITEM_VALUES: set[WebhookOutEventTypesItem] = {
    "alert.opened",
    "alert.resolved",
    "feedback.created",
    "follow_up.opened",
    "follow_up.resolved",
    "follow_up.updated",
}


def check_webhook_out_event_types_item(value: str) -> WebhookOutEventTypesItem:
    if value in WEBHOOK_OUT_EVENT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEBHOOK_OUT_EVENT_TYPES_ITEM_VALUES!r}")
