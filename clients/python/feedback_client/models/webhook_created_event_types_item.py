from typing import Literal

WebhookCreatedEventTypesItem = Literal[
    "alert.opened", "alert.resolved", "feedback.created", "follow_up.opened", "follow_up.resolved", "follow_up.updated"
]

WEBHOOK_CREATED_EVENT_TYPES_ITEM_VALUES: set[WebhookCreatedEventTypesItem] = {
    "alert.opened",
    "alert.resolved",
    "feedback.created",
    "follow_up.opened",
    "follow_up.resolved",
    "follow_up.updated",
}


def check_webhook_created_event_types_item(value: str) -> WebhookCreatedEventTypesItem:
    if value in WEBHOOK_CREATED_EVENT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEBHOOK_CREATED_EVENT_TYPES_ITEM_VALUES!r}")
