from typing import Literal

WebhookInEventTypesItem = Literal[
    "alert.opened", "alert.resolved", "feedback.created", "follow_up.opened", "follow_up.resolved", "follow_up.updated"
]

WEBHOOK_IN_EVENT_TYPES_ITEM_VALUES: set[WebhookInEventTypesItem] = {
    "alert.opened",
    "alert.resolved",
    "feedback.created",
    "follow_up.opened",
    "follow_up.resolved",
    "follow_up.updated",
}


def check_webhook_in_event_types_item(value: str) -> WebhookInEventTypesItem:
    if value in WEBHOOK_IN_EVENT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEBHOOK_IN_EVENT_TYPES_ITEM_VALUES!r}")
