from typing import Literal

WebhookPatchEventTypesType0Item = Literal[
    "alert.opened", "alert.resolved", "feedback.created", "follow_up.opened", "follow_up.resolved", "follow_up.updated"
]

WEBHOOK_PATCH_EVENT_TYPES_TYPE_0_ITEM_VALUES: set[WebhookPatchEventTypesType0Item] = {
    "alert.opened",
    "alert.resolved",
    "feedback.created",
    "follow_up.opened",
    "follow_up.resolved",
    "follow_up.updated",
}


def check_webhook_patch_event_types_type_0_item(value: str) -> WebhookPatchEventTypesType0Item:
    if value in WEBHOOK_PATCH_EVENT_TYPES_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEBHOOK_PATCH_EVENT_TYPES_TYPE_0_ITEM_VALUES!r}")
