from typing import Literal

AlertRulesDimensionsItem = Literal[
    "chain",
    "channel",
    "employee_id",
    "location_id",
    "location_id+channel",
    "location_id+touchpoint",
    "region",
    "respondent_type",
    "touchpoint",
]

ALERT_RULES_DIMENSIONS_ITEM_VALUES: set[AlertRulesDimensionsItem] = {
    "chain",
    "channel",
    "employee_id",
    "location_id",
    "location_id+channel",
    "location_id+touchpoint",
    "region",
    "respondent_type",
    "touchpoint",
}


def check_alert_rules_dimensions_item(value: str) -> AlertRulesDimensionsItem:
    if value in ALERT_RULES_DIMENSIONS_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ALERT_RULES_DIMENSIONS_ITEM_VALUES!r}")
