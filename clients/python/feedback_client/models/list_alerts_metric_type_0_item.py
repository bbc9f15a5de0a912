from typing import Literal

ListAlertsMetricType0Item = Literal[
    "ces",
    "csat",
    "follow_up_late",
    "nps",
    "servqual_assurance_perception",
    "servqual_empathy_perception",
    "servqual_reliability_perception",
    "servqual_responsiveness_perception",
    "servqual_tangibles_perception",
]

LIST_ALERTS_METRIC_TYPE_0_ITEM_VALUES: set[ListAlertsMetricType0Item] = {
    "ces",
    "csat",
    "follow_up_late",
    "nps",
    "servqual_assurance_perception",
    "servqual_empathy_perception",
    "servqual_reliability_perception",
    "servqual_responsiveness_perception",
    "servqual_tangibles_perception",
}


def check_list_alerts_metric_type_0_item(value: str) -> ListAlertsMetricType0Item:
    if value in LIST_ALERTS_METRIC_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ALERTS_METRIC_TYPE_0_ITEM_VALUES!r}")
