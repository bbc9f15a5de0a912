from typing import Literal

FollowUpsSummaryStatusType0Item = Literal["contacted", "open", "resolved", "unreachable"]

FOLLOW_UPS_SUMMARY_STATUS_TYPE_0_ITEM_VALUES: set[FollowUpsSummaryStatusType0Item] = {
    "contacted",
    "open",
    "resolved",
    "unreachable",
}


def check_follow_ups_summary_status_type_0_item(value: str) -> FollowUpsSummaryStatusType0Item:
    if value in FOLLOW_UPS_SUMMARY_STATUS_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FOLLOW_UPS_SUMMARY_STATUS_TYPE_0_ITEM_VALUES!r}")
