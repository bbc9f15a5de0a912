from typing import Literal

ListFollowUpsStatusType0Item = Literal["contacted", "open", "resolved", "unreachable"]

LIST_FOLLOW_UPS_STATUS_TYPE_0_ITEM_VALUES: set[ListFollowUpsStatusType0Item] = {
    "contacted",
    "open",
    "resolved",
    "unreachable",
}


def check_list_follow_ups_status_type_0_item(value: str) -> ListFollowUpsStatusType0Item:
    if value in LIST_FOLLOW_UPS_STATUS_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_FOLLOW_UPS_STATUS_TYPE_0_ITEM_VALUES!r}")
